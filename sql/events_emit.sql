-- kyc_events.emit(): the outbox write path and its errors.
\set SHOW_CONTEXT never

-- A valid event lands in the outbox with this transaction's xid.
BEGIN;
SELECT kyc_events.emit('test.created', 'KYC-1', '{"status": "Draft"}') > 0 AS emitted;
SELECT topic, aggregate_id, payload, xid = pg_current_xact_id() AS same_xid
FROM kyc_events.outbox ORDER BY id;
COMMIT;

-- Ids grow; one transaction's events share one xid.
BEGIN;
SELECT kyc_events.emit('test.updated', 'KYC-1', '{"n": 1}') AS a \gset
SELECT kyc_events.emit('test.updated', 'KYC-1', '{"n": 2}') AS b \gset
SELECT :b > :a AS ids_grow;
SELECT count(DISTINCT xid) AS xids FROM kyc_events.outbox WHERE topic = 'test.updated';
COMMIT;

-- A rolled-back transaction leaves no event.
BEGIN;
SELECT kyc_events.emit('test.updated', 'KYC-rolled-back', '{}') > 0 AS emitted;
ROLLBACK;
SELECT count(*) AS rolled_back FROM kyc_events.outbox WHERE aggregate_id = 'KYC-rolled-back';

-- A rolled-back savepoint loses its events, the rest of the transaction keeps them.
BEGIN;
SELECT kyc_events.emit('test.updated', 'KYC-sp', '{"keep": true}') > 0 AS emitted;
SAVEPOINT s;
SELECT kyc_events.emit('test.updated', 'KYC-sp', '{"keep": false}') > 0 AS emitted;
ROLLBACK TO SAVEPOINT s;
COMMIT;
SELECT payload FROM kyc_events.outbox WHERE aggregate_id = 'KYC-sp';

-- Headers: actor from kyc.actor, then the PostgREST JWT subject, then session_user.
BEGIN;
SET LOCAL kyc.actor = 'alice@bank.example';
SET LOCAL kyc.request_id = 'req-42';
SET LOCAL application_name = 'onboarding-api';
SELECT kyc_events.emit('test.updated', 'KYC-h1', '{}') > 0 AS emitted;
COMMIT;
BEGIN;
SET LOCAL request.jwt.claims = '{"sub": "user-7", "role": "web"}';
SET LOCAL request.headers = '{"x-request-id": "pgrst-9"}';
SELECT kyc_events.emit('test.updated', 'KYC-h2', '{}') > 0 AS emitted;
COMMIT;
BEGIN;
SET LOCAL request.jwt.claims = 'not json';
SELECT kyc_events.emit('test.updated', 'KYC-h3', '{}') > 0 AS emitted;
COMMIT;
-- Claims jsonb itself would reject are ignored too, never fatal.
BEGIN;
SET LOCAL request.jwt.claims = '{"sub": "\u0000", "exp": 1e999999}';
SELECT kyc_events.emit('test.updated', 'KYC-h4', '{}') > 0 AS emitted;
COMMIT;
BEGIN;
SET LOCAL request.jwt.claims = '{"exp": 1e999999, "sub": "user-8", "nested": {"sub": "not-me"}}';
SELECT kyc_events.emit('test.updated', 'KYC-h5', '{}') > 0 AS emitted;
COMMIT;
SELECT aggregate_id,
	   headers->>'actor' AS actor,
	   headers->>'jwt_sub' AS jwt_sub,
	   headers->>'request_id' AS request_id,
	   headers->>'application_name' AS app,
	   headers->>'session_user' = session_user AS session_user_recorded
FROM kyc_events.outbox WHERE aggregate_id LIKE 'KYC-h%' ORDER BY id;

-- Claims nested deeper than 64 levels are not parsed (the parser recurses
-- and would exhaust the stack): they are ignored like malformed ones, and
-- emit() still works.  Brackets inside strings do not count.
BEGIN;
SELECT set_config('request.jwt.claims', repeat('[', 100000) || repeat(']', 100000), true) IS NOT NULL AS set;
SELECT kyc_events.emit('test.updated', 'KYC-h6', '{}') > 0 AS emitted;
SELECT set_config('request.jwt.claims', '{"sub": "user-64", "x": ' || repeat('[', 63) || repeat(']', 63) || '}', true) IS NOT NULL AS set;
SELECT kyc_events.emit('test.updated', 'KYC-h7', '{}') > 0 AS emitted;
SELECT set_config('request.jwt.claims', '{"sub": "user-65", "x": ' || repeat('[', 64) || repeat(']', 64) || '}', true) IS NOT NULL AS set;
SELECT kyc_events.emit('test.updated', 'KYC-h8', '{}') > 0 AS emitted;
SELECT set_config('request.jwt.claims', '{"sub": "' || repeat('[{', 40) || '\"]", "x": ' || repeat('{"a":', 60) || '1' || repeat('}', 60) || '}', true) IS NOT NULL AS set;
SELECT kyc_events.emit('test.updated', 'KYC-h9', '{}') > 0 AS emitted;
-- One closing bracket too many is malformed.
SELECT set_config('request.jwt.claims', '{"sub": "user-10"}}', true) IS NOT NULL AS set;
SELECT kyc_events.emit('test.updated', 'KYC-h10', '{}') > 0 AS emitted;
COMMIT;
-- Actors and request ids are at most 200 bytes, from every source: an
-- over-long kyc.actor or kyc.request_id is refused, an over-long JWT subject
-- or x-request-id is ignored.
BEGIN;
SELECT set_config('request.jwt.claims', json_build_object('sub', repeat('s', 200))::text, true) IS NOT NULL AS set;
SELECT set_config('request.headers', json_build_object('x-request-id', repeat('r', 200))::text, true) IS NOT NULL AS set;
SELECT kyc_events.emit('test.updated', 'KYC-h11', '{}') > 0 AS emitted;
SELECT set_config('request.jwt.claims', json_build_object('sub', repeat('s', 201))::text, true) IS NOT NULL AS set;
SELECT set_config('request.headers', json_build_object('x-request-id', repeat('r', 201))::text, true) IS NOT NULL AS set;
SELECT kyc_events.emit('test.updated', 'KYC-h12', '{}') > 0 AS emitted;
COMMIT;
SELECT aggregate_id,
	   coalesce(left(headers->>'actor', 12), '') || CASE WHEN octet_length(headers->>'actor') > 12
			THEN format('... (%s bytes)', octet_length(headers->>'actor')) ELSE '' END AS actor,
	   coalesce(left(headers->>'jwt_sub', 12), '') || CASE WHEN octet_length(headers->>'jwt_sub') > 12
			THEN format('... (%s bytes)', octet_length(headers->>'jwt_sub')) ELSE '' END AS jwt_sub,
	   octet_length(headers->>'request_id') AS request_id_bytes,
	   headers->>'actor' = session_user AS actor_is_session_user
FROM kyc_events.outbox WHERE aggregate_id ~ '^KYC-h([6-9]|1[0-2])$' ORDER BY id;
SELECT set_config('kyc.actor', repeat('a', 201), false);
SELECT set_config('kyc.request_id', repeat('r', 201), false);
SELECT set_config('kyc.request_id', repeat('r', 200), false) = repeat('r', 200) AS longest_request_id;
RESET kyc.request_id;
RESET kyc.actor;

-- A misspelt setting under the reserved prefix is refused, not ignored.
SET kyc.acter = 'alice';

-- A prepared transaction can emit (NOTIFY could not be prepared; the doorbell
-- is held back and the relay's poll delivers the event).
BEGIN;
SELECT kyc_events.emit('test.updated', 'KYC-2pc', '{}') > 0 AS emitted;
PREPARE TRANSACTION 'kyc_emit_2pc';
COMMIT PREPARED 'kyc_emit_2pc';
SELECT count(*) AS prepared_events FROM kyc_events.outbox WHERE aggregate_id = 'KYC-2pc';

-- Bad topics.
SELECT kyc_events.emit(NULL, 'KYC-1', '{}');
SELECT kyc_events.emit('', 'KYC-1', '{}');
SELECT kyc_events.emit('created', 'KYC-1', '{}');
SELECT kyc_events.emit('Test.Created', 'KYC-1', '{}');
SELECT kyc_events.emit('test.created.', 'KYC-1', '{}');
SELECT kyc_events.emit('test..created', 'KYC-1', '{}');
SELECT kyc_events.emit('test.created; drop table x', 'KYC-1', '{}');
SELECT kyc_events.emit('test.' || repeat('x', 100), 'KYC-1', '{}');

-- Bad aggregate ids.
SELECT kyc_events.emit('test.created', NULL, '{}');
SELECT kyc_events.emit('test.created', '', '{}');
SELECT kyc_events.emit('test.created', repeat('x', 201), '{}');
SELECT kyc_events.emit('test.created', repeat('x', 200), '{}') > 0 AS longest_id_accepted;

-- Bad payloads.
SELECT kyc_events.emit('test.created', 'KYC-1', NULL);
SELECT kyc_events.emit('test.created', 'KYC-1', '[1, 2]');
SELECT kyc_events.emit('test.created', 'KYC-1', '"text"');

-- Topics an extension owns come only from its triggers: emit() refuses
-- them, to every caller, a superuser too.  Only the whole first segment
-- counts.
SELECT kyc_events.emit('audit.recorded', 'kyc_risk.risk_assessments',
					   '{"table": "kyc_risk.risk_assessments", "operation": "UPDATE"}');
SELECT kyc_events.emit('document.verified', 'KYC-1', '{"document_id": "none"}');
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['case.created', 'applicant.updated', 'checklist.completed',
		'risk.assessment_completed', 'document.uploaded', 'audit.login', 'projection.updated',
		'notification.sent', 'cases.created', 'auditing.done', 'documents.x', 'test.case']
	LOOP
		BEGIN
			PERFORM kyc_events.emit(t, 'KYC-owned', '{}');
			RAISE NOTICE '% accepted', t;
		EXCEPTION WHEN insufficient_privilege THEN
			RAISE NOTICE '% refused: %', t, SQLERRM;
		END;
	END LOOP;
END
$$;
SELECT topic FROM kyc_events.outbox WHERE aggregate_id = 'KYC-owned' ORDER BY id;

-- Nothing but emit() writes the outbox, and ids cannot be chosen.
CREATE ROLE regress_kyc_service;
GRANT USAGE ON SCHEMA kyc_events TO regress_kyc_service;
GRANT EXECUTE ON FUNCTION kyc_events.emit(text, text, jsonb) TO regress_kyc_service;
GRANT SELECT ON kyc_events.outbox TO regress_kyc_service;
SET ROLE regress_kyc_service;
SELECT kyc_events.emit('test.created', 'KYC-role', '{}') > 0 AS service_can_emit;
SELECT headers->>'session_user' = session_user AS session_user, headers->>'current_user' AS current_user
FROM kyc_events.outbox WHERE aggregate_id = 'KYC-role';
INSERT INTO kyc_events.outbox (topic, aggregate_id, payload) VALUES ('test.created', 'x', '{}');
UPDATE kyc_events.outbox SET payload = '{}';
DELETE FROM kyc_events.outbox;
RESET ROLE;
DROP OWNED BY regress_kyc_service;
DROP ROLE regress_kyc_service;
