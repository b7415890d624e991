-- kyc_onboarding's rules as onboarding_user sees them: every transition of
-- the state machine, every validation error path, and the stamps.
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(25 + 3 + 7 + 20 + 12);

-- Helper: the workflow's results on case c (checklist complete, risk Low),
-- as its handlers record them: a reviewer may then decide it.
CREATE FUNCTION pg_temp.with_results(c text) RETURNS void LANGUAGE sql SECURITY DEFINER AS $$
	UPDATE kyc_onboarding.risk_sync SET risk_seen_xid = data_xid, risk_seen_event_id = data_event_id WHERE case_id = c;
	UPDATE kyc_onboarding.onboarding_cases SET checklist_status = 'Completed', risk_event_id = 1,
		risk_level = 'Low', risk_score = 10, requires_manual_review = false WHERE case_id = c
$$;
-- Helper: a fresh case brought to status s through allowed moves: the
-- partner's and analyst's with transition(), a reviewer's decision with
-- approve() or reject().
CREATE FUNCTION pg_temp.case_in(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	c text := kyc_onboarding.create_case('Individual');
	path text[] := ARRAY['InProgress', 'PendingReview'];
	step text;
BEGIN
	IF s = 'Draft' THEN RETURN c; END IF;
	FOREACH step IN ARRAY path[1:coalesce(array_position(path, s), 2)] LOOP
		PERFORM kyc_onboarding.transition(c, step, 'tester', 'test');
	END LOOP;
	IF s = 'Approved' THEN
		PERFORM pg_temp.with_results(c);
		PERFORM kyc_onboarding.approve(c, 'reviewer', 'test');
	ELSIF s = 'Rejected' THEN
		PERFORM kyc_onboarding.reject(c, 'reviewer', 'test');
	END IF;
	RETURN c;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.case_in(text) TO onboarding_user;
GRANT EXECUTE ON FUNCTION pg_temp.with_results(text) TO onboarding_user;

SET ROLE onboarding_user;

-- All 25 (from, to) pairs: exactly the seed's four arrows, and a
-- reviewer's way back to InProgress, are allowed; a reviewer's decision is
-- made by its function, every other move by transition().
CREATE TEMP TABLE statuses (s text, o int);
INSERT INTO statuses VALUES ('Draft', 1), ('InProgress', 2), ('PendingReview', 3), ('Approved', 4), ('Rejected', 5);
CREATE TEMP TABLE allowed (f text, t text, how text);
INSERT INTO allowed VALUES ('Draft', 'InProgress', 'transition(%1$L, %2$L, ''tester'')'),
	('InProgress', 'PendingReview', 'transition(%1$L, %2$L, ''tester'')'),
	('PendingReview', 'Approved', 'approve(%1$L, ''reviewer'', ''ok %2$s'')'),
	('PendingReview', 'Rejected', 'reject(%1$L, ''reviewer'', ''not %2$s'')'),
	('PendingReview', 'InProgress', 'request_information(%1$L, ''reviewer'', ''back to %2$s'')');

SELECT CASE WHEN a.f IS NOT NULL
		THEN lives_ok(format(CASE WHEN t.s = 'Approved' THEN 'SELECT pg_temp.with_results(%1$L); ' ELSE '' END
							 || 'SELECT kyc_onboarding.' || a.how, pg_temp.case_in(f.s), t.s),
					  format('%s -> %s is allowed, by %s', f.s, t.s, split_part(a.how, '(', 1)))
		ELSE throws_ok(format('SELECT kyc_onboarding.transition(%L, %L, %L, %L)',
							  pg_temp.case_in(f.s), t.s, 'tester', 'reason'),
					   '23514', NULL, format('%s -> %s is refused with 23514', f.s, t.s))
	   END
FROM statuses f CROSS JOIN statuses t
LEFT JOIN allowed a ON a.f = f.s AND a.t = t.s
ORDER BY f.o, t.o;
-- A decision's move through transition() skips its rules: refused.
SELECT throws_ok(format('SELECT kyc_onboarding.transition(%L, %L, %L, %L)',
						pg_temp.case_in('PendingReview'), a.t, 'reviewer', 'reason'),
				 '23514', NULL,
				 format('PendingReview -> %s is refused to transition(): only %s makes it', a.t, split_part(a.how, '(', 1)))
FROM allowed a WHERE a.f = 'PendingReview' ORDER BY a.t;

-- Stamps come from the server, at the right moment, and survive updates.
SELECT pg_temp.case_in('PendingReview') AS c \gset
SELECT isnt((SELECT submitted_at FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c'), NULL,
			'PendingReview stamps submitted_at');
SELECT throws_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET submitted_at = '2001-01-01' WHERE case_id = %L$$, :'c'),
				 '42501', NULL, 'onboarding_user cannot write submitted_at');
RESET ROLE;
UPDATE kyc_onboarding.onboarding_cases SET submitted_at = '2001-01-01', created_at = created_at
 WHERE case_id = :'c';
SET ROLE onboarding_user;
SELECT isnt((SELECT submitted_at FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c'),
			'2001-01-01'::timestamptz, 'submitted_at cannot be forged');
SELECT is((SELECT case_status FROM kyc_onboarding.reject(:'c', 'bob', 'fraud')), 'Rejected', 'reject() rejects');
SELECT is((SELECT status_reason FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c'),
		  'fraud', 'the reason is recorded');
SELECT isnt((SELECT rejected_at FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c'), NULL,
			'Rejected stamps rejected_at');
SELECT throws_ok($$DELETE FROM kyc_onboarding.onboarding_cases$$, '42501', NULL,
				 'onboarding_user cannot delete cases');

-- Every validation error path, with its SQLSTATE.
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}') AS v \gset
SELECT a.id AS applicant, a.created_at AS created FROM kyc_onboarding.applicants a
JOIN kyc_onboarding.onboarding_cases c ON c.id = a.case_uuid WHERE c.case_id = :'v' \gset

SELECT throws_ok(format('UPDATE kyc_onboarding.applicants SET email = %L WHERE id = %L', e, :'applicant'),
				 '23514', NULL, format('email %s is refused', e))
FROM unnest(ARRAY['plain', 'a@b', 'a@@b.com', 'a b@c.com', '@c.com', 'a@.com', 'a@c-.com']) e;
SELECT throws_ok(format('UPDATE kyc_onboarding.applicants SET phone_number = %L WHERE id = %L', p, :'applicant'),
				 '23514', NULL, format('phone %s is refused', p))
FROM unnest(ARRAY['07911123456', '+44 7911 123456', '+0123456789', '+12345', '+1234567890123456']) p;
SELECT throws_ok(format('UPDATE kyc_onboarding.applicants SET nationality = %L WHERE id = %L', n, :'applicant'),
				 '23514', NULL, format('nationality %s is refused', n))
FROM unnest(ARRAY['XX', 'UK', 'GBR', 'g']) n;
SELECT throws_ok(format('UPDATE kyc_onboarding.applicants SET date_of_birth = %L WHERE id = %L', d, :'applicant'),
				 '23514', NULL, format('date of birth %s is refused', d))
FROM unnest(ARRAY[current_date::text, '2999-12-31', '1899-12-31']) d;
SELECT throws_ok(format($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
						  VALUES (%L, 'Residential', 's', 'c', 'ZZ', false)$$, :'applicant'),
				 '23514', NULL, 'address country ZZ is refused');

-- The good path through the same checks.
UPDATE kyc_onboarding.applicants
   SET email = 'ada.lovelace@example.org', phone_number = '+447911123456',
	   nationality = 'gb', date_of_birth = '1815-12-10'::date + interval '200 years'
 WHERE id = :'applicant';
SELECT is((SELECT nationality::text FROM kyc_onboarding.applicants WHERE id = :'applicant'), 'GB',
		  'nationality is stored upper-case');
SELECT is((SELECT created_at FROM kyc_onboarding.applicants WHERE id = :'applicant'), :'created'::timestamptz,
		  'an update keeps created_at');
INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
VALUES (:'applicant', 'Residential', '1 St', 'London', 'GB', true);
SELECT throws_ok(format($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
						  VALUES (%L, 'Business', '2 St', 'Leeds', 'GB', true)$$, :'applicant'),
				 '23505', NULL, 'a second primary address is refused');
SELECT lives_ok(format($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
						 VALUES (%L, 'Business', '2 St', 'Leeds', 'GB', false)$$, :'applicant'),
				'a second, non-primary address is fine');

-- Events, emitted as onboarding_user without any outbox privilege.
SELECT is((SELECT count(*) FROM kyc_events.outbox WHERE aggregate_id = :'c' AND topic = 'case.status_changed'),
		  3::bigint, 'three status changes, three events');
SELECT is((SELECT headers->>'session_user' FROM kyc_events.outbox WHERE aggregate_id = :'c' LIMIT 1),
		  'postgres', 'headers record the session user');
SELECT throws_ok($$INSERT INTO kyc_events.outbox (topic, aggregate_id, payload) VALUES ('case.created', 'x', '{}')$$,
				 '42501', NULL, 'onboarding_user cannot write the outbox directly');
SELECT throws_ok($$DELETE FROM kyc_events.outbox$$, '42501', NULL,
				 'onboarding_user cannot delete undelivered events');
SELECT throws_ok($$SELECT kyc_events.emit('Bad', 'x', '{}')$$, '22023', NULL, 'a bad topic is refused');
SELECT throws_ok($$SELECT kyc_events.emit('test.created', 'x', NULL)$$, '22004', NULL, 'a NULL payload is refused');
SELECT throws_ok($$SELECT kyc_events.emit('test.created', repeat('x', 201), '{}')$$, '22001', NULL,
				 'an over-long aggregate id is refused');
SELECT throws_ok($$SELECT kyc_onboarding.transition('KYC-none', 'InProgress')$$, 'P0002', NULL,
				 'an unknown case is reported');

RESET ROLE;
SELECT * FROM finish();
ROLLBACK;
