-- Least privilege for auditlog_user on kyc_auditlog; run by make provision
-- with psql variable role.  The service appends and reads; nothing else.
GRANT USAGE ON SCHEMA kyc_auditlog TO :"role";
GRANT SELECT, INSERT ON kyc_auditlog.audit_log_entries TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.row_hash(kyc_auditlog.audit_log_entries) TO :"role";
