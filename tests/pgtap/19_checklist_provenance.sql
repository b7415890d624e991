-- Issue 10 follow-up, as checklist_user: the review completed every
-- required item with completed_by = 'document:<uuid>' and a note copied
-- from the document handler, so the checklist read as document-verified.
-- The document: prefix is on_document_verified()'s alone.
\c checklist_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(9);

SET SESSION AUTHORIZATION checklist_user;
SELECT kyc_checklist.create_checklist('TAP-PROVENANCE', 'Individual') AS cl \gset

SELECT throws_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed',
						  completed_by = 'document:00000000-0000-0000-0000-000000000000',
						  notes = 'Completed by verified Passport document 00000000-0000-0000-0000-000000000000 (event 1 of document_service)'
						  WHERE checklist_id = %L AND is_required$$, :'cl'),
				 '42501', 'completed_by "document:00000000-0000-0000-0000-000000000000" is reserved for verified documents',
				 'checklist_user cannot claim a verified document completed an item');
SELECT throws_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = '  Document:x'
						  WHERE checklist_id = %L AND code = 'proof_of_identity'$$, :'cl'),
				 '42501', NULL, 'nor in another case or behind blanks');
SELECT throws_ok(format($$UPDATE kyc_checklist.checklist_items SET completed_by = 'document:x'
						  WHERE checklist_id = %L AND code = 'proof_of_identity'$$, :'cl'),
				 '42501', NULL, 'nor on a Pending item');
-- Issue 12: the screening: prefix says a sanctions and PEP screening of
-- risk_service completed the item; it is on_screening_completed()'s alone.
SELECT throws_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'screening:42'
						  WHERE checklist_id = %L AND code = 'sanctions_pep_screening'$$, :'cl'),
				 '42501', 'completed_by "screening:42" is reserved for sanctions and PEP screenings',
				 'checklist_user cannot claim a screening completed the screening item');
SELECT throws_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = ' SCREENING:42'
						  WHERE checklist_id = %L AND code = 'source_of_funds'$$, :'cl'),
				 '42501', NULL, 'nor any item, in another case or behind blanks');
SELECT is((SELECT count(*)::int FROM kyc_checklist.checklist_items
		   WHERE checklist_id = :'cl' AND (status <> 'Pending' OR completed_by IS NOT NULL)), 0,
		  'no item was completed');

-- A person still completes items, under their own name or the session's actor.
SELECT lives_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'analyst-jane'
						 WHERE checklist_id = %L AND code = 'proof_of_identity'$$, :'cl'),
				'checklist_user completes an item in a person''s name');
SELECT lives_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed'
						 WHERE checklist_id = %L AND code = 'proof_of_address'$$, :'cl'),
				'or in the session actor''s');
SELECT results_eq(format($$SELECT code, completed_by::text FROM kyc_checklist.checklist_items
						   WHERE checklist_id = %L AND status = 'Completed' ORDER BY code$$, :'cl'),
				  $$VALUES ('proof_of_address', 'checklist_user'), ('proof_of_identity', 'analyst-jane')$$,
				  'completed_by names the person');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
