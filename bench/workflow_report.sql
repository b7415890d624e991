-- make bench, workflow part: throughput and latency of the measured cases,
-- from the timestamps each service database wrote (run in onboarding;
-- :start is when the first measured case began).
\set ON_ERROR_STOP 1
SELECT format('dbname=%%s host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS conn \gset

CREATE TEMP TABLE onb AS
SELECT c.case_id, c.created_at,
	   (SELECT min(o.created_at) FROM kyc_events.outbox o WHERE o.aggregate_id = c.case_id AND o.topic = 'case.created') AS case_created,
	   (SELECT min(o.created_at) FROM kyc_events.outbox o WHERE o.aggregate_id = c.case_id AND o.topic = 'case.updated'
		  AND o.payload -> 'changed_columns' ? 'checklist_status') AS checklist_applied,
	   (SELECT min(o.created_at) FROM kyc_events.outbox o WHERE o.aggregate_id = c.case_id AND o.topic = 'case.updated'
		  AND o.payload -> 'changed_columns' ? 'risk_event_id') AS risk_applied,
	   (SELECT min(o.created_at) FROM kyc_events.outbox o WHERE o.aggregate_id = c.case_id AND o.topic = 'case.status_changed'
		  AND o.payload ->> 'status' = 'PendingReview') AS submitted
FROM kyc_onboarding.onboarding_cases c JOIN bench.measured USING (case_id);

CREATE TEMP TABLE chk AS SELECT * FROM dblink(format(:'conn', 'checklist_service'), $$
	SELECT c.case_id, c.created_at,
		   (SELECT i.completed_at FROM kyc_checklist.checklist_items i
			WHERE i.checklist_id = c.id AND i.code = 'sanctions_pep_screening'),
		   (SELECT max(i.completed_at) FROM kyc_checklist.checklist_items i
			WHERE i.checklist_id = c.id AND i.completed_by LIKE 'document:%'),
		   (SELECT min(o.created_at) FROM kyc_events.outbox o WHERE o.aggregate_id = c.case_id AND o.topic = 'checklist.completed')
	FROM kyc_checklist.checklists c$$)
	AS t(case_id text, checklist_created timestamptz, screening_applied timestamptz, documents_applied timestamptz,
		 checklist_completed timestamptz);

CREATE TEMP TABLE rsk AS SELECT * FROM dblink(format(:'conn', 'risk_service'), $$
	SELECT a.case_id, a.created_at,
		   (SELECT min(o.created_at) FROM kyc_events.outbox o WHERE o.aggregate_id = a.case_id AND o.topic = 'risk.screening_completed'),
		   (SELECT min(o.created_at) FROM kyc_events.outbox o WHERE o.aggregate_id = a.case_id AND o.topic = 'risk.assessment_completed')
	FROM kyc_risk.risk_assessments a$$)
	AS t(case_id text, opened timestamptz, screened timestamptz, completed timestamptz);

CREATE TEMP TABLE doc AS SELECT * FROM dblink(format(:'conn', 'document_service'), $$
	SELECT o.aggregate_id, max(o.created_at) FROM kyc_events.outbox o WHERE o.topic = 'document.verified' GROUP BY 1$$)
	AS t(case_id text, verified timestamptz);

CREATE TEMP TABLE hops AS
SELECT case_id, n, hop, extract(epoch FROM d) * 1000 AS ms
FROM onb JOIN chk USING (case_id) JOIN rsk USING (case_id) JOIN doc USING (case_id),
	 LATERAL (VALUES
		(1, 'onboarding case.created -> checklist_service creates the checklist', chk.checklist_created - onb.case_created),
		(2, 'onboarding case.created -> risk_service opens the assessment', rsk.opened - onb.case_created),
		(3, 'document_service document.verified (last) -> checklist items', chk.documents_applied - doc.verified),
		(4, 'risk_service risk.screening_completed -> checklist screening item', chk.screening_applied - rsk.screened),
		(5, 'checklist_service checklist.completed -> onboarding checklist_status', onb.checklist_applied - chk.checklist_completed),
		(6, 'risk_service risk.assessment_completed -> onboarding risk result', onb.risk_applied - rsk.completed),
		(7, 'whole flow: create_case() -> PendingReview', onb.submitted - onb.created_at)) AS h(n, hop, d);

\echo
SELECT count(*) AS cases, round(count(*) / extract(epoch FROM max(submitted) - to_timestamp(:start)), 1) AS cases_per_second,
	   round(extract(epoch FROM max(submitted) - to_timestamp(:start)), 2) AS seconds
FROM onb;
SELECT hop, count(ms) AS cases,
	   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p50_ms,
	   round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p99_ms
FROM hops GROUP BY n, hop ORDER BY n;
