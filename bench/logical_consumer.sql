-- bench/logical_consumer.sql: the consumer database of scripts/bench_logical.sh.
-- One handler, reached two ways: by the relay (a kyc_events subscription
-- calls it with each event) and by logical replication (the apply worker
-- inserts each replicated outbox row, and an ENABLE ALWAYS trigger turns
-- the row into the same kyc_events.event and calls it).
CREATE EXTENSION IF NOT EXISTS kyc_events;

-- What the handler writes: one row per event, stamped when it ran.
CREATE TABLE public.received (
	source_id	bigint NOT NULL,
	created_at	timestamptz NOT NULL,
	received_at	timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The handler.  It names its table with its schema: the logical replication
-- apply worker runs with an empty search_path, where "received" alone is
-- not found (and the relay's worker with pg_catalog, pg_temp).
CREATE FUNCTION public.record(e kyc_events.event) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.received (source_id, created_at) VALUES (e.id, e.created_at);
END
$$;

-- Logical replication lands each row in this database's kyc_events.outbox,
-- the table of the same name as the published one.  The trigger hands it
-- to the handler as an event and returns NULL, so the row itself is not
-- stored: the consumer's own outbox stays its own.
CREATE FUNCTION public.outbox_to_handler() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM public.record(ROW('src', NEW.id, NEW.xid, NEW.topic, NEW.aggregate_id, NEW.payload,
							  NEW.headers, NEW.created_at)::kyc_events.event);
	RETURN NULL;
END
$$;

CREATE TRIGGER outbox_to_handler BEFORE INSERT ON kyc_events.outbox
	FOR EACH ROW EXECUTE FUNCTION public.outbox_to_handler();
-- The apply worker runs with session_replication_role = replica, where
-- only ALWAYS (and REPLICA) triggers fire.
ALTER TABLE kyc_events.outbox ENABLE ALWAYS TRIGGER outbox_to_handler;
