-- Least privilege for onboarding_user on kyc_onboarding; run by make
-- provision with psql variable role.  Cases and applicants are regulated
-- records: the service creates and updates them but cannot delete them.
-- Of a case it updates only what a client decides: the type, the status
-- (transition() updates it as the caller), the partner's reference and the
-- reviewer, and a company's name and industry code.  partner_id is set at
-- creation; risk_level, risk_score, requires_manual_review, checklist_status,
-- the *_event_id bookkeeping and attention_reasons are the workflow
-- handlers' (the relay runs them as their owner), and the rest is stamped
-- by the triggers.  Partners are the database owner's: the service reads them.
GRANT USAGE ON SCHEMA kyc_onboarding TO :"role";
GRANT SELECT ON kyc_onboarding.countries TO :"role";
GRANT SELECT ON kyc_onboarding.partners TO :"role";
GRANT SELECT, INSERT ON kyc_onboarding.onboarding_cases TO :"role";
-- A cluster provisioned with the earlier table-wide UPDATE loses it here
-- (a table REVOKE drops column grants too); the GRANT below puts back the four.
REVOKE UPDATE ON kyc_onboarding.onboarding_cases FROM :"role";
GRANT UPDATE (type, status, partner_reference_id, assigned_to, company_name, industry_code) ON kyc_onboarding.onboarding_cases TO :"role";
GRANT SELECT, INSERT, UPDATE ON kyc_onboarding.applicants TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON kyc_onboarding.addresses TO :"role";
GRANT USAGE ON SEQUENCE kyc_onboarding.case_number_seq TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.next_case_id() TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.create_case(text, text, text, jsonb, jsonb) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.transition(text, text, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.check_json_fields(jsonb, text, text[], text[], text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.check_person_json(jsonb, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.check_person_values(jsonb, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.check_length(text, integer, text) TO :"role";
-- Decisions: the service inserts them (the trigger holds every insert to
-- the rules) and reads them; it never changes or deletes one.  Who worked
-- on a case is the triggers' to write.
GRANT SELECT, INSERT (case_id, decision, reviewer, notes) ON kyc_onboarding.case_decisions TO :"role";
GRANT SELECT ON kyc_onboarding.case_contributors TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.assign(text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.acknowledge_attention(text, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.approve(text, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.reject(text, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_onboarding.request_information(text, text, text) TO :"role";
-- Whether a case's risk result reflects its latest data: the triggers and
-- the risk handler write it.
GRANT SELECT ON kyc_onboarding.risk_sync TO :"role";
-- Personal data (pii.c): the service reveals what it may read; it never
-- reads a data key (case_keys is the owner's).  Erasure is a compliance
-- officer's decision (api.forget_subject), never the service's: one
-- statement by whoever holds its password could erase every case.
GRANT EXECUTE ON FUNCTION kyc_onboarding.reveal(text) TO :"role";
REVOKE EXECUTE ON FUNCTION kyc_onboarding.forget_subject(text) FROM :"role";
