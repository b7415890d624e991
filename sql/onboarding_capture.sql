-- Capture: changes of a domain table become audit.recorded events, which
-- the audit log's handler turns into hashed entries (here through
-- relay_once(), the relay worker's own batch step).
\set SHOW_CONTEXT never
SET client_min_messages = warning;

-- The audit log's months, which its own tests make in their database.
SELECT kyc_auditlog.ensure_partitions() >= 0 AS audit_months;
SELECT kyc_events.capture('kyc_onboarding.onboarding_cases');
SELECT kyc_events.capture('kyc_onboarding.onboarding_cases');
SELECT count(*) AS capture_triggers FROM pg_trigger WHERE tgname LIKE 'kyc_capture%';
SELECT kyc_events.capture('no_such_table');

SELECT kyc_events.subscribe('capture_self', format('host=%s port=%s dbname=%s',
	current_setting('unix_socket_directories'), current_setting('port'), current_database()),
	'{audit.recorded}', 'kyc_auditlog.record_event(kyc_events.event)');

SET kyc.actor = 'analyst-jane';
INSERT INTO kyc_onboarding.onboarding_cases (case_id, type) VALUES ('KYC-CAP', 'Corporate');
SELECT kyc_onboarding.transition('KYC-CAP', 'InProgress', 'analyst-jane') IS NOT NULL AS moved;
UPDATE kyc_onboarding.onboarding_cases SET partner_id = partner_id WHERE case_id = 'KYC-CAP';
RESET kyc.actor;

-- Whole row on insert, changed columns only on update (a no-op UPDATE still
-- moves updated_at, and that is recorded).
SELECT payload->>'operation' AS op, payload->>'table' AS tbl, payload->>'case_id' AS case_id,
	   payload->'previous_values' = 'null' AS no_previous,
	   (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(payload->'new_values') k) AS new_keys,
	   headers->>'actor' AS actor
FROM kyc_events.outbox WHERE topic = 'audit.recorded' AND payload->>'case_id' = 'KYC-CAP' ORDER BY id;

SELECT kyc_events.relay_once('capture_self') >= 2 AS applied;
SELECT event_type, entity_type, case_id, user_id, action,
	   (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(previous_values) k) AS previous_keys,
	   new_values->'status' AS new_status,
	   integrity_hash = kyc_auditlog.row_hash(e) AS hashed
FROM kyc_auditlog.audit_log_entries e WHERE case_id = 'KYC-CAP' ORDER BY entry_seq;

-- TRUNCATE is captured too, as one event.
CREATE TABLE public.scratch (id int);
SELECT kyc_events.capture('public.scratch');
INSERT INTO public.scratch VALUES (1), (2);
TRUNCATE public.scratch;
SELECT payload->>'operation' AS op, aggregate_id FROM kyc_events.outbox
WHERE aggregate_id = 'public.scratch' ORDER BY id;
DROP TABLE public.scratch;

SELECT kyc_events.unsubscribe('capture_self');
SELECT kyc_events.forget_consumer(name) FROM kyc_events.consumers WHERE name LIKE '%/capture_self';
DROP TRIGGER kyc_capture ON kyc_onboarding.onboarding_cases;
DROP TRIGGER kyc_capture_truncate ON kyc_onboarding.onboarding_cases;
