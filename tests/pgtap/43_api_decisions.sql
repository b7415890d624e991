-- Reviewers' decisions through PostgREST's transaction, replayed as
-- kyc_authenticator (issue 15): a reviewer cannot decide, nor take over, a
-- case assigned to someone else; it takes the unassigned queue, and its
-- decisions then meet the workflow's own rules; a compliance officer may
-- reassign; a partner cannot decide; the decision records the token's
-- subject as its reviewer.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(10);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('api', :'host' || ' dbname=onboarding user=kyc_authenticator');
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
\ir lib/postgrest.psql

CREATE FUNCTION pg_temp.token(role text, sub text, partner text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('sub', sub,
		'realm_access', jsonb_build_object('roles', jsonb_build_array(role)), 'partner_id', partner))::text
$$;
-- Two Draft cases of the service; the first assigned to reviewer-other.
SELECT c AS taken FROM dblink('onb', $$SELECT kyc_onboarding.create_case('Individual')$$) AS t(c text) \gset
SELECT c AS free FROM dblink('onb', $$SELECT kyc_onboarding.create_case('Individual')$$) AS t(c text) \gset
SELECT * FROM dblink('onb', format($q$SET kyc.actor = 'reviewer-other';
	SELECT decision FROM kyc_onboarding.assign(%L, 'reviewer-other')$q$, :'taken')) AS t(d text);
\set decision 'SELECT (api.decide(%L, %L) ->> ''decision'')'

SELECT alike(pg_temp.api(pg_temp.token('kyc_reviewer', 'reviewer-me'), format(:'decision', :'taken', 'Approve')),
			 'ERROR 42501: case % is assigned to another reviewer', 'a reviewer cannot decide a case assigned to someone else');
SELECT alike(pg_temp.api(pg_temp.token('kyc_reviewer', 'reviewer-me'), format(:'decision', :'taken', 'Assign')),
			 'ERROR 42501: %', 'nor take it over');
SELECT is(pg_temp.api(pg_temp.token('kyc_reviewer', 'reviewer-me'), format(:'decision', :'free', 'Assign')), 'Assign',
		  'a reviewer takes a case from the unassigned queue');
SELECT is((SELECT v FROM dblink('onb', format($q$SELECT assigned_to FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$,
		  :'free')) AS t(v text)), 'reviewer-me', 'assigned to the token''s subject');
SELECT alike(pg_temp.api(pg_temp.token('kyc_reviewer', 'reviewer-me'), format(:'decision', :'free', 'Approve')),
			 'ERROR PGRST: {"code" : "55000", "message" : "case % is Draft: only a case under review (PendingReview) can take the decision Approve%',
			 'its decisions then meet the workflow''s own rules, and a state conflict goes to PostgREST as its custom error (HTTP 409)');
SELECT is(pg_temp.api(pg_temp.token('kyc_compliance_officer', 'officer-1'), format(:'decision', :'taken', 'Assign')), 'Assign',
		  'a compliance officer may reassign a case to themselves');
SELECT is((SELECT v FROM dblink('onb', format($q$SELECT string_agg(decision || ':' || reviewer, ' ' ORDER BY id)
		  FROM kyc_onboarding.case_decisions WHERE case_id = %L$q$, :'taken')) AS t(v text)),
		  'Assign:reviewer-other Assign:officer-1', 'each decision records the token''s subject as its reviewer');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'partner-user', 'acme-bank'), format(:'decision', :'free', 'Approve')),
			 'ERROR 42501: %', 'a partner cannot decide');
SELECT alike(pg_temp.api(pg_temp.token('kyc_reviewer', 'reviewer-me'), format(:'decision', :'free', 'Bless')),
			 'ERROR 22023: decision "Bless" is not allowed', 'an unknown decision is refused');
SELECT alike(pg_temp.api(pg_temp.token('kyc_compliance_officer', 'officer-1'), format(:'decision', 'KYC-NO-SUCH-CASE', 'Assign')),
			 'ERROR P0002: case KYC-NO-SUCH-CASE does not exist', 'so is an unknown case');

SELECT * FROM finish();
