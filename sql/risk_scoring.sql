-- kyc_risk scoring: the default model, a case scored step by step with
-- explain() (each type by its highest factor), the completion event, and
-- every error with its message.
\set SHOW_CONTEXT never
SELECT kyc_risk.install_defaults();

-- A case, factor by factor.
SELECT kyc_risk.assess_geography('REG-R1', ARRAY['fr', 'NG']) IS NOT NULL AS geography;
SELECT kyc_risk.assess_industry('REG-R1', 'real_estate') IS NOT NULL AS industry;
-- A person's factors need a reason, which factor_changes records.
\set VERBOSITY terse
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
VALUES (kyc_risk.open_assessment('REG-R1'), 'PEP', 35, 'Former municipal councillor', 'screening');
\set VERBOSITY default
SET kyc_risk.change_reason = 'Screening results entered by the analyst';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
VALUES (kyc_risk.open_assessment('REG-R1'), 'PEP', 35, 'Former municipal councillor', 'screening'),
	   (kyc_risk.open_assessment('REG-R1'), 'Sanctions', 92, 'Close name match on a sanctions list', 'screening'),
	   (kyc_risk.open_assessment('REG-R1'), 'PEP', 10, 'Local party treasurer', 'screening');
-- Weights are the types': a factor cannot bring its own.
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, weight)
VALUES (kyc_risk.open_assessment('REG-R1'), 'PEP', 0, 999.999);
RESET kyc_risk.change_reason;
SELECT case_id, risk_score, overall_risk_level, status, manual_review, overrides
FROM kyc_risk.risk_assessments WHERE case_id = 'REG-R1';
SELECT type, level, score, weight, contribution, overrides
FROM kyc_risk.explain('REG-R1') ORDER BY type, score DESC;
SELECT description FROM kyc_risk.risk_factors WHERE type = 'Geography';

-- A person's update needs a reason (kyc_risk.change_reason), which
-- factor_changes records.  A change that moves nothing leaves the
-- assessment as it was.
-- (Terse: the detail names the factor's generated id.)
SELECT updated_at AS before FROM kyc_risk.risk_assessments WHERE case_id = 'REG-R1' \gset
\set VERBOSITY terse
UPDATE kyc_risk.risk_factors SET description = 'Former municipal councillor, 2019-2022'
WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('REG-R1');
SET kyc_risk.change_reason = '   ';
UPDATE kyc_risk.risk_factors SET description = 'Former municipal councillor, 2019-2022'
WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('REG-R1');
\set VERBOSITY default
SET kyc_risk.change_reason = 'Term of office confirmed';
UPDATE kyc_risk.risk_factors SET description = 'Former municipal councillor, 2019-2022'
WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('REG-R1');
RESET kyc_risk.change_reason;
SELECT c.operation, c.reason, c.actor = session_user AS actor_recorded, f.type, f.score
FROM kyc_risk.factor_changes c JOIN kyc_risk.risk_factors f ON f.id = c.factor_id ORDER BY c.id;
SELECT updated_at = :'before' AS untouched, risk_score, overrides
FROM kyc_risk.risk_assessments WHERE case_id = 'REG-R1';
SELECT topic, aggregate_id, payload->>'level' AS level, payload->>'score' AS score,
	   payload->'overrides' AS overrides, payload->>'manual_review' AS manual_review
FROM kyc_events.outbox WHERE aggregate_id = 'REG-R1';

-- Errors.
SELECT kyc_risk.risk_level(NULL);
SELECT kyc_risk.risk_level(100.5);
SELECT kyc_risk.risk_level('NaN');
SELECT kyc_risk.open_assessment('  ');
SELECT kyc_risk.assess_geography('REG-R2', ARRAY['Germany']);
SELECT kyc_risk.assess_geography('REG-R2', ARRAY['DE', NULL]);
SELECT kyc_risk.assess_geography('REG-R2', NULL);
SELECT kyc_risk.assess_industry('REG-R2', 'alchemy');
SELECT * FROM kyc_risk.explain(NULL);
SELECT * FROM kyc_risk.explain('REG-NONE');
-- The system's factors (assess_*, screen_case) are system-owned; no one
-- else can write one, or claim a system writer's source.
SELECT type, system_owned FROM kyc_risk.risk_factors ORDER BY type, score;
SET kyc_risk.change_reason = 'Regression: manual factors and their errors';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, source, system_owned)
VALUES (kyc_risk.open_assessment('REG-R2'), 'Sanctions', 0, 'screening:OFAC-SDN', true);
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, source, system_owned)
VALUES (kyc_risk.open_assessment('REG-R2'), 'Industry', 0, 'manual review', true)
RETURNING system_owned;
DO $$
BEGIN
	PERFORM set_config('kyc_risk.change_reason', repeat('x', 1001), false);
EXCEPTION WHEN invalid_parameter_value THEN
	RAISE NOTICE 'a reason over 1000 bytes is refused (%)', SQLSTATE;
END
$$;
-- A stated level does not dodge an override: the score's band counts too.
SELECT kyc_risk.open_assessment('REG-R3') IS NOT NULL AS opened;
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, level)
VALUES (kyc_risk.open_assessment('REG-R3'), 'Sanctions', 95, 'Low'),
	   (kyc_risk.open_assessment('REG-R3'), 'Industry', 0, NULL);
SELECT risk_score, overall_risk_level, manual_review, overrides
FROM kyc_risk.risk_assessments WHERE case_id = 'REG-R3';
SELECT type, level, overrides FROM kyc_risk.explain('REG-R3') ORDER BY type;
-- Terse from here: the details name generated ids and times.
\set VERBOSITY terse
-- The triggers serve risk_factors only.
CREATE TEMP TABLE not_factors (id int);
CREATE TRIGGER misplaced AFTER INSERT ON not_factors
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.factors_changed();
INSERT INTO not_factors VALUES (1);
DROP TABLE not_factors;
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('REG-R2'), 'Gossip', 10);
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('REG-R2'), 'PEP', 101);
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, level)
VALUES (kyc_risk.open_assessment('REG-R2'), 'PEP', 10, 'Severe');
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type)
VALUES (kyc_risk.open_assessment('REG-R2'), 'PEP');
DELETE FROM kyc_risk.factor_types WHERE type = 'PEP';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
VALUES (kyc_risk.open_assessment('REG-R2'), 'PEP', 10);
RESET kyc_risk.change_reason;
DELETE FROM kyc_risk.risk_assessments WHERE case_id LIKE 'REG-%';
\set VERBOSITY default
SELECT kyc_risk.install_defaults();
SET kyc_risk.change_reason = 'Regression test cases removed';
DELETE FROM kyc_risk.risk_assessments WHERE case_id LIKE 'REG-%';
SELECT operation, count(*) FROM kyc_risk.factor_changes GROUP BY 1 ORDER BY 1;
RESET kyc_risk.change_reason;
DELETE FROM kyc_risk.factor_changes;
