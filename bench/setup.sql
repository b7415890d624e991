-- bench/setup.sql: the tables and PL/pgSQL twins the benchmarks compare.
-- Each C implementation is measured against the PL/pgSQL a user would
-- otherwise write for the same rules, on identical tables, in one run.
CREATE EXTENSION IF NOT EXISTS kyc_events;
CREATE EXTENSION IF NOT EXISTS kyc_onboarding;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- State machine: three identical copies of onboarding_cases.
CREATE TABLE bench.cases_bare (LIKE kyc_onboarding.onboarding_cases INCLUDING ALL);
CREATE TABLE bench.cases_c (LIKE kyc_onboarding.onboarding_cases INCLUDING ALL);
CREATE TABLE bench.cases_plpgsql (LIKE kyc_onboarding.onboarding_cases INCLUDING ALL);

-- The C guard, declared in this schema: a trigger function of pgkyc fires
-- only on tables of its own schema (kyc_trigger.c), so the bench's copy of
-- the table needs its own declaration of the same C code.
CREATE FUNCTION bench.case_state_guard() RETURNS trigger
	LANGUAGE c AS '$libdir/kyc_onboarding', 'kyc_onboarding_case_state_guard';
CREATE TRIGGER case_state_guard BEFORE INSERT OR UPDATE ON bench.cases_c
	FOR EACH ROW EXECUTE FUNCTION bench.case_state_guard();

-- The same rules as case_state.c, as a PL/pgSQL trigger.
CREATE FUNCTION bench.case_state_guard_plpgsql() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	allowed text[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.status IS DISTINCT FROM 'Draft' THEN
			RAISE EXCEPTION 'a new case must start in status Draft, not %', NEW.status
				USING ERRCODE = 'check_violation';
		END IF;
		NEW.created_at := now();
		NEW.updated_at := now();
		NEW.submitted_at := NULL;
		NEW.approved_at := NULL;
		NEW.rejected_at := NULL;
		NEW.assigned_at := CASE WHEN NEW.assigned_to IS NULL THEN NULL ELSE now() END;
		NEW.status_changed_by := coalesce(nullif(current_setting('kyc.actor', true), ''), session_user);
		NEW.status_reason := NULL;
		RETURN NEW;
	END IF;

	IF NEW.id IS DISTINCT FROM OLD.id OR NEW.case_id IS DISTINCT FROM OLD.case_id
	   OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
		RAISE EXCEPTION 'column id, case_id or created_at of case % cannot be changed', OLD.case_id
			USING ERRCODE = 'check_violation';
	END IF;
	NEW.submitted_at := OLD.submitted_at;
	NEW.approved_at := OLD.approved_at;
	NEW.rejected_at := OLD.rejected_at;
	IF NEW.status IS DISTINCT FROM OLD.status THEN
		allowed := CASE OLD.status
			WHEN 'Draft' THEN ARRAY['InProgress']
			WHEN 'InProgress' THEN ARRAY['PendingReview']
			WHEN 'PendingReview' THEN ARRAY['Approved', 'Rejected']
			ELSE ARRAY[]::text[] END;
		IF NOT NEW.status = ANY (allowed) THEN
			RAISE EXCEPTION 'case % cannot move from % to %', OLD.case_id, OLD.status, NEW.status
				USING ERRCODE = 'check_violation',
					  HINT = format('Allowed next states from %s: %s.', OLD.status, array_to_string(allowed, ', '));
		END IF;
		CASE NEW.status
			WHEN 'PendingReview' THEN NEW.submitted_at := now();
			WHEN 'Approved' THEN NEW.approved_at := now();
			WHEN 'Rejected' THEN NEW.rejected_at := now();
			ELSE NULL;
		END CASE;
		NEW.status_changed_by := coalesce(nullif(current_setting('kyc.actor', true), ''), session_user);
		NEW.status_reason := NULL;
	ELSE
		NEW.status_changed_by := OLD.status_changed_by;
		NEW.status_reason := OLD.status_reason;
	END IF;
	IF NEW.assigned_to IS DISTINCT FROM OLD.assigned_to THEN
		NEW.assigned_at := CASE WHEN NEW.assigned_to IS NULL THEN NULL ELSE now() END;
	ELSE
		NEW.assigned_at := OLD.assigned_at;
	END IF;
	NEW.updated_at := now();
	RETURN NEW;
END $$;

CREATE TRIGGER case_state_guard BEFORE INSERT OR UPDATE ON bench.cases_plpgsql
	FOR EACH ROW EXECUTE FUNCTION bench.case_state_guard_plpgsql();

-- emit(): a plain INSERT into an identical table, and the PL/pgSQL emit a
-- user would write (same checks, same headers, pg_notify for the doorbell).
CREATE TABLE bench.outbox_plain (LIKE kyc_events.outbox INCLUDING ALL);
CREATE TABLE bench.outbox_plpgsql (LIKE kyc_events.outbox INCLUDING ALL);

CREATE FUNCTION bench.emit_plpgsql(topic text, aggregate_id text, payload jsonb)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	new_id bigint;
BEGIN
	IF topic IS NULL OR octet_length(topic) > 100
	   OR topic !~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' THEN
		RAISE EXCEPTION 'invalid event topic "%"', topic USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF aggregate_id IS NULL OR aggregate_id = '' OR octet_length(aggregate_id) > 200 THEN
		RAISE EXCEPTION 'invalid event aggregate id' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF payload IS NULL OR jsonb_typeof(payload) <> 'object' THEN
		RAISE EXCEPTION 'event payload must be a JSON object' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO bench.outbox_plpgsql (topic, aggregate_id, payload, headers)
	VALUES (topic, aggregate_id, payload, jsonb_strip_nulls(jsonb_build_object(
		'actor', coalesce(nullif(current_setting('kyc.actor', true), ''), session_user),
		'session_user', session_user,
		'current_user', current_user,
		'application_name', nullif(current_setting('application_name'), ''),
		'client_addr', inet_client_addr())))
	RETURNING id INTO new_id;
	PERFORM pg_notify('kyc_events', '');
	RETURN new_id;
END $$;
