-- pgkyc.job_health tells a stuck job and an overdue one from a healthy one
-- (issue 10 review, F4: a sealing blocked on a lock hung pg_cron's seal job,
-- and the view still said "ok", since it looked at finished runs only).
-- The runs are written by hand into pg_cron's history, for jobs scheduled
-- twelve hours away so that pg_cron runs none of them meanwhile; all of it
-- is rolled back.
\c postgres
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(8);

SELECT is(ARRAY[pgkyc.schedule_period('* * * * *'), pgkyc.schedule_period('*/10 * * * *'),
				pgkyc.schedule_period('17 3 * * *'), pgkyc.schedule_period('0 */6 * * *'),
				pgkyc.schedule_period('0 4 * * 1'), pgkyc.schedule_period('30 seconds'),
				pgkyc.schedule_period('@hourly')],
		  ARRAY['1 minute', '10 minutes', '1 day', '6 hours', '7 days', '30 seconds', '1 hour']::interval[],
		  'schedule_period() reads minute, hour, day and week schedules, seconds and @ names');
SELECT is(pgkyc.schedule_period('@reboot'), NULL, 'and has no period for @reboot');

SELECT format('%s %s * * *', extract(minute FROM now() + interval '12 hours 30 minutes')::int,
			  extract(hour FROM now() + interval '12 hours 30 minutes')::int) AS far \gset
-- add_run(job, status, started ago, ended ago): one run in pg_cron's history.
CREATE FUNCTION pg_temp.add_run(job text, status text, started interval, ended interval) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO cron.job_run_details (jobid, job_pid, database, username, command, status, return_message,
									  start_time, end_time)
	SELECT j.jobid, 0, j.database, j.username, j.command, status, NULL, now() - started, now() - ended
	FROM cron.job j WHERE j.jobname = job
$$;
SELECT cron.schedule(n, :'far', 'SELECT 1')
FROM unnest(ARRAY['kyc_test_ok', 'kyc_test_stuck', 'kyc_test_overdue', 'kyc_test_running', 'kyc_test_new']) n;
-- ok: succeeded an hour ago.  stuck: succeeded two days ago, running since
-- 26 hours ago.  overdue: last succeeded two days ago, nothing since.
-- running: succeeded yesterday, running for an hour, less than its period.
SELECT pg_temp.add_run('kyc_test_ok', 'succeeded', '1 hour', '59 minutes');
SELECT pg_temp.add_run('kyc_test_stuck', 'succeeded', '2 days', '2 days');
SELECT pg_temp.add_run('kyc_test_stuck', 'running', '26 hours', NULL);
SELECT pg_temp.add_run('kyc_test_overdue', 'succeeded', '2 days', '2 days');
SELECT pg_temp.add_run('kyc_test_running', 'succeeded', '1 day', '1 day');
SELECT pg_temp.add_run('kyc_test_running', 'running', '1 hour', NULL);

-- As monitoring reads it.
CREATE ROLE tap_monitor IN ROLE pg_monitor;
SET ROLE tap_monitor;
SELECT is((SELECT health FROM pgkyc.job_health WHERE jobname = 'kyc_test_ok'), 'ok',
		  'a job that succeeded within its period is ok');
SELECT is((SELECT health FROM pgkyc.job_health WHERE jobname = 'kyc_test_stuck'), 'stuck',
		  'a run going for longer than the period and a minute is stuck');
SELECT is((SELECT running_since < now() - interval '1 day' FROM pgkyc.job_health WHERE jobname = 'kyc_test_stuck'),
		  true, 'and the view says since when');
SELECT is((SELECT health FROM pgkyc.job_health WHERE jobname = 'kyc_test_overdue'), 'overdue',
		  'a job whose last success is more than one and a half periods old is overdue');
SELECT is((SELECT health FROM pgkyc.job_health WHERE jobname = 'kyc_test_running'), 'ok',
		  'a run going for less than its period is not stuck');
SELECT is((SELECT health FROM pgkyc.job_health WHERE jobname = 'kyc_test_new'), 'not run yet',
		  'a job with no run is not run yet');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
