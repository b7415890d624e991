-- projections_api's PostgREST API (make provision runs it after the
-- extension and the API roles exist; it is idempotent, and must run again
-- after a restore, which does not keep row-level security on extension
-- tables).  The api schema holds views only; row-level security on the
-- projections decides which rows each role sees, so no view can show more
-- than its reader may read:
--   kyc_partner             the cases of the token's partner (kyc.partner_id)
--   kyc_reviewer            the cases assigned to the token's user, and the unassigned queue
--   kyc_compliance_officer, kyc_admin, projections_user   every case
CREATE SCHEMA IF NOT EXISTS api;
REVOKE ALL ON SCHEMA api FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
COMMENT ON SCHEMA api IS 'pgkyc''s read API of onboarding cases, for PostgREST: views only, row-level security on the tables beneath.';

ALTER TABLE kyc_projections.onboarding_case_projections ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS service ON kyc_projections.onboarding_case_projections;
CREATE POLICY service ON kyc_projections.onboarding_case_projections FOR SELECT TO projections_user
	USING (true);
DROP POLICY IF EXISTS partner ON kyc_projections.onboarding_case_projections;
CREATE POLICY partner ON kyc_projections.onboarding_case_projections FOR SELECT TO kyc_partner
	USING (partner_id OPERATOR(pg_catalog.=) kyc_events.request_partner());
DROP POLICY IF EXISTS reviewer ON kyc_projections.onboarding_case_projections;
CREATE POLICY reviewer ON kyc_projections.onboarding_case_projections FOR SELECT TO kyc_reviewer
	USING (assigned_to IS NULL OR assigned_to OPERATOR(pg_catalog.=) pg_catalog.current_setting('kyc.actor'));
DROP POLICY IF EXISTS officer ON kyc_projections.onboarding_case_projections;
CREATE POLICY officer ON kyc_projections.onboarding_case_projections FOR SELECT
	TO kyc_compliance_officer, kyc_admin USING (true);

GRANT USAGE ON SCHEMA kyc_projections TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;
-- A partner reads its cases' progress, never their risk or screening results.
REVOKE ALL ON kyc_projections.onboarding_case_projections FROM kyc_partner;
GRANT SELECT (case_id, type, status, partner_id, partner_name, partner_reference_id, applicant_first_name,
			  applicant_last_name, progress_percentage, total_steps, completed_steps, checklist_status,
			  checklist_completion_percentage, document_count, verified_document_count, pending_document_count,
			  rejected_document_count, created_at, updated_at, submitted_at, approved_at, rejected_at)
	ON kyc_projections.onboarding_case_projections TO kyc_partner;
GRANT SELECT ON kyc_projections.onboarding_case_projections TO kyc_reviewer, kyc_compliance_officer, kyc_admin;

CREATE OR REPLACE VIEW api.cases WITH (security_invoker = true) AS
SELECT case_id, type, status, partner_id, partner_name, partner_reference_id, applicant_first_name,
	   applicant_last_name, progress_percentage, total_steps, completed_steps, checklist_status,
	   checklist_completion_percentage, document_count, verified_document_count, pending_document_count,
	   rejected_document_count, created_at, updated_at, submitted_at, approved_at, rejected_at
FROM kyc_projections.onboarding_case_projections;
COMMENT ON VIEW api.cases IS
'Onboarding cases as a partner follows them: status and progress, never risk or screening results. A partner sees its own cases, a reviewer those assigned to them and the unassigned queue, a compliance officer all.';
GRANT SELECT ON api.cases TO kyc_partner, kyc_reviewer, kyc_compliance_officer, kyc_admin;

CREATE OR REPLACE VIEW api.case_reviews WITH (security_invoker = true) AS
SELECT case_id, type, status, partner_id, partner_name, applicant_first_name, applicant_last_name,
	   applicant_nationality, risk_level, risk_score, risk_status, sanctions_hits, pep_hits,
	   requires_manual_review, has_compliance_issues, compliance_notes, checklist_status,
	   progress_percentage, assigned_to, assigned_at, submitted_at, created_at, updated_at
FROM kyc_projections.onboarding_case_projections;
COMMENT ON VIEW api.case_reviews IS
'Onboarding cases as reviewers work them: risk level and score, screening hits, compliance notes and assignment. Not for partners.';
GRANT SELECT ON api.case_reviews TO kyc_reviewer, kyc_compliance_officer, kyc_admin;

-- Every column described, for PostgREST's OpenAPI document.
COMMENT ON COLUMN api.cases.case_id IS 'The case''s public id (KYC-YYYYMMDD-NNNNNNNNNN).';
COMMENT ON COLUMN api.cases.type IS 'Individual, Corporate, Trust or Partnership.';
COMMENT ON COLUMN api.cases.status IS 'The case''s state: Draft, InProgress, PendingReview, Approved or Rejected.';
COMMENT ON COLUMN api.cases.partner_id IS 'The onboarding partner the case belongs to, as the token''s partner_id claim names it.';
COMMENT ON COLUMN api.cases.partner_name IS 'The partner''s display name.';
COMMENT ON COLUMN api.cases.partner_reference_id IS 'The partner''s own reference for the case, unique per partner.';
COMMENT ON COLUMN api.cases.applicant_first_name IS 'The applicant''s first name.';
COMMENT ON COLUMN api.cases.applicant_last_name IS 'The applicant''s last name.';
COMMENT ON COLUMN api.cases.progress_percentage IS 'How far the case has come, 0 to 100.';
COMMENT ON COLUMN api.cases.total_steps IS 'The steps of the case''s checklist.';
COMMENT ON COLUMN api.cases.completed_steps IS 'The checklist steps completed.';
COMMENT ON COLUMN api.cases.checklist_status IS 'The checklist''s state: InProgress or Completed; null before the case has one.';
COMMENT ON COLUMN api.cases.checklist_completion_percentage IS 'The share of the checklist''s items completed, 0 to 100.';
COMMENT ON COLUMN api.cases.document_count IS 'The case''s documents.';
COMMENT ON COLUMN api.cases.verified_document_count IS 'The case''s verified documents.';
COMMENT ON COLUMN api.cases.pending_document_count IS 'The case''s documents awaiting review.';
COMMENT ON COLUMN api.cases.rejected_document_count IS 'The case''s rejected documents.';
COMMENT ON COLUMN api.cases.created_at IS 'When it was created.';
COMMENT ON COLUMN api.cases.updated_at IS 'When it last changed.';
COMMENT ON COLUMN api.cases.submitted_at IS 'When the case was submitted for review.';
COMMENT ON COLUMN api.cases.approved_at IS 'When the case was approved.';
COMMENT ON COLUMN api.cases.rejected_at IS 'When the case was rejected.';
COMMENT ON COLUMN api.case_reviews.case_id IS 'The case''s public id (KYC-YYYYMMDD-NNNNNNNNNN).';
COMMENT ON COLUMN api.case_reviews.type IS 'Individual, Corporate, Trust or Partnership.';
COMMENT ON COLUMN api.case_reviews.status IS 'The case''s state: Draft, InProgress, PendingReview, Approved or Rejected.';
COMMENT ON COLUMN api.case_reviews.partner_id IS 'The onboarding partner the case belongs to, as the token''s partner_id claim names it.';
COMMENT ON COLUMN api.case_reviews.partner_name IS 'The partner''s display name.';
COMMENT ON COLUMN api.case_reviews.applicant_first_name IS 'The applicant''s first name.';
COMMENT ON COLUMN api.case_reviews.applicant_last_name IS 'The applicant''s last name.';
COMMENT ON COLUMN api.case_reviews.applicant_nationality IS 'The applicant''s nationality, an ISO 3166-1 alpha-2 code.';
COMMENT ON COLUMN api.case_reviews.risk_level IS 'Low, MediumLow, Medium, MediumHigh or High, from risk_service''s weighted score.';
COMMENT ON COLUMN api.case_reviews.risk_score IS 'The weighted AML risk score, 0 to 100.';
COMMENT ON COLUMN api.case_reviews.risk_status IS 'The risk assessment''s state: InProgress, Completed or Rejected.';
COMMENT ON COLUMN api.case_reviews.sanctions_hits IS 'Sanctions list matches of the case''s people.';
COMMENT ON COLUMN api.case_reviews.pep_hits IS 'Politically exposed person matches of the case''s people.';
COMMENT ON COLUMN api.case_reviews.requires_manual_review IS 'True when the risk result needs a reviewer''s decision.';
COMMENT ON COLUMN api.case_reviews.has_compliance_issues IS 'True when screening or risk found something to resolve.';
COMMENT ON COLUMN api.case_reviews.compliance_notes IS 'Reviewers'' compliance notes.';
COMMENT ON COLUMN api.case_reviews.checklist_status IS 'The checklist''s state: InProgress or Completed; null before the case has one.';
COMMENT ON COLUMN api.case_reviews.progress_percentage IS 'How far the case has come, 0 to 100.';
COMMENT ON COLUMN api.case_reviews.assigned_to IS 'The reviewer the case is assigned to; null in the unassigned queue.';
COMMENT ON COLUMN api.case_reviews.assigned_at IS 'When the case was assigned.';
COMMENT ON COLUMN api.case_reviews.submitted_at IS 'When the case was submitted for review.';
COMMENT ON COLUMN api.case_reviews.created_at IS 'When it was created.';
COMMENT ON COLUMN api.case_reviews.updated_at IS 'When it last changed.';
