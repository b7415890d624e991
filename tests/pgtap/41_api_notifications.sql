-- notification_service through PostgREST's transaction, replayed as
-- kyc_authenticator (issue 15): a partner reads its own cases'
-- notifications and no other partner's, never the template data or the
-- lease; a reviewer and anon nothing; a compliance officer all; the
-- sender, notification_user, still every row.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(9);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('api', :'host' || ' dbname=notification_service user=kyc_authenticator');
SELECT dblink_connect('ntf_admin', :'host' || ' dbname=notification_service');
SELECT dblink_connect('ntf', :'host' || ' dbname=notification_service user=notification_user');
\ir lib/postgrest.psql

-- One notification for each of two partners (the owner inserts them, as the event handler would).
SELECT dblink_exec('ntf_admin', $$
	DELETE FROM kyc_notification.notifications WHERE case_id LIKE 'KYC-TAP-NAPI-%';
	INSERT INTO kyc_notification.notifications (type, channel, recipient, subject, content, case_id, partner_id, template_data)
	VALUES ('Welcome', 'Email', 'a@tap-api.example', 'Welcome A', 'Hello A', 'KYC-TAP-NAPI-A', 'tap-napi-a', '{"secret": "a"}'),
		   ('Welcome', 'Email', 'b@tap-api.example', 'Welcome B', 'Hello B', 'KYC-TAP-NAPI-B', 'tap-napi-b', '{"secret": "b"}')$$);
CREATE FUNCTION pg_temp.token(role text, partner text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('sub', 'tap-napi-user', 'realm_access',
		jsonb_build_object('roles', jsonb_build_array(role)), 'partner_id', partner))::text
$$;
\set mine 'SELECT case_id || '':'' || status FROM api.notifications WHERE case_id LIKE ''KYC-TAP-NAPI-%'''

SELECT alike(pg_temp.api(NULL, :'mine'), 'ERROR 42501: %', 'anon sees nothing');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-napi-a'), :'mine'), 'KYC-TAP-NAPI-A:Pending',
		  'partner A sees its own case''s notification');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-napi-a'),
		  $$SELECT subject FROM api.notifications WHERE case_id = 'KYC-TAP-NAPI-B'$$), '(none)',
		  'and not partner B''s, even by its case id');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-napi-a'),
		  'SELECT template_data::text FROM kyc_notification.notifications'), 'ERROR 42501: %',
		  'nor the template data beneath');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-napi-a'),
		  'SELECT count(*)::text FROM kyc_notification.notification_history'), 'ERROR 42501: %',
		  'nor the history');
SELECT alike(pg_temp.api(pg_temp.token('kyc_reviewer'), :'mine'), 'ERROR 42501: %', 'a reviewer has no use for the queue');
SELECT is(pg_temp.api(pg_temp.token('kyc_compliance_officer'), :'mine'), 'KYC-TAP-NAPI-A:Pending,KYC-TAP-NAPI-B:Pending',
		  'a compliance officer sees every notification');
SELECT is((SELECT string_agg(c, ',' ORDER BY c) FROM dblink('ntf',
		  $$SELECT case_id FROM kyc_notification.notifications WHERE case_id LIKE 'KYC-TAP-NAPI-%'$$) AS t(c text)),
		  'KYC-TAP-NAPI-A,KYC-TAP-NAPI-B', 'notification_user, the sender, still reads every row');
SELECT is((SELECT c FROM dblink('ntf_admin', $$SELECT count(*)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE n.nspname = 'api' AND c.relkind <> 'v'$$) AS t(c text)), '0', 'the api schema holds views only');

SELECT dblink_exec('ntf_admin', $$DELETE FROM kyc_notification.notification_history WHERE notification_id IN
	(SELECT id FROM kyc_notification.notifications WHERE case_id LIKE 'KYC-TAP-NAPI-%');
	DELETE FROM kyc_notification.notifications WHERE case_id LIKE 'KYC-TAP-NAPI-%'$$);
SELECT * FROM finish();
