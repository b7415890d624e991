-- kyc_auditlog: sealing into Merkle blocks, digests, and verify() catching
-- every kind of tampering a superuser can do with the triggers off.
\set SHOW_CONTEXT never
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.add_entries(n int, prefix text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kyc_auditlog.audit_log_entries
		(event_type, entity_type, entity_id, user_id, action, compliance_category, new_values)
	SELECT 'case.status_changed', 'Case', prefix || i, 'analyst-' || (i % 3), 'Update', 'KYC',
		   jsonb_build_object('n', i)
	FROM generate_series(1, n) i
$$;

-- Start from the entries earlier tests left, sealed.
SELECT kyc_auditlog.seal() >= 0 AS sealed_earlier;
-- Twelve transactions of a thousand entries, so blocks span several xids.
SELECT format('SELECT pg_temp.add_entries(1000, %L)', 'S' || i || '-') FROM generate_series(1, 12) i \gexec
SELECT kyc_auditlog.seal() AS sealed;
SELECT kyc_auditlog.seal() AS sealed_again;
SELECT count(*) AS blocks, sum(entry_count) = (SELECT count(*) FROM kyc_auditlog.audit_log_entries) AS all_sealed,
	   bool_and(block_hash ~ '^[0-9a-f]{64}$') AS hex_hashes
FROM kyc_auditlog.blocks;
SELECT b.block_id, b.prev_hash = coalesce(p.block_hash, repeat('0', 64)) AS linked
FROM kyc_auditlog.blocks b LEFT JOIN kyc_auditlog.blocks p ON p.block_id = b.block_id - 1
ORDER BY b.block_id;

-- A digest, kept locally too.
SELECT kyc_auditlog.digest() AS d \gset
SELECT :'d'::jsonb ?& ARRAY['database', 'system_identifier', 'block_id', 'block_hash', 'entries',
							'last_entry_at', 'digest_at'] AS complete,
	   (:'d'::jsonb->>'block_id')::bigint = (SELECT max(block_id) FROM kyc_auditlog.blocks) AS latest,
	   (SELECT count(*) FROM kyc_auditlog.digests) AS kept;

-- Intact: no rows, with or without the digest, whole or by range.
SELECT count(*) AS problems FROM kyc_auditlog.verify();
SELECT count(*) AS problems FROM kyc_auditlog.verify(:'d');
SELECT count(*) AS problems FROM kyc_auditlog.verify(NULL, 2, 2);
SELECT count(*) AS problems FROM kyc_auditlog.verify_between(now() - interval '1 hour', now() + interval '1 hour');

-- Blocks and digests are append-only too.
UPDATE kyc_auditlog.blocks SET merkle_root = repeat('0', 64);
DELETE FROM kyc_auditlog.digests;

-- Tampering, each kind in its own transaction, rolled back afterwards.
SELECT first_entry AS b2_first FROM kyc_auditlog.blocks WHERE block_id = 2 \gset
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.audit_log_entries SET description = 'edited' WHERE entry_seq = :b2_first + 1;
SELECT block_id, entry_id IS NOT NULL AS names_entry, problem FROM kyc_auditlog.verify(:'d');
SELECT count(*) AS found_by_time FROM kyc_auditlog.verify_between(now() - interval '1 hour', now() + interval '1 hour');
SELECT count(*) AS found_outside_range FROM kyc_auditlog.verify_between('2000-01-01', '2000-01-02');
ROLLBACK;

-- Deleting the last block's first entry does not take the block out of a
-- time range: blocks are chosen by the entry times they hashed.
SELECT block_id AS last_block, first_entry AS last_first FROM kyc_auditlog.blocks
ORDER BY block_id DESC LIMIT 1 \gset
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM kyc_auditlog.audit_log_entries WHERE entry_seq = :last_first;
SELECT block_id = :last_block AS last_block, problem
FROM kyc_auditlog.verify_between(now() - interval '1 hour', now() + interval '1 hour');
ROLLBACK;

-- With a digest, a block range is checked up to the digest's block: a
-- link broken after the range is found.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.blocks SET prev_hash = repeat('a', 64) WHERE block_id = 3;
SELECT block_id, problem FROM kyc_auditlog.verify(:'d', 1, 2);
SELECT count(*) AS without_digest FROM kyc_auditlog.verify(NULL, 1, 2);
ROLLBACK;

-- The row and its hash rewritten together: the Merkle root gives it away.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.audit_log_entries e SET description = 'edited' WHERE entry_seq = :b2_first + 1;
UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e) WHERE entry_seq = :b2_first + 1;
SELECT block_id, entry_id IS NOT NULL AS names_entry, problem FROM kyc_auditlog.verify(:'d');
ROLLBACK;

-- Two rows' contents swapped, hashes recomputed: reordering.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.audit_log_entries a SET entity_id = b.entity_id, new_values = b.new_values
FROM kyc_auditlog.audit_log_entries b
WHERE (a.entry_seq, b.entry_seq) IN ((:b2_first, :b2_first + 1), (:b2_first + 1, :b2_first));
UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e)
WHERE entry_seq IN (:b2_first, :b2_first + 1);
SELECT block_id, problem FROM kyc_auditlog.verify(:'d');
ROLLBACK;

-- A row deleted, and a row slipped into a sealed range.
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM kyc_auditlog.audit_log_entries WHERE entry_seq = :b2_first + 2;
SELECT block_id, problem FROM kyc_auditlog.verify(:'d');
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO kyc_auditlog.audit_log_entries
	(entry_seq, xid, event_type, entity_type, entity_id, user_id, action, compliance_category, integrity_hash)
OVERRIDING SYSTEM VALUE
SELECT :b2_first + 1000000, first_xid, 'x.y', 'Case', 'KYC-FAKE', 'mallory', 'Create', 'KYC', repeat('a', 64)
FROM kyc_auditlog.blocks WHERE block_id = 2;
SELECT block_id, entry_id IS NOT NULL AS names_entry, problem FROM kyc_auditlog.verify(:'d') ORDER BY block_id, problem;
ROLLBACK;

-- A row slipped in between two blocks, with a valid hash of its own.
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO kyc_auditlog.audit_log_entries
	(entry_seq, xid, event_type, entity_type, entity_id, user_id, action, compliance_category, integrity_hash)
OVERRIDING SYSTEM VALUE
SELECT 0, '1', 'x.y', 'Case', 'KYC-BACKDATED', 'mallory', 'Create', 'KYC', repeat('a', 64);
UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e) WHERE entity_id = 'KYC-BACKDATED';
SELECT block_id, problem FROM kyc_auditlog.verify(:'d');
ROLLBACK;

-- A block rewritten: its hash no longer covers it; a link rewritten: broken.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.blocks SET sealed_at = sealed_at + interval '1 second' WHERE block_id = 2;
SELECT block_id, problem FROM kyc_auditlog.verify(:'d');
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.blocks SET prev_hash = repeat('1', 64) WHERE block_id = 2;
SELECT block_id, problem FROM kyc_auditlog.verify(NULL, 2, 2);
ROLLBACK;

-- A proof: the entry, its block, a path as long as the tree is deep, the
-- chain to the latest block.
SELECT id AS e FROM kyc_auditlog.audit_log_entries WHERE entry_seq = :b2_first + 3 \gset
SELECT p->>'entry_id' = :'e' AS entry, p->'block'->>'block_id' AS block,
	   jsonb_array_length(p->'path') AS path_steps, jsonb_array_length(p->'chain') AS later_blocks,
	   p->>'row_hash' = (SELECT integrity_hash FROM kyc_auditlog.audit_log_entries WHERE id = :'e') AS row_hash
FROM kyc_auditlog.proof(:'e') p;
SELECT kyc_auditlog.proof(NULL);
SELECT kyc_auditlog.proof('00000000-0000-4000-8000-00000000dead');

-- The sealing loop pg_cron runs: seals, commits, sleeps, seals again.
SELECT pg_temp.add_entries(3, 'L-');
CALL kyc_auditlog.seal_every('0.1 seconds', '0.25 seconds');
SELECT count(*) AS unsealed FROM kyc_auditlog.audit_log_entries e
WHERE (e.xid, e.entry_seq) > (SELECT last_xid, last_entry FROM kyc_auditlog.blocks ORDER BY block_id DESC LIMIT 1);
CALL kyc_auditlog.seal_every('0 seconds');

-- Bad arguments.
SELECT * FROM kyc_auditlog.verify(NULL, 0);
SELECT * FROM kyc_auditlog.verify(NULL, 3, 2);
SELECT * FROM kyc_auditlog.verify('{"block_id": 1}');
SELECT * FROM kyc_auditlog.verify(jsonb_build_array(jsonb_build_object('block_id', 99999, 'block_hash', repeat('0', 64))));
SELECT * FROM kyc_auditlog.verify('[{"block_id": 99999, "block_hash": "00"}]');

-- Past maintenance_work_mem (1MB holds 21,845 entries' records), verify()
-- puts the entries in order with a sort that spills to disk, and finds the
-- same problems: two rows of a sealed block swapped, and a row slipped in
-- before every block, which comes out of order.
SELECT format('SELECT pg_temp.add_entries(1000, %L)', 'M' || i || '-') FROM generate_series(1, 12) i \gexec
SELECT kyc_auditlog.seal() > 0 AS sealed;
SELECT kyc_auditlog.digest() AS d2 \gset
SELECT min(entry_seq) AS m_first FROM kyc_auditlog.audit_log_entries WHERE entity_id LIKE 'M5-%' \gset
SET maintenance_work_mem = '1MB';
SELECT count(*) > 21845 AS past_memory FROM kyc_auditlog.audit_log_entries;
SELECT count(*) AS problems FROM kyc_auditlog.verify(:'d2');
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.audit_log_entries a SET entity_id = b.entity_id, new_values = b.new_values
FROM kyc_auditlog.audit_log_entries b
WHERE (a.entry_seq, b.entry_seq) IN ((:m_first, :m_first + 1), (:m_first + 1, :m_first));
UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e)
WHERE entry_seq IN (:m_first, :m_first + 1);
INSERT INTO kyc_auditlog.audit_log_entries
	(entry_seq, xid, event_type, entity_type, entity_id, user_id, action, compliance_category, integrity_hash)
OVERRIDING SYSTEM VALUE
SELECT 0, '1', 'x.y', 'Case', 'KYC-BACKDATED', 'mallory', 'Create', 'KYC', repeat('a', 64);
UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e) WHERE entity_id = 'KYC-BACKDATED';
SELECT block_id = (SELECT block_id FROM kyc_auditlog.blocks WHERE :m_first BETWEEN first_entry AND last_entry) AS m5_block,
	   problem
FROM kyc_auditlog.verify(:'d2') ORDER BY 1, 2;
ROLLBACK;
RESET maintenance_work_mem;

-- verify_part(): the parts of verify(), for several sessions at once.
-- However the blocks are split, the parts' reports together are verify()'s,
-- each once: intact; then with a row changed, a row slipped in between two
-- blocks where one transaction's entries end, a block's hash changed, a
-- block deleted, and a digest that names a missing block.
SELECT max(block_id) AS through FROM kyc_auditlog.blocks \gset
CREATE FUNCTION pg_temp.same_as_verify(digests jsonb, parts int) RETURNS boolean LANGUAGE sql AS $$
	SELECT (SELECT array_agg(r ORDER BY r) FROM kyc_auditlog.verify(digests) v,
				   format('%s|%s|%s', v.block_id, v.entry_id, v.problem) r)
		   IS NOT DISTINCT FROM
		   (SELECT array_agg(r ORDER BY r)
			FROM generate_series(1, parts) k,
				 kyc_auditlog.verify_part(k, parts, (SELECT max(block_id) FROM kyc_auditlog.blocks), digests) p,
				 format('%s|%s|%s', p.block_id, p.entry_id, p.problem) r)
$$;
SELECT n AS parts, pg_temp.same_as_verify(:'d2', n) AS same_as_verify
FROM unnest(ARRAY[1, 2, 3, 7, :through, :through + 3]) n;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE kyc_auditlog.audit_log_entries SET description = 'edited' WHERE entry_seq = :m_first + 5;
INSERT INTO kyc_auditlog.audit_log_entries
	(entry_seq, xid, event_type, entity_type, entity_id, user_id, action, compliance_category, integrity_hash)
OVERRIDING SYSTEM VALUE
SELECT b.last_entry + 1000000, b.last_xid, 'x.y', 'Case', 'KYC-BETWEEN', 'mallory', 'Create', 'KYC', repeat('a', 64)
FROM kyc_auditlog.blocks b JOIN kyc_auditlog.blocks n ON n.block_id = b.block_id + 1
WHERE n.first_xid > b.last_xid ORDER BY b.block_id LIMIT 1;
UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e) WHERE entity_id = 'KYC-BETWEEN';
UPDATE kyc_auditlog.blocks SET sealed_at = sealed_at + interval '1 second' WHERE block_id = 3;
DELETE FROM kyc_auditlog.blocks WHERE block_id = :through - 1;
SELECT jsonb_build_array(:'d2'::jsonb, jsonb_build_object('block_id', :through - 1, 'block_hash', repeat('0', 64)))
	AS d3 \gset
SELECT v.block_id, v.entry_id IS NOT NULL AS names_entry, v.problem
FROM kyc_auditlog.verify(:'d3') v ORDER BY 1, 3;
SELECT n AS parts, pg_temp.same_as_verify(:'d3', n) AS same_as_verify
FROM unnest(ARRAY[1, 2, 3, 7, :through, :through + 3]) n;
ROLLBACK;
-- The oldest blocks deleted with their rows: the first block left must link
-- to all zeros, in every part as in verify() (hostile review of this test).
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM kyc_auditlog.audit_log_entries e USING kyc_auditlog.blocks b
WHERE b.block_id <= 2 AND (e.xid, e.entry_seq) BETWEEN (b.first_xid, b.first_entry) AND (b.last_xid, b.last_entry);
DELETE FROM kyc_auditlog.blocks WHERE block_id <= 2;
SELECT v.block_id, v.problem FROM kyc_auditlog.verify(:'d2') v ORDER BY 1, 2;
SELECT n AS parts, pg_temp.same_as_verify(:'d2', n) AS same_as_verify
FROM unnest(ARRAY[1, 2, 3, 7, :through, :through + 3]) n;
ROLLBACK;
-- A row below every key the server gives, xid 0 and entry_seq -1, is read
-- too (it once fell below verify()'s lower bound, and was never checked).
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO kyc_auditlog.audit_log_entries
	(entry_seq, xid, event_type, entity_type, entity_id, user_id, action, compliance_category, integrity_hash)
OVERRIDING SYSTEM VALUE
SELECT -1, '0', 'x.y', 'Case', 'KYC-BELOW', 'mallory', 'Create', 'KYC', repeat('a', 64);
SELECT v.block_id, v.problem FROM kyc_auditlog.verify(:'d2') v ORDER BY 1, 2;
SELECT n AS parts, pg_temp.same_as_verify(:'d2', n) AS same_as_verify FROM unnest(ARRAY[2, :through]) n;
ROLLBACK;
SELECT kyc_auditlog.verify_part(0, 2, 1);
SELECT kyc_auditlog.verify_part(3, 2, 1);
SELECT kyc_auditlog.verify_part(1, 0, 1);
SELECT kyc_auditlog.verify_part(1, 2, -1);
SELECT kyc_auditlog.verify_part(NULL, 2, 1);
