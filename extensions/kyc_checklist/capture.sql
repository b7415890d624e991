-- Changes to checklists and their items go to the audit log (make provision).
SELECT kyc_events.capture('kyc_checklist.checklists'::pg_catalog.regclass);
SELECT kyc_events.capture('kyc_checklist.checklist_items'::pg_catalog.regclass);
