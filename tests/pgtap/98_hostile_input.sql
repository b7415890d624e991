-- Hostile input to every function each caller may execute, in every
-- service database: NULLs, empty and huge strings, extreme numbers and
-- times, malformed JSON shapes, zero OIDs.  Run as each service role and as
-- a superuser, through dblink so that each caller has a session of its own.
-- No call may crash the backend, end in an internal error (XX000, the mark
-- of an elog() a user can reach, such as "cache lookup failed"), or run
-- past a 5 s statement timeout.  Every call is rolled back.  (XX001,
-- data_corrupted, is mark_verified()'s deliberate answer to a digest the
-- ledger does not match.)
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(7 * 2 * 3 + 1);

-- The fuzzer, created in each caller's session as a temporary function.
SELECT $fuzz$
CREATE FUNCTION pg_temp.fuzz() RETURNS TABLE (call text, state text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
	f record;
	args text[];
	pos int;
	v text;
	stmt text;
	pool jsonb := jsonb_build_object(
		'text', jsonb_build_array('NULL', $$''$$, $$' '$$, $$repeat('x', 100000)$$, $$E'\x01\x7f'$$,
			$$'KYC-20990101-0000000000'$$, $$'x''); DROP TABLE y; --'$$, $$'%s%n%x'$$, $$'Ω≈ç√∫'$$),
		'integer', jsonb_build_array('NULL', '0', '-1', '2147483647', '(-2147483648)'),
		'bigint', jsonb_build_array('NULL', '0', '-1', '9223372036854775807', '(-9223372036854775808)'),
		'numeric', jsonb_build_array('NULL', $$'NaN'$$, '-1', '1e100', $$'Infinity'$$),
		'double precision', jsonb_build_array('NULL', $$'NaN'$$, '-1', '1e308', $$'-Infinity'$$, '2'),
		'boolean', jsonb_build_array('NULL', 'true', 'false'),
		'uuid', jsonb_build_array('NULL', $$'00000000-0000-0000-0000-000000000000'$$, 'gen_random_uuid()'),
		'date', jsonb_build_array('NULL', $$'infinity'$$, $$'4713-01-01 BC'$$, $$'5874897-12-31'$$),
		'timestamp with time zone', jsonb_build_array('NULL', $$'infinity'$$, $$'-infinity'$$, $$'4713-01-01 BC'$$),
		'interval', jsonb_build_array('NULL', $$'-1 day'$$, $$'0'$$, $$'178000000 years'$$),
		'jsonb', jsonb_build_array('NULL', $$'{}'$$, $$'[]'$$, $$'"s"'$$, $$'null'$$, $$'[{}, 1, "x"]'$$,
			$$'{"block_id": -1, "block_hash": "zz"}'$$, $$repeat('[', 5000) || repeat(']', 5000)$$),
		'text[]', jsonb_build_array('NULL', $$'{}'$$, $$'{NULL}'$$, $$'{""}'$$,
			$$array_fill('x'::text, ARRAY[10000])$$),
		'xid8', jsonb_build_array('NULL', $$'0'$$, $$'18446744073709551615'$$),
		'regprocedure', jsonb_build_array('NULL', '0', $$'pg_catalog.now()'$$),
		'regclass', jsonb_build_array('NULL', '0', $$'pg_catalog.pg_class'$$));
	types text[];
	n int;
BEGIN
	FOR f IN
		SELECT p.oid, p.oid::regproc::text AS name,
			   array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t) AS argtypes
		FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace
		WHERE s.nspname LIKE 'kyc\_%' AND p.prokind = 'f'
		  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
		  AND has_function_privilege(p.oid, 'EXECUTE')
		ORDER BY 2, 1
	LOOP
		types := f.argtypes;
		n := coalesce(array_length(types, 1), 0);
		FOR pos IN 0 .. n LOOP
			FOR v IN SELECT jsonb_array_elements_text(
						 CASE WHEN pos = 0 THEN '["-"]'::jsonb ELSE coalesce(pool -> types[pos], '["NULL"]') END)
			LOOP
				-- Position pos gets the hostile value; the others a plausible one.
				args := array(SELECT CASE WHEN i = pos THEN v
										  ELSE coalesce(pool -> types[i] ->> 1, 'NULL') END
									 || '::' || types[i]
							  FROM generate_series(1, n) i);
				stmt := format('SELECT %s(%s)', f.name, array_to_string(args, ', '));
				BEGIN
					EXECUTE stmt;
					RAISE EXCEPTION USING ERRCODE = 'KF000';
				EXCEPTION WHEN OTHERS THEN
					call := left(stmt, 200);
					state := CASE SQLSTATE WHEN 'KF000' THEN 'ok' ELSE SQLSTATE END;
					RETURN NEXT;
				END;
			END LOOP;
			EXIT WHEN pos = 0 AND n = 0;
		END LOOP;
	END LOOP;
END
$fn$;
$fuzz$ AS fuzz \gset

CREATE TEMP TABLE callers (db text, role text);
INSERT INTO callers VALUES
	('onboarding', 'onboarding_user'), ('checklist_service', 'checklist_user'),
	('risk_service', 'risk_user'), ('auditlog_service', 'auditlog_user'),
	('projections_api', 'projections_user'), ('notification_service', 'notification_user'),
	('document_service', 'document_user');
INSERT INTO callers SELECT db, 'postgres' FROM callers;

CREATE TEMP TABLE results (db text, role text, call text, sqlstate text);
CREATE TEMP TABLE survived (db text, role text, alive boolean);

CREATE FUNCTION pg_temp.fuzz_as(db text, role text, fuzz text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	conn text := 'fuzz_' || role || '_' || db;
BEGIN
	PERFORM dblink_connect(conn, format('host=%s port=%s dbname=%s user=%s',
		current_setting('unix_socket_directories'), current_setting('port'), db, role));
	-- A guard against a call that hangs.  It bounds the whole fuzz() of a
	-- database, one statement, not each call: 5 s was too little on a slow
	-- machine, where rebuild() and drift() over dblink took that alone.
	PERFORM dblink_exec(conn, $q$SET statement_timeout = '300s'$q$);
	PERFORM dblink_exec(conn, $q$SET client_min_messages = error$q$);
	PERFORM dblink_exec(conn, fuzz);
	INSERT INTO results SELECT db, role, r.call, r.sqlstate
	FROM dblink(conn, 'SELECT * FROM pg_temp.fuzz()') AS r(call text, sqlstate text);
	INSERT INTO survived
	SELECT db, role, (SELECT x FROM dblink(conn, 'SELECT true') AS t(x boolean));
	PERFORM dblink_disconnect(conn);
EXCEPTION WHEN OTHERS THEN
	INSERT INTO survived VALUES (db, role, false);
	RAISE WARNING 'fuzzing % as % broke the session: %', db, role, SQLERRM;
	PERFORM dblink_disconnect(conn) WHERE conn = ANY (dblink_get_connections());
END $$;
SELECT pg_temp.fuzz_as(db, role, :'fuzz') FROM callers ORDER BY db, role;

SELECT is((SELECT alive FROM survived s WHERE s.db = c.db AND s.role = c.role), true,
		  format('%s in %s: the session survives every call', c.role, c.db))
FROM callers c ORDER BY c.db, c.role;
SELECT is((SELECT string_agg(r.call, E'\n') FROM results r
		   WHERE r.db = c.db AND r.role = c.role AND r.sqlstate = 'XX000'), NULL,
		  format('%s in %s: no call ends in an internal error', c.role, c.db))
FROM callers c ORDER BY c.db, c.role;
SELECT is((SELECT string_agg(r.call, E'\n') FROM results r
		   WHERE r.db = c.db AND r.role = c.role AND r.sqlstate = '57014'), NULL,
		  format('%s in %s: no call runs past 5 s', c.role, c.db))
FROM callers c ORDER BY c.db, c.role;
SELECT cmp_ok((SELECT count(*)::int FROM results), '>=', 1500, 'well over a thousand hostile calls were made');
SELECT diag(format('%s calls: %s', (SELECT count(*) FROM results), string_agg(s, ', ')))
FROM (SELECT count(*), format('%s %s', sqlstate, count(*)) AS s FROM results GROUP BY sqlstate ORDER BY count(*) DESC) x;

SELECT * FROM finish();
DROP EXTENSION dblink;
