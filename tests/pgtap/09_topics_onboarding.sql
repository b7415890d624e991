-- Issue 10 reproductions in onboarding, as onboarding_user: a service
-- cannot emit a topic another extension owns (finding 4), attach audit
-- capture to a table of its own, or make its emitting triggers fail or
-- record a 2 MB actor through request.jwt.claims (finding 8).
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(6 + 2 + 7);
SET ROLE onboarding_user;

-- The review's forgery: an AML audit entry naming another service's table,
-- with a claimed actor.  emit() refuses every owned topic, with the owner.
SET LOCAL kyc.actor = 'compliance.officer@bank';
SELECT throws_ok($$SELECT kyc_events.emit('audit.recorded', 'kyc_risk.risk_assessments',
					'{"table": "kyc_risk.risk_assessments", "operation": "UPDATE", "case_id": "KYC-X",
					  "new_values": {"overall_risk_level": "Low"}}')$$,
				 '42501', 'event topic "audit.recorded" cannot be emitted through kyc_events.emit()',
				 'onboarding_user cannot emit audit.recorded');
SELECT throws_ok($$SELECT kyc_events.emit('case.status_changed', 'KYC-X', '{"status": "Approved"}')$$,
				 '42501', NULL, 'nor its own extension''s case.status_changed: only the triggers emit it');
SELECT throws_ok($$SELECT kyc_events.emit('risk.assessment_completed', 'KYC-X', '{"level": "Low"}')$$,
				 '42501', NULL, 'nor risk.assessment_completed');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id IN ('kyc_risk.risk_assessments', 'KYC-X')),
		  0, 'nothing forged reached the outbox');
SELECT lives_ok($$SELECT kyc_events.emit('test.recorded', 'KYC-X', '{}')$$, 'a topic no extension owns is emitted');
RESET kyc.actor;
SELECT is((SELECT headers->>'session_user' FROM kyc_events.outbox WHERE topic = 'test.recorded' AND aggregate_id = 'KYC-X'),
		  session_user::text, 'and records who emitted it');

-- Capture is kyc_events' to install: the trigger functions are not PUBLIC.
CREATE TEMP TABLE fake_risk (id int, case_id text);
SELECT throws_ok($$CREATE TRIGGER kyc_capture AFTER INSERT ON fake_risk
				   FOR EACH ROW EXECUTE FUNCTION kyc_events.capture_row()$$,
				 '42501', NULL, 'onboarding_user cannot attach capture_row() to its own table');
SELECT throws_ok($$CREATE TRIGGER kyc_capture_truncate AFTER TRUNCATE ON fake_risk
				   FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.capture_truncate()$$,
				 '42501', NULL, 'nor capture_truncate()');

-- request.jwt.claims nested 100000 deep: the case's triggers still emit,
-- and the claims count as absent.
DO $$ BEGIN PERFORM set_config('request.jwt.claims', repeat('[', 100000) || repeat(']', 100000), true); END $$;
SELECT lives_ok($$SELECT kyc_onboarding.create_case('Individual') AS deep_case$$,
				'a case is created and announced under deeply nested claims');
SELECT is((SELECT headers->>'actor' FROM kyc_events.outbox WHERE topic = 'case.created' ORDER BY id DESC LIMIT 1),
		  session_user::text, 'the actor falls back to session_user');

-- A 2 MB JWT subject is not an actor: the limit is kyc.actor's 200 bytes.
DO $$ BEGIN PERFORM set_config('request.jwt.claims', json_build_object('sub', repeat('s', 2000000))::text, true); END $$;
SELECT lives_ok($$SELECT kyc_onboarding.create_case('Corporate')$$, 'a case is created with a 2 MB JWT subject');
SELECT is((SELECT headers->>'actor' FROM kyc_events.outbox WHERE topic = 'case.created' ORDER BY id DESC LIMIT 1),
		  session_user::text, 'the over-long subject is ignored: the actor is session_user');
SELECT ok((SELECT NOT headers ? 'jwt_sub' FROM kyc_events.outbox WHERE topic = 'case.created' ORDER BY id DESC LIMIT 1),
		  'and no jwt_sub header is recorded');
DO $$ BEGIN PERFORM set_config('request.jwt.claims', json_build_object('sub', repeat('s', 200))::text, true); END $$;
SELECT lives_ok($$SELECT kyc_onboarding.create_case('Trust')$$, 'a case is created with a 200-byte JWT subject');
SELECT is((SELECT headers->>'actor' FROM kyc_events.outbox WHERE topic = 'case.created' ORDER BY id DESC LIMIT 1),
		  repeat('s', 200), 'which is the actor');

RESET ROLE;
SELECT * FROM finish();
ROLLBACK;
