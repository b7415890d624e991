-- kyc_risk scoring: the default model, a case scored step by step with
-- explain(), the completion event, and every error with its message.
\set SHOW_CONTEXT never
SELECT kyc_risk.install_defaults();

-- A case, factor by factor.
SELECT kyc_risk.assess_geography('REG-R1', ARRAY['fr', 'NG']) IS NOT NULL AS geography;
SELECT kyc_risk.assess_industry('REG-R1', 'real_estate') IS NOT NULL AS industry;
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
VALUES (kyc_risk.open_assessment('REG-R1'), 'PEP', 35, 'Former municipal councillor', 'screening'),
	   (kyc_risk.open_assessment('REG-R1'), 'Sanctions', 92, 'Close name match on a sanctions list', 'screening');
SELECT case_id, risk_score, overall_risk_level, status, manual_review, overrides
FROM kyc_risk.risk_assessments WHERE case_id = 'REG-R1';
SELECT type, level, score, weight, contribution, overrides
FROM kyc_risk.explain('REG-R1') ORDER BY type;
SELECT description FROM kyc_risk.risk_factors WHERE type = 'Geography';

-- A change that moves nothing leaves the assessment as it was.
SELECT updated_at AS before FROM kyc_risk.risk_assessments WHERE case_id = 'REG-R1' \gset
UPDATE kyc_risk.risk_factors SET description = 'Former municipal councillor, 2019-2022'
WHERE type = 'PEP' AND risk_assessment_id = kyc_risk.open_assessment('REG-R1');
SELECT updated_at = :'before' AS untouched, risk_score, overrides
FROM kyc_risk.risk_assessments WHERE case_id = 'REG-R1';
SELECT topic, aggregate_id, payload->>'level' AS level, payload->>'score' AS score,
	   payload->'overrides' AS overrides, payload->>'manual_review' AS manual_review
FROM kyc_events.outbox WHERE aggregate_id = 'REG-R1';

-- Errors.
SELECT kyc_risk.risk_level(NULL);
SELECT kyc_risk.risk_level(100.5);
SELECT kyc_risk.open_assessment('  ');
SELECT kyc_risk.assess_geography('REG-R2', ARRAY['Germany']);
SELECT kyc_risk.assess_geography('REG-R2', ARRAY['DE', NULL]);
SELECT kyc_risk.assess_geography('REG-R2', NULL);
SELECT kyc_risk.assess_industry('REG-R2', 'alchemy');
SELECT * FROM kyc_risk.explain(NULL);
SELECT * FROM kyc_risk.explain('REG-NONE');
-- Terse from here: the details name generated ids and times.
\set VERBOSITY terse
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
\set VERBOSITY default
SELECT kyc_risk.install_defaults();
DELETE FROM kyc_risk.risk_assessments WHERE case_id LIKE 'REG-%';
