-- The in-memory index keeps its candidates' weighed tokens (issue 17's
-- speed), and screen() skips a candidate whose kept tokens cannot reach
-- the threshold.  Tokens kept under old weights must not skip a name the
-- new weights lift: after the administrator refreshes the token weights
-- in the same session, screen() finds what name_similarity() scores, and
-- so it does in parallel mode, where nothing kept is used.  As risk_user,
-- in risk_service.
\set ON_ERROR_STOP 1
\c risk_service
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(15);
SET ROLE risk_user;

-- 1,200 names that share a surname, and a name with it unpaired, before any screen.
SELECT ok((SELECT count(kyc_risk.add_watchlist_entity('TAP-CACHE-COMMON', 'person',
				  ARRAY['Ivanov ' || chr(97 + i % 26) || chr(97 + i / 26 % 26) || chr(97 + i / 676 % 26) || 'q'])) = 1200
		   FROM generate_series(1, 1200) i), '1,200 names with the surname Ivanov');
SELECT ok(kyc_risk.add_watchlist_entity('TAP-CACHE', 'person', ARRAY['Quillfeather Ivanov']) > 0,
		  'the name to find');
CREATE FUNCTION pg_temp.explain_lines(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || query;
END
$$;
CREATE TEMP VIEW found AS
	SELECT (SELECT (reasons->>'name_score')::float8 FROM kyc_risk.screen('Quillfeather', threshold => 0.85)
			WHERE list = 'TAP-CACHE') AS name_score,
		   round(kyc_risk.name_similarity('Quillfeather', 'Quillfeather Ivanov')::numeric, 4)::float8
			   AS similarity;
-- screen() is parallel unsafe; called from a parallel-restricted function
-- above a Gather, it runs in the leader, in parallel mode.
CREATE FUNCTION pg_temp.parallel_name_score(q text) RETURNS float8 LANGUAGE sql PARALLEL RESTRICTED
	AS $$ SELECT (reasons->>'name_score')::float8 FROM kyc_risk.screen(q, threshold => 0.85) WHERE list = 'TAP-CACHE' $$;
CREATE TEMP VIEW found_in_parallel AS
	SELECT pg_temp.parallel_name_score(x.q) AS name_score
	FROM (SELECT 'Quillfeather'::text AS q FROM kyc_risk.level_bands LIMIT 1) x;

-- The unpaired surname ivanov weighs 1 (and one pair is no ground to
-- read it as a second surname): the name scores about 0.57.
SELECT cmp_ok(similarity, '<', 0.85::float8, 'the name scores below 0.85') FROM found;
SELECT is(name_score, NULL, 'screen() at 0.85 does not find it') FROM found;
SELECT is(name_score, NULL, 'nor again, from the tokens it kept') FROM found;

-- The refresh makes ivanov common and lifts the name above 0.85: tokens
-- kept under the old weights would skip it.  First in parallel mode, where
-- the new weights are read first: read so, they are read again at the next
-- use, and nothing cut with them may be kept or taken from what was kept.
-- Then as usual, where the kept tokens are cut and weighed again.
SAVEPOINT refreshed;
RESET ROLE;
SELECT cmp_ok(kyc_risk.refresh_token_weights(), '>', 0::bigint, 'the administrator refreshes the weights');
SET ROLE risk_user;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 1;
SELECT ok((SELECT count(*) > 0 FROM pg_temp.explain_lines('SELECT name_score FROM found_in_parallel') l
		   WHERE l LIKE '%Gather%'), 'the parallel check runs above a Gather');
-- alone in its statement: a statement with screen() in it would not be parallel
SELECT coalesce(name_score, -1) AS parallel_score FROM found_in_parallel \gset
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT cmp_ok(similarity, '>=', 0.85::float8, 'the name now scores 0.85 or more') FROM found;
SELECT is(:parallel_score::float8, similarity,
		  'screen() in parallel mode found it, with name_similarity()''s score') FROM found;
SELECT is(name_score, similarity, 'screen() finds it, with name_similarity()''s score') FROM found;

-- Rolled back, the old weights are back.  (Tokens kept under the new
-- weights would score higher and only be scored again, so this checks the
-- result, not the kept tokens.)
ROLLBACK TO SAVEPOINT refreshed;
SET ROLE risk_user;
SELECT cmp_ok(similarity, '<', 0.85::float8, 'after a rollback, the name scores below 0.85 again') FROM found;
SELECT is(name_score, NULL, 'and screen() at 0.85 does not find it') FROM found;

-- An index the list's change retired is freed at the next screen(), even
-- one that does not use the index (or at the transaction's end): a backend
-- never holds two.
SELECT ok(count(*) > 0, 'a screen finds the name') FROM kyc_risk.screen('Zebediah Quillfeather', threshold => 0.5);
SELECT ok(kyc_risk.add_watchlist_entity('TAP-CACHE-2', 'person', ARRAY['Jedediah Quillfeather']) > 0,
		  'a name added: the index is retired');
SET LOCAL kyc_risk.screen_cache = off;
SELECT count(*) AS screened FROM kyc_risk.screen('Zebediah Quillfeather') \gset
RESET kyc_risk.screen_cache;
RESET ROLE;
SELECT is((SELECT count(*) FROM pg_catalog.pg_backend_memory_contexts WHERE name = 'kyc_risk screening names'),
		  0::bigint, 'the next screen freed it');

SELECT * FROM finish();
ROLLBACK;
