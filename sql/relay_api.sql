-- kyc_events relay: the SQL API, its errors, delivery through relay_once(),
-- ordering, topic filters, pruning.  (The relay worker itself is tested in
-- tests/tap/t/003_relay.pl, across three clusters.)
\set SHOW_CONTEXT never
SET client_min_messages = warning;
-- Start from an empty outbox: earlier tests in this database emitted events.
TRUNCATE kyc_events.outbox RESTART IDENTITY;
SELECT format('host=%s port=%s dbname=%s', current_setting('unix_socket_directories'),
			  current_setting('port'), current_database()) AS self \gset

CREATE TABLE delivered (n serial, source text, id bigint, topic text, aggregate_id text, payload jsonb);
CREATE FUNCTION record(e kyc_events.event) RETURNS void LANGUAGE sql
AS $$ INSERT INTO public.delivered (source, id, topic, aggregate_id, payload)
	  VALUES (e.source, e.id, e.topic, e.aggregate_id, e.payload) $$;
CREATE FUNCTION wrong_shape(e jsonb) RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION two_args(e kyc_events.event, n integer) RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION a_set(e kyc_events.event) RETURNS SETOF integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE PROCEDURE a_procedure(e kyc_events.event) LANGUAGE sql AS $$ SELECT $$;

-- Bad subscriptions are refused before anything is stored.
SELECT kyc_events.subscribe('Cases', :'self', '{test.*}', 'record(kyc_events.event)');
SELECT kyc_events.subscribe('cases', :'self', '{}', 'record(kyc_events.event)');
SELECT kyc_events.subscribe('cases', :'self', '{test.*, NULL}', 'record(kyc_events.event)');
SELECT kyc_events.subscribe('cases', :'self', '{Test.*}', 'record(kyc_events.event)');
SELECT kyc_events.subscribe('cases', :'self', '{test.*}', 'wrong_shape(jsonb)');
SELECT kyc_events.subscribe('cases', :'self', '{test.*}', 'two_args(kyc_events.event, integer)');
SELECT kyc_events.subscribe('cases', :'self', '{test.*}', 'a_set(kyc_events.event)');
SELECT kyc_events.subscribe('cases', :'self', '{test.*}', 'a_procedure(kyc_events.event)');
SELECT kyc_events.subscribe('cases', :'self', '{test.*}', 0::regprocedure);
SELECT kyc_events.subscribe('cases', :'self', '{test.*}', NULL);
SELECT kyc_events.subscribe('cases', NULL, '{test.*}', 'record(kyc_events.event)');
SELECT kyc_events.subscribe('cases', 'host=/tmp dbname', '{test.*}', 'record(kyc_events.event)');
SELECT kyc_events.subscribe('cases', '  ', '{test.*}', 'record(kyc_events.event)');
\set VERBOSITY terse
SELECT kyc_events.subscribe('cases', 'host=/nonexistent port=1 dbname=nowhere', '{test.*}', 'record(kyc_events.event)');
\set VERBOSITY default
SELECT kyc_events.subscribe('cases', format('host=%s port=%s dbname=postgres',
	current_setting('unix_socket_directories'), current_setting('port')), '{test.*}', 'record(kyc_events.event)');
SELECT count(*) AS stored FROM kyc_events.subscription;

-- Only superusers subscribe: the relay connects with the server's credentials.
-- Even a role granted EXECUTE is refused.
CREATE ROLE regress_kyc_relay_user;
GRANT USAGE ON SCHEMA kyc_events TO regress_kyc_relay_user;
GRANT EXECUTE ON FUNCTION kyc_events.subscribe(text, text, text[], regprocedure, text) TO regress_kyc_relay_user;
SET ROLE regress_kyc_relay_user;
SELECT kyc_events.subscribe('cases', :'self', '{test.*}', 'record(kyc_events.event)');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION kyc_events.subscribe(text, text, text[], regprocedure, text) FROM regress_kyc_relay_user;

-- A subscription; the password in its conninfo is only for superusers.
SELECT kyc_events.subscribe('cases', :'self' || ' password=s3cret', '{test.*, other.verified}',
							'record(kyc_events.event)');
SELECT kyc_events.subscribe('cases', :'self', '{*}', 'record(kyc_events.event)');
SELECT name, source ~ 'password=\*+' AS masked, source ~ 's3cret' AS leaked, topics, handler, state,
	   position_id, applied, dead_letters
FROM kyc_events.subscriptions;
-- This database is not in kyc_events.databases: no relay worker will ever
-- deliver its subscriptions, and the view says so, and what to configure.
SELECT name, state, regexp_replace(regexp_replace(last_error, '"[^"]*"', '"DB"'), '\(now ''[^'']*''\)', '(now ...)') AS hint
FROM kyc_events.subscriptions;
SELECT s.state AS stored_state FROM kyc_events.subscription s;
-- URI and quoted passwords are masked too.
SELECT kyc_events.subscribe('by_uri', format('postgresql://postgres:s3cret@/%s?host=%s&port=%s',
	current_database(), current_setting('unix_socket_directories'), current_setting('port')),
	'{other.*}', 'record(kyc_events.event)');
SELECT kyc_events.subscribe('quoted', :'self' || $$ password='s3c\'ret word'$$, '{other.*}',
	'record(kyc_events.event)');
SELECT name, regexp_replace(source, '/tmp[^ &?]*|port=[0-9]+|dbname=\S+|/pgkyc_\w+', '', 'g') AS shown
FROM kyc_events.subscriptions WHERE name IN ('by_uri', 'quoted') ORDER BY name;
SELECT count(*) AS leaked FROM kyc_events.subscriptions WHERE source ~ 's3c';
-- The view masks through libpq's own parser: every form libpq reads a
-- password from, and sslpassword; what libpq cannot parse is not shown.
SELECT c AS conninfo, kyc_events.masked_conninfo(c) AS shown
FROM unnest(ARRAY[
	'host=db1 dbname=onboarding user=kyc_relay password=s3cret',
	'host=db1 password = s3cret',
	$$host=db1 password='s3c\'ret word' application_name='my app'$$,
	'postgresql://kyc_relay:s3cret@db1:5433/onboarding?sslmode=require',
	'postgresql://kyc_relay:s3%63ret@db1/onboarding',
	'postgresql://db1/onboarding?pass%77ord=s3cret',
	'postgres://db1/onboarding?sslpassword=s3cret&sslkey=/etc/pgkyc/relay.key',
	$$dbname='host=db1 password=s3cret'$$,
	$$dbname='postgresql://u:s3cret@db1/onboarding'$$,
	$$dbname='dbname=\'password=s3cret\''$$,
	$$dbname='host=db1 dbname=\'postgresql://u:s3cret@db1/onboarding\''$$,
	$$dbname='dbname=\'dbname=\\\'sslpassword=s3cret\\\'\''$$,
	'host=db1 pass%77ord=s3cret',
	'PASSWORD=s3cret',
	's3cret',
	'']) c;
SELECT kyc_events.masked_conninfo(NULL) IS NULL AS null_stays_null;
SELECT kyc_events.unsubscribe('by_uri'), kyc_events.unsubscribe('quoted');
SELECT kyc_events.forget_consumer(name) FROM kyc_events.consumers WHERE name ~ '/(by_uri|quoted)$';
GRANT SELECT ON kyc_events.subscriptions TO regress_kyc_relay_user;
SET ROLE regress_kyc_relay_user;
SELECT count(*) AS visible FROM kyc_events.subscriptions;
SELECT source FROM kyc_events.subscription;
RESET ROLE;
SELECT count(*) AS registered_at_source FROM kyc_events.consumers;

-- Delivery: matching topics only, in (xid, id) order, cursor and count kept.
SELECT count(kyc_events.emit(t, 'KYC-R1', jsonb_build_object('t', t)))
FROM unnest(ARRAY['test.created', 'other.uploaded', 'test.status_changed', 'other.verified']) t;
SELECT kyc_events.relay_once('cases', 2) AS applied;
SELECT kyc_events.relay_once('cases') AS applied;
SELECT kyc_events.relay_once('cases') AS applied;
SELECT n, source = current_database() AS from_self, topic, aggregate_id FROM delivered ORDER BY n;
SELECT position_id = (SELECT max(id) FROM kyc_events.outbox WHERE topic <> 'other.uploaded') AS at_last_match,
	   applied, state, (SELECT state FROM kyc_events.subscription) AS stored_state
FROM kyc_events.subscriptions;

-- A failing handler rolls its whole batch back; the cursor stays.
CREATE OR REPLACE FUNCTION record(e kyc_events.event) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF e.payload ? 'poison' THEN
		RAISE EXCEPTION 'cannot handle event %', e.id USING ERRCODE = 'data_exception';
	END IF;
	INSERT INTO public.delivered (source, id, topic, aggregate_id, payload)
	VALUES (e.source, e.id, e.topic, e.aggregate_id, e.payload);
END $$;
SELECT count(kyc_events.emit('test.updated', 'KYC-R2', p))
FROM unnest(ARRAY['{"ok": 1}', '{"poison": true}', '{"ok": 2}']::jsonb[]) p;
\set VERBOSITY terse
SELECT kyc_events.relay_once('cases');
\set VERBOSITY default
SELECT count(*) AS delivered_r2 FROM delivered WHERE aggregate_id = 'KYC-R2';
SELECT kyc_events.relay_once('cases', 1) AS applied_before_poison;
SELECT count(*) AS delivered_r2 FROM delivered WHERE aggregate_id = 'KYC-R2';

-- Pruning removes only what every consumer has acknowledged.
SET kyc_events.retention = '0';
SELECT kyc_events.prune() AS pruned_before_ack;
SELECT position_xid, position_id FROM kyc_events.subscriptions \gset
SELECT kyc_events.ack(name, :'position_xid', :position_id) FROM kyc_events.consumers;
SELECT kyc_events.ack(name, '0', 0) FROM kyc_events.consumers;
SELECT acked_id = :position_id AS ack_never_moves_back FROM kyc_events.consumers;
-- A second subscribe of a taken name is refused before it touches the
-- source: the existing subscription's consumer keeps its position.
SELECT kyc_events.subscribe('cases', :'self', '{*}', 'record(kyc_events.event)');
SELECT acked_id = :position_id AS consumer_kept_position FROM kyc_events.consumers;
SELECT kyc_events.prune() > 0 AS pruned_after_ack;
SELECT count(*) AS kept, min(id) > :position_id AS only_unacknowledged FROM kyc_events.outbox;
SET kyc_events.retention = '';
RESET kyc_events.retention;

-- read() bounds a batch by payload bytes as well as by count: it stops
-- after the event that brings the total to max_bytes, and always returns
-- the first event, however large.
SELECT count(kyc_events.emit('sized.event', 'KYC-S' || i, jsonb_build_object('pad', repeat('x', 100))))
FROM generate_series(1, 4) i;
SELECT octet_length(jsonb_build_object('pad', repeat('x', 100))::text) AS size \gset
SELECT b AS max_bytes, (SELECT count(*) FROM kyc_events.read('0', 0, '{sized.*}', 3, b)) AS events
FROM unnest(ARRAY[NULL, 1, :size, :size + 1, 2 * :size, 2 * :size + 1, 100000]::bigint[]) b;

-- Where a subscription starts (start_at): 'end' after the last event now,
-- acknowledged at the source at once; 'update' where kyc_events was last
-- updated, the start here, where it was installed; 'beginning' at 0.
SELECT kyc_events.subscribe('from_end', :'self', '{sized.*}', 'record(kyc_events.event)', start_at => 'end');
SELECT kyc_events.subscribe('from_update', :'self', '{sized.*}', 'record(kyc_events.event)', start_at => 'update');
SELECT s.name, (s.last_xid, s.last_id) = (p.xid, p.id) AS at_end, s.last_id = 0 AS at_start,
	   (c.acked_xid, c.acked_id) = (s.last_xid, s.last_id) AS acked_there
FROM kyc_events.subscription s, kyc_events.end_position() p, kyc_events.consumers c
WHERE s.name IN ('from_end', 'from_update') AND c.name ~ ('/' || s.name || '$') ORDER BY 1;
SELECT kyc_events.emit('sized.event', 'KYC-S5', '{"after": true}') > 0 AS emitted;
SELECT name, kyc_events.relay_once(name) AS applied FROM kyc_events.subscription
WHERE name IN ('from_end', 'from_update') ORDER BY 1;
SELECT kyc_events.subscribe('bad_start', :'self', '{sized.*}', 'record(kyc_events.event)', start_at => 'now');
SELECT kyc_events.unsubscribe(name) FROM kyc_events.subscription WHERE name IN ('from_end', 'from_update');
SELECT kyc_events.forget_consumer(name) FROM kyc_events.consumers WHERE name ~ '/from_(end|update)$';

-- A dropped handler is an error of its subscription, never taken for a
-- subscription that is gone: relay_once() and replay_dead_letter() say so.
CREATE FUNCTION doomed(e kyc_events.event) RETURNS void LANGUAGE sql AS $$ SELECT $$;
SELECT kyc_events.subscribe('doomed', :'self', '{sized.*}', 'doomed(kyc_events.event)');
INSERT INTO kyc_events.dead_letters (subscription, event, error, attempts)
SELECT 'doomed', ROW(current_database(), 1, '1', 'sized.event', 'KYC-S1', '{}', '{}', now())::kyc_events.event,
	   'failed', 1;
DROP FUNCTION doomed(kyc_events.event);
\set VERBOSITY terse
SELECT kyc_events.relay_once('doomed');
SELECT kyc_events.replay_dead_letter(id) FROM kyc_events.dead_letters WHERE subscription = 'doomed';
\set VERBOSITY default
SELECT kyc_events.unsubscribe('doomed');
SELECT kyc_events.forget_consumer(name) FROM kyc_events.consumers WHERE name ~ '/doomed$';
DELETE FROM kyc_events.dead_letters WHERE subscription = 'doomed';

-- Bad arguments elsewhere.
SELECT kyc_events.relay_once('nope');
SELECT kyc_events.relay_once('cases', 0);
SELECT kyc_events.replay_dead_letter(12345);
SELECT kyc_events.unsubscribe('nope');
SET ROLE regress_kyc_relay_user;
SELECT kyc_events.unsubscribe('cases');
SELECT kyc_events.relay_once('cases');
RESET ROLE;

SELECT kyc_events.unsubscribe('cases');
SELECT count(*) AS left FROM kyc_events.subscription;
SELECT kyc_events.forget_consumer(name) FROM kyc_events.consumers;
REVOKE ALL ON SCHEMA kyc_events FROM regress_kyc_relay_user;
REVOKE ALL ON kyc_events.subscriptions FROM regress_kyc_relay_user;
DROP ROLE regress_kyc_relay_user;
