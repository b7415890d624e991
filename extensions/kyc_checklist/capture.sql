-- Changes to checklists and their items go to the audit log (make provision).
SELECT kyc_events.capture('kyc_checklist.checklists');
SELECT kyc_events.capture('kyc_checklist.checklist_items');
