/* kyc_auditlog 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_auditlog UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- 0.1.0's three allowed_values() triggers on audit_log_entries: entry_hash()
-- checks the same lists itself now, so that an insert runs one trigger, not
-- four.  The library no longer has allowed_values(), which was left
-- unpointed above.  The three triggers, and their clones on the
-- partitions, go with it in one statement, so that no audit insert fires
-- one of them without its code; anything else that uses it stops the
-- update, rather than being dropped unseen.  The audit DDL guard allows the
-- drop in maintenance mode only, and records it in the audit log, as it
-- does any change to audit objects; make provision updates as a superuser.
DO $drop$
DECLARE
	was text := pg_catalog.current_setting('kyc_auditlog.maintenance');
	other text;
BEGIN
	SELECT pg_catalog.string_agg(pg_catalog.format('%s on %s', t.tgname, t.tgrelid::pg_catalog.regclass), ', ')
	INTO other
	FROM pg_catalog.pg_depend d
	LEFT JOIN pg_catalog.pg_trigger t ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_trigger'::pg_catalog.regclass
		AND t.oid OPERATOR(pg_catalog.=) d.objid
	WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
	  AND d.refobjid OPERATOR(pg_catalog.=) 'kyc_auditlog.allowed_values()'::pg_catalog.regprocedure
	  AND d.deptype OPERATOR(pg_catalog.=) 'n'
	  AND NOT (t.tgname OPERATOR(pg_catalog.=) ANY (ARRAY['allowed_action', 'allowed_severity', 'allowed_compliance_category'])
			   AND (t.tgrelid OPERATOR(pg_catalog.=) 'kyc_auditlog.audit_log_entries'::pg_catalog.regclass
					OR t.tgrelid OPERATOR(pg_catalog.=) ANY (
						SELECT i.inhrelid FROM pg_catalog.pg_inherits i
						WHERE i.inhparent OPERATOR(pg_catalog.=) 'kyc_auditlog.audit_log_entries'::pg_catalog.regclass)));
	IF other IS NOT NULL OR EXISTS (
		SELECT FROM pg_catalog.pg_depend d
		WHERE d.refobjid OPERATOR(pg_catalog.=) 'kyc_auditlog.allowed_values()'::pg_catalog.regprocedure
		  AND d.deptype OPERATOR(pg_catalog.=) 'n'
		  AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_trigger'::pg_catalog.regclass) THEN
		RAISE EXCEPTION 'kyc_auditlog.allowed_values() is used by more than the audit table''s three triggers: %',
			pg_catalog.coalesce(other, 'an object that is not a trigger')
			USING HINT = 'Drop what else uses it, then update again.';
	END IF;
	PERFORM pg_catalog.set_config('kyc_auditlog.maintenance', 'on', true);
	DROP FUNCTION kyc_auditlog.allowed_values() CASCADE;
	PERFORM pg_catalog.set_config('kyc_auditlog.maintenance', was, true);
END
$drop$;

-- @install

-- The CHECK on integrity_hash calls is_sha256_hex() (created just above),
-- not a regular expression, which cost more than the row hash on every
-- insert.  Re-adding it checks every stored hash once, in maintenance mode
-- for the DDL guard, as above.
DO $check$
DECLARE
	was text := pg_catalog.current_setting('kyc_auditlog.maintenance');
BEGIN
	PERFORM pg_catalog.set_config('kyc_auditlog.maintenance', 'on', true);
	ALTER TABLE kyc_auditlog.audit_log_entries
		DROP CONSTRAINT audit_log_entries_integrity_hash_check,
		ADD CONSTRAINT audit_log_entries_integrity_hash_check CHECK (kyc_auditlog.is_sha256_hex(integrity_hash));
	PERFORM pg_catalog.set_config('kyc_auditlog.maintenance', was, true);
END
$check$;

-- The install script's part also made a new table, verify_runs.  The row
-- encoding is unchanged: sealed entries verify as before.
