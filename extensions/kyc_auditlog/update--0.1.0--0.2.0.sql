/* kyc_auditlog 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_auditlog UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- Only a new table, verify_runs, which the install script's part makes.
-- audit_log_entries, its partitions and its row encoding are unchanged:
-- sealed entries verify as before.
