-- Issue 10 reproductions in checklist_service: checklist_user attached
-- kyc_events.subscription_changed() to its own table, and every commit made
-- the relay reconnect; a hand-made document.verified event given to the
-- handler completed an item.
\c checklist_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(5);
CREATE TEMP TABLE su_scratch (id int);
CREATE TRIGGER subscription_changed AFTER INSERT ON su_scratch
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.subscription_changed();
SELECT lives_ok($$SELECT kyc_checklist.create_checklist('TAP-TOPICS', 'Individual')$$, 'a checklist');

SET ROLE checklist_user;
CREATE TEMP TABLE scratch (id int);
SELECT throws_ok($$CREATE TRIGGER subscription_changed AFTER INSERT ON scratch
				   FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.subscription_changed()$$,
				 '42501', NULL, 'checklist_user cannot attach subscription_changed() to its own table');
SELECT throws_ok($$SELECT kyc_checklist.on_document_verified(ROW('document_service', 1, '1', 'document.verified',
					'TAP-TOPICS', '{"case_id": "TAP-TOPICS", "document_type": "Passport", "document_id": "none"}',
					'{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'checklist_user cannot call the document.verified handler');
RESET ROLE;

-- Even attached by a superuser, the function fires only on kyc_events.subscription.
SELECT throws_ok($$INSERT INTO su_scratch VALUES (1)$$, '39P01',
				 'subscription_changed() must fire as a trigger on kyc_events.subscription',
				 'subscription_changed() refuses to fire on another table');
SELECT is((SELECT count(*)::int FROM kyc_checklist.checklist_items i JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
		   WHERE c.case_id = 'TAP-TOPICS' AND i.status = 'Completed'), 0, 'no item was completed');

SELECT * FROM finish();
ROLLBACK;
