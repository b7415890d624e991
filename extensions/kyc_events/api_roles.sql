-- The PostgREST roles' rights in an exposed database (make provision, with
-- psql variable db): CONNECT for the authenticator, and pre_request() for
-- every role PostgREST may be in when it calls it.
GRANT CONNECT ON DATABASE :"db" TO kyc_authenticator;
GRANT USAGE ON SCHEMA kyc_events TO kyc_anon, kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc_events.pre_request()
	TO kyc_anon, kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
-- The row-level security policies of the api schemas call it as the reader.
GRANT EXECUTE ON FUNCTION kyc_events.request_partner()
	TO kyc_anon, kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
