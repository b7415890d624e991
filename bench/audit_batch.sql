-- 1,000 audit entries in one INSERT ... SELECT; bench_audit.sh runs it against each table.
INSERT INTO @TABLE@ (event_type, entity_type, entity_id, case_id, user_id, user_role, action,
	description, previous_values, new_values, ip_address, user_agent, session_id, severity,
	compliance_category, integrity_hash)
SELECT 'case.status_changed', 'Case', 'KYC-20261127-' || g, 'KYC-20261127-' || g,
	'reviewer-' || (g % 7), 'Reviewer', 'Approve', 'Approved after review',
	'{"status": "PendingReview"}', jsonb_build_object('status', 'Approved', 'n', g),
	'10.1.2.3', 'onboarding-api/1.0', 'sess-1', 'High', 'KYC', repeat('0', 64)
FROM generate_series(1, 1000) g;
