-- The health of the whole cluster, in pg_cron's database
-- (cron.database_name, postgres); run by make provision after
-- job_health.sql.  docs/operations.md says how to read it and
-- docker/monitoring/queries.yaml turns it into Prometheus metrics.
--
--   pgkyc.backups            one row per backup, which scripts/backup.sh
--                            writes; made here too, so that the summary
--                            works (and says "none") before any backup ran
--   pgkyc.last_backup        the last successful and the last failed backup
--   pgkyc.remote_health(db)  kyc_events.health() of database db of this
--                            server (C, in kyc_events.so); superusers only
--   pgkyc.database_health()  that, for every database that has kyc_events,
--                            or why it could not be read
--   pgkyc.cluster_health()   all of it as one jsonb, with the backups and
--                            the pgkyc jobs of pgkyc.job_health
--
-- pg_monitor, and so kyc_monitor, which prometheus-postgres-exporter logs
-- in as (make provision creates it), may read them all: they hold figures
-- and states, no conninfo but masked, no event content and no handler's
-- error text, which may quote the data it failed on (read that in the
-- database itself, as its service role, with kyc_events.health()).
CREATE SCHEMA IF NOT EXISTS pgkyc;
REVOKE ALL ON SCHEMA pgkyc FROM PUBLIC;
GRANT USAGE ON SCHEMA pgkyc TO pg_monitor;

-- The same definition as scripts/backup.sh's, whichever runs first.
CREATE TABLE IF NOT EXISTS pgkyc.backups (
	finished_at	timestamptz NOT NULL DEFAULT now(),
	kind		text NOT NULL,
	label		text,
	ok			boolean NOT NULL
);
GRANT SELECT ON pgkyc.backups TO pg_monitor;

-- One row, also before any backup ran (every column NULL, backups 0).
CREATE OR REPLACE VIEW pgkyc.last_backup AS
SELECT s.finished_at AS last_success_at, s.kind AS last_success_kind, s.label AS last_success_label,
	   (SELECT max(f.finished_at) FROM pgkyc.backups f WHERE NOT f.ok) AS last_failure_at,
	   (SELECT count(*) FROM pgkyc.backups) AS backups
FROM (SELECT 1) one
LEFT JOIN LATERAL (SELECT b.finished_at, b.kind, b.label FROM pgkyc.backups b
				   WHERE b.ok ORDER BY b.finished_at DESC LIMIT 1) s ON true;
COMMENT ON VIEW pgkyc.last_backup IS
'The last successful backup of pgkyc.backups (NULL when none), the last failed one, and how many are recorded.';
GRANT SELECT ON pgkyc.last_backup TO pg_monitor;

CREATE OR REPLACE FUNCTION pgkyc.remote_health(dbname name)
RETURNS jsonb
AS '$libdir/kyc_events', 'kyc_events_remote_health'
LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION pgkyc.remote_health(name) FROM PUBLIC;
COMMENT ON FUNCTION pgkyc.remote_health(name) IS
'kyc_events.health() of database dbname of this server, through a local connection as the current user; NULL where kyc_events is not installed. Superusers only.';

-- Every database of this server that has kyc_events, with its health, and
-- every one that could not be read, with why.  A subscription's last_error
-- is left out (see above).  Each call connects to every database once.
CREATE OR REPLACE FUNCTION pgkyc.database_health(OUT database name, OUT reachable boolean,
												 OUT health jsonb, OUT error text)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	db name;
	h jsonb;
	why text;
BEGIN
	FOR db IN SELECT d.datname FROM pg_database d
			  WHERE d.datallowconn AND NOT d.datistemplate ORDER BY d.datname
	LOOP
		BEGIN
			h := pgkyc.remote_health(db);
			CONTINUE WHEN h IS NULL;
			database := db;
			reachable := true;
			error := NULL;
			health := jsonb_set(h, '{relay,subscriptions}',
								coalesce((SELECT jsonb_agg(s - 'last_error' ORDER BY n)
										  FROM jsonb_array_elements(h #> '{relay,subscriptions}')
											   WITH ORDINALITY a(s, n)), '[]'));
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS why = PG_EXCEPTION_DETAIL;
			database := db;
			reachable := false;
			health := NULL;
			error := SQLERRM || coalesce(': ' || nullif(why, ''), '');
		END;
		RETURN NEXT;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION pgkyc.database_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgkyc.database_health() TO pg_monitor;
COMMENT ON FUNCTION pgkyc.database_health() IS
'kyc_events.health() of every database of this server that has it (subscriptions without last_error), and each database that could not be read, with the error.';

-- The cluster in one jsonb: ok and issues (each naming its database),
-- every database's health, the unreachable ones with why, the NOTIFY
-- queue, the last successful backup (last_success_at NULL: none) and the
-- pgkyc jobs that are not ok.
CREATE OR REPLACE FUNCTION pgkyc.cluster_health()
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	as_of timestamptz := clock_timestamp();
	databases jsonb;
	unreachable jsonb;
	issues text[];
	lb record;
	jobs jsonb;
BEGIN
	WITH d AS MATERIALIZED (SELECT * FROM pgkyc.database_health())
	SELECT coalesce((SELECT jsonb_object_agg(d.database, d.health) FROM d WHERE d.reachable), '{}'),
		   coalesce((SELECT jsonb_object_agg(d.database, d.error) FROM d WHERE NOT d.reachable), '{}'),
		   ARRAY(SELECT format('%s: %s', d.database, i.issue)
				 FROM d, jsonb_array_elements_text(d.health -> 'issues') WITH ORDINALITY i(issue, n)
				 WHERE d.reachable ORDER BY d.database, i.n)
		   || ARRAY(SELECT format('%s: cannot be read', d.database) FROM d WHERE NOT d.reachable
					ORDER BY d.database)
	INTO databases, unreachable, issues;

	SELECT * INTO lb FROM pgkyc.last_backup;
	IF lb.last_success_at IS NULL THEN
		issues := issues || 'no successful backup is recorded in pgkyc.backups'::text;
	END IF;

	SELECT coalesce(jsonb_agg(jsonb_build_object('jobname', j.jobname, 'database', j.database,
												 'health', j.health, 'last_end', j.last_end)
							  ORDER BY j.jobname), '[]'),
		   issues || coalesce(array_agg(format('job %s is %s', j.jobname, j.health) ORDER BY j.jobname), '{}')
	INTO jobs, issues
	FROM pgkyc.job_health j WHERE j.health NOT IN ('ok', 'not run yet');

	RETURN jsonb_build_object(
		'as_of', as_of,
		'ok', cardinality(issues) = 0,
		'issues', to_jsonb(issues),
		'databases', databases,
		'unreachable', unreachable,
		'notification_queue_usage', pg_notification_queue_usage(),
		'backup', jsonb_build_object(
			'last_success_at', lb.last_success_at, 'last_success_kind', lb.last_success_kind,
			'last_success_label', lb.last_success_label,
			'last_success_age_seconds', round(extract(epoch FROM as_of - lb.last_success_at), 3),
			'last_failure_at', lb.last_failure_at, 'backups', lb.backups),
		'jobs_not_ok', jobs);
END
$$;
REVOKE ALL ON FUNCTION pgkyc.cluster_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgkyc.cluster_health() TO pg_monitor;
COMMENT ON FUNCTION pgkyc.cluster_health() IS
'The cluster in one jsonb: ok, issues, every database''s kyc_events.health(), unreachable databases, the NOTIFY queue usage, the last successful backup (NULL: none) and the pgkyc jobs that are not ok.';
