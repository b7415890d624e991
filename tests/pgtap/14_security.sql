-- Issue 10's reproductions, as the service roles that tried them: no
-- service role owns its database, so none can redirect superuser code,
-- lock out or drop its database, or cut the relay off; and no role became
-- a superuser along the way.
\c auditlog_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(31);

-- Finding 1: auditlog_user's steps towards a superuser.
SET ROLE auditlog_user;
SELECT throws_ok($$CREATE SCHEMA evil$$, '42501', NULL,
				 'auditlog_user cannot create a schema for its operators');
SELECT throws_ok($$ALTER DATABASE auditlog_service SET search_path = evil, pg_catalog$$, '42501', NULL,
				 'auditlog_user cannot set its database''s search_path under superuser code');
-- Finding 2: destroying or silencing the audit log.
SELECT throws_ok($$ALTER DATABASE auditlog_service WITH ALLOW_CONNECTIONS false$$, '42501', NULL,
				 'auditlog_user cannot close its database to connections');
SELECT throws_ok($$ALTER DATABASE auditlog_service RENAME TO gone$$, '42501', NULL,
				 'nor rename it');
SELECT throws_ok($$ALTER DATABASE auditlog_service OWNER TO auditlog_user$$, '42501', NULL,
				 'nor take it over');
-- Finding 8: a trigger function attached to the role's own table.
CREATE TEMP TABLE decoy (id int);
SELECT throws_ok($$CREATE TRIGGER decoy BEFORE INSERT ON decoy FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_hash()$$,
				 '42501', NULL, 'auditlog_user cannot attach the extension''s trigger functions to its own table');
RESET ROLE;
SELECT is((SELECT datallowconn FROM pg_database WHERE datname = 'auditlog_service'), true,
		  'auditlog_service still accepts connections');

SET ROLE onboarding_user;
-- A non-owner's REVOKE only warns that nothing was revoked.
SET LOCAL client_min_messages = error;
REVOKE CONNECT ON DATABASE onboarding FROM kyc_relay;
REVOKE CONNECT ON DATABASE onboarding FROM onboarding_user;
RESET client_min_messages;
RESET ROLE;
SELECT ok(has_database_privilege('kyc_relay', 'onboarding', 'CONNECT'),
		  'onboarding_user cannot revoke the relay''s CONNECT on onboarding');
SELECT is((SELECT array_agg(privilege_type ORDER BY privilege_type)
		   FROM aclexplode((SELECT datacl FROM pg_database WHERE datname = 'onboarding'))
		   WHERE grantee = 'onboarding_user'::regrole),
		  ARRAY['CONNECT', 'TEMPORARY']::text[], 'onboarding_user holds CONNECT and TEMPORARY there, nothing more');

-- Finding 8: calls that marked everything verified, or never returned.
-- Only an auditor may call mark_verified() (16_auditlog_verified.sql).
CREATE ROLE tap_auditor IN ROLE kyc_auditor;
SET ROLE tap_auditor;
SELECT throws_ok($$SELECT kyc_auditlog.mark_verified(NULL)$$, '22004', NULL,
				 'mark_verified(NULL) is refused: verified means verified against a digest');
SELECT throws_ok($$SELECT kyc_auditlog.mark_verified('[]')$$, '22023', NULL,
				 'so are digests that name no block');
RESET ROLE;
SELECT throws_ok($$CALL kyc_auditlog.seal_every(NULL, NULL)$$, '22004', NULL,
				 'seal_every(NULL, NULL) is refused rather than looping forever');

-- A role with CONNECT alone is refused everything that holds or changes data.
CREATE ROLE tap_stranger LOGIN;
GRANT CONNECT ON DATABASE auditlog_service TO tap_stranger;
SET ROLE tap_stranger;
SELECT throws_ok(c, '42501', NULL, 'a CONNECT-only role is refused: ' || c)
FROM unnest(ARRAY[
	'SELECT * FROM kyc_auditlog.audit_log_entries',
	$$INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category) VALUES ('x.y', 'T', '1', 'u', 'Create', 'KYC')$$,
	'SELECT * FROM kyc_auditlog.blocks',
	'SELECT * FROM kyc_auditlog.digests',
	'SELECT kyc_auditlog.seal()',
	'SELECT kyc_auditlog.digest()',
	'SELECT * FROM kyc_auditlog.verify()',
	$$SELECT kyc_auditlog.proof('00000000-0000-0000-0000-000000000000')$$,
	$$SELECT kyc_auditlog.mark_verified('{}')$$,
	'SELECT kyc_auditlog.ensure_partitions(1)',
	$$SELECT kyc_events.emit('test.event', 'x', '{}')$$,
	'SELECT * FROM kyc_events.outbox',
	'SELECT * FROM kyc_events.subscriptions',
	'SELECT * FROM kyc_events.subscription']) c;
RESET ROLE;

-- No service role became a superuser, nor can it create roles or databases.
SELECT is((SELECT count(*)::int FROM pg_roles
		   WHERE rolname IN ('onboarding_user', 'checklist_user', 'risk_user', 'auditlog_user',
							 'projections_user', 'notification_user', 'document_user', 'kyc_relay')
			 AND (rolsuper OR rolcreatedb OR rolcreaterole)), 0,
		  'no service role is a superuser or can create roles or databases');
SELECT is((SELECT string_agg(d.datname || ' of ' || r.rolname, ', ') FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
		   WHERE NOT r.rolsuper), 'keycloak of keycloak_user',
		  'every database belongs to a superuser, but Keycloak''s own, for its schema');
SELECT is((SELECT string_agg(d.datname, ', ' ORDER BY d.datname) FROM pg_database d
		   WHERE has_database_privilege('keycloak_user', d.oid, 'CONNECT')
			 AND d.datname IN ('postgres', 'template1', 'keycloak', 'onboarding', 'checklist_service', 'risk_service',
							   'auditlog_service', 'projections_api', 'notification_service', 'document_service')),
		  'keycloak', 'keycloak_user reaches no other database provision made');
-- Nor does a service role own anything in its database.
SELECT is((SELECT count(*)::int FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
		   WHERE r.rolname LIKE '%\_user' AND c.relpersistence <> 't'), 0,
		  'auditlog_user owns no table, view or sequence here');
SELECT is((SELECT count(*)::int FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
		   WHERE r.rolname LIKE '%\_user'), 0, 'nor any schema');

SELECT * FROM finish();
ROLLBACK;
