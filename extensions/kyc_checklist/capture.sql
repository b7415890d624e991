-- Changes to checklists and their items go to the audit log (make provision),
-- each with its case's public id, which an item keeps from its checklist.
SELECT kyc_events.capture('kyc_checklist.checklists'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_checklist.checklist_items'::pg_catalog.regclass, 'case_id');
