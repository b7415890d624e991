-- kyc_checklist: checklists from templates, counts kept per item change,
-- the item rules, completion and reopening events, and completion by a
-- verified document.
\set SHOW_CONTEXT never
SELECT kyc_checklist.install_defaults();
SELECT type, required_completion_percentage, count(i.*) AS items, count(i.*) FILTER (WHERE i.is_required) AS required
FROM kyc_checklist.checklist_templates t JOIN kyc_checklist.template_items i USING (type)
GROUP BY type, required_completion_percentage ORDER BY type;

SELECT kyc_checklist.create_checklist('CHK-1', 'Individual') IS NOT NULL AS created;
SELECT i."order", i.code, i.category, i.is_required, i.status FROM kyc_checklist.checklist_items i
JOIN kyc_checklist.checklists c ON c.id = i.checklist_id WHERE c.case_id = 'CHK-1' ORDER BY "order";
CREATE VIEW chk AS
SELECT case_id, status, completion_percentage AS pct, total_items AS total, completed_items AS done,
	   skipped_items AS skipped, required_items AS req, completed_required_items AS req_done,
	   last_transition, completed_at IS NOT NULL AS stamped
FROM kyc_checklist.checklists;
CREATE FUNCTION set_item(c text, code text, s text) RETURNS void LANGUAGE sql AS $$
	UPDATE kyc_checklist.checklist_items i SET status = s
	FROM kyc_checklist.checklists k WHERE k.id = i.checklist_id AND k.case_id = c AND i.code = set_item.code
$$;
SELECT * FROM chk WHERE case_id = 'CHK-1';

-- Each change moves the counts by its own delta.
SET kyc.actor = 'analyst-ann';
SELECT set_item('CHK-1', 'proof_of_identity', 'Completed');
SELECT code, status, completed_by, completed_at IS NOT NULL AS stamped FROM kyc_checklist.checklist_items
WHERE code = 'proof_of_identity';
SELECT set_item('CHK-1', 'liveness_check', 'Skipped');
-- An unknown status names the column, the value and the allowed values.
SELECT set_item('CHK-1', 'proof_of_address', 'Done');
SELECT set_item('CHK-1', 'proof_of_address', 'Completed');
SELECT set_item('CHK-1', 'sanctions_pep_screening', 'Completed');
SELECT * FROM chk WHERE case_id = 'CHK-1';
-- Every required item done, 80% of the counted items: complete, once.
SELECT set_item('CHK-1', 'source_of_funds', 'Completed');
SELECT * FROM chk WHERE case_id = 'CHK-1';
SELECT set_item('CHK-1', 'tax_residency', 'Completed');
SELECT * FROM chk WHERE case_id = 'CHK-1';
-- Every change of the counts is announced: checklist.progressed, and the
-- completion once, as checklist.completed.
SELECT topic, payload->>'status' AS status, payload->>'completion_percentage' AS pct, payload->'counts' AS counts,
	   payload->'item'->>'code' AS item
FROM kyc_events.outbox WHERE aggregate_id = 'CHK-1' ORDER BY id;

-- The rules.
SELECT set_item('CHK-1', 'proof_of_address', 'Skipped');
SELECT set_item('CHK-1', 'proof_of_address', 'Pending');
UPDATE kyc_checklist.checklist_items SET status = 'Pending', notes = '   ' WHERE code = 'proof_of_address';
SELECT kyc_checklist.reopen_item(id, '') FROM kyc_checklist.checklist_items WHERE code = 'proof_of_address';
SELECT kyc_checklist.reopen_item('00000000-0000-0000-0000-000000000000', 'gone');
-- Reopening with a reason reopens the checklist, with an event.
SELECT kyc_checklist.reopen_item(id, 'Bill older than three months')
FROM kyc_checklist.checklist_items WHERE code = 'proof_of_address';
SELECT status, completed_by, notes LIKE '%Bill older than three months' AS reason_kept
FROM kyc_checklist.checklist_items WHERE code = 'proof_of_address';
SELECT * FROM chk WHERE case_id = 'CHK-1';
SELECT topic, payload->>'status' AS status, payload->'item'->>'code' AS item
FROM kyc_events.outbox WHERE aggregate_id = 'CHK-1' AND topic <> 'checklist.progressed' ORDER BY id;
-- A change that moves no count writes nothing to the checklist.
UPDATE kyc_checklist.checklist_items SET notes = notes || ' (customer told)' WHERE code = 'proof_of_address';
SELECT last_transition FROM kyc_checklist.checklists WHERE case_id = 'CHK-1';

-- A verified document completes the items its type satisfies: kyc_document
-- emits document.verified and the relay delivers it to the handler (here
-- through relay_once(), the relay worker's own batch step).
SELECT kyc_checklist.create_checklist('CHK-2', 'Corporate') IS NOT NULL AS created;
SELECT kyc_events.subscribe('chk_documents', format('host=%s port=%s dbname=%s',
	current_setting('unix_socket_directories'), current_setting('port'), current_database()),
	'{document.verified}', 'kyc_checklist.on_document_verified(kyc_events.event)');
SELECT 1 AS mime_types_allowed FROM (SELECT kyc_document.install_defaults()) d;
SELECT kyc_document.register_document('CHK-2', 'CertificateOfIncorporation', 'coi.pdf', 'application/pdf',
	1000, repeat('ab', 32), 's3://chk/coi.pdf') AS coi \gset
SELECT kyc_document.verify_document(:'coi');
SELECT kyc_events.relay_once('chk_documents') AS applied;
SELECT i.code, i.status, i.completed_by = 'document:' || :'coi' AS completed_by_document
FROM kyc_checklist.checklist_items i
JOIN kyc_checklist.checklists c ON c.id = i.checklist_id WHERE c.case_id = 'CHK-2' AND i.status <> 'Pending';
-- The handler refuses a direct call, with a made-up document, whoever calls it.
SELECT kyc_checklist.create_checklist('CHK-4', 'Individual') IS NOT NULL AS created;
SELECT kyc_checklist.on_document_verified(ROW('document_service', 41, '1', 'document.verified', 'CHK-4',
	'{"case_id": "CHK-4", "document_type": "Passport", "document_id": "no-such-document"}',
	'{}', now())::kyc_events.event);
SELECT count(*) AS completed_by_forgery FROM kyc_checklist.checklist_items i
JOIN kyc_checklist.checklists c ON c.id = i.checklist_id WHERE c.case_id = 'CHK-4' AND i.status = 'Completed';
SET client_min_messages = warning;
SELECT kyc_events.unsubscribe('chk_documents');
RESET client_min_messages;
SELECT kyc_events.forget_consumer(name) FROM kyc_events.consumers WHERE name LIKE '%/chk_documents';
DELETE FROM kyc_document.documents WHERE case_id = 'CHK-2';
SELECT * FROM chk WHERE case_id = 'CHK-2';

-- Errors.
\set VERBOSITY terse
SELECT kyc_checklist.create_checklist('CHK-1', 'Trust');
SELECT kyc_checklist.create_checklist('CHK-3', 'Cooperative');
SELECT kyc_checklist.create_checklist(' ', 'Individual');
SELECT kyc_checklist.create_checklist('CHK-3', NULL);
TRUNCATE kyc_checklist.checklist_items;
UPDATE kyc_checklist.checklist_items SET status = NULL WHERE code = 'proof_of_identity';
\set VERBOSITY default
RESET kyc.actor;
DELETE FROM kyc_checklist.checklists WHERE case_id LIKE 'CHK-%';
-- Later tests read the whole outbox.
DELETE FROM kyc_events.outbox WHERE aggregate_id LIKE 'CHK-%';
SELECT count(*) AS items_left FROM kyc_checklist.checklist_items;
DROP VIEW chk;
DROP FUNCTION set_item(text, text, text);
