/* kyc_events--0.2.0.sql: the transactional outbox, producer side. */

\echo Use "CREATE EXTENSION kyc_events" to load this file. \quit

-- Who and where: the headers recorded with every event.
CREATE FUNCTION kyc_events.current_headers()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'kyc_events_current_headers'
LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION kyc_events.current_headers() IS
'Headers for an event emitted now: actor, session_user, current_user, jwt_sub, request_id, application_name, client_addr.';

-- One row per domain event, written in the transaction that caused it.
-- The relay reads rows whose xid is below the read horizon (read_horizon()
-- below), in (xid, id) order, so out-of-order commits are never skipped.
CREATE TABLE kyc_events.outbox (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	xid				xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
	topic			text NOT NULL,
	aggregate_id	text NOT NULL,
	payload			jsonb NOT NULL,
	headers			jsonb NOT NULL DEFAULT kyc_events.current_headers(),
	created_at		timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	CONSTRAINT outbox_topic_length CHECK (octet_length(topic) BETWEEN 3 AND 100),
	CONSTRAINT outbox_aggregate_id_length CHECK (octet_length(aggregate_id) BETWEEN 1 AND 200)
);

CREATE INDEX outbox_xid_id_idx ON kyc_events.outbox (xid, id);

COMMENT ON TABLE kyc_events.outbox IS
'Transactional outbox: domain events of this database, written by kyc_events.emit().';

SELECT pg_catalog.pg_extension_config_dump('kyc_events.outbox', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_events.outbox_id_seq', '');

-- Append an event in the caller's transaction and ring the doorbell at commit.
-- Topics an extension owns (case.*, document.*, audit.*, ...) are refused:
-- only that extension's triggers emit them, from C.
CREATE FUNCTION kyc_events.emit(topic text, aggregate_id text, payload jsonb)
RETURNS bigint
AS 'MODULE_PATHNAME', 'kyc_events_emit'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION kyc_events.emit(text, text, jsonb) IS
'Append a domain event of a topic no extension owns to kyc_events.outbox in the current transaction; NOTIFY kyc_events once at commit.';

-- Service roles are granted what they need by make provision, nothing more.
REVOKE ALL ON FUNCTION kyc_events.emit(text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.current_headers() FROM PUBLIC;
REVOKE ALL ON TABLE kyc_events.outbox FROM PUBLIC;

------------------------------------------------------------------------
-- Relay, source side: what a consumer in another database reads and acks.
------------------------------------------------------------------------

-- One row per consumer (a subscription in some other database): the
-- position it has durably applied.  Pruning never passes the lowest one.
CREATE TABLE kyc_events.consumers (
	name			text PRIMARY KEY CHECK (octet_length(name) BETWEEN 1 AND 200),
	acked_xid		xid8 NOT NULL DEFAULT '0',
	acked_id		bigint NOT NULL DEFAULT 0,
	registered_at	timestamptz NOT NULL DEFAULT now(),
	acked_at		timestamptz
);

COMMENT ON TABLE kyc_events.consumers IS
'Consumers of this outbox and the (xid, id) position each has applied; prune() never removes an event at or after the lowest.';

SELECT pg_catalog.pg_extension_config_dump('kyc_events.consumers', '');
REVOKE ALL ON TABLE kyc_events.consumers FROM PUBLIC;

-- LIKE patterns for topic filters: "case.*" matches case.created; "*" all.
CREATE FUNCTION kyc_events.topic_patterns(topics text[])
RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN ARRAY(SELECT replace(replace(t, '_', '\_'), '*', '%') FROM unnest(topics) AS t);

-- The xid below which every event of this outbox is final under the current
-- snapshot: the least of the snapshot's xmax, our own xid, and the xids
-- running at the snapshot that may belong to THIS database.  The snapshot's
-- xmin is cluster-wide; this is not, so a transaction left open in another
-- database holds back no outbox here (extensions/common/kyc_horizon.c says why that is safe).
CREATE FUNCTION kyc_events.read_horizon()
RETURNS xid8
AS 'MODULE_PATHNAME', 'kyc_events_read_horizon'
LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp;

-- A reader's position and topics, as read() and backlog() take them:
-- none NULL, an id from 0, at least one topic.  A NULL would match no
-- event at all, and the caller would wait for events that never come.
CREATE FUNCTION kyc_events.check_position(after_xid xid8, after_id bigint, topics text[])
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF after_xid IS NULL OR after_id IS NULL OR topics IS NULL THEN
		RAISE EXCEPTION '% must not be null',
			CASE WHEN after_xid IS NULL THEN 'after_xid' WHEN after_id IS NULL THEN 'after_id' ELSE 'topics' END
			USING ERRCODE = 'null_value_not_allowed';
	ELSIF after_id < 0 THEN
		RAISE EXCEPTION 'after_id must not be negative, not %', after_id USING ERRCODE = 'invalid_parameter_value';
	ELSIF cardinality(topics) = 0 THEN
		RAISE EXCEPTION 'topics must name at least one topic' USING ERRCODE = 'invalid_parameter_value',
			HINT = 'Use ''{*}'' for every topic.';
	ELSIF array_position(topics, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'topics must not contain null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION kyc_events.check_position(xid8, bigint, text[]) FROM PUBLIC;

-- The next events after a position, committed and in (xid, id) order.
-- Only xids below the read horizon are read: every transaction of this
-- database below it has ended, so no event can later appear before the
-- returned ones.  At
-- most max_events, and none after the one whose payload (as text, as the
-- relay receives it) brings the total to max_bytes: the first event always
-- comes, however large, so a batch ends at most one event past the budget.
CREATE FUNCTION kyc_events.read(after_xid xid8, after_id bigint, topics text[], max_events integer,
								max_bytes bigint DEFAULT NULL)
RETURNS TABLE (id bigint, xid xid8, topic text, aggregate_id text, payload jsonb,
			   headers jsonb, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	e record;
	used bigint := 0;
BEGIN
	PERFORM kyc_events.check_position(after_xid, after_id, topics);
	IF max_events IS NULL THEN
		RAISE EXCEPTION 'max_events must not be null' USING ERRCODE = 'null_value_not_allowed';
	ELSIF max_events < 1 THEN
		RAISE EXCEPTION 'max_events must be at least 1, not %', max_events USING ERRCODE = 'invalid_parameter_value';
	ELSIF max_bytes < 1 THEN
		RAISE EXCEPTION 'max_bytes must be at least 1, not %', max_bytes USING ERRCODE = 'invalid_parameter_value',
			HINT = 'NULL reads without a byte budget.';
	END IF;
	FOR e IN
		SELECT o.id, o.xid, o.topic, o.aggregate_id, o.payload, o.headers, o.created_at
		FROM kyc_events.outbox o
		WHERE (o.xid, o.id) > (after_xid, after_id)
		  AND o.xid < kyc_events.read_horizon()
		  AND o.topic LIKE ANY (kyc_events.topic_patterns(topics))
		ORDER BY o.xid, o.id
		LIMIT max_events
	LOOP
		EXIT WHEN used > 0 AND used >= max_bytes;
		used := used + octet_length(e.payload::text);
		id := e.id;
		xid := e.xid;
		topic := e.topic;
		aggregate_id := e.aggregate_id;
		payload := e.payload;
		headers := e.headers;
		created_at := e.created_at;
		RETURN NEXT;
	END LOOP;
END
$$;

-- How far behind a position is: matching events after it, readable or not,
-- and the age of the oldest.
CREATE FUNCTION kyc_events.backlog(after_xid xid8, after_id bigint, topics text[],
								   OUT events bigint, OUT oldest timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM kyc_events.check_position(after_xid, after_id, topics);
	SELECT count(*), min(o.created_at) INTO events, oldest
	FROM kyc_events.outbox o
	WHERE (o.xid, o.id) > (after_xid, after_id)
	  AND o.topic LIKE ANY (kyc_events.topic_patterns(topics));
END
$$;

-- The transaction of this database that holds the read horizon back, if
-- one does: its xid, backend pid (NULL once prepared), role, when it
-- started (or was prepared), and its gid if it is a prepared transaction.
-- The relay shows it in its subscription's state when events wait too long.
CREATE FUNCTION kyc_events.read_blocker(OUT xid xid8, OUT pid integer, OUT role name,
										OUT xact_start timestamptz, OUT prepared_gid text)
RETURNS SETOF record
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	WITH h AS MATERIALIZED (
		SELECT kyc_events.read_horizon() AS horizon, pg_snapshot_xmax(pg_current_snapshot()) AS xmax
	)
	SELECT h.horizon, a.pid, a.usename, a.xact_start, NULL::text
	FROM h JOIN pg_stat_activity a ON a.backend_xid = h.horizon::xid
	WHERE h.horizon < h.xmax AND a.datname = current_database()
	UNION ALL
	SELECT h.horizon, NULL, p.owner, p.prepared, p.gid
	FROM h JOIN pg_prepared_xacts p ON p.transaction = h.horizon::xid
	WHERE h.horizon < h.xmax AND p.database = current_database()
	LIMIT 1
$$;

-- Record that consumer has applied everything up to (xid, id).  Positions
-- only move forward, so a late or repeated ack is harmless.
CREATE FUNCTION kyc_events.ack(consumer text, xid xid8, id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF consumer IS NULL OR xid IS NULL OR id IS NULL THEN
		RAISE EXCEPTION '% must not be null',
			CASE WHEN consumer IS NULL THEN 'consumer' WHEN xid IS NULL THEN 'xid' ELSE 'id' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	INSERT INTO kyc_events.consumers AS c (name, acked_xid, acked_id, acked_at)
	VALUES (ack.consumer, ack.xid, ack.id, now())
	ON CONFLICT (name) DO UPDATE
	SET acked_xid = excluded.acked_xid, acked_id = excluded.acked_id, acked_at = now()
	WHERE (c.acked_xid, c.acked_id) < (excluded.acked_xid, excluded.acked_id);
END
$$;

-- Delete events older than kyc_events.retention that every consumer has
-- acknowledged.  Returns how many were deleted.
CREATE FUNCTION kyc_events.prune()
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	setting text := current_setting('kyc_events.retention');
	retention interval;
	low record;
	deleted bigint;
BEGIN
	-- A setting that is no interval, or a negative one, is refused naming
	-- the setting; '0' prunes every acknowledged event.
	BEGIN
		retention := setting::interval;
	EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
		RAISE EXCEPTION 'kyc_events.retention "%" is not an interval', setting
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Set it to an interval such as ''7 days''.';
	END;
	IF retention < '0' THEN
		RAISE EXCEPTION 'kyc_events.retention must not be negative, not %', setting
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Set it to an interval such as ''7 days''.';
	END IF;
	SELECT acked_xid, acked_id INTO low
	FROM kyc_events.consumers ORDER BY acked_xid, acked_id LIMIT 1;
	DELETE FROM kyc_events.outbox o
	WHERE o.created_at < now() - retention
	  AND (low IS NULL OR (o.xid, o.id) <= (low.acked_xid, low.acked_id));
	GET DIAGNOSTICS deleted = ROW_COUNT;
	RETURN deleted;
END
$$;

COMMENT ON FUNCTION kyc_events.prune() IS
'Delete outbox events older than kyc_events.retention and acknowledged by every consumer; scheduled by pg_cron.';

-- Register a consumer, if it is new.  A new subscription of an old name
-- restarts from the beginning (restart), so pruning waits for it again.
CREATE FUNCTION kyc_events.register_consumer(consumer text, restart boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF consumer IS NULL OR restart IS NULL THEN
		RAISE EXCEPTION '% must not be null', CASE WHEN consumer IS NULL THEN 'consumer' ELSE 'restart' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	INSERT INTO kyc_events.consumers AS c (name) VALUES (register_consumer.consumer)
	ON CONFLICT (name) DO UPDATE SET acked_xid = '0', acked_id = 0, acked_at = NULL
	WHERE register_consumer.restart;
END
$$;

REVOKE ALL ON FUNCTION kyc_events.register_consumer(text, boolean) FROM PUBLIC;

-- Where a reader that starts now begins: the last event below the read
-- horizon, so every event committed before the oldest transaction still
-- open here is behind it, and every one still to commit ahead (those that
-- committed after that oldest one began are ahead too: read() could not
-- have given them yet).  (0, 0) for an empty outbox.  subscribe(...,
-- start_at => 'end') asks the source for it.
CREATE FUNCTION kyc_events.end_position(OUT xid xid8, OUT id bigint)
RETURNS record
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT COALESCE(e.xid, '0'), COALESCE(e.id, 0)
	FROM (SELECT) one
	LEFT JOIN LATERAL (SELECT o.xid, o.id FROM kyc_events.outbox o
					   WHERE o.xid < kyc_events.read_horizon()
					   ORDER BY o.xid DESC, o.id DESC LIMIT 1) e ON true
$$;

-- Each update of this database's kyc_events to a new release, and the
-- outbox's end_position() then: the events before it were written, and
-- handled, under the release before.  Update scripts add the rows.
CREATE TABLE kyc_events.updates (
	version		text PRIMARY KEY CHECK (btrim(version) <> ''),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	end_xid		xid8 NOT NULL,
	end_id		bigint NOT NULL CHECK (end_id >= 0)
);

SELECT pg_catalog.pg_extension_config_dump('kyc_events.updates', '');
REVOKE ALL ON TABLE kyc_events.updates FROM PUBLIC;

-- Where the last update of kyc_events left the outbox, (0, 0) if it was
-- never updated: subscribe(..., start_at => 'update') starts there, so a
-- handler a release adds acts on what happened since, and not on what the
-- release before already handled.
CREATE FUNCTION kyc_events.update_position(OUT xid xid8, OUT id bigint)
RETURNS record
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT COALESCE(u.end_xid, '0'), COALESCE(u.end_id, 0)
	FROM (SELECT) one
	LEFT JOIN LATERAL (SELECT end_xid, end_id FROM kyc_events.updates
					   ORDER BY updated_at DESC, end_xid DESC, end_id DESC LIMIT 1) u ON true
$$;

REVOKE ALL ON FUNCTION kyc_events.update_position() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.end_position() FROM PUBLIC;

-- Remove a consumer that will never come back, so pruning can pass it.
CREATE FUNCTION kyc_events.forget_consumer(consumer text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF consumer IS NULL THEN
		RAISE EXCEPTION 'consumer must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	DELETE FROM kyc_events.consumers c WHERE c.name = forget_consumer.consumer;
	RETURN FOUND;
END
$$;

REVOKE ALL ON FUNCTION kyc_events.forget_consumer(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.read(xid8, bigint, text[], integer, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.backlog(xid8, bigint, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.read_horizon() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.read_blocker() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.ack(text, xid8, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.prune() FROM PUBLIC;

------------------------------------------------------------------------
-- Relay, subscriber side: subscriptions, their cursors, dead letters.
------------------------------------------------------------------------

-- What a handler receives: one event of a source database.
CREATE TYPE kyc_events.event AS (
	source			text,
	id				bigint,
	xid				xid8,
	topic			text,
	aggregate_id	text,
	payload			jsonb,
	headers			jsonb,
	created_at		timestamptz
);

-- Subscriptions of this database.  source may hold a password, so only
-- superusers read this table; everyone else reads the subscriptions view.
CREATE TABLE kyc_events.subscription (
	name				text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
	source				text NOT NULL,
	topics				text[] NOT NULL CHECK (cardinality(topics) > 0),
	handler				regprocedure NOT NULL,
	enabled				boolean NOT NULL DEFAULT true,
	created_at			timestamptz NOT NULL DEFAULT now(),
	last_xid			xid8 NOT NULL DEFAULT '0',
	last_id				bigint NOT NULL DEFAULT 0,
	applied				bigint NOT NULL DEFAULT 0,
	last_applied_at		timestamptz,
	last_event_at		timestamptz,
	lag_events			bigint,
	lag_oldest			timestamptz,
	lag_measured_at		timestamptz,
	state				text NOT NULL DEFAULT 'new',
	last_error			text,
	last_error_at		timestamptz
);

SELECT pg_catalog.pg_extension_config_dump('kyc_events.subscription', '');
REVOKE ALL ON TABLE kyc_events.subscription FROM PUBLIC;

-- Any change to which subscriptions exist or what they read, by the API or
-- by hand, makes this database's relay worker reload at commit.  The
-- worker's own updates (cursor, state, lag) touch none of these columns.
CREATE FUNCTION kyc_events.subscription_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_events_subscription_changed'
LANGUAGE C
SET search_path = pg_catalog, pg_temp;

-- Only this trigger uses it; it refuses to fire on any other table.
REVOKE ALL ON FUNCTION kyc_events.subscription_changed() FROM PUBLIC;

CREATE TRIGGER subscription_changed
	AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF name, source, topics, handler, enabled
	ON kyc_events.subscription
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.subscription_changed();

-- Events a handler failed on kyc_events.max_attempts times.
CREATE TABLE kyc_events.dead_letters (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	subscription	text NOT NULL,
	event			kyc_events.event NOT NULL,
	error			text NOT NULL,
	attempts		integer NOT NULL,
	failed_at		timestamptz NOT NULL DEFAULT now(),
	replayed_at		timestamptz
);

CREATE INDEX dead_letters_subscription_idx ON kyc_events.dead_letters (subscription) WHERE replayed_at IS NULL;
SELECT pg_catalog.pg_extension_config_dump('kyc_events.dead_letters', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_events.dead_letters_id_seq', '');
REVOKE ALL ON TABLE kyc_events.dead_letters FROM PUBLIC;

-- A conninfo as libpq parses it, as keyword=value pairs with every secret
-- (password, sslpassword) masked; '(unparsable conninfo)' if libpq cannot
-- parse it.  It reveals nothing, so PUBLIC keeps EXECUTE: readers of the
-- subscriptions view need it.
CREATE FUNCTION kyc_events.masked_conninfo(conninfo text)
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_events_masked_conninfo'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- Why no relay worker delivers this database's subscriptions (kyc_events
-- not preloaded, or the database not in kyc_events.databases), or NULL.
CREATE FUNCTION kyc_events.relay_missing()
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_events_relay_missing'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- One row per subscription, secrets masked.  An enabled subscription no
-- relay worker serves shows state 'no_worker', and in last_error what to
-- configure.
CREATE VIEW kyc_events.subscriptions AS
SELECT s.name,
	   kyc_events.masked_conninfo(s.source) AS source,
	   s.topics, s.handler, s.enabled,
	   CASE WHEN s.enabled AND m.missing IS NOT NULL THEN 'no_worker' ELSE s.state END AS state,
	   s.last_xid AS position_xid, s.last_id AS position_id,
	   s.applied, s.last_applied_at,
	   s.lag_events,
	   CASE WHEN s.lag_oldest IS NULL THEN 0
			ELSE extract(epoch FROM s.lag_measured_at - s.lag_oldest) END AS lag_seconds,
	   s.lag_measured_at,
	   CASE WHEN s.enabled AND m.missing IS NOT NULL THEN m.missing ELSE s.last_error END AS last_error,
	   s.last_error_at,
	   (SELECT count(*) FROM kyc_events.dead_letters d
		WHERE d.subscription = s.name AND d.replayed_at IS NULL) AS dead_letters
FROM kyc_events.subscription s, kyc_events.relay_missing() m(missing);

REVOKE ALL ON kyc_events.subscriptions FROM PUBLIC;

-- Subscribe: deliver every event of source matching topics to handler,
-- exactly once in effect, in commit order.  Superuser only: the relay
-- connects to source with the server's own credentials.  start_at says
-- where in the source's outbox: 'beginning', its first event; 'update',
-- where its kyc_events was last updated (update_position()), for a
-- handler a release adds, which must not act again on what the release
-- before handled; 'end', its end_position(), for a handler that must act
-- on nothing before it existed (notifications).
CREATE FUNCTION kyc_events.subscribe(name text, source text, topics text[], handler regprocedure,
									 start_at text DEFAULT 'beginning')
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_events_subscribe'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

-- Stop a subscription and forget its position.
CREATE FUNCTION kyc_events.unsubscribe(name text)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_events_unsubscribe'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

-- Fetch and apply one batch of a subscription now, in this transaction.
-- The relay worker does the same in its own transactions; this is for
-- operators and tests.  Returns how many events were applied.
CREATE FUNCTION kyc_events.relay_once(name text, max_events integer DEFAULT 1000)
RETURNS integer
AS 'MODULE_PATHNAME', 'kyc_events_relay_once'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

-- Apply a dead letter again through its subscription's handler, in this
-- transaction, and mark it replayed.
CREATE FUNCTION kyc_events.replay_dead_letter(dead_letter_id bigint)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_events_replay_dead_letter'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION kyc_events.subscribe(text, text, text[], regprocedure, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.unsubscribe(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.relay_once(text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.replay_dead_letter(bigint) FROM PUBLIC;

-- A handler's first call: passes only while the relay is delivering this
-- event to this handler, and the event's topic is one of topics.  Any role
-- may call it; it reveals nothing and changes nothing.
CREATE FUNCTION kyc_events.require_delivery(e kyc_events.event, handler regprocedure, topics text[])
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_events_require_delivery'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION kyc_events.require_delivery(kyc_events.event, regprocedure, text[]) IS
'Raise 42501 unless the relay is delivering event e to handler now, and e''s topic is one of topics.';

------------------------------------------------------------------------
-- Capture: every change of a table as an audit.recorded event.
------------------------------------------------------------------------

-- Both capture functions refuse to fire except as the triggers capture()
-- creates, on a permanent table.
CREATE FUNCTION kyc_events.capture_row()
RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_events_capture_row'
LANGUAGE C
SET search_path = pg_catalog, pg_temp;

-- TRUNCATE removes every row at once; it is captured as one event.
CREATE FUNCTION kyc_events.capture_truncate()
RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_events_capture_truncate'
LANGUAGE C
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION kyc_events.capture_row() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.capture_truncate() FROM PUBLIC;

-- How capture_row() finds the public case id (KYC-...) of a captured row:
-- case_column holds it, or, with a parent, case_column references
-- parent's parent_key, and the case is the parent row's, found by the
-- parent's own path.  Identifiers from the catalogs only, written by
-- capture(); capture_row() reads it as its owner.
CREATE TABLE kyc_events.capture_case_path (
	target		regclass PRIMARY KEY,
	case_column	name NOT NULL,
	parent		regclass,
	parent_key	name,
	CHECK ((parent IS NULL) = (parent_key IS NULL)),
	CHECK (parent IS DISTINCT FROM target)
);
REVOKE ALL ON kyc_events.capture_case_path FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('kyc_events.capture_case_path', '');

-- Install the capture triggers on a table (idempotent), and say how its
-- rows reach their case: capture(t, 'case_id') when t.case_id holds the
-- public id; capture(t, 'applicant_id', 'applicants', 'id') when the case
-- is that of the applicants row whose id is t.applicant_id (applicants'
-- own path registered first).  Needs the right to create triggers on it.
CREATE FUNCTION kyc_events.capture(target regclass, case_column name DEFAULT NULL,
								   parent regclass DEFAULT NULL, parent_key name DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF target IS NULL THEN
		RAISE EXCEPTION 'target must not be null' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Name the table to capture.';
	END IF;
	IF case_column IS NOT NULL THEN
		IF NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = capture.target AND a.attname = capture.case_column
					   AND a.attnum > 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'table % has no column %', target, case_column
				USING ERRCODE = 'undefined_column',
					  HINT = 'case_column names the column of the captured table that leads to its case.';
		END IF;
		IF (parent IS NULL) <> (parent_key IS NULL) THEN
			RAISE EXCEPTION 'parent % and parent_key % go together', parent, parent_key
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Give both, or neither when case_column holds the case id itself.';
		END IF;
		IF parent IS NOT NULL THEN
			IF NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = capture.parent AND a.attname = capture.parent_key
						   AND a.attnum > 0 AND NOT a.attisdropped) THEN
				RAISE EXCEPTION 'table % has no column %', parent, parent_key
					USING ERRCODE = 'undefined_column',
						  HINT = 'parent_key names the column of parent that case_column references.';
			END IF;
			IF NOT EXISTS (SELECT FROM kyc_events.capture_case_path p WHERE p.target = capture.parent) THEN
				RAISE EXCEPTION 'table % has no case path', parent
					USING ERRCODE = 'invalid_parameter_value',
						  HINT = 'Capture the parent table with its case path first.';
			END IF;
		END IF;
		INSERT INTO kyc_events.capture_case_path AS p (target, case_column, parent, parent_key)
		VALUES (capture.target, capture.case_column, capture.parent, capture.parent_key)
		ON CONFLICT ON CONSTRAINT capture_case_path_pkey DO UPDATE
		SET case_column = excluded.case_column, parent = excluded.parent, parent_key = excluded.parent_key;
	END IF;
	-- OR REPLACE: the new trigger row makes every session drop the paths it
	-- had read (capture_row's relcache callback).
	EXECUTE format('CREATE OR REPLACE TRIGGER kyc_capture AFTER INSERT OR UPDATE OR DELETE ON %s '
				   'FOR EACH ROW EXECUTE FUNCTION kyc_events.capture_row()', target);
	IF NOT EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = target AND t.tgname = 'kyc_capture_truncate') THEN
		EXECUTE format('CREATE TRIGGER kyc_capture_truncate AFTER TRUNCATE ON %s '
					   'FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.capture_truncate()', target);
	END IF;
END
$$;

COMMENT ON FUNCTION kyc_events.capture(regclass, name, regclass, name) IS
'Emit audit.recorded for every INSERT, UPDATE (changed columns only) and DELETE of a table, with the public case id its case path leads to.';

REVOKE ALL ON FUNCTION kyc_events.capture(regclass, name, regclass, name) FROM PUBLIC;

-- The master key that wraps each case's data key for sealed personal data
-- (master_key.c, common/kyc_pii.c).  Superusers only: make provision calls
-- it once, then sets kyc.master_key_file to the file.
CREATE FUNCTION kyc_events.create_master_key(path text)
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_events_create_master_key'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_events.create_master_key(text) FROM PUBLIC;
CREATE FUNCTION kyc_events.check_master_key()
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_events_check_master_key'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_events.check_master_key() FROM PUBLIC;
COMMENT ON FUNCTION kyc_events.check_master_key() IS
'Refuse (55000) unless kyc.master_key_file names a usable master key: a regular file of 64 hex digits without group or world access. Superusers only; make provision runs it.';
COMMENT ON FUNCTION kyc_events.create_master_key(text) IS
'Write a new random 256-bit master key (64 hex digits) to path, an absolute path outside the data directory that must not exist yet, readable by the server alone; returns path. Set kyc.master_key_file to it. Superusers only; an existing key is never overwritten.';

-- PostgREST's db-pre-request (jwt.c): the token's Keycloak roles to one of
-- pgkyc's API roles, its partner to kyc.partner_id, its subject to
-- kyc.actor.  Not SECURITY DEFINER: it changes the role, which a security
-- definer may not.  make provision grants it to the API roles.
CREATE FUNCTION kyc_events.pre_request()
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_events_pre_request'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_events.pre_request() FROM PUBLIC;
COMMENT ON FUNCTION kyc_events.pre_request() IS
'PostgREST''s db-pre-request: maps the verified token in request.jwt.claims (Keycloak realm_access.roles and resource_access.<kyc_events.jwt_client>.roles, partner_id, sub, preferred_username) to SET LOCAL ROLE kyc_partner, kyc_reviewer, kyc_compliance_officer or kyc_admin (kyc_anon without a token), kyc.partner_id, kyc.actor and kyc.actor_name. A token naming any other kyc_ role, or a role claim outside those, is refused (42501).';

-- The request's partner, for the API's row-level security policies (NULL
-- without one), and the same refusing a request without one, for the API's
-- functions (jwt.c).
CREATE FUNCTION kyc_events.request_partner()
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_events_request_partner'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_events.request_partner() FROM PUBLIC;
CREATE FUNCTION kyc_events.require_partner(action text)
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_events_require_partner'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_events.require_partner(text) FROM PUBLIC;

-- For the api functions: re-raise a caught error as PostgREST's custom
-- error (SQLSTATE PGRST, PostgREST 11.2 and later), so that the HTTP status
-- is the one a client expects, with the original SQLSTATE, message, detail
-- and hint in the response body.  PostgREST answers 500 for class 55 (a
-- case frozen, a subject forgotten): a conflict with the resource's state,
-- which is 409.
CREATE FUNCTION kyc_events.raise_http(status integer, code text, message text, details text, hint text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF status IS NULL OR code IS NULL OR message IS NULL THEN
		RAISE EXCEPTION '% must not be null', CASE WHEN status IS NULL THEN 'status' WHEN code IS NULL THEN 'code' ELSE 'message' END
			USING ERRCODE = 'null_value_not_allowed';
	ELSIF status NOT BETWEEN 400 AND 599 THEN
		RAISE EXCEPTION 'status % is not an HTTP error status', status
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Use 400 to 599, as 409 for a conflict.';
	ELSIF code !~ '^[0-9A-Z]{5}$' THEN
		RAISE EXCEPTION 'code "%" is not a SQLSTATE', code
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass the SQLSTATE caught, five digits or capitals.';
	END IF;
	RAISE SQLSTATE 'PGRST'
		USING MESSAGE = pg_catalog.json_build_object('code', code, 'message', message, 'details', NULLIF(details, ''),
													 'hint', NULLIF(hint, ''))::text,
			  DETAIL = pg_catalog.json_build_object('status', status, 'headers', pg_catalog.json_build_object())::text;
END
$$;
REVOKE ALL ON FUNCTION kyc_events.raise_http(integer, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_events.raise_http(integer, text, text, text, text) IS
'Raise PostgREST''s custom error (SQLSTATE PGRST): HTTP status, and code, message, details and hint as the response body. The api functions use it to answer 409 for a state conflict (55000), which PostgREST would answer with 500.';

------------------------------------------------------------------------
-- Health: what monitoring needs of this database, in one call.
------------------------------------------------------------------------

-- Whether relation (a qualified name) exists and is a member of extension
-- ext: health() reads another extension's tables only after this says
-- they are that extension's own, not a look-alike in a schema of the name.
CREATE FUNCTION kyc_events.extension_owns(ext name, relation text)
RETURNS boolean
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
RETURN EXISTS (SELECT FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
			   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass
				 AND d.deptype = 'e' AND x.extname = ext AND d.objid = to_regclass(relation));
REVOKE ALL ON FUNCTION kyc_events.extension_owns(name, text) FROM PUBLIC;

-- The health of this database as one jsonb (docs/kyc_events.md, "Health in
-- one call"): the relay (its worker, each subscription's state and lag),
-- dead letters, the cluster's NOTIFY queue usage and, where kyc_auditlog
-- or kyc_notification is installed, the audit log's unsealed backlog, last
-- seal and last recorded verify(), or the notification queue's depth and
-- oldest due message; and issues, what needs a look without any threshold.
-- kyc_events requires neither extension: each is found in pg_extension,
-- and its tables are read, once extension_owns() vouches for them, by
-- qualified names in constant statements with values as parameters.
-- SECURITY DEFINER, so a service role sees figures of tables it cannot
-- read (dead letters); it shows conninfos masked, and no event's content.
CREATE FUNCTION kyc_events.health()
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	-- The time of the call, not of its transaction: audit entries carry
	-- clock_timestamp(), and an age must not come out negative.
	as_of timestamptz := clock_timestamp();
	missing text := kyc_events.relay_missing();
	subscriptions jsonb;
	issues text[];
	worker_running boolean;
	dead record;
	last_block record;
	audit jsonb;
	last_verify jsonb;
	notification jsonb;
BEGIN
	SELECT coalesce(jsonb_agg(jsonb_build_object(
			   'name', s.name, 'source', s.source, 'enabled', s.enabled, 'state', s.state,
			   'applied', s.applied, 'last_applied_at', s.last_applied_at,
			   'lag_events', s.lag_events, 'lag_seconds', round(s.lag_seconds, 3),
			   'lag_measured_at', s.lag_measured_at,
			   'lag_measured_age_seconds', round(extract(epoch FROM greatest(as_of, s.lag_measured_at) - s.lag_measured_at), 3),
			   'last_error', s.last_error, 'last_error_at', s.last_error_at,
			   'dead_letters', s.dead_letters) ORDER BY s.name), '[]'),
		   coalesce(array_agg(format('subscription %s is %s', s.name, s.state) ORDER BY s.name)
					FILTER (WHERE s.enabled AND s.state NOT IN ('new', 'streaming')), '{}')
	INTO subscriptions, issues
	FROM kyc_events.subscriptions s;

	worker_running := EXISTS (SELECT FROM pg_stat_activity a
							  WHERE a.backend_type = 'kyc_events relay' AND a.datname = current_database());
	IF NOT worker_running AND missing IS NULL
	   AND EXISTS (SELECT FROM kyc_events.subscription s WHERE s.enabled) THEN
		issues := issues || 'no relay worker is running for this database'::text;
	END IF;

	SELECT count(*) AS unreplayed, min(d.failed_at) AS oldest_at
	INTO dead
	FROM kyc_events.dead_letters d WHERE d.replayed_at IS NULL;
	IF dead.unreplayed > 0 THEN
		issues := issues || format('%s dead letters not replayed', dead.unreplayed);
	END IF;

	IF kyc_events.extension_owns('kyc_auditlog', 'kyc_auditlog.audit_log_entries')
	   AND kyc_events.extension_owns('kyc_auditlog', 'kyc_auditlog.blocks') THEN
		-- Entries after the last block's (xid, entry_seq) are not sealed
		-- yet: seal() seals ended transactions only, in that order.
		EXECUTE 'SELECT b.block_id, b.sealed_at, b.last_xid, b.last_entry
				 FROM kyc_auditlog.blocks b ORDER BY b.block_id DESC LIMIT 1'
		INTO last_block;
		EXECUTE 'SELECT pg_catalog.jsonb_build_object(
					 ''unsealed_entries'', count(*),
					 ''oldest_unsealed_at'', min(e."timestamp"),
					 ''oldest_unsealed_age_seconds'',
						 coalesce(round(extract(epoch FROM greatest($3, min(e."timestamp")) - min(e."timestamp")), 3), 0),
					 ''last_block_id'', $4,
					 ''last_seal_at'', $5,
					 ''last_seal_age_seconds'', round(extract(epoch FROM greatest($3, $5) - $5), 3))
				 FROM kyc_auditlog.audit_log_entries e
				 WHERE (e.xid, e.entry_seq) > ($1, $2)'
		INTO audit
		USING coalesce(last_block.last_xid, '0'::xid8), coalesce(last_block.last_entry, 0), as_of,
			  last_block.block_id, last_block.sealed_at;
		-- The last verify() that record_verify() recorded (pg_cron's nightly run).
		IF kyc_events.extension_owns('kyc_auditlog', 'kyc_auditlog.verify_runs') THEN
			EXECUTE 'SELECT pg_catalog.jsonb_build_object(''at'', v.at,
						 ''age_seconds'', round(extract(epoch FROM greatest($1, v.at) - v.at), 3),
						 ''from_time'', v.from_time, ''to_time'', v.to_time,
						 ''problems'', v.problems, ''ok'', v.problems = 0)
					 FROM kyc_auditlog.verify_runs v ORDER BY v.at DESC, v.id DESC LIMIT 1'
			INTO last_verify
			USING as_of;
			IF last_verify IS NULL THEN
				issues := issues || 'no verify() of the audit log is recorded'::text;
			ELSIF (last_verify->>'problems')::int > 0 THEN
				issues := issues || format('the last verify() of the audit log found %s problems',
										   last_verify->>'problems');
			END IF;
		END IF;
		audit := audit || jsonb_build_object('last_verify', last_verify);
	END IF;

	IF kyc_events.extension_owns('kyc_notification', 'kyc_notification.notifications') THEN
		-- Pending, Scheduled and Sending messages are the queue; a Pending
		-- one is due once its next_attempt_at has come.
		EXECUTE 'SELECT pg_catalog.jsonb_build_object(
					 ''depth'', count(*),
					 ''pending'', count(*) FILTER (WHERE n.status = ''Pending''),
					 ''scheduled'', count(*) FILTER (WHERE n.status = ''Scheduled''),
					 ''sending'', count(*) FILTER (WHERE n.status = ''Sending''),
					 ''due'', count(*) FILTER (WHERE n.status = ''Pending'' AND n.next_attempt_at <= $1),
					 ''oldest_due_at'', min(n.next_attempt_at) FILTER (WHERE n.status = ''Pending''
																		AND n.next_attempt_at <= $1),
					 ''oldest_due_age_seconds'', coalesce(round(extract(epoch FROM $1 - min(n.next_attempt_at)
						 FILTER (WHERE n.status = ''Pending'' AND n.next_attempt_at <= $1)), 3), 0),
					 ''expired_leases'', count(*) FILTER (WHERE n.status = ''Sending'' AND n.locked_until < $1))
				 FROM kyc_notification.notifications n
				 WHERE n.status IN (''Pending'', ''Scheduled'', ''Sending'')'
		INTO notification
		USING as_of;
	END IF;

	RETURN jsonb_build_object(
		'database', current_database(),
		'as_of', as_of,
		'ok', cardinality(issues) = 0,
		'issues', to_jsonb(issues),
		'relay', jsonb_build_object('worker_running', worker_running, 'worker_missing', missing,
									'subscriptions', subscriptions),
		'dead_letters', jsonb_build_object(
			'unreplayed', dead.unreplayed, 'oldest_failed_at', dead.oldest_at,
			'oldest_age_seconds', coalesce(round(extract(epoch FROM greatest(as_of, dead.oldest_at) - dead.oldest_at), 3), 0)),
		'notification_queue_usage', pg_notification_queue_usage(),
		'auditlog', audit,
		'notification', notification);
END
$$;
REVOKE ALL ON FUNCTION kyc_events.health() FROM PUBLIC;
COMMENT ON FUNCTION kyc_events.health() IS
'This database''s health as jsonb: ok and issues; the relay worker and every subscription''s state, lag and dead letters (conninfo masked); unreplayed dead letters; pg_notification_queue_usage(); where installed, the audit log''s unsealed backlog, last seal and last recorded verify(), and the notification queue''s depth and oldest due message. make provision grants it to the database''s service role.';
