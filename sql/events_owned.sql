-- Owned topics and who may act on them: kyc_events' trigger functions fire
-- only as the triggers kyc_events creates, and relay handlers accept only
-- the event the relay is delivering to them, of their own topic.
-- (emit()'s refusal of owned topics is in events_emit.)
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SELECT format('host=%s port=%s dbname=%s', current_setting('unix_socket_directories'),
			  current_setting('port'), current_database()) AS self \gset
CREATE TABLE public.owned_scratch (id int, case_id text);

-- capture_row() fires only as trigger kyc_capture, AFTER ... FOR EACH ROW.
CREATE TRIGGER fake_capture AFTER INSERT ON public.owned_scratch
	FOR EACH ROW EXECUTE FUNCTION kyc_events.capture_row();
INSERT INTO public.owned_scratch VALUES (1, 'KYC-O1');
DROP TRIGGER fake_capture ON public.owned_scratch;
CREATE TRIGGER kyc_capture BEFORE INSERT ON public.owned_scratch
	FOR EACH ROW EXECUTE FUNCTION kyc_events.capture_row();
INSERT INTO public.owned_scratch VALUES (1, 'KYC-O1');
DROP TRIGGER kyc_capture ON public.owned_scratch;
-- capture_truncate() fires only as kyc_capture_truncate, AFTER TRUNCATE.
CREATE TRIGGER kyc_capture_truncate AFTER INSERT ON public.owned_scratch
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.capture_truncate();
INSERT INTO public.owned_scratch VALUES (1, 'KYC-O1');
DROP TRIGGER kyc_capture_truncate ON public.owned_scratch;
CREATE TRIGGER fake_truncate AFTER TRUNCATE ON public.owned_scratch
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.capture_truncate();
TRUNCATE public.owned_scratch;
DROP TRIGGER fake_truncate ON public.owned_scratch;
SELECT kyc_events.capture_truncate();
-- A temporary table is not audited.
CREATE TEMP TABLE owned_temp (id int);
SELECT kyc_events.capture('owned_temp');
INSERT INTO owned_temp VALUES (1);
TRUNCATE owned_temp;
-- As capture() installs them, both work.
SELECT kyc_events.capture('public.owned_scratch');
INSERT INTO public.owned_scratch VALUES (1, 'KYC-O1');
TRUNCATE public.owned_scratch;
SELECT topic, aggregate_id, payload FROM kyc_events.outbox
WHERE aggregate_id = 'public.owned_scratch' ORDER BY id;
SELECT count(*) AS temp_events FROM kyc_events.outbox WHERE aggregate_id LIKE '%owned_temp';

-- subscription_changed() fires only on kyc_events.subscription.
CREATE TRIGGER subscription_changed AFTER INSERT ON public.owned_scratch
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.subscription_changed();
INSERT INTO public.owned_scratch VALUES (2, 'KYC-O2');
DROP TRIGGER subscription_changed ON public.owned_scratch;

-- No role but the owner can attach the trigger functions or call the handlers.
CREATE ROLE regress_kyc_nobody;
SELECT p.oid::regprocedure AS function, has_function_privilege('regress_kyc_nobody', p.oid, 'EXECUTE') AS executable
FROM pg_proc p
WHERE p.oid IN ('kyc_events.capture_row()'::regprocedure, 'kyc_events.capture_truncate()'::regprocedure,
				'kyc_events.subscription_changed()'::regprocedure,
				'kyc_auditlog.record_event(kyc_events.event)'::regprocedure,
				'kyc_checklist.on_document_verified(kyc_events.event)'::regprocedure)
ORDER BY 1::text;
DROP ROLE regress_kyc_nobody;

-- Handlers refuse a direct call, even from a superuser.
\set VERBOSITY terse
SELECT kyc_auditlog.record_event(ROW('onboarding', 1, '1', 'audit.recorded', 'kyc_risk.risk_assessments',
	'{"table": "kyc_risk.risk_assessments", "operation": "UPDATE"}', '{}', now())::kyc_events.event);
SELECT kyc_events.require_delivery(ROW('x', 1, '1', 'test.recorded', 'a', '{}', '{}', now())::kyc_events.event,
								   'kyc_auditlog.record_event(kyc_events.event)', '{test.recorded}');

-- A handler subscribed to a topic it does not handle refuses the event,
-- and the batch does not move.
SELECT kyc_events.emit('test.recorded', 'KYC-O3', '{"table": "kyc_risk.risk_assessments", "operation": "DELETE"}') > 0 AS emitted;
SELECT kyc_events.subscribe('owned_wrong_topic', :'self', '{test.recorded}', 'kyc_auditlog.record_event(kyc_events.event)');
SELECT kyc_events.relay_once('owned_wrong_topic');
SELECT kyc_events.subscribe('owned_wrong_handler', :'self', '{test.recorded}',
							'kyc_checklist.on_document_verified(kyc_events.event)');
SELECT kyc_events.relay_once('owned_wrong_handler');
SELECT name, position_id, applied FROM kyc_events.subscriptions WHERE name LIKE 'owned%' ORDER BY name;

-- While the relay delivers to one handler, another cannot be called with
-- a made-up event...
CREATE TABLE public.owned_seen (id bigint, topic text);
CREATE FUNCTION public.owned_forward(e kyc_events.event) RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM kyc_auditlog.record_event(ROW(e.source, e.id, e.xid, 'audit.recorded', e.aggregate_id,
		e.payload, '{"actor": "compliance.officer@bank"}', e.created_at)::kyc_events.event);
END $$;
SELECT kyc_events.subscribe('owned_forward', :'self', '{test.recorded}', 'public.owned_forward(kyc_events.event)');
SELECT kyc_events.relay_once('owned_forward');
-- ...nor can the handler pass on another event than the one delivered.
CREATE FUNCTION public.owned_check(e kyc_events.event) RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM kyc_events.require_delivery(ROW(e.source, e.id OPERATOR(pg_catalog.+) 1, e.xid, e.topic,
		e.aggregate_id, e.payload, e.headers, e.created_at)::kyc_events.event,
		'public.owned_check(kyc_events.event)', '{test.recorded}');
	INSERT INTO public.owned_seen VALUES (e.id, e.topic);
END $$;
SELECT kyc_events.subscribe('owned_check', :'self', '{test.recorded}', 'public.owned_check(kyc_events.event)');
SELECT kyc_events.relay_once('owned_check');
-- With the delivered event and its topic it passes, only during the delivery.
CREATE OR REPLACE FUNCTION public.owned_check(e kyc_events.event) RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM kyc_events.require_delivery(e, 'public.owned_check(kyc_events.event)', '{test.recorded}');
	INSERT INTO public.owned_seen VALUES (e.id, e.topic);
END $$;
SELECT kyc_events.relay_once('owned_check') AS applied;
SELECT topic FROM public.owned_seen;
SELECT kyc_events.require_delivery(ROW('x', 1, '1', 'test.recorded', 'a', '{}', '{}', now())::kyc_events.event,
								   'public.owned_check(kyc_events.event)', '{test.recorded}');
SELECT count(*) AS forged_entries FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'KYC-O3';
\set VERBOSITY default

SELECT kyc_events.unsubscribe(name) FROM kyc_events.subscription WHERE name LIKE 'owned%' ORDER BY name;
SELECT count(kyc_events.forget_consumer(name)) AS forgotten FROM kyc_events.consumers WHERE name LIKE '%/owned%';
DELETE FROM kyc_events.outbox WHERE aggregate_id IN ('KYC-O3', 'public.owned_scratch');
DROP TABLE public.owned_scratch, public.owned_seen;
DROP FUNCTION public.owned_forward(kyc_events.event), public.owned_check(kyc_events.event);
