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
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify_part(integer, integer, bigint, jsonb) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.proof(uuid) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify_between(timestamptz, timestamptz, jsonb) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_auditlog.ensure_partitions(integer) TO :"role";
-- Marking entries verified is an auditor's call, not the writer's: an
-- earlier provision granted it to the service, so take it back.  Nobody
-- has any right on maintenance_locks, the locks sealing runs under.
REVOKE EXECUTE ON FUNCTION kyc_auditlog.mark_verified(jsonb) FROM :"role";

-- kyc_auditor: the role whose members may mark entries verified.  NOLOGIN;
-- grant it to the auditors' own login roles, never to a service role.  It
-- reads the ledger, takes digests, verifies, and calls mark_verified().
SELECT 'CREATE ROLE kyc_auditor NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kyc_auditor') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO kyc_auditor', current_database()) \gexec
GRANT USAGE ON SCHEMA kyc_auditlog TO kyc_auditor;
GRANT SELECT ON kyc_auditlog.audit_log_entries, kyc_auditlog.blocks, kyc_auditlog.digests,
	kyc_auditlog.retired_partitions TO kyc_auditor;
GRANT EXECUTE ON FUNCTION kyc_auditlog.row_hash(kyc_auditlog.audit_log_entries) TO kyc_auditor;
GRANT EXECUTE ON FUNCTION kyc_auditlog.digest() TO kyc_auditor;
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify(jsonb, bigint, bigint) TO kyc_auditor;
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify_part(integer, integer, bigint, jsonb) TO kyc_auditor;
GRANT EXECUTE ON FUNCTION kyc_auditlog.verify_between(timestamptz, timestamptz, jsonb) TO kyc_auditor;
GRANT EXECUTE ON FUNCTION kyc_auditlog.proof(uuid) TO kyc_auditor;
GRANT EXECUTE ON FUNCTION kyc_auditlog.mark_verified(jsonb) TO kyc_auditor;
-- What each nightly verification found (kyc_events.health() reports the last).
GRANT SELECT ON kyc_auditlog.verify_runs TO :"role";
GRANT SELECT ON kyc_auditlog.verify_runs TO kyc_auditor;
