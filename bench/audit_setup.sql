-- bench/audit_setup.sql: the audit insert path, three ways, on tables of
-- the same shape as kyc_auditlog.audit_log_entries: partitioned by month,
-- with the same columns, defaults, constraints, partitions and indexes.
--   bench.audit_plain: no trigger, the baseline;
--   kyc_auditlog.audit_log_entries: the C row hash (the real table);
--   bench.audit_chain: the PL/pgSQL + pgcrypto hash chain users write
--     today, which locks the chain's tail row so every writer waits for
--     the previous one.
-- And bench.audit_heap: one unpartitioned heap with the same columns and
-- constraints but no index, the cheapest insert PostgreSQL has.
CREATE EXTENSION IF NOT EXISTS kyc_auditlog CASCADE;
SELECT kyc_auditlog.ensure_partitions();
CREATE EXTENSION IF NOT EXISTS pgcrypto;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

CREATE TABLE bench.audit_heap (LIKE kyc_auditlog.audit_log_entries INCLUDING ALL);

-- Each partition cloned with its indexes and constraints, under the same bound.
DO $$
DECLARE
	t text;
	p record;
	part text;
BEGIN
	FOREACH t IN ARRAY ARRAY['audit_plain', 'audit_chain'] LOOP
		EXECUTE format('CREATE TABLE bench.%I (LIKE kyc_auditlog.audit_log_entries INCLUDING ALL)
			PARTITION BY RANGE ("timestamp")', t);
		FOR p IN
			SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
			FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
			WHERE i.inhparent = 'kyc_auditlog.audit_log_entries'::regclass
		LOOP
			part := replace(p.relname, 'audit_log_entries', t);
			EXECUTE format('CREATE TABLE bench.%I (LIKE kyc_auditlog.%I INCLUDING ALL)', part, p.relname);
			EXECUTE format('ALTER TABLE bench.%I ATTACH PARTITION bench.%I %s', t, part, p.bound);
		END LOOP;
	END LOOP;
END $$;

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
