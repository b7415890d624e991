/* kyc_events--0.1.0.sql: the transactional outbox, producer side. */

\echo Use "CREATE EXTENSION kyc_events" to load this file. \quit

-- Who and where: the headers recorded with every event.
CREATE FUNCTION kyc_events.current_headers()
RETURNS jsonb
AS 'MODULE_PATHNAME', 'current_headers'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION kyc_events.current_headers() IS
'Headers for an event emitted now: actor, session_user, current_user, jwt_sub, request_id, application_name, client_addr.';

-- One row per domain event, written in the transaction that caused it.
-- The relay reads rows whose xid is below the source snapshot's xmin, in
-- (xid, id) order, so out-of-order commits are never skipped.
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
CREATE FUNCTION kyc_events.emit(topic text, aggregate_id text, payload jsonb)
RETURNS bigint
AS 'MODULE_PATHNAME', 'emit'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION kyc_events.emit(text, text, jsonb) IS
'Append a domain event to kyc_events.outbox in the current transaction; NOTIFY kyc_events once at commit.';

-- Service roles are granted what they need by make provision, nothing more.
REVOKE ALL ON FUNCTION kyc_events.emit(text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_events.current_headers() FROM PUBLIC;
REVOKE ALL ON TABLE kyc_events.outbox FROM PUBLIC;
