-- Least privilege for document_user on kyc_document; run by make provision
-- with psql variable role.  The API functions run with the caller's rights,
-- so the service holds exactly the column rights they (and a plain
-- INSERT or UPDATE by the service) need; the triggers check every write.
-- Content columns, stamps, verified_at and ids cannot be written by the
-- service at all; documents are regulated records, so no DELETE.
GRANT USAGE ON SCHEMA kyc_document TO :"role";
GRANT SELECT ON kyc_document.documents, kyc_document.allowed_mime_types TO :"role";
GRANT INSERT (case_id, applicant_id, document_type, file_name, mime_type, size_bytes,
			  sha256, storage_uri, expires_at, document_number)
	ON kyc_document.documents TO :"role";
GRANT UPDATE (status, reviewer, rejection_reason, expires_at, applicant_id)
	ON kyc_document.documents TO :"role";
GRANT EXECUTE ON FUNCTION kyc_document.register_document(text, text, text, text, bigint, text, text, uuid, timestamptz, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_document.verify_document(uuid, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_document.reject_document(uuid, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_document.expire_documents() TO :"role";
-- Document numbers (pii.c): the service reveals what it may read; it
-- never reads a data key (case_keys is the owner's).
GRANT EXECUTE ON FUNCTION kyc_document.reveal(text) TO :"role";
