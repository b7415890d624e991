-- Role matrix, auditlog_service: every function of docs/kyc_auditlog.md as
-- auditlog_user (an entry written, sealed, digested, verified and proven),
-- mark_verified() as a kyc_auditor member with an hour-old digest, and
-- what is a superuser's or pg_cron's refused to the service.
\c auditlog_service
-- An entry written and sealed by the service before the test's transaction,
-- which would otherwise hold back the sealing horizon.
SET ROLE auditlog_user;
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, case_id, user_id, action,
											 description, compliance_category)
VALUES ('matrix.test', 'Case', 'KYC-MATRIX-A1', 'KYC-MATRIX-A1', 'analyst-jane', 'Create', 'role matrix', 'KYC');
SELECT kyc_auditlog.seal() AS sealed \gset
RESET ROLE;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(11 + 6 + 3);
CREATE TEMP TABLE t_matrix (id int);
GRANT ALL ON t_matrix TO PUBLIC;
-- The digest an auditor got two hours ago (a superuser back-dates it:
-- digests are append-only).
SELECT kyc_auditlog.digest() AS fresh \gset
INSERT INTO kyc_auditlog.digests (digest, created_at)
SELECT d.digest || jsonb_build_object('digest_at', now() - interval '2 hours'), now() - interval '2 hours'
FROM kyc_auditlog.digests d WHERE d.digest = :'fresh'::jsonb
RETURNING digest AS old \gset
CREATE ROLE matrix_auditor IN ROLE kyc_auditor;

SET ROLE auditlog_user;
SELECT id AS entry FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'KYC-MATRIX-A1' \gset
SELECT ok(:'sealed'::bigint >= 1, 'seal() as auditlog_user sealed its entry');
SELECT is((SELECT kyc_auditlog.row_hash(e) = e.integrity_hash FROM kyc_auditlog.audit_log_entries e WHERE id = :'entry'),
		  true, 'row_hash() as auditlog_user matches the stored hash');
SELECT is((SELECT kyc_auditlog.is_sha256_hex(e.integrity_hash) FROM kyc_auditlog.audit_log_entries e WHERE id = :'entry'),
		  true, 'is_sha256_hex() as auditlog_user takes the stored hash');
SELECT ok(kyc_auditlog.digest() ? 'block_hash', 'digest() as auditlog_user');
SELECT is((SELECT count(*)::int FROM kyc_auditlog.verify(kyc_auditlog.digest())), 0, 'verify() as auditlog_user finds nothing wrong');
SELECT is((SELECT count(*)::int FROM kyc_auditlog.verify_between(now() - interval '1 day', now() + interval '1 day')), 0,
		  'verify_between() as auditlog_user too');
SELECT is((SELECT count(*)::int FROM generate_series(1, 3) k,
				  kyc_auditlog.verify_part(k, 3, (SELECT max(block_id) FROM kyc_auditlog.blocks), kyc_auditlog.digest())), 0,
		  'verify_part() as auditlog_user, in three parts');
SELECT is(kyc_auditlog.proof(:'entry')->>'entry_id', :'entry', 'proof() as auditlog_user proves the entry');
SELECT lives_ok($$SELECT kyc_auditlog.ensure_partitions(2)$$, 'ensure_partitions() as auditlog_user');
SELECT lives_ok($$INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
				  VALUES ('matrix.test', 'Case', 'KYC-MATRIX-A2', 'analyst-jane', 'Update', 'KYC')$$,
				'auditlog_user writes an entry');
SELECT throws_ok($$UPDATE kyc_auditlog.audit_log_entries SET description = 'x'$$, '42501', NULL,
				 'but cannot change one');

SELECT throws_ok(format('SELECT kyc_auditlog.mark_verified(%L)', :'old'), '42501', NULL,
				 'mark_verified() is refused to auditlog_user');
SELECT throws_ok($$SELECT kyc_auditlog.drop_expired_partitions()$$, '42501', NULL, 'drop_expired_partitions() too');
SELECT throws_ok($$CALL kyc_auditlog.seal_every()$$, '42501', NULL, 'seal_every() too (pg_cron runs it)');
SELECT throws_ok($$SELECT kyc_auditlog.record_event(ROW('onboarding', 1, '1', 'audit.recorded', 'KYC-X', '{}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'record_event() is the relay''s');
SELECT throws_ok($$CREATE TRIGGER t BEFORE INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_hash()$$,
				 '42501', NULL, 'entry_hash() cannot be attached by auditlog_user');
SELECT throws_ok($$CREATE TRIGGER t BEFORE UPDATE ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable()$$,
				 '42501', NULL, 'nor entry_immutable()');
RESET ROLE;

SET ROLE matrix_auditor;
SELECT cmp_ok(kyc_auditlog.mark_verified(:'old'), '>=', 1::bigint, 'mark_verified() as a kyc_auditor member');
SELECT ok((SELECT integrity_verified FROM kyc_auditlog.audit_log_entries WHERE id = :'entry'), 'marks the sealed entry verified');
RESET ROLE;

SELECT lives_ok($$SELECT kyc_auditlog.drop_expired_partitions()$$, 'drop_expired_partitions() as a superuser');

SELECT * FROM finish();
ROLLBACK;
