-- Personal data sealed at rest, and GDPR erasure by crypto-shredding
-- (issue 15).  An applicant's date of birth and national id number are
-- written in the clear by onboarding_user and stored only sealed
-- (AES-256-GCM under the case's data key): in the row, in onboarding's
-- events, in the audit log's stored values and in the projection.  Those
-- who may read the case reveal them; forget_subject() destroys the key, and
-- then nobody can, while kyc_auditlog.verify() still verifies the chain,
-- because the entries hashed the ciphertext.  Attacks by onboarding_user
-- and by an API token are refused.  No transaction: the relay delivers what
-- is committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(49);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('aud', :'host' || ' dbname=auditlog_service user=auditlog_user');
SELECT dblink_connect('prj', :'host' || ' dbname=projections_api');
SELECT dblink_connect('api', :'host' || ' dbname=onboarding user=kyc_authenticator');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
\ir lib/wait_for.psql
\ir lib/postgrest.psql

-- onb_text(query): the one text value query returns as onboarding_user.
CREATE FUNCTION pg_temp.onb_text(query text) RETURNS text LANGUAGE sql AS $$
	SELECT v FROM dblink('onb', query) AS t(v text)
$$;
-- error_of(connection, query): the SQLSTATE query fails with there, or 'ok';
-- onb_error(query) as onboarding_user, admin_error(query) as a superuser.
CREATE FUNCTION pg_temp.error_of(connection text, query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM dblink_exec(connection, query);
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.onb_error(query text) RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.error_of('onb', query) $$;
CREATE FUNCTION pg_temp.admin_error(query text) RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.error_of('onb_admin', query) $$;
CREATE FUNCTION pg_temp.token(role text, partner text DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('sub', 'kc-' || coalesce(partner, role), 'preferred_username', 'tap',
		'realm_access', jsonb_build_object('roles', jsonb_build_array(role)), 'partner_id', partner))::text
$$;
SELECT dblink_exec('onb_admin', $$INSERT INTO kyc_onboarding.partners (partner_id, name)
	VALUES ('tap-pii-a', 'Partner A'), ('tap-pii-b', 'Partner B') ON CONFLICT DO NOTHING$$);

SELECT 'tap-pii-' || pg_backend_pid() AS ref \gset
-- A case of partner A whose applicant has a date of birth and a national
-- id number that appear nowhere else in the test data.
SELECT pg_temp.onb_text(format($$SELECT kyc_onboarding.create_case('Individual', 'tap-pii-a', %L,
	'{"first_name": "Gudrun", "last_name": "Shred", "date_of_birth": "1961-07-23",
	  "national_id_number": "ZX-4417-PII", "email": "gudrun.shred@example.org", "nationality": "NO"}')$$, :'ref')) AS case_id \gset
SELECT pg_temp.onb_text(format($$SELECT row_to_json(a)::text FROM kyc_onboarding.applicants a WHERE case_id = %L$$,
	:'case_id')) AS row_text \gset

SELECT ok(:'row_text'::jsonb ->> 'date_of_birth' IS NULL AND :'row_text'::jsonb ->> 'national_id_number' IS NULL,
		  'the plain columns are stored as NULL');
SELECT is(split_part(:'row_text'::jsonb ->> 'date_of_birth_sealed', ':', 4), :'case_id',
		  'date_of_birth_sealed names its case');
SELECT alike(:'row_text'::jsonb ->> 'national_id_number_sealed', 'pii:v1:national_id_number:KYC-%',
			 'national_id_number_sealed is a sealed national_id_number');
SELECT ok(position('1961-07-23' IN :'row_text') = 0 AND position('ZX-4417-PII' IN :'row_text') = 0,
		  'the row holds neither value in the clear');
SELECT is(pg_temp.onb_text(format($$SELECT kyc_onboarding.reveal(date_of_birth_sealed) || ' ' ||
		  kyc_onboarding.reveal(national_id_number_sealed) FROM kyc_onboarding.applicants WHERE case_id = %L$$, :'case_id')),
		  '1961-07-23 ZX-4417-PII', 'onboarding_user reveals both');
SELECT pg_temp.onb_text(format($$SELECT kyc_onboarding.create_case('Individual', 'tap-pii-b', %L,
	'{"first_name": "Gudrun", "last_name": "Twin", "date_of_birth": "1961-07-23"}')$$, :'ref' || '-twin')) AS twin_id \gset
SELECT isnt(split_part(:'row_text'::jsonb ->> 'date_of_birth_sealed', ':', 5),
			split_part(pg_temp.onb_text(format($$SELECT date_of_birth_sealed FROM kyc_onboarding.applicants
							   WHERE case_id = %L$$, :'twin_id')), ':', 5),
			'the same date of birth in another case seals to another ciphertext');

-- Through the API: partner A reads its applicant in the clear; partner B
-- cannot open partner A's sealed value, even holding it.
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-pii-a'), format($q$SELECT date_of_birth || ' ' || national_id_number
		  FROM api.applicants WHERE case_id = %L$q$, :'case_id')), '1961-07-23 ZX-4417-PII',
		  'partner A reads its applicant''s date of birth and id number through api.applicants');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-pii-b'), format($q$SELECT kyc_onboarding.reveal(%L)$q$,
			 :'row_text'::jsonb ->> 'date_of_birth_sealed')), 'ERROR P0002: case % does not exist',
			 'partner B holding partner A''s sealed date of birth cannot open it');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-pii-a'), format($q$SELECT api.update_applicant(%L,
		  '{"national_id_number": "ZX-5000-PII"}') ->> 'national_id_number'$q$, :'case_id')), 'ZX-5000-PII',
		  'partner A changes the id number through api.update_applicant(); it is sealed again');
SELECT is(pg_temp.onb_text(format($$SELECT kyc_onboarding.reveal(date_of_birth_sealed) || ' ' ||
		  kyc_onboarding.reveal(national_id_number_sealed) FROM kyc_onboarding.applicants WHERE case_id = %L$$, :'case_id')),
		  '1961-07-23 ZX-5000-PII', 'the untouched date of birth kept its seal');

-- What onboarding_user may not do.
SELECT is(pg_temp.onb_error('SELECT * FROM kyc_onboarding.case_keys'), '42501', 'onboarding_user cannot read the data keys');
SELECT is(pg_temp.onb_error(format($$UPDATE kyc_onboarding.applicants SET date_of_birth_sealed = 'pii:v1:date_of_birth:KYC-1:AAAA'
		  WHERE case_id = %L$$, :'case_id')), '22023', 'nor write a sealed value of another case');
SELECT is(pg_temp.onb_error(format($$UPDATE kyc_onboarding.applicants SET date_of_birth_sealed = 'pii:v1:date_of_birth:%s:AAAA'
		  WHERE case_id = %L$$, :'case_id', :'case_id')), '22023', 'nor one of its own case that would not open');
SELECT is(pg_temp.onb_error(format($$UPDATE kyc_onboarding.applicants SET national_id_number_sealed = %L
		  WHERE case_id = %L$$, :'row_text'::jsonb ->> 'national_id_number_sealed', :'case_id')), '22023',
		  'nor put back the id number''s older sealed value (ZX-4417-PII under ZX-5000-PII)');
SELECT is(pg_temp.onb_error(format($$UPDATE kyc_onboarding.applicants SET national_id_number_sealed = date_of_birth_sealed
		  WHERE case_id = %L$$, :'case_id')), '22023', 'nor move a sealed value to another column');
SELECT is(pg_temp.onb_error(format($$SELECT kyc_onboarding.reveal(overlay(date_of_birth_sealed PLACING 'AAAA' FROM length(date_of_birth_sealed) - 12))
		  FROM kyc_onboarding.applicants WHERE case_id = %L$$, :'case_id')), 'XX001',
		  'a tampered sealed value does not authenticate (data_corrupted)');
SELECT is(pg_temp.onb_error($$SELECT kyc_onboarding.reveal('1961-07-23')$$), '22023', 'reveal() of a plain value is refused');
SELECT is(pg_temp.onb_error($$SELECT kyc_events.create_master_key('/tmp/tap-pii.key')$$), '42501',
		  'only a superuser creates a master key');
SELECT is(pg_temp.admin_error($$SELECT kyc_events.create_master_key(current_setting('kyc.master_key_file'))$$), '58P02',
		  'a superuser cannot overwrite the master key in use');
SELECT is(pg_temp.admin_error($$SELECT kyc_events.create_master_key('pgkyc.key')$$), '22023',
		  'nor write one at a relative path');
SELECT is(pg_temp.onb_error($$SET kyc.master_key_file = '/tmp/other.key'$$), '55P02',
		  'nor can a session point kyc.master_key_file elsewhere');
SELECT is(pg_temp.onb_error($$SELECT current_setting('kyc.master_key_file', true)$$), '42501',
		  'nor read where it is');

-- The events, the projection and the audit log carry the ciphertext only.
SELECT is(pg_temp.onb_text(format($$SELECT count(*)::text FROM kyc_events.outbox WHERE aggregate_id = %L
		  AND (payload::text LIKE '%%1961-07-23%%' OR payload::text LIKE '%%4417-PII%%' OR payload::text LIKE '%%5000-PII%%')$$,
		  :'case_id')), '0', 'no onboarding event holds either value in the clear');
SELECT ok(pg_temp.wait_for('the projection of the case', format($$SELECT n = 1 FROM dblink('prj', %L) AS t(n bigint)$$,
		  format($$SELECT count(*) FROM kyc_projections.onboarding_case_projections
				 WHERE case_id = %L AND applicant_first_name = 'Gudrun'$$, :'case_id')), 60),
		  'the projection has the applicant');
SELECT is((SELECT d FROM dblink('prj', format($$SELECT coalesce(applicant_date_of_birth::text, 'none')
		  FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$$, :'case_id')) AS t(d text)), 'none',
		  'and no date of birth in the clear');
SELECT ok(pg_temp.wait_for('the audit log of the id number change', format($$SELECT n >= 2 FROM dblink('aud', %L) AS t(n bigint)$$,
		  format($$SELECT count(*) FROM kyc_auditlog.audit_log_entries
				 WHERE case_id = %L AND entity_type = 'kyc_onboarding.applicants'$$, :'case_id')), 60),
		  'the audit log has the applicant''s insert and update');
SELECT is((SELECT n FROM dblink('aud', format($$SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE case_id = %L
		  AND (new_values::text LIKE '%%1961-07-23%%' OR new_values::text LIKE '%%4417-PII%%'
			   OR coalesce(previous_values::text, '') LIKE '%%4417-PII%%')$$, :'case_id')) AS t(n bigint)), 0::bigint,
		  'no audit entry holds either value in the clear');
SELECT is((SELECT n FROM dblink('aud', format($$SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE case_id = %L
		  AND new_values ->> 'date_of_birth_sealed' LIKE 'pii:v1:date_of_birth:%%'$$, :'case_id')) AS t(n bigint)), 1::bigint,
		  'the insert''s entry holds the sealed date of birth');

-- document_service seals a document's number under its own key for the case.
SELECT d AS document FROM dblink('doc', format($$SELECT kyc_document.register_document(%L, 'Passport', 'passport.pdf',
	'application/pdf', 1000, repeat('b', 64), 's3://tap/pii/passport.pdf', NULL, NULL, 'PX-99177-NO')::text$$, :'case_id'))
	AS t(d text) \gset
SELECT is((SELECT v FROM dblink('doc', format($$SELECT coalesce(document_number, 'null') || ' ' ||
		  split_part(document_number_sealed, ':', 3) || ' ' || kyc_document.reveal(document_number_sealed)
		  FROM kyc_document.documents WHERE id = %L$$, :'document')) AS t(v text)), 'null document_number PX-99177-NO',
		  'document_user registers a document number; it is stored sealed and kyc_document.reveal() opens it');
SELECT is((SELECT v FROM dblink('doc', format($$SELECT count(*)::text FROM kyc_events.outbox
		  WHERE payload::text LIKE '%%PX-99177%%'$$)) AS t(v text)), '0', 'no document_service event holds the number in the clear');
SELECT dblink_disconnect('api');
SELECT dblink_connect('api', :'host' || ' dbname=document_service user=kyc_authenticator');
SELECT ok(pg_temp.wait_for('document_service to learn the case''s partner', format($$SELECT n = 1 FROM dblink('doc', %L) AS t(n bigint)$$,
		  format($$SELECT count(*) FROM kyc_document.documents WHERE case_id = %L$$, :'case_id')), 60)
		  AND pg_temp.wait_for('the partner to see the document', format($$SELECT pg_temp.api(%L, %L) = 'PX-99177-NO'$$,
		  pg_temp.token('kyc_partner', 'tap-pii-a'), format('SELECT document_number FROM api.documents WHERE id = %L', :'document')), 60),
		  'partner A reads its document''s number through api.documents');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-pii-b'), format($q$SELECT kyc_document.reveal(document_number_sealed)
		  FROM kyc_document.documents WHERE id = %L$q$, :'document')), '(none)',
		  'to partner B, partner A''s document is not in the table (row-level security)');
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-pii-b'), format($q$SELECT kyc_document.reveal(%L)$q$,
			 (SELECT v FROM dblink('doc', format('SELECT document_number_sealed FROM kyc_document.documents WHERE id = %L',
			 :'document')) AS t(v text)))), 'ERROR P0002: case % does not exist', 'nor open it when it holds it');
SELECT is(pg_temp.error_of('doc', $$SELECT kyc_document.on_case_forgotten(NULL::kyc_events.event)$$), '42501',
		  'document_user cannot call on_case_forgotten(), the relay''s handler');
SELECT dblink_disconnect('api');
SELECT dblink_connect('api', :'host' || ' dbname=onboarding user=kyc_authenticator');

-- Sealed and verified before the erasure; the hashes of the case's entries.
SELECT ok((SELECT s >= 0 FROM dblink('aud', 'SELECT kyc_auditlog.seal()') AS t(s bigint)), 'the audit log seals');
SELECT d FROM dblink('aud', 'SELECT kyc_auditlog.digest()::text') AS t(d text) \gset
SELECT string_agg(h, ',' ORDER BY h) AS hashes_before FROM dblink('aud', format($$SELECT integrity_hash::text
	FROM kyc_auditlog.audit_log_entries WHERE case_id = %L$$, :'case_id')) AS t(h text) \gset

-- The erasure.
SELECT pg_temp.onb_text(format($$SELECT date_of_birth_sealed FROM kyc_onboarding.applicants WHERE case_id = %L$$,
	:'case_id')) AS sealed_before \gset
SELECT is(pg_temp.onb_error(format($$SELECT kyc_onboarding.forget_subject(%L)$$, :'case_id')), '42501',
		  'onboarding_user cannot forget a subject: one statement could erase every case');
SELECT is((SELECT v FROM dblink('onb_admin', format($$SELECT kyc_onboarding.forget_subject(%L) ->> 'case_id'$$, :'case_id'))
		  AS t(v text)), :'case_id', 'forget_subject() as a superuser');
SELECT is(pg_temp.onb_text(format($$SELECT coalesce(kyc_onboarding.reveal(date_of_birth_sealed), 'unreadable') || ' ' ||
		  coalesce(kyc_onboarding.reveal(national_id_number_sealed), 'unreadable')
		  FROM kyc_onboarding.applicants WHERE case_id = %L$$, :'case_id')), 'unreadable unreadable',
		  'the sealed values no longer open');
SELECT is(pg_temp.onb_text(format($$SELECT date_of_birth_sealed FROM kyc_onboarding.applicants WHERE case_id = %L$$,
		  :'case_id')), :'sealed_before', 'the ciphertext stays where it was');
SELECT is(pg_temp.api(pg_temp.token('kyc_partner', 'tap-pii-a'), format($q$SELECT coalesce(date_of_birth::text, 'forgotten')
		  FROM api.applicants WHERE case_id = %L$q$, :'case_id')), 'forgotten', 'partner A reads it no more either');
SELECT is(pg_temp.onb_error(format($$UPDATE kyc_onboarding.applicants SET date_of_birth = '1961-07-23'
		  WHERE case_id = %L$$, :'case_id')), '55000', 'no new personal data is stored for a forgotten case');
SELECT is(pg_temp.onb_text(format($$SELECT count(*)::text FROM kyc_events.outbox
		  WHERE aggregate_id = %L AND topic = 'case.forgotten'$$, :'case_id')), '1', 'case.forgotten announces it');

SELECT ok(pg_temp.wait_for('document_service to destroy its key', format($$SELECT v = 'unreadable' FROM dblink('doc', %L) AS t(v text)$$,
		  format($$SELECT coalesce(kyc_document.reveal(document_number_sealed), 'unreadable')
				 FROM kyc_document.documents WHERE id = %L$$, :'document')), 60),
		  'case.forgotten destroyed document_service''s key: the document number no longer opens');
SELECT is(pg_temp.error_of('doc', format($$SELECT kyc_document.register_document(%L, 'NationalId', 'id.pdf', 'application/pdf', 10,
		  repeat('c', 64), 's3://tap/pii/id.pdf', NULL, NULL, 'ID-1')$$, :'case_id')), '55000',
		  'nor is a new document number stored for the forgotten case');

-- The audit log: not one entry changed, and the whole chain verifies.
SELECT is((SELECT string_agg(h, ',' ORDER BY h) FROM dblink('aud', format($$SELECT integrity_hash::text
		  FROM kyc_auditlog.audit_log_entries WHERE case_id = %L$$, :'case_id')) AS t(h text)), :'hashes_before',
		  'the case''s audit entries are the ones hashed before');
SELECT is((SELECT count(*) FROM dblink('aud', format('SELECT problem FROM kyc_auditlog.verify(%L)', :'d'))
		  AS t(p text)), 0::bigint, 'kyc_auditlog.verify() finds no problem after the erasure');

-- Through the API, only a compliance officer or an administrator forgets.
SELECT alike(pg_temp.api(pg_temp.token('kyc_partner', 'tap-pii-a'), format($q$SELECT api.forget_subject(%L)::text$q$,
			 :'case_id')), 'ERROR 42501:%', 'a partner cannot call api.forget_subject()');
SELECT is(pg_temp.api(pg_temp.token('kyc_compliance_officer'), format($q$SELECT api.forget_subject(%L) ->> 'requested_by'$q$,
		  :'twin_id')), 'kc-kyc_compliance_officer', 'a compliance officer forgets a subject, recorded as the token''s subject');
SELECT is(pg_temp.onb_text(format($$SELECT coalesce(kyc_onboarding.reveal(date_of_birth_sealed), 'unreadable')
		  FROM kyc_onboarding.applicants WHERE case_id = %L$$, :'twin_id')), 'unreadable', 'and that case''s date of birth is unreadable');

SELECT * FROM finish();
