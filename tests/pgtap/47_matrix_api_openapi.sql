-- The api schema of every exposed database, as PostgREST builds its OpenAPI
-- document from it (issue 15): views and functions only, never a table;
-- every view security_invoker, so no view reads past row-level security;
-- every object and every view column described by a comment; every
-- SECURITY DEFINER function with its search_path pinned; nothing
-- executable by PUBLIC; functions that write are VOLATILE, so that
-- PostgREST serves them on POST only, while those that only read may be
-- called with GET; and a state conflict is HTTP 409, not 500.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(4 * 6 + 2);

-- api_problems(db, query): what query (one text column) finds in db's api
-- schema, as a superuser, joined by '; ', or 'none'.
CREATE FUNCTION pg_temp.api_problems(db text, query text) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(p, '; ' ORDER BY p), 'none')
	FROM dblink(format('host=%s port=%s dbname=%s', current_setting('unix_socket_directories'),
					   current_setting('port'), db), query) AS t(p text)
$$;
CREATE TEMP TABLE checks (ord int, what text, query text);
INSERT INTO checks VALUES
	(1, 'holds views and functions only, no table', $q$
		SELECT c.relname || ' is a ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'api' AND c.relkind NOT IN ('v')$q$),
	(2, 'has only security_invoker views', $q$
		SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'api' AND c.relkind = 'v'
		  AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)$q$),
	(3, 'describes every view, function and view column', $q$
		SELECT 'view ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'api' AND obj_description(c.oid, 'pg_class') IS NULL
		UNION ALL
		SELECT 'function ' || p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'api' AND obj_description(p.oid, 'pg_proc') IS NULL
		UNION ALL
		SELECT 'column ' || c.relname || '.' || a.attname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE n.nspname = 'api' AND col_description(c.oid, a.attnum) IS NULL$q$),
	(4, 'pins the search_path of every SECURITY DEFINER function', $q$
		SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'api' AND p.prosecdef
		  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)$q$),
	(5, 'gives PUBLIC no function', $q$
		SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'api' AND has_function_privilege('public', p.oid, 'EXECUTE')$q$),
	(6, 'has every writing function VOLATILE (POST only)', $q$
		SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'api' AND p.provolatile <> 'v'
		  AND p.prosrc ~* '\m(insert|update|delete|kyc_[a-z_]+\.(create_case|register_document|forget_subject|enqueue))\M'$q$);

SELECT is(pg_temp.api_problems(db, c.query), 'none', db || '''s api schema ' || c.what)
FROM unnest(ARRAY['onboarding', 'projections_api', 'document_service', 'notification_service']) AS db,
	 checks c
ORDER BY db, c.ord;

-- A state conflict (55000) reaches PostgREST as its custom error: SQLSTATE
-- PGRST, the HTTP status in the detail, the original error in the body.
CREATE FUNCTION pg_temp.pgrst_error(db text, query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	detail text;
BEGIN
	PERFORM * FROM dblink(format('host=%s port=%s dbname=%s', current_setting('unix_socket_directories'),
								 current_setting('port'), db), query) AS t(x text);
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN SQLSTATE || ' ' || (detail::jsonb ->> 'status') || ' ' || (SQLERRM::jsonb ->> 'code');
END $$;
SELECT is(pg_temp.pgrst_error(db, $$SELECT kyc_events.raise_http(409, '55000', 'case KYC-1 is Approved', NULL, NULL)$$),
		  'PGRST 409 55000', db || ': kyc_events.raise_http() gives PostgREST the status and the original code')
FROM unnest(ARRAY['onboarding', 'document_service']) AS db;

SELECT * FROM finish();
