-- What the relay's own role (kyc_relay) may do in a source database; run by
-- make provision with psql variables db and relay.  It reads events and
-- acknowledges positions through SECURITY DEFINER functions, and nothing
-- else: no table privilege, no emit.
GRANT CONNECT ON DATABASE :"db" TO :"relay";
GRANT USAGE ON SCHEMA kyc_events TO :"relay";
GRANT EXECUTE ON FUNCTION kyc_events.read(xid8, bigint, text[], integer, bigint) TO :"relay";
GRANT EXECUTE ON FUNCTION kyc_events.backlog(xid8, bigint, text[]) TO :"relay";
GRANT EXECUTE ON FUNCTION kyc_events.read_blocker() TO :"relay";
GRANT EXECUTE ON FUNCTION kyc_events.ack(text, xid8, bigint) TO :"relay";
GRANT EXECUTE ON FUNCTION kyc_events.register_consumer(text, boolean) TO :"relay";
GRANT EXECUTE ON FUNCTION kyc_events.end_position() TO :"relay";
GRANT EXECUTE ON FUNCTION kyc_events.update_position() TO :"relay";
