-- kyc_document in document_service: the schema and defaults, every move of
-- the state machine, every rule and error with its SQLSTATE, the events and
-- their counts, expire_documents(), and document_user's rights.
\c document_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(74);
-- The setting exists once a session has loaded the module.
LOAD 'kyc_document';

-- The schema and the defaults make provision installs.
SELECT has_table('kyc_document', 'documents', 'documents exists');
SELECT has_table('kyc_document', 'allowed_mime_types', 'allowed_mime_types exists');
SELECT col_type_is('kyc_document', 'documents', 'size_bytes', 'bigint', 'size_bytes is bigint');
SELECT col_type_is('kyc_document', 'documents', 'expires_at', 'timestamp with time zone', 'expires_at is timestamptz');
SELECT col_default_is('kyc_document', 'documents', 'status', 'Pending'::text, 'status defaults to Pending');
SELECT results_eq($$SELECT mime_type FROM kyc_document.allowed_mime_types ORDER BY 1$$,
				  ARRAY['application/pdf', 'image/heic', 'image/jpeg', 'image/png', 'image/tiff'],
				  'install_defaults() allowed PDF, HEIC, JPEG, PNG and TIFF');
SELECT is(current_setting('kyc_document.max_size_bytes'), '25MB', 'max_size_bytes defaults to 25MB');
SELECT triggers_are('kyc_document', 'documents',
					ARRAY['allowed_document_type', 'allowed_status', 'document_guard', 'document_uploaded',
						  'document_status_changed', 'kyc_capture', 'kyc_capture_truncate'],
					'the allowed-values checks, the guard, the two event triggers and the audit capture');
SELECT ok((SELECT extconfig @> ARRAY['kyc_document.documents'::regclass::oid,
									 'kyc_document.allowed_mime_types'::regclass::oid]
		   FROM pg_extension WHERE extname = 'kyc_document'),
		  'pg_dump keeps documents and allowed_mime_types');

-- Helper: a new document of case c, brought to status s through the API.
CREATE FUNCTION pg_temp.doc_in(c text, s text, f text DEFAULT 'scan.pdf') RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	d uuid := kyc_document.register_document(c, 'Passport', f, 'application/pdf', 1000,
											 repeat('ab', 32), 's3://tap/' || f);
BEGIN
	IF s IN ('Verified', 'Expired') THEN PERFORM kyc_document.verify_document(d, 'tester'); END IF;
	IF s = 'Rejected' THEN PERFORM kyc_document.reject_document(d, 'test', 'tester'); END IF;
	IF s = 'Expired' THEN UPDATE kyc_document.documents SET status = 'Expired' WHERE id = d; END IF;
	RETURN d;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.doc_in(text, text, text) TO document_user;

SET ROLE document_user;

-- All 16 (from, to) pairs by plain UPDATE: the five arrows are allowed,
-- Pending and Expired again are no-ops, everything else is 55000.
CREATE TEMP TABLE statuses (s text, o int);
INSERT INTO statuses VALUES ('Pending', 1), ('Verified', 2), ('Rejected', 3), ('Expired', 4);
CREATE TEMP TABLE allowed (f text, t text);
INSERT INTO allowed VALUES ('Pending', 'Verified'), ('Pending', 'Rejected'), ('Pending', 'Expired'),
	('Verified', 'Expired'), ('Verified', 'Rejected'), ('Pending', 'Pending'), ('Expired', 'Expired');
SELECT CASE WHEN a.f IS NOT NULL
		THEN lives_ok(format('UPDATE kyc_document.documents SET status = %L%s WHERE id = %L', t.s,
							 CASE WHEN t.s = 'Rejected' THEN ', rejection_reason = ''r''' ELSE '' END,
							 pg_temp.doc_in('TAP-D0', f.s)),
					  format('%s -> %s is allowed', f.s, t.s))
		ELSE throws_ok(format('UPDATE kyc_document.documents SET status = %L%s WHERE id = %L', t.s,
							  CASE WHEN t.s = 'Rejected' THEN ', rejection_reason = ''r''' ELSE '' END,
							  pg_temp.doc_in('TAP-D0', f.s)),
					   '55000', NULL, format('%s -> %s is refused with 55000', f.s, t.s))
	   END
FROM statuses f CROSS JOIN statuses t LEFT JOIN allowed a ON a.f = f.s AND a.t = t.s
ORDER BY f.o, t.o;

-- Registering: every rule with its SQLSTATE, and what is normalised.
SELECT throws_ok($$SELECT kyc_document.register_document(NULL, 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k')$$,
				 '22004', 'case_id must not be null', 'a NULL argument is 22004');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Visa', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k')$$,
				 '23514', 'invalid document_type "Visa" for documents', 'an unknown document type is 23514 naming it');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 63), 's3://b/k')$$,
				 '22P02', 'sha256 must be 64 hexadecimal digits', 'a short sha256 is 22P02');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('z', 64), 's3://b/k')$$,
				 '22P02', 'sha256 must be 64 hexadecimal digits', 'a non-hex sha256 is 22P02');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', 'p.pdf', 'application/pdf', -1, repeat('a', 64), 's3://b/k')$$,
				 '23514', 'size_bytes must not be negative', 'a negative size is 23514');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', 'p.pdf', 'application/pdf', 26214401, repeat('a', 64), 's3://b/k')$$,
				 '23514', 'a document of 26214401 bytes exceeds kyc_document.max_size_bytes',
				 'a size above 25MB is 23514');
SELECT lives_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', 'max.pdf', 'application/pdf', 26214400, repeat('a', 64), 's3://b/k')$$,
				'exactly 25MB is accepted');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', 'p.doc', 'application/msword', 1, repeat('a', 64), 's3://b/k')$$,
				 '22023', 'MIME type "application/msword" is not allowed for documents',
				 'a MIME type allowed_mime_types does not list is 22023');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 'bucket/key')$$,
				 '22023', 'storage_uri must be an absolute URI', 'a relative storage_uri is 22023');
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-D1', 'Passport', ' ', 'application/pdf', 1, repeat('a', 64), 's3://b/k')$$,
				 '23514', 'a document''s file_name must not be blank', 'a blank file_name is 23514');
SELECT throws_ok($$SELECT kyc_document.register_document(repeat('X', 41), 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k')$$,
				 '22001', NULL, 'a case_id over 40 characters is 22001');
SELECT lives_ok($$SELECT kyc_document.register_document('TAP-D1', 'UboDeclaration', 'ubo.PDF', 'Application/PDF', 10, upper(repeat('ab', 32)), 's3://tap/ubo.PDF')$$,
				'uppercase sha256 and MIME type are accepted');
SELECT results_eq($$SELECT sha256, mime_type FROM kyc_document.documents WHERE file_name = 'ubo.PDF'$$,
				  $$VALUES (repeat('ab', 32), 'application/pdf')$$, '... and stored lowercase');

-- Reviewing: every error with its SQLSTATE.
SELECT throws_ok($$SELECT kyc_document.verify_document('00000000-0000-0000-0000-000000000000')$$,
				 'P0002', 'document 00000000-0000-0000-0000-000000000000 does not exist', 'verifying an unknown id is P0002');
SELECT throws_ok($$SELECT kyc_document.reject_document('00000000-0000-0000-0000-000000000000', 'x')$$,
				 'P0002', NULL, 'rejecting an unknown id is P0002');
SELECT throws_ok($$SELECT kyc_document.verify_document(NULL)$$, '22004', NULL, 'a NULL document id is 22004');
SELECT throws_ok(format('SELECT kyc_document.reject_document(%L, NULL)', pg_temp.doc_in('TAP-D2', 'Pending')),
				 '22004', 'reason must not be null', 'a NULL reason is 22004');
SELECT throws_ok(format('SELECT kyc_document.reject_document(%L, %L)', pg_temp.doc_in('TAP-D2', 'Pending', 'blank.pdf'), '  '),
				 '23514', 'rejecting document "blank.pdf" of case TAP-D2 needs a reason', 'a blank reason is 23514');
SELECT throws_ok(format('SELECT kyc_document.verify_document(%L)', pg_temp.doc_in('TAP-D2', 'Verified', 'twice.pdf')),
				 '55000', 'document "twice.pdf" of case TAP-D2 is already Verified', 'verifying twice is 55000');
SELECT throws_ok(format('SELECT kyc_document.verify_document(%L, %L)', pg_temp.doc_in('TAP-D2', 'Pending'), repeat('r', 201)),
				 '22001', 'reviewer is too long', 'a reviewer over 200 bytes is 22001');
SELECT throws_ok(format('SELECT kyc_document.verify_document(%L)',
						kyc_document.register_document('TAP-D2', 'Passport', 'old.pdf', 'application/pdf', 1,
													   repeat('a', 64), 's3://b/k', NULL, now() - interval '1 day')),
				 '55000', 'document "old.pdf" of case TAP-D2 has expired and cannot be verified',
				 'verifying a document past its expires_at is 55000');
SELECT throws_ok(format('UPDATE kyc_document.documents SET rejection_reason = %L WHERE id = %L', 'x', pg_temp.doc_in('TAP-D2', 'Pending')),
				 '23514', 'rejection_reason is only recorded for a Rejected document', 'a reason without rejecting is 23514');
SELECT throws_ok(format('UPDATE kyc_document.documents SET reviewer = %L WHERE id = %L', 'mallory', pg_temp.doc_in('TAP-D2', 'Verified')),
				 '23514', NULL, 'changing the reviewer outside a review is 23514');
SELECT throws_ok(format('UPDATE kyc_document.documents SET expires_at = now() WHERE id = %L', pg_temp.doc_in('TAP-D2', 'Rejected')),
				 '55000', NULL, 'any change to a final document is 55000');
-- Events: one per change, with the case's counts, from the API or a plain UPDATE.
SELECT pg_temp.doc_in('TAP-E1', 'Pending', 'passport.pdf') AS passport \gset
SELECT pg_temp.doc_in('TAP-E1', 'Pending', 'bill.pdf') AS bill \gset
SELECT kyc_document.register_document('TAP-E1', 'CertificateOfIncorporation', 'coi.pdf', 'application/pdf', 5,
									  repeat('c', 64), 's3://tap/coi.pdf') AS coi \gset
SET kyc.actor = 'tap-reviewer';
SELECT kyc_document.verify_document(:'passport');
RESET kyc.actor;
SELECT kyc_document.reject_document(:'bill', 'Unreadable', 'bob');
UPDATE kyc_document.documents SET status = 'Verified' WHERE id = :'coi';
UPDATE kyc_document.documents SET expires_at = now() + interval '1 year' WHERE id = :'coi';
SELECT throws_ok(format('SELECT kyc_document.verify_document(%L)', :'coi'), '55000', NULL,
				 'verifying a Verified document again is refused');
SELECT results_eq($$SELECT topic FROM kyc_events.outbox WHERE aggregate_id = 'TAP-E1' AND topic LIKE 'document.%' ORDER BY id$$,
				  ARRAY['document.uploaded', 'document.uploaded', 'document.uploaded', 'document.verified',
						'document.rejected', 'document.verified'],
				  'each move emits once; a refused change or one that is not a move emits nothing');
SELECT results_eq($$SELECT payload->>'reviewer', payload->>'previous_status', payload->'counts'
					FROM kyc_events.outbox WHERE aggregate_id = 'TAP-E1' AND topic LIKE 'document.%' ORDER BY id$$,
				  $$VALUES (NULL, NULL, '{"Pending": 1, "Verified": 0, "Rejected": 0, "Expired": 0}'::jsonb),
						   (NULL, NULL, '{"Pending": 2, "Verified": 0, "Rejected": 0, "Expired": 0}'),
						   (NULL, NULL, '{"Pending": 3, "Verified": 0, "Rejected": 0, "Expired": 0}'),
						   ('tap-reviewer', 'Pending', '{"Pending": 2, "Verified": 1, "Rejected": 0, "Expired": 0}'),
						   ('bob', 'Pending', '{"Pending": 1, "Verified": 1, "Rejected": 1, "Expired": 0}'),
						   (session_user::text COLLATE "default", 'Pending', '{"Pending": 0, "Verified": 2, "Rejected": 1, "Expired": 0}')$$,
				  'each payload has the reviewer (given, else kyc.actor, else session_user), the previous status and the counts after it');
SELECT ok((SELECT bool_and(payload ?& ARRAY['document_id', 'case_id', 'applicant_id', 'document_type', 'status',
											'previous_status', 'file_name', 'sha256', 'reviewer', 'reason',
											'occurred_at', 'counts'])
		   FROM kyc_events.outbox WHERE aggregate_id = 'TAP-E1' AND topic LIKE 'document.%'),
		  'every payload has every key');
SELECT results_eq($$SELECT payload->>'case_id', payload->>'document_type', payload->>'document_id'
					FROM kyc_events.outbox WHERE aggregate_id = 'TAP-E1' AND topic = 'document.verified' ORDER BY id$$,
				  format($$VALUES ('TAP-E1', 'Passport', %L), ('TAP-E1', 'CertificateOfIncorporation', %L)$$, :'passport', :'coi'),
				  'document.verified carries case_id and document_type for the checklist service');
SELECT is((SELECT payload->>'reason' FROM kyc_events.outbox WHERE aggregate_id = 'TAP-E1' AND topic = 'document.rejected'),
		  'Unreadable', 'document.rejected carries the reason');
SELECT results_eq($$SELECT status, verified_at IS NOT NULL, reviewer FROM kyc_document.documents WHERE case_id = 'TAP-E1' ORDER BY file_name$$,
				  $$VALUES ('Rejected', false, 'bob'), ('Verified', true, session_user::text COLLATE "default"), ('Verified', true, 'tap-reviewer')$$,
				  'the rows agree with the events');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox
		   WHERE topic = 'audit.recorded' AND aggregate_id = 'kyc_document.documents'
			 AND payload->>'case_id' = 'TAP-E1'), 7,
		  'each write is also captured for the audit log');

-- expire_documents(): Pending and Verified past expires_at, set-based.
SELECT kyc_document.register_document('TAP-X1', 'NationalId', 'front.jpg', 'image/jpeg', 5, repeat('1', 64),
									  's3://tap/front.jpg', NULL, now() + interval '1 day') AS front \gset
SELECT kyc_document.register_document('TAP-X1', 'NationalId', 'back.jpg', 'image/jpeg', 5, repeat('2', 64),
									  's3://tap/back.jpg', NULL, now() - interval '1 day') AS back \gset
SELECT kyc_document.verify_document(:'front');
UPDATE kyc_document.documents SET expires_at = now() - interval '1 minute' WHERE id = :'front';
SELECT count(*)::int AS due FROM kyc_document.documents
WHERE status IN ('Pending', 'Verified') AND expires_at <= now() \gset
SELECT is(kyc_document.expire_documents(), :due, 'expire_documents() returns how many it expired');
SELECT results_eq($$SELECT status FROM kyc_document.documents WHERE case_id = 'TAP-X1' ORDER BY file_name$$,
				  ARRAY['Expired', 'Expired'], 'the Pending and the Verified document are Expired');
SELECT results_eq($$SELECT payload->>'previous_status', payload->'counts' FROM kyc_events.outbox
					WHERE aggregate_id = 'TAP-X1' AND topic = 'document.expired' ORDER BY payload->>'file_name'$$,
				  $$VALUES ('Pending', '{"Pending": 0, "Verified": 0, "Rejected": 0, "Expired": 2}'::jsonb),
						   ('Verified', '{"Pending": 0, "Verified": 0, "Rejected": 0, "Expired": 2}')$$,
				  'one document.expired each, with the counts at the end of the statement');
SELECT is(kyc_document.expire_documents(), 0, 'a second run expires nothing');

-- document_user's rights: reads, registers and reviews; never rewrites content.
SELECT table_privs_are('kyc_document', 'documents', 'document_user', ARRAY['SELECT'],
					   'document_user has no table-wide write on documents');
SELECT lives_ok($$INSERT INTO kyc_document.documents (case_id, document_type, file_name, mime_type, size_bytes, sha256, storage_uri)
				  VALUES ('TAP-P1', 'Other', 'note.png', 'image/png', 1, repeat('d', 64), 's3://tap/note.png')$$,
				'document_user can INSERT a document directly');
SELECT throws_ok($$UPDATE kyc_document.documents SET sha256 = repeat('e', 64) WHERE case_id = 'TAP-P1'$$, '42501', NULL,
				 'document_user cannot rewrite sha256');
SELECT throws_ok($$UPDATE kyc_document.documents SET verified_at = now() WHERE case_id = 'TAP-P1'$$, '42501', NULL,
				 'document_user cannot set verified_at');
SELECT throws_ok($$INSERT INTO kyc_document.documents (case_id, document_type, status, file_name, mime_type, size_bytes, sha256, storage_uri)
				   VALUES ('TAP-P1', 'Other', 'Verified', 'n.png', 'image/png', 1, repeat('d', 64), 's3://tap/n.png')$$,
				 '42501', NULL, 'document_user cannot choose the status of a new document');
SELECT throws_ok($$DELETE FROM kyc_document.documents WHERE case_id = 'TAP-P1'$$, '42501', NULL,
				 'document_user cannot delete documents');
SELECT throws_ok($$INSERT INTO kyc_document.allowed_mime_types VALUES ('text/plain', 'x')$$, '42501', NULL,
				 'document_user cannot allow MIME types');
SELECT throws_ok($$SELECT kyc_document.install_defaults()$$, '42501', NULL, 'document_user cannot run install_defaults()');
SELECT throws_ok($$SET kyc_document.max_size_bytes = '1GB'$$, '42501', NULL, 'document_user cannot raise max_size_bytes');
RESET ROLE;

-- What only the owner could try still meets the trigger.
SELECT throws_ok($$UPDATE kyc_document.documents SET sha256 = repeat('e', 64) WHERE case_id = 'TAP-P1'$$, '23514',
				 'column sha256 of document "note.png" of case TAP-P1 cannot be changed', 'content is fixed even for the owner');
SELECT throws_ok($$INSERT INTO kyc_document.documents (case_id, document_type, status, file_name, mime_type, size_bytes, sha256, storage_uri)
				   VALUES ('TAP-P1', 'Other', 'Verified', 'n.png', 'image/png', 1, repeat('d', 64), 's3://tap/n.png')$$,
				 '55000', 'a new document must be Pending, not Verified', 'a new document is Pending even for the owner');
SET LOCAL kyc_document.max_size_bytes = '1kB';
SELECT throws_ok($$SELECT kyc_document.register_document('TAP-P1', 'Other', 'big.pdf', 'application/pdf', 1025, repeat('a', 64), 's3://b/k')$$,
				 '23514', 'a document of 1025 bytes exceeds kyc_document.max_size_bytes', 'a superuser can lower max_size_bytes');
SELECT throws_ok($$SET kyc_document.max_size_bytes = 'huge'$$, '22023', NULL, 'max_size_bytes must be a size');

SELECT * FROM finish();
ROLLBACK;
