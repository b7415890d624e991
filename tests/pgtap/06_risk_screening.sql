-- kyc_risk screening in risk_service: the watch-list tables, the screening
-- API, removals from the watch lists and their record, screen_case()'s
-- threshold cap, and the errors with their SQLSTATEs.
\c risk_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(10 + 8 + 21 + 6 + 14);

SELECT has_table('kyc_risk', 'watchlist_entities', 'watchlist_entities exists');
SELECT has_table('kyc_risk', 'watchlist_names', 'watchlist_names exists');
SELECT has_table('kyc_risk', 'company_forms', 'company_forms exists');
SELECT has_index('kyc_risk', 'watchlist_names', 'watchlist_names_trgm_idx', 'names have a trigram index');
SELECT has_function('kyc_risk', 'normalize_name', ARRAY['text', 'boolean']);
SELECT has_function('kyc_risk', 'name_similarity', ARRAY['text', 'text']);
SELECT has_function('kyc_risk', 'add_watchlist_entity', ARRAY['text', 'text', 'text[]', 'date', 'text[]', 'text']);
SELECT has_function('kyc_risk', 'screen', ARRAY['text', 'date', 'text', 'double precision', 'integer']);
SELECT has_function('kyc_risk', 'screen_case', ARRAY['text', 'text', 'date', 'text', 'double precision']);
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_extension x, unnest(x.extconfig) c
		   WHERE x.extname = 'kyc_risk'
			 AND c::regclass::text IN ('kyc_risk.watchlist_entities', 'kyc_risk.watchlist_names',
									   'kyc_risk.company_forms')),
		  3, 'pg_dump keeps the watch lists');

-- The API.
SELECT is(kyc_risk.normalize_name('PUTIN, Владимир'), 'vladimir putin', 'normalize_name transliterates and folds the comma');
SELECT is(kyc_risk.normalize_name('Acme Trading Ltd.', true), 'acme trading', 'company forms are dropped on request');
SELECT is(kyc_risk.name_similarity('John Smith', 'Smith, John'), 1::float8, 'order does not matter');
SELECT cmp_ok(kyc_risk.name_similarity('Jane Smith', 'John Smith'), '<', 0.85::float8, 'another given name is no match');
SELECT isnt(kyc_risk.add_watchlist_entity('PGTAP', 'person', ARRAY['Ivan Petrov', 'Иван Петров'], '1961-03-14', ARRAY['RU']),
			NULL, 'add_watchlist_entity returns the id');
SELECT results_eq($$SELECT list, matched_name, score, reasons->>'dob' FROM kyc_risk.screen('Petrov Ivan', '1961-03-14', 'RU')$$,
				  $$VALUES ('PGTAP'::text, 'Ivan Petrov'::text, 1::float8, 'exact'::text)$$,
				  'screen finds the entity, with reasons');
SELECT is_empty($$SELECT * FROM kyc_risk.screen('Ivan Petrov', '1990-01-01', 'US', 0.9)$$,
				'a wrong date of birth and country push a match under the threshold');
SELECT is(kyc_risk.screen_case('PGTAP-CASE-1', 'Ivan Petrov'), 1, 'screen_case records one Sanctions factor');

-- risk_user screens; what screen_case records is the system's, which
-- risk_user cannot change (tests/pgtap/05_risk.sql).
SET SESSION AUTHORIZATION risk_user;
SELECT is(kyc_risk.screen_case('PGTAP-CASE-2', 'Ivan Petrov'), 1, 'risk_user''s screen_case records the match');
SELECT results_eq($$SELECT f.type, f.score, f.system_owned, f.source::text FROM kyc_risk.risk_factors f
					WHERE f.risk_assessment_id = kyc_risk.open_assessment('PGTAP-CASE-2')$$,
				  $$VALUES ('Sanctions', 100.00::numeric, true, 'screening:PGTAP')$$,
				  'the match is a system-owned factor');
RESET SESSION AUTHORIZATION;

-- Review finding (watch-list deletion): risk_user deleted a listed entity,
-- with no reason and no record, and screen_case() then missed it.  Now it
-- may not delete watch-list rows; remove_watchlist_entity() asks a reason
-- and records the entity, its names and who removed it.
SET SESSION AUTHORIZATION risk_user;
SELECT ok(kyc_risk.add_watchlist_entity('TAP-OFAC', 'person', ARRAY['Boris Badenov', 'Boris Badenoff']) > 0,
		  'risk_user adds an entity to a watch list');
SELECT throws_ok($$DELETE FROM kyc_risk.watchlist_entities e USING kyc_risk.watchlist_names n
				   WHERE n.entity_id = e.id AND n.normalized = kyc_risk.normalize_name('Boris Badenov')$$,
				 '42501', NULL, 'risk_user cannot delete a listed entity');
SELECT throws_ok($$DELETE FROM kyc_risk.watchlist_names WHERE normalized = kyc_risk.normalize_name('Boris Badenov')$$,
				 '42501', NULL, '... nor one of its names');
SELECT is(kyc_risk.screen_case('TAP-CASE-B', 'Boris Badenov'), 1, 'so screening still finds it');
SELECT throws_ok($$SELECT kyc_risk.remove_watchlist_entity(
					 (SELECT id FROM kyc_risk.watchlist_entities WHERE list = 'TAP-OFAC'), '  ')$$,
				 '22023', NULL, 'remove_watchlist_entity() needs a reason');
SELECT throws_ok($$SELECT kyc_risk.remove_watchlist_entity(
					 (SELECT id FROM kyc_risk.watchlist_entities WHERE list = 'TAP-OFAC'), NULL)$$,
				 '22004', NULL, '... not a null one');
SELECT throws_ok($$SELECT kyc_risk.remove_watchlist_entity(-1, 'no such entity')$$,
				 'P0002', NULL, '... and an entity that exists');
SELECT ok(kyc_risk.remove_watchlist_entity((SELECT id FROM kyc_risk.watchlist_entities WHERE list = 'TAP-OFAC'),
										   'pgTAP: delisted by OFAC') > 0,
		  'risk_user removes the entity, giving a reason');
SELECT is_empty($$SELECT * FROM kyc_risk.screen('Boris Badenov')$$, 'the removed entity no longer screens');
SELECT results_eq($$SELECT list, entity_type, names, operation, reason, actor, db_user FROM kyc_risk.watchlist_changes
					WHERE list = 'TAP-OFAC'$$,
				  $$VALUES ('TAP-OFAC', 'person', ARRAY['Boris Badenov', 'Boris Badenoff'], 'DELETE',
							'pgTAP: delisted by OFAC', 'risk_user', 'risk_user')$$,
				  'watchlist_changes records the entity, its names, the reason and who');
SELECT throws_ok($$INSERT INTO kyc_risk.watchlist_changes (entity_id, list, entity_type, names, operation, reason, actor, db_user)
				   VALUES (1, 'x', 'person', '{x}', 'DELETE', 'forged', 'x', 'x')$$,
				 '42501', NULL, 'risk_user cannot write watchlist_changes itself');
-- screen_case()'s threshold: a caller may not screen so strictly that near matches go unrecorded.
SELECT throws_ok($$SELECT kyc_risk.screen_case('TAP-CASE-T', 'Ivan Petrov', threshold => 1.0)$$,
				 '22023', NULL, 'risk_user cannot raise screen_case()''s threshold above the cap');
SELECT throws_ok($$SET kyc_risk.screen_case_max_threshold = 1.0$$,
				 '42501', NULL, '... nor raise the cap');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*)::int FROM kyc_events.outbox o
		   WHERE o.topic = 'audit.recorded' AND o.payload->>'table' = 'kyc_risk.watchlist_changes'
			 AND o.payload->'new_values'->>'reason' = 'pgTAP: delisted by OFAC'),
		  1, 'the removal and its reason are captured into the audit log');

-- Trigger functions: not for risk_user's tables, nor for any table but theirs.
SET ROLE risk_user;
CREATE TEMP TABLE tap_names (name text, normalized text);
SELECT throws_ok($$CREATE TRIGGER mine AFTER INSERT ON tap_names FOR EACH STATEMENT
				   EXECUTE FUNCTION kyc_risk.cached_table_changed()$$,
				 '42501', NULL, 'risk_user cannot attach cached_table_changed() to its own table');
SELECT throws_ok($$CREATE TRIGGER mine BEFORE INSERT ON tap_names FOR EACH ROW
				   EXECUTE FUNCTION kyc_risk.watchlist_name_normalize()$$,
				 '42501', NULL, 'risk_user cannot attach watchlist_name_normalize() to its own table');
RESET ROLE;
CREATE TRIGGER other_cached AFTER INSERT ON tap_names FOR EACH STATEMENT
	EXECUTE FUNCTION kyc_risk.cached_table_changed();
SELECT throws_ok($$INSERT INTO tap_names VALUES ('x', 'x')$$, '39P01', NULL,
				 'cached_table_changed() refuses to fire on another table');
DROP TRIGGER other_cached ON tap_names;
CREATE TRIGGER other_normalize BEFORE INSERT ON tap_names FOR EACH ROW
	EXECUTE FUNCTION kyc_risk.watchlist_name_normalize();
SELECT throws_ok($$INSERT INTO tap_names VALUES ('x', 'x')$$, '39P01', NULL,
				 'watchlist_name_normalize() refuses to fire on another table');

-- Errors, each with its SQLSTATE.
SELECT throws_ok($$SELECT kyc_risk.normalize_name(NULL)$$, '22004', NULL, 'a null name is refused');
SELECT throws_ok($$SELECT kyc_risk.normalize_name('')$$, '22023', NULL, 'an empty name is refused');
SELECT throws_ok($$SELECT kyc_risk.normalize_name('  ')$$, '22023', NULL, 'a blank name is refused');
SELECT throws_ok($$SELECT kyc_risk.normalize_name('?!')$$, '22023', NULL, 'a name without letters is refused');
SELECT throws_ok($$SELECT kyc_risk.normalize_name(repeat('a', 1001))$$, '22001', NULL, 'a name over 1,000 characters is refused');
SELECT throws_ok($$SELECT kyc_risk.normalize_name(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL,
				 'invalid UTF-8 is refused');
SELECT throws_ok($$SELECT kyc_risk.normalize_name('x', NULL)$$, '22004', NULL, 'a null drop_company_forms is refused');
SELECT throws_ok($$SELECT kyc_risk.name_similarity('x', NULL)$$, '22004', NULL, 'name_similarity refuses null');
SELECT throws_ok($$SELECT kyc_risk.name_similarity('', 'x')$$, '22023', NULL, 'name_similarity refuses empty names');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen(NULL)$$, '22004', NULL, 'screen refuses a null name');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen(repeat('a', 1001))$$, '22001', NULL, 'screen refuses a long name');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen('x', 'infinity')$$, '22023', NULL, 'screen refuses an infinite birth date');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen('x', NULL, 'RUS')$$, '22023', NULL, 'screen refuses a 3-letter country');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen('x', NULL, NULL, 1.01)$$, '22023', NULL, 'screen refuses a threshold over 1');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen('x', NULL, NULL, NULL)$$, '22004', NULL, 'screen refuses a null threshold');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen('x', max_results => 0)$$, '22023', NULL, 'screen refuses max_results 0');
SELECT throws_ok($$SELECT * FROM kyc_risk.screen('x', max_results => 1001)$$, '22023', NULL, 'screen refuses max_results over 1000');
SELECT throws_ok($$SELECT kyc_risk.add_watchlist_entity('L', 'person', ARRAY['x', NULL])$$, '22004', NULL,
				 'add_watchlist_entity refuses a null name');
SELECT throws_ok($$SELECT kyc_risk.add_watchlist_entity('L', 'person', '{}')$$, '22023', NULL,
				 'add_watchlist_entity needs a primary name');
SELECT throws_ok($$SELECT kyc_risk.add_watchlist_entity('L', 'person', ARRAY['x'], NULL, ARRAY['RUS'])$$, '22023', NULL,
				 'add_watchlist_entity refuses a country that is not alpha-2');
SELECT throws_ok($$SELECT kyc_risk.screen_case('', 'x')$$, '22023', NULL, 'screen_case refuses an empty case id');

SELECT * FROM finish();
ROLLBACK;
