-- Role matrix, projections_api: every function docs/kyc_projections.md
-- documents, as projections_user, on projections a superuser writes first
-- (the relay writes the table; here it is written directly): a case past
-- the review SLA and in the manual-review queue, one pending within the
-- SLA, one in the queue in progress, decided cases in and out of the
-- 30-day window.  apply_event() is the relay's: refused to projections_user.
\c projections_api
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(35);

-- The superuser writes the projections, as the relay's handler would.
INSERT INTO kyc_projections.onboarding_case_projections
	(case_id, status, partner_id, partner_reference_id, applicant_first_name, applicant_last_name,
	 applicant_email, risk_level, requires_manual_review, created_at, submitted_at, approved_at, rejected_at)
VALUES
	('KYC-MATRIX-P1', 'PendingReview', 'pt-matrix', 'REF-MATRIX-1', 'Grace', 'Hopper', 'grace.hopper@matrix.test',
	 'High', true, now() - interval '6 days', now() - interval '5 days', NULL, NULL),
	('KYC-MATRIX-P2', 'PendingReview', 'pt-matrix', 'REF-MATRIX-2', 'Alan', 'Kay', 'alan.kay@matrix.test',
	 'Low', false, now() - interval '2 hours', now() - interval '1 hour', NULL, NULL),
	('KYC-MATRIX-P3', 'InProgress', 'pt-matrix', 'REF-MATRIX-3', 'Alan', 'Turing', 'alan.turing@matrix.test',
	 'Medium', true, now() - interval '1 day', NULL, NULL, NULL),
	('KYC-MATRIX-P4', 'Approved', 'pt-matrix', 'REF-MATRIX-4', 'Ada', 'Byron', 'ada.byron@matrix.test',
	 'Low', true, now() - interval '4 days', now() - interval '3 days', now() - interval '2 days', NULL),
	('KYC-MATRIX-P5', 'Rejected', 'pt-matrix', 'REF-MATRIX-5', 'Edsger', 'Dijkstra', 'edsger@matrix.test',
	 'Medium', false, now() - interval '11 days', now() - interval '10 days', NULL, now() - interval '7 days'),
	('KYC-MATRIX-P6', 'Approved', 'pt-matrix', 'REF-MATRIX-6', 'Barbara', 'Liskov', 'barbara.liskov@matrix.test',
	 NULL, false, now() - interval '42 days', now() - interval '41 days', now() - interval '40 days', NULL);

SET ROLE projections_user;

-- apply_event() is the relay's.
SELECT throws_ok($$SELECT kyc_projections.apply_event(ROW('onboarding', 1, '1', 'case.created', 'KYC-MATRIX-P9',
					 '{"case_id": "KYC-MATRIX-P9", "status": "Draft"}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'apply_event() is the relay''s: refused to projections_user');
SELECT throws_ok($$INSERT INTO kyc_projections.onboarding_case_projections (case_id) VALUES ('KYC-MATRIX-P9')$$,
				 '42501', NULL, 'projections_user cannot write the table');
SELECT throws_ok($$DELETE FROM kyc_projections.case_counts$$, '42501', NULL, 'nor the counts');

-- changes_since(): the rows just written, in change_seq order.
SELECT is((SELECT array_agg(case_id ORDER BY change_seq) FROM kyc_projections.changes_since(0)
		   WHERE case_id LIKE 'KYC-MATRIX-P%'),
		  '{KYC-MATRIX-P1,KYC-MATRIX-P2,KYC-MATRIX-P3,KYC-MATRIX-P4,KYC-MATRIX-P5,KYC-MATRIX-P6}',
		  'changes_since() as projections_user');

-- dashboard() of the partner.
CREATE TEMP TABLE d AS SELECT kyc_projections.dashboard('pt-matrix') AS d;
SELECT is((SELECT d -> 'cases' FROM d), '6', 'dashboard(): the partner''s six cases');
SELECT is((SELECT d -> 'by_status' FROM d),
		  '{"Approved": 2, "Rejected": 1, "InProgress": 1, "PendingReview": 2}', 'by status');
SELECT is((SELECT d -> 'by_risk_level' FROM d),
		  '{"Low": 2, "High": 1, "Medium": 2, "Unassessed": 1}', 'by risk level, an unassessed case included');
SELECT is((SELECT d -> 'manual_review' -> 'total' FROM d), '2',
		  'the review queue: manual review and not decided (P1, P3; not the approved P4)');
SELECT is((SELECT jsonb_path_query_array(d, '$.manual_review.oldest[*].case_id') FROM d),
		  '["KYC-MATRIX-P1", "KYC-MATRIX-P3"]', 'oldest first');
SELECT is((SELECT d -> 'decision_time' -> 'decided' FROM d), '2',
		  'two decisions in the last 30 days (not P6, 40 days ago)');
SELECT is((SELECT (d -> 'decision_time' ->> 'median_seconds')::numeric FROM d), 172800::numeric,
		  'median submission to decision: 2 days (1 day and 3 days)');
SELECT is((SELECT (d -> 'decision_time' ->> 'p90_seconds')::numeric FROM d), 241920::numeric,
		  'p90: 2.8 days');
SELECT is((SELECT d -> 'decision_time' ->> 'median' FROM d), '2 days', 'median as an interval');
SELECT is((SELECT d -> 'oldest_pending' ->> 'case_id' FROM d), 'KYC-MATRIX-P1', 'the oldest pending case');
SELECT is((SELECT d -> 'past_sla' -> 'count' FROM d), '1', 'one case past the default SLA of 2 days');
SELECT is((SELECT d -> 'past_sla' ->> 'sla' FROM d), '2 days', 'which the dashboard names');
SELECT is((SELECT jsonb_path_query_array(d, '$.past_sla.oldest[*].case_id') FROM d), '["KYC-MATRIX-P1"]',
		  'and lists');
SET kyc_projections.review_sla = '30 minutes';
SELECT is(kyc_projections.dashboard('pt-matrix') -> 'past_sla' -> 'count', '2',
		  'review_sla of 30 minutes: both pending cases are past it');
RESET kyc_projections.review_sla;
SELECT ok((kyc_projections.dashboard() -> 'cases')::int >= 6, 'dashboard() of every partner counts them too');
SELECT is(kyc_projections.dashboard('pt-nobody') -> 'cases', '0', 'an unknown partner has no cases');
SELECT throws_ok($$SELECT kyc_projections.dashboard('  ')$$, '22023', NULL, 'a blank partner_id is refused');
SELECT throws_ok($$SET kyc_projections.review_sla = 'two days'$$, '22023', NULL, 'a review_sla that is no interval is refused');
SELECT throws_ok($$SET kyc_projections.review_sla = '-1 day'$$, '22023', NULL, 'and one not longer than zero');

-- The counts follow the projections: the relay approves P2.
RESET ROLE;
UPDATE kyc_projections.onboarding_case_projections
SET status = 'Approved', approved_at = now() WHERE case_id = 'KYC-MATRIX-P2';
SET ROLE projections_user;
SELECT is(kyc_projections.dashboard('pt-matrix') -> 'by_status',
		  '{"Approved": 3, "Rejected": 1, "InProgress": 1, "PendingReview": 1}', 'case_counts follows a status change');

-- search(): hits and misses.
SELECT is((SELECT case_id FROM kyc_projections.search('grace hopper') LIMIT 1), 'KYC-MATRIX-P1',
		  'search() as projections_user, by "first last"');
SELECT is((SELECT case_id FROM kyc_projections.search('GRACE.HOPPER@matrix.test') LIMIT 1), 'KYC-MATRIX-P1',
		  'by e-mail, case-insensitively');
SELECT is((SELECT array_agg(case_id ORDER BY case_id) FROM kyc_projections.search('Alan') WHERE case_id LIKE 'KYC-MATRIX-P%'),
		  '{KYC-MATRIX-P2,KYC-MATRIX-P3}', 'by first name: both Alans');
SELECT is((SELECT case_id FROM kyc_projections.search('kyc-matrix-p5') LIMIT 1), 'KYC-MATRIX-P5',
		  'by case id, the exact match first');
SELECT is((SELECT case_id FROM kyc_projections.search('REF-MATRIX-4') LIMIT 1), 'KYC-MATRIX-P4', 'by partner reference');
SELECT ok('KYC-MATRIX-P6' IN (SELECT case_id FROM kyc_projections.search('Barbra Liskov')),
		  'by similarity: a misspelt name finds the case');
SELECT is((SELECT count(*) FROM kyc_projections.search('Zbigniew Qxqx')), 0::bigint, 'a name no case has: no rows');
SELECT is((SELECT count(*) FROM kyc_projections.search('%_%') WHERE case_id LIKE 'KYC-MATRIX-P%'), 0::bigint,
		  '% and _ are taken literally');
SELECT throws_ok($$SELECT * FROM kyc_projections.search(NULL)$$, '22004', NULL, 'a NULL query is refused');
SELECT throws_ok($$SELECT * FROM kyc_projections.search('   ')$$, '22023', NULL, 'a blank one');
SELECT throws_ok($$SELECT * FROM kyc_projections.search(repeat('a', 201))$$, '22001', NULL, 'an over-long one');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
