-- The onboarding database's domain tables whose every change the audit log
-- records (kyc_events.capture), each with its case's public id, which
-- every row keeps in case_id.  Run by make provision.
SELECT kyc_events.capture('kyc_onboarding.onboarding_cases'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_onboarding.applicants'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_onboarding.addresses'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_onboarding.case_decisions'::pg_catalog.regclass, 'case_id');
