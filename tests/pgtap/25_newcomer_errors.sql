-- The errors a first user meets, as onboarding_user: a misspelt applicant
-- key, a bad case type and a case named by its public KYC-... id each get
-- an error that names the problem (or just work).
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(22);

SET ROLE onboarding_user;

-- A misspelt key is refused and named; nothing is stored.
SELECT throws_ok($$SELECT kyc_onboarding.create_case('Individual', NULL, 'tap-newcomer',
					'{"first_name": "Ada", "last_name": "Lovelace", "emial": "ada@example.com"}')$$,
				 '22023', 'applicant has unknown key: "emial"', 'a misspelt applicant key is 22023 naming it');
SELECT throws_ok($$SELECT kyc_onboarding.create_case('Individual', NULL, 'tap-newcomer',
					'{"first_name": "Ada", "last_name": "Lovelace",
					  "addresses": [{"type": "Residential", "street": "1 A St", "cty": "London", "country": "GB"}]}')$$,
				 '22023', 'applicant.addresses[1] has unknown key: "cty"', 'a misspelt address key is 22023 naming it');
SELECT is((SELECT count(*) FROM kyc_onboarding.onboarding_cases WHERE partner_reference_id = 'tap-newcomer'),
		  0::bigint, 'a refused create_case() stores no case');
-- Dates are ISO 8601 only, whatever the DateStyle.
SET DateStyle = 'SQL, DMY';
SELECT throws_ok($$SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
					'{"first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "10/12/1985"}')$$,
				 '22007', 'applicant.date_of_birth is not an ISO 8601 date',
				 'a DateStyle-dependent date is 22007');
RESET DateStyle;
-- A missing required key names it.
SELECT throws_ok($$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada"}')$$,
				 '23502', 'applicant.last_name is required', 'a missing last_name is 23502 naming it');
SELECT throws_ok($$SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
					'{"first_name": "Ada", "last_name": "Lovelace",
					  "addresses": [{"type": "Residential", "street": "1 A St", "country": "GB"}]}')$$,
				 '23502', 'applicant.addresses[1].city is required', 'a missing city is 23502 naming it');

-- A bad case type or address type names the column and the value.
SELECT throws_ok($$SELECT kyc_onboarding.create_case('Person')$$,
				 '23514', 'invalid type "Person" for onboarding_cases', 'a bad case type is 23514 naming it');
SELECT throws_ok(format($$SELECT kyc_onboarding.create_case(%L)$$, repeat('ж', 100000)),
				 '23514', format('invalid type "%s..." for onboarding_cases', repeat('ж', 32)),
				 'a long bad value is quoted by its first 64 bytes, cut at a character''s end');
SELECT throws_ok($$SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
					'{"first_name": "Ada", "last_name": "Lovelace",
					  "addresses": [{"type": "Home", "street": "1 A St", "city": "London", "country": "GB"}]}')$$,
				 '23514', 'invalid type "Home" for addresses', 'a bad address type is 23514 naming it');
-- The hint lists the allowed values.
CREATE FUNCTION pg_temp.hint_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
	EXECUTE q;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
	RETURN h;
END $$;
SELECT is(pg_temp.hint_of($$SELECT kyc_onboarding.create_case('Person')$$),
		  'Allowed values of type: Individual, Corporate, Trust, Partnership.',
		  'the hint lists the allowed case types');
SELECT is(pg_temp.hint_of($$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "A", "last_name": "B", "emial": "x"}')$$),
		  'Allowed keys of applicant: first_name, last_name, date_of_birth, national_id_number, email, phone_number, nationality, aliases, addresses.',
		  'the hint lists the allowed applicant keys');

-- A case named by its public id: applicants.case_id is the KYC-... id.
CREATE TEMP TABLE newcomer AS SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "Ada", "last_name": "Lovelace"}') AS c;
SELECT is((SELECT a.first_name::text FROM kyc_onboarding.applicants a JOIN newcomer n ON a.case_id = n.c),
		  'Ada', 'applicants are found by the public case id in case_id (no 22P02)');
SELECT lives_ok($$INSERT INTO kyc_onboarding.applicants (case_id, first_name, last_name)
				  SELECT c, 'Grace', 'Hopper' FROM newcomer$$,
				'an applicant is inserted with the public case id alone');
SELECT throws_ok($$INSERT INTO kyc_onboarding.applicants (case_id, first_name, last_name)
				   VALUES ('KYC-19000101-0000000000', 'Grace', 'Hopper')$$,
				 '23503', 'case "KYC-19000101-0000000000" does not exist', 'an unknown public id is named');
SELECT throws_ok($$UPDATE kyc_onboarding.applicants SET case_id = 'KYC-19000101-0000000000'
				   WHERE case_id = (SELECT c FROM newcomer)$$,
				 '23514', NULL, 'case_id cannot be changed apart from case_uuid');

-- An address keeps its applicant's case id, which it may leave out or
-- repeat, but never contradict.
SELECT lives_ok($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country)
				  SELECT a.id, 'Mailing', '1 Case Row', 'Leeds', 'GB'
				  FROM kyc_onboarding.applicants a JOIN newcomer n ON a.case_id = n.c WHERE a.first_name = 'Ada'$$,
				'an address is inserted without case_id');
SELECT is((SELECT d.case_id::text FROM kyc_onboarding.addresses d JOIN newcomer n ON d.case_id = n.c),
		  (SELECT c FROM newcomer), 'the address keeps its applicant''s public case id');
SELECT throws_ok($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, case_id)
				   SELECT a.id, 'Business', '2 Case Row', 'Leeds', 'GB', 'KYC-19000101-0000000000'
				   FROM kyc_onboarding.applicants a JOIN newcomer n ON a.case_id = n.c WHERE a.first_name = 'Ada'$$,
				 '23514', 'case_id "KYC-19000101-0000000000" of addresses is not the case of its applicant_id',
				 'an address cannot name another case than its applicant''s');
SELECT throws_ok($$UPDATE kyc_onboarding.addresses d SET case_id = 'KYC-19000101-0000000000'
				   FROM newcomer n WHERE d.case_id = n.c$$,
				 '23514', NULL, 'an address''s case_id cannot be changed');
SELECT throws_ok($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country)
				   VALUES ('00000000-0000-0000-0000-000000000000', 'Mailing', '3 Case Row', 'Leeds', 'GB')$$,
				 '23503', 'applicant_id 00000000-0000-0000-0000-000000000000 of addresses names no row of kyc_onboarding.applicants',
				 'an address of no applicant is 23503 naming the applicant_id');

-- Aliases are bounded: each is screened, and a case's screening is one event
-- (a flood of aliases would make risk_service's handler fail and leave the
-- case's last, clean result in place).
SELECT throws_ok($$UPDATE kyc_onboarding.applicants a SET aliases = ARRAY(SELECT 'Alias ' || i FROM generate_series(1, 21) i)
				   FROM newcomer n WHERE a.case_id = n.c AND a.first_name = 'Ada'$$,
				 '23514', 'an applicant may have at most 20 aliases, not 21', 'more than 20 aliases are refused, by count');
SELECT throws_ok($$UPDATE kyc_onboarding.applicants a SET aliases = ARRAY[repeat('x', 201)]
				   FROM newcomer n WHERE a.case_id = n.c AND a.first_name = 'Ada'$$,
				 '23514', 'invalid aliases[1]: too long', 'an alias over 200 characters is refused');
SELECT * FROM finish();
ROLLBACK;
