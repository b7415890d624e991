-- kyc_auditlog in auditlog_service: the seed's table, auditlog_user's
-- append-only rights, and the capture subscription make provision sets up.
\c auditlog_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(12);

SELECT has_extension('kyc_auditlog', 'kyc_auditlog is installed');
SELECT has_table('kyc_auditlog', 'audit_log_entries', 'audit_log_entries exists');
SELECT col_type_is('kyc_auditlog', 'audit_log_entries', 'integrity_hash', 'character varying(64)', 'integrity_hash is varchar(64)');
SELECT col_type_is('kyc_auditlog', 'audit_log_entries', 'timestamp', 'timestamp with time zone', 'timestamp is timestamptz');
SELECT table_privs_are('kyc_auditlog', 'audit_log_entries', 'auditlog_user', ARRAY['SELECT', 'INSERT'],
					   'auditlog_user appends and reads, nothing else');
SELECT table_privs_are('kyc_auditlog', 'blocks', 'auditlog_user', ARRAY['SELECT']);
SELECT function_privs_are('kyc_auditlog', 'verify', ARRAY['jsonb', 'bigint', 'bigint'], 'auditlog_user', ARRAY['EXECUTE']);
SELECT function_privs_are('kyc_auditlog', 'seal', ARRAY[]::text[], 'public', ARRAY[]::text[]);

SELECT is((SELECT topics FROM kyc_events.subscription WHERE name = 'capture_onboarding'),
		  ARRAY['audit.recorded'], 'the audit log subscribes to onboarding''s captured changes');
SELECT is((SELECT handler::text FROM kyc_events.subscription WHERE name = 'capture_onboarding'),
		  'kyc_auditlog.record_event(kyc_events.event)', '... with record_event as handler');

SET ROLE auditlog_user;
SELECT throws_ok($$UPDATE kyc_auditlog.audit_log_entries SET description = 'x'$$, '42501', NULL,
				 'auditlog_user cannot update entries');
SELECT throws_ok($$DELETE FROM kyc_auditlog.audit_log_entries$$, '42501', NULL,
				 'auditlog_user cannot delete entries');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
