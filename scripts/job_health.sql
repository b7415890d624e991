-- pgkyc.job_health in pg_cron's database (cron.database_name); run by make
-- provision.  Every pgkyc job (named kyc_*) with its last finished run and
-- how many runs failed in the last day.  A job whose last run failed is
-- "failing".
CREATE SCHEMA IF NOT EXISTS pgkyc;
REVOKE ALL ON SCHEMA pgkyc FROM PUBLIC;

CREATE OR REPLACE VIEW pgkyc.job_health AS
SELECT j.jobid, j.jobname, j.database, j.schedule, j.command, j.active,
	   last.status AS last_status, last.start_time AS last_start, last.end_time AS last_end,
	   last.return_message AS last_message,
	   (SELECT count(*) FROM cron.job_run_details d
		WHERE d.jobid = j.jobid AND d.status = 'failed'
		  AND d.start_time > now() - interval '1 day') AS failures_last_day,
	   CASE
		   WHEN NOT j.active THEN 'inactive'
		   WHEN last.status = 'failed' THEN 'failing'
		   WHEN last.status IS NULL THEN 'not run yet'
		   ELSE 'ok'
	   END AS health
FROM cron.job j
LEFT JOIN LATERAL (
	SELECT d.status, d.start_time, d.end_time, d.return_message
	FROM cron.job_run_details d
	WHERE d.jobid = j.jobid AND d.status IN ('succeeded', 'failed')
	ORDER BY d.runid DESC LIMIT 1
) last ON true
WHERE j.jobname LIKE 'kyc\_%';

COMMENT ON VIEW pgkyc.job_health IS
'pgkyc''s pg_cron jobs and their last finished run; health is failing when that run failed.';

-- Monitoring reads it; the messages name jobs and errors, not secrets.
GRANT USAGE ON SCHEMA pgkyc TO pg_monitor;
GRANT SELECT ON pgkyc.job_health TO pg_monitor;
