-- kyc_onboarding: applicant and address validation, and applicant events.
\set SHOW_CONTEXT never

INSERT INTO kyc_onboarding.partners (partner_id, name) VALUES ('partner-v', 'Partner V');
SELECT kyc_onboarding.create_case('Individual', 'partner-v', 'ref-v1',
	'{"first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "1990-12-10",
	  "email": "ada@example.co.uk", "phone_number": "+447911123456", "nationality": "gb",
	  "addresses": [
		{"type": "Residential", "street": "12 St James Sq", "city": "London",
		 "postal_code": "SW1Y 4LB", "country": "GB", "is_primary": true},
		{"type": "Mailing", "street": "PO Box 1", "city": "Paris", "country": "fr"}]}') AS c \gset

-- Codes are stored upper-case.
SELECT a.first_name, a.nationality, ad.type, ad.country, ad.is_primary
FROM kyc_onboarding.applicants a
JOIN kyc_onboarding.onboarding_cases c ON c.id = a.case_uuid
JOIN kyc_onboarding.addresses ad ON ad.applicant_id = a.id
WHERE c.case_id = :'c' ORDER BY ad.type DESC;

-- One applicant.updated for the whole create_case() transaction, in its final state.
SELECT topic, payload->>'first_name' AS first_name, payload->>'case_id' = :'c' AS case_id,
	   payload->'primary_address'->>'city' AS primary_city, payload->>'address_count' AS addresses
FROM kyc_events.outbox WHERE aggregate_id = :'c' ORDER BY id;
-- It carries the applicant's role, aliases and every address.
SELECT payload->>'role' AS role, payload->'aliases' AS aliases,
	   jsonb_path_query_array(payload->'addresses', '$[*].city') AS cities,
	   jsonb_path_query_array(payload->'addresses', '$[*].is_primary') AS primary
FROM kyc_events.outbox WHERE aggregate_id = :'c' AND topic = 'applicant.updated';

-- The checks below use an applicant with a fixed id, so messages are stable.
\set c KYC-V1
\set applicant 00000000-0000-4000-8000-000000000001
INSERT INTO kyc_onboarding.onboarding_cases (case_id, type) VALUES (:'c', 'Individual');
INSERT INTO kyc_onboarding.applicants (id, case_uuid, first_name, last_name, email, nationality)
SELECT :'applicant', id, 'Grace', 'Hopper', 'grace@example.com', 'us'
FROM kyc_onboarding.onboarding_cases WHERE case_id = :'c';
INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
VALUES (:'applicant', 'Residential', '1 Navy Way', 'Arlington', 'US', true),
	   (:'applicant', 'Mailing', 'PO Box 2', 'New York', 'US', false);

-- Email.
UPDATE kyc_onboarding.applicants SET email = 'ada.example.com' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET email = 'ada@@example.com' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET email = 'ada@' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET email = 'ada@localhost' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET email = 'ada lovelace@example.com' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET email = '.ada@example.com' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET email = 'ada@-example.com' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET email = 'ada@example.c0m' WHERE id = :'applicant';
SELECT e, kyc_onboarding.is_valid_email(e)
FROM unnest(ARRAY['a.b+tag@sub.example.org', 'o''brien@example.ie', 'a@b.io', 'a@b', '@b.io', 'a@b..io']) AS e;

-- E.164 phone numbers.
UPDATE kyc_onboarding.applicants SET phone_number = '07911 123456' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET phone_number = '+44 7911 123456' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET phone_number = '+0447911123456' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET phone_number = '+123456' WHERE id = :'applicant';
SELECT p, kyc_onboarding.is_valid_phone(p)
FROM unnest(ARRAY['+14155552671', '+861012345678', '+4915112345678', '+1234567890123456', '+']) AS p;

-- Countries and nationalities.
UPDATE kyc_onboarding.applicants SET nationality = 'XX' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET nationality = 'GBR' WHERE id = :'applicant';
UPDATE kyc_onboarding.addresses SET country = 'UK' WHERE applicant_id = :'applicant';
SELECT count(*) AS iso_codes FROM kyc_onboarding.countries;

-- Date of birth in the past.
\set VERBOSITY sqlstate
UPDATE kyc_onboarding.applicants SET date_of_birth = current_date WHERE id = :'applicant';
\set VERBOSITY default
UPDATE kyc_onboarding.applicants SET date_of_birth = '2999-01-01' WHERE id = :'applicant';
UPDATE kyc_onboarding.applicants SET date_of_birth = 'infinity' WHERE id = :'applicant';
-- Stored sealed (docs/kyc_onboarding.md): reveal() opens it.
UPDATE kyc_onboarding.applicants SET date_of_birth = '1969-07-20' WHERE id = :'applicant'
RETURNING date_of_birth IS NULL AS plain_is_null, kyc_onboarding.reveal(date_of_birth_sealed)::date AS date_of_birth;
UPDATE kyc_onboarding.applicants SET date_of_birth = '1850-01-01' WHERE id = :'applicant';

-- At most one primary address: a clear error, and the unique index behind it.
INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
VALUES (:'applicant', 'Business', '1 Main St', 'Dublin', 'IE', true);
BEGIN;
ALTER TABLE kyc_onboarding.addresses DISABLE TRIGGER address_guard;
INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
VALUES (:'applicant', 'Business', '1 Main St', 'Dublin', 'IE', true);
ROLLBACK;
-- Missing keys fall to the NOT NULL constraints, with no primary check on NULLs.
\set VERBOSITY terse
INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
VALUES (NULL, 'Business', '1 Main St', 'Dublin', 'IE', true);
INSERT INTO kyc_onboarding.addresses (id, applicant_id, type, street, city, country, is_primary)
VALUES (NULL, :'applicant', 'Business', '1 Main St', 'Dublin', 'IE', true);
\set VERBOSITY default
-- Moving the primary flag, in order, is fine.
BEGIN;
UPDATE kyc_onboarding.addresses SET is_primary = false WHERE applicant_id = :'applicant';
UPDATE kyc_onboarding.addresses SET is_primary = true
 WHERE applicant_id = :'applicant' AND type = 'Mailing';
COMMIT;
SELECT topic, payload->'primary_address'->>'city' AS primary_city
FROM kyc_events.outbox WHERE aggregate_id = :'c' ORDER BY id;

-- Fired early with SET CONSTRAINTS ... IMMEDIATE, the event still sees the
-- statement that fired it.
BEGIN;
SET CONSTRAINTS kyc_onboarding.applicant_events IMMEDIATE;
UPDATE kyc_onboarding.applicants SET first_name = 'Amazing Grace' WHERE id = :'applicant';
SELECT payload->>'first_name' AS first_name FROM kyc_events.outbox
 WHERE aggregate_id = :'c' AND topic = 'applicant.updated' ORDER BY id DESC LIMIT 1;
COMMIT;

-- An applicant stays with its case; removal is announced.
UPDATE kyc_onboarding.applicants SET case_uuid = gen_random_uuid() WHERE id = :'applicant';
DELETE FROM kyc_onboarding.applicants WHERE id = :'applicant';
SELECT topic, payload->>'case_id' = :'c' AS case_id
FROM kyc_events.outbox WHERE aggregate_id = :'c' ORDER BY id DESC LIMIT 1;

-- create_case() argument errors.
SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '[1]');
SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "A", "last_name": "B", "addresses": {}}');
SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "A", "last_name": "B", "email": "nope"}');
\set VERBOSITY terse
SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "A"}');
\set VERBOSITY default

-- Errors a first user meets: each names the problem.
-- A misspelt key is refused, never dropped (and nothing is stored).
SELECT kyc_onboarding.create_case('Individual', NULL, 'ref-typo',
	'{"first_name": "A", "last_name": "B", "emial": "a@example.com"}');
SELECT kyc_onboarding.create_case('Individual', NULL, 'ref-typo',
	'{"first_name": "A", "last_name": "B", "Email": "a@example.com", "id": "x"}');
SELECT kyc_onboarding.create_case('Individual', NULL, 'ref-typo',
	'{"first_name": "A", "last_name": "B",
	  "addresses": [{"type": "Residential", "street": "1 A St", "city": "X", "country": "GB"},
					{"type": "Mailing", "stret": "2 B St", "city": "Y", "country": "GB"}]}');
SELECT count(*) AS typo_cases FROM kyc_onboarding.onboarding_cases WHERE partner_reference_id = 'ref-typo';
-- Dates are ISO 8601 whatever the DateStyle: "10/12/1985" is two dates.
SET DateStyle = 'SQL, DMY';
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "A", "last_name": "B", "date_of_birth": "10/12/1985"}');
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "A", "last_name": "B", "date_of_birth": 19851210}');
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "A", "last_name": "B", "date_of_birth": "1985-12-10"}') AS iso \gset
SELECT kyc_onboarding.reveal(a.date_of_birth_sealed)::date = '1985-12-10'::date AS iso_date_read
FROM kyc_onboarding.applicants a WHERE a.case_id = :'iso';
RESET DateStyle;
-- A required key names its column, at every level.
SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "A", "last_name": null}');
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "A", "last_name": "B", "addresses": [{"type": "Residential", "street": "1 A St", "country": "GB"}]}');
SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "A", "last_name": "B", "addresses": ["x"]}');
-- A bad seed value names the column, the value and the allowed values (23514).
\set VERBOSITY verbose
SELECT kyc_onboarding.create_case('Person');
\set VERBOSITY default
SELECT kyc_onboarding.create_case('individual');
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "A", "last_name": "B", "addresses": [{"type": "Home", "street": "1 A St", "city": "X", "country": "GB"}]}');
UPDATE kyc_onboarding.onboarding_cases SET type = 'Company' WHERE case_id = 'KYC-V1';
-- The CHECK constraint stays as the backstop behind the trigger.
SELECT conname FROM pg_constraint
WHERE conrelid = 'kyc_onboarding.onboarding_cases'::regclass AND contype = 'c' AND conname LIKE '%type%';

-- Cases by their public id: applicants.case_id is the KYC-... id, kept
-- from case_uuid, and an INSERT may name the case by it.
\set pub KYC-V2
INSERT INTO kyc_onboarding.onboarding_cases (case_id, type) VALUES (:'pub', 'Individual');
INSERT INTO kyc_onboarding.applicants (case_id, first_name, last_name)
VALUES (:'pub', 'Alan', 'Turing');
SELECT a.case_id = :'pub' AS by_public_id, a.case_uuid = c.id AS same_case
FROM kyc_onboarding.applicants a JOIN kyc_onboarding.onboarding_cases c ON c.case_id = a.case_id
WHERE a.case_id = :'pub';
INSERT INTO kyc_onboarding.applicants (case_id, first_name, last_name)
VALUES ('KYC-NO-SUCH', 'Alan', 'Turing');
INSERT INTO kyc_onboarding.applicants (case_uuid, case_id, first_name, last_name)
SELECT id, 'KYC-V1', 'Alan', 'Turing' FROM kyc_onboarding.onboarding_cases WHERE case_id = :'pub';
UPDATE kyc_onboarding.applicants SET case_id = 'KYC-V1' WHERE case_id = :'pub';
-- The text id a newcomer passes finds the case's applicants (it failed
-- with 22P02 when case_id was the uuid); an unknown one finds none.
SELECT count(*) FROM kyc_onboarding.applicants WHERE case_id = :'pub';
SELECT count(*) FROM kyc_onboarding.applicants WHERE case_id = 'KYC-20261127-0000000042';
SELECT col_description('kyc_onboarding.applicants'::regclass, 2);
