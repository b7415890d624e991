-- make provision: roles, databases and least privilege between services.
\c postgres
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;

CREATE TEMP TABLE services (db name, role name, ext name);
INSERT INTO services VALUES
	('onboarding', 'onboarding_user', 'kyc_onboarding'),
	('checklist_service', 'checklist_user', 'kyc_checklist'),
	('risk_service', 'risk_user', 'kyc_risk'),
	('auditlog_service', 'auditlog_user', 'kyc_auditlog'),
	('projections_api', 'projections_user', 'kyc_projections'),
	('notification_service', 'notification_user', 'kyc_notification'),
	('document_service', 'document_user', 'kyc_document');

SELECT plan(7 * 4 + 7 * 7 + 1 + 7 + 2);

SELECT has_role(role::text, format('role %s exists', role)) FROM services;
SELECT isnt_superuser(role::text, format('%s is not a superuser', role)) FROM services;
SELECT ok(EXISTS (SELECT FROM pg_database WHERE datname = db), format('database %s exists', db)) FROM services;
-- Databases belong to the provisioning superuser: an owner could change
-- their settings under superuser code, drop them or lock the relay out.
SELECT db_owner_is(db, 'postgres', format('postgres, not %s, owns %s', role, db)) FROM services;

-- Each service role can connect to its own database and to no other.
SELECT is(has_database_privilege(r.role, d.db, 'CONNECT'), r.db = d.db,
		  format('%s %s connect to %s', r.role, CASE WHEN r.db = d.db THEN 'can' ELSE 'cannot' END, d.db))
FROM services r CROSS JOIN services d ORDER BY r.role, d.db;

SELECT is((SELECT count(*) FROM pg_roles r JOIN services s ON s.role = r.rolname
		   WHERE r.rolcreatedb OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls),
		  0::bigint, 'no service role can create databases or roles, replicate or bypass RLS');

-- The relay's role reaches every service database, and is nothing more.
SELECT ok(has_database_privilege('kyc_relay', db, 'CONNECT'), format('kyc_relay can connect to %s', db))
FROM services;
SELECT isnt_superuser('kyc_relay', 'kyc_relay is not a superuser');
SELECT is((SELECT rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls FROM pg_roles
		   WHERE rolname = 'kyc_relay'), false, 'kyc_relay has no role attributes');

SELECT * FROM finish();
ROLLBACK;
