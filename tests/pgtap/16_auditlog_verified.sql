-- Issue 10 review, F5: mark_verified() took a digest made on the spot, so
-- the service could call digest() and at once mark everything verified,
-- and "verified" said nothing an independent check had found.  Now only
-- kyc_auditor members may call it, and only with digests that digest()
-- handed out at least kyc_auditlog.verify_min_age (an hour) before.
\c auditlog_service
-- An entry committed and sealed before the test's transaction, which would
-- otherwise hold back the sealing horizon.
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
VALUES ('verify.test', 'Test', 'VER-1', 'pgtap', 'Create', 'KYC');
SELECT kyc_auditlog.seal() AS sealed \gset
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(10);

-- A digest handed out now, and the same block's digest as handed out two
-- hours ago (a superuser writes the record: digests are append-only).
SELECT kyc_auditlog.digest() AS fresh \gset
INSERT INTO kyc_auditlog.digests (digest, created_at)
SELECT d.digest || jsonb_build_object('digest_at', now() - interval '2 hours'), now() - interval '2 hours'
FROM kyc_auditlog.digests d WHERE d.digest = :'fresh'::jsonb
RETURNING digest AS old \gset
CREATE ROLE tap_auditor IN ROLE kyc_auditor;

SELECT function_privs_are('kyc_auditlog', 'mark_verified', ARRAY['jsonb'], 'auditlog_user', ARRAY[]::text[],
						  'auditlog_user, who writes the entries, may not mark them verified');
SET ROLE auditlog_user;
SELECT throws_ok($$SELECT kyc_auditlog.mark_verified(kyc_auditlog.digest())$$, '42501', NULL,
				 'auditlog_user cannot vouch for the ledger with a digest made on the spot');
SELECT throws_ok(format('SELECT kyc_auditlog.mark_verified(%L)', :'old'), '42501', NULL,
				 'nor with an old one');
RESET ROLE;

SET ROLE tap_auditor;
SELECT throws_ok($$SELECT kyc_auditlog.mark_verified(kyc_auditlog.digest())$$, '55000', NULL,
				 'an auditor cannot verify against a digest made on the spot');
SELECT throws_ok(format('SELECT kyc_auditlog.mark_verified(%L)', :'fresh'), '55000', NULL,
				 'nor against one handed out less than verify_min_age ago');
SELECT throws_ok(format('SELECT kyc_auditlog.mark_verified(%L)', jsonb_build_array(:'old'::jsonb, :'fresh'::jsonb)),
				 '55000', NULL, 'every digest given must be old enough');
SELECT throws_ok(format('SELECT kyc_auditlog.mark_verified(%L)', :'old'::jsonb || '{"entries": -1}'), '22023', NULL,
				 'a digest that digest() never handed out is refused');
SELECT throws_ok($$SET kyc_auditlog.verify_min_age = 0$$, '42501', NULL,
				 'an auditor cannot lower verify_min_age');
SELECT cmp_ok(kyc_auditlog.mark_verified(:'old'), '>=', 1::bigint,
			  'a digest handed out two hours ago marks the entries its block covers');
SELECT ok((SELECT bool_and(integrity_verified) FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'VER-1'),
		  'the entry sealed before it among them');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
