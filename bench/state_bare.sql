-- 100 cases through the whole machine: an insert and three transitions each,
-- as set-based statements, so the work per row, not the round trip, dominates.
BEGIN;
INSERT INTO bench.cases_bare (type) SELECT 'Individual' FROM generate_series(1, 100);
UPDATE bench.cases_bare SET status = 'InProgress' WHERE status = 'Draft';
UPDATE bench.cases_bare SET status = 'PendingReview' WHERE status = 'InProgress';
UPDATE bench.cases_bare SET status = 'Approved' WHERE status = 'PendingReview';
END;
