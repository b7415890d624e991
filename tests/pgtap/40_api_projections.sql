-- projections_api through PostgREST's transaction, replayed exactly as
-- kyc_authenticator (issue 15): row-level security under the api views
-- shows a partner its own cases only, whatever it guesses; a reviewer the
-- cases assigned to them and the unassigned queue; a compliance officer
-- all; anon nothing; and a partner never the risk or screening columns.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(14);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('api', :'host' || ' dbname=projections_api user=kyc_authenticator');
SELECT dblink_connect('prj_admin', :'host' || ' dbname=projections_api');
SELECT dblink_connect('prj', :'host' || ' dbname=projections_api user=projections_user');

-- Three cases of two partners, one assigned to the reviewer of the tokens below.
SELECT dblink_exec('prj_admin', $$
	DELETE FROM kyc_projections.onboarding_case_projections WHERE case_id LIKE 'KYC-TAP-API-%';
	INSERT INTO kyc_projections.onboarding_case_projections (case_id, type, status, partner_id, assigned_to, sanctions_hits, risk_level)
	VALUES ('KYC-TAP-API-A1', 'Individual', 'PendingReview', 'tap-api-a', NULL, 0, 'Low'),
		   ('KYC-TAP-API-A2', 'Individual', 'PendingReview', 'tap-api-a', 'reviewer-6f1d', 0, 'Medium'),
		   ('KYC-TAP-API-B1', 'Corporate', 'PendingReview', 'tap-api-b', 'reviewer-other', 1, 'High')$$);

-- A Keycloak token's claims: realm roles, partner, subject.
CREATE FUNCTION pg_temp.token(role text, partner text DEFAULT NULL, sub text DEFAULT 'reviewer-6f1d') RETURNS text
LANGUAGE sql AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('sub', sub, 'preferred_username', 'tap',
		'realm_access', jsonb_build_object('roles', jsonb_build_array(role, 'offline_access')),
		'partner_id', partner))::text
$$;
\ir lib/postgrest.psql
\set cases 'SELECT case_id FROM api.cases WHERE case_id LIKE ''KYC-TAP-API-%'''

SELECT alike(pg_temp.api(NULL, :'cases'), 'ERROR 42501: %', 'anon sees nothing: no right on the api schema');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-api-a'), :'cases'), 'KYC-TAP-API-A1,KYC-TAP-API-A2',
		  'partner A sees its two cases');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-api-a'), $$SELECT case_id FROM api.cases WHERE case_id = 'KYC-TAP-API-B1'$$),
		  '(none)', 'and not partner B''s, even by its id');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-api-b'), :'cases'), 'KYC-TAP-API-B1', 'partner B sees its one case');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', $$tap-api-a' OR '1'='1$$), :'cases'), '(none)',
		  'a partner_id carrying SQL is data: it matches no partner');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-api-a'), 'SELECT case_id FROM api.case_reviews'), 'ERROR 42501: %',
		  'a partner cannot read the reviewers'' view');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-api-a'),
		  'SELECT sanctions_hits::text FROM kyc_projections.onboarding_case_projections'), 'ERROR 42501: %',
		  'nor the screening columns of the table beneath');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-api-a'),
		  $$SELECT case_id FROM kyc_projections.onboarding_case_projections WHERE case_id LIKE 'KYC-TAP-API-%'$$),
		  'KYC-TAP-API-A1,KYC-TAP-API-A2', 'and the table beneath shows it only its own rows');
SELECT is(pg_temp.api(pg_temp.token('kyc_reviewer'), :'cases'), 'KYC-TAP-API-A1,KYC-TAP-API-A2',
		  'a reviewer sees the unassigned case and the one assigned to them, not another reviewer''s');
SELECT is(pg_temp.api(pg_temp.token('kyc_reviewer'),
		  $$SELECT case_id || ':' || sanctions_hits FROM api.case_reviews WHERE case_id LIKE 'KYC-TAP-API-%'$$),
		  'KYC-TAP-API-A1:0,KYC-TAP-API-A2:0', 'and their screening results in the reviewers'' view');
SELECT is(pg_temp.api(pg_temp.token('kyc_compliance_officer'),
		  $$SELECT case_id || ':' || sanctions_hits FROM api.case_reviews WHERE case_id LIKE 'KYC-TAP-API-%'$$),
		  'KYC-TAP-API-A1:0,KYC-TAP-API-A2:0,KYC-TAP-API-B1:1', 'a compliance officer sees every case');
SELECT is(pg_temp.api(pg_temp.token('kyc_admin'), :'cases'), 'KYC-TAP-API-A1,KYC-TAP-API-A2,KYC-TAP-API-B1',
		  'so does an admin');
SELECT is((SELECT string_agg(c, ',' ORDER BY c) FROM dblink('prj',
		  $$SELECT case_id FROM kyc_projections.onboarding_case_projections WHERE case_id LIKE 'KYC-TAP-API-%'$$) AS t(c text)),
		  'KYC-TAP-API-A1,KYC-TAP-API-A2,KYC-TAP-API-B1', 'projections_user, the service, still reads every row');
SELECT is((SELECT c FROM dblink('prj_admin', $$SELECT count(*)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE n.nspname = 'api' AND c.relkind <> 'v'$$) AS t(c text)), '0', 'the api schema holds views only');

SELECT dblink_exec('prj_admin', $$DELETE FROM kyc_projections.onboarding_case_projections WHERE case_id LIKE 'KYC-TAP-API-%'$$);
SELECT * FROM finish();
