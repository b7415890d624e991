-- document_service's PostgREST API (make provision runs it after the
-- extension and the API roles exist; idempotent; run it again after a
-- restore, which does not keep row-level security on extension tables).
-- Views and functions only in api; row-level security decides the rows:
--   kyc_partner                                      its own cases' documents (case_partners)
--   kyc_reviewer, kyc_compliance_officer, kyc_admin  every document
--   document_user                                    every document, and every write it had
CREATE SCHEMA IF NOT EXISTS api;
REVOKE ALL ON SCHEMA api FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
COMMENT ON SCHEMA api IS 'pgkyc''s document metadata API, for PostgREST: views and functions only, row-level security on the tables beneath.';

ALTER TABLE kyc_document.case_partners ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS partner ON kyc_document.case_partners;
CREATE POLICY partner ON kyc_document.case_partners FOR SELECT TO kyc_partner
	USING (partner_id OPERATOR(pg_catalog.=) kyc_events.request_partner());

ALTER TABLE kyc_document.documents ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS service ON kyc_document.documents;
CREATE POLICY service ON kyc_document.documents TO document_user USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS partner ON kyc_document.documents;
CREATE POLICY partner ON kyc_document.documents FOR SELECT TO kyc_partner
	USING (case_id IN (SELECT p.case_id FROM kyc_document.case_partners p));
DROP POLICY IF EXISTS staff ON kyc_document.documents;
CREATE POLICY staff ON kyc_document.documents FOR SELECT TO kyc_reviewer, kyc_compliance_officer, kyc_admin
	USING (true);

GRANT USAGE ON SCHEMA kyc_document TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT SELECT (case_id) ON kyc_document.case_partners TO kyc_partner;
REVOKE ALL ON kyc_document.documents FROM kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT SELECT (id, case_id, document_type, status, file_name, mime_type, size_bytes, sha256, uploaded_at,
			  verified_at, expires_at, rejection_reason)
	ON kyc_document.documents TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

CREATE OR REPLACE VIEW api.documents WITH (security_invoker = true) AS
SELECT id, case_id, document_type, status, file_name, mime_type, size_bytes, sha256, uploaded_at, verified_at,
	   expires_at, rejection_reason
FROM kyc_document.documents;
COMMENT ON VIEW api.documents IS
'Document metadata and review status: a partner reads its own cases'' documents, reviewers and compliance officers all.';
GRANT SELECT ON api.documents TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

-- A partner registers a document for one of its own cases; to it, another
-- partner's case does not exist, exactly like a case that does not.
CREATE OR REPLACE FUNCTION api.register_document(case_id text, document_type text, file_name text, mime_type text,
												 size_bytes bigint, sha256 text, storage_uri text,
												 expires_at timestamptz DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	partner text := kyc_events.require_partner('registers documents');
	id uuid;
BEGIN
	PERFORM FROM kyc_document.case_partners p
	WHERE p.case_id OPERATOR(pg_catalog.=) register_document.case_id AND p.partner_id OPERATOR(pg_catalog.=) partner;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % does not exist', register_document.case_id
			USING ERRCODE = 'no_data_found',
				  HINT = 'A case reaches document_service through the relay a moment after onboarding creates it.';
	END IF;
	id := kyc_document.register_document(register_document.case_id, register_document.document_type,
										 register_document.file_name, register_document.mime_type,
										 register_document.size_bytes, register_document.sha256,
										 register_document.storage_uri, NULL, register_document.expires_at);
	RETURN id;
END
$$;
COMMENT ON FUNCTION api.register_document(text, text, text, text, bigint, text, text, timestamptz) IS
'Register a document''s metadata for one of the token''s partner''s cases, as kyc_document.register_document() checks it; returns its id.';
REVOKE ALL ON FUNCTION api.register_document(text, text, text, text, bigint, text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.register_document(text, text, text, text, bigint, text, text, timestamptz) TO kyc_partner;
