/* kyc_risk--0.2.0.sql: risk scoring (risk.sql), then screening (screening.sql). */

\echo Use "CREATE EXTENSION kyc_risk" to load this file. \quit

-- The five levels, lowest first: a factor's or an assessment's level.
CREATE DOMAIN kyc_risk.level_name AS text
	CHECK (VALUE IN ('Low', 'MediumLow', 'Medium', 'MediumHigh', 'High'));

-- The seed's risk_assessments.  manual_review and overrides record what
-- the model's overrides decided; score and level are the trigger's.
CREATE TABLE kyc_risk.risk_assessments (
	id					uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	case_id				varchar(40) NOT NULL UNIQUE CHECK (btrim(case_id) <> ''),
	overall_risk_level	kyc_risk.level_name NOT NULL DEFAULT 'Low',
	risk_score			numeric(5,2) NOT NULL DEFAULT 0 CHECK (risk_score BETWEEN 0 AND 100),
	status				text NOT NULL DEFAULT 'InProgress'
						CHECK (status IN ('InProgress', 'Completed', 'Rejected')),
	manual_review		boolean NOT NULL DEFAULT false,
	overrides			text[] NOT NULL DEFAULT '{}',
	created_at			timestamptz NOT NULL DEFAULT now(),
	completed_at		timestamptz,
	updated_at			timestamptz NOT NULL DEFAULT now(),
	-- The case's type (Individual, Corporate, Trust, Partnership), as
	-- onboarding's events give it; NULL for an assessment opened without
	-- one.  It chooses the factor types completion needs
	-- (required_factor_types).
	case_type			text CHECK (btrim(case_type) <> ''),
	-- The number of the last result emitted (risk.assessment_completed,
	-- risk.assessment_rescored, risk.screening_completed): each event
	-- carries it, one more than the one before.
	result_seq			bigint NOT NULL DEFAULT 0
);

-- The seed's risk_factors.  level may be left out: it then follows from
-- score through the level bands, and keeps following it.  weight is the
-- factor type's weight in kyc_risk.factor_types, set by the trigger; a
-- writer may leave it out or give that value, no other.
-- system_owned is set by the triggers alone: the factor was written by
-- screen_case(), assess_geography() or assess_industry(), and the service
-- role may not change or remove it (docs/kyc_risk.md, Privileges).
CREATE TABLE kyc_risk.risk_factors (
	id					uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	risk_assessment_id	uuid NOT NULL REFERENCES kyc_risk.risk_assessments (id) ON DELETE CASCADE,
	type				text NOT NULL
						CHECK (type IN ('PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry')),
	level				kyc_risk.level_name,
	level_explicit		boolean NOT NULL DEFAULT false,
	score				numeric(5,2) NOT NULL CHECK (score BETWEEN 0 AND 100),
	description			text,
	source				varchar(200),
	created_at			timestamptz NOT NULL DEFAULT now(),
	weight				numeric(6,3) CHECK (weight > 0),
	system_owned		boolean NOT NULL DEFAULT false,
	-- The case's public id (KYC-...), kept from the assessment by the
	-- factor_case_id trigger: the audit entry of a factor deleted with its
	-- assessment still names the case.
	case_id				varchar(40) NOT NULL
);

-- Why people changed factors: one row per factor that a person's INSERT,
-- UPDATE or DELETE touched, one with no factor for a TRUNCATE.  reason is
-- kyc_risk.change_reason; actor is kyc.actor, the JWT subject or
-- session_user.  Written by the triggers only, and captured into the
-- audit log like the factors.  No foreign key: the record of a deleted
-- factor stays.
CREATE SEQUENCE kyc_risk.factor_change_id_seq;
CREATE TABLE kyc_risk.factor_changes (
	id					bigint PRIMARY KEY DEFAULT nextval('kyc_risk.factor_change_id_seq'),
	factor_id			uuid,
	risk_assessment_id	uuid,
	operation			text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
	reason				text NOT NULL CHECK (btrim(reason) <> ''),
	actor				text NOT NULL,
	db_user				text NOT NULL,
	changed_at			timestamptz NOT NULL DEFAULT now(),
	case_id				varchar(40)		-- the factor's; none for a TRUNCATE
);
ALTER SEQUENCE kyc_risk.factor_change_id_seq OWNED BY kyc_risk.factor_changes.id;
CREATE INDEX factor_changes_factor_idx ON kyc_risk.factor_changes (factor_id);

CREATE INDEX risk_factors_assessment_idx ON kyc_risk.risk_factors (risk_assessment_id);
CREATE INDEX risk_assessments_open_idx ON kyc_risk.risk_assessments (status)
	WHERE status = 'InProgress';

-- The model.  Each factor type's weight in the weighted average, and
-- whether an assessment needs one to complete.
CREATE TABLE kyc_risk.factor_types (
	type		text PRIMARY KEY
				CHECK (type IN ('PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry')),
	weight		numeric(6,3) NOT NULL CHECK (weight > 0),
	required	boolean NOT NULL,
	description	text
);

-- The factor types an assessment of a case type needs to complete.  A
-- case type with no rows here, or an assessment without a case type,
-- needs the types factor_types marks required.  Only the owner writes it.
CREATE TABLE kyc_risk.required_factor_types (
	case_type	text NOT NULL CHECK (btrim(case_type) <> ''),
	factor_type	text NOT NULL
				CHECK (factor_type IN ('PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry')),
	PRIMARY KEY (case_type, factor_type)
);

-- Level bands: a score at or above min_score and below the next band's has
-- this level.  The Low band starts at 0.
CREATE TABLE kyc_risk.level_bands (
	level		kyc_risk.level_name PRIMARY KEY,
	min_score	numeric(5,2) NOT NULL UNIQUE CHECK (min_score BETWEEN 0 AND 100)
);

-- Overrides: a factor of factor_type at or above factor_level forces the
-- assessment to at least min_level, and flags it for manual review if set.
CREATE TABLE kyc_risk.overrides (
	name			text PRIMARY KEY,
	factor_type		text NOT NULL
					CHECK (factor_type IN ('PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry')),
	factor_level	kyc_risk.level_name NOT NULL,
	min_level		kyc_risk.level_name NOT NULL,
	manual_review	boolean NOT NULL DEFAULT false,
	enabled			boolean NOT NULL DEFAULT true,
	description		text
);

-- Country risk by ISO 3166-1 alpha-2, with where it comes from and as of when.
CREATE TABLE kyc_risk.country_risk (
	country_code	char(2) PRIMARY KEY CHECK (country_code ~ '^[A-Z]{2}$'),
	country_name	text NOT NULL,
	score			numeric(5,2) NOT NULL CHECK (score BETWEEN 0 AND 100),
	list			text NOT NULL,
	source			text NOT NULL,
	as_of			date NOT NULL
);

-- Industry risk by a code of the operator's choosing.
CREATE TABLE kyc_risk.industry_risk (
	industry_code	text PRIMARY KEY CHECK (industry_code ~ '^[a-z0-9_]+$'),
	description		text NOT NULL,
	score			numeric(5,2) NOT NULL CHECK (score BETWEEN 0 AND 100),
	source			text NOT NULL,
	as_of			date NOT NULL
);

SELECT pg_catalog.pg_extension_config_dump('kyc_risk.risk_assessments', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.risk_factors', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.factor_changes', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.factor_change_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.factor_types', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.required_factor_types', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.level_bands', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.overrides', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.country_risk', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.industry_risk', '');

-- The open assessment of a case, created if the case has none yet.
CREATE FUNCTION kyc_risk.open_assessment(case_id text)
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	found uuid;
BEGIN
	IF case_id IS NULL THEN
		RAISE EXCEPTION 'case_id must not be null' USING ERRCODE = 'null_value_not_allowed';
	ELSIF btrim(case_id) = '' THEN
		RAISE EXCEPTION 'case_id must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	ELSIF length(case_id) > 40 THEN
		RAISE EXCEPTION 'case_id is longer than 40 characters'
			USING ERRCODE = 'string_data_right_truncation', DETAIL = format('It has %s.', length(case_id));
	END IF;
	INSERT INTO kyc_risk.risk_assessments AS a (case_id) VALUES (open_assessment.case_id)
	ON CONFLICT ON CONSTRAINT risk_assessments_case_id_key DO NOTHING
	RETURNING a.id INTO found;
	IF found IS NULL THEN
		SELECT a.id INTO found FROM kyc_risk.risk_assessments a WHERE a.case_id = open_assessment.case_id;
	END IF;
	RETURN found;
END
$$;

-- Scoring triggers: a factor's level from its score, then each touched
-- assessment recomputed once per statement (transition tables allow one
-- event per trigger, hence three).  The statement triggers also apply the
-- rules of who may change factors, and log a person's reasons.  Only
-- triggers call them: no one may execute them, or attach them elsewhere.
CREATE FUNCTION kyc_risk.factor_level() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_risk_factor_level' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION kyc_risk.factors_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_risk_factors_changed' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION kyc_risk.factor_level() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION kyc_risk.factors_changed() FROM PUBLIC;

CREATE TRIGGER factor_level
	BEFORE INSERT OR UPDATE ON kyc_risk.risk_factors
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.factor_level();
CREATE TRIGGER factors_inserted
	AFTER INSERT ON kyc_risk.risk_factors REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.factors_changed();
CREATE TRIGGER factors_updated
	AFTER UPDATE ON kyc_risk.risk_factors REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.factors_changed();
CREATE TRIGGER factors_deleted
	AFTER DELETE ON kyc_risk.risk_factors REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.factors_changed();
CREATE TRIGGER factors_truncated
	AFTER TRUNCATE ON kyc_risk.risk_factors
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.factors_changed();

-- The project's own error for a value outside a column's allowed list:
-- 23514 naming the column, the value and the allowed values (kyc_allowed.c).
-- Each CHECK constraint stays as the backstop; the lists must match it.
CREATE FUNCTION kyc_risk.allowed_values() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_risk_allowed_values' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_risk.allowed_values() FROM PUBLIC;
CREATE TRIGGER allowed_type
	BEFORE INSERT OR UPDATE OF type ON kyc_risk.risk_factors
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.allowed_values('type', 'PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry');
CREATE TRIGGER allowed_status
	BEFORE INSERT OR UPDATE OF status ON kyc_risk.risk_assessments
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.allowed_values('status', 'InProgress', 'Completed', 'Rejected');
CREATE TRIGGER allowed_type
	BEFORE INSERT OR UPDATE OF type ON kyc_risk.factor_types
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.allowed_values('type', 'PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry');
CREATE TRIGGER allowed_factor_type
	BEFORE INSERT OR UPDATE OF factor_type ON kyc_risk.required_factor_types
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.allowed_values('factor_type', 'PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry');
CREATE TRIGGER allowed_factor_type
	BEFORE INSERT OR UPDATE OF factor_type ON kyc_risk.overrides
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.allowed_values('factor_type', 'PEP', 'Sanctions', 'AdverseMedia', 'Geography', 'Industry');

-- A child row keeps its case's public id from its parent
-- (kyc_parent_case.c).
CREATE FUNCTION kyc_risk.inherit_case_id() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_risk_inherit_case_id' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_risk.inherit_case_id() FROM PUBLIC;
CREATE TRIGGER factor_case_id
	BEFORE INSERT OR UPDATE OF risk_assessment_id, case_id ON kyc_risk.risk_factors
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.inherit_case_id('risk_assessment_id', 'kyc_risk.risk_assessments', 'id');

-- The band of a score: Low, MediumLow, Medium, MediumHigh or High.
CREATE FUNCTION kyc_risk.risk_level(score numeric)
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_risk_level'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;

-- What the model makes of an assessment's factors now, writing nothing.
CREATE FUNCTION kyc_risk.assessment_result(assessment_id uuid,
	OUT score numeric, OUT level text, OUT manual_review boolean, OUT overrides text[],
	OUT complete boolean)
AS 'MODULE_PATHNAME', 'kyc_risk_assessment_result'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;

-- One row per factor of a case's assessment: its type's weight, its share
-- of the score (0 unless it is its type's highest), and the overrides it
-- fired.
CREATE FUNCTION kyc_risk.explain(case_id text)
RETURNS TABLE (factor_id uuid, type text, level text, score numeric, weight numeric,
			   contribution numeric, overrides text)
AS 'MODULE_PATHNAME', 'kyc_risk_explain'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp;

-- Factors from the reference tables, written as the system.
CREATE FUNCTION kyc_risk.assess_geography(case_id text, countries text[])
RETURNS uuid
AS 'MODULE_PATHNAME', 'kyc_risk_assess_geography'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION kyc_risk.assess_industry(case_id text, industry_code text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'kyc_risk_assess_industry'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

-- Re-apply the model (after a change of weights, bands or overrides) to
-- every open assessment, set-based; returns how many changed level.
-- Levels that follow their factor's score, and weights that are no longer
-- their type's, are re-derived first: a change of factors with its own
-- reason, logged in factor_changes.
CREATE FUNCTION kyc_risk.rescore_open_assessments()
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET kyc_risk.change_reason = 'rescore_open_assessments(): level and weight re-derived under the current model'
AS $$
DECLARE
	before jsonb;
	changed integer;
BEGIN
	PERFORM FROM kyc_risk.risk_assessments a WHERE a.status = 'InProgress' ORDER BY a.id FOR UPDATE;
	SELECT jsonb_object_agg(a.id, a.overall_risk_level) INTO before
	FROM kyc_risk.risk_assessments a WHERE a.status = 'InProgress';
	-- Re-derive band-following factor levels and the types' weights; the
	-- factors' triggers do it, and rescore those assessments.
	UPDATE kyc_risk.risk_factors f SET score = f.score
	FROM kyc_risk.risk_assessments a, kyc_risk.factor_types t
	WHERE a.id = f.risk_assessment_id AND a.status = 'InProgress' AND t.type = f.type
	  AND ((NOT f.level_explicit
			AND f.level IS DISTINCT FROM kyc_risk.risk_level(f.score)::kyc_risk.level_name)
		   OR f.weight IS DISTINCT FROM t.weight);
	-- Then every open assessment, set-based, for weights and overrides.
	UPDATE kyc_risk.risk_assessments a
	SET risk_score = r.score, overall_risk_level = r.level::kyc_risk.level_name,
		manual_review = r.manual_review, overrides = r.overrides, updated_at = now()
	FROM kyc_risk.risk_assessments o, LATERAL kyc_risk.assessment_result(o.id) r
	WHERE o.status = 'InProgress' AND a.id = o.id
	  AND (a.risk_score, a.overall_risk_level::text, a.manual_review, a.overrides)
		  IS DISTINCT FROM (r.score, r.level, r.manual_review, r.overrides);
	SELECT count(*)::integer INTO changed
	FROM kyc_risk.risk_assessments a
	WHERE before ? a.id::text AND before->>a.id::text <> a.overall_risk_level::text;
	RETURN changed;
END
$$;

-- The documented default model and reference data, added where missing;
-- make provision runs it.  Kept out of the install script so that pg_dump
-- and restore never meet the same rows twice.
CREATE FUNCTION kyc_risk.install_defaults()
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_risk.factor_types (type, weight, required, description) VALUES
		('Sanctions', 0.30, true, 'Watch-list screening against sanctions lists'),
		('PEP', 0.20, true, 'Politically exposed person screening'),
		('Geography', 0.20, true, 'Country risk of residence, nationality and operations'),
		('Industry', 0.15, true, 'Industry risk of the customer''s business'),
		('AdverseMedia', 0.15, false, 'Adverse media findings')
	ON CONFLICT DO NOTHING;
	-- What each of onboarding's case types needs to complete.  Everyone is
	-- screened (Sanctions, PEP) and placed (Geography); a business
	-- (Corporate, Partnership) has an industry too.  An individual has
	-- none, and a trust need not carry on a business: a person adds an
	-- Industry factor to a trust that does.
	INSERT INTO kyc_risk.required_factor_types (case_type, factor_type)
	SELECT t, f
	FROM unnest(ARRAY['Individual', 'Corporate', 'Trust', 'Partnership']) t,
		 unnest(ARRAY['Sanctions', 'PEP', 'Geography', 'Industry']) f
	WHERE f <> 'Industry' OR t IN ('Corporate', 'Partnership')
	ON CONFLICT DO NOTHING;
	INSERT INTO kyc_risk.level_bands (level, min_score) VALUES
		('Low', 0), ('MediumLow', 20), ('Medium', 40), ('MediumHigh', 60), ('High', 80)
	ON CONFLICT DO NOTHING;
	INSERT INTO kyc_risk.overrides (name, factor_type, factor_level, min_level, manual_review, description)
	VALUES ('sanctions_high', 'Sanctions', 'High', 'High', true,
			'A High Sanctions factor makes the assessment High and flags it for manual review'),
		-- FATF Recommendation 19: enhanced due diligence for the
		-- call-for-action countries, which alone score High by default.
		('geography_call_for_action', 'Geography', 'High', 'MediumHigh', true,
		 'A High Geography factor (by default a FATF call-for-action country) makes the assessment at least MediumHigh and flags it for manual review'),
		-- FATF Recommendation 12: enhanced due diligence for a high-risk PEP.
		('pep_high', 'PEP', 'High', 'MediumHigh', true,
		 'A High PEP factor makes the assessment at least MediumHigh and flags it for manual review')
	ON CONFLICT DO NOTHING;
	-- FATF public statements of 13 June 2025: "High-Risk Jurisdictions
	-- subject to a Call for Action" (black list) and "Jurisdictions under
	-- Increased Monitoring" (grey list).  Replace as FATF publishes.
	INSERT INTO kyc_risk.country_risk (country_code, country_name, score, list, source, as_of)
	SELECT c.code, c.name, CASE c.list WHEN 'black' THEN 100 ELSE 70 END,
		   'FATF ' || c.list || ' list',
		   CASE c.list WHEN 'black' THEN 'FATF High-Risk Jurisdictions subject to a Call for Action'
		   ELSE 'FATF Jurisdictions under Increased Monitoring' END,
		   date '2025-06-13'
	FROM (VALUES
		('KP', 'Democratic People''s Republic of Korea', 'black'), ('IR', 'Iran', 'black'),
		('MM', 'Myanmar', 'black'),
		('DZ', 'Algeria', 'grey'), ('AO', 'Angola', 'grey'), ('BO', 'Bolivia', 'grey'),
		('BG', 'Bulgaria', 'grey'), ('BF', 'Burkina Faso', 'grey'), ('CM', 'Cameroon', 'grey'),
		('CI', 'Côte d''Ivoire', 'grey'), ('CD', 'Democratic Republic of the Congo', 'grey'),
		('HT', 'Haiti', 'grey'), ('KE', 'Kenya', 'grey'), ('LA', 'Lao People''s Democratic Republic', 'grey'),
		('LB', 'Lebanon', 'grey'), ('MC', 'Monaco', 'grey'), ('MZ', 'Mozambique', 'grey'),
		('NA', 'Namibia', 'grey'), ('NP', 'Nepal', 'grey'), ('NG', 'Nigeria', 'grey'),
		('ZA', 'South Africa', 'grey'), ('SS', 'South Sudan', 'grey'), ('SY', 'Syria', 'grey'),
		('VE', 'Venezuela', 'grey'), ('VN', 'Vietnam', 'grey'), ('VG', 'British Virgin Islands', 'grey'),
		('YE', 'Yemen', 'grey')) AS c(code, name, list)
	ON CONFLICT DO NOTHING;
	-- Sectors FATF's risk-based approach guidance names as higher risk;
	-- scores are pgkyc's defaults, to be set by each firm's own assessment.
	INSERT INTO kyc_risk.industry_risk (industry_code, description, score, source, as_of) VALUES
		('arms_defence', 'Arms, defence and dual-use goods', 90, 'pgkyc default', date '2025-06-13'),
		('virtual_assets', 'Virtual asset service providers', 85, 'pgkyc default', date '2025-06-13'),
		('money_services', 'Money services and remittance', 85, 'pgkyc default', date '2025-06-13'),
		('gambling', 'Gambling and casinos', 80, 'pgkyc default', date '2025-06-13'),
		('precious_metals', 'Dealers in precious metals and stones', 75, 'pgkyc default', date '2025-06-13'),
		('real_estate', 'Real estate agents and developers', 60, 'pgkyc default', date '2025-06-13'),
		('cash_intensive', 'Cash-intensive retail and hospitality', 55, 'pgkyc default', date '2025-06-13'),
		('trust_company', 'Trust and company service providers', 65, 'pgkyc default', date '2025-06-13'),
		('charity', 'Non-profit organisations', 45, 'pgkyc default', date '2025-06-13'),
		('professional_services', 'Lawyers, notaries and accountants', 40, 'pgkyc default', date '2025-06-13'),
		('manufacturing', 'Manufacturing', 20, 'pgkyc default', date '2025-06-13'),
		('software', 'Software and IT services', 15, 'pgkyc default', date '2025-06-13'),
		('public_sector', 'Public sector bodies', 10, 'pgkyc default', date '2025-06-13')
	ON CONFLICT DO NOTHING;
$$;

REVOKE ALL ON FUNCTION kyc_risk.rescore_open_assessments() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_risk.install_defaults() FROM PUBLIC;
