-- onboarding's PostgREST API (make provision runs it after the extension
-- and the API roles exist; idempotent; run it again after a restore, which
-- does not keep row-level security on extension tables).  The api schema
-- holds views and functions only; row-level security on the cases decides
-- which rows each role reads:
--   kyc_partner                        the token's partner's cases (kyc.partner_id)
--   kyc_reviewer                       the cases assigned to the token's user, and the unassigned queue
--   kyc_compliance_officer, kyc_admin  every case
--   onboarding_user                    every case, and every write it had (the service)
CREATE SCHEMA IF NOT EXISTS api;
REVOKE ALL ON SCHEMA api FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
COMMENT ON SCHEMA api IS 'pgkyc''s onboarding API, for PostgREST: views and functions only, row-level security on the tables beneath.';

ALTER TABLE kyc_onboarding.onboarding_cases ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS service ON kyc_onboarding.onboarding_cases;
CREATE POLICY service ON kyc_onboarding.onboarding_cases TO onboarding_user USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS partner ON kyc_onboarding.onboarding_cases;
CREATE POLICY partner ON kyc_onboarding.onboarding_cases FOR SELECT TO kyc_partner
	USING (partner_id OPERATOR(pg_catalog.=) kyc_events.request_partner());
DROP POLICY IF EXISTS reviewer ON kyc_onboarding.onboarding_cases;
CREATE POLICY reviewer ON kyc_onboarding.onboarding_cases FOR SELECT TO kyc_reviewer
	USING (assigned_to IS NULL OR assigned_to OPERATOR(pg_catalog.=) pg_catalog.current_setting('kyc.actor'));
DROP POLICY IF EXISTS officer ON kyc_onboarding.onboarding_cases;
CREATE POLICY officer ON kyc_onboarding.onboarding_cases FOR SELECT TO kyc_compliance_officer, kyc_admin
	USING (true);

GRANT USAGE ON SCHEMA kyc_onboarding TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
-- What every API role reads of a case; its risk result is not among it.
REVOKE ALL ON kyc_onboarding.onboarding_cases FROM kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT SELECT (case_id, type, status, partner_id, partner_reference_id, company_name, created_at, updated_at,
			  submitted_at, approved_at, rejected_at)
	ON kyc_onboarding.onboarding_cases TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

CREATE OR REPLACE VIEW api.cases WITH (security_invoker = true) AS
SELECT case_id, type, status, partner_id, partner_reference_id, company_name, created_at, updated_at,
	   submitted_at, approved_at, rejected_at
FROM kyc_onboarding.onboarding_cases;
COMMENT ON VIEW api.cases IS
'Onboarding cases: a partner reads its own, a reviewer those assigned to them and the unassigned queue, a compliance officer all.';
GRANT SELECT ON api.cases TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

-- A partner creates a case for itself: the partner comes from the token,
-- never from a parameter.  It runs as its owner to write what a partner
-- holds no right to write directly; kyc.actor (the token's subject) is
-- recorded as who created it.
CREATE OR REPLACE FUNCTION api.create_case(type text, partner_reference_id text DEFAULT NULL,
										   applicant jsonb DEFAULT NULL, details jsonb DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	msg text;
	det text;
	hnt text;
	partner text := kyc_events.require_partner('creates cases');
	case_id text;
BEGIN
	case_id := kyc_onboarding.create_case(create_case.type, partner, create_case.partner_reference_id,
										  create_case.applicant, create_case.details);
	-- The applicant's event is a deferred trigger: fire it here, as the
	-- owner, not at commit as the partner, who may not read applicants.
	SET CONSTRAINTS ALL IMMEDIATE;
	RETURN case_id;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	-- A conflict with the case's state: 409 over HTTP, not 500.
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	PERFORM kyc_events.raise_http(409, SQLSTATE, msg, det, hnt);
END
$$;
COMMENT ON FUNCTION api.create_case(text, text, jsonb, jsonb) IS
'Create a Draft case for the token''s partner, with its applicant and addresses (and a company''s details), as kyc_onboarding.create_case() takes them; returns the new case id.';
REVOKE ALL ON FUNCTION api.create_case(text, text, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.create_case(text, text, jsonb, jsonb) TO kyc_partner;

-- A reviewer's decision on a case: Assign (to the token's user), Approve,
-- Reject, RequestInformation or Acknowledge, with the token's subject as
-- the reviewer.  A reviewer decides only the unassigned queue and the
-- cases assigned to them; a compliance officer any case.  Every rule of
-- kyc_onboarding's decisions (four eyes, the results a decision needs)
-- still applies.
CREATE OR REPLACE FUNCTION api.decide(case_id text, decision text, notes text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	msg text;
	det text;
	hnt text;
	reviewer text := pg_catalog.current_setting('kyc.actor');
	token_role text := pg_catalog.current_setting('role');
	assigned text;
	result jsonb;
BEGIN
	IF reviewer OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION 'a decision needs the token''s subject as its reviewer'
			USING ERRCODE = 'insufficient_privilege', HINT = 'Call it through PostgREST with a reviewer''s token.';
	END IF;
	IF decision IS NULL OR NOT decision OPERATOR(pg_catalog.=) ANY
		('{Assign,Approve,Reject,RequestInformation,Acknowledge}'::pg_catalog.text[]) THEN
		RAISE EXCEPTION 'decision "%" is not allowed', decision
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Use one of: Assign, Approve, Reject, RequestInformation, Acknowledge.';
	END IF;
	SELECT c.assigned_to INTO assigned FROM kyc_onboarding.onboarding_cases c
	WHERE c.case_id OPERATOR(pg_catalog.=) decide.case_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % does not exist', decide.case_id USING ERRCODE = 'no_data_found';
	END IF;
	IF token_role OPERATOR(pg_catalog.=) 'kyc_reviewer' AND assigned IS NOT NULL
	   AND assigned OPERATOR(pg_catalog.<>) reviewer THEN
		RAISE EXCEPTION 'case % is assigned to another reviewer', decide.case_id
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'A reviewer decides the unassigned queue and the cases assigned to them; a compliance officer may reassign it.';
	END IF;
	INSERT INTO kyc_onboarding.case_decisions AS d (case_id, decision, reviewer, notes)
	VALUES (decide.case_id, decide.decision, reviewer, decide.notes)
	RETURNING pg_catalog.to_jsonb(d.*) INTO result;
	RETURN result;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	-- A conflict with the case's state: 409 over HTTP, not 500.
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	PERFORM kyc_events.raise_http(409, SQLSTATE, msg, det, hnt);
END
$$;
COMMENT ON FUNCTION api.decide(text, text, text) IS
'A reviewer''s decision (Assign, Approve, Reject, RequestInformation, Acknowledge) on a case, by the token''s user: a reviewer only on the unassigned queue and the cases assigned to them, a compliance officer on any. Returns the decision.';
REVOKE ALL ON FUNCTION api.decide(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.decide(text, text, text) TO kyc_reviewer, kyc_compliance_officer;

-- A partner corrects its own case's applicant: the keys of changes are the
-- columns to set, and any other key is refused, not ignored.  A case of
-- another partner is "not found", exactly as one that does not exist.
-- Every check of the applicants table still applies (a frozen case, an
-- E.164 phone number, a known nationality, ...).
CREATE OR REPLACE FUNCTION api.update_applicant(case_id text, changes jsonb)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	msg text;
	det text;
	hnt text;
	partner text := kyc_events.require_partner('changes applicants');
	allowed text[] := '{first_name,last_name,date_of_birth,national_id_number,email,phone_number,nationality}';
	unknown text;
	result jsonb;
BEGIN
	IF changes IS NULL OR pg_catalog.jsonb_typeof(changes) OPERATOR(pg_catalog.<>) 'object' THEN
		RAISE EXCEPTION 'changes must be a JSON object of the columns to set'
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Keys: ' || pg_catalog.array_to_string(allowed, ', ') || '.';
	END IF;
	SELECT k INTO unknown FROM pg_catalog.jsonb_object_keys(changes) k
	WHERE NOT k OPERATOR(pg_catalog.=) ANY (allowed) LIMIT 1;
	IF unknown IS NOT NULL THEN
		RAISE EXCEPTION 'changes has the key "%", which is not a column a partner may set', unknown
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Keys: ' || pg_catalog.array_to_string(allowed, ', ') || '.';
	END IF;
	PERFORM kyc_onboarding.check_person_values(changes, 'changes');
	PERFORM FROM kyc_onboarding.onboarding_cases c
	WHERE c.case_id OPERATOR(pg_catalog.=) update_applicant.case_id AND c.partner_id OPERATOR(pg_catalog.=) partner;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'case % does not exist', update_applicant.case_id USING ERRCODE = 'no_data_found';
	END IF;
	UPDATE kyc_onboarding.applicants a SET
		first_name = CASE WHEN changes ? 'first_name' THEN changes OPERATOR(pg_catalog.->>) 'first_name' ELSE a.first_name END,
		last_name = CASE WHEN changes ? 'last_name' THEN changes OPERATOR(pg_catalog.->>) 'last_name' ELSE a.last_name END,
		date_of_birth = CASE WHEN changes ? 'date_of_birth'
							 THEN (changes OPERATOR(pg_catalog.->>) 'date_of_birth')::pg_catalog.date ELSE NULL END,
		-- A sealed value stays unless its plain column is set (the trigger
		-- seals it) or set to null, which clears it.
		date_of_birth_sealed = CASE WHEN changes OPERATOR(pg_catalog.->) 'date_of_birth' OPERATOR(pg_catalog.=) 'null'
							 THEN NULL ELSE a.date_of_birth_sealed END,
		national_id_number_sealed = CASE WHEN changes OPERATOR(pg_catalog.->) 'national_id_number' OPERATOR(pg_catalog.=) 'null'
							 THEN NULL ELSE a.national_id_number_sealed END,
		national_id_number = CASE WHEN changes ? 'national_id_number'
							 THEN changes OPERATOR(pg_catalog.->>) 'national_id_number' ELSE NULL END,
		email = CASE WHEN changes ? 'email' THEN changes OPERATOR(pg_catalog.->>) 'email' ELSE a.email END,
		phone_number = CASE WHEN changes ? 'phone_number' THEN changes OPERATOR(pg_catalog.->>) 'phone_number' ELSE a.phone_number END,
		nationality = CASE WHEN changes ? 'nationality' THEN changes OPERATOR(pg_catalog.->>) 'nationality' ELSE a.nationality END
	WHERE a.case_id OPERATOR(pg_catalog.=) update_applicant.case_id AND a.role OPERATOR(pg_catalog.=) 'Applicant'
	RETURNING pg_catalog.jsonb_build_object('applicant_id', a.id, 'first_name', a.first_name, 'last_name', a.last_name,
		'date_of_birth', kyc_onboarding.reveal(a.date_of_birth_sealed)::pg_catalog.date,
		'national_id_number', kyc_onboarding.reveal(a.national_id_number_sealed),
		'email', a.email, 'phone_number', a.phone_number, 'nationality', a.nationality)
	INTO result;
	IF result IS NULL THEN
		RAISE EXCEPTION 'case % has no applicant', update_applicant.case_id USING ERRCODE = 'no_data_found';
	END IF;
	-- Deferred triggers fire here, as the owner, not at commit as the partner.
	SET CONSTRAINTS ALL IMMEDIATE;
	RETURN result;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	-- A conflict with the case's state: 409 over HTTP, not 500.
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	PERFORM kyc_events.raise_http(409, SQLSTATE, msg, det, hnt);
END
$$;
COMMENT ON FUNCTION api.update_applicant(text, jsonb) IS
'Change the applicant of one of the token''s partner''s cases: changes is an object of first_name, last_name, date_of_birth, national_id_number, email, phone_number and nationality; any other key is refused. date_of_birth and national_id_number are sealed at rest. Returns the applicant.';
REVOKE ALL ON FUNCTION api.update_applicant(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.update_applicant(text, jsonb) TO kyc_partner;

-- Applicants and their addresses under the same rule as their case: the
-- service reads and writes them all; a partner reads its own cases'
-- applicants (api.applicants) and never their addresses or aliases;
-- reviewers and compliance officers read what they read of cases.
ALTER TABLE kyc_onboarding.applicants ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS service ON kyc_onboarding.applicants;
CREATE POLICY service ON kyc_onboarding.applicants TO onboarding_user USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS api_roles ON kyc_onboarding.applicants;
CREATE POLICY api_roles ON kyc_onboarding.applicants FOR SELECT
	TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin
	USING (case_uuid IN (SELECT c.id FROM kyc_onboarding.onboarding_cases c));
ALTER TABLE kyc_onboarding.addresses ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS service ON kyc_onboarding.addresses;
CREATE POLICY service ON kyc_onboarding.addresses TO onboarding_user USING (true) WITH CHECK (true);

GRANT SELECT (id) ON kyc_onboarding.onboarding_cases TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
REVOKE ALL ON kyc_onboarding.applicants FROM kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT SELECT (id, case_uuid, case_id, role, first_name, last_name, date_of_birth_sealed,
			  national_id_number_sealed, email, phone_number, nationality)
	ON kyc_onboarding.applicants TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc_onboarding.reveal(text) TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

DROP VIEW IF EXISTS api.applicants;
CREATE VIEW api.applicants WITH (security_invoker = true) AS
SELECT id, case_id, role, first_name, last_name,
	   kyc_onboarding.reveal(date_of_birth_sealed)::pg_catalog.date AS date_of_birth,
	   kyc_onboarding.reveal(national_id_number_sealed) AS national_id_number,
	   email, phone_number, nationality
FROM kyc_onboarding.applicants;
COMMENT ON VIEW api.applicants IS
'The applicants and beneficial owners of the cases the reader may read: a partner its own cases'', a reviewer those of its assigned cases and the unassigned queue, a compliance officer all. date_of_birth and national_id_number are opened from their sealed columns, and are null once the case is forgotten.';
GRANT SELECT ON api.applicants TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

-- GDPR erasure through the API: a compliance officer or an administrator
-- forgets the subject of a case (kyc_onboarding.forget_subject); the
-- token's subject is recorded as who asked.
CREATE OR REPLACE FUNCTION api.forget_subject(case_id text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	msg text;
	det text;
	hnt text;
BEGIN
	RETURN kyc_onboarding.forget_subject(forget_subject.case_id);
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	-- A conflict with the case's state: 409 over HTTP, not 500.
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
	PERFORM kyc_events.raise_http(409, SQLSTATE, msg, det, hnt);
END
$$;
COMMENT ON FUNCTION api.forget_subject(text) IS
'GDPR erasure of the case''s sealed fields by crypto-shredding: destroys the case''s data key, so its dates of birth, national id and document numbers no longer open; names and contact data stay, and the audit chain still verifies. Compliance officers and administrators only. Returns case_id, forgotten_at and requested_by.';
REVOKE ALL ON FUNCTION api.forget_subject(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.forget_subject(text) TO kyc_compliance_officer, kyc_admin;

-- Every column described, for PostgREST's OpenAPI document.
COMMENT ON COLUMN api.cases.case_id IS 'The case''s public id (KYC-YYYYMMDD-NNNNNNNNNN).';
COMMENT ON COLUMN api.cases.type IS 'Individual, Corporate, Trust or Partnership.';
COMMENT ON COLUMN api.cases.status IS 'The case''s state: Draft, InProgress, PendingReview, Approved or Rejected.';
COMMENT ON COLUMN api.cases.partner_id IS 'The onboarding partner the case belongs to, as the token''s partner_id claim names it.';
COMMENT ON COLUMN api.cases.partner_reference_id IS 'The partner''s own reference for the case, unique per partner.';
COMMENT ON COLUMN api.cases.company_name IS 'The company, trust or partnership of a business case; null for an individual.';
COMMENT ON COLUMN api.cases.created_at IS 'When it was created.';
COMMENT ON COLUMN api.cases.updated_at IS 'When it last changed.';
COMMENT ON COLUMN api.cases.submitted_at IS 'When the case was submitted for review.';
COMMENT ON COLUMN api.cases.approved_at IS 'When the case was approved.';
COMMENT ON COLUMN api.cases.rejected_at IS 'When the case was rejected.';
COMMENT ON COLUMN api.applicants.id IS 'Its id (a uuid).';
COMMENT ON COLUMN api.applicants.case_id IS 'The case''s public id (KYC-YYYYMMDD-NNNNNNNNNN).';
COMMENT ON COLUMN api.applicants.role IS 'Applicant, or BeneficialOwner of a company, trust or partnership.';
COMMENT ON COLUMN api.applicants.first_name IS 'The person''s first name.';
COMMENT ON COLUMN api.applicants.last_name IS 'The person''s last name.';
COMMENT ON COLUMN api.applicants.date_of_birth IS 'The person''s date of birth, opened from its sealed column; null once the case is forgotten.';
COMMENT ON COLUMN api.applicants.national_id_number IS 'The number of the person''s national identity document, opened from its sealed column; null once the case is forgotten.';
COMMENT ON COLUMN api.applicants.email IS 'The person''s email address.';
COMMENT ON COLUMN api.applicants.phone_number IS 'The person''s phone number, E.164.';
COMMENT ON COLUMN api.applicants.nationality IS 'The person''s nationality, an ISO 3166-1 alpha-2 code.';
