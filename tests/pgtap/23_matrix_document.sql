-- Role matrix, document_service: every function of docs/kyc_document.md
-- as document_user, and the table writes it promises: a document
-- registered and verified, one rejected, one inserted and reviewed through
-- plain SQL, and expiry; the defaults are a superuser's.
\c document_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(11 + 3 + 1);
CREATE TEMP TABLE t_matrix (id int);
GRANT ALL ON t_matrix TO PUBLIC;

SET ROLE document_user;
SET LOCAL kyc.actor = 'analyst-jane';
SELECT kyc_document.register_document('KYC-MATRIX-D1', 'Passport', 'passport.pdf', 'application/pdf', 482113,
									  repeat('ab', 32), 's3://kyc-docs/KYC-MATRIX-D1/passport.pdf',
									  expires_at => now() + interval '10 years') AS d1 \gset
SELECT is((SELECT status FROM kyc_document.documents WHERE id = :'d1'), 'Pending', 'register_document() as document_user');
SELECT lives_ok(format($$SELECT kyc_document.verify_document(%L)$$, :'d1'), 'verify_document() as document_user');
SELECT is((SELECT status || ' by ' || reviewer FROM kyc_document.documents WHERE id = :'d1'), 'Verified by analyst-jane',
		  'the document is Verified, by the session''s actor');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE topic = 'document.verified' AND aggregate_id = 'KYC-MATRIX-D1'), 1,
		  'and document.verified is emitted');
SELECT kyc_document.register_document('KYC-MATRIX-D1', 'UtilityBill', 'bill.png', 'image/png', 1000,
									  repeat('cd', 32), 's3://kyc-docs/KYC-MATRIX-D1/bill.png') AS d2 \gset
SELECT lives_ok(format($$SELECT kyc_document.reject_document(%L, 'older than three months', 'officer-bob')$$, :'d2'),
				'reject_document() as document_user');
SELECT is((SELECT status FROM kyc_document.documents WHERE id = :'d2'), 'Rejected', 'the bill is Rejected');
SELECT lives_ok($$INSERT INTO kyc_document.documents (case_id, document_type, file_name, mime_type, size_bytes, sha256,
													  storage_uri, expires_at)
				  VALUES ('KYC-MATRIX-D2', 'NationalId', 'id.jpg', 'image/jpeg', 2000, repeat('ef', 32),
						  's3://kyc-docs/KYC-MATRIX-D2/id.jpg', now() + interval '1 year')$$,
				'document_user inserts a document');
SELECT lives_ok($$UPDATE kyc_document.documents SET status = 'Verified' WHERE case_id = 'KYC-MATRIX-D2'$$,
				'and verifies it with an UPDATE');
SELECT lives_ok($$UPDATE kyc_document.documents SET expires_at = now() - interval '1 second' WHERE case_id = 'KYC-MATRIX-D2'$$,
				'and moves its expiry into the past');
SELECT cmp_ok(kyc_document.expire_documents(), '>=', 1, 'expire_documents() as document_user expires it');
SELECT is((SELECT status FROM kyc_document.documents WHERE case_id = 'KYC-MATRIX-D2'), 'Expired', 'the document is Expired');

SELECT throws_ok($$SELECT kyc_document.install_defaults()$$, '42501', NULL, 'install_defaults() is refused to document_user');
SELECT throws_ok($$SELECT kyc_document.on_case_event(NULL::kyc_events.event)$$, '42501', NULL,
				 'on_case_event(), the relay''s handler, is refused to document_user');
SELECT throws_ok($$CREATE TRIGGER t BEFORE INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_document.document_guard()$$,
				 '42501', NULL, 'document_guard() cannot be attached by document_user');
RESET ROLE;

SELECT lives_ok($$SELECT kyc_document.install_defaults()$$, 'install_defaults() as a superuser');

SELECT * FROM finish();
ROLLBACK;
