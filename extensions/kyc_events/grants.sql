-- Least privilege for a service role on kyc_events; run by make provision
-- with psql variable role.  The role emits events and reads its own outbox;
-- it cannot write the outbox directly, so it cannot forge xids or headers,
-- nor delete an event before the relay has delivered it.
GRANT USAGE ON SCHEMA kyc_events TO :"role";
GRANT EXECUTE ON FUNCTION kyc_events.emit(text, text, jsonb) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_events.current_headers() TO :"role";
GRANT SELECT ON kyc_events.outbox TO :"role";
-- The service can watch its subscriptions (passwords masked), not edit them.
GRANT SELECT ON kyc_events.subscriptions TO :"role";
-- Its health in one call (figures only: no conninfo but masked, no event content).
GRANT EXECUTE ON FUNCTION kyc_events.health() TO :"role";
