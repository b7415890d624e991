-- bench/notification_pgmq.sql (pgbench, -M prepared): pgmq's read() with a
-- visibility timeout of 300 s, then its archive() of each message sent:
-- the queries of pgmq 1.x, on bench.pgmq_q and bench.pgmq_a.
-- The part after the marker is repeated as in notification_kyc.sql.
WITH cte AS (
	SELECT msg_id FROM bench.pgmq_q WHERE vt <= clock_timestamp()
	ORDER BY msg_id LIMIT @BATCH@ FOR UPDATE SKIP LOCKED),
r AS (
	UPDATE bench.pgmq_q m SET vt = clock_timestamp() + interval '300 seconds', read_ct = read_ct + 1
	FROM cte WHERE m.msg_id = cte.msg_id
	RETURNING m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message)
SELECT coalesce(array_agg(msg_id), '{}') AS ids FROM r \gset
-- @MARK@
WITH archived AS (
	DELETE FROM bench.pgmq_q WHERE msg_id = (:ids::bigint[])[@I@]
	RETURNING msg_id, vt, read_ct, enqueued_at, message)
INSERT INTO bench.pgmq_a (msg_id, vt, read_ct, enqueued_at, message)
SELECT msg_id, vt, read_ct, enqueued_at, message FROM archived;
