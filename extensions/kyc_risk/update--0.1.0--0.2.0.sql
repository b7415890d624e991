/* kyc_risk 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_risk UPDATE" to load this file. \quit

-- The case's type, and the number of the last result emitted.  Assessments
-- from 0.1.0 have no type (they need factor_types' required types, as
-- before) and no numbered result yet: their next result is 1, above the
-- unnumbered ones 0.1.0 emitted.
ALTER TABLE kyc_risk.risk_assessments
	ADD COLUMN case_type text CHECK (btrim(case_type) <> ''),
	ADD COLUMN result_seq bigint NOT NULL DEFAULT 0;

-- The new tables (required_factor_types, which install_defaults() seeds,
-- and the workflow's case_subjects and applicant_subjects, which the
-- onboarding_events subscription fills) come from the install script.
