-- pg_cron runs what make provision scheduled, and it works: the seal job
-- in a fresh session seals what was committed (issue 10, finding 3: it
-- failed every minute, so nothing was ever sealed), no pgkyc job run has
-- failed, and a failing job shows in pgkyc.job_health.  Runs last: it waits
-- for pg_cron's next minute.  No transaction around it, so that the
-- scheduled job and the entries are committed for pg_cron to see.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(8);
SELECT format('host=%s port=%s dbname=auditlog_service', current_setting('unix_socket_directories'),
			  current_setting('port')) AS audit \gset

-- A job that fails on purpose, due at the same minute as the seal job.
SELECT cron.schedule_in_database('kyc_test_failing', '* * * * *', 'SELECT 1/0', 'auditlog_service') AS failing_job \gset

-- The exact command make provision schedules, in a fresh session where the
-- library is not loaded.  It seals, commits, then sleeps: a timeout ends it.
SELECT dblink_exec(:'audit',
	$$INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
	  VALUES ('cron.test', 'Test', 'direct', 'pgtap', 'Create', 'KYC')$$);
SELECT dblink_connect('fresh', :'audit');
SELECT dblink_exec('fresh', $$SET statement_timeout = '3s'$$);
SELECT matches(dblink_exec('fresh', (SELECT command FROM cron.job WHERE jobname = 'kyc_auditlog_seal'), false)
		  || ': ' || dblink_error_message('fresh'),
		  '^ERROR: ERROR:  canceling statement due to statement timeout',
		  'the scheduled command runs until a timeout cuts its loop short');
SELECT dblink_disconnect('fresh');

-- Whether an entry is in a sealed block, asked in auditlog_service.
CREATE FUNCTION pg_temp.sealed(conninfo text, entity text) RETURNS boolean LANGUAGE sql AS $$
	SELECT count(*) = 1 FROM dblink(conninfo, format(
		'SELECT e.id FROM kyc_auditlog.audit_log_entries e JOIN kyc_auditlog.blocks b
		 ON (e.xid, e.entry_seq) BETWEEN (b.first_xid, b.first_entry) AND (b.last_xid, b.last_entry)
		 WHERE e.entity_id = %L', entity)) AS t(id uuid)
$$;
SELECT ok(pg_temp.sealed(:'audit', 'direct'), 'the command, in a fresh session, sealed the committed entry');

-- pg_cron itself, on its own schedule, seals an entry committed now.
SELECT dblink_exec(:'audit',
	$$INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
	  VALUES ('cron.test', 'Test', 'by-cron', 'pgtap', 'Create', 'KYC')$$);
\ir lib/wait_for.psql
SELECT ok(pg_temp.wait_for('the cron seal', format('SELECT pg_temp.sealed(%L, %L)', :'audit', 'by-cron'), 90),
	'pg_cron''s kyc_auditlog_seal job sealed an entry within 90 seconds');
SELECT ok(pg_temp.wait_for('the failing job', $$
	SELECT EXISTS (SELECT FROM cron.job_run_details d JOIN cron.job j USING (jobid)
				   WHERE j.jobname = 'kyc_test_failing' AND d.status = 'failed')$$, 90),
	'the job meant to fail has run');

SELECT is((SELECT string_agg(j.jobname || ': ' || d.return_message, '; ')
		   FROM cron.job_run_details d JOIN cron.job j USING (jobid)
		   WHERE j.jobname LIKE 'kyc\_%' AND j.jobname <> 'kyc_test_failing' AND d.status = 'failed'),
		  NULL, 'no run of a pgkyc job failed');
SELECT ok((SELECT health = 'failing' AND last_message LIKE '%division by zero%'
		   FROM pgkyc.job_health WHERE jobname = 'kyc_test_failing'),
		  'pgkyc.job_health shows the failing job and its message');
SELECT is((SELECT string_agg(jobname, ', ') FROM pgkyc.job_health
		   WHERE health = 'failing' AND jobname <> 'kyc_test_failing'),
		  NULL, 'and no other pgkyc job as failing');

SELECT is((SELECT string_agg(jobname || ' ' || health, ', ') FROM pgkyc.job_health
		   WHERE health IN ('stuck', 'overdue')), NULL, 'no pgkyc job is stuck or overdue');

SELECT cron.unschedule(:failing_job);
SELECT * FROM finish();
DROP EXTENSION dblink;
