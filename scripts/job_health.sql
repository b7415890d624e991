-- pgkyc.job_health in pg_cron's database (cron.database_name); run by make
-- provision.  Every pgkyc job (named kyc_*) with its last finished run and
-- how many runs failed in the last day, and its health:
--   inactive     the job is switched off;
--   stuck        its latest run has been running for longer than the
--                schedule's period plus a minute: pg_cron starts no other
--                run of it meanwhile, so the job has stopped;
--   failing      its last finished run failed;
--   overdue      its last successful run started more than one and a half
--                periods plus two minutes ago: runs are not happening, or
--                never finish (pg_cron down, or runs left 'starting');
--   not run yet  nothing has finished yet;
--   ok           otherwise.
CREATE SCHEMA IF NOT EXISTS pgkyc;
REVOKE ALL ON SCHEMA pgkyc FROM PUBLIC;

-- The longest gap between two runs of a pg_cron schedule, an upper bound:
-- '[1-59] seconds', an @ name, or five cron fields read from the coarsest
-- that is restricted ('*/N' in the minute or hour field gives N of them).
-- NULL for @reboot and anything it does not read.
CREATE OR REPLACE FUNCTION pgkyc.schedule_period(schedule text)
RETURNS interval
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE
		WHEN s ~ '^\d+ seconds?$' THEN make_interval(secs => split_part(s, ' ', 1)::int)
		WHEN s IN ('@yearly', '@annually') THEN interval '366 days'
		WHEN s = '@monthly' THEN interval '31 days'
		WHEN s = '@weekly' THEN interval '7 days'
		WHEN s IN ('@daily', '@midnight') THEN interval '1 day'
		WHEN s = '@hourly' THEN interval '1 hour'
		WHEN cardinality(f) <> 5 THEN NULL
		WHEN f[4] <> '*' THEN interval '366 days'
		WHEN f[5] <> '*' THEN interval '7 days'
		WHEN f[3] <> '*' THEN interval '31 days'
		WHEN f[2] ~ '^\*/\d+$' THEN make_interval(hours => substr(f[2], 3)::int)
		WHEN f[2] <> '*' THEN interval '1 day'
		WHEN f[1] ~ '^\*/\d+$' THEN make_interval(mins => substr(f[1], 3)::int)
		WHEN f[1] <> '*' THEN interval '1 hour'
		ELSE interval '1 minute'
	END
	FROM (SELECT lower(btrim(schedule)) AS s,
				 regexp_split_to_array(btrim(schedule), '\s+') AS f) p
$$;

-- Columns are only ever added at the end: CREATE OR REPLACE VIEW keeps an
-- existing view's.
CREATE OR REPLACE VIEW pgkyc.job_health AS
SELECT j.jobid, j.jobname, j.database, j.schedule, j.command, j.active,
	   last.status AS last_status, last.start_time AS last_start, last.end_time AS last_end,
	   last.return_message AS last_message,
	   (SELECT count(*) FROM cron.job_run_details d
		WHERE d.jobid = j.jobid AND d.status = 'failed'
		  AND d.start_time > now() - interval '1 day') AS failures_last_day,
	   CASE
		   WHEN NOT j.active THEN 'inactive'
		   WHEN cur.status NOT IN ('succeeded', 'failed')
				AND cur.start_time < now() - (p.period + interval '1 minute') THEN 'stuck'
		   WHEN last.status = 'failed' THEN 'failing'
		   WHEN ok.start_time < now() - (p.period * 1.5 + interval '2 minutes') THEN 'overdue'
		   WHEN last.status IS NULL THEN 'not run yet'
		   ELSE 'ok'
	   END AS health,
	   p.period,
	   CASE WHEN cur.status NOT IN ('succeeded', 'failed') THEN cur.start_time END AS running_since,
	   ok.start_time AS last_success
FROM cron.job j
CROSS JOIN LATERAL (SELECT pgkyc.schedule_period(j.schedule) AS period) p
LEFT JOIN LATERAL (
	SELECT d.status, d.start_time, d.end_time, d.return_message
	FROM cron.job_run_details d
	WHERE d.jobid = j.jobid AND d.status IN ('succeeded', 'failed')
	ORDER BY d.runid DESC LIMIT 1
) last ON true
-- The latest run, finished or not: pg_cron runs one at a time per job.
LEFT JOIN LATERAL (
	SELECT d.status, d.start_time
	FROM cron.job_run_details d
	WHERE d.jobid = j.jobid
	ORDER BY d.runid DESC LIMIT 1
) cur ON true
LEFT JOIN LATERAL (
	SELECT d.start_time
	FROM cron.job_run_details d
	WHERE d.jobid = j.jobid AND d.status = 'succeeded'
	ORDER BY d.runid DESC LIMIT 1
) ok ON true
WHERE j.jobname LIKE 'kyc\_%';

COMMENT ON VIEW pgkyc.job_health IS
'pgkyc''s pg_cron jobs and their last finished run; health is inactive, stuck, failing, overdue, not run yet or ok.';

-- Monitoring reads it; the messages name jobs and errors, not secrets.
GRANT USAGE ON SCHEMA pgkyc TO pg_monitor;
GRANT SELECT ON pgkyc.job_health TO pg_monitor;
