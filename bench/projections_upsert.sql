-- bench/projections_upsert.sql (pgbench): one case.status_changed applied
-- to the projections as apply_event() applies it: one INSERT ... ON
-- CONFLICT (case_id) DO UPDATE through the case_id index, with the derive,
-- note_change and count_change triggers; :n is the table's size.
\set g random(1, :n)
\set s random(1, 3)
INSERT INTO kyc_projections.onboarding_case_projections AS p (case_id, status, updated_at, case_xid, case_event_id, last_event)
SELECT c.case_id, (ARRAY['InProgress','PendingReview','Approved'])[:s], now(), pg_current_xact_id(), :g, 'onboarding case.status_changed'
FROM bench_ids c WHERE c.g = :g
ON CONFLICT (case_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
	case_xid = excluded.case_xid, case_event_id = excluded.case_event_id, last_event = excluded.last_event
WHERE (p.case_xid, p.case_event_id) < (excluded.case_xid, excluded.case_event_id);
