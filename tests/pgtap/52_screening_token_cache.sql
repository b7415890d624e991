-- The in-memory index keeps its candidates' weighed tokens (issue 17's
-- speed), and screen() skips a candidate whose kept tokens cannot reach
-- the threshold.  Tokens kept under old weights must not skip a name the
-- new weights lift: after the administrator refreshes the token weights
-- in the same session, and after that refresh is rolled back, screen()
-- finds what name_similarity() scores.  As risk_user, in risk_service.
\set ON_ERROR_STOP 1
\c risk_service
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(11);
SET ROLE risk_user;

-- 1,200 names that share a surname, and a name with it unpaired, before any screen.
SELECT ok((SELECT count(kyc_risk.add_watchlist_entity('TAP-CACHE-COMMON', 'person',
				  ARRAY['Ivanov ' || chr(97 + i % 26) || chr(97 + i / 26 % 26) || chr(97 + i / 676 % 26) || 'q'])) = 1200
		   FROM generate_series(1, 1200) i), '1,200 names with the surname Ivanov');
SELECT ok(kyc_risk.add_watchlist_entity('TAP-CACHE', 'person', ARRAY['Zebediah Quillfeather Ivanov']) > 0,
		  'the name to find');
CREATE TEMP VIEW found AS
	SELECT (SELECT (reasons->>'name_score')::float8 FROM kyc_risk.screen('Zebediah Quillfeather', threshold => 0.9)
			WHERE list = 'TAP-CACHE') AS name_score,
		   round(kyc_risk.name_similarity('Zebediah Quillfeather', 'Zebediah Quillfeather Ivanov')::numeric, 4)::float8
			   AS similarity;

-- The unpaired ivanov weighs 1: the name scores about 0.82.
SELECT cmp_ok(similarity, '<', 0.85::float8, 'the name scores below 0.85') FROM found;
SELECT is(name_score, NULL, 'screen() at 0.9 does not find it') FROM found;
SELECT is(name_score, NULL, 'nor again, from the tokens it kept') FROM found;

-- The refresh makes ivanov common and lifts the name above 0.9: the kept
-- tokens are cut and weighed again, or the name would be skipped.
SAVEPOINT refreshed;
RESET ROLE;
SELECT cmp_ok(kyc_risk.refresh_token_weights(), '>', 0::bigint, 'the administrator refreshes the weights');
SET ROLE risk_user;
SELECT cmp_ok(similarity, '>=', 0.9::float8, 'the name now scores 0.9 or more') FROM found;
SELECT is(name_score, similarity, 'screen() finds it, with name_similarity()''s score') FROM found;
-- In parallel mode the weights are read again at each use, and nothing is
-- kept: the same result.
SET LOCAL force_parallel_mode = on;
SELECT is(name_score, similarity, 'and so under force_parallel_mode') FROM found;
RESET force_parallel_mode;

-- Rolled back, the old weights are back.
ROLLBACK TO SAVEPOINT refreshed;
SET ROLE risk_user;
SELECT cmp_ok(similarity, '<', 0.85::float8, 'after a rollback, the name scores below 0.85 again') FROM found;
SELECT is(name_score, NULL, 'and screen() at 0.9 does not find it') FROM found;

SELECT * FROM finish();
ROLLBACK;
