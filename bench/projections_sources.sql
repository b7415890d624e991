-- bench/projections_sources.sql: :n cases in tables shaped like the four
-- source services' (onboarding's cases and applicants, checklist_service's
-- checklists, risk_service's assessments, document_service's documents, two
-- a case), and a materialized view joining them into the projection's
-- shape: what a read model kept by REFRESH MATERIALIZED VIEW would be.
DROP SCHEMA IF EXISTS src CASCADE;
CREATE SCHEMA src;
SELECT setseed(0.31);
CREATE TABLE src.cases AS
SELECT format('KYC-SRC-%s', g) AS case_id, g AS id,
	(ARRAY['Draft','InProgress','PendingReview','Approved','Rejected'])[1 + g % 5] AS status,
	format('partner-%s', 1 + g % 50) AS partner_id, format('REF-%s', g) AS partner_reference_id,
	now() - (g % 365) * interval '1 day' AS created_at, now() AS updated_at,
	now() - (g % 300) * interval '1 day' AS submitted_at
FROM generate_series(1, :n) g;
CREATE TABLE src.applicants AS
SELECT g AS case_ref, format('First%s', g % 100) AS first_name, format('Last%s', g % 97) AS last_name,
	format('a%s@example.com', g) AS email, 'GB' AS nationality
FROM generate_series(1, :n) g;
CREATE TABLE src.checklists AS
SELECT g AS case_ref, 'InProgress' AS status, 6 AS total_items, g % 7 AS completed_items
FROM generate_series(1, :n) g;
CREATE TABLE src.risk_assessments AS
SELECT g AS case_ref, (ARRAY['Low','Medium','High'])[1 + g % 3] AS level, (g % 100)::numeric AS score,
	g % 17 = 0 AS manual_review
FROM generate_series(1, :n) g;
CREATE TABLE src.documents AS
SELECT g AS case_ref, (ARRAY['Pending','Verified','Rejected'])[1 + (g + k) % 3] AS status
FROM generate_series(1, :n) g, generate_series(1, 2) k;
ALTER TABLE src.cases ADD PRIMARY KEY (id);
CREATE INDEX ON src.applicants (case_ref);
CREATE INDEX ON src.checklists (case_ref);
CREATE INDEX ON src.risk_assessments (case_ref);
CREATE INDEX ON src.documents (case_ref);
CREATE MATERIALIZED VIEW src.case_projections AS
SELECT c.case_id, c.status, c.partner_id, c.partner_reference_id, c.created_at, c.updated_at, c.submitted_at,
	a.first_name, a.last_name, a.email, a.nationality,
	l.status AS checklist_status, l.total_items, l.completed_items,
	round(100.0 * l.completed_items / nullif(l.total_items, 0), 2) AS checklist_completion_percentage,
	r.level AS risk_level, r.score AS risk_score, r.manual_review AS requires_manual_review,
	d.document_count, d.verified_document_count, d.pending_document_count, d.rejected_document_count
FROM src.cases c
LEFT JOIN src.applicants a ON a.case_ref = c.id
LEFT JOIN src.checklists l ON l.case_ref = c.id
LEFT JOIN src.risk_assessments r ON r.case_ref = c.id
LEFT JOIN (SELECT case_ref, count(*) AS document_count,
				  count(*) FILTER (WHERE status = 'Verified') AS verified_document_count,
				  count(*) FILTER (WHERE status = 'Pending') AS pending_document_count,
				  count(*) FILTER (WHERE status = 'Rejected') AS rejected_document_count
		   FROM src.documents GROUP BY case_ref) d ON d.case_ref = c.id;
CREATE UNIQUE INDEX ON src.case_projections (case_id);
VACUUM ANALYZE src.cases, src.applicants, src.checklists, src.risk_assessments, src.documents;
