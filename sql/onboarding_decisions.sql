-- kyc_onboarding decisions and the stale-result guard, without the other
-- services: the test stands in for them as the handlers would (results on
-- the case, risk_service's acknowledgement in risk_sync).  Each block is a
-- reproduction from a hostile review of the workflow.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE ROLE decisions_user;
GRANT USAGE ON SCHEMA kyc_onboarding, kyc_events TO decisions_user;
GRANT SELECT, INSERT ON kyc_onboarding.onboarding_cases TO decisions_user;
GRANT UPDATE (type, status, partner_reference_id, assigned_to, company_name, industry_code)
	ON kyc_onboarding.onboarding_cases TO decisions_user;
GRANT SELECT, INSERT, UPDATE ON kyc_onboarding.applicants TO decisions_user;
GRANT SELECT, INSERT (case_id, decision, reviewer, notes) ON kyc_onboarding.case_decisions TO decisions_user;
GRANT SELECT ON kyc_onboarding.case_contributors, kyc_onboarding.risk_sync TO decisions_user;
GRANT EXECUTE ON FUNCTION kyc_onboarding.create_case(text, text, text, jsonb, jsonb),
	kyc_onboarding.check_json_fields(jsonb, text, text[], text[], text), kyc_onboarding.check_person_json(jsonb, text),
	kyc_onboarding.check_person_values(jsonb, text), kyc_onboarding.check_length(text, integer, text),
	kyc_onboarding.transition(text, text, text, text), kyc_onboarding.approve(text, text, text),
	kyc_onboarding.acknowledge_attention(text, text, text) TO decisions_user;
RESET client_min_messages;

-- The services' results on case c, current with its data, as their handlers record them.
CREATE FUNCTION pg_temp.results(c text, level text DEFAULT 'Low') RETURNS void LANGUAGE sql AS $$
	UPDATE kyc_onboarding.risk_sync SET risk_seen_xid = data_xid, risk_seen_event_id = data_event_id WHERE case_id = c;
	UPDATE kyc_onboarding.onboarding_cases SET checklist_status = 'Completed', risk_event_id = 1,
		risk_level = level, risk_score = 10, requires_manual_review = false WHERE case_id = c;
$$;

-- 1. Naming someone else in transition() does not hide who submitted.
-- Fixed case ids, so the messages do not carry today's date.
INSERT INTO kyc_onboarding.onboarding_cases (case_id, type, company_name, industry_code)
VALUES ('KYC-D1', 'Individual', NULL, NULL), ('KYC-D2', 'Corporate', 'Acme Ltd', '64.19'),
	   ('KYC-D3', 'Individual', NULL, NULL), ('KYC-D4', 'Individual', NULL, NULL);
INSERT INTO kyc_onboarding.applicants (case_id, first_name, last_name, nationality)
VALUES ('KYC-D1', 'Ann', 'One', NULL), ('KYC-D3', 'Cy', 'Three', 'GB');
\set c1 KYC-D1
\set c2 KYC-D2
\set c3 KYC-D3
\set c4 KYC-D4
SET SESSION AUTHORIZATION decisions_user;
SET kyc.actor = 'officer-bob';
SELECT kyc_onboarding.transition(:'c1', 'InProgress', 'analyst-jane');
SELECT status FROM kyc_onboarding.transition(:'c1', 'InProgress', 'officer-bob');
RESET kyc.actor;
SELECT status FROM kyc_onboarding.transition(:'c1', 'PendingReview', 'analyst-jane');
SELECT actor, contribution FROM kyc_onboarding.case_contributors WHERE case_id = :'c1' ORDER BY 1, 2;
RESET SESSION AUTHORIZATION;
SELECT pg_temp.results(:'c1');
SET SESSION AUTHORIZATION decisions_user;
SELECT kyc_onboarding.approve(:'c1', 'officer-bob');
SELECT kyc_onboarding.approve(:'c1', 'decisions_user');
SELECT case_status FROM kyc_onboarding.approve(:'c1', 'officer-carol');
RESET SESSION AUTHORIZATION;

-- 2. Data changed in the UPDATE that changes the status reaches risk_service, and is waited for.
SELECT pg_temp.results(:'c2');
UPDATE kyc_onboarding.onboarding_cases SET status = 'InProgress', company_name = 'Casino Royale Ltd', industry_code = '92.00'
WHERE case_id = :'c2';
SELECT status FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c2';
SELECT topic, payload->'changed_columns' AS changed FROM kyc_events.outbox
WHERE aggregate_id = :'c2' AND topic IN ('case.updated', 'case.status_changed') ORDER BY id;
SELECT (risk_seen_xid, risk_seen_event_id) < (data_xid, data_event_id) AS risk_behind
FROM kyc_onboarding.risk_sync WHERE case_id = :'c2';

-- 3. An applicant changed earlier in the same transaction: neither the
-- workflow nor a reviewer goes on the old result.
SELECT pg_temp.results(:'c3');
BEGIN;
UPDATE kyc_onboarding.applicants SET nationality = 'IR' WHERE case_id = :'c3';
SELECT status FROM kyc_onboarding.transition(:'c3', 'InProgress');
SELECT status FROM kyc_onboarding.transition(:'c3', 'PendingReview', 'analyst-jane');
SET LOCAL kyc.actor = 'officer-bob';
SELECT kyc_onboarding.approve(:'c3', 'officer-bob');
ROLLBACK;

-- 4. approve() refuses REPEATABLE READ, where it could miss an approval.
SELECT status FROM kyc_onboarding.transition(:'c4', 'InProgress', 'analyst-jane');
SELECT status FROM kyc_onboarding.transition(:'c4', 'PendingReview', 'analyst-jane');
SELECT pg_temp.results(:'c4', 'High');
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT kyc_onboarding.approve(:'c4', 'officer-bob');
ROLLBACK;
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT approval_number, approvals_needed, case_status FROM kyc_onboarding.approve(:'c4', 'officer-bob');
COMMIT;

-- 5. Whoever worked on a case cannot acknowledge what asks its reviewer's attention.
UPDATE kyc_onboarding.onboarding_cases SET attention_reasons = '{"risk level rose from Low to High"}' WHERE case_id = :'c4';
SET SESSION AUTHORIZATION decisions_user;
SELECT kyc_onboarding.acknowledge_attention(:'c4', 'analyst-jane', 'fine');
SELECT decision, acknowledged_reasons FROM kyc_onboarding.acknowledge_attention(:'c4', 'officer-carol', 'seen');
RESET SESSION AUTHORIZATION;

DROP OWNED BY decisions_user;
DROP ROLE decisions_user;
