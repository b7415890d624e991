-- Every function of every pgkyc extension runs with search_path =
-- pg_catalog, pg_temp, so a search_path chosen by a session or a database
-- setting cannot send superuser code to an attacker's operators or types.
-- The review's reproduction: operators and domains in a schema put before
-- pg_catalog, then superuser calls of the extensions' functions.
\set SHOW_CONTEXT never
SET client_min_messages = warning;

-- Functions without a pinned search_path.  A SQL-standard body is bound
-- when it is created, so it needs none; seal_every() and purge_expired()
-- commit, so they cannot have one and name everything with its schema
-- instead.
SELECT e.extname, p.oid::regprocedure AS function, p.prokind
FROM pg_depend d
JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE e.extname LIKE 'kyc\_%' AND p.prosqlbody IS NULL
  AND NOT coalesce(p.proconfig @> '{"search_path=pg_catalog, pg_temp"}', false)
ORDER BY 1, 2;

-- Trigger functions are executable by nobody: CREATE TRIGGER needs EXECUTE.
SELECT e.extname, p.oid::regprocedure AS trigger_function_public
FROM pg_depend d
JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
WHERE e.extname LIKE 'kyc\_%' AND p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
  AND has_function_privilege('public', p.oid, 'EXECUTE')
ORDER BY 1, 2;

-- Attached elsewhere (only a superuser still can), a trigger function
-- refuses to run rather than act as its table's owner on a stranger's rows.
CREATE TEMP TABLE decoy (id int);
CREATE TRIGGER decoy_counts AFTER INSERT ON decoy FOR EACH ROW EXECUTE FUNCTION kyc_checklist.item_counts();
CREATE TRIGGER decoy_events BEFORE INSERT ON decoy FOR EACH ROW EXECUTE FUNCTION kyc_document.document_guard();
\set VERBOSITY terse
INSERT INTO decoy VALUES (1);
DROP TRIGGER decoy_events ON decoy;
INSERT INTO decoy VALUES (1);
\set VERBOSITY default
DROP TABLE decoy;

-- The trap: every use of these operators or types records a hit.
CREATE SCHEMA evil;
CREATE TABLE evil.hits (what text);
CREATE FUNCTION evil.hit(what text) RETURNS boolean LANGUAGE sql
AS $$ INSERT INTO evil.hits VALUES (what) RETURNING true $$;
CREATE FUNCTION evil.ge8(a bigint, b bigint) RETURNS boolean LANGUAGE sql
AS $$ SELECT evil.hit('bigint >=') AND a OPERATOR(pg_catalog.>=) b $$;
CREATE OPERATOR evil.>= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = evil.ge8);
CREATE FUNCTION evil.le8(a bigint, b bigint) RETURNS boolean LANGUAGE sql
AS $$ SELECT evil.hit('bigint <=') AND a OPERATOR(pg_catalog.<=) b $$;
CREATE OPERATOR evil.<= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = evil.le8);
CREATE FUNCTION evil.eqt(a text, b text) RETURNS boolean LANGUAGE sql
AS $$ SELECT evil.hit('text =') AND a OPERATOR(pg_catalog.=) b $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.eqt);
CREATE FUNCTION evil.add4(a integer, b integer) RETURNS integer LANGUAGE sql
AS $$ SELECT CASE WHEN evil.hit('integer +') THEN a OPERATOR(pg_catalog.+) b END $$;
CREATE OPERATOR evil.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.add4);
CREATE FUNCTION evil.mulnum(a numeric, b numeric) RETURNS numeric LANGUAGE sql
AS $$ SELECT CASE WHEN evil.hit('numeric *') THEN a OPERATOR(pg_catalog.*) b END $$;
CREATE OPERATOR evil.* (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.mulnum);
CREATE FUNCTION evil.getk(a jsonb, b text) RETURNS text LANGUAGE sql
AS $$ SELECT CASE WHEN evil.hit('jsonb ->>') THEN a OPERATOR(pg_catalog.->>) b END $$;
CREATE OPERATOR evil.->> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = evil.getk);
CREATE DOMAIN evil.timestamptz AS pg_catalog.timestamptz CHECK (evil.hit('timestamptz'));
CREATE DOMAIN evil.interval AS pg_catalog.interval CHECK (evil.hit('interval'));
CREATE DOMAIN evil.text AS pg_catalog.text CHECK (evil.hit('text'));

-- Data to work on, set up under the ordinary search_path, in a database
-- of its own (make installcheck runs each extension's tests apart).
SELECT kyc_notification.install_default_templates() > 0 AS templates;
SELECT count(*) AS checklist_defaults FROM (SELECT kyc_checklist.install_defaults()) d;
SELECT count(*) AS document_defaults FROM (SELECT kyc_document.install_defaults()) d;
SELECT kyc_auditlog.ensure_partitions() >= 0 AS audit_months;
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "Eve", "last_name": "Mallory", "date_of_birth": "1980-02-03", "nationality": "GB"}') AS case_id \gset

-- The victim: a superuser whose session puts evil first, as ALTER DATABASE
-- ... SET search_path by a database owner did.
SET search_path = evil, pg_catalog, public;
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
VALUES ('case.updated', 'Case', 'SEC-1', 'victim', 'Update', 'KYC');
SELECT kyc_auditlog.seal() IS NOT NULL AS sealed;
SELECT count(*) AS problems FROM kyc_auditlog.verify();
SELECT count(*) AS problems FROM kyc_auditlog.verify(kyc_auditlog.digest(), 1, 2);
-- A digest made on the spot is refused unless verify_min_age is lowered.
SET kyc_auditlog.verify_min_age = 0;
SELECT kyc_auditlog.mark_verified(kyc_auditlog.digest()) IS NOT NULL AS marked;
RESET kyc_auditlog.verify_min_age;
SELECT kyc_auditlog.proof(e.id) IS NOT NULL AS proved
FROM kyc_auditlog.audit_log_entries e WHERE e.entity_id OPERATOR(pg_catalog.=) 'SEC-1';
CALL kyc_auditlog.seal_every('0.01 seconds', '0.02 seconds');
SELECT kyc_checklist.create_checklist('SEC-1', 'Individual') IS NOT NULL AS checklist;
UPDATE kyc_checklist.checklist_items SET status = 'Completed'
WHERE checklist_id OPERATOR(pg_catalog.=) (SELECT c.id FROM kyc_checklist.checklists c
										   WHERE c.case_id OPERATOR(pg_catalog.=) 'SEC-1');
SELECT (kyc_onboarding.transition(:'case_id', 'InProgress', 'victim')).status AS moved;
UPDATE kyc_onboarding.applicants SET last_name = 'Mallory-Smith'
WHERE last_name OPERATOR(pg_catalog.=) 'Mallory';
SELECT kyc_document.register_document('SEC-1', 'Passport', 'p.pdf', 'application/pdf', 1000,
	pg_catalog.repeat('a', 64), 's3://bucket/p.pdf') AS doc_id \gset
SELECT kyc_document.verify_document(:'doc_id', 'victim') IS NULL AS verified;
SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL,
	'{"case": {"case_id": "SEC-1", "status": "InProgress"}}', 'High', 'SEC-1', idempotency_key => 'sec-1') IS NOT NULL AS queued;
SELECT count(*) AS claimed FROM kyc_notification.claim('SMS', 5, 'victim', '1 minute');
SELECT kyc_notification.mark_failed(n.id, 'victim', 'gateway down') AS retried
FROM kyc_notification.notifications n WHERE n.idempotency_key OPERATOR(pg_catalog.=) 'sec-1';
SELECT kyc_notification.sweep() IS NOT NULL AS swept;
CALL kyc_notification.purge_expired(10);
SELECT kyc_notification.stats() IS NOT NULL AS stats;
SELECT (kyc_notification.render('status_update.sms.en', '{"case": {"case_id": "SEC-1", "status": "x"}}')).content AS rendered;
RESET search_path;

-- Nothing of evil ran.
SELECT count(*) AS hits, string_agg(DISTINCT what, ', ') AS what FROM evil.hits;
DROP SCHEMA evil CASCADE;
