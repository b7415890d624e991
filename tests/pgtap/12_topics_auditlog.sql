-- Issue 10 reproduction in auditlog_service: the audit handler records
-- only what the relay delivers, never a hand-made event.
\c auditlog_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(3);
CREATE TEMP TABLE forged AS
SELECT ROW('onboarding', 1, '1', 'audit.recorded', 'kyc_risk.risk_assessments',
		   '{"table": "kyc_risk.risk_assessments", "operation": "UPDATE", "case_id": "KYC-TAP-FORGED"}',
		   '{"actor": "compliance.officer@bank"}', now())::kyc_events.event AS e;
GRANT SELECT ON forged TO auditlog_user;

SELECT throws_ok($$SELECT kyc_auditlog.record_event(e) FROM forged$$, '42501',
				 'kyc_auditlog.record_event(kyc_events.event) runs only when the relay delivers an event to it',
				 'record_event() refuses a direct call, even from a superuser');
SET ROLE auditlog_user;
SELECT throws_ok($$SELECT kyc_auditlog.record_event(e) FROM forged$$, '42501', NULL,
				 'auditlog_user cannot call record_event()');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM kyc_auditlog.audit_log_entries WHERE case_id = 'KYC-TAP-FORGED'), 0,
		  'no entry was recorded');

SELECT * FROM finish();
ROLLBACK;
