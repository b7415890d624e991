-- bench/audit_setup.sql: the audit insert path, three ways, on identical
-- tables: no hash (baseline), kyc_auditlog's C trigger (the real table),
-- and the PL/pgSQL + pgcrypto hash chain users write today, which locks
-- the chain's tail row so every writer waits for the previous one.
CREATE EXTENSION IF NOT EXISTS kyc_auditlog CASCADE;
SELECT kyc_auditlog.ensure_partitions();
CREATE EXTENSION IF NOT EXISTS pgcrypto;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

CREATE TABLE bench.audit_plain (LIKE kyc_auditlog.audit_log_entries INCLUDING ALL);
CREATE TABLE bench.audit_chain (LIKE kyc_auditlog.audit_log_entries INCLUDING ALL);
CREATE TABLE bench.chain_tail (hash text NOT NULL);
INSERT INTO bench.chain_tail VALUES (repeat('0', 64));

CREATE FUNCTION bench.chain_hash() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	prev text;
BEGIN
	SELECT hash INTO prev FROM bench.chain_tail FOR UPDATE;
	NEW."timestamp" := clock_timestamp();
	NEW.integrity_hash := encode(digest(concat_ws('|', prev, NEW.id, NEW.entry_seq, NEW.event_type,
		NEW.entity_type, NEW.entity_id, NEW.case_id, NEW.user_id, NEW.user_role, NEW.action,
		NEW.description, NEW.previous_values::text, NEW.new_values::text, NEW."timestamp",
		NEW.ip_address, NEW.user_agent, NEW.session_id, NEW.severity, NEW.compliance_category),
		'sha256'), 'hex');
	UPDATE bench.chain_tail SET hash = NEW.integrity_hash;
	RETURN NEW;
END $$;

CREATE TRIGGER chain_hash BEFORE INSERT ON bench.audit_chain
	FOR EACH ROW EXECUTE FUNCTION bench.chain_hash();
