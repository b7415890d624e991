/* kyc_checklist--0.2.0.sql: KYC/KYB checklists that complete themselves. */

\echo Use "CREATE EXTENSION kyc_checklist" to load this file. \quit

-- Templates: one per entity type, with its items.
CREATE TABLE kyc_checklist.checklist_templates (
	type							text PRIMARY KEY
									CHECK (type IN ('Individual', 'Corporate', 'Trust', 'Partnership')),
	required_completion_percentage	numeric(5,2) NOT NULL
									CHECK (required_completion_percentage BETWEEN 0 AND 100),
	description						text
);

CREATE TABLE kyc_checklist.template_items (
	type			text NOT NULL REFERENCES kyc_checklist.checklist_templates (type) ON DELETE CASCADE,
	code			text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
	name			varchar(200) NOT NULL,
	description		text,
	category		text NOT NULL
					CHECK (category IN ('Identity', 'Address', 'Financial', 'Compliance', 'Documentation')),
	is_required		boolean NOT NULL,
	"order"			integer NOT NULL,
	PRIMARY KEY (type, code),
	UNIQUE (type, "order")
);

-- Which verified document types complete which items, by item code.
CREATE TABLE kyc_checklist.document_item_map (
	document_type	text NOT NULL,
	item_code		text NOT NULL,
	PRIMARY KEY (document_type, item_code)
);

-- Which events, besides verified documents, complete which items, by item
-- code: a risk.screening_completed completes the sanctions and PEP
-- screening item.
CREATE TABLE kyc_checklist.event_item_map (
	topic			text NOT NULL CHECK (topic IN ('risk.screening_completed')),
	item_code		text NOT NULL,
	PRIMARY KEY (topic, item_code)
);

-- The events that complete items (document.verified,
-- risk.screening_completed), one row per delivered event, with the payload
-- keys applying it needs (ids, document type, counts; never the screened
-- names).  applied_at is NULL while the case has no checklist: the event
-- came before case.created, and is applied when the checklist is created.
-- Written only by the handlers and create_checklist(), as the owner.
CREATE TABLE kyc_checklist.received_events (
	source			text NOT NULL,
	event_id		bigint NOT NULL,
	topic			text NOT NULL CHECK (topic IN ('document.verified', 'risk.screening_completed')),
	case_id			varchar(40) NOT NULL CHECK (btrim(case_id) <> ''),
	payload			jsonb NOT NULL,
	received_at		timestamptz NOT NULL DEFAULT now(),
	applied_at		timestamptz,
	PRIMARY KEY (source, event_id)
);

CREATE INDEX received_events_case_idx ON kyc_checklist.received_events (case_id, topic, source, event_id);

-- The seed's checklists.  The counts, completion_percentage, status and
-- completed_at are kept by the item triggers, one O(1) update per item
-- change.  last_transition says what the latest such update did to the
-- status, so that each completion is announced exactly once.
CREATE TABLE kyc_checklist.checklists (
	id								uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	case_id							varchar(40) NOT NULL UNIQUE CHECK (btrim(case_id) <> ''),
	type							text NOT NULL
									CHECK (type IN ('Individual', 'Corporate', 'Trust', 'Partnership')),
	status							text NOT NULL DEFAULT 'InProgress'
									CHECK (status IN ('InProgress', 'Completed')),
	completion_percentage			numeric(5,2) NOT NULL DEFAULT 0
									CHECK (completion_percentage BETWEEN 0 AND 100),
	required_completion_percentage	numeric(5,2) NOT NULL DEFAULT 100
									CHECK (required_completion_percentage BETWEEN 0 AND 100),
	total_items						integer NOT NULL DEFAULT 0 CHECK (total_items >= 0),
	completed_items					integer NOT NULL DEFAULT 0 CHECK (completed_items >= 0),
	skipped_items					integer NOT NULL DEFAULT 0 CHECK (skipped_items >= 0),
	required_items					integer NOT NULL DEFAULT 0 CHECK (required_items >= 0),
	completed_required_items		integer NOT NULL DEFAULT 0 CHECK (completed_required_items >= 0),
	last_transition					text NOT NULL DEFAULT 'none'
									CHECK (last_transition IN ('none', 'completed', 'reopened')),
	completed_at					timestamptz,
	created_at						timestamptz NOT NULL DEFAULT now(),
	updated_at						timestamptz NOT NULL DEFAULT now()
);

-- The seed's checklist_items, plus code, the template item it came from.
CREATE TABLE kyc_checklist.checklist_items (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	checklist_id	uuid NOT NULL REFERENCES kyc_checklist.checklists (id) ON DELETE CASCADE,
	code			text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
	name			varchar(200) NOT NULL,
	description		text,
	category		text NOT NULL
					CHECK (category IN ('Identity', 'Address', 'Financial', 'Compliance', 'Documentation')),
	is_required		boolean NOT NULL DEFAULT true,
	"order"			integer NOT NULL DEFAULT 0,
	status			text NOT NULL DEFAULT 'Pending' CHECK (status IN ('Pending', 'Completed', 'Skipped')),
	completed_at	timestamptz,
	completed_by	varchar(200),
	notes			text,
	-- The case's public id (KYC-...), kept from the checklist by the
	-- item_case_id trigger: the audit entry of an item deleted with its
	-- checklist still names the case.
	case_id			varchar(40) NOT NULL,
	UNIQUE (checklist_id, code)
);

COMMENT ON COLUMN kyc_checklist.checklist_items.case_id IS
'The case''s public id (KYC-...), kept from the checklist by the item_case_id trigger; an INSERT may leave it out.';

CREATE INDEX checklist_items_checklist_idx ON kyc_checklist.checklist_items (checklist_id, "order");

SELECT pg_catalog.pg_extension_config_dump('kyc_checklist.checklist_templates', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_checklist.template_items', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_checklist.document_item_map', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_checklist.event_item_map', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_checklist.received_events', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_checklist.checklists', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_checklist.checklist_items', '');

-- The formulas' arguments are counts of one checklist's items: none NULL
-- or negative, Completed and Skipped items no more than the items (they
-- are statuses of different items), the Completed required ones no more
-- than the required or the Completed ones, a percentage from 0 to 100.
-- Called only for counts that break one of these rules, it says which
-- (22004 for a NULL, 22023 otherwise); the formulas stay plain SQL, which
-- the item_counts trigger's UPDATE inlines.
CREATE FUNCTION kyc_checklist.refuse_counts(completed integer, total integer, skipped integer,
											required integer, completed_required integer,
											required_percentage numeric)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	names text[] := '{completed,total,skipped,required,completed_required,required_percentage}';
	counts integer[] := ARRAY[completed, total, skipped, required, completed_required];
	i int;
BEGIN
	FOR i IN 1 .. 5 LOOP
		IF counts[i] IS NULL THEN
			RAISE EXCEPTION '% must not be null', names[i] USING ERRCODE = 'null_value_not_allowed';
		ELSIF counts[i] < 0 THEN
			RAISE EXCEPTION '% must not be negative, not %', names[i], counts[i]
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	IF required_percentage IS NULL THEN
		RAISE EXCEPTION 'required_percentage must not be null' USING ERRCODE = 'null_value_not_allowed';
	ELSIF completed + skipped > total THEN
		RAISE EXCEPTION 'completed (%) and skipped (%) items are more than the total, %', completed, skipped, total
			USING ERRCODE = 'invalid_parameter_value', DETAIL = 'An item is Completed, Skipped or Pending, never two of them.';
	ELSIF required > total OR completed_required > required OR completed_required > completed THEN
		RAISE EXCEPTION 'completed_required (%) must be at most required (%), which must be at most the total (%), and at most completed (%)',
			completed_required, required, total, completed
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF NOT (required_percentage BETWEEN 0 AND 100) THEN
		RAISE EXCEPTION 'required_percentage must be from 0 to 100, not %', required_percentage
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RAISE EXCEPTION 'inconsistent checklist counts' USING ERRCODE = 'invalid_parameter_value';
END
$$;

-- The completion percentage: Completed items over the items not Skipped,
-- rounded half up to hundredths; 0 while no item counts.
CREATE FUNCTION kyc_checklist.completion_percentage(completed integer, total integer, skipped integer)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN completed IS NULL OR total IS NULL OR skipped IS NULL
				 OR completed < 0 OR skipped < 0 OR completed + skipped > total
			THEN kyc_checklist.refuse_counts(completed, total, skipped, 0, 0, 0)::numeric
			WHEN total - skipped > 0 THEN round(100.0 * completed / (total - skipped), 2) ELSE 0 END;

-- Complete: every required item Completed, at least one item that counts,
-- and the percentage at or above the template's requirement.
CREATE FUNCTION kyc_checklist.is_complete(completed integer, total integer, skipped integer,
										  required integer, completed_required integer,
										  required_percentage numeric)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN completed IS NULL OR total IS NULL OR skipped IS NULL OR required IS NULL
				 OR completed_required IS NULL OR required_percentage IS NULL
				 OR completed < 0 OR skipped < 0 OR completed + skipped > total
				 OR required < 0 OR required > total OR completed_required < 0
				 OR completed_required > required OR completed_required > completed
				 OR NOT (required_percentage BETWEEN 0 AND 100)
			THEN kyc_checklist.refuse_counts(completed, total, skipped, required, completed_required,
											 required_percentage)::boolean
			ELSE completed_required = required AND total - skipped > 0
				 AND kyc_checklist.completion_percentage(completed, total, skipped) >= required_percentage END;

-- Item rules (BEFORE, C): a required item cannot be Skipped; Completed
-- goes back to Pending only with a reason in notes; completion is stamped;
-- completed_by 'document:...' and 'screening:...' are the received
-- events' alone (received_events.c).
CREATE FUNCTION kyc_checklist.item_rules() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_checklist_item_rules' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
-- Trigger functions are the triggers' alone: nobody attaches them elsewhere.
REVOKE ALL ON FUNCTION kyc_checklist.item_rules() FROM PUBLIC;
-- Item counts (AFTER, C): the checklist's counts, percentage and status,
-- adjusted by this row's change alone, in one UPDATE.
CREATE FUNCTION kyc_checklist.item_counts() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_checklist_item_counts' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_checklist.item_counts() FROM PUBLIC;

CREATE TRIGGER item_rules
	BEFORE INSERT OR UPDATE ON kyc_checklist.checklist_items
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.item_rules();
CREATE TRIGGER item_counts
	AFTER INSERT OR UPDATE OR DELETE ON kyc_checklist.checklist_items
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.item_counts();
-- Counts cannot follow a TRUNCATE row by row; refuse it.
CREATE TRIGGER items_not_truncated
	BEFORE TRUNCATE ON kyc_checklist.checklist_items
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_checklist.item_counts();

-- The project's own error for a value outside a column's allowed list:
-- 23514 naming the column, the value and the allowed values (kyc_allowed.c).
-- Each CHECK constraint stays as the backstop; the lists must match it.
CREATE FUNCTION kyc_checklist.allowed_values() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_checklist_allowed_values' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_checklist.allowed_values() FROM PUBLIC;
CREATE TRIGGER allowed_type
	BEFORE INSERT OR UPDATE OF type ON kyc_checklist.checklist_templates
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.allowed_values('type', 'Individual', 'Corporate', 'Trust', 'Partnership');
CREATE TRIGGER allowed_category
	BEFORE INSERT OR UPDATE OF category ON kyc_checklist.template_items
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.allowed_values('category', 'Identity', 'Address', 'Financial', 'Compliance', 'Documentation');
CREATE TRIGGER allowed_type
	BEFORE INSERT OR UPDATE OF type ON kyc_checklist.checklists
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.allowed_values('type', 'Individual', 'Corporate', 'Trust', 'Partnership');
CREATE TRIGGER allowed_category
	BEFORE INSERT OR UPDATE OF category ON kyc_checklist.checklist_items
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.allowed_values('category', 'Identity', 'Address', 'Financial', 'Compliance', 'Documentation');
CREATE TRIGGER allowed_status
	BEFORE INSERT OR UPDATE OF status ON kyc_checklist.checklist_items
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.allowed_values('status', 'Pending', 'Completed', 'Skipped');

-- A child row keeps its case's public id from its parent
-- (kyc_parent_case.c).
CREATE FUNCTION kyc_checklist.inherit_case_id() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_checklist_inherit_case_id' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_checklist.inherit_case_id() FROM PUBLIC;
CREATE TRIGGER item_case_id
	BEFORE INSERT OR UPDATE OF checklist_id, case_id ON kyc_checklist.checklist_items
	FOR EACH ROW EXECUTE FUNCTION kyc_checklist.inherit_case_id('checklist_id', 'kyc_checklist.checklists', 'id');

-- Everything done for one case (creating its checklist, applying its
-- received events) holds this lock, so an event and the checklist
-- arriving together cannot miss each other.
CREATE FUNCTION kyc_checklist.lock_case(case_id text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- A NULL key would take no lock at all.
	IF case_id IS NULL THEN
		RAISE EXCEPTION 'case_id must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('kyc_checklist.case'), hashtext(case_id));
END
$$;
REVOKE ALL ON FUNCTION kyc_checklist.lock_case(text) FROM PUBLIC;

-- Apply the received events of a case that has a checklist (C,
-- received_events.c): verified documents complete the Pending items their
-- type satisfies, the newest screening the screening item.  Returns how
-- many events it applied.  The owner's: create_checklist() and the
-- handlers call it.
CREATE FUNCTION kyc_checklist.apply_received_events(case_id text)
RETURNS integer
AS 'MODULE_PATHNAME', 'kyc_checklist_apply_received_events' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_checklist.apply_received_events(text) FROM PUBLIC;

-- A checklist for a case, with the items of its type's template, and the
-- events already received for the case applied.  Asking again for the
-- same type returns the existing checklist: case.created creates it too.
CREATE FUNCTION kyc_checklist.create_checklist(case_id text, type text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	created uuid;
	existing_type text;
	required numeric;
BEGIN
	IF case_id IS NULL THEN
		RAISE EXCEPTION 'case_id must not be null' USING ERRCODE = 'null_value_not_allowed';
	ELSIF btrim(case_id) = '' THEN
		RAISE EXCEPTION 'case_id must not be empty' USING ERRCODE = 'invalid_parameter_value';
	ELSIF length(case_id) > 40 THEN
		RAISE EXCEPTION 'case_id is longer than 40 characters' USING ERRCODE = 'string_data_right_truncation',
			DETAIL = format('It has %s.', length(case_id));
	ELSIF type IS NULL THEN
		RAISE EXCEPTION 'type must not be null' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Types are Individual, Corporate, Trust and Partnership.';
	END IF;
	SELECT t.required_completion_percentage INTO required
	FROM kyc_checklist.checklist_templates t WHERE t.type = create_checklist.type;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no checklist template for type %', coalesce(quote_literal(create_checklist.type), 'NULL')
			USING ERRCODE = 'no_data_found',
				  HINT = 'Types are Individual, Corporate, Trust and Partnership; SELECT kyc_checklist.install_defaults() adds their templates.';
	END IF;
	PERFORM kyc_checklist.lock_case(create_checklist.case_id);
	SELECT c.id, c.type INTO created, existing_type
	FROM kyc_checklist.checklists c WHERE c.case_id = create_checklist.case_id;
	IF FOUND THEN
		IF existing_type = create_checklist.type THEN
			RETURN created;
		END IF;
		RAISE EXCEPTION 'case % already has a checklist of type %', create_checklist.case_id, existing_type
			USING ERRCODE = 'unique_violation',
				  DETAIL = format('A case has one checklist; asked for a %s one, case %s has a %s one.',
								  create_checklist.type, create_checklist.case_id, existing_type),
				  HINT = 'Asking for the type it has returns the existing checklist.';
	END IF;
	INSERT INTO kyc_checklist.checklists (case_id, type, required_completion_percentage)
	VALUES (create_checklist.case_id, create_checklist.type, required)
	RETURNING id INTO created;
	INSERT INTO kyc_checklist.checklist_items (checklist_id, code, name, description, category, is_required, "order")
	SELECT created, i.code, i.name, i.description, i.category, i.is_required, i."order"
	FROM kyc_checklist.template_items i WHERE i.type = create_checklist.type
	ORDER BY i."order";
	PERFORM kyc_checklist.apply_received_events(create_checklist.case_id);
	RETURN created;
END
$$;

-- Reopen a completed item, with the reason the rules ask for.
CREATE FUNCTION kyc_checklist.reopen_item(item_id uuid, reason text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	was text;
BEGIN
	IF item_id IS NULL THEN
		RAISE EXCEPTION 'item_id must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF reason IS NULL OR btrim(reason) = '' THEN
		RAISE EXCEPTION 'reopening an item needs a reason' USING ERRCODE = 'invalid_parameter_value';
	ELSIF octet_length(reason) > 2000 THEN
		RAISE EXCEPTION 'the reason for reopening an item is % bytes long, at most 2000', octet_length(reason)
			USING ERRCODE = 'string_data_right_truncation';
	END IF;
	-- Only a Completed item reopens: the reason says why a completion no
	-- longer holds.
	SELECT i.status INTO was FROM kyc_checklist.checklist_items i WHERE i.id = item_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'checklist item % does not exist', item_id USING ERRCODE = 'no_data_found';
	ELSIF was <> 'Completed' THEN
		RAISE EXCEPTION 'checklist item % is %, not Completed: there is nothing to reopen', item_id, was
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	UPDATE kyc_checklist.checklist_items i
	SET status = 'Pending',
		notes = concat_ws(E'\n', i.notes, format('Reopened %s by %s: %s', now(),
				coalesce(nullif(current_setting('kyc.actor', true), ''), session_user), reason))
	WHERE i.id = item_id;
END
$$;

-- Relay handler (PL/pgSQL): a case.created event from onboarding creates
-- the case's checklist from the template of the payload's type, unless
-- the case has one already (a second delivery changes nothing).  A type
-- without a template is an error, so the event becomes a dead letter that
-- names it.  It runs only when the relay delivers case.created to it.
CREATE FUNCTION kyc_checklist.on_case_created(e kyc_events.event)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	event_case text := e.payload ->> 'case_id';
	event_type text := e.payload ->> 'type';
BEGIN
	PERFORM kyc_events.require_delivery(e, 'kyc_checklist.on_case_created(kyc_events.event)', '{case.created}');
	IF event_case IS NULL OR btrim(event_case) = '' THEN
		RAISE EXCEPTION 'case.created event % of % has no case_id', e.id, e.source
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The payload''s "case_id" names the case whose checklist is created.';
	END IF;
	IF NOT EXISTS (SELECT FROM kyc_checklist.checklist_templates t WHERE t.type = event_type) THEN
		RAISE EXCEPTION 'case.created event % of %: no checklist template for type % of case %',
				e.id, e.source, coalesce(quote_literal(event_type), 'NULL'), event_case
			USING ERRCODE = 'no_data_found',
				  HINT = format('Templates exist for %s. Add the template, then replay the dead letter with kyc_events.replay_dead_letter(id).',
								(SELECT coalesce(string_agg(t.type, ', ' ORDER BY t.type), 'no type')
								 FROM kyc_checklist.checklist_templates t));
	END IF;
	PERFORM kyc_checklist.lock_case(event_case);
	IF NOT EXISTS (SELECT FROM kyc_checklist.checklists c WHERE c.case_id = event_case) THEN
		PERFORM kyc_checklist.create_checklist(event_case, event_type);
	END IF;
END
$$;

-- Relay handlers (C, event_handlers.c): a document.verified event from
-- document_service, or a risk.screening_completed event from risk_service,
-- is recorded in received_events and applied to the case's checklist, at
-- once or when it is created.  A verified document completes the Pending
-- items its type satisfies, as 'document:<document id>'; a screening the
-- sanctions_pep_screening item, as 'screening:<event id>'.  Each runs only
-- when the relay delivers its topic to it; a direct call is refused.
-- item_rules refuses both prefixes from every other writer.
CREATE FUNCTION kyc_checklist.on_document_verified(e kyc_events.event)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_checklist_on_document_verified' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION kyc_checklist.on_screening_completed(e kyc_events.event)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_checklist_on_screening_completed' LANGUAGE C
SET search_path = pg_catalog, pg_temp;

-- The relay calls them as their owner; no role needs to call them.
REVOKE ALL ON FUNCTION kyc_checklist.on_case_created(kyc_events.event) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_checklist.on_document_verified(kyc_events.event) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_checklist.on_screening_completed(kyc_events.event) FROM PUBLIC;

-- The documented default templates and document mapping, where missing;
-- make provision runs it.  Not in the install script, so that a pg_dump
-- restore never meets the same rows twice.
CREATE FUNCTION kyc_checklist.install_defaults()
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_checklist.checklist_templates (type, required_completion_percentage, description) VALUES
		('Individual', 80, 'Customer due diligence for a natural person'),
		('Corporate', 85, 'Know-your-business for a company, with its beneficial owners'),
		('Trust', 100, 'Due diligence for a trust: settlor, trustees, protector and beneficiaries'),
		('Partnership', 80, 'Due diligence for a partnership and its partners')
	ON CONFLICT DO NOTHING;
	INSERT INTO kyc_checklist.template_items (type, code, name, description, category, is_required, "order")
	VALUES
		('Individual', 'proof_of_identity', 'Proof of identity', 'A valid passport, national identity card or driving licence', 'Identity', true, 10),
		('Individual', 'liveness_check', 'Liveness and selfie match', 'The applicant matches the identity document', 'Identity', false, 20),
		('Individual', 'proof_of_address', 'Proof of address', 'A utility bill or bank statement under three months old', 'Address', true, 30),
		('Individual', 'sanctions_pep_screening', 'Sanctions and PEP screening', 'Screened against sanctions and PEP lists, matches resolved', 'Compliance', true, 40),
		('Individual', 'source_of_funds', 'Source of funds', 'Evidence of where the funds come from', 'Financial', true, 50),
		('Individual', 'tax_residency', 'Tax residency self-certification', 'CRS/FATCA self-certification', 'Documentation', false, 60),
		('Corporate', 'certificate_of_incorporation', 'Certificate of incorporation', 'Issued by the company registry', 'Documentation', true, 10),
		('Corporate', 'articles_of_association', 'Articles of association', 'The current constitutional documents', 'Documentation', true, 20),
		('Corporate', 'register_of_directors', 'Register of directors', 'Every director, with identity verified', 'Identity', true, 30),
		('Corporate', 'ubo_declaration', 'UBO declaration', 'Every natural person owning or controlling 25% or more', 'Compliance', true, 40),
		('Corporate', 'ubo_identity', 'Identity of each beneficial owner', 'Proof of identity for every 25% owner', 'Identity', true, 50),
		('Corporate', 'proof_of_registered_address', 'Proof of registered address', 'Registry extract or utility bill for the registered office', 'Address', true, 60),
		('Corporate', 'sanctions_pep_screening', 'Sanctions and PEP screening', 'The company, its directors and owners screened', 'Compliance', true, 70),
		('Corporate', 'source_of_funds', 'Source of funds', 'Financial statements or bank statements', 'Financial', true, 80),
		('Corporate', 'nature_of_business', 'Nature of business', 'Industry, activities and expected transactions', 'Compliance', false, 90),
		('Trust', 'trust_deed', 'Trust deed', 'The deed and any amendments', 'Documentation', true, 10),
		('Trust', 'trustee_identity', 'Identity of the trustees', 'Proof of identity for every trustee', 'Identity', true, 20),
		('Trust', 'settlor_identity', 'Identity of the settlor', 'Proof of identity for the settlor', 'Identity', true, 30),
		('Trust', 'beneficiaries', 'Beneficiaries and protector', 'Every named beneficiary, class of beneficiaries and protector', 'Compliance', true, 40),
		('Trust', 'trust_address', 'Address of the trustees', 'Proof of address for the trustees', 'Address', true, 50),
		('Trust', 'sanctions_pep_screening', 'Sanctions and PEP screening', 'Settlor, trustees, protector and beneficiaries screened', 'Compliance', true, 60),
		('Trust', 'source_of_wealth', 'Source of wealth', 'How the settlor acquired the trust assets', 'Financial', true, 70),
		('Partnership', 'partnership_agreement', 'Partnership agreement', 'The agreement and registration, if registered', 'Documentation', true, 10),
		('Partnership', 'partner_identity', 'Identity of the partners', 'Proof of identity for every partner with 25% or more', 'Identity', true, 20),
		('Partnership', 'proof_of_address', 'Proof of business address', 'Utility bill or bank statement for the business address', 'Address', true, 30),
		('Partnership', 'sanctions_pep_screening', 'Sanctions and PEP screening', 'The partnership and its partners screened', 'Compliance', true, 40),
		('Partnership', 'source_of_funds', 'Source of funds', 'Financial or bank statements', 'Financial', true, 50),
		('Partnership', 'nature_of_business', 'Nature of business', 'Activities and expected transactions', 'Compliance', false, 60)
	ON CONFLICT DO NOTHING;
	INSERT INTO kyc_checklist.document_item_map (document_type, item_code) VALUES
		('Passport', 'proof_of_identity'), ('NationalId', 'proof_of_identity'),
		('DrivingLicense', 'proof_of_identity'), ('ResidencePermit', 'proof_of_identity'),
		('UtilityBill', 'proof_of_address'), ('BankStatement', 'proof_of_address'),
		('ProofOfAddress', 'proof_of_address'), ('SourceOfFunds', 'source_of_funds'),
		('BankStatement', 'source_of_funds'), ('TaxReturn', 'tax_residency'),
		('CertificateOfIncorporation', 'certificate_of_incorporation'),
		('ArticlesOfAssociation', 'articles_of_association'),
		('RegisterOfDirectors', 'register_of_directors'), ('UboDeclaration', 'ubo_declaration'),
		('ProofOfAddress', 'proof_of_registered_address'), ('UtilityBill', 'proof_of_registered_address'),
		('TrustDeed', 'trust_deed'), ('PartnershipAgreement', 'partnership_agreement'),
		('Passport', 'ubo_identity'), ('NationalId', 'ubo_identity'),
		('DrivingLicense', 'ubo_identity'), ('ResidencePermit', 'ubo_identity'),
		('Passport', 'trustee_identity'), ('NationalId', 'trustee_identity'),
		('DrivingLicense', 'trustee_identity'), ('ResidencePermit', 'trustee_identity'),
		('Passport', 'settlor_identity'), ('NationalId', 'settlor_identity'),
		('DrivingLicense', 'settlor_identity'), ('ResidencePermit', 'settlor_identity'),
		('Passport', 'partner_identity'), ('NationalId', 'partner_identity'),
		('DrivingLicense', 'partner_identity'), ('ResidencePermit', 'partner_identity'),
		('UboDeclaration', 'beneficiaries'),
		('UtilityBill', 'trust_address'), ('BankStatement', 'trust_address'), ('ProofOfAddress', 'trust_address'),
		('SourceOfFunds', 'source_of_wealth')
	ON CONFLICT DO NOTHING;
	INSERT INTO kyc_checklist.event_item_map (topic, item_code) VALUES
		('risk.screening_completed', 'sanctions_pep_screening')
	ON CONFLICT DO NOTHING;
$$;

REVOKE ALL ON FUNCTION kyc_checklist.install_defaults() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_checklist.create_checklist(text, text) FROM PUBLIC;
