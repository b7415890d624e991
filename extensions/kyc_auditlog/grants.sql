-- Least privilege for auditlog_user on kyc_auditlog; run by make provision
-- with psql variable role.  The service appends and reads; nothing else.
GRANT USAGE ON SCHEMA kyc_auditlog TO :"role";
GRANT SELECT ON kyc_auditlog.audit_log_entries TO :"role";
-- Only the columns a writer states; id, entry_seq, xid, "timestamp" and the
-- integrity columns are the server's.
GRANT INSERT (event_type, entity_type, entity_id, case_id, user_id, user_role, action, description,
			  previous_values, new_values, ip_address, user_agent, session_id, severity,
			  compliance_category)
	ON kyc_auditlog.audit_log_entries TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.row_hash(kyc_auditlog.audit_log_entries) TO :"role";
GRANT SELECT ON kyc_auditlog.blocks, kyc_auditlog.digests, kyc_auditlog.retired_partitions TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.seal() TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.digest() TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify(jsonb, bigint, bigint) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.proof(uuid) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify_between(timestamptz, timestamptz, jsonb) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.mark_verified(jsonb) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.ensure_partitions(integer) TO :"role";
