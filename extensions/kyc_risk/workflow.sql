-- workflow.sql: risk_service's part of the onboarding workflow
-- (docs/kyc_risk.md, The onboarding workflow).  onboarding's case and
-- applicant events keep a copy of what risk needs of each case, and the
-- handler (workflow.c) keeps the case's automated factors current.

-- What risk knows of each case, from case.created and case.updated.
-- last_event_id is the id, at source, of the last event applied: an
-- older one changes nothing.
CREATE TABLE kyc_risk.case_subjects (
	case_id			varchar(40) PRIMARY KEY CHECK (btrim(case_id) <> ''),
	case_type		text,
	company_name	text,
	industry_code	text,
	source			text NOT NULL,
	last_event_id	bigint NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT now()
);

-- What risk knows of each applicant of a case (beneficial owners too:
-- role BeneficialOwner), from applicant.updated.  applicant.removed keeps
-- the row, emptied and marked removed, so that a stale event can never
-- bring the applicant back.
CREATE TABLE kyc_risk.applicant_subjects (
	applicant_id		text PRIMARY KEY CHECK (btrim(applicant_id) <> ''),
	case_id				varchar(40) NOT NULL CHECK (btrim(case_id) <> ''),
	role				text NOT NULL DEFAULT 'Applicant',
	first_name			text,
	last_name			text,
	aliases				text[] NOT NULL DEFAULT '{}',
	date_of_birth		date,
	nationality			text,
	address_countries	text[] NOT NULL DEFAULT '{}',
	removed				boolean NOT NULL DEFAULT false,
	source				text NOT NULL,
	last_event_id		bigint NOT NULL,
	updated_at			timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applicant_subjects_case_idx ON kyc_risk.applicant_subjects (case_id);

SELECT pg_catalog.pg_extension_config_dump('kyc_risk.case_subjects', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.applicant_subjects', '');

-- Whether risk_service holds an assessment of the case but has applied none
-- of its onboarding events: one opened through the API, under a release
-- before the workflow (docs/releasing.md).  The workflow leaves such a case
-- to the hand that assesses it, rather than rescore it from the part of
-- its data that arrives after the update.
CREATE FUNCTION kyc_risk.assessed_by_hand(case_id text)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	-- case_subjects first: a case the workflow knows needs that lookup only.
	SELECT NOT EXISTS (SELECT FROM kyc_risk.case_subjects c WHERE c.case_id = assessed_by_hand.case_id)
	   AND EXISTS (SELECT FROM kyc_risk.risk_assessments a WHERE a.case_id = assessed_by_hand.case_id)
$$;
REVOKE ALL ON FUNCTION kyc_risk.assessed_by_hand(text) FROM PUBLIC;

-- Apply one onboarding event to the subjects, and record the case's type
-- on its assessment, opened if need be.  Returns the case to reassess, or
-- NULL when the event changes nothing: already applied, older than what
-- was applied (same source, lower or equal id), or the same data again.
-- Payload keys are read by name; a key onboarding does not send yet is
-- taken as absent (no aliases, role Applicant, the primary address's
-- country for the addresses).  Only on_onboarding_event() calls it.
CREATE FUNCTION kyc_risk.apply_onboarding_event(e kyc_events.event)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	p jsonb := e.payload;
	case_row kyc_risk.case_subjects;
	person kyc_risk.applicant_subjects;
	seen boolean;
	changed boolean;
	v_case text;
	v_applicant text;
	v_type text;
	v_company text;
	v_industry text;
	v_aliases text[];
	v_countries text[];
	v_role text;
	v_assessment uuid;
BEGIN
	IF e IS NULL THEN
		RAISE EXCEPTION 'e must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF e.topic IN ('case.created', 'case.updated') THEN
		v_case := coalesce(p->>'case_id', e.aggregate_id);
		SELECT * INTO case_row FROM kyc_risk.case_subjects s WHERE s.case_id = v_case FOR UPDATE;
		seen := FOUND;
		IF seen AND case_row.source = e.source AND case_row.last_event_id >= e.id
		   OR NOT seen AND e.topic = 'case.updated'
			  AND EXISTS (SELECT FROM kyc_risk.risk_assessments a WHERE a.case_id = v_case) THEN
			RETURN NULL;
		END IF;
		v_type := CASE WHEN p ? 'type' THEN nullif(btrim(p->>'type'), '') ELSE case_row.case_type END;
		v_company := CASE WHEN p ? 'company_name' THEN nullif(btrim(p->>'company_name'), '')
					 ELSE case_row.company_name END;
		v_industry := CASE WHEN p ? 'industry_code' THEN nullif(lower(btrim(p->>'industry_code')), '')
					  ELSE case_row.industry_code END;
		changed := NOT seen OR (case_row.case_type, case_row.company_name, case_row.industry_code)
							   IS DISTINCT FROM (v_type, v_company, v_industry);
		INSERT INTO kyc_risk.case_subjects AS s
			(case_id, case_type, company_name, industry_code, source, last_event_id)
		VALUES (v_case, v_type, v_company, v_industry, e.source, e.id)
		ON CONFLICT (case_id) DO UPDATE
		SET case_type = excluded.case_type, company_name = excluded.company_name,
			industry_code = excluded.industry_code, source = excluded.source,
			last_event_id = excluded.last_event_id, updated_at = now();
		v_assessment := kyc_risk.open_assessment(v_case);
		UPDATE kyc_risk.risk_assessments a SET case_type = v_type, updated_at = now()
		WHERE a.id = v_assessment AND a.case_type IS DISTINCT FROM v_type;
		RETURN CASE WHEN changed THEN v_case END;
	ELSIF e.topic NOT IN ('applicant.updated', 'applicant.removed') THEN
		RAISE EXCEPTION 'kyc_risk.on_onboarding_event() does not handle topic "%"', e.topic
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'It handles case.created, case.updated, applicant.updated and applicant.removed.';
	END IF;

	v_applicant := coalesce(p->>'applicant_id', p->>'id');
	IF v_applicant IS NULL THEN
		RAISE EXCEPTION '% event % of % names no applicant', e.topic, e.id, e.source
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The payload has neither applicant_id nor id.';
	END IF;
	SELECT * INTO person FROM kyc_risk.applicant_subjects s WHERE s.applicant_id = v_applicant FOR UPDATE;
	seen := FOUND;
	IF seen AND person.source = e.source AND person.last_event_id >= e.id THEN
		RETURN NULL;
	END IF;
	v_case := coalesce(p->>'case_id', person.case_id, e.aggregate_id);
	IF kyc_risk.assessed_by_hand(v_case) THEN
		RETURN NULL;
	END IF;

	IF e.topic = 'applicant.removed' THEN
		INSERT INTO kyc_risk.applicant_subjects AS s (applicant_id, case_id, removed, source, last_event_id)
		VALUES (v_applicant, v_case, true, e.source, e.id)
		ON CONFLICT (applicant_id) DO UPDATE
		SET removed = true, first_name = NULL, last_name = NULL, aliases = '{}', date_of_birth = NULL,
			nationality = NULL, address_countries = '{}', source = excluded.source,
			last_event_id = excluded.last_event_id, updated_at = now();
		RETURN CASE WHEN seen AND NOT person.removed THEN v_case END;
	END IF;

	v_aliases := CASE WHEN jsonb_typeof(p->'aliases') = 'array' THEN
					 ARRAY(SELECT DISTINCT btrim(a #>> '{}') FROM jsonb_array_elements(p->'aliases') a
						   WHERE jsonb_typeof(a) = 'string' AND btrim(a #>> '{}') <> '' ORDER BY 1)
				 ELSE '{}' END;
	v_countries := CASE WHEN jsonb_typeof(p->'addresses') = 'array' THEN
					   ARRAY(SELECT DISTINCT upper(btrim(a->>'country')) FROM jsonb_array_elements(p->'addresses') a
							 WHERE jsonb_typeof(a) = 'object' AND btrim(a->>'country') <> '' ORDER BY 1)
				   WHEN btrim(p->'primary_address'->>'country') <> '' THEN
					   ARRAY[upper(btrim(p->'primary_address'->>'country'))]
				   ELSE '{}' END;
	v_role := coalesce(nullif(btrim(p->>'role'), ''), 'Applicant');
	changed := NOT seen OR person.removed
		OR (person.case_id::text, person.role, person.first_name, person.last_name, person.aliases,
			person.date_of_birth, person.nationality, person.address_countries)
		   IS DISTINCT FROM (v_case, v_role, p->>'first_name', p->>'last_name', v_aliases,
							 (p->>'date_of_birth')::date, upper(p->>'nationality'), v_countries);
	INSERT INTO kyc_risk.applicant_subjects AS s
		(applicant_id, case_id, role, first_name, last_name, aliases, date_of_birth, nationality,
		 address_countries, source, last_event_id)
	VALUES (v_applicant, v_case, v_role, p->>'first_name', p->>'last_name', v_aliases,
			(p->>'date_of_birth')::date, upper(p->>'nationality'), v_countries, e.source, e.id)
	ON CONFLICT (applicant_id) DO UPDATE
	SET case_id = excluded.case_id, role = excluded.role, first_name = excluded.first_name,
		last_name = excluded.last_name, aliases = excluded.aliases, date_of_birth = excluded.date_of_birth,
		nationality = excluded.nationality, address_countries = excluded.address_countries, removed = false,
		source = excluded.source, last_event_id = excluded.last_event_id, updated_at = now();
	PERFORM kyc_risk.open_assessment(v_case);
	RETURN CASE WHEN changed THEN v_case END;
END
$$;
REVOKE ALL ON FUNCTION kyc_risk.apply_onboarding_event(kyc_events.event) FROM PUBLIC;

-- The payload of risk.subjects_applied for onboarding event e: risk_service
-- has applied e to the case's subjects, and reassessed the case if they
-- changed, so its results reflect e.  Onboarding holds back automatic
-- submission and approval until the case's last such event is applied
-- (kyc_onboarding.risk_sync).  NULL for an event that cannot change the
-- assessment: a case.updated that changed none of type, company_name and
-- industry_code; onboarding does not wait for those.
CREATE FUNCTION kyc_risk.subjects_applied_payload(e kyc_events.event)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT jsonb_build_object('case_id', coalesce(e.payload->>'case_id', e.aggregate_id),
							  'source', e.source, 'event_id', e.id, 'xid', e.xid::text, 'topic', e.topic)
	WHERE e.topic <> 'case.updated'
	   OR e.payload->'changed_columns' ?| ARRAY['type', 'company_name', 'industry_code']
$$;
REVOKE ALL ON FUNCTION kyc_risk.subjects_applied_payload(kyc_events.event) FROM PUBLIC;

-- The relay's handler of onboarding's case.created, case.updated,
-- applicant.updated and applicant.removed (subscription
-- onboarding_events, subscribe.sql): the subjects, then the case's
-- Geography, Sanctions, PEP and Industry factors, replaced as the system,
-- risk.screening_completed, and risk.subjects_applied.  Only the relay
-- may call it.
CREATE FUNCTION kyc_risk.on_onboarding_event(e kyc_events.event)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_risk_on_onboarding_event'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_risk.on_onboarding_event(kyc_events.event) FROM PUBLIC;
