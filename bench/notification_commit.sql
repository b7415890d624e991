-- bench/notification_commit.sql (pgbench): the cheapest durable commit, the
-- machine's ceiling for any queue.  A transaction must write WAL for its
-- commit to be flushed (SELECT 1, or an xid alone, commits without fsync);
-- a transactional logical message is WAL and nothing else.
SELECT pg_logical_emit_message(true, 'bench', '');
