-- The allowed-values triggers (kyc_allowed.c) and the CHECK constraints
-- behind them list the same values, in every service database: a value
-- added to one list and not the other would be refused by the CHECK with
-- PostgreSQL's message, or named as allowed by a hint the CHECK then
-- contradicts.  Every CHECK (column IN (...)) has its trigger, so no seed
-- value fails with "violates check constraint ... Failing row contains".
-- kyc_auditlog's lists are its row hash trigger's, read from its hints.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(4);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset

-- In one database: each trigger's (table, column, sorted values), and each
-- single-column IN-list CHECK's.
CREATE FUNCTION pg_temp.lists(db text) RETURNS TABLE (source text, tab text, col text, vals text[])
LANGUAGE sql AS $$
	SELECT * FROM dblink(format('%s dbname=%s', current_setting('pgtap.host'), db), $q$
		SELECT 'trigger', t.tgrelid::regclass::text, a[1], (SELECT array_agg(v ORDER BY v) FROM unnest(a[2:]) v WHERE v <> '')
		FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid,
			 LATERAL string_to_array(encode(t.tgargs, 'escape'), '\000') a
		WHERE p.proname = 'allowed_values' AND NOT t.tgisinternal
		UNION ALL
		SELECT 'check', c.conrelid::regclass::text, att.attname::text,
			   (SELECT array_agg(m[1] ORDER BY m[1]) FROM regexp_matches(pg_get_constraintdef(c.oid), '''([^'']*)''', 'g') m)
		FROM pg_constraint c JOIN pg_attribute att ON att.attrelid = c.conrelid AND att.attnum = c.conkey[1]
		WHERE c.contype = 'c' AND cardinality(c.conkey) = 1 AND c.conrelid <> 0
		  AND pg_get_constraintdef(c.oid) LIKE '%= ANY (ARRAY[%'
		  AND c.connamespace::regnamespace::text LIKE 'kyc\_%'
	$q$) AS t(source text, tab text, col text, vals text[])
$$;
SELECT set_config('pgtap.host', :'host', false);
CREATE TEMP TABLE lists AS
SELECT d.db, l.* FROM unnest(ARRAY['onboarding', 'checklist_service', 'risk_service', 'auditlog_service',
								   'document_service', 'notification_service', 'projections_api']) d(db),
	 LATERAL pg_temp.lists(d.db) l;
-- kyc_auditlog's row hash trigger holds its three lists in C, so that an
-- insert runs one trigger: read them back from the hint it gives for a
-- value no list has, for each table it fires on.  Every insert fails, so
-- nothing is written.
INSERT INTO lists
SELECT 'auditlog_service', 'trigger', t.tab, t.col, t.vals
FROM dblink(format('%s dbname=auditlog_service', :'host'), $q$
	CREATE FUNCTION pg_temp.entry_hash_lists() RETURNS TABLE (col text, vals text[]) LANGUAGE plpgsql AS $f$
	DECLARE
		hint text;
	BEGIN
		FOREACH col IN ARRAY ARRAY['action', 'compliance_category', 'severity'] LOOP
			hint := NULL;
			BEGIN
				INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id,
															action, severity, compliance_category)
				VALUES ('tap.allowed', 'Test', '1', 'tap', CASE col WHEN 'action' THEN 'Nope' ELSE 'Create' END,
						CASE col WHEN 'severity' THEN 'Nope' ELSE 'Low' END,
						CASE col WHEN 'compliance_category' THEN 'Nope' ELSE 'KYC' END);
				RAISE EXCEPTION 'an audit entry with % Nope was accepted', col;
			EXCEPTION WHEN check_violation THEN
				GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
			END;
			vals := (SELECT array_agg(v ORDER BY v)
					 FROM unnest(string_to_array(rtrim(split_part(hint, ': ', 2), '.'), ', ')) v);
			RETURN NEXT;
		END LOOP;
	END $f$;
	SELECT tr.tgrelid::regclass::text, l.*
	FROM pg_trigger tr, pg_temp.entry_hash_lists() l
	WHERE tr.tgfoid = 'kyc_auditlog.entry_hash'::regproc
$q$) AS t(tab text, col text, vals text[]);

SELECT cmp_ok((SELECT count(*) FROM lists WHERE source = 'trigger'), '>=', 14::bigint,
			  'the service databases have their allowed-values triggers');
SELECT is(ARRAY(SELECT format('%s %s.%s: %s', t.db, t.tab, t.col, t.vals) FROM lists t WHERE t.source = 'trigger'
				AND NOT EXISTS (SELECT FROM lists c WHERE c.source = 'check' AND (c.db, c.tab, c.col, c.vals) = (t.db, t.tab, t.col, t.vals))
				ORDER BY 1),
		  '{}'::text[], 'every allowed-values trigger lists exactly its CHECK constraint''s values');
-- Columns no person writes, or whose own guard names the allowed values
-- first, need no trigger.
CREATE TEMP TABLE exempt (db text, tab text, col text, why text);
INSERT INTO exempt VALUES
	('auditlog_service', 'kyc_auditlog.maintenance_locks', 'lock_name', 'written by the extension''s jobs only'),
	('checklist_service', 'kyc_checklist.checklists', 'status', 'kept by the item_counts trigger; no role may write it'),
	('checklist_service', 'kyc_checklist.checklists', 'last_transition', 'kept by the item_counts trigger'),
	('checklist_service', 'kyc_checklist.received_events', 'topic', 'written by the event handlers only'),
	('onboarding', 'kyc_onboarding.onboarding_cases', 'status', 'case_state_guard: 23514 naming the allowed next states'),
	('onboarding', 'kyc_onboarding.case_contributors', 'contribution', 'written by the case triggers only; no role may write it'),
	('risk_service', 'kyc_risk.factor_changes', 'operation', 'written by the factor triggers only');
SELECT is(ARRAY(SELECT format('%s %s.%s: %s', c.db, c.tab, c.col, c.vals) FROM lists c WHERE c.source = 'check'
				AND NOT EXISTS (SELECT FROM lists t WHERE t.source = 'trigger' AND (t.db, t.tab, t.col) = (c.db, c.tab, c.col))
				AND NOT EXISTS (SELECT FROM exempt e WHERE (e.db, e.tab, e.col) = (c.db, c.tab, c.col))
				ORDER BY 1),
		  '{}'::text[], 'every CHECK (column IN (...)) a person writes has an allowed-values trigger');
SELECT is((SELECT count(DISTINCT db)::int FROM lists WHERE source = 'trigger'), 6,
		  'onboarding, checklist, risk, audit log, document and notification services all use them');
SELECT * FROM finish();
