-- document_service through PostgREST's transaction, replayed as
-- kyc_authenticator (issue 15): a partner registers document metadata only
-- for its own cases (their partner comes from onboarding's events, through
-- the relay), reads only its own cases' documents, and never the storage
-- location; reviewers read those of their cases and of the unassigned
-- queue, compliance officers all; anon nothing.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(14);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('api', :'host' || ' dbname=document_service user=kyc_authenticator');
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('doc_admin', :'host' || ' dbname=document_service');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
\ir lib/wait_for.psql
\ir lib/postgrest.psql

SELECT dblink_exec('onb_admin', $$INSERT INTO kyc_onboarding.partners (partner_id, name)
	VALUES ('tap-dapi-a', 'Partner A'), ('tap-dapi-b', 'Partner B') ON CONFLICT DO NOTHING$$);
CREATE FUNCTION pg_temp.token(role text, partner text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('sub', 'kc-' || coalesce(partner, role),
		'realm_access', jsonb_build_object('roles', jsonb_build_array(role)), 'partner_id', partner))::text
$$;
SELECT c AS a FROM dblink('onb', format($q$SELECT kyc_onboarding.create_case('Individual', 'tap-dapi-a', %L)$q$,
	'tap-dapi-' || pg_backend_pid())) AS t(c text) \gset
SELECT ok(pg_temp.wait_for('case A in document_service', format('SELECT v::boolean FROM dblink(%L, %L) AS t(v text)', 'doc_admin',
		  format($q$SELECT EXISTS (SELECT FROM kyc_document.case_partners WHERE case_id = %L AND partner_id = 'tap-dapi-a')::text$q$, :'a')), 60),
		  'document_service learns the case''s partner from onboarding''s case.created, through the relay');
\set register 'SELECT api.register_document(%L, ''Passport'', ''passport.pdf'', ''application/pdf'', 1000, %L, ''s3://tap/passport.pdf'')::text'

SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-dapi-a'), format(:'register', :'a', repeat('ab', 32))),
			 '________-____-____-____-____________', 'partner A registers a document for its own case');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-dapi-b'), format(:'register', :'a', repeat('cd', 32))),
		  format('ERROR P0002: case %s does not exist', :'a'), 'partner B cannot: to it, the case does not exist');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-dapi-a'), format($q$SELECT document_type || ':' || status
		  FROM api.documents WHERE case_id = %L$q$, :'a')), 'Passport:Pending', 'partner A reads its case''s document');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-dapi-b'), format($q$SELECT id::text FROM api.documents WHERE case_id = %L$q$, :'a')),
		  '(none)', 'partner B does not, even by the case id');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-dapi-a'), 'SELECT storage_uri FROM kyc_document.documents'),
			 'ERROR 42501: %', 'a partner never reads where a document is stored');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-dapi-a'), 'SELECT partner_id FROM kyc_document.case_partners'),
			 'ERROR 42501: %', 'nor which partner another case belongs to');
SELECT is(pg_temp.api(pg_temp.token('kyc_reviewer'), format($q$SELECT document_type FROM api.documents WHERE case_id = %L$q$, :'a')),
		  'Passport', 'a reviewer reads it while the case is in the unassigned queue');
-- Assigned to another reviewer in onboarding, the case leaves this one's
-- view here too, as it does in onboarding.
SELECT x AS assigned FROM dblink('onb', format($q$SELECT (kyc_onboarding.assign(%L, 'kc-other-reviewer')).decision$q$, :'a'))
	AS t(x text) \gset
SELECT ok(pg_temp.wait_for('the assignment in document_service', format('SELECT v::boolean FROM dblink(%L, %L) AS t(v text)', 'doc_admin',
		  format($q$SELECT EXISTS (SELECT FROM kyc_document.case_partners WHERE case_id = %L AND assigned_to = 'kc-other-reviewer')::text$q$,
				 :'a')), 60), 'document_service learns the case''s reviewer from case.updated');
SELECT is(pg_temp.api(pg_temp.token('kyc_reviewer'), format($q$SELECT document_type FROM api.documents WHERE case_id = %L$q$, :'a')),
		  '(none)', 'then another reviewer no longer reads its documents');
SELECT is(pg_temp.api(jsonb_set(pg_temp.token('kyc_reviewer')::jsonb, '{sub}', '"kc-other-reviewer"')::text,
		  format($q$SELECT document_type FROM api.documents WHERE case_id = %L$q$, :'a')), 'Passport', 'its reviewer does');
SELECT is(pg_temp.api(pg_temp.token('kyc_compliance_officer'), format($q$SELECT document_type FROM api.documents WHERE case_id = %L$q$, :'a')),
		  'Passport', 'and a compliance officer reads every document');
SELECT alike(pg_temp.api(NULL, 'SELECT id::text FROM api.documents'), 'ERROR 42501: %', 'anon reads nothing');
SELECT is((SELECT v FROM dblink('doc', format($q$SELECT count(*)::text FROM kyc_document.documents WHERE case_id = %L$q$, :'a'))
		  AS t(v text)), '1', 'document_user, the service, still reads every document');

SELECT * FROM finish();
