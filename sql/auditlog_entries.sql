-- kyc_auditlog: per-row SHA-256 over a canonical encoding, server-set time,
-- and an append-only table, for its owner too.
\set SHOW_CONTEXT never
CREATE ROLE regress_audit_nobody;

-- Entries live in monthly partitions, made ahead; no month has one yet.
SELECT count(*) AS months FROM pg_inherits WHERE inhparent = 'kyc_auditlog.audit_log_entries'::regclass;
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
VALUES ('x.y', 'Case', 'KYC-A0', 'u', 'Create', 'KYC');
SELECT kyc_auditlog.ensure_partitions() AS created, kyc_auditlog.ensure_partitions() AS created_again;

-- The server sets the id, the time, the transaction and the hash; the
-- owner, who may name those columns, cannot.
INSERT INTO kyc_auditlog.audit_log_entries
	(id, event_type, entity_type, entity_id, case_id, user_id, user_role, action, description,
	 previous_values, new_values, "timestamp", ip_address, user_agent, session_id, severity,
	 compliance_category, integrity_hash, integrity_verified)
VALUES ('00000000-0000-0000-0000-000000000000', 'case.status_changed', 'Case', 'KYC-A1', 'KYC-A1',
		'reviewer-bob', 'Reviewer', 'Approve',
		'Approved after review', '{"status": "PendingReview"}', '{"status": "Approved"}',
		now() - interval '1 millisecond', '10.1.2.3', 'psql', 'sess-1', 'High', 'KYC', repeat('0', 64), true)
RETURNING entry_seq, "timestamp" >= now() AS server_time, id <> '00000000-0000-0000-0000-000000000000' AS server_id,
		  xid = pg_current_xact_id() AS this_xid, integrity_verified,
		  integrity_hash ~ '^[0-9a-f]{64}$' AS lowercase_hex,
		  integrity_hash <> repeat('0', 64) AS client_hash_ignored,
		  integrity_hash = kyc_auditlog.row_hash(audit_log_entries) AS recomputes;

INSERT INTO kyc_auditlog.audit_log_entries
	(event_type, entity_type, entity_id, user_id, action, compliance_category, new_values)
SELECT 'document.verified', 'Document', 'DOC-' || i, 'system', 'Update', 'KYC',
	   jsonb_build_object('i', i)
FROM generate_series(1, 5) i;
SELECT count(*) AS entries, count(DISTINCT integrity_hash) AS distinct_hashes,
	   bool_and(integrity_hash = kyc_auditlog.row_hash(e)) AS all_recompute
FROM kyc_auditlog.audit_log_entries e;

-- Every hashed column changes the hash; jsonb key order and a session's
-- DateStyle or TimeZone do not.
SELECT c AS changed_column,
	   kyc_auditlog.row_hash(jsonb_populate_record(e, jsonb_build_object(c, v))) <> e.integrity_hash AS hash_changes
FROM kyc_auditlog.audit_log_entries e,
	 (VALUES ('id', to_jsonb(gen_random_uuid())), ('entry_seq', '999'), ('xid', '"1"'),
			 ('event_type', '"case.created"'), ('entity_type', '"Cases"'), ('entity_id', '"KYC-A2"'),
			 ('case_id', 'null'), ('user_id', '"reviewer-bo"'), ('user_role', '""'),
			 ('action', '"Reject"'), ('description', '"Approved after review "'),
			 ('previous_values', '{"status": "Draft"}'), ('new_values', 'null'),
			 ('timestamp', '"2000-01-01T00:00:00Z"'), ('ip_address', '"10.1.2.4"'),
			 ('user_agent', 'null'), ('session_id', '"sess-2"'), ('severity', '"Critical"'),
			 ('compliance_category', '"AML"')) AS t(c, v)
WHERE e.entity_id = 'KYC-A1'
ORDER BY c;
SELECT kyc_auditlog.row_hash(jsonb_populate_record(e, '{"new_values": {"b": 2, "a": 1}}'))
	 = kyc_auditlog.row_hash(jsonb_populate_record(e, '{"new_values": {"a": 1, "b": 2}}')) AS key_order_irrelevant
FROM kyc_auditlog.audit_log_entries e WHERE e.entity_id = 'KYC-A1';
SELECT integrity_hash AS before FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'KYC-A1' \gset
SET datestyle = 'SQL, DMY';
SET timezone = 'Asia/Kolkata';
SELECT kyc_auditlog.row_hash(e) = :'before' AS settings_irrelevant
FROM kyc_auditlog.audit_log_entries e WHERE entity_id = 'KYC-A1';
RESET datestyle;
RESET timezone;

-- Append-only, for the owner too.
UPDATE kyc_auditlog.audit_log_entries SET description = 'edited' WHERE entity_id = 'KYC-A1';
UPDATE kyc_auditlog.audit_log_entries SET integrity_verified = true;
DELETE FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'KYC-A1';
TRUNCATE kyc_auditlog.audit_log_entries;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;

-- ALTER and DROP of audit objects need maintenance mode, and are logged.
ALTER TABLE kyc_auditlog.audit_log_entries DISABLE TRIGGER entry_immutable;
CREATE INDEX ON kyc_auditlog.audit_log_entries (user_id);
ALTER TABLE kyc_auditlog.blocks ADD COLUMN note text;
DROP EXTENSION kyc_auditlog;
DROP EXTENSION kyc_events CASCADE;
DROP SCHEMA kyc_auditlog CASCADE;
-- A trigger, rule or policy on an audit table could drop or hide entries.
CREATE FUNCTION regress_drop_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER zzz_drop BEFORE INSERT ON kyc_auditlog.audit_log_entries
	FOR EACH ROW EXECUTE FUNCTION regress_drop_row();
CREATE RULE no_blocks AS ON INSERT TO kyc_auditlog.blocks DO INSTEAD NOTHING;
CREATE POLICY hide ON kyc_auditlog.audit_log_entries USING (false);
-- Terse: the detail names this month's partitions.
\set VERBOSITY terse
DROP TRIGGER entry_immutable ON kyc_auditlog.audit_log_entries;
\set VERBOSITY default
DROP FUNCTION regress_drop_row();
SET ROLE regress_audit_nobody;
SET kyc_auditlog.maintenance = on;
RESET ROLE;

-- A superuser who bypasses the triggers leaves a row whose hash no longer matches.
BEGIN;
SET LOCAL kyc_auditlog.maintenance = on;
ALTER TABLE kyc_auditlog.audit_log_entries DISABLE TRIGGER entry_immutable;
UPDATE kyc_auditlog.audit_log_entries SET description = 'Rejected after review' WHERE entity_id = 'KYC-A1';
SELECT entity_id, integrity_hash = kyc_auditlog.row_hash(e) AS intact
FROM kyc_auditlog.audit_log_entries e ORDER BY entry_seq LIMIT 2;
SELECT event_type, user_id, severity, new_values FROM kyc_auditlog.audit_log_entries
WHERE event_type = 'audit.maintenance';
ROLLBACK;

-- Bad input.
SELECT kyc_auditlog.row_hash(NULL);
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category, "timestamp")
VALUES ('x.y', 'Case', 'KYC-A9', 'u', 'Create', 'KYC', '1999-12-31');
SELECT kyc_auditlog.ensure_partitions(-1);
\set VERBOSITY terse
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category, "timestamp")
VALUES ('x.y', 'Case', 'KYC-A9', 'u', 'Create', 'KYC', now() + interval '40 days');
-- The message names this month's partition.
\set VERBOSITY sqlstate
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
VALUES ('x.y', 'Case', 'KYC-A9', 'u', 'Approved', 'KYC');
\set VERBOSITY default
-- An unknown value names the column, the value and the allowed values.
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, severity, compliance_category)
VALUES ('x.y', 'Case', 'KYC-A9', 'u', 'Create', 'Severe', 'KYC');

-- The CHECK behind the trigger: with triggers off (replica mode), only 64
-- lowercase hexadecimal digits pass as an integrity_hash.
SELECT h, kyc_auditlog.is_sha256_hex(h) AS ok
FROM (VALUES (repeat('0', 64)), (repeat('af09', 16)), (repeat('A', 64)), (repeat('0', 63)),
			 (repeat('0', 65)), (repeat('0', 63) || 'g'), (repeat('0', 63) || ' '), (''), (NULL)) v(h);
BEGIN;
SET LOCAL session_replication_role = replica;
-- 23514; the message names this month's partition.
\set VERBOSITY sqlstate
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category, integrity_hash)
VALUES ('x.y', 'Case', 'KYC-A10', 'u', 'Create', 'KYC', repeat('A', 64));
\set VERBOSITY default
ROLLBACK;
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category, integrity_hash)
VALUES ('x.y', 'Case', 'KYC-A10', 'u', 'Create', 'KYC', repeat('af', 32));
ROLLBACK;
DROP ROLE regress_audit_nobody;
