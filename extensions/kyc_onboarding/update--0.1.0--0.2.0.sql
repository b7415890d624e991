/* kyc_onboarding 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_onboarding UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- Before @install: the triggers it re-creates read these columns.  Existing
-- rows take the defaults: not assessed by the 0.2.0 workflow yet, no
-- attention reasons, each person the case's Applicant with no aliases.
ALTER TABLE kyc_onboarding.onboarding_cases
	ADD COLUMN company_name varchar(200) CHECK (btrim(company_name) <> ''),
	ADD COLUMN industry_code varchar(20) CHECK (btrim(industry_code) <> ''),
	ADD COLUMN checklist_status text CHECK (checklist_status IN ('Completed', 'Reopened')),
	ADD COLUMN requires_manual_review boolean,
	ADD COLUMN checklist_event_id bigint,
	ADD COLUMN risk_event_id bigint,
	ADD COLUMN attention_reasons text[] NOT NULL DEFAULT '{}',
	ADD COLUMN awaiting_information boolean NOT NULL DEFAULT false;

ALTER TABLE kyc_onboarding.applicants
	ADD COLUMN role text NOT NULL DEFAULT 'Applicant'
		CHECK (role IN ('Applicant', 'BeneficialOwner')),
	ADD COLUMN aliases text[] NOT NULL DEFAULT '{}'
		CHECK (array_position(aliases, NULL) IS NULL),
	ADD COLUMN national_id_number varchar(64),
	ADD COLUMN date_of_birth_sealed text,
	ADD COLUMN national_id_number_sealed text;

-- create_case() gained details: the 0.2.0 one replaces it.
DROP FUNCTION kyc_onboarding.create_case(text, text, text, jsonb);

-- @install

-- Every partner_id 0.1.0 cases name becomes a partner, named by its id
-- until the database owner renames it: the foreign key needs them, and a
-- case keeps its partner_id.  A blank partner_id, which 0.1.0 accepted,
-- fails partners' CHECK and stops the update rather than change the case.
INSERT INTO kyc_onboarding.partners (partner_id, name)
SELECT DISTINCT partner_id, partner_id
FROM kyc_onboarding.onboarding_cases WHERE partner_id IS NOT NULL;

ALTER TABLE kyc_onboarding.onboarding_cases
	ADD CONSTRAINT onboarding_cases_partner_id_fkey
		FOREIGN KEY (partner_id) REFERENCES kyc_onboarding.partners (partner_id);

-- Seal the dates of birth 0.1.0 kept in the clear, with the code that seals
-- every write: the applicant_guard trigger (pii.c), fired by rewriting
-- date_of_birth, and alone: in replica mode only an ALWAYS trigger fires.
-- Quietly: the value is the same, only its storage changes, so no
-- applicant.updated (risk_service would rescreen every applicant and
-- hold every case back) and no captured change (the audit log would show
-- a superuser editing every applicant).  Nothing is lost: the trigger
-- seals every row or the update fails.  The guard refuses a submitted or
-- decided case, which is InProgress for the moment; the updated_at it
-- stamps and the superuser it records as an editor are undone.
CREATE TABLE pg_temp.sealed_applicants AS
SELECT a.id, a.updated_at, a.case_uuid, c.status
FROM kyc_onboarding.applicants a JOIN kyc_onboarding.onboarding_cases c ON c.id = a.case_uuid
WHERE a.date_of_birth IS NOT NULL;
SET LOCAL session_replication_role = replica;
ALTER TABLE kyc_onboarding.applicants ENABLE ALWAYS TRIGGER applicant_guard;
UPDATE kyc_onboarding.onboarding_cases c SET status = 'InProgress'
FROM pg_temp.sealed_applicants s
WHERE c.id = s.case_uuid AND c.status IN ('PendingReview', 'Approved', 'Rejected');
UPDATE kyc_onboarding.applicants SET date_of_birth = date_of_birth
WHERE date_of_birth IS NOT NULL;
ALTER TABLE kyc_onboarding.applicants ENABLE TRIGGER applicant_guard;
UPDATE kyc_onboarding.applicants a SET updated_at = s.updated_at
FROM pg_temp.sealed_applicants s WHERE a.id = s.id;
UPDATE kyc_onboarding.onboarding_cases c SET status = s.status
FROM pg_temp.sealed_applicants s WHERE c.id = s.case_uuid AND c.status <> s.status;
SET LOCAL session_replication_role = origin;
DROP TABLE pg_temp.sealed_applicants;
TRUNCATE kyc_onboarding.case_contributors;

-- Four eyes for cases under way: 0.1.0 kept who made the last status
-- change, which for an InProgress case started work on it (Edited) and for
-- a PendingReview one submitted it.  Who created or edited a case 0.1.0
-- did not record (the audit log has it).
INSERT INTO kyc_onboarding.case_contributors (case_id, actor, contribution, first_at)
SELECT case_id, status_changed_by,
	   CASE status WHEN 'InProgress' THEN 'Edited' ELSE 'Submitted' END,
	   coalesce(submitted_at, updated_at)
FROM kyc_onboarding.onboarding_cases
WHERE status IN ('InProgress', 'PendingReview') AND status_changed_by IS NOT NULL;
