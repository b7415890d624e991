-- Changes to checklists and their items go to the audit log (make provision),
-- each with its case's public id: a checklist's case_id, an item's by its
-- checklist.
SELECT kyc_events.capture('kyc_checklist.checklists'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_checklist.checklist_items'::pg_catalog.regclass, 'checklist_id',
						  'kyc_checklist.checklists'::pg_catalog.regclass, 'id');
