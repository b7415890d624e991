-- bench/logical_emit.sql: pgbench script of scripts/bench_logical.sh, one
-- event per transaction.  The event's created_at is clock_timestamp() in
-- emit(), just before this single-statement transaction commits.
SELECT kyc_events.emit('bench.created', 'KYC-20261127-0000000001', '{"status": "Draft", "type": "Individual"}');
