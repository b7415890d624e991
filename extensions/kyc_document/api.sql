-- document_service's PostgREST API (make provision runs it after the
-- extension and the API roles exist; idempotent; run it again after a
-- restore, which does not keep row-level security on extension tables).
-- Views and functions only in api; row-level security decides the rows:
--   kyc_partner                                      its own cases' documents (case_partners)
--   kyc_reviewer                                     the documents of its cases and of the unassigned queue
--   kyc_compliance_officer, kyc_admin                every document
--   document_user                                    every document, and every write it had
CREATE SCHEMA IF NOT EXISTS api;
REVOKE ALL ON SCHEMA api FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
COMMENT ON SCHEMA api IS 'pgkyc''s document metadata API, for PostgREST: views and functions only, row-level security on the tables beneath.';

ALTER TABLE kyc_document.case_partners ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS partner ON kyc_document.case_partners;
CREATE POLICY partner ON kyc_document.case_partners FOR SELECT TO kyc_partner
	USING (partner_id OPERATOR(pg_catalog.=) kyc_events.request_partner());
-- A reviewer's cases, as onboarding shows them: assigned to the token's
-- user, or to no one yet.
DROP POLICY IF EXISTS reviewer ON kyc_document.case_partners;
CREATE POLICY reviewer ON kyc_document.case_partners FOR SELECT TO kyc_reviewer
	USING (assigned_to IS NULL OR assigned_to OPERATOR(pg_catalog.=) pg_catalog.current_setting('kyc.actor'));

ALTER TABLE kyc_document.documents ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS service ON kyc_document.documents;
CREATE POLICY service ON kyc_document.documents TO document_user USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS partner ON kyc_document.documents;
CREATE POLICY partner ON kyc_document.documents FOR SELECT TO kyc_partner
	USING (case_id IN (SELECT p.case_id FROM kyc_document.case_partners p));
DROP POLICY IF EXISTS staff ON kyc_document.documents;
DROP POLICY IF EXISTS reviewer ON kyc_document.documents;
CREATE POLICY reviewer ON kyc_document.documents FOR SELECT TO kyc_reviewer
	USING (case_id IN (SELECT p.case_id FROM kyc_document.case_partners p));
DROP POLICY IF EXISTS officer ON kyc_document.documents;
CREATE POLICY officer ON kyc_document.documents FOR SELECT TO kyc_compliance_officer, kyc_admin
	USING (true);

GRANT USAGE ON SCHEMA kyc_document TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT SELECT (case_id) ON kyc_document.case_partners TO kyc_partner, kyc_reviewer;
REVOKE ALL ON kyc_document.documents FROM kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT SELECT (id, case_id, document_type, status, file_name, mime_type, size_bytes, sha256, uploaded_at,
			  verified_at, expires_at, rejection_reason, document_number_sealed)
	ON kyc_document.documents TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc_document.reveal(text) TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

DROP VIEW IF EXISTS api.documents;
CREATE VIEW api.documents WITH (security_invoker = true) AS
SELECT id, case_id, document_type, status, file_name, mime_type, size_bytes, sha256, uploaded_at, verified_at,
	   expires_at, rejection_reason, kyc_document.reveal(document_number_sealed) AS document_number
FROM kyc_document.documents;
COMMENT ON VIEW api.documents IS
'Document metadata and review status: a partner reads its own cases'' documents, reviewers and compliance officers all. document_number is opened from its sealed column, and is null once the case is forgotten.';
GRANT SELECT ON api.documents TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

-- A partner registers a document for one of its own cases; to it, another
-- partner's case does not exist, exactly like a case that does not.
DROP FUNCTION IF EXISTS api.register_document(text, text, text, text, bigint, text, text, timestamptz);
CREATE OR REPLACE FUNCTION api.register_document(case_id text, document_type text, file_name text, mime_type text,
												 size_bytes bigint, sha256 text, storage_uri text,
												 expires_at timestamptz DEFAULT NULL, document_number text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	msg text;
	det text;
	hnt text;
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
										 register_document.storage_uri, NULL, register_document.expires_at,
										 register_document.document_number);
	RETURN id;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	-- A conflict with the case's state: 409 over HTTP, not 500.
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	PERFORM kyc_events.raise_http(409, SQLSTATE, msg, det, hnt);
END
$$;
COMMENT ON FUNCTION api.register_document(text, text, text, text, bigint, text, text, timestamptz, text) IS
'Register a document''s metadata for one of the token''s partner''s cases, as kyc_document.register_document() checks it; document_number is sealed at rest. Returns its id.';
REVOKE ALL ON FUNCTION api.register_document(text, text, text, text, bigint, text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.register_document(text, text, text, text, bigint, text, text, timestamptz, text) TO kyc_partner;

-- Every column described, for PostgREST's OpenAPI document.
COMMENT ON COLUMN api.documents.id IS 'Its id (a uuid).';
COMMENT ON COLUMN api.documents.case_id IS 'The case the document belongs to.';
COMMENT ON COLUMN api.documents.document_type IS 'Passport, NationalId, DrivingLicense, ProofOfAddress, ... (kyc_document.documents'' CHECK).';
COMMENT ON COLUMN api.documents.status IS 'Pending, Verified, Rejected or Expired.';
COMMENT ON COLUMN api.documents.file_name IS 'The uploaded file''s name.';
COMMENT ON COLUMN api.documents.mime_type IS 'The file''s MIME type, one of kyc_document.allowed_mime_types.';
COMMENT ON COLUMN api.documents.size_bytes IS 'The file''s size in bytes.';
COMMENT ON COLUMN api.documents.sha256 IS 'The file''s SHA-256, 64 lowercase hex digits.';
COMMENT ON COLUMN api.documents.uploaded_at IS 'When the document was registered.';
COMMENT ON COLUMN api.documents.verified_at IS 'When the document was verified.';
COMMENT ON COLUMN api.documents.expires_at IS 'When the document expires.';
COMMENT ON COLUMN api.documents.rejection_reason IS 'Why the document was rejected.';
COMMENT ON COLUMN api.documents.document_number IS 'The number printed on the document, opened from its sealed column; null once the case is forgotten.';
