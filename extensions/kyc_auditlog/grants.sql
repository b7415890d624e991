-- Least privilege for auditlog_user on kyc_auditlog; run by make provision
-- with psql variable role.  The service appends and reads; nothing else.
GRANT USAGE ON SCHEMA kyc_auditlog TO :"role";
GRANT SELECT, INSERT ON kyc_auditlog.audit_log_entries TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.row_hash(kyc_auditlog.audit_log_entries) TO :"role";
GRANT SELECT ON kyc_auditlog.blocks, kyc_auditlog.digests TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.seal() TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.digest() TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify(jsonb, bigint, bigint) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.proof(uuid) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify_between(timestamptz, timestamptz, jsonb) TO :"role";
