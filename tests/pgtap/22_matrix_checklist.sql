-- Role matrix, checklist_service: every function of docs/kyc_checklist.md
-- as checklist_user, with a checklist created, its items completed until
-- the checklist is, and an item reopened; the handler, the defaults and the
-- trigger functions are refused to it.
\c checklist_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(9 + 9 + 1);
CREATE TEMP TABLE t_matrix (id int);
GRANT ALL ON t_matrix TO PUBLIC;

SET ROLE checklist_user;
SELECT kyc_checklist.create_checklist('KYC-MATRIX-C1', 'Individual') AS cl \gset
SELECT isnt(:'cl'::uuid, NULL, 'create_checklist() as checklist_user');
SELECT lives_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'analyst-jane'
						 WHERE checklist_id = %L$$, :'cl'),
				'checklist_user completes every item');
SELECT is((SELECT status FROM kyc_checklist.checklists WHERE id = :'cl'), 'Completed', 'and the checklist is Completed');
SELECT is((SELECT completed_by FROM kyc_checklist.checklist_items WHERE checklist_id = :'cl' AND code = 'proof_of_identity'),
		  'analyst-jane', 'by the name it gave');
SELECT lives_ok(format($$SELECT kyc_checklist.reopen_item(id, 'passport scan unreadable')
						 FROM kyc_checklist.checklist_items WHERE checklist_id = %L AND code = 'proof_of_identity'$$, :'cl'),
				'reopen_item() as checklist_user');
SELECT isnt((SELECT status FROM kyc_checklist.checklists WHERE id = :'cl'), 'Completed', 'the checklist is no longer Completed');
SELECT is(kyc_checklist.completion_percentage(5, 6, 0), 83.33::numeric, 'completion_percentage() as checklist_user');
SELECT ok(kyc_checklist.is_complete(6, 6, 0, 4, 4, 80) AND NOT kyc_checklist.is_complete(5, 6, 0, 4, 3, 80),
		  'is_complete() as checklist_user');
SELECT throws_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'document:forged'
						  WHERE checklist_id = %L AND code = 'proof_of_identity'$$, :'cl'),
				 '42501', NULL, 'checklist_user cannot claim a document completed an item');

SELECT throws_ok($$SELECT kyc_checklist.on_document_verified(ROW('document_service', 1, '1', 'document.verified',
				   'KYC-MATRIX-C1', '{"document_type": "Passport"}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'on_document_verified() is the relay''s: refused to checklist_user');
SELECT throws_ok($$SELECT kyc_checklist.on_case_created(ROW('onboarding', 1, '1', 'case.created',
				   'KYC-MATRIX-C2', '{"case_id": "KYC-MATRIX-C2", "type": "Individual"}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'on_case_created() is the relay''s: refused to checklist_user');
SELECT throws_ok($$SELECT kyc_checklist.on_screening_completed(ROW('risk_service', 1, '1', 'risk.screening_completed',
				   'KYC-MATRIX-C1', '{"case_id": "KYC-MATRIX-C1", "hits": 0}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'on_screening_completed() too');
SELECT throws_ok($$SELECT kyc_checklist.apply_received_events('KYC-MATRIX-C1')$$, '42501', NULL,
				 'apply_received_events() is the owner''s');
SELECT throws_ok($$SELECT kyc_checklist.lock_case('KYC-MATRIX-C1')$$, '42501', NULL, 'lock_case() too');
SELECT throws_ok($$SELECT kyc_checklist.install_defaults()$$, '42501', NULL, 'install_defaults() too');
SELECT throws_ok($$CREATE TRIGGER t BEFORE INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_checklist.item_rules()$$,
				 '42501', NULL, 'item_rules() cannot be attached by checklist_user');
SELECT throws_ok($$CREATE TRIGGER t AFTER INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_checklist.item_counts()$$,
				 '42501', NULL, 'nor item_counts()');
SELECT throws_ok($$DELETE FROM kyc_checklist.checklists$$, '42501', NULL, 'checklist_user cannot delete a checklist');
RESET ROLE;

SELECT lives_ok($$SELECT kyc_checklist.install_defaults()$$, 'install_defaults() as a superuser');

SELECT * FROM finish();
ROLLBACK;
