-- kyc_onboarding's rules as onboarding_user sees them: every transition of
-- the state machine, every validation error path, and the stamps.
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(25 + 6 + 20 + 12);

-- Helper: a fresh case brought to status s through allowed moves.
CREATE FUNCTION pg_temp.case_in(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	c text := kyc_onboarding.create_case('Individual');
	path text[] := ARRAY['InProgress', 'PendingReview', s];
	step text;
BEGIN
	IF s = 'Draft' THEN RETURN c; END IF;
	FOREACH step IN ARRAY path[1:array_position(path, s)] LOOP
		PERFORM kyc_onboarding.transition(c, step, 'tester', 'test');
	END LOOP;
	RETURN c;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.case_in(text) TO onboarding_user;

SET ROLE onboarding_user;

-- All 25 (from, to) pairs: exactly the seed's four arrows are allowed.
CREATE TEMP TABLE statuses (s text, o int);
INSERT INTO statuses VALUES ('Draft', 1), ('InProgress', 2), ('PendingReview', 3), ('Approved', 4), ('Rejected', 5);
CREATE TEMP TABLE allowed (f text, t text);
INSERT INTO allowed VALUES ('Draft', 'InProgress'), ('InProgress', 'PendingReview'),
	('PendingReview', 'Approved'), ('PendingReview', 'Rejected');

SELECT CASE WHEN a.f IS NOT NULL
		THEN lives_ok(format('SELECT kyc_onboarding.transition(%L, %L, %L, %L)',
							 pg_temp.case_in(f.s), t.s, 'tester', 'reason'),
					  format('%s -> %s is allowed', f.s, t.s))
		ELSE throws_ok(format('SELECT kyc_onboarding.transition(%L, %L, %L, %L)',
							  pg_temp.case_in(f.s), t.s, 'tester', 'reason'),
					   '23514', NULL, format('%s -> %s is refused with 23514', f.s, t.s))
	   END
FROM statuses f CROSS JOIN statuses t
LEFT JOIN allowed a ON a.f = f.s AND a.t = t.s
ORDER BY f.o, t.o;

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
SELECT is((SELECT status_reason FROM kyc_onboarding.transition(:'c', 'Rejected', 'bob', 'fraud')),
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
