-- make bench, PII part (scripts/bench_pii.sh): sealing and opening an
-- applicant's date of birth and national id number with kyc_onboarding's C
-- trigger and reveal(), against the same columns in the clear and against
-- pgcrypto's pgp_sym_encrypt()/pgp_sym_decrypt() with one key, the tool
-- users would otherwise reach for.  :keyfile is the master key to create.
CREATE EXTENSION kyc_onboarding CASCADE;
CREATE EXTENSION pgcrypto;
SELECT kyc_events.create_master_key(:'keyfile');
ALTER SYSTEM SET kyc.master_key_file = :'keyfile';
SELECT pg_reload_conf();

-- 2,000 cases of one applicant each, with personal data.
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	jsonb_build_object('first_name', 'A' || i, 'last_name', 'B',
		'date_of_birth', (date '1950-01-01' + i)::text, 'national_id_number', 'N-' || i))
FROM generate_series(1, 2000) i;

CREATE SCHEMA bench;
-- The same rows in the clear, and under pgcrypto (a key a user would keep
-- somewhere; here a constant).
CREATE TABLE bench.plain AS
SELECT id, case_id, (date '1950-01-01' + row_number() OVER (ORDER BY id)::int) AS date_of_birth,
	   'N-' || row_number() OVER (ORDER BY id) AS national_id_number
FROM kyc_onboarding.applicants;
CREATE TABLE bench.pgcrypto AS
SELECT id, case_id, pgp_sym_encrypt(date_of_birth::text, 'bench-key') AS date_of_birth_enc,
	   pgp_sym_encrypt(national_id_number, 'bench-key') AS national_id_number_enc
FROM bench.plain;
ANALYZE;

-- ms(sql): how long sql takes, in milliseconds.
CREATE FUNCTION bench.ms(sql text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE sql;
	RETURN round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
END $$;
