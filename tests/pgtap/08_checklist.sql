-- kyc_checklist in checklist_service: templates, create_checklist(), the
-- O(1) counts, the item rules, completion and reopening events, completion
-- by document, checklist_user's rights, and every error with its SQLSTATE.
\c checklist_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(41);

SELECT has_table('kyc_checklist', 'checklists', 'checklists exists');
SELECT has_table('kyc_checklist', 'checklist_items', 'checklist_items exists');
SELECT col_type_is('kyc_checklist', 'checklists', 'completion_percentage', 'numeric(5,2)', 'completion_percentage is numeric');
SELECT results_eq($$SELECT type FROM kyc_checklist.checklist_templates ORDER BY type$$,
				  ARRAY['Corporate', 'Individual', 'Partnership', 'Trust'], 'a template per entity type');
SELECT ok((SELECT bool_and(category IN ('Identity', 'Address', 'Financial', 'Compliance', 'Documentation'))
		   FROM kyc_checklist.template_items), 'every template item has a seed category');
SELECT ok(EXISTS (SELECT FROM kyc_checklist.template_items WHERE type = 'Corporate' AND code = 'ubo_declaration'
				  AND is_required AND description LIKE '%25%%'), 'a Corporate checklist asks for every 25% owner');

-- create_checklist() copies the template.
SELECT lives_ok($$SELECT kyc_checklist.create_checklist('TAP-C1', 'Corporate')$$, 'create_checklist()');
SELECT results_eq($$SELECT total_items, required_items, completed_items, required_completion_percentage, status
					FROM kyc_checklist.checklists WHERE case_id = 'TAP-C1'$$,
				  $$VALUES (9, 8, 0, 85.00::numeric, 'InProgress')$$,
				  'counts and the required percentage come from the template');
SELECT is(kyc_checklist.create_checklist('TAP-C1', 'Corporate'),
		  (SELECT id FROM kyc_checklist.checklists WHERE case_id = 'TAP-C1'),
		  'asked again for the same type, create_checklist() returns the existing checklist');
SELECT throws_ok($$SELECT kyc_checklist.create_checklist('TAP-C1', 'Trust')$$, '23505',
				 'case TAP-C1 already has a checklist of type Corporate', 'one checklist per case');
SELECT throws_ok($$SELECT kyc_checklist.create_checklist('TAP-C2', 'Club')$$, 'P0002', NULL, 'an unknown type is refused');
SELECT throws_ok($$SELECT kyc_checklist.create_checklist('', 'Trust')$$, '22023', NULL, 'an empty case id is refused');

-- The counts follow each change.
CREATE TEMP TABLE ids AS
SELECT i.code, i.id FROM kyc_checklist.checklist_items i JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
WHERE c.case_id = 'TAP-C1';
UPDATE kyc_checklist.checklist_items SET status = 'Completed' WHERE id IN (SELECT id FROM ids WHERE code <> 'nature_of_business');
SELECT results_eq($$SELECT completed_items, completed_required_items, completion_percentage, status, completed_at IS NOT NULL
					FROM kyc_checklist.checklists WHERE case_id = 'TAP-C1'$$,
				  $$VALUES (8, 8, 88.89::numeric, 'Completed', true)$$,
				  'every required item and 88.89% >= 85%: Completed, stamped');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id = 'TAP-C1' AND topic = 'checklist.completed'), 1,
		  'checklist.completed emitted once');
SELECT is((SELECT payload->'counts' FROM kyc_events.outbox WHERE aggregate_id = 'TAP-C1' AND topic = 'checklist.completed'),
		  '{"total": 9, "skipped": 0, "required": 8, "completed": 8, "completed_required": 8}'::jsonb,
		  'with the counts');
UPDATE kyc_checklist.checklist_items SET status = 'Skipped' WHERE id = (SELECT id FROM ids WHERE code = 'nature_of_business');
SELECT results_eq($$SELECT skipped_items, completion_percentage, status FROM kyc_checklist.checklists WHERE case_id = 'TAP-C1'$$,
				  $$VALUES (1, 100.00::numeric, 'Completed')$$, 'a skipped optional item leaves the percentage''s base');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id = 'TAP-C1' AND topic = 'checklist.completed'), 1,
		  'staying complete announces nothing');

-- The rules.
SELECT throws_ok($$UPDATE kyc_checklist.checklist_items SET status = 'Skipped' WHERE id = (SELECT id FROM ids WHERE code = 'ubo_declaration')$$,
				 '23514', NULL, 'a required item cannot be skipped');
SELECT throws_ok($$UPDATE kyc_checklist.checklist_items SET status = 'Pending' WHERE id = (SELECT id FROM ids WHERE code = 'ubo_declaration')$$,
				 '23514', NULL, 'Completed to Pending needs a reason');
SELECT throws_ok($$SELECT kyc_checklist.reopen_item((SELECT id FROM ids WHERE code = 'ubo_declaration'), ' ')$$,
				 '22023', NULL, 'a blank reason is refused');
SELECT throws_ok($$SELECT kyc_checklist.reopen_item(gen_random_uuid(), 'why')$$, 'P0002', NULL, 'an unknown item is refused');
SELECT throws_ok($$TRUNCATE kyc_checklist.checklist_items$$, '0A000', NULL, 'TRUNCATE of items is refused');
SELECT lives_ok($$SELECT kyc_checklist.reopen_item((SELECT id FROM ids WHERE code = 'ubo_declaration'), 'A 30% owner was missing')$$,
				'reopen_item() with a reason');
SELECT results_eq($$SELECT status, completed_at IS NULL, completed_required_items FROM kyc_checklist.checklists WHERE case_id = 'TAP-C1'$$,
				  $$VALUES ('InProgress', true, 7)$$, 'the checklist goes back to InProgress');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id = 'TAP-C1' AND topic = 'checklist.reopened'), 1,
		  'checklist.reopened emitted');
SELECT ok((SELECT notes LIKE '%A 30% owner was missing%' FROM kyc_checklist.checklist_items
		   WHERE id = (SELECT id FROM ids WHERE code = 'ubo_declaration')), 'the reason is kept in notes');
UPDATE kyc_checklist.checklist_items SET status = 'Completed' WHERE id = (SELECT id FROM ids WHERE code = 'ubo_declaration');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE aggregate_id = 'TAP-C1' AND topic = 'checklist.completed'), 2,
		  'each completion is announced once');

-- Deleting an item moves the counts too.
DELETE FROM kyc_checklist.checklist_items WHERE id = (SELECT id FROM ids WHERE code = 'nature_of_business');
SELECT results_eq($$SELECT total_items, skipped_items FROM kyc_checklist.checklists WHERE case_id = 'TAP-C1'$$,
				  $$VALUES (8, 0)$$, 'a deleted item leaves the counts');

-- Completion by a verified document, through the mapping table.
SELECT is((SELECT topics::text || ' ' || handler::text FROM kyc_events.subscription WHERE name = 'documents_verified'),
		  '{document.verified} kyc_checklist.on_document_verified(kyc_events.event)',
		  'make provision subscribes the checklists to verified documents');
SELECT lives_ok($$SELECT kyc_checklist.create_checklist('TAP-C3', 'Individual')$$, 'an Individual checklist');
-- Only the relay runs the handler (tests/tap/t/006_document_checklist.pl
-- follows a verified document there); a direct call is refused.
SELECT throws_ok($$SELECT kyc_checklist.on_document_verified(ROW('document_service', 7, '1', 'document.verified', 'TAP-C3',
					'{"case_id": "TAP-C3", "document_type": "Passport", "document_id": "d-1"}', '{}', now())::kyc_events.event)$$,
				 '42501', NULL, 'the document.verified handler refuses a direct call');
SELECT is((SELECT i.status FROM kyc_checklist.checklist_items i JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
		   WHERE c.case_id = 'TAP-C3' AND i.code = 'proof_of_identity'), 'Pending', 'proof of identity stays Pending');
SELECT is((SELECT completed_items FROM kyc_checklist.checklists WHERE case_id = 'TAP-C3'), 0, 'and nothing is counted');

-- checklist_user: creates checklists and moves items; counts are the trigger's.
SET ROLE checklist_user;
SELECT lives_ok($$SELECT kyc_checklist.create_checklist('TAP-C4', 'Trust')$$, 'checklist_user creates a checklist');
SELECT lives_ok($$UPDATE kyc_checklist.checklist_items i SET status = 'Completed' FROM kyc_checklist.checklists c
				  WHERE c.id = i.checklist_id AND c.case_id = 'TAP-C4' AND i.code = 'trust_deed'$$,
				'checklist_user completes an item');
SELECT throws_ok($$UPDATE kyc_checklist.checklists SET status = 'Completed'$$, '42501', NULL,
				 'checklist_user cannot set a checklist''s status');
SELECT throws_ok($$UPDATE kyc_checklist.checklist_items SET status = NULL WHERE code = 'trust_deed'$$, '23502', NULL,
				 'a NULL status is refused before the rules see it');
SELECT throws_ok($$CREATE SCHEMA tap_evil$$, '42501', NULL,
				 'checklist_user cannot create a schema: it does not own its database');
-- Were there a schema it could write, its operators still would not run as the owner.
RESET ROLE;
CREATE SCHEMA tap_evil;
CREATE TABLE tap_evil.seen (who name);
CREATE FUNCTION tap_evil.plus(integer, integer) RETURNS integer LANGUAGE sql
AS $$ INSERT INTO tap_evil.seen VALUES (current_user); SELECT $1 OPERATOR(pg_catalog.+) $2 $$;
CREATE OPERATOR tap_evil.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = tap_evil.plus);
GRANT USAGE ON SCHEMA tap_evil TO checklist_user;
GRANT SELECT, INSERT ON tap_evil.seen TO checklist_user;
SET ROLE checklist_user;
SET search_path = tap_evil, pg_catalog, public;
UPDATE kyc_checklist.checklist_items i SET status = 'Completed' FROM kyc_checklist.checklists c
WHERE c.id = i.checklist_id AND c.case_id = 'TAP-C4' AND i.code = 'settlor_identity';
RESET search_path;
SELECT is((SELECT count(*)::int FROM tap_evil.seen WHERE who <> 'checklist_user'), 0,
		  'the counts trigger does not run the session''s operators as the owner');
RESET ROLE;

-- A case id may hold a double quote and a backslash: the counts event is
-- built as jsonb, never printed, so it carries the id exactly.
SET ROLE checklist_user;
SELECT create_checklist AS quoted_id FROM kyc_checklist.create_checklist(E'TAP-"C5\\', 'Individual') \gset
UPDATE kyc_checklist.checklist_items SET status = 'Completed'
WHERE checklist_id = :'quoted_id' AND code = 'proof_of_identity';
RESET ROLE;
SELECT is((SELECT payload->>'case_id' FROM kyc_events.outbox
		   WHERE topic = 'checklist.progressed' AND payload->>'checklist_id' = :'quoted_id'
			 AND payload->'item'->>'status' = 'Completed'),
		  E'TAP-"C5\\', 'the checklist.progressed payload carries a case id with a quote and a backslash');
SELECT is((SELECT payload->'counts'->'completed' FROM kyc_events.outbox
		   WHERE topic = 'checklist.progressed' AND payload->>'checklist_id' = :'quoted_id'
			 AND payload->'item'->>'status' = 'Completed'),
		  '1'::jsonb, 'and the count that moved');

SELECT * FROM finish();
ROLLBACK;
