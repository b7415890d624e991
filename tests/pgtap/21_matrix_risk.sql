-- Role matrix, risk_service: every function of docs/kyc_risk.md and
-- docs/kyc_risk_screening.md as risk_user, with a screening that matches,
-- a geography factor that is written, an industry factor, a person's
-- factor with its reason, and a rescore; the owner's functions are refused
-- to risk_user, and the trigger functions cannot be attached by it.
\c risk_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(19 + 12 + 2 + 3);
CREATE TEMP TABLE t_matrix (id int);
GRANT ALL ON t_matrix TO PUBLIC;

SET ROLE risk_user;
SELECT kyc_risk.open_assessment('KYC-MATRIX-R1') AS a \gset
SELECT isnt(:'a'::uuid, NULL, 'open_assessment() as risk_user');
SELECT ok(kyc_risk.add_watchlist_entity('MATRIX-LIST', 'person', '{Zebulon Quartermaine, Zeb Quartermaine}',
										'1961-04-02', '{RU}', 'MATRIX') > 0, 'add_watchlist_entity() as risk_user');
SELECT is((SELECT count(*)::int FROM kyc_risk.screen('Quartermaine Zebulon', '1961-04-02', 'RU') WHERE list = 'MATRIX-LIST'),
		  1, 'screen() as risk_user finds the listed person');
SELECT is(kyc_risk.screen_case('KYC-MATRIX-R1', 'Zebulon Quartermaine', '1961-04-02', 'RU'), 1,
		  'screen_case() as risk_user records the match');
SELECT is((SELECT level FROM kyc_risk.risk_factors WHERE risk_assessment_id = :'a' AND type = 'Sanctions'), 'High',
		  'as a High Sanctions factor');
SELECT isnt(kyc_risk.assess_geography('KYC-MATRIX-R1', '{fr,NG}'), NULL, 'assess_geography() as risk_user');
SELECT is((SELECT score FROM kyc_risk.risk_factors WHERE risk_assessment_id = :'a' AND type = 'Geography'), 70.00::numeric,
		  'writes a Geography factor scored as Nigeria');
SELECT isnt(kyc_risk.assess_industry('KYC-MATRIX-R1', 'real_estate'), NULL, 'assess_industry() as risk_user');
SET LOCAL kyc_risk.change_reason = 'matrix: PEP check';
SELECT lives_ok(format($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
						 VALUES (%L, 'PEP', 50, 'former local official', 'analyst-jane')$$, :'a'),
				'risk_user inserts a factor, with a reason');
SELECT lives_ok(format($$UPDATE kyc_risk.risk_factors SET score = 30 WHERE risk_assessment_id = %L AND type = 'PEP'$$, :'a'),
				'and updates it');
SELECT is((SELECT count(*)::int FROM kyc_risk.explain('KYC-MATRIX-R1')), 4, 'explain() as risk_user: four factors');
SELECT is((SELECT level FROM kyc_risk.assessment_result(:'a')), 'High', 'assessment_result() as risk_user: the sanctions override');
SELECT is((SELECT status FROM kyc_risk.risk_assessments WHERE id = :'a'), 'Completed',
		  'the four required types complete the assessment');
SELECT is(kyc_risk.risk_level(61), 'MediumHigh', 'risk_level() as risk_user');
SELECT is(kyc_risk.normalize_name('Zebulon  QUARTERMAINE'), 'zebulon quartermaine', 'normalize_name() as risk_user');
SELECT is(round(kyc_risk.name_similarity('Zebulon Quartermaine', 'Quartermaine Zebulon')::numeric, 4), 0.9700, 'name_similarity() as risk_user: a rotated name scores SCREEN_ROTATION_FACTOR');
SELECT is(kyc_risk.phonetic_key('Zebulon Quartermaine'), 'spln krtrmn splnkrtrmn ~spln ~krtrmn ~splnkrtrmn <spln <ktmn <splnktmn',
		  'phonetic_key() as risk_user: each token''s key, then the two joined, then the skeleton keys');
SELECT is(kyc_risk.phonetic_similarity('spln krtrmn', 'krtrmn'), 0.5::real, 'phonetic_similarity() as risk_user');
SELECT ok(kyc_risk.remove_watchlist_entity((SELECT id FROM kyc_risk.watchlist_entities WHERE list = 'MATRIX-LIST'),
										   'matrix: delisted') > 0, 'remove_watchlist_entity() as risk_user');
SELECT is((SELECT count(*)::int FROM kyc_risk.screen('Zebulon Quartermaine') WHERE list = 'MATRIX-LIST'), 0,
		  'and the entity no longer matches');
SELECT isnt(kyc_risk.open_assessment('KYC-MATRIX-R2'), NULL, 'a second, open assessment');

-- The owner's functions, and the trigger functions, are refused.
SELECT throws_ok($$SELECT kyc_risk.rescore_open_assessments()$$, '42501', NULL, 'rescore_open_assessments() is refused to risk_user');
SELECT throws_ok($$SELECT kyc_risk.install_defaults()$$, '42501', NULL, 'install_defaults() too');
SELECT throws_ok($$SELECT kyc_risk.on_onboarding_event(ROW('onboarding', 1, '1', 'case.created', 'KYC-MATRIX-R3',
					 '{"case_id": "KYC-MATRIX-R3", "type": "Individual"}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'on_onboarding_event() is the relay''s: refused to risk_user');
SELECT throws_ok($$SELECT kyc_risk.apply_onboarding_event(ROW('onboarding', 1, '1', 'case.created', 'KYC-MATRIX-R3',
					 '{"case_id": "KYC-MATRIX-R3", "type": "Individual"}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'apply_onboarding_event() too');
SELECT throws_ok($$CREATE TRIGGER t BEFORE INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_risk.factor_level()$$,
				 '42501', NULL, 'factor_level() cannot be attached by risk_user');
SELECT throws_ok($$CREATE TRIGGER t AFTER INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_risk.factors_changed()$$,
				 '42501', NULL, 'nor factors_changed()');
SELECT throws_ok($$CREATE TRIGGER t AFTER INSERT ON t_matrix FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.cached_table_changed()$$,
				 '42501', NULL, 'nor cached_table_changed()');
SELECT throws_ok($$CREATE TRIGGER t BEFORE INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_risk.watchlist_name_normalize()$$,
				 '42501', NULL, 'nor watchlist_name_normalize()');
SELECT throws_ok($$CREATE TRIGGER t AFTER INSERT ON t_matrix FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.company_forms_rekey()$$,
				 '42501', NULL, 'nor company_forms_rekey()');
SELECT throws_ok($$SELECT kyc_risk.refresh_token_weights()$$, '42501', NULL, 'refresh_token_weights() is the owner''s');
SELECT throws_ok($$UPDATE kyc_risk.risk_assessments SET risk_score = 0$$, '42501', NULL, 'risk_user cannot set a score');
SELECT throws_ok($$DELETE FROM kyc_risk.watchlist_entities$$, '42501', NULL, 'nor delete a listed entity');
RESET ROLE;

-- The owner's rescore, and its defaults.
SELECT lives_ok($$SELECT kyc_risk.rescore_open_assessments()$$, 'rescore_open_assessments() as the owner');
SELECT lives_ok($$SELECT kyc_risk.install_defaults()$$, 'install_defaults() as a superuser');
SELECT lives_ok($$SELECT kyc_risk.refresh_token_weights()$$, 'refresh_token_weights() as the owner');

SELECT * FROM finish();
ROLLBACK;
