-- Issue 10 reproduction in document_service, as document_user: a
-- document.verified event for a document that does not exist would complete
-- a case's checklist item.  Only kyc_document's triggers emit document.*.
\c document_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(4);
SET ROLE document_user;

SELECT throws_ok($$SELECT kyc_events.emit('document.verified', 'KYC-TAP-FORGED',
					'{"case_id": "KYC-TAP-FORGED", "document_type": "Passport",
					  "document_id": "00000000-0000-0000-0000-000000000000"}')$$,
				 '42501', 'event topic "document.verified" cannot be emitted through kyc_events.emit()',
				 'document_user cannot emit document.verified');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id = 'KYC-TAP-FORGED'), 0,
		  'nothing reached the outbox');
-- Verifying a real document is how document.verified is emitted.
SELECT lives_ok($$SELECT kyc_document.verify_document(kyc_document.register_document('KYC-TAP-REAL', 'Passport',
					'p.pdf', 'application/pdf', 1000, repeat('ab', 32), 's3://tap/p.pdf'), 'tester')$$,
				'document_user verifies a registered document');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id = 'KYC-TAP-REAL' AND topic = 'document.verified'),
		  1, 'and kyc_document''s trigger emits document.verified');

RESET ROLE;
SELECT * FROM finish();
ROLLBACK;
