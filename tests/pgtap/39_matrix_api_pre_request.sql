-- PostgREST's request, replayed exactly, as kyc_authenticator (issue 15):
-- BEGIN; SET LOCAL ROLE kyc_anon (the anon role, as the role claim names
-- none); set_config('request.jwt.claims', ..., true); SELECT
-- kyc_events.pre_request(); then the query.  pre_request() maps Keycloak's
-- roles to one API role, the partner_id claim to kyc.partner_id and sub to
-- kyc.actor; a token that names any other kyc_ role, or a role claim
-- outside the API roles, is refused.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(23);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('api', :'host' || ' dbname=onboarding user=kyc_authenticator');

\ir lib/postgrest.psql
-- One request with these claims (NULL: no token): who it runs as, its
-- partner, actor and actor name, or its refusal.
CREATE FUNCTION pg_temp.request(claims text) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.api(claims, $q$SELECT concat_ws('|', current_user, current_setting('kyc.partner_id'),
		current_setting('kyc.actor'), current_setting('kyc.actor_name'))$q$)
$$;
-- A Keycloak access token's claims with these realm roles, client roles and extras.
CREATE FUNCTION pg_temp.token(realm text[], client text[] DEFAULT '{}', extra jsonb DEFAULT '{}') RETURNS text
LANGUAGE sql AS $$
	SELECT (jsonb_build_object('iss', 'https://keycloak.example/realms/kyc', 'sub', '6f1d2c3b-9a8e-4f70-8c11-2b3a4d5e6f70',
		'preferred_username', 'jane.doe', 'azp', 'pgkyc',
		'realm_access', jsonb_build_object('roles', to_jsonb(realm || ARRAY['offline_access', 'uma_authorization', 'default-roles-kyc'])),
		'resource_access', jsonb_build_object('pgkyc', jsonb_build_object('roles', to_jsonb(client)),
											  'account', jsonb_build_object('roles', '["manage-account"]'::jsonb)))
		|| extra)::text
$$;

SELECT is(pg_temp.request(NULL), 'kyc_anon|||', 'without a token the request runs as kyc_anon, with no partner or actor');
SELECT is(pg_temp.request(pg_temp.token('{kyc_partner}', extra => '{"partner_id": "acme-bank"}')),
		  'kyc_partner|acme-bank|6f1d2c3b-9a8e-4f70-8c11-2b3a4d5e6f70|jane.doe',
		  'a partner''s token: kyc_partner, its partner_id, sub as kyc.actor, preferred_username as kyc.actor_name');
SELECT is(pg_temp.request(pg_temp.token('{}', '{kyc_reviewer}', '{"partner_id": "acme-bank"}')),
		  'kyc_reviewer||6f1d2c3b-9a8e-4f70-8c11-2b3a4d5e6f70|jane.doe',
		  'a client role of the pgkyc client: kyc_reviewer, with no partner even if the token names one');
SELECT is(pg_temp.request(pg_temp.token('{kyc_reviewer}', '{kyc_compliance_officer}')),
		  'kyc_compliance_officer||6f1d2c3b-9a8e-4f70-8c11-2b3a4d5e6f70|jane.doe',
		  'of several API roles, the most trusted');
SELECT is(pg_temp.request(pg_temp.token('{}', '{}', '{"resource_access": {"other-app": {"roles": ["kyc_admin"]}}}')),
		  'kyc_anon|||', 'roles of another Keycloak client are not pgkyc''s');
SELECT is(pg_temp.request(pg_temp.token('{}', '{}', '{"role": "kyc_admin"}')),
		  'kyc_admin||6f1d2c3b-9a8e-4f70-8c11-2b3a4d5e6f70|jane.doe', 'a role claim naming an API role is taken');
SELECT is(pg_temp.request(pg_temp.token('{}', '{}', '{"preferred_username": null}') ),
		  'kyc_anon|||', 'a token with no API role runs as kyc_anon');
SELECT is(pg_temp.request(pg_temp.token('{kyc_admin}', '{}', '{"preferred_username": null}')),
		  'kyc_admin||6f1d2c3b-9a8e-4f70-8c11-2b3a4d5e6f70|6f1d2c3b-9a8e-4f70-8c11-2b3a4d5e6f70',
		  'without preferred_username the actor''s name is its subject');

-- Refused: a token cannot raise its own role through claims.
SELECT is(pg_temp.request(pg_temp.token('{kyc_superuser}')),
		  'ERROR 42501: token role "kyc_superuser" is not one of pgkyc''s API roles', 'a kyc_ role outside the API roles is refused');
SELECT is(pg_temp.request(pg_temp.token('{kyc_partner}', '{kyc_authenticator}', '{"partner_id": "p"}')),
		  'ERROR 42501: token role "kyc_authenticator" is not one of pgkyc''s API roles', 'so is the authenticator''s own role');
SELECT is(pg_temp.request(pg_temp.token('{}', '{}', '{"role": "postgres"}')),
		  'ERROR 42501: the token''s role claim is not one of pgkyc''s API roles', 'a role claim naming a superuser is refused');
SELECT is(pg_temp.request(pg_temp.token('{}', '{}', '{"role": "onboarding_user"}')),
		  'ERROR 42501: the token''s role claim is not one of pgkyc''s API roles', 'so is one naming a service role');
SELECT is(pg_temp.request(pg_temp.token('{kyc_partner}')),
		  'ERROR 42501: a partner''s token needs a partner_id claim', 'a partner''s token without partner_id is refused');
SELECT is(pg_temp.request(pg_temp.token('{kyc_partner}', '{}', '{"partner_id": ""}')),
		  'ERROR 42501: token claim "partner_id" must be a string of 1 to 100 bytes', 'so is an empty partner_id');
SELECT is(pg_temp.request(pg_temp.token('{kyc_reviewer}', '{}', '{"sub": null}')),
		  'ERROR 42501: the token has no subject (sub claim)', 'a token without a subject is refused');
SELECT is(pg_temp.request('[1, 2]'), 'ERROR 42501: the token''s claims are not a JSON object', 'claims that are not an object are refused');
SELECT is(left(pg_temp.request('{"sub": '), 13), 'ERROR 22P02: ', 'malformed claims are refused');

-- After pre_request(), the request cannot change its partner (only a
-- superuser can set kyc.partner_id), and the authenticator is nothing by itself.
-- The SQLSTATE statements after pre_request() get, or 'ran'.
CREATE FUNCTION pg_temp.then_run(claims text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM dblink_exec('api', 'ROLLBACK');
	PERFORM dblink_exec('api', format($q$BEGIN; SET LOCAL ROLE kyc_anon;
		SELECT set_config('request.jwt.claims', %L, true); SELECT kyc_events.pre_request(); %s$q$, claims, stmt));
	PERFORM dblink_exec('api', 'COMMIT');
	RETURN 'ran';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT is(pg_temp.then_run(pg_temp.token('{kyc_partner}', '{}', '{"partner_id": "acme-bank"}'),
		  $$SELECT set_config('kyc.partner_id', 'globex', true)$$), '42501', 'a partner cannot change its kyc.partner_id');
SELECT is(pg_temp.then_run(NULL, 'SET LOCAL ROLE onboarding_user'), '42501',
		  'the authenticator cannot become a service role');
SELECT is(pg_temp.then_run(NULL, 'RESET ROLE; SELECT count(*) FROM kyc_onboarding.onboarding_cases'), '42501',
		  'and, NOINHERIT, holds no privilege of its own');

-- The helpers the api schemas use.
SELECT is(pg_temp.api(pg_temp.token('{kyc_partner}', '{}', '{"partner_id": "acme-bank"}'),
		  'SELECT kyc_events.request_partner()'), 'acme-bank', 'request_partner() is the token''s partner');
SELECT is(pg_temp.api(pg_temp.token('{kyc_reviewer}'), 'SELECT coalesce(kyc_events.request_partner(), ''(null)'')'), '(null)',
		  'and NULL for a token without one, which no policy matches');
SELECT is(pg_temp.api(pg_temp.token('{kyc_reviewer}'), $$SELECT kyc_events.require_partner('creates cases')$$),
		  'ERROR 42501: permission denied for function require_partner',
		  'require_partner() is only for the api functions, which run as their owner');

SELECT dblink_disconnect('api');
SELECT * FROM finish();
