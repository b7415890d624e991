-- kyc_auditlog in auditlog_service: the seed's table, auditlog_user's
-- append-only rights, and the capture subscription make provision sets up.
\c auditlog_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(12 + 9 + 11);

SELECT has_extension('kyc_auditlog', 'kyc_auditlog is installed');
SELECT has_table('kyc_auditlog', 'audit_log_entries', 'audit_log_entries exists');
SELECT col_type_is('kyc_auditlog', 'audit_log_entries', 'integrity_hash', 'character varying(64)', 'integrity_hash is varchar(64)');
SELECT col_type_is('kyc_auditlog', 'audit_log_entries', 'timestamp', 'timestamp with time zone', 'timestamp is timestamptz');
SELECT table_privs_are('kyc_auditlog', 'audit_log_entries', 'auditlog_user', ARRAY['SELECT'],
					   'auditlog_user reads entries, and has no table-wide write right');
SELECT column_privs_are('kyc_auditlog', 'audit_log_entries', 'event_type', 'auditlog_user', ARRAY['INSERT', 'SELECT'],
						'auditlog_user states the event');
SELECT column_privs_are('kyc_auditlog', 'audit_log_entries', c, 'auditlog_user', ARRAY['SELECT'],
						format('auditlog_user cannot state %s, which is the server''s', c))
FROM unnest(ARRAY['id', 'entry_seq', 'xid', 'timestamp', 'integrity_hash', 'integrity_verified']) c;
SELECT cmp_ok((SELECT count(*)::int FROM pg_inherits WHERE inhparent = 'kyc_auditlog.audit_log_entries'::regclass),
			  '>=', 4, 'make provision made this month''s and the next two months'' partitions');
SELECT table_privs_are('kyc_auditlog', 'blocks', 'auditlog_user', ARRAY['SELECT']);
SELECT function_privs_are('kyc_auditlog', 'verify', ARRAY['jsonb', 'bigint', 'bigint'], 'auditlog_user', ARRAY['EXECUTE']);
SELECT function_privs_are('kyc_auditlog', 'seal', ARRAY[]::text[], 'public', ARRAY[]::text[]);

SELECT is((SELECT topics FROM kyc_events.subscription WHERE name = 'capture_onboarding'),
		  ARRAY['audit.recorded'], 'the audit log subscribes to onboarding''s captured changes');
SELECT is((SELECT handler::text FROM kyc_events.subscription WHERE name = 'capture_onboarding'),
		  'kyc_auditlog.record_event(kyc_events.event)', '... with record_event as handler');

-- The API's errors, each with its SQLSTATE.
SELECT throws_ok($$SELECT kyc_auditlog.row_hash(NULL)$$, '22004', NULL, 'row_hash(NULL) is refused');
SELECT throws_ok($$SELECT * FROM kyc_auditlog.verify(NULL, 0)$$, '22023', NULL, 'a block range from 0 is refused');
SELECT throws_ok($$SELECT * FROM kyc_auditlog.verify(NULL, 5, 4)$$, '22023', NULL, 'an empty block range is refused');
SELECT throws_ok($$SELECT * FROM kyc_auditlog.verify('{"block_id": 1}')$$, '22023', NULL, 'a digest without block_hash is refused');
SELECT throws_ok($$SELECT kyc_auditlog.proof(NULL)$$, '22004', NULL, 'proof(NULL) is refused');
SELECT throws_ok($$SELECT kyc_auditlog.proof(gen_random_uuid())$$, 'P0002', NULL, 'proof of an unknown entry is reported');
SELECT throws_ok($$CALL kyc_auditlog.seal_every('0 seconds')$$, '22023', NULL, 'a zero seal interval is refused');
SELECT throws_ok($$INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
				   VALUES ('x.y', 'Case', 'K', 'u', 'Approved', 'KYC')$$, '23514', NULL, 'an action outside the seed''s list is refused');
SELECT throws_ok($$ALTER TABLE kyc_auditlog.audit_log_entries ADD COLUMN x int$$, '2F003', NULL,
				 'DDL on audit objects needs maintenance mode');
SELECT throws_ok($$SELECT kyc_auditlog.ensure_partitions(121)$$, '22023', NULL, 'ten years of partitions ahead is the most');

SET ROLE auditlog_user;
SELECT throws_ok($$UPDATE kyc_auditlog.audit_log_entries SET description = 'x'$$, '42501', NULL,
				 'auditlog_user cannot update entries');
SELECT throws_ok($$DELETE FROM kyc_auditlog.audit_log_entries$$, '42501', NULL,
				 'auditlog_user cannot delete entries');
SELECT throws_ok($$INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category, "timestamp")
				   VALUES ('x.y', 'Case', 'K', 'u', 'Create', 'KYC', now())$$, '42501', NULL,
				 'auditlog_user cannot state the time');
SELECT lives_ok($$INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
				  VALUES ('x.y', 'Case', 'K', 'u', 'Create', 'KYC')$$, 'auditlog_user appends');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
