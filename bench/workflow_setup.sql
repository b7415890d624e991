-- make bench, workflow part: what a partner's client does for one case,
-- run by pgbench in onboarding (bench/workflow_case.sql).  Bench cluster
-- only: dblink in onboarding reaches document_service as the superuser.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE SCHEMA bench;
CREATE SEQUENCE bench.case_seq;
INSERT INTO kyc_onboarding.partners (partner_id, name) VALUES ('bench', 'Bench Partner Ltd')
ON CONFLICT DO NOTHING;

-- The cases measured: those created after the last mark.
CREATE TABLE bench.marks (at timestamptz NOT NULL);
CREATE FUNCTION bench.mark() RETURNS void LANGUAGE sql
AS $$ INSERT INTO bench.marks VALUES (clock_timestamp()) $$;
CREATE VIEW bench.measured AS
SELECT c.case_id FROM kyc_onboarding.onboarding_cases c
WHERE c.partner_id = 'bench' AND c.created_at > (SELECT coalesce(max(at), '-infinity') FROM bench.marks);

-- One case: an individual with an address, moved to InProgress, then a
-- passport, a bank statement (address and source of funds) and a tax
-- return registered and verified in document_service, each committed
-- there at once, as a separate service would.
CREATE FUNCTION bench.new_case() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	n bigint := nextval('bench.case_seq');
	id text;
	doc text;
BEGIN
	id := kyc_onboarding.create_case('Individual', 'bench', 'bench-' || n,
		jsonb_build_object('first_name', 'Benchmark', 'last_name', 'Applicant' || n,
			'date_of_birth', '1980-01-01', 'nationality', 'GB', 'email', 'applicant' || n || '@example.com',
			'addresses', jsonb_build_array(jsonb_build_object('type', 'Residential', 'street', n || ' Bench Row',
				'city', 'Leeds', 'country', 'GB', 'is_primary', true))));
	PERFORM kyc_onboarding.transition(id, 'InProgress');
	IF dblink_get_connections() IS NULL OR NOT 'docs' = ANY (dblink_get_connections()) THEN
		PERFORM dblink_connect('docs', format('dbname=document_service host=%s port=%s',
			current_setting('unix_socket_directories'), current_setting('port')));
	END IF;
	FOREACH doc IN ARRAY ARRAY['Passport', 'BankStatement', 'TaxReturn'] LOOP
		PERFORM * FROM dblink('docs', format(
			'SELECT kyc_document.verify_document(kyc_document.register_document(%L, %L, %L, %L, 100000, %L, %L), %L)::text',
			id, doc, doc || '.pdf', 'application/pdf', encode(sha256(convert_to(id || doc, 'UTF8')), 'hex'),
			format('s3://bench/%s/%s.pdf', id, doc), 'bench-reviewer')) AS t(x text);
	END LOOP;
	RETURN id;
END $$;
