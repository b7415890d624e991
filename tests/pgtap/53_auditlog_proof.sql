-- proof() in auditlog_service, as auditlog_user: the Merkle path it gives
-- folds the entry's row hash up to its block's Merkle root, step by step
-- (leaf SHA-256(0x00 || hash), node SHA-256(0x01 || left || right)), as
-- kyc-audit-verify folds it.  Every step's hash must be its own: proof()
-- builds the path as jsonb, and a step that shared one buffer with the
-- next would fold to another root.
\c auditlog_service
-- Four entries of one transaction, sealed before the test's transaction,
-- which would otherwise hold back the sealing horizon.
SET ROLE auditlog_user;
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, case_id, user_id, action,
											 description, compliance_category)
SELECT 'proof.test', 'Case', 'KYC-PROOF-' || i, 'KYC-PROOF-' || i, 'analyst-jane', 'Create', 'proof path', 'KYC'
FROM generate_series(1, 4) i;
SELECT kyc_auditlog.seal() AS sealed \gset
RESET ROLE;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(4);

SET ROLE auditlog_user;
SELECT id AS entry, kyc_auditlog.proof(id) AS proof FROM kyc_auditlog.audit_log_entries
WHERE entity_id = 'KYC-PROOF-3' ORDER BY entry_seq DESC LIMIT 1 \gset
SELECT cmp_ok(jsonb_array_length(:'proof'::jsonb -> 'path'), '>=', 2, 'the entry''s path has two steps or more');
SELECT is((SELECT count(DISTINCT s->>'hash')::int FROM jsonb_array_elements(:'proof'::jsonb -> 'path') s),
		  jsonb_array_length(:'proof'::jsonb -> 'path'), 'each step has a hash of its own');
SELECT is((WITH RECURSIVE step AS (
			   SELECT n, s->>'side' AS side, decode(s->>'hash', 'hex') AS hash
			   FROM jsonb_array_elements(:'proof'::jsonb -> 'path') WITH ORDINALITY AS t(s, n)),
		   fold(n, node) AS (
			   SELECT 0::bigint, sha256('\x00'::bytea || decode(:'proof'::jsonb ->> 'row_hash', 'hex'))
			   UNION ALL
			   SELECT step.n, sha256('\x01'::bytea || CASE WHEN step.side = 'left' THEN step.hash || fold.node
														   ELSE fold.node || step.hash END)
			   FROM fold JOIN step ON step.n = fold.n + 1)
		   SELECT encode(node, 'hex') FROM fold ORDER BY n DESC LIMIT 1),
		  :'proof'::jsonb -> 'block' ->> 'merkle_root', 'the path folds the row hash up to the block''s Merkle root');
SELECT is(:'proof'::jsonb ->> 'row_hash',
		  (SELECT integrity_hash::text FROM kyc_auditlog.audit_log_entries WHERE id = :'entry'),
		  'from the entry''s stored hash');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
