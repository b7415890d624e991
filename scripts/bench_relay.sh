#!/usr/bin/env bash
# make bench, relay part: two clusters on loopback, a source and a
# subscriber, with the relay worker between them.
#
#   delivery rate:  RELAY_EVENTS events (default 200000) waiting in the
#                   source's outbox, drained by the relay into a handler
#                   that inserts one row per event; compared with the same
#                   handler called locally, with no relay (the ceiling).
#   latency:        pgbench emits at RELAY_RATE events/s (default 1000) for
#                   RELAY_SECONDS (default 15); commit-to-handler latency is
#                   the handler's clock_timestamp() minus the event's
#                   created_at (taken in the same transaction, just before
#                   its commit), p50 and p99.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EVENTS=${RELAY_EVENTS:-200000}
RATE=${RELAY_RATE:-1000}
SECONDS_RUN=${RELAY_SECONDS:-15}

ensure_packages
build_and_install

WORK=$(work_dir relay-bench src sub)
SRC_PORT=$(free_port 54521)
cluster_init "$WORK/src/data" "$SRC_PORT"
SUB_PORT=$(free_port $((SRC_PORT + 1)))
cluster_init "$WORK/sub/data" "$SUB_PORT"
echo "kyc_events.databases = 'sub'" >>"$WORK/sub/data/postgresql.conf"
trap 'cluster_stop "$WORK/src/data"; cluster_stop "$WORK/sub/data"; rm -rf "$WORK"' EXIT
cluster_start "$WORK/src/data"
cluster_start "$WORK/sub/data"
SRC_PORT=$(cluster_port "$WORK/src/data")
SUB_PORT=$(cluster_port "$WORK/sub/data")

src() { psql -X -q -At -h "$WORK/src" -p "$SRC_PORT" -U postgres "$@"; }
sub() { psql -X -q -At -h "$WORK/sub" -p "$SUB_PORT" -U postgres "$@"; }

src -d postgres -c "CREATE DATABASE src"
src -d src -c "CREATE EXTENSION kyc_events"
sub -d postgres -c "CREATE DATABASE sub"
sub -d sub <<'SQL'
CREATE EXTENSION kyc_events;
CREATE TABLE received (source_id bigint, created_at timestamptz,
					   received_at timestamptz DEFAULT clock_timestamp());
CREATE FUNCTION record(e kyc_events.event) RETURNS void LANGUAGE sql
AS $$ INSERT INTO public.received (source_id, created_at) VALUES (e.id, e.created_at) $$;
SQL

# wait_for COUNT: until the subscriber has received COUNT events (5 min at most).
wait_for() {
	local i
	for i in $(seq 600); do
		[ "$(sub -d sub -c "SELECT count(*) FROM received")" -ge "$1" ] && return 0
		sleep 0.5
	done
	echo "timed out waiting for $1 events" >&2
	return 1
}

say "delivery rate: $EVENTS events waiting in the source outbox"
for i in $(seq $((EVENTS / 10000))); do
	src -d src -c "SELECT count(kyc_events.emit('bench.created', 'KYC-' || i,
		jsonb_build_object('case_id', 'KYC-' || i, 'status', 'Draft', 'type', 'Individual')))
		FROM generate_series(1, 10000) i" >/dev/null
done
sub -d sub -c "SET client_min_messages = warning; SELECT kyc_events.subscribe('bench',
	'host=$WORK/src port=$SRC_PORT dbname=src user=postgres', '{*}', 'record(kyc_events.event)')" >/dev/null
wait_for "$EVENTS"
RELAY_RATE=$(sub -d sub -c "SELECT round(count(*) / extract(epoch FROM max(received_at) - min(received_at)))
	FROM received")
DUPES=$(sub -d sub -c "SELECT count(*) - count(DISTINCT source_id) FROM received")

# The ceiling: the same handler over the same number of events, locally.
LOCAL_RATE=$(sub -d sub <<SQL | tail -n 1
TRUNCATE received;
SELECT record(ROW('src', i, '1', 'bench.created', 'KYC-' || i,
	jsonb_build_object('case_id', 'KYC-' || i, 'status', 'Draft', 'type', 'Individual'),
	'{}', now())::kyc_events.event) FROM generate_series(1, $EVENTS) i \\g /dev/null
SELECT round(count(*) / extract(epoch FROM max(received_at) - min(received_at))) FROM received;
SQL
)

say "latency: $RATE events/s for ${SECONDS_RUN}s, one event per transaction"
sub -d sub -c "TRUNCATE received"
cat >"$WORK/emit.sql" <<'SQL'
SELECT kyc_events.emit('bench.created', 'KYC-1', '{"status": "Draft", "type": "Individual"}');
SQL
"$PGBIN/pgbench" -n -h "$WORK/src" -p "$SRC_PORT" -U postgres -c 4 -j 2 -R "$RATE" \
	-T "$SECONDS_RUN" -f "$WORK/emit.sql" src >/dev/null 2>&1
EMITTED=$(src -d src -c "SELECT count(*) FROM kyc_events.outbox") 
wait_for $((EMITTED - EVENTS))
read -r P50 P99 MAX <<<"$(sub -d sub -F ' ' -c "
	SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2),
		   round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2),
		   round(max(ms)::numeric, 2)
	FROM (SELECT extract(epoch FROM received_at - created_at) * 1000 AS ms FROM received) l")"
LAT_DUPES=$(sub -d sub -c "SELECT count(*) - count(DISTINCT source_id) FROM received")

printf '\n%-58s %14s\n' "relay (two clusters on loopback)" "result"
printf '%-58s %14s\n' "delivery rate, events/s (backlog of $EVENTS)" "$RELAY_RATE"
printf '%-58s %14s\n' "same handler called locally, no relay, events/s" "$LOCAL_RATE"
printf '%-58s %14s\n' "relay / local ceiling" "$(awk -v a="$RELAY_RATE" -v b="$LOCAL_RATE" 'BEGIN { printf "%.2f", a / b }')"
printf '%-58s %14s\n' "commit-to-handler latency at $RATE events/s, p50 ms" "$P50"
printf '%-58s %14s\n' "commit-to-handler latency at $RATE events/s, p99 ms" "$P99"
printf '%-58s %14s\n' "commit-to-handler latency, max ms" "$MAX"
printf '%-58s %14s\n' "events applied twice (both runs)" "$((DUPES + LAT_DUPES))"
