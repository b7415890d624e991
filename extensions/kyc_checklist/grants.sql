-- Least privilege for checklist_user on kyc_checklist; run by make
-- provision with psql variable role.  The service creates checklists
-- (create_checklist runs as the owner) and moves items; the counts,
-- percentage and status are the triggers', which run as the owner too.
-- It reads the received events, which only the handlers write.
GRANT USAGE ON SCHEMA kyc_checklist TO :"role";
GRANT SELECT ON kyc_checklist.checklists, kyc_checklist.checklist_items, kyc_checklist.checklist_templates,
	kyc_checklist.template_items, kyc_checklist.document_item_map, kyc_checklist.event_item_map,
	kyc_checklist.received_events TO :"role";
GRANT UPDATE (status, notes, completed_by) ON kyc_checklist.checklist_items TO :"role";
GRANT EXECUTE ON FUNCTION kyc_checklist.create_checklist(text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_checklist.reopen_item(uuid, text) TO :"role";
