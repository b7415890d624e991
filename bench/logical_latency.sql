-- bench/logical_latency.sql: p50, p99 and max of commit-to-handler latency,
-- in ms, over the events the handler has received: the handler's
-- clock_timestamp() minus the event's created_at.
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2),
	   round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2),
	   round(max(ms)::numeric, 2),
	   count(*) - count(DISTINCT source_id)
FROM (SELECT source_id, extract(epoch FROM received_at - created_at) * 1000 AS ms
	  FROM public.received) l;
