-- Changes to documents go to the audit log (make provision).
SELECT kyc_events.capture('kyc_document.documents'::pg_catalog.regclass);
