-- kyc_risk scoring in risk_service: the model's tables, the weighted
-- score (each type by its highest factor), bands, overrides, explain(),
-- completion and its event, rescoring, geography and industry factors,
-- risk_user's rights (system-owned factors, the types' weights, reasons
-- and their audit, no dilution), pinned search_path, trigger functions
-- kept to their tables, and the errors.
\c risk_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(54 + 23 + 17 + 11 + 7);

-- The seed's tables and the model, as make provision leaves them.
SELECT has_table('kyc_risk', 'risk_assessments', 'risk_assessments exists');
SELECT has_table('kyc_risk', 'risk_factors', 'risk_factors exists');
SELECT col_type_is('kyc_risk', 'risk_assessments', 'risk_score', 'numeric(5,2)', 'risk_score is numeric');
SELECT results_eq($$SELECT level::text, min_score FROM kyc_risk.level_bands ORDER BY min_score$$,
				  $$VALUES ('Low', 0.00), ('MediumLow', 20.00), ('Medium', 40.00), ('MediumHigh', 60.00), ('High', 80.00)$$,
				  'default bands cut at 20, 40, 60 and 80');
SELECT results_eq($$SELECT type, weight FROM kyc_risk.factor_types ORDER BY type$$,
				  $$VALUES ('AdverseMedia', 0.150), ('Geography', 0.200), ('Industry', 0.150), ('PEP', 0.200), ('Sanctions', 0.300)$$,
				  'default weights per factor type');
SELECT is((SELECT count(*)::int FROM kyc_risk.country_risk WHERE list = 'FATF black list'), 3,
		  'the FATF black list: DPRK, Iran, Myanmar');
SELECT is((SELECT score FROM kyc_risk.country_risk WHERE country_code = 'IR'), 100.00::numeric, 'Iran scores 100');

-- risk_level() follows the bands, edges included.
SELECT results_eq($$SELECT kyc_risk.risk_level(s) FROM unnest(ARRAY[0, 19.99, 20, 39.99, 40, 59.99, 60, 79.99, 80, 100]::numeric[]) s$$,
				  ARRAY['Low', 'Low', 'MediumLow', 'MediumLow', 'Medium', 'Medium', 'MediumHigh', 'MediumHigh', 'High', 'High'],
				  'risk_level() maps each band edge');
SELECT throws_ok($$SELECT kyc_risk.risk_level(100.01)$$, '22003', NULL, 'a score above 100 is refused');
SELECT throws_ok($$SELECT kyc_risk.risk_level(-1)$$, '22003', NULL, 'a negative score is refused');
SELECT throws_ok($$SELECT kyc_risk.risk_level(NULL)$$, '22004', NULL, 'a NULL score is refused');
SELECT throws_ok($$SELECT kyc_risk.risk_level('NaN')$$, '22023', 'risk score NaN is not a number from 0 to 100',
				 'NaN is refused as a bad value, named');

-- The weighted average over the types present.  A person's insert,
-- update or delete needs a reason (tested below); this one serves the
-- walk-through up to risk_user's part.
SET kyc_risk.change_reason = 'pgTAP scoring walk-through';
SELECT lives_ok($$SELECT kyc_risk.open_assessment('TAP-R1')$$, 'open_assessment() creates the assessment');
SELECT is(kyc_risk.open_assessment('TAP-R1'), (SELECT id FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'),
		  'open_assessment() returns the same one again');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R1'), 'PEP', 50);
SELECT is((SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 50.00::numeric,
		  'one factor: the score is its score');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R1'), 'Industry', 15);
-- (50 * 0.2 + 15 * 0.15) / 0.35 = 35.00
SELECT is((SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 35.00::numeric,
		  'two factors: weighted by type');
SELECT is((SELECT overall_risk_level::text FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 'MediumLow',
		  'the level is the score''s band');
SELECT is((SELECT level::text FROM kyc_risk.risk_factors WHERE type = 'PEP'
		   AND risk_assessment_id = kyc_risk.open_assessment('TAP-R1')), 'Medium',
		  'a factor without a level takes its score''s band');
UPDATE kyc_risk.risk_factors SET score = 90 WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R1');
SELECT is((SELECT level::text FROM kyc_risk.risk_factors WHERE type = 'PEP'
		   AND risk_assessment_id = kyc_risk.open_assessment('TAP-R1')), 'High',
		  '... and follows its score when it changes');
-- (90 * 0.2 + 15 * 0.15) / 0.35 = 57.857 -> 57.86
SELECT is((SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 57.86::numeric,
		  'an update recomputes, rounding half up to hundredths');
SELECT results_eq($$SELECT overall_risk_level::text, manual_review, overrides
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'$$,
				  $$VALUES ('MediumHigh', true, ARRAY['pep_high'])$$,
				  'a High PEP factor fires pep_high: 57.86 (Medium) is raised to MediumHigh, for manual review');
SELECT throws_ok($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, level, weight)
				   VALUES (kyc_risk.open_assessment('TAP-R1'), 'AdverseMedia', 10, 'High', 0.65)$$,
				 '22023', 'risk factor weight 0.650 is not the weight of type AdverseMedia',
				 'a factor cannot bring a weight of its own');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, level)
VALUES (kyc_risk.open_assessment('TAP-R1'), 'AdverseMedia', 10, 'High');
SELECT results_eq($$SELECT level::text, weight FROM kyc_risk.risk_factors WHERE type = 'AdverseMedia'
					AND risk_assessment_id = kyc_risk.open_assessment('TAP-R1')$$,
				  $$VALUES ('High', 0.150)$$,
				  'a factor given a level keeps it; its weight is its type''s');
-- (90 * 0.2 + 15 * 0.15 + 10 * 0.15) / 0.5 = 43.50
SELECT is((SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 43.50::numeric,
		  'a third type joins the average with its type''s weight');
DELETE FROM kyc_risk.risk_factors WHERE type = 'AdverseMedia' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R1');
SELECT is((SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 57.86::numeric,
		  'a delete recomputes');

-- Only the touched assessment changes.
SELECT lives_ok($$SELECT kyc_risk.open_assessment('TAP-R2')$$, 'a second assessment');
UPDATE kyc_risk.risk_assessments SET updated_at = '2000-01-01' WHERE case_id = 'TAP-R2';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R1'), 'AdverseMedia', 0);
SELECT is((SELECT updated_at FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R2'), '2000-01-01'::timestamptz,
		  'a factor of one assessment leaves the others untouched');

-- Overrides: a High Sanctions factor forces High and manual review.
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R2'), 'Sanctions', 85), (kyc_risk.open_assessment('TAP-R2'), 'Industry', 0);
SELECT results_eq($$SELECT risk_score, overall_risk_level::text, manual_review, overrides
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R2'$$,
				  $$VALUES (56.67::numeric, 'High', true, ARRAY['sanctions_high'])$$,
				  'a High Sanctions factor makes a 56.67 assessment High, for manual review');
SELECT results_eq($$SELECT type, contribution, overrides FROM kyc_risk.explain('TAP-R2') ORDER BY type$$,
				  $$VALUES ('Industry', 0.00::numeric, NULL), ('Sanctions', 56.67, 'sanctions_high')$$,
				  'explain() gives each contribution and names the override that fired');
SELECT is((SELECT sum(contribution) FROM kyc_risk.explain('TAP-R1')),
		  (SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'),
		  'contributions add up to the score');
-- Two Industry factors: the higher scores the type, the other contributes 0.
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R2'), 'Industry', 40);
-- (85 * 0.3 + 40 * 0.15) / 0.45 = 70.00
SELECT results_eq($$SELECT type, score, weight, contribution FROM kyc_risk.explain('TAP-R2') ORDER BY type, score$$,
				  $$VALUES ('Industry', 0.00::numeric, 0.150::numeric, 0.00::numeric), ('Industry', 40.00, 0.150, 13.33),
						   ('Sanctions', 85.00, 0.300, 56.67)$$,
				  'a type is scored by its highest factor; a lower one contributes 0');
SELECT is((SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R2'), 70.00::numeric,
		  'a second factor of a type raises the score, as its highest');
DELETE FROM kyc_risk.risk_factors WHERE type = 'Industry' AND score = 40
AND risk_assessment_id = kyc_risk.open_assessment('TAP-R2');
UPDATE kyc_risk.overrides SET enabled = false WHERE name = 'sanctions_high';
UPDATE kyc_risk.risk_factors SET score = 85 WHERE type = 'Sanctions' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R2');
SELECT is((SELECT overall_risk_level::text FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R2'), 'Medium',
		  'a disabled override no longer fires');
UPDATE kyc_risk.overrides SET enabled = true WHERE name = 'sanctions_high';

-- Completion: every required type present completes it, with one event.
DELETE FROM kyc_events.outbox WHERE aggregate_id = 'TAP-R3';
SELECT lives_ok($$SELECT kyc_risk.assess_geography('TAP-R3', ARRAY['de', 'IR'])$$, 'assess_geography()');
SELECT is((SELECT score FROM kyc_risk.risk_factors f JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id
		   WHERE a.case_id = 'TAP-R3' AND f.type = 'Geography'), 100.00::numeric,
		  'the riskiest country scores the Geography factor');
SELECT lives_ok($$SELECT kyc_risk.assess_geography('TAP-R3', ARRAY['DE'])$$, 'assess_geography() again');
SELECT is((SELECT count(*)::int FROM kyc_risk.risk_factors f JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id
		   WHERE a.case_id = 'TAP-R3' AND f.type = 'Geography'), 1, '... replaces its factor');
SELECT is((SELECT score FROM kyc_risk.risk_factors f JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id
		   WHERE a.case_id = 'TAP-R3' AND f.type = 'Geography'), 10.00::numeric,
		  'an unlisted country scores kyc_risk.unlisted_country_score');
SELECT lives_ok($$SELECT kyc_risk.assess_industry('TAP-R3', 'money_services')$$, 'assess_industry()');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R3'), 'PEP', 0);
SELECT is((SELECT status FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R3'), 'InProgress',
		  'not complete while a required type is missing');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id = 'TAP-R3'), 0, 'and no event yet');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R3'), 'Sanctions', 0);
SELECT results_eq($$SELECT status, completed_at IS NOT NULL FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R3'$$,
				  $$VALUES ('Completed', true)$$, 'complete once every required type is present');
SELECT results_eq($$SELECT topic, payload->>'level', (payload->>'score')::numeric, jsonb_array_length(payload->'factors')
					FROM kyc_events.outbox WHERE aggregate_id = 'TAP-R3'$$,
				  $$VALUES ('risk.assessment_completed', 'Low', 17.35::numeric, 4)$$,
				  'one risk.assessment_completed event with level, score and factors');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('TAP-R3'), 'AdverseMedia', 100);
SELECT results_eq($$SELECT topic FROM kyc_events.outbox WHERE aggregate_id = 'TAP-R3' ORDER BY id$$,
				  ARRAY['risk.assessment_completed', 'risk.assessment_rescored'],
				  'a later change of level is an event of its own');

-- Required factor types by case type: an Individual has no industry.
SELECT results_eq($$SELECT case_type, array_agg(factor_type ORDER BY factor_type) FROM kyc_risk.required_factor_types
					GROUP BY 1 ORDER BY 1$$,
				  $$VALUES ('Corporate', ARRAY['Geography', 'Industry', 'PEP', 'Sanctions']),
						   ('Individual', ARRAY['Geography', 'PEP', 'Sanctions']),
						   ('Partnership', ARRAY['Geography', 'Industry', 'PEP', 'Sanctions']),
						   ('Trust', ARRAY['Geography', 'PEP', 'Sanctions'])$$,
				  'install_defaults(): required factor types by case type');
INSERT INTO kyc_risk.risk_assessments (case_id, case_type) VALUES ('TAP-R15', 'Individual'), ('TAP-R16', 'Corporate');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
SELECT a.id, t, 0 FROM kyc_risk.risk_assessments a, unnest(ARRAY['Sanctions', 'PEP', 'Geography']) t
WHERE a.case_id IN ('TAP-R15', 'TAP-R16');
SELECT results_eq($$SELECT case_id::text, status FROM kyc_risk.risk_assessments WHERE case_id IN ('TAP-R15', 'TAP-R16') ORDER BY 1$$,
				  $$VALUES ('TAP-R15', 'Completed'), ('TAP-R16', 'InProgress')$$,
				  'an Individual completes without Industry; a Corporate case waits for it');
SELECT lives_ok($$SELECT kyc_risk.assess_industry('TAP-R16', 'software')$$, 'the Corporate case''s industry');
SELECT is((SELECT status FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R16'), 'Completed',
		  '... completes it');
SELECT throws_ok($$INSERT INTO kyc_risk.required_factor_types VALUES ('Individual', 'Gossip')$$, '23514',
				 'invalid factor_type "Gossip" for required_factor_types', 'required_factor_types refuses an unknown type');
SET ROLE risk_user;
SELECT throws_ok($$INSERT INTO kyc_risk.required_factor_types VALUES ('Individual', 'Industry')$$, '42501', NULL,
				 'risk_user cannot change what completion needs');
SELECT is((SELECT count(*)::int FROM kyc_risk.required_factor_types), 14, 'risk_user reads required_factor_types');
RESET ROLE;

-- Rescoring after a change of the model.
-- TAP-R1 scores 40.50 (Medium); TAP-R2 is Medium while its override was off.
-- pep_high, off here, would hold TAP-R1 at MediumHigh whatever the bands.
UPDATE kyc_risk.overrides SET enabled = false WHERE name = 'pep_high';
UPDATE kyc_risk.level_bands SET min_score = 45 WHERE level = 'Medium';
UPDATE kyc_risk.risk_assessments SET updated_at = '2000-01-01' WHERE case_id = 'TAP-R3';
SELECT is(kyc_risk.rescore_open_assessments(), 2, 'rescore reports how many open assessments changed level');
SELECT is((SELECT overall_risk_level::text FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 'MediumLow',
		  '40.50 is MediumLow under the new bands');
SELECT is((SELECT overall_risk_level::text FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R2'), 'High',
		  'the re-enabled override applies again');
SELECT is((SELECT updated_at FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R3'), '2000-01-01'::timestamptz,
		  'a completed assessment is left as it was');
UPDATE kyc_risk.level_bands SET min_score = 15 WHERE level = 'Medium';
SELECT throws_ok($$SELECT kyc_risk.risk_level(50)$$, '55000', NULL, 'bands out of level order are refused');
UPDATE kyc_risk.level_bands SET min_score = 40 WHERE level = 'Medium';
UPDATE kyc_risk.overrides SET enabled = true WHERE name = 'pep_high';

-- A change of a type's weight is re-applied to open assessments' factors.
UPDATE kyc_risk.factor_types SET weight = 0.25 WHERE type = 'PEP';
DO $$ BEGIN PERFORM kyc_risk.rescore_open_assessments(); END $$;
SELECT is((SELECT weight FROM kyc_risk.risk_factors WHERE type = 'PEP'
		   AND risk_assessment_id = kyc_risk.open_assessment('TAP-R1')), 0.250::numeric,
		  'rescore gives open assessments'' factors their type''s new weight');
-- (90 * 0.25 + 15 * 0.15 + 0 * 0.15) / 0.55 = 45.00
SELECT is((SELECT risk_score FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R1'), 45.00::numeric,
		  '... and scores them with it');
UPDATE kyc_risk.factor_types SET weight = 0.20 WHERE type = 'PEP';
DO $$ BEGIN PERFORM kyc_risk.rescore_open_assessments(); END $$;

-- Errors.
SELECT throws_ok($$SELECT kyc_risk.assess_geography('TAP-R4', ARRAY['XX'])$$, '22023', NULL, 'an unknown country code is refused');
SELECT throws_ok($$SELECT kyc_risk.assess_geography('TAP-R4', ARRAY[]::text[])$$, '22023', NULL, 'no countries is refused');
SELECT throws_ok($$SELECT kyc_risk.assess_industry('TAP-R4', 'alchemy')$$, 'P0002', NULL, 'an unknown industry is refused');
SELECT throws_ok($$SELECT * FROM kyc_risk.explain('TAP-NONE')$$, 'P0002', NULL, 'explain() of a case without assessment');

-- TRUNCATE leaves every assessment without factors: Low, scored 0.
TRUNCATE kyc_risk.risk_factors;
SELECT is((SELECT count(*)::int FROM kyc_risk.risk_assessments WHERE risk_score <> 0 OR overall_risk_level <> 'Low'),
		  0, 'a TRUNCATE of the factors rescores every assessment');

-- A NULL score is refused before the bands see it.
SELECT throws_ok($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type) VALUES (kyc_risk.open_assessment('TAP-R6'), 'PEP')$$,
				 '23502', NULL, 'a factor without a score is refused');

RESET kyc_risk.change_reason;

-- risk_user writes factors; scores are the trigger's, computed as the
-- owner with search_path pinned: an operator the session puts first on
-- its path never runs with the owner's rights.
SET ROLE risk_user;
SELECT throws_ok($$CREATE SCHEMA tap_evil$$, '42501', NULL,
				 'risk_user cannot create a schema: it does not own its database');
-- Were there a schema it could write, its operators still would not run as the owner.
RESET ROLE;
CREATE SCHEMA tap_evil;
CREATE TABLE tap_evil.seen (who name);
CREATE FUNCTION tap_evil.mul(numeric, integer) RETURNS numeric LANGUAGE sql
AS $$ INSERT INTO tap_evil.seen VALUES (current_user); SELECT $1 OPERATOR(pg_catalog.*) $2 $$;
CREATE OPERATOR tap_evil.* (LEFTARG = numeric, RIGHTARG = integer, FUNCTION = tap_evil.mul);
GRANT USAGE ON SCHEMA tap_evil TO risk_user;
GRANT SELECT, INSERT ON tap_evil.seen TO risk_user;
SET ROLE risk_user;
SET kyc_risk.change_reason = 'pgTAP: risk_user''s factors';
SET search_path = tap_evil, pg_catalog, public;
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score) VALUES (kyc_risk.open_assessment('TAP-R7'), 'PEP', 40);
RESET search_path;
SELECT is((SELECT count(*)::int FROM tap_evil.seen WHERE who <> 'risk_user'), 0,
		  'the scoring trigger does not run the session''s operators as the owner');
SELECT lives_ok($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
				  VALUES (kyc_risk.open_assessment('TAP-R5'), 'PEP', 40)$$, 'risk_user adds a factor');
SELECT throws_ok($$UPDATE kyc_risk.risk_assessments SET risk_score = 0$$, '42501', NULL,
				 'risk_user cannot set a score');
RESET kyc_risk.change_reason;
RESET ROLE;

-- Finding 7: risk_user could neutralise a sanctions hit by restating the
-- screening factor Low with a tiny weight.  Screening and workflow factors
-- are now system-owned, and an override fires on the score's band too.
SELECT ok(kyc_risk.add_watchlist_entity('TAP-SANCTIONS', 'person', ARRAY['Bartholomew Quixley']) > 0,
		  'a sanctioned person on a watch list');
SET SESSION AUTHORIZATION risk_user;
SELECT is(kyc_risk.screen_case('TAP-R8', 'Bartholomew Quixley'), 1, 'risk_user screens a case: one match');
SELECT isnt(kyc_risk.assess_geography('TAP-R8', ARRAY['DE']), NULL, 'risk_user assesses its geography');
SELECT isnt(kyc_risk.assess_industry('TAP-R8', 'software'), NULL, '... and its industry');
SET kyc_risk.change_reason = 'PEP screening: no match';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description)
VALUES (kyc_risk.open_assessment('TAP-R8'), 'PEP', 0, 'No PEP match');
SELECT results_eq($$SELECT f.type, f.score, f.system_owned FROM kyc_risk.risk_factors f
					WHERE f.risk_assessment_id = kyc_risk.open_assessment('TAP-R8') ORDER BY f.type$$,
				  $$VALUES ('Geography', 10.00::numeric, true), ('Industry', 15.00, true),
						   ('PEP', 0.00, false), ('Sanctions', 100.00, true)$$,
				  'screening and workflow factors are system-owned, risk_user''s own factor is not');
-- (100 * 0.3 + 10 * 0.2 + 15 * 0.15 + 0 * 0.2) / 0.85 = 40.29: Medium, raised to High.
SELECT results_eq($$SELECT risk_score, overall_risk_level::text, manual_review, overrides, status
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R8'$$,
				  $$VALUES (40.29::numeric, 'High', true, ARRAY['sanctions_high'], 'Completed')$$,
				  'the sanctions hit makes the case High, for manual review');
SET kyc_risk.change_reason = 'Reviewed: false positive';
SELECT throws_ok($$UPDATE kyc_risk.risk_factors SET level = 'Low'
				   WHERE type = 'Sanctions' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8')$$,
				 '42501', NULL, 'risk_user cannot restate the sanctions hit Low, even with a reason');
SELECT throws_ok($$DELETE FROM kyc_risk.risk_factors
				   WHERE type = 'Sanctions' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8')$$,
				 '42501', NULL, 'risk_user cannot delete the sanctions hit');
SELECT throws_ok($$UPDATE kyc_risk.risk_factors SET score = 0
				   WHERE type = 'Geography' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8')$$,
				 '42501', NULL, 'risk_user cannot lower a workflow factor');
SELECT throws_ok($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, source)
				   VALUES (kyc_risk.open_assessment('TAP-R8'), 'Sanctions', 0, 'screening:TAP-SANCTIONS')$$,
				 '42501', NULL, 'risk_user cannot claim a screening source');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, system_owned)
VALUES (kyc_risk.open_assessment('TAP-R9'), 'PEP', 0, true);
SELECT is((SELECT bool_or(system_owned) FROM kyc_risk.risk_factors
		   WHERE risk_assessment_id = kyc_risk.open_assessment('TAP-R9')), false,
		  'risk_user cannot make its own factor system-owned');
-- A person's update or delete needs a reason, which is logged and audited.
RESET kyc_risk.change_reason;
SELECT throws_ok($$UPDATE kyc_risk.risk_factors SET score = 10
				   WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8')$$,
				 '55000', NULL, 'risk_user''s update of its own factor needs a reason');
SELECT throws_ok($$DELETE FROM kyc_risk.risk_factors
				   WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8')$$,
				 '55000', NULL, '... and so does a delete');
SELECT throws_ok($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
				   VALUES (kyc_risk.open_assessment('TAP-R8'), 'AdverseMedia', 0)$$,
				 '55000', NULL, '... and so does an insert: every manual factor says why');
SET kyc_risk.change_reason = 'PEP re-checked: a former minister';
UPDATE kyc_risk.risk_factors SET score = 70, level = 'MediumHigh'
WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8');
SELECT results_eq($$SELECT c.operation, c.reason, c.db_user, c.actor FROM kyc_risk.factor_changes c
					JOIN kyc_risk.risk_factors f ON f.id = c.factor_id
					WHERE f.type = 'PEP' AND f.risk_assessment_id = kyc_risk.open_assessment('TAP-R8')
					ORDER BY c.id$$,
				  $$VALUES ('INSERT', 'PEP screening: no match', 'risk_user', 'risk_user'),
						   ('UPDATE', 'PEP re-checked: a former minister', 'risk_user', 'risk_user')$$,
				  'with a reason, the insert and the update are made and factor_changes records why, and who');
RESET kyc_risk.change_reason;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*)::int FROM kyc_events.outbox o
		   WHERE o.topic = 'audit.recorded' AND o.payload->>'table' = 'kyc_risk.factor_changes'
			 AND o.payload->'new_values'->>'reason' = 'PEP re-checked: a former minister'
			 AND o.payload->'new_values'->>'factor_id' = (
				 SELECT f.id::text FROM kyc_risk.risk_factors f
				 WHERE f.type = 'PEP' AND f.risk_assessment_id = kyc_risk.open_assessment('TAP-R8'))),
		  1, 'the reason is captured into the audit log with the factor''s id');
-- The owner, a person too, may correct a system-owned factor with a reason;
-- a stated Low does not stop the override, which reads the score's band.
SET kyc_risk.change_reason = 'pgTAP: administrator restates the level';
SELECT throws_ok($$UPDATE kyc_risk.risk_factors SET weight = 0.001
				   WHERE type = 'Sanctions' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8')$$,
				 '22023', NULL, 'not even the owner can give a factor a weight of its own');
UPDATE kyc_risk.risk_factors SET level = 'Low'
WHERE type = 'Sanctions' AND risk_assessment_id = kyc_risk.open_assessment('TAP-R8');
RESET kyc_risk.change_reason;
SELECT results_eq($$SELECT overall_risk_level::text, manual_review, overrides
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-R8'$$,
				  $$VALUES ('High', true, ARRAY['sanctions_high'])$$,
				  'a Sanctions factor scored 100 but stated Low still fires sanctions_high');

-- Review finding (dilution): risk_user lowered a High case to Low with
-- one manual factor of weight 999.999, or with many zero-score factors of
-- the case's type, without a reason or a factor_changes row.  Now weights
-- are the types', each type is scored by its highest factor, and a
-- person's insert needs a reason, which factor_changes records.
SET SESSION AUTHORIZATION risk_user;
SELECT isnt(kyc_risk.assess_geography('TAP-G', ARRAY['IR']), NULL, 'risk_user assesses an Iranian residence');
SELECT results_eq($$SELECT risk_score, overall_risk_level::text FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-G'$$,
				  $$VALUES (100.00::numeric, 'High')$$, 'the case is High, scored 100');
SELECT throws_ok($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
				   VALUES (kyc_risk.open_assessment('TAP-G'), 'Geography', 0, 'secondary residence', 'manual')$$,
				 '55000', NULL, 'a manual factor without a reason is refused');
SET kyc_risk.change_reason = 'pgTAP: secondary residence in Germany';
SELECT throws_ok($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, weight, description, source)
				   VALUES (kyc_risk.open_assessment('TAP-G'), 'Geography', 0, 999.999, 'secondary residence', 'manual')$$,
				 '22023', NULL, 'risk_user cannot weigh its factor 999.999');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
SELECT kyc_risk.open_assessment('TAP-G'), 'Geography', 0, 'secondary residence ' || i, 'manual'
FROM generate_series(1, 5) i;
SELECT results_eq($$SELECT risk_score, overall_risk_level::text FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-G'$$,
				  $$VALUES (100.00::numeric, 'High')$$,
				  'five zero-score Geography factors leave the case High at 100: the riskiest country counts');
SELECT results_eq($$SELECT count(*)::int, sum(contribution), count(*) FILTER (WHERE contribution > 0)::int
					FROM kyc_risk.explain('TAP-G')$$,
				  $$VALUES (6, 100.00::numeric, 1)$$,
				  'explain(): six factors, only the Iranian one contributes');
SELECT is((SELECT count(*)::int FROM kyc_risk.factor_changes c
		   WHERE c.risk_assessment_id = kyc_risk.open_assessment('TAP-G')
			 AND c.operation = 'INSERT' AND c.reason = 'pgTAP: secondary residence in Germany'
			 AND c.db_user = 'risk_user'),
		  5, 'each manual factor is recorded in factor_changes with its reason');
-- Sanctions: more zero-score Sanctions factors leave the type at 100.
SELECT is(kyc_risk.screen_case('TAP-S', 'Bartholomew Quixley'), 1, 'risk_user screens a sanctioned name');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description)
SELECT kyc_risk.open_assessment('TAP-S'), 'Sanctions', 0, 'manual clearance ' || i FROM generate_series(1, 5) i;
SELECT results_eq($$SELECT risk_score, overall_risk_level::text, status FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-S'$$,
				  $$VALUES (100.00::numeric, 'High', 'InProgress')$$,
				  'zero-score Sanctions factors leave the sanctions hit at 100');
RESET kyc_risk.change_reason;
RESET SESSION AUTHORIZATION;

-- FATF Recommendation 19: a call-for-action country calls for enhanced due
-- diligence.  Iran alone scores 100 x 0.20 / 0.85 = 23.53, MediumLow, once
-- the other types are in; geography_call_for_action raises it to
-- MediumHigh, for manual review.  As risk_user, who does the risk work.
SET SESSION AUTHORIZATION risk_user;
SELECT isnt(kyc_risk.assess_geography('TAP-FATF', ARRAY['IR']), NULL, 'risk_user assesses an Iranian residence');
SELECT isnt(kyc_risk.assess_industry('TAP-FATF', 'software'), NULL, '... a software business');
SET kyc_risk.change_reason = 'pgTAP: screenings with no match';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description)
VALUES (kyc_risk.open_assessment('TAP-FATF'), 'PEP', 0, 'No PEP match'),
	   (kyc_risk.open_assessment('TAP-FATF'), 'Sanctions', 0, 'No sanctions match');
RESET kyc_risk.change_reason;
-- (100 * 0.2 + 15 * 0.15 + 0 * 0.2 + 0 * 0.3) / 0.85 = 26.18
SELECT results_eq($$SELECT risk_score, overall_risk_level::text, manual_review, overrides
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-FATF'$$,
				  $$VALUES (26.18::numeric, 'MediumHigh', true, ARRAY['geography_call_for_action'])$$,
				  'a call-for-action country makes a 26.18 case MediumHigh, for manual review');
SELECT results_eq($$SELECT type, overrides FROM kyc_risk.explain('TAP-FATF') WHERE overrides IS NOT NULL$$,
				  $$VALUES ('Geography', 'geography_call_for_action')$$,
				  'explain() names geography_call_for_action on the Geography factor');
SELECT isnt(kyc_risk.assess_geography('TAP-FATF-GREY', ARRAY['NG']), NULL, 'risk_user assesses a Nigerian residence');
SELECT results_eq($$SELECT overall_risk_level::text, manual_review, overrides
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-FATF-GREY'$$,
				  $$VALUES ('MediumHigh', false, '{}'::text[])$$,
				  'a grey-list country (70, MediumHigh) fires no override');
RESET SESSION AUTHORIZATION;
-- An operator disables it like any other override: the same case scores
-- its plain MediumLow 26.18 again.
UPDATE kyc_risk.overrides SET enabled = false WHERE name = 'geography_call_for_action';
SET SESSION AUTHORIZATION risk_user;
SELECT isnt(kyc_risk.assess_geography('TAP-FATF-OFF', ARRAY['IR']), NULL, 'the same case, with the override off');
SELECT isnt(kyc_risk.assess_industry('TAP-FATF-OFF', 'software'), NULL, '... a software business');
SET kyc_risk.change_reason = 'pgTAP: screenings with no match';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description)
VALUES (kyc_risk.open_assessment('TAP-FATF-OFF'), 'PEP', 0, 'No PEP match'),
	   (kyc_risk.open_assessment('TAP-FATF-OFF'), 'Sanctions', 0, 'No sanctions match');
RESET kyc_risk.change_reason;
RESET SESSION AUTHORIZATION;
SELECT results_eq($$SELECT risk_score, overall_risk_level::text, manual_review, overrides
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-FATF-OFF'$$,
				  $$VALUES (26.18::numeric, 'MediumLow', false, '{}'::text[])$$,
				  'with geography_call_for_action disabled, the case is its plain MediumLow 26.18');
UPDATE kyc_risk.overrides SET enabled = true WHERE name = 'geography_call_for_action';
-- A High PEP factor: at least MediumHigh, for manual review.
SET SESSION AUTHORIZATION risk_user;
SET kyc_risk.change_reason = 'pgTAP: a serving head of state';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description)
VALUES (kyc_risk.open_assessment('TAP-PEP'), 'PEP', 90, 'Serving head of state'),
	   (kyc_risk.open_assessment('TAP-PEP'), 'Sanctions', 0, 'No sanctions match');
RESET kyc_risk.change_reason;
RESET SESSION AUTHORIZATION;
-- (90 * 0.2 + 0 * 0.3) / 0.5 = 36.00
SELECT results_eq($$SELECT risk_score, overall_risk_level::text, manual_review, overrides
					FROM kyc_risk.risk_assessments WHERE case_id = 'TAP-PEP'$$,
				  $$VALUES (36.00::numeric, 'MediumHigh', true, ARRAY['pep_high'])$$,
				  'a High PEP factor makes a 36.00 case MediumHigh, for manual review');

-- Finding 1: every kyc_risk function runs with search_path pinned, so an
-- operator a service role plants cannot run as a superuser calling them.
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
				  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass
					AND d.objid = p.oid AND d.deptype = 'e'
				  JOIN pg_catalog.pg_extension x ON x.oid = d.refobjid AND x.extname = 'kyc_risk'
				  WHERE NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)$$,
				'every kyc_risk function pins search_path = pg_catalog, pg_temp');
GRANT CREATE ON SCHEMA tap_evil TO risk_user;	-- a schema it can write, as a database owner could make
SET ROLE risk_user;
CREATE FUNCTION tap_evil.eq(bigint, bigint) RETURNS boolean LANGUAGE sql
AS $$ INSERT INTO tap_evil.seen VALUES (current_user); SELECT $1 OPERATOR(pg_catalog.=) $2 $$;
CREATE OPERATOR tap_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = tap_evil.eq);
RESET ROLE;
-- A superuser with the planted schema first on its path (as ALTER DATABASE
-- ... SET search_path would put it): the model (numeric * integer), the
-- factors (numeric * integer) and screening (bigint = bigint).
SET search_path = tap_evil, pg_catalog, public;
DO $$
BEGIN
	UPDATE kyc_risk.level_bands SET min_score = min_score;	-- a new command: the model is reread
	PERFORM kyc_risk.risk_level(50);
	PERFORM count(*) FROM kyc_risk.explain('TAP-R8');
	PERFORM set_config('kyc_risk.screen_cache', 'off', true);
	PERFORM count(*) FROM kyc_risk.screen('Bartholomew Quixley');
	PERFORM set_config('kyc_risk.screen_cache', 'on', true);
	PERFORM count(*) FROM kyc_risk.screen('Bartholomew Quixley');
END
$$;
RESET search_path;
SELECT is((SELECT count(*)::int FROM tap_evil.seen WHERE who <> 'risk_user'), 0,
		  'no operator from the session''s path runs inside kyc_risk''s functions');

-- Trigger functions: no one may attach them to a table of theirs, and
-- each refuses to fire on a table it was not written for.
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
				  WHERE p.pronamespace = 'kyc_risk'::regnamespace AND p.prorettype = 'pg_catalog.trigger'::regtype
					AND has_function_privilege('risk_user', p.oid, 'EXECUTE')$$,
				'risk_user may execute no kyc_risk trigger function');
SET ROLE risk_user;
CREATE TEMP TABLE tap_mine (id int);
SELECT throws_ok($$CREATE TRIGGER mine AFTER INSERT ON tap_mine FOR EACH STATEMENT
				   EXECUTE FUNCTION kyc_risk.factors_changed()$$,
				 '42501', NULL, 'risk_user cannot attach factors_changed() to its own table');
SELECT throws_ok($$CREATE TRIGGER mine BEFORE INSERT ON tap_mine FOR EACH ROW
				   EXECUTE FUNCTION kyc_risk.factor_level()$$,
				 '42501', NULL, 'risk_user cannot attach factor_level() to its own table');
RESET ROLE;
CREATE TEMP TABLE tap_other (LIKE kyc_risk.risk_factors INCLUDING DEFAULTS);
CREATE TRIGGER other_level BEFORE INSERT ON tap_other FOR EACH ROW EXECUTE FUNCTION kyc_risk.factor_level();
SELECT throws_ok($$INSERT INTO tap_other (id, risk_assessment_id, type, score) VALUES (gen_random_uuid(), gen_random_uuid(), 'PEP', 1)$$,
				 '39P01', NULL, 'factor_level() refuses to fire on another table');
DROP TRIGGER other_level ON tap_other;
CREATE TRIGGER other_changed AFTER INSERT ON tap_other REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.factors_changed();
SELECT throws_ok($$INSERT INTO tap_other (id, risk_assessment_id, type, score, case_id)
				   VALUES (gen_random_uuid(), gen_random_uuid(), 'PEP', 1, 'KYC-OTHER')$$,
				 '39P01', NULL, 'factors_changed() refuses to fire on another table');

SELECT * FROM finish();
ROLLBACK;
