-- kyc_onboarding: the case state machine, its stamps and its events.
\set SHOW_CONTEXT never

-- A case's partner must exist; partners are the database owner's to add.
SELECT kyc_onboarding.create_case('Individual', 'partner-1', 'ref-1');
INSERT INTO kyc_onboarding.partners (partner_id, name) VALUES ('partner-1', 'Partner One Ltd');
SELECT kyc_onboarding.create_case('Individual', 'partner-1', 'ref-1') AS c1 \gset
SELECT :'c1' ~ '^KYC-[0-9]{8}-[0-9]{10}$' AS readable_id,
	   substr(:'c1', 5, 8) = to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD') AS dated;
SELECT kyc_onboarding.create_case('Corporate', 'partner-1', 'ref-2') AS c2 \gset
SELECT :'c1' < :'c2' AS ids_sort_in_creation_order;

SELECT type, status, partner_id, partner_reference_id,
	   created_at = updated_at AS fresh, submitted_at, approved_at, rejected_at
FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c1';

-- Imports may bring their own case ids; the tests below use fixed ones.
INSERT INTO kyc_onboarding.onboarding_cases (case_id, type) VALUES ('KYC-T1', 'Individual'), ('KYC-T2', 'Corporate');
\set c1 KYC-T1
\set c2 KYC-T2

-- The happy path, with a stamp for each milestone.
SELECT status, submitted_at IS NULL AS not_submitted, status_changed_by
FROM kyc_onboarding.transition(:'c1', 'InProgress', 'alice');
SELECT status, submitted_at IS NOT NULL AS submitted, status_changed_by
FROM kyc_onboarding.transition(:'c1', 'PendingReview', 'alice');
-- A decision is a reviewer's, through approve() and reject(), not transition().
SELECT kyc_onboarding.transition(:'c1', 'Approved', 'reviewer-bob', 'all checks passed');
-- The services' results, as the workflow's handlers record them, and
-- risk_service's word that they reflect the case's latest data.
UPDATE kyc_onboarding.risk_sync SET risk_seen_xid = data_xid, risk_seen_event_id = data_event_id WHERE case_id = :'c1';
UPDATE kyc_onboarding.onboarding_cases SET checklist_status = 'Completed', risk_event_id = 1,
	risk_level = 'Low', risk_score = 12.5, requires_manual_review = false WHERE case_id = :'c1';
SELECT decision, approval_number, approvals_needed, case_status
FROM kyc_onboarding.approve(:'c1', 'reviewer-bob', 'all checks passed');
SELECT status, approved_at IS NOT NULL AS approved, rejected_at IS NULL AS not_rejected,
	   status_changed_by, status_reason
FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c1';

-- Every disallowed move fails with 23514 and a hint naming the allowed states.
SELECT kyc_onboarding.transition(:'c2', 'PendingReview');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT kyc_onboarding.transition(:'c2', 'Approved');
SELECT kyc_onboarding.transition(:'c2', 'Rejected', 'bob', 'too early');
SELECT kyc_onboarding.transition(:'c2', 'Draft');
SELECT status FROM kyc_onboarding.transition(:'c2', 'InProgress');
SELECT kyc_onboarding.transition(:'c2', 'Draft');
SELECT kyc_onboarding.transition(:'c2', 'Approved');
SELECT kyc_onboarding.transition(:'c1', 'InProgress');
SELECT kyc_onboarding.transition(:'c1', 'Rejected', 'bob', 'changed my mind');

-- Rejection needs a reason; blank reasons do not count.
SELECT status FROM kyc_onboarding.transition(:'c2', 'PendingReview');
SELECT kyc_onboarding.transition(:'c2', 'Rejected', 'bob', 'sanctions match');
UPDATE kyc_onboarding.onboarding_cases SET status = 'Rejected' WHERE case_id = :'c2';
SELECT kyc_onboarding.reject(:'c2', 'bob', NULL);
SELECT kyc_onboarding.reject(:'c2', 'bob', '   ');
SELECT decision, case_status FROM kyc_onboarding.reject(:'c2', 'bob', 'sanctions match');
SELECT status, status_reason, rejected_at IS NOT NULL AS rejected, approved_at IS NULL AS not_approved
FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c2';

-- Bad arguments.
SELECT kyc_onboarding.transition(NULL, 'Approved');
SELECT kyc_onboarding.transition(:'c2', NULL);
SELECT kyc_onboarding.transition(:'c2', 'Closed');
SELECT kyc_onboarding.transition('KYC-00000000-0000000000', 'InProgress');
\set VERBOSITY terse
SELECT kyc_onboarding.create_case('Sole trader');
\set VERBOSITY default
SELECT kyc_onboarding.create_case('Individual', 'partner-1', 'ref-1');

-- A plain UPDATE is held to the same machine, and stamps cannot be forged.
INSERT INTO kyc_onboarding.onboarding_cases (case_id, type) VALUES ('KYC-T3', 'Trust');
\set c3 KYC-T3
INSERT INTO kyc_onboarding.onboarding_cases (type, status) VALUES ('Trust', 'Approved');
UPDATE kyc_onboarding.onboarding_cases SET status = 'PendingReview' WHERE case_id = :'c3';
UPDATE kyc_onboarding.onboarding_cases
   SET status = 'InProgress', approved_at = '2000-01-01', created_at = '2000-01-01'
 WHERE case_id = :'c3';
UPDATE kyc_onboarding.onboarding_cases
   SET status = 'InProgress', approved_at = '2000-01-01'
 WHERE case_id = :'c3'
RETURNING status, approved_at, status_changed_by = session_user AS by_session_user;
UPDATE kyc_onboarding.onboarding_cases SET case_id = 'KYC-forged' WHERE case_id = :'c3';

-- Malformed statuses in a plain UPDATE are refused, never misread.
UPDATE kyc_onboarding.onboarding_cases SET status = NULL WHERE case_id = :'c3';
UPDATE kyc_onboarding.onboarding_cases SET status = '' WHERE case_id = :'c3';
UPDATE kyc_onboarding.onboarding_cases SET status = 'PendingReview, Approved' WHERE case_id = :'c3';
UPDATE kyc_onboarding.onboarding_cases SET status = 'Closed' WHERE case_id = :'c3';
UPDATE kyc_onboarding.onboarding_cases SET status = 'Approved, Rejected' WHERE case_id = :'c2';
UPDATE kyc_onboarding.onboarding_cases SET status = '' WHERE case_id = :'c2';
INSERT INTO kyc_onboarding.onboarding_cases (type, status) VALUES ('Trust', NULL);

-- Actors are bounded, whichever way they arrive.
SELECT kyc_onboarding.transition(:'c3', 'PendingReview', repeat('x', 201));
SET kyc.actor = 'analyst-7';
SELECT length(current_setting('kyc.actor')) AS actor_set;
DO $$ BEGIN EXECUTE format('SET kyc.actor = %L', repeat('x', 201)); END $$;
RESET kyc.actor;

-- Under PostgREST the JWT subject is the actor, in the row as in the event headers.
BEGIN;
SET LOCAL request.jwt.claims = '{"sub": "portal-user-9", "role": "web_anon"}';
UPDATE kyc_onboarding.onboarding_cases SET status = 'PendingReview' WHERE case_id = :'c3'
RETURNING status, status_changed_by;
SELECT headers->>'actor' AS header_actor FROM kyc_events.outbox WHERE aggregate_id = :'c3' ORDER BY id DESC LIMIT 1;
ROLLBACK;

-- Assignment is stamped too.
UPDATE kyc_onboarding.onboarding_cases SET assigned_to = 'analyst-1' WHERE case_id = :'c3'
RETURNING assigned_to, assigned_at = now() AS assigned_now;
UPDATE kyc_onboarding.onboarding_cases SET assigned_to = NULL WHERE case_id = :'c3'
RETURNING assigned_to, assigned_at;

-- Events: one per change, whole row in the payload, case id as aggregate.
SELECT topic, payload->>'status' AS status, payload->>'from_status' AS from_status,
	   payload->>'status_changed_by' AS changed_by, payload->'changed_columns' AS changed
FROM kyc_events.outbox WHERE aggregate_id = :'c3' ORDER BY id;
SELECT count(*) AS events_for_c1, count(DISTINCT xid) AS transactions
FROM kyc_events.outbox WHERE aggregate_id = :'c1';
SELECT payload ?& ARRAY['id', 'case_id', 'type', 'status', 'partner_id', 'partner_reference_id',
						'created_at', 'updated_at', 'submitted_at', 'approved_at', 'rejected_at',
						'risk_level', 'risk_score', 'assigned_to', 'assigned_at', 'company_name',
						'industry_code', 'checklist_status', 'requires_manual_review',
						'attention_reasons', 'partner_name'] AS whole_row
FROM kyc_events.outbox WHERE aggregate_id = :'c1' AND topic = 'case.status_changed' LIMIT 1;
-- The partner's name travels on every case event.
SELECT topic, payload->>'partner_id' AS partner_id, payload->>'partner_name' AS partner_name
FROM kyc_events.outbox o JOIN kyc_onboarding.onboarding_cases c ON c.case_id = o.aggregate_id
WHERE c.partner_reference_id IN ('ref-1', 'ref-2') AND topic LIKE 'case.%' ORDER BY o.id;
-- An update that changes nothing announces nothing.
UPDATE kyc_onboarding.onboarding_cases SET partner_id = partner_id WHERE case_id = :'c3';
SELECT count(*) AS events_for_c3 FROM kyc_events.outbox WHERE aggregate_id = :'c3';

-- The risk columns the risk service sets are constrained.
\set VERBOSITY terse
UPDATE kyc_onboarding.onboarding_cases SET risk_level = 'Severe' WHERE case_id = :'c3';
UPDATE kyc_onboarding.onboarding_cases SET risk_score = 101 WHERE case_id = :'c3';
\set VERBOSITY default
UPDATE kyc_onboarding.onboarding_cases SET risk_level = 'MediumHigh', risk_score = 72.5
 WHERE case_id = :'c3' RETURNING risk_level, risk_score;
