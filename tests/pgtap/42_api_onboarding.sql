-- onboarding through PostgREST's transaction, replayed as kyc_authenticator
-- (issue 15): a partner creates cases only for itself, reads its own and
-- no other partner's, whatever id it guesses; text carrying SQL is stored
-- as data; the case's events record the token's subject; reviewers and
-- anon cannot create cases; the risk result is not readable through it.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(22);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('api', :'host' || ' dbname=onboarding user=kyc_authenticator');
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
\ir lib/postgrest.psql

SELECT dblink_exec('onb_admin', $$INSERT INTO kyc_onboarding.partners (partner_id, name)
	VALUES ('tap-oapi-a', 'Partner A'), ('tap-oapi-b', 'Partner B') ON CONFLICT DO NOTHING$$);
CREATE FUNCTION pg_temp.token(role text, partner text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('sub', 'kc-' || coalesce(partner, role), 'preferred_username', 'tap',
		'realm_access', jsonb_build_object('roles', jsonb_build_array(role)), 'partner_id', partner))::text
$$;
SELECT 'tap-oapi-' || pg_backend_pid() AS ref \gset

SELECT pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), format($q$SELECT api.create_case('Individual', %L,
	'{"first_name": "Anna", "last_name": "Api", "email": "anna.api@example.org"}')$q$, :'ref' || '-a')) AS a \gset
SELECT alike(:'a'::text, 'KYC-%', 'partner A creates a case through api.create_case()');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), format($q$SELECT partner_id || ' ' || status
		  FROM api.cases WHERE case_id = %L$q$, :'a')), 'tap-oapi-a Draft', 'for itself: the partner comes from the token');
SELECT pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-b'), format($q$SELECT api.create_case('Individual', %L)$q$,
	:'ref' || '-b')) AS b \gset
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-b'), format($q$SELECT case_id FROM api.cases
		  WHERE partner_reference_id LIKE %L$q$, :'ref' || '%')), :'b', 'partner B reads its own case only');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-b'), format($q$SELECT case_id FROM api.cases WHERE case_id = %L$q$, :'a')),
		  '(none)', 'not partner A''s, even by its id');
SELECT $x$x'); DROP TABLE kyc_onboarding.onboarding_cases; -- $x$ || :'ref' AS evil \gset
SELECT pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), format($q$SELECT api.create_case('Individual', %L)$q$,
	:'evil')) AS c \gset
SELECT alike(:'c'::text, 'KYC-%', 'a reference carrying SQL creates a case');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'),
		  format($q$SELECT partner_reference_id FROM api.cases WHERE case_id = %L$q$, :'c')),
		  :'evil', 'and stores it as data; nothing was executed');
SELECT alike(pg_temp.api(pg_temp.token('kyc_reviewer'), $q$SELECT api.create_case('Individual')$q$), 'ERROR 42501: %',
			 'a reviewer cannot create cases');
SELECT alike(pg_temp.api(NULL, $q$SELECT api.create_case('Individual')$q$), 'ERROR 42501: %', 'nor can anon');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'),
			 'SELECT risk_level FROM kyc_onboarding.onboarding_cases'), 'ERROR 42501: %',
			 'a partner cannot read a case''s risk result beneath the view');
SELECT is(pg_temp.api(pg_temp.token('kyc_compliance_officer'), format($q$SELECT case_id FROM api.cases
		  WHERE partner_reference_id IN (%L, %L)$q$, :'ref' || '-a', :'ref' || '-b')),
		  (SELECT string_agg(c, ',' ORDER BY c) FROM unnest(ARRAY[:'a', :'b']) c), 'a compliance officer reads every case');
SELECT is((SELECT v FROM dblink('onb_admin', format($q$SELECT headers->>'actor' FROM kyc_events.outbox
		  WHERE topic = 'case.created' AND aggregate_id = %L$q$, :'a')) AS t(v text)), 'kc-tap-oapi-a',
		  'the case''s events, and so its audit entries, record the token''s subject');
SELECT is((SELECT v FROM dblink('onb', format($q$SELECT count(*)::text FROM kyc_onboarding.onboarding_cases
		  WHERE case_id IN (%L, %L, %L)$q$, :'a', :'b', :'c')) AS t(v text)), '3',
		  'onboarding_user, the service, still reads every case');
SELECT is((SELECT v FROM dblink('onb_admin', $q$SELECT count(*)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		  WHERE n.nspname = 'api' AND c.relkind <> 'v'$q$) AS t(v text)), '0', 'the api schema holds views and functions only');

-- Applicant changes: the partner's own case only, known keys only, every check still applied.
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), format($q$SELECT api.update_applicant(%L,
		  '{"email": "anna.new@example.org", "last_name": "O''Api; DROP TABLE x; --"}') ->> 'email'$q$, :'a')),
		  'anna.new@example.org', 'a partner changes its own case''s applicant');
SELECT is((SELECT v FROM dblink('onb', format($q$SELECT last_name FROM kyc_onboarding.applicants WHERE case_id = %L$q$, :'a'))
		  AS t(v text)), 'O''Api; DROP TABLE x; --', 'a name carrying SQL is stored as data');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-b'), format($q$SELECT api.update_applicant(%L, '{"email": "x@example.org"}')::text$q$, :'a')),
		  format('ERROR P0002: case %s does not exist', :'a'), 'another partner''s case does not exist for it');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), format($q$SELECT api.update_applicant(%L, '{"emial": "x@example.org"}')::text$q$, :'a')),
		  'ERROR 22023: changes has the key "emial", which is not a column a partner may set', 'an unknown key is refused, not ignored');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), format($q$SELECT api.update_applicant(%L, '{"phone_number": "0791234567"}')::text$q$, :'a')),
			 'ERROR 23514: %', 'the applicants table''s own checks still apply');
SELECT is((SELECT v FROM dblink('onb_admin', format($q$SELECT headers->>'actor' FROM kyc_events.outbox
		  WHERE topic = 'applicant.updated' AND aggregate_id = %L ORDER BY id DESC LIMIT 1$q$, :'a')) AS t(v text)), 'kc-tap-oapi-a',
		  'the applicant''s event records the token''s subject');

-- Applicants follow their case's rows; addresses are not readable through the API.
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), format($q$SELECT first_name || ' ' || email
		  FROM api.applicants WHERE case_id = %L$q$, :'a')), 'Anna anna.new@example.org', 'a partner reads its own case''s applicant');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-b'), format($q$SELECT first_name FROM api.applicants WHERE case_id = %L$q$, :'a')),
		  '(none)', 'and not another partner''s');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-oapi-a'), 'SELECT city FROM kyc_onboarding.addresses'),
			 'ERROR 42501: %', 'nor any address');

SELECT * FROM finish();
