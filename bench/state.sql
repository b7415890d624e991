-- 100 cases through the machine: an insert, two transitions and an
-- assignment each (a decision is approve()'s, not a plain UPDATE's),
-- as set-based statements, so the work per row, not the round trip, dominates.
-- bench.sh runs it against each of cases_bare, cases_c and cases_plpgsql.
BEGIN;
INSERT INTO bench.@TABLE@ (type) SELECT 'Individual' FROM generate_series(1, 100);
UPDATE bench.@TABLE@ SET status = 'InProgress' WHERE status = 'Draft';
UPDATE bench.@TABLE@ SET status = 'PendingReview' WHERE status = 'InProgress';
UPDATE bench.@TABLE@ SET assigned_to = 'reviewer-bob' WHERE status = 'PendingReview';
END;
