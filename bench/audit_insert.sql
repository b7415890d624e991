-- One audit entry per transaction; bench_audit.sh runs it against each table.
INSERT INTO @TABLE@ (event_type, entity_type, entity_id, case_id, user_id, user_role, action,
	description, previous_values, new_values, ip_address, user_agent, session_id, severity,
	compliance_category, integrity_hash)
VALUES ('case.status_changed', 'Case', 'KYC-20261127-0000000042', 'KYC-20261127-0000000042',
	'reviewer-bob', 'Reviewer', 'Approve', 'Approved after review', '{"status": "PendingReview"}',
	'{"status": "Approved"}', '10.1.2.3', 'onboarding-api/1.0', 'sess-1', 'High', 'KYC', repeat('0', 64));
