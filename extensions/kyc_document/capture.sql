-- Changes to documents go to the audit log (make provision), with their
-- case_id.
SELECT kyc_events.capture('kyc_document.documents'::pg_catalog.regclass, 'case_id');
