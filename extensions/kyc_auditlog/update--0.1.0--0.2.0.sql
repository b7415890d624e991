/* kyc_auditlog 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_auditlog UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- 0.1.0's three allowed_values() triggers on audit_log_entries: entry_hash()
-- checks the same lists itself now, so that an insert runs one trigger, not
-- four.  The library no longer has allowed_values(), which was left
-- unpointed above; the three triggers, and their clones on the partitions,
-- are all that depend on it, and go with it in one statement, so that no
-- audit insert fires one of them without its code.  The audit DDL guard
-- allows the drop in maintenance mode only, and records it in the audit
-- log, as it does any change to audit objects; make provision updates as
-- a superuser.
SELECT pg_catalog.set_config('kyc_auditlog.maintenance', 'on', true);
DROP FUNCTION kyc_auditlog.allowed_values() CASCADE;
SELECT pg_catalog.set_config('kyc_auditlog.maintenance', 'off', true);

-- @install

-- The CHECK on integrity_hash calls is_sha256_hex() (created just above),
-- not a regular expression, which cost more than the row hash on every
-- insert.  Re-adding it checks every stored hash once, in maintenance mode
-- for the DDL guard, as above.
SELECT pg_catalog.set_config('kyc_auditlog.maintenance', 'on', true);
ALTER TABLE kyc_auditlog.audit_log_entries
	DROP CONSTRAINT audit_log_entries_integrity_hash_check,
	ADD CONSTRAINT audit_log_entries_integrity_hash_check CHECK (kyc_auditlog.is_sha256_hex(integrity_hash));
SELECT pg_catalog.set_config('kyc_auditlog.maintenance', 'off', true);

-- The install script's part also made a new table, verify_runs.  The row
-- encoding is unchanged: sealed entries verify as before.
