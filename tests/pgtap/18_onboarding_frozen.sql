-- Issue 10 follow-up, as onboarding_user: after a case was approved, the review rewrote its applicant (UPDATE 1), moved every
-- address to another case's applicant (UPDATE 1), and set the case's risk
-- and partner (UPDATE 1).  A submitted or decided case's data is frozen,
-- an address stays with its applicant, and risk and partner are not the
-- service's to write.
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(24);

SET SESSION AUTHORIZATION onboarding_user;

-- c1 goes all the way to Approved; c2 stays editable, c3 is under review.
SELECT kyc_onboarding.create_case('Individual', NULL, 'frozen-1',
	'{"first_name": "Ada", "last_name": "Lovelace", "nationality": "GB",
	  "addresses": [{"type": "Residential", "street": "12 St James Sq", "city": "London",
					 "country": "GB", "is_primary": true}]}') AS c1 \gset
SELECT kyc_onboarding.create_case('Individual', NULL, 'frozen-2',
	'{"first_name": "Eve", "last_name": "Mallory", "nationality": "GB"}') AS c2 \gset
SELECT kyc_onboarding.create_case('Individual', NULL, 'frozen-3',
	'{"first_name": "Bob", "last_name": "Builder", "nationality": "GB",
	  "addresses": [{"type": "Residential", "street": "1 Low St", "city": "Leeds", "country": "GB"}]}') AS c3 \gset
SELECT c.id AS c1_uuid, a.id AS a1 FROM kyc_onboarding.onboarding_cases c
JOIN kyc_onboarding.applicants a ON a.case_uuid = c.id WHERE c.case_id = :'c1' \gset
SELECT c.id AS c2_uuid, a.id AS a2 FROM kyc_onboarding.onboarding_cases c
JOIN kyc_onboarding.applicants a ON a.case_uuid = c.id WHERE c.case_id = :'c2' \gset
SELECT c.id AS c3_uuid, a.id AS a3 FROM kyc_onboarding.onboarding_cases c
JOIN kyc_onboarding.applicants a ON a.case_uuid = c.id WHERE c.case_id = :'c3' \gset
SELECT kyc_onboarding.transition(:'c1', s, 'tester', 'ok') IS NOT NULL
FROM unnest(ARRAY['InProgress', 'PendingReview']) s;
-- The services' results, as the workflow's handlers record them; then a
-- reviewer approves.
RESET SESSION AUTHORIZATION;
-- Announce the applicants now, as commit would: risk_service's stand-in then
-- acknowledges them.
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
UPDATE kyc_onboarding.risk_sync SET risk_seen_xid = data_xid, risk_seen_event_id = data_event_id WHERE case_id = :'c1';
UPDATE kyc_onboarding.onboarding_cases SET checklist_status = 'Completed', risk_event_id = 1,
	risk_level = 'Low', risk_score = 10, requires_manual_review = false WHERE case_id = :'c1';
SET SESSION AUTHORIZATION onboarding_user;
SELECT case_status FROM kyc_onboarding.approve(:'c1', 'reviewer', 'ok');
SELECT kyc_onboarding.transition(:'c3', s, 'tester') IS NOT NULL
FROM unnest(ARRAY['InProgress', 'PendingReview']) s;

-- The review's three statements, each refused.
SELECT throws_ok(format($$UPDATE kyc_onboarding.applicants SET last_name = 'Changed', nationality = 'IR'
						  WHERE case_id = %L$$, :'c1'),
				 '55000', format('case %s is Approved: its applicants and addresses cannot be changed', :'c1'),
				 'an approved case''s applicant cannot be rewritten');
SELECT throws_ok(format('UPDATE kyc_onboarding.addresses SET applicant_id = %L', :'a2'),
				 '23514', 'an address cannot be moved to another applicant',
				 'an address cannot be moved to another case''s applicant');
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET risk_level = 'Low', risk_score = 0, partner_id = 'P9'
						  WHERE case_id = %L$$, :'c1'),
				 '42501', NULL, 'onboarding_user cannot write a case''s risk or partner');
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET risk_level = 'Low' WHERE case_id = %L$$, :'c2'),
				 '42501', NULL, 'not risk_level, even of an editable case');
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET risk_score = 0 WHERE case_id = %L$$, :'c2'),
				 '42501', NULL, 'nor risk_score');
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET partner_id = 'P9' WHERE case_id = %L$$, :'c2'),
				 '42501', NULL, 'nor partner_id');

-- The rest of an approved case's data: the case's type and reference, new
-- applicants and addresses, address edits and deletions.
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET type = 'Corporate' WHERE case_id = %L$$, :'c1'),
				 '23514', format('column type of case %s cannot be changed', :'c1'),
				 'a case''s type never changes: it chose the checklist and the risk model');
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET partner_reference_id = 'x' WHERE case_id = %L$$, :'c1'),
				 '55000', NULL, 'and its partner reference');
SELECT throws_ok(format($$INSERT INTO kyc_onboarding.applicants (case_uuid, first_name, last_name) VALUES (%L, 'New', 'Person')$$,
						:'c1_uuid'),
				 '55000', NULL, 'no applicant is added to an approved case');
SELECT throws_ok(format($$UPDATE kyc_onboarding.addresses SET street = '1 Other St' WHERE applicant_id = %L$$, :'a1'),
				 '55000', NULL, 'an approved case''s address cannot be edited');
SELECT throws_ok(format($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country)
						  VALUES (%L, 'Mailing', '9 Elm St', 'Tehran', 'IR')$$, :'a1'),
				 '55000', NULL, 'nor given a new address');
SELECT throws_ok(format($$DELETE FROM kyc_onboarding.addresses WHERE applicant_id = %L$$, :'a1'),
				 '55000', NULL, 'nor lose one');

-- A case under review is frozen too: the reviewer decides on what was submitted.
SELECT throws_ok(format($$UPDATE kyc_onboarding.applicants SET nationality = 'IR' WHERE id = %L$$, :'a3'),
				 '55000', format('case %s is PendingReview: its applicants and addresses cannot be changed', :'c3'),
				 'a case under review keeps its applicant');
SELECT throws_ok(format($$UPDATE kyc_onboarding.addresses SET city = 'Tehran' WHERE applicant_id = %L$$, :'a3'),
				 '55000', NULL, 'and its addresses');
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET type = 'Trust' WHERE case_id = %L$$, :'c3'),
				 '23514', NULL, 'and its type');

-- Nothing changed.
SELECT results_eq(format($$SELECT last_name::text, nationality::text FROM kyc_onboarding.applicants WHERE case_uuid = %L$$, :'c1_uuid'),
				  $$VALUES ('Lovelace', 'GB')$$, 'the approved applicant is unchanged');
SELECT results_eq(format($$SELECT count(*)::int, min(street)::text FROM kyc_onboarding.addresses WHERE applicant_id = %L$$, :'a1'),
				  $$VALUES (1, '12 St James Sq')$$, 'its address is where it was');
SELECT results_eq(format($$SELECT type, partner_id::text, partner_reference_id::text, risk_level
						   FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$$, :'c1'),
				  $$VALUES ('Individual', NULL::text, 'frozen-1', 'Low')$$, 'the approved case is unchanged (Low, as risk_service reported it)');

-- What stays allowed: editing a Draft or InProgress case, and the calls
-- the docs name.
SELECT lives_ok(format($$UPDATE kyc_onboarding.applicants SET last_name = 'Mallory-Smith' WHERE id = %L$$, :'a2'),
				'a draft case''s applicant can be edited');
SELECT lives_ok(format($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
						 VALUES (%L, 'Residential', '3 High St', 'York', 'GB', true)$$, :'a2'),
				'and given an address');
SELECT lives_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET partner_reference_id = 'frozen-2b',
						 assigned_to = 'reviewer@bank' WHERE case_id = %L$$, :'c2'),
				'a draft case''s reference and reviewer can be changed');
SELECT lives_ok(format($$SELECT kyc_onboarding.transition(%L, 'InProgress', 'tester')$$, :'c2'),
				'transition() works as onboarding_user');
SELECT lives_ok(format($$UPDATE kyc_onboarding.addresses SET street = '4 High St' WHERE applicant_id = %L$$, :'a2'),
				'an InProgress case''s address can be edited');
SELECT lives_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET assigned_to = 'other@bank' WHERE case_id = %L$$, :'c3'),
				'a case under review can be assigned');

RESET SESSION AUTHORIZATION;
SELECT * FROM finish();
ROLLBACK;
