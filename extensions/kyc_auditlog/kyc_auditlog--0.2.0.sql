/* kyc_auditlog--0.2.0.sql: the append-only, hashed compliance audit trail. */

\echo Use "CREATE EXTENSION kyc_auditlog" to load this file. \quit

-- The seed's audit_log_entries, plus entry_seq and xid, which order entries
-- for sealing.  Every column but integrity_hash and integrity_verified is
-- covered by integrity_hash.  Partitioned by calendar month (UTC) of
-- "timestamp" so that old months can be retired whole; partitions are
-- created ahead by ensure_partitions(), which seal() also calls.  Keys of a
-- partitioned table must hold the partition key, hence (id, "timestamp").
-- id, xid and "timestamp" are set by the server, in the hash trigger.
-- Whether a text is 64 lowercase hexadecimal digits, as a stored hash is:
-- the CHECK on integrity_hash, at a fraction of a regular expression's cost.
CREATE FUNCTION kyc_auditlog.is_sha256_hex(value text) RETURNS boolean
AS 'MODULE_PATHNAME', 'kyc_auditlog_is_sha256_hex'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

CREATE TABLE kyc_auditlog.audit_log_entries (
	id					uuid NOT NULL DEFAULT gen_random_uuid(),
	entry_seq			bigint GENERATED ALWAYS AS IDENTITY,
	xid					xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
	event_type			varchar(100) NOT NULL CHECK (btrim(event_type) <> ''),
	entity_type			varchar(100) NOT NULL CHECK (btrim(entity_type) <> ''),
	entity_id			varchar(200) NOT NULL,
	case_id				varchar(40),
	user_id				varchar(200) NOT NULL,
	user_role			varchar(100),
	action				text NOT NULL
						CHECK (action IN ('Create', 'Update', 'Delete', 'Approve', 'Reject')),
	description			text,
	previous_values		jsonb,
	new_values			jsonb,
	"timestamp"			timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	ip_address			inet,
	user_agent			text,
	session_id			varchar(200),
	severity			text NOT NULL DEFAULT 'Low'
						CHECK (severity IN ('Low', 'Medium', 'High', 'Critical')),
	compliance_category	text NOT NULL
						CHECK (compliance_category IN ('KYC', 'AML', 'DataProtection', 'Financial')),
	integrity_hash		varchar(64) NOT NULL CHECK (kyc_auditlog.is_sha256_hex(integrity_hash)),
	integrity_verified	boolean NOT NULL DEFAULT false
) PARTITION BY RANGE ("timestamp");

-- The seed's key and indexes are each partition's own, made with it by
-- ensure_partitions(): the primary key on id alone (ids are the server's
-- gen_random_uuid()), (xid, entry_seq) for sealing and verify(), case_id,
-- (entity_type, entity_id) and "timestamp".  A partitioned index on the
-- parent would be an extension member that pg_dump cannot restore under
-- dumped partitions.

COMMENT ON TABLE kyc_auditlog.audit_log_entries IS
'Append-only compliance audit trail, partitioned by month. integrity_hash is the SHA-256 of a versioned canonical encoding of every other column but integrity_verified.';

-- Monthly partitions are not extension members, so pg_dump dumps them and
-- their rows like any table; the identity sequence's position is dumped
-- here.  The default partition is a member, and stays empty: the hash
-- trigger refuses every row routed to it, with a hint.
SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.audit_log_entries_entry_seq_seq', '');
CREATE TABLE kyc_auditlog.audit_log_entries_default PARTITION OF kyc_auditlog.audit_log_entries DEFAULT;
-- So that seal() reads every partition in (xid, entry_seq) order by index.
CREATE INDEX audit_log_entries_default_xid_seq_idx
	ON kyc_auditlog.audit_log_entries_default (xid, entry_seq);

-- SHA-256 (lowercase hex) of an entry's canonical encoding.
CREATE FUNCTION kyc_auditlog.row_hash(entry kyc_auditlog.audit_log_entries)
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_auditlog_row_hash'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION kyc_auditlog.entry_hash() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_auditlog_entry_hash' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
-- Trigger functions are the triggers' alone: nobody attaches them elsewhere.
REVOKE ALL ON FUNCTION kyc_auditlog.entry_hash() FROM PUBLIC;
CREATE FUNCTION kyc_auditlog.entry_immutable() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_auditlog_entry_immutable' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_auditlog.entry_immutable() FROM PUBLIC;

-- Named to fire last among BEFORE INSERT triggers, after any that set values.
-- It checks the listed values, sets id, "timestamp", xid and
-- integrity_verified, and stores integrity_hash.
CREATE TRIGGER zz_entry_hash
	BEFORE INSERT ON kyc_auditlog.audit_log_entries
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_hash();
CREATE TRIGGER entry_immutable
	BEFORE UPDATE OR DELETE ON kyc_auditlog.audit_log_entries
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER entry_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.audit_log_entries
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER entry_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.audit_log_entries_default
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();

-- A value outside the allowed list of action, severity or
-- compliance_category fails with the project's own error first: 23514
-- naming the column, the value and the allowed values (kyc_allowed.c),
-- raised by entry_hash(), which holds the lists in C so that an insert runs
-- one trigger.  The CHECK constraints stay as the backstop; the lists must
-- match them.

-- Sealed blocks: a Merkle root over a contiguous (xid, entry_seq) range of
-- entries, chained to the previous block by hash.
CREATE TABLE kyc_auditlog.blocks (
	block_id		bigint PRIMARY KEY CHECK (block_id > 0),
	prev_hash		varchar(64) NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
	merkle_root		varchar(64) NOT NULL CHECK (merkle_root ~ '^[0-9a-f]{64}$'),
	first_xid		xid8 NOT NULL,
	first_entry		bigint NOT NULL,
	last_xid		xid8 NOT NULL,
	last_entry		bigint NOT NULL,
	entry_count		bigint NOT NULL CHECK (entry_count > 0),
	sealed_at		timestamptz NOT NULL,
	min_entry_at	timestamptz NOT NULL,
	max_entry_at	timestamptz NOT NULL CHECK (max_entry_at >= min_entry_at),
	block_hash		varchar(64) NOT NULL UNIQUE CHECK (block_hash ~ '^[0-9a-f]{64}$')
);

COMMENT ON TABLE kyc_auditlog.blocks IS
'Merkle-sealed blocks of audit entries in (xid, entry_seq) order, each chained to the previous by block_hash.';

-- Digests handed out, kept locally too; store them outside the database as well.
CREATE TABLE kyc_auditlog.digests (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	digest		jsonb NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.blocks', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.digests', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.digests_id_seq', '');

CREATE TRIGGER block_immutable
	BEFORE UPDATE OR DELETE ON kyc_auditlog.blocks
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER block_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.blocks
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER digest_immutable
	BEFORE UPDATE OR DELETE ON kyc_auditlog.digests
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER digest_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.digests
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();

-- Months retired by drop_expired_partitions(): their rows are gone, their
-- blocks stay, so the chain still verifies.  verify() skips the row checks
-- of exactly these blocks.
CREATE TABLE kyc_auditlog.retired_partitions (
	partition_name	text PRIMARY KEY,
	month_start		timestamptz NOT NULL,
	month_end		timestamptz NOT NULL,
	blocks			int8multirange NOT NULL,
	entry_count		bigint NOT NULL CHECK (entry_count >= 0),
	retention		interval NOT NULL,
	retired_at		timestamptz NOT NULL DEFAULT now(),
	retired_by		name NOT NULL DEFAULT session_user
);

SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.retired_partitions', '');

CREATE TRIGGER retired_immutable
	BEFORE UPDATE OR DELETE ON kyc_auditlog.retired_partitions
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER retired_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.retired_partitions
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();

-- The locks that make sealings, and partition DDL, run one at a time:
-- seal() locks the row 'seal' FOR UPDATE, ensure_partitions() and
-- drop_expired_partitions() the row 'partitions', until their transaction
-- ends.  No role but the owner has any right on this table, and a row lock
-- needs UPDATE on it.  Not an advisory lock: any role that can connect can
-- take one with the same key and stall sealing.  Not LOCK TABLE either: the
-- parser takes ROW EXCLUSIVE on the table an INSERT names before the
-- privilege check, so any role with USAGE on the schema can hold that
-- lock in an open transaction with PREPARE ... AS INSERT and block the
-- stronger table locks; a row lock only needs ROW SHARE.  Extension data,
-- not dumped: CREATE EXTENSION makes the rows.
CREATE TABLE kyc_auditlog.maintenance_locks (
	lock_name	text PRIMARY KEY CHECK (lock_name IN ('seal', 'partitions'))
);
INSERT INTO kyc_auditlog.maintenance_locks (lock_name) VALUES ('seal'), ('partitions');

CREATE TRIGGER lock_immutable
	BEFORE UPDATE OR DELETE ON kyc_auditlog.maintenance_locks
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER lock_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.maintenance_locks
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();

-- Create the monthly partitions of this month and the next months_ahead,
-- where missing; returns how many were created.  Call it once after
-- CREATE EXTENSION (make provision does); seal() keeps months ahead since.
CREATE FUNCTION kyc_auditlog.ensure_partitions(months_ahead integer DEFAULT 2)
RETURNS integer
AS 'MODULE_PATHNAME', 'kyc_auditlog_ensure_partitions'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;

-- Drop, oldest first, the partitions whose month ended more than
-- kyc_auditlog.retention ago, once all their entries are sealed and
-- verify; returns their names.  Each is recorded in retired_partitions and
-- as a Critical audit entry.
CREATE FUNCTION kyc_auditlog.drop_expired_partitions()
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'kyc_auditlog_drop_expired_partitions'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

-- True while kyc_auditlog runs its own partition DDL; the DDL guard lets
-- that through.  Only C code of this module can set it.
CREATE FUNCTION kyc_auditlog.internal_ddl()
RETURNS boolean
AS 'MODULE_PATHNAME', 'kyc_auditlog_internal_ddl_running'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION kyc_auditlog.ensure_partitions(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_auditlog.drop_expired_partitions() FROM PUBLIC;

-- Seal every entry of ended transactions not sealed yet; returns how many.
-- SECURITY DEFINER, so the service can seal without any right to write
-- blocks itself; its statements name every object with its schema.
-- enable_sort is off so that it merges the partitions' (xid, entry_seq)
-- indexes: new partitions have no statistics, and the planner would
-- otherwise sort the whole backlog again for every block.
CREATE FUNCTION kyc_auditlog.seal()
RETURNS bigint
AS 'MODULE_PATHNAME', 'kyc_auditlog_seal'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_sort = off;

-- The latest block and its hash: keep it outside the database.
CREATE FUNCTION kyc_auditlog.digest()
RETURNS jsonb
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	WITH last AS (
		SELECT b.block_id, b.block_hash, b.last_xid, b.last_entry
		FROM kyc_auditlog.blocks b ORDER BY b.block_id DESC LIMIT 1
	), d AS (
		SELECT jsonb_build_object(
			'database', current_database(),
			'system_identifier', (SELECT s.system_identifier::text FROM pg_control_system() s),
			'block_id', coalesce(last.block_id, 0),
			'block_hash', coalesce(last.block_hash, repeat('0', 64)),
			'entries', (SELECT coalesce(sum(b.entry_count), 0) FROM kyc_auditlog.blocks b),
			'last_entry_at', (SELECT max(e."timestamp") FROM kyc_auditlog.audit_log_entries e
							  WHERE (e.xid, e.entry_seq) <= (last.last_xid, last.last_entry)),
			'digest_at', now()) AS digest
		FROM (SELECT 1) one LEFT JOIN last ON true
	)
	INSERT INTO kyc_auditlog.digests (digest) SELECT d.digest FROM d RETURNING digest
$$;

-- Every problem found: changed, missing, inserted or reordered rows, changed
-- blocks, broken links, and a chain that does not extend the given digests.
CREATE FUNCTION kyc_auditlog.verify(digests jsonb DEFAULT NULL,
									from_block bigint DEFAULT NULL, to_block bigint DEFAULT NULL)
RETURNS TABLE (block_id bigint, entry_id uuid, problem text)
AS 'MODULE_PATHNAME', 'kyc_auditlog_verify'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;

-- Part part of parts of verify(digests), for that many sessions at once:
-- blocks 1..through_block split into parts ranges, the last part going on
-- through the entries not sealed yet.  The parts' reports together are
-- verify(digests)'s, each once.
CREATE FUNCTION kyc_auditlog.verify_part(part integer, parts integer, through_block bigint,
										 digests jsonb DEFAULT NULL)
RETURNS TABLE (block_id bigint, entry_id uuid, problem text)
AS 'MODULE_PATHNAME', 'kyc_auditlog_verify_part'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION kyc_auditlog.seal() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_auditlog.digest() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_auditlog.verify(jsonb, bigint, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_auditlog.verify_part(integer, integer, bigint, jsonb) FROM PUBLIC;

-- The one path that sets integrity_verified: each digest given must be one
-- that digest() handed out (a row of kyc_auditlog.digests) at least
-- kyc_auditlog.verify_min_age ago, so that one made on the spot cannot
-- vouch for the ledger it was just read from.  It then runs
-- verify(digests) over the whole ledger and, only if it finds no problem
-- at all, marks verified the sealed entries up to the latest block the
-- digests name; returns how many it marked.  Only members of kyc_auditor
-- (grants.sql) may call it, not the service that writes the entries.  The
-- immutability trigger lets this change through and nothing else.
CREATE FUNCTION kyc_auditlog.mark_verified(digests jsonb)
RETURNS bigint
AS 'MODULE_PATHNAME', 'kyc_auditlog_mark_verified'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION kyc_auditlog.mark_verified(jsonb) FROM PUBLIC;

-- A Merkle inclusion proof of a sealed entry, with the block chain up to
-- the latest block; kyc-audit-verify checks it offline against a digest.
CREATE FUNCTION kyc_auditlog.proof(entry_id uuid)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'kyc_auditlog_proof'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION kyc_auditlog.proof(uuid) FROM PUBLIC;

-- ALTER and DROP of audit objects are refused unless a superuser sets
-- kyc_auditlog.maintenance = on for the session; such a change is itself
-- written to the audit log.  Commands run by extension scripts (upgrades)
-- are left to ALTER EXTENSION's own superuser check.
CREATE FUNCTION kyc_auditlog.guard_ddl()
RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	touched text[];
	table_dropped boolean := false;
BEGIN
	-- Partition DDL of ensure_partitions() and drop_expired_partitions().
	IF kyc_auditlog.internal_ddl() THEN
		RETURN;
	END IF;
	IF TG_EVENT = 'sql_drop' THEN
		SELECT array_agg(d.object_identity),
			   bool_or(d.object_identity = 'kyc_auditlog.audit_log_entries')
		INTO touched, table_dropped
		FROM pg_event_trigger_dropped_objects() d
		WHERE d.schema_name = 'kyc_auditlog'
		   OR (d.object_type = 'schema' AND d.object_name = 'kyc_auditlog')
		   -- Triggers, rules and policies have no schema; their identity names the table.
		   OR (d.schema_name IS NULL AND d.object_identity LIKE '% on kyc\_auditlog.%');
	ELSE
		SELECT array_agg(c.object_identity) INTO touched
		FROM pg_event_trigger_ddl_commands() c
		WHERE (c.schema_name = 'kyc_auditlog'
			   OR (c.schema_name IS NULL AND c.object_identity LIKE '% on kyc\_auditlog.%'))
		  AND NOT c.in_extension;
	END IF;
	IF touched IS NULL THEN
		RETURN;
	END IF;
	IF NOT coalesce(current_setting('kyc_auditlog.maintenance', true)::boolean, false)
	   OR NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user) THEN
		RAISE EXCEPTION '% of audit objects is not allowed', TG_TAG
			USING ERRCODE = 'prohibited_sql_statement_attempted',
				  DETAIL = 'Objects: ' || array_to_string(touched, ', ') || '.',
				  HINT = 'A superuser may SET kyc_auditlog.maintenance = on for the session; the change is then recorded in the audit log.';
	END IF;
	IF table_dropped THEN
		RAISE WARNING 'kyc_auditlog.audit_log_entries dropped in maintenance mode by %', session_user;
		RETURN;
	END IF;
	INSERT INTO kyc_auditlog.audit_log_entries
		(event_type, entity_type, entity_id, user_id, user_role, action, description, new_values,
		 severity, compliance_category)
	VALUES ('audit.maintenance', 'Schema', 'kyc_auditlog', session_user, current_user, 'Update',
			TG_TAG || ' in maintenance mode', jsonb_build_object('objects', to_jsonb(touched)),
			'Critical', 'DataProtection');
END
$$;
REVOKE ALL ON FUNCTION kyc_auditlog.guard_ddl() FROM PUBLIC;

-- DROP EXTENSION, and DROP SCHEMA ... CASCADE, drop the guard with
-- everything else before sql_drop would fire, so they are checked at the
-- start.  What is dropped is not known there: the statement's text must
-- name kyc_auditlog or kyc_events (which it requires) for the check to
-- apply.
CREATE FUNCTION kyc_auditlog.guard_drop_extension()
RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF current_query() ~* 'kyc_(auditlog|events)'
	   AND (NOT coalesce(current_setting('kyc_auditlog.maintenance', true)::boolean, false)
			OR NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user)) THEN
		RAISE EXCEPTION '% of the audit log is not allowed', TG_TAG
			USING ERRCODE = 'prohibited_sql_statement_attempted',
				  DETAIL = 'Dropping kyc_auditlog, its schema, or kyc_events which it requires, drops every audit entry and block.',
				  HINT = 'A superuser may SET kyc_auditlog.maintenance = on for the session first; keep the last digest.';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION kyc_auditlog.guard_drop_extension() FROM PUBLIC;

CREATE EVENT TRIGGER kyc_auditlog_guard_drop_extension ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA')
	EXECUTE FUNCTION kyc_auditlog.guard_drop_extension();
CREATE EVENT TRIGGER kyc_auditlog_guard_ddl ON ddl_command_end
	EXECUTE FUNCTION kyc_auditlog.guard_ddl();
CREATE EVENT TRIGGER kyc_auditlog_guard_drop ON sql_drop
	EXECUTE FUNCTION kyc_auditlog.guard_ddl();

-- Relay handler: one audit entry per audit.recorded event captured in
-- another service database (kyc_events.capture).  A case's decision is
-- recorded with action Approve or Reject: the case's move to Approved or
-- Rejected, and each approval or rejection in kyc_onboarding.case_decisions.  Who acted comes from the
-- event's headers, which the source filled from its session.  It runs only
-- when the relay delivers an audit.recorded event to it, a topic that only
-- kyc_events' capture triggers emit; a direct call is refused.
CREATE FUNCTION kyc_auditlog.record_event(e kyc_events.event)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p jsonb := e.payload;
	h jsonb := coalesce(e.headers, '{}');
BEGIN
	PERFORM kyc_events.require_delivery(e, 'kyc_auditlog.record_event(kyc_events.event)',
										'{audit.recorded}');
	INSERT INTO kyc_auditlog.audit_log_entries
		(event_type, entity_type, entity_id, case_id, user_id, user_role, action, description,
		 previous_values, new_values, ip_address, user_agent, session_id, severity,
		 compliance_category)
	-- Values from the source are cut to the columns' sizes rather than let
	-- an over-long one make the change go unrecorded.
	VALUES (e.topic, left(coalesce(p->>'table', 'unknown'), 100),
			left(coalesce(p->>'row_id', e.aggregate_id), 200), left(p->>'case_id', 40),
			left(coalesce(h->>'actor', h->>'session_user', 'unknown'), 200),
			left(h->>'current_user', 100),
			CASE WHEN p->>'table' = 'kyc_onboarding.onboarding_cases' AND p->>'operation' = 'UPDATE'
					  AND p->'new_values'->>'status' IN ('Approved', 'Rejected')
				 THEN CASE p->'new_values'->>'status' WHEN 'Approved' THEN 'Approve' ELSE 'Reject' END
				 WHEN p->>'table' = 'kyc_onboarding.case_decisions' AND p->>'operation' = 'INSERT'
					  AND p->'new_values'->>'decision' IN ('Approve', 'Reject')
				 THEN p->'new_values'->>'decision'
				 ELSE CASE p->>'operation' WHEN 'INSERT' THEN 'Create' WHEN 'UPDATE' THEN 'Update'
						   ELSE 'Delete' END END,
			-- The actor is what the application claimed; session_user is who
			-- PostgreSQL authenticated.
			format('%s on %s by session user %s, event %s of %s', p->>'operation', p->>'table',
				   coalesce(h->>'session_user', 'unknown'), e.id, e.source),
			nullif(p->'previous_values', 'null'), nullif(p->'new_values', 'null'),
			(h->>'client_addr')::inet,
			h->>'application_name', left(h->>'request_id', 200),
			CASE WHEN p->>'operation' IN ('DELETE', 'TRUNCATE') THEN 'High' ELSE 'Medium' END,
			CASE WHEN p->>'table' LIKE 'kyc\_risk.%' THEN 'AML' ELSE 'KYC' END);
END
$$;

-- The relay calls it as its owner; no role needs to call it.
REVOKE ALL ON FUNCTION kyc_auditlog.record_event(kyc_events.event) FROM PUBLIC;

COMMENT ON FUNCTION kyc_auditlog.record_event(kyc_events.event) IS
'Relay handler turning audit.recorded events from other service databases into audit entries.';

-- verify() over the blocks whose entries fall between two times.  A name of
-- its own: an overload of verify() would make string literals ambiguous.
CREATE FUNCTION kyc_auditlog.verify_between(from_time timestamptz, to_time timestamptz,
									digests jsonb DEFAULT NULL)
RETURNS TABLE (block_id bigint, entry_id uuid, problem text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	lo bigint;
	hi bigint;
BEGIN
	IF from_time IS NULL OR to_time IS NULL THEN
		RAISE EXCEPTION '% must not be null', CASE WHEN from_time IS NULL THEN 'from_time' ELSE 'to_time' END
			USING ERRCODE = 'null_value_not_allowed';
	ELSIF from_time > to_time THEN
		RAISE EXCEPTION 'from_time % is after to_time %', from_time, to_time
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- By the entry times each block hashed, not by its rows: deleting a
	-- block's edge entries cannot move the range off it.
	SELECT min(b.block_id), max(b.block_id) INTO lo, hi
	FROM kyc_auditlog.blocks b
	WHERE b.max_entry_at >= from_time AND b.min_entry_at <= to_time;
	IF lo IS NULL THEN
		IF digests IS NULL THEN
			RETURN;
		END IF;
		-- No block in the range: the digests are still checked, as
		-- verify() checks them, over a range past the last block.
		SELECT coalesce(max(b.block_id), 0) + 1 INTO lo FROM kyc_auditlog.blocks b;
		hi := lo;
	END IF;
	RETURN QUERY SELECT v.block_id, v.entry_id, v.problem FROM kyc_auditlog.verify(digests, lo, hi) v;
END
$$;

REVOKE ALL ON FUNCTION kyc_auditlog.verify_between(timestamptz, timestamptz, jsonb) FROM PUBLIC;

-- Seal every kyc_auditlog.seal_interval for a while, committing each time.
-- pg_cron schedules by the minute, so make provision runs this every
-- minute for 55 seconds to seal every 10 seconds.  every NULL means
-- kyc_auditlog.seal_interval; during must be given (NULL would never end).
CREATE PROCEDURE kyc_auditlog.seal_every(every pg_catalog.interval DEFAULT NULL,
										 during pg_catalog.interval DEFAULT '55 seconds')
LANGUAGE plpgsql
-- No SET clause: a procedure with one cannot COMMIT.  So every type,
-- operator and function below is named with its schema, and the session's
-- search_path decides nothing.
AS $$
DECLARE
	step pg_catalog.interval;
	stop pg_catalog.timestamptz := pg_catalog.clock_timestamp() OPERATOR(pg_catalog.+) during;
BEGIN
	IF during IS NULL THEN
		RAISE EXCEPTION 'seal_every() needs how long to run, not NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  HINT = 'Omit during for 55 seconds, the length pg_cron''s every-minute schedule expects.';
	ELSIF during OPERATOR(pg_catalog.<=) '0'::pg_catalog.interval THEN
		RAISE EXCEPTION 'seal_every() runs for a positive during, not %', during
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Omit during for 55 seconds, the length pg_cron''s every-minute schedule expects.';
	END IF;
	-- Calling into the library first defines kyc_auditlog.seal_interval in
	-- a fresh session, such as pg_cron's, where it is not loaded yet.
	PERFORM kyc_auditlog.internal_ddl();
	step := coalesce(every, pg_catalog.current_setting('kyc_auditlog.seal_interval')::pg_catalog.interval);
	IF step OPERATOR(pg_catalog.<=) '0'::pg_catalog.interval THEN
		RAISE EXCEPTION 'seal interval must be positive, not %', step
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Pass an interval such as ''10 seconds'', or NULL for kyc_auditlog.seal_interval.';
	END IF;
	LOOP
		-- A sealing waits for a lock (another sealing, or partition DDL
		-- behind an open transaction) at most three intervals, 30 s by
		-- default, then fails with 55P03: the run ends as failed,
		-- pgkyc.job_health says why, and pg_cron's next run tries again
		-- instead of queueing behind a run that never ends.  Local to the
		-- transaction, so each COMMIT ends it; set again each time.
		-- (LEAST and GREATEST are syntax, not functions a path could redirect.)
		PERFORM pg_catalog.set_config('lock_timeout', GREATEST(1, LEAST(2147483647,
			pg_catalog.date_part('epoch', step) OPERATOR(pg_catalog.*) 3000))::pg_catalog.int8::pg_catalog.text,
			true);
		PERFORM kyc_auditlog.seal();
		COMMIT;
		EXIT WHEN pg_catalog.clock_timestamp() OPERATOR(pg_catalog.+) step OPERATOR(pg_catalog.>) stop;
		PERFORM pg_catalog.pg_sleep(pg_catalog.date_part('epoch', step));
	END LOOP;
END
$$;

REVOKE ALL ON PROCEDURE kyc_auditlog.seal_every(pg_catalog.interval, pg_catalog.interval) FROM PUBLIC;

-- What each recorded verify() found: pg_cron runs record_verify() nightly
-- over the last day (make provision schedules kyc_auditlog_verify), and
-- kyc_events.health() reports the latest row.  detail holds the first 100
-- problems, as verify() returns them.
CREATE TABLE kyc_auditlog.verify_runs (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at			timestamptz NOT NULL DEFAULT now(),
	from_time	timestamptz NOT NULL,
	to_time		timestamptz NOT NULL CHECK (to_time >= from_time),
	problems	integer NOT NULL CHECK (problems >= 0),
	detail		jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(detail) = 'array'),
	run_by		name NOT NULL DEFAULT session_user
);
CREATE INDEX verify_runs_at_idx ON kyc_auditlog.verify_runs (at);

COMMENT ON TABLE kyc_auditlog.verify_runs IS
'Each verify_between() run that record_verify() recorded: the range, how many problems it found, and the first 100 of them.';

SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.verify_runs', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.verify_runs_id_seq', '');
REVOKE ALL ON TABLE kyc_auditlog.verify_runs FROM PUBLIC;

-- A record is what it is: no one rewrites what a verification found.
CREATE TRIGGER verify_run_immutable
	BEFORE UPDATE OR DELETE ON kyc_auditlog.verify_runs
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER verify_run_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.verify_runs
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();

-- Run verify_between(from_time, to_time), record what it found in
-- verify_runs, and return the number of problems (0: the range verifies).
-- A range with problems is recorded, not raised, so that the record
-- stays; health() and the pgkyc_auditlog_last_verify_problems metric
-- report it.  Superusers only: pg_cron calls it.
CREATE FUNCTION kyc_auditlog.record_verify(from_time timestamptz, to_time timestamptz)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	found integer;
	detail jsonb;
BEGIN
	-- verify_between() refuses a NULL (22004) and a reversed range (22023),
	-- naming the argument, before anything is recorded.
	SELECT count(*), coalesce(jsonb_agg(jsonb_build_object('block_id', v.block_id, 'entry_id', v.entry_id,
														   'problem', v.problem))
								  FILTER (WHERE v.n <= 100), '[]')
	INTO found, detail
	FROM (SELECT p.block_id, p.entry_id, p.problem, row_number() OVER () AS n
		  FROM kyc_auditlog.verify_between(from_time, to_time) p) v;
	INSERT INTO kyc_auditlog.verify_runs (from_time, to_time, problems, detail)
	VALUES (from_time, to_time, found, detail);
	IF found > 0 THEN
		RAISE WARNING 'verify() of the audit log from % to % found % problems', from_time, to_time, found;
	END IF;
	RETURN found;
END
$$;
REVOKE ALL ON FUNCTION kyc_auditlog.record_verify(timestamptz, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc_auditlog.record_verify(timestamptz, timestamptz) IS
'Run verify_between(from_time, to_time), record the result in kyc_auditlog.verify_runs, and return how many problems it found. pg_cron runs it nightly over the last day.';
