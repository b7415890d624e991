-- Role matrix, health (issue 16): kyc_events.health() in every service
-- database as its service role, and refused to any other; what it reports
-- on data that takes each path (a dead letter, a subscription retrying
-- with a password in its conninfo, an unsealed audit entry, recorded
-- verifications with and without problems, due and scheduled
-- notifications); kyc_auditlog.record_verify(); and the cluster summary in
-- postgres as a pg_monitor member, backups included.  Each database is
-- reached through dblink, in a transaction that is rolled back.
\c postgres
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(7 * 4 + 33);

-- conninfo(db, role): this server's database db, logged in as role.
CREATE FUNCTION pg_temp.conninfo(db text, role text) RETURNS text LANGUAGE sql AS $$
	SELECT format('host=%s port=%s dbname=%s user=%s', current_setting('unix_socket_directories'),
				  current_setting('port'), db, role)
$$;
-- open(db): a superuser's connection named db, in a transaction.
CREATE FUNCTION pg_temp.open(db text) RETURNS void LANGUAGE sql AS $$
	SELECT dblink_connect(db, pg_temp.conninfo(db, current_user));
	SELECT dblink_exec(db, 'BEGIN');
$$;
-- run(db, sql): a statement there, in that transaction.
CREATE FUNCTION pg_temp.run(db text, sql text) RETURNS void LANGUAGE sql AS $$
	SELECT dblink_exec(db, sql);
$$;
-- value(db, sql): the one jsonb value sql returns there.
CREATE FUNCTION pg_temp.value(db text, sql text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT v FROM dblink(db, sql) AS t(v jsonb)
$$;
-- health_as(db, role): kyc_events.health() there, as role.
CREATE FUNCTION pg_temp.health_as(db text, role text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	h jsonb;
BEGIN
	PERFORM pg_temp.run(db, format('SET ROLE %I', role));
	h := pg_temp.value(db, 'SELECT kyc_events.health()');
	PERFORM pg_temp.run(db, 'RESET ROLE');
	RETURN h;
END $$;

CREATE TEMP TABLE services (db text, role text);
INSERT INTO services VALUES
	('onboarding', 'onboarding_user'), ('checklist_service', 'checklist_user'), ('risk_service', 'risk_user'),
	('auditlog_service', 'auditlog_user'), ('projections_api', 'projections_user'),
	('notification_service', 'notification_user'), ('document_service', 'document_user');
SELECT pg_temp.open(db) FROM services;

-- Every service database: its service role gets its health, the same
-- subscriptions as its view shows, and no other role but the owner may
-- call it.
SELECT is(jsonb_build_object('database', h->'database', 'ok', jsonb_typeof(h->'ok'),
							 'issues', jsonb_typeof(h->'issues'),
							 'worker_running', h #> '{relay,worker_running}',
							 'queue_usage', (h->>'notification_queue_usage')::float8 BETWEEN 0 AND 1,
							 'auditlog', jsonb_typeof(h->'auditlog'), 'notification', jsonb_typeof(h->'notification')),
		  jsonb_build_object('database', s.db, 'ok', 'boolean', 'issues', 'array', 'worker_running', true,
							 'queue_usage', true,
							 'auditlog', CASE s.db WHEN 'auditlog_service' THEN 'object' ELSE 'null' END,
							 'notification', CASE s.db WHEN 'notification_service' THEN 'object' ELSE 'null' END),
		  format('%s: health() as %s names the database, its relay worker, the NOTIFY queue, and only its extensions', s.db, s.role))
FROM services s, pg_temp.health_as(s.db, s.role) h ORDER BY s.db;

SELECT pg_temp.run(s.db, format('SET ROLE %I', s.role)) FROM services s;
SELECT is((SELECT jsonb_agg(jsonb_build_object('name', x->'name', 'state', x->'state', 'source', x->'source',
											   'dead_letters', x->'dead_letters') ORDER BY x->>'name')
		   FROM jsonb_array_elements(pg_temp.value(s.db, 'SELECT kyc_events.health()') #> '{relay,subscriptions}') x),
		  pg_temp.value(s.db, $$SELECT jsonb_agg(jsonb_build_object('name', name, 'state', state, 'source', source,
																	'dead_letters', dead_letters) ORDER BY name)
								FROM kyc_events.subscriptions$$),
		  format('%s: health() reports each subscription as kyc_events.subscriptions shows it to %s', s.db, s.role))
FROM services s ORDER BY s.db;
SELECT pg_temp.run(db, 'RESET ROLE') FROM services;

SELECT is(pg_temp.value(s.db, $$SELECT to_jsonb(array_agg(pg_get_userbyid(a.grantee)::text ORDER BY a.grantee <> p.proowner))
								FROM pg_proc p, aclexplode(p.proacl) a
								WHERE p.oid = 'kyc_events.health()'::regprocedure AND a.privilege_type = 'EXECUTE'$$),
		  jsonb_build_array('postgres', s.role),
		  format('%s: only the owner and %s may execute health(), not PUBLIC', s.db, s.role))
FROM services s ORDER BY s.db;

SELECT throws_ok(format($$SELECT * FROM dblink(%L, 'SELECT kyc_events.health()') AS t(h jsonb)$$,
						pg_temp.conninfo(s.db, 'kyc_relay')),
				 '42501', NULL, format('%s: health() is refused to kyc_relay', s.db))
FROM services s ORDER BY s.db;

-- A dead letter, in projections_api: counted, on its subscription too, an
-- issue, and its age.
SELECT pg_temp.health_as('projections_api', 'projections_user') AS before \gset
SELECT pg_temp.value('projections_api', 'SELECT to_jsonb(min(name)) FROM kyc_events.subscription') #>> '{}' AS sub \gset
SELECT pg_temp.run('projections_api', $$
	INSERT INTO kyc_events.dead_letters (subscription, event, error, attempts, failed_at)
	SELECT min(s.name), ROW('onboarding', 1, '1', 'case.created', 'KYC-HEALTH-1', '{}', '{}', now())::kyc_events.event,
		   'handler failed', 5, now() - interval '1 hour'
	FROM kyc_events.subscription s$$);
SELECT pg_temp.health_as('projections_api', 'projections_user') AS h \gset
SELECT is((:'h'::jsonb #>> '{dead_letters,unreplayed}')::int, (:'before'::jsonb #>> '{dead_letters,unreplayed}')::int + 1,
		  'projections_api: a dead letter is counted');
SELECT cmp_ok((:'h'::jsonb #>> '{dead_letters,oldest_age_seconds}')::numeric, '>=', 3600::numeric, 'with the oldest one''s age');
SELECT is((SELECT (x->>'dead_letters')::int FROM jsonb_array_elements(:'h'::jsonb #> '{relay,subscriptions}') x
		   WHERE x->>'name' = :'sub'),
		  (SELECT (x->>'dead_letters')::int + 1 FROM jsonb_array_elements(:'before'::jsonb #> '{relay,subscriptions}') x
		   WHERE x->>'name' = :'sub'), 'on its subscription too');
SELECT ok(:'h'::jsonb -> 'issues' ? format('%s dead letters not replayed', :'h'::jsonb #>> '{dead_letters,unreplayed}')
		  AND :'h'::jsonb -> 'ok' = 'false', 'as an issue, so the database is not ok');
SELECT throws_ok($$SELECT pg_temp.run('projections_api', 'SET ROLE projections_user; SELECT count(*) FROM kyc_events.dead_letters')$$,
				 '42501', NULL, 'while projections_user itself cannot read the dead letters');

-- A subscription retrying, whose conninfo holds a password, in
-- checklist_service: an issue, its error, and the password masked.
SELECT pg_temp.run('checklist_service', $$
	UPDATE kyc_events.subscription SET state = 'retrying', last_error = 'handler failed: boom',
		   source = source || ' password=hunter2health'
	WHERE name = (SELECT min(name) FROM kyc_events.subscription)$$);
SELECT pg_temp.value('checklist_service', 'SELECT to_jsonb(min(name)) FROM kyc_events.subscription') #>> '{}' AS sub \gset
SELECT pg_temp.health_as('checklist_service', 'checklist_user') AS h \gset
SELECT ok(:'h'::jsonb -> 'issues' ? format('subscription %s is retrying', :'sub'),
		  'checklist_service: a retrying subscription is an issue');
SELECT is((SELECT x->>'last_error' FROM jsonb_array_elements(:'h'::jsonb #> '{relay,subscriptions}') x
		   WHERE x->>'name' = :'sub'), 'handler failed: boom', 'with its last error, for the service role');
SELECT ok(strpos(:'h', 'hunter2health') = 0 AND strpos(:'h', 'password=********') > 0,
		  'and the password in its conninfo masked');

-- The audit log: an entry not sealed yet, the last seal, and the
-- verifications record_verify() records.
SELECT pg_temp.health_as('auditlog_service', 'auditlog_user') AS before \gset
SELECT pg_temp.run('auditlog_service', $$SET ROLE auditlog_user;
	INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
	VALUES ('health.test', 'Test', 'health-1', 'pgtap', 'Create', 'KYC'); RESET ROLE$$);
SELECT pg_temp.health_as('auditlog_service', 'auditlog_user') AS h \gset
SELECT is((:'h'::jsonb #>> '{auditlog,unsealed_entries}')::int, (:'before'::jsonb #>> '{auditlog,unsealed_entries}')::int + 1,
		  'auditlog_service: an entry not sealed yet is counted');
SELECT ok((:'h'::jsonb #>> '{auditlog,oldest_unsealed_at}') IS NOT NULL
		  AND (:'h'::jsonb #>> '{auditlog,oldest_unsealed_age_seconds}')::numeric >= 0, 'with the age of the oldest');
SELECT is(:'h'::jsonb #>> '{auditlog,last_seal_at}',
		  pg_temp.value('auditlog_service', 'SELECT to_jsonb(max(sealed_at)) FROM kyc_auditlog.blocks') #>> '{}',
		  'the last seal is the last block''s');

SELECT pg_temp.value('auditlog_service', $$SELECT to_jsonb(count(*)) FROM kyc_auditlog.verify_between(now() - interval '1 day', now())$$)
	AS found \gset
SELECT is(pg_temp.value('auditlog_service', $$SELECT to_jsonb(kyc_auditlog.record_verify(now() - interval '1 day', now()))$$),
		  :'found'::jsonb, 'record_verify() as a superuser returns what verify_between() finds');
SELECT pg_temp.health_as('auditlog_service', 'auditlog_user') AS h \gset
SELECT is((:'h'::jsonb #> '{auditlog,last_verify}') - 'age_seconds',
		  pg_temp.value('auditlog_service', format($$SELECT jsonb_build_object('at', now(), 'from_time', now() - interval '1 day',
								'to_time', now(), 'problems', %s, 'ok', %s = 0)$$, :'found', :'found')),
		  'health() reports the verification just recorded, as auditlog_user');
-- A block that does not belong to the chain: the next verification finds it.
SELECT pg_temp.run('auditlog_service', $$
	INSERT INTO kyc_auditlog.blocks (block_id, prev_hash, merkle_root, first_xid, first_entry, last_xid, last_entry,
									 entry_count, sealed_at, min_entry_at, max_entry_at, block_hash)
	SELECT coalesce(max(block_id), 0) + 1, repeat('a', 64), repeat('b', 64), '1', 1, '1', 1, 1, now(), now(), now(),
		   repeat('c', 64)
	FROM kyc_auditlog.blocks$$);
SELECT cmp_ok((pg_temp.value('auditlog_service', $$SELECT to_jsonb(kyc_auditlog.record_verify(now() - interval '1 day', now()))$$))::text::int,
			  '>', :'found'::int, 'record_verify() finds the forged block');
SELECT pg_temp.health_as('auditlog_service', 'auditlog_user') AS h \gset
SELECT ok((:'h'::jsonb #>> '{auditlog,last_verify,problems}')::int > :'found'::int
		  AND NOT (:'h'::jsonb #>> '{auditlog,last_verify,ok}')::boolean
		  AND :'h'::jsonb -> 'issues' ? format('the last verify() of the audit log found %s problems',
											   :'h'::jsonb #>> '{auditlog,last_verify,problems}'),
		  'health() reports the problems as an issue');
SELECT ok(pg_temp.value('auditlog_service', $$SET ROLE auditlog_user;
		  SELECT to_jsonb(count(*)) FROM kyc_auditlog.verify_runs WHERE problems > 0$$)::text::int >= 1,
		  'auditlog_user reads what each verification found');
SELECT throws_ok($$SELECT pg_temp.run('auditlog_service', $q$SELECT kyc_auditlog.record_verify(now() - interval '1 day', now())$q$)$$,
				 '42501', NULL, 'record_verify() is refused to auditlog_user');

-- The notification queue: two due messages (one waiting ten minutes) and
-- one scheduled for later.
SELECT pg_temp.run('notification_service', 'RESET ROLE');
SELECT pg_temp.health_as('notification_service', 'notification_user') AS before \gset
SELECT pg_temp.run('notification_service', $$SET ROLE notification_user;
	SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'health-' || i, template_data =>
		'{"case": {"case_id": "KYC-HEALTH-N", "status": "InProgress"}}', idempotency_key => 'health-' || i)
	FROM generate_series(1, 2) i;
	SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'health-3', template_data =>
		'{"case": {"case_id": "KYC-HEALTH-N", "status": "InProgress"}}', scheduled_at => now() + interval '1 hour');
	RESET ROLE;
	UPDATE kyc_notification.notifications SET next_attempt_at = now() - interval '10 minutes'
	WHERE idempotency_key = 'health-1'$$);
SELECT pg_temp.health_as('notification_service', 'notification_user') AS h \gset
SELECT is(jsonb_build_object('depth', (:'h'::jsonb #>> '{notification,depth}')::int - (:'before'::jsonb #>> '{notification,depth}')::int,
							 'due', (:'h'::jsonb #>> '{notification,due}')::int - (:'before'::jsonb #>> '{notification,due}')::int,
							 'scheduled', (:'h'::jsonb #>> '{notification,scheduled}')::int
										  - (:'before'::jsonb #>> '{notification,scheduled}')::int),
		  '{"depth": 3, "due": 2, "scheduled": 1}', 'notification_service: the queue holds three more, two of them due');
SELECT cmp_ok((:'h'::jsonb #>> '{notification,oldest_due_age_seconds}')::numeric, '>=', 600::numeric,
			  'the oldest due one has waited ten minutes');
SELECT is((:'h'::jsonb #>> '{notification,oldest_due_at}')::timestamptz,
		  (pg_temp.value('notification_service', $$SELECT to_jsonb(min(next_attempt_at)) FROM kyc_notification.notifications
												   WHERE status = 'Pending' AND next_attempt_at <= now()$$) #>> '{}')::timestamptz,
		  'and when it became due');
SELECT is(:'h'::jsonb #> '{notification,expired_leases}', :'before'::jsonb #> '{notification,expired_leases}',
		  'no lease expired meanwhile');
SELECT ok((:'h'::jsonb ->> 'ok')::boolean = (jsonb_array_length(:'h'::jsonb -> 'issues') = 0),
		  'ok says whether there is any issue');

SELECT pg_temp.run(db, 'ROLLBACK') FROM services;
SELECT count(dblink_disconnect(db)) AS disconnected FROM services \gset

-- The cluster, as monitoring reads it: a member of pg_monitor.
CREATE ROLE tap_health_monitor IN ROLE pg_monitor;
SELECT array_agg(db ORDER BY db) AS service_dbs FROM services \gset
DELETE FROM pgkyc.backups;
SET ROLE tap_health_monitor;
SELECT pgkyc.cluster_health() AS c \gset
SELECT ok((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(:'c'::jsonb -> 'databases') k)
		  @> :'service_dbs'::text[],
		  'cluster_health() as a pg_monitor member: every service database''s health');
SELECT is(:'c'::jsonb -> 'unreachable', '{}', 'none unreachable');
SELECT is(:'c'::jsonb #> '{backup,last_success_at}', 'null', 'no backup recorded: none');
SELECT ok(:'c'::jsonb -> 'issues' ? 'no successful backup is recorded in pgkyc.backups'
		  AND :'c'::jsonb -> 'ok' = 'false', 'which is an issue');
SELECT is((SELECT count(*)::int FROM pgkyc.database_health() d,
				  jsonb_array_elements(d.health #> '{relay,subscriptions}') x WHERE x ? 'last_error'), 0,
		  'database_health() leaves out every handler''s error text');
SELECT throws_ok($$SELECT pgkyc.remote_health('onboarding')$$, '42501', NULL,
				 'remote_health() is refused to a pg_monitor member');
RESET ROLE;
INSERT INTO pgkyc.backups (finished_at, kind, label, ok) VALUES
	('2026-01-01 02:00+00', 'full', '20260101-020000F', true),
	('2026-01-02 02:00+00', 'diff', NULL, false);
SET ROLE tap_health_monitor;
SELECT is((pgkyc.cluster_health() -> 'backup') - 'last_success_age_seconds',
		  jsonb_build_object('backups', 2, 'last_failure_at', '2026-01-02 02:00+00'::timestamptz,
							 'last_success_at', '2026-01-01 02:00+00'::timestamptz,
							 'last_success_kind', 'full', 'last_success_label', '20260101-020000F'),
		  'the last successful backup, and the failure after it');
SELECT ok(NOT (pgkyc.cluster_health() -> 'issues' ? 'no successful backup is recorded in pgkyc.backups'),
		  'a successful backup is no issue');
RESET ROLE;
SELECT is(pgkyc.remote_health('postgres'), NULL, 'remote_health() of a database without kyc_events is NULL');
SELECT throws_ok($$SELECT pgkyc.remote_health('no_such_database')$$, '08001', NULL,
				 'remote_health() of a database that cannot be reached is 08001');
SELECT is((SELECT count(*)::int FROM aclexplode((SELECT proacl FROM pg_proc WHERE oid = 'pgkyc.remote_health(name)'::regprocedure))
		   WHERE grantee = 0), 0, 'PUBLIC may not call remote_health()');

SELECT * FROM finish();
ROLLBACK;
