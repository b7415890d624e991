-- One case through the whole machine: an insert and three transitions.
BEGIN;
INSERT INTO bench.cases_c (type) VALUES ('Individual') RETURNING id \gset
UPDATE bench.cases_c SET status = 'InProgress' WHERE id = :id;
UPDATE bench.cases_c SET status = 'PendingReview' WHERE id = :id;
UPDATE bench.cases_c SET status = 'Approved' WHERE id = :id;
END;
