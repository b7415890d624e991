/* kyc_auditlog--0.1.0.sql: the append-only, hashed compliance audit trail. */

\echo Use "CREATE EXTENSION kyc_auditlog" to load this file. \quit

-- The seed's audit_log_entries, plus entry_seq and xid, which order entries
-- for sealing.  Every column but integrity_hash and integrity_verified is
-- covered by integrity_hash.
CREATE TABLE kyc_auditlog.audit_log_entries (
	id					uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	entry_seq			bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	xid					xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
	event_type			varchar(100) NOT NULL CHECK (btrim(event_type) <> ''),
	entity_type			varchar(100) NOT NULL CHECK (btrim(entity_type) <> ''),
	entity_id			varchar(200) NOT NULL,
	case_id				varchar(40),
	user_id				varchar(200) NOT NULL,
	user_role			varchar(100),
	action				text NOT NULL
						CHECK (action IN ('Create', 'Update', 'Delete', 'Approve', 'Reject')),
	description			text,
	previous_values		jsonb,
	new_values			jsonb,
	"timestamp"			timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	ip_address			inet,
	user_agent			text,
	session_id			varchar(200),
	severity			text NOT NULL DEFAULT 'Low'
						CHECK (severity IN ('Low', 'Medium', 'High', 'Critical')),
	compliance_category	text NOT NULL
						CHECK (compliance_category IN ('KYC', 'AML', 'DataProtection', 'Financial')),
	integrity_hash		varchar(64) NOT NULL CHECK (integrity_hash ~ '^[0-9a-f]{64}$'),
	integrity_verified	boolean NOT NULL DEFAULT false
);

CREATE INDEX audit_log_entries_xid_seq_idx ON kyc_auditlog.audit_log_entries (xid, entry_seq);
CREATE INDEX audit_log_entries_case_id_idx ON kyc_auditlog.audit_log_entries (case_id)
	WHERE case_id IS NOT NULL;
CREATE INDEX audit_log_entries_entity_idx ON kyc_auditlog.audit_log_entries (entity_type, entity_id);
CREATE INDEX audit_log_entries_timestamp_idx ON kyc_auditlog.audit_log_entries ("timestamp");

COMMENT ON TABLE kyc_auditlog.audit_log_entries IS
'Append-only compliance audit trail. integrity_hash is the SHA-256 of a versioned canonical encoding of every other column but integrity_verified.';

SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.audit_log_entries', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_auditlog.audit_log_entries_entry_seq_seq', '');

-- SHA-256 (lowercase hex) of an entry's canonical encoding.
CREATE FUNCTION kyc_auditlog.row_hash(entry kyc_auditlog.audit_log_entries)
RETURNS text
AS 'MODULE_PATHNAME', 'row_hash'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION kyc_auditlog.entry_hash() RETURNS trigger
AS 'MODULE_PATHNAME', 'entry_hash' LANGUAGE C;
CREATE FUNCTION kyc_auditlog.entry_immutable() RETURNS trigger
AS 'MODULE_PATHNAME', 'entry_immutable' LANGUAGE C;

-- Named to fire last among BEFORE INSERT triggers, after any that set values.
CREATE TRIGGER zz_entry_hash
	BEFORE INSERT ON kyc_auditlog.audit_log_entries
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_hash();
CREATE TRIGGER entry_immutable
	BEFORE UPDATE OR DELETE ON kyc_auditlog.audit_log_entries
	FOR EACH ROW EXECUTE FUNCTION kyc_auditlog.entry_immutable();
CREATE TRIGGER entry_not_truncated
	BEFORE TRUNCATE ON kyc_auditlog.audit_log_entries
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable();
