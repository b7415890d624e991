#!/usr/bin/env bash
# make bench, relay against logical replication: PostgreSQL's built-in
# logical replication can carry the outbox between databases too.  Both are
# measured in one run, on the same two throwaway clusters (a source with
# wal_level = logical, and a consumer), with the same handler:
#
#   relay:    kyc_events.subscribe() in the consumer, calling the handler
#             with each event.
#   logical:  a publication of kyc_events.outbox at the source, a
#             subscription in the consumer (so the apply worker inserts
#             each row into the consumer's kyc_events.outbox), and an ENABLE
#             ALWAYS trigger there that calls the same handler with the row
#             as a kyc_events.event (bench/logical_consumer.sql).
#
#   drain:    LOGICAL_EVENTS events (default 200000, in transactions of
#             10000) wait at the source while the path is off; then it is
#             switched on, and events/s is the count over the time from the
#             first handler call to the last.
#   latency:  pgbench emits LOGICAL_RATE events/s (default 1000), one event
#             per transaction, for LOGICAL_SECONDS (default 20).  An event's
#             latency is the handler's clock_timestamp() minus the event's
#             created_at, which is clock_timestamp() inside emit(), just
#             before its one-statement transaction commits: so it is the
#             source's commit (its WAL flush) plus the delivery up to the
#             handler's call, not the consumer's commit.  p50 and p99 of
#             every event of the run.
#
# Each of BENCH_REPS (default 3) repetitions runs the relay and then logical
# replication; the table shows the medians, and the ratio relay / logical
# (for events/s higher is better, for latency lower).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EVENTS=${LOGICAL_EVENTS:-200000}
RATE=${LOGICAL_RATE:-1000}
SECONDS_RUN=${LOGICAL_SECONDS:-20}
REPS=${BENCH_REPS:-3}

ensure_packages
build_and_install

WORK=$(work_dir logical-bench src sub)
SRC_PORT=$(free_port 54531)
cluster_init "$WORK/src/data" "$SRC_PORT"
SUB_PORT=$(free_port $((SRC_PORT + 1)))
cluster_init "$WORK/sub/data" "$SUB_PORT"
# Both clusters durable (fsync on), with room for the backlog's WAL.
for c in src sub; do
	cat >>"$WORK/$c/data/postgresql.conf" <<CONF
shared_buffers = 256MB
max_wal_size = 2GB
CONF
done
echo "wal_level = logical" >>"$WORK/src/data/postgresql.conf"
echo "kyc_events.databases = 'sub'" >>"$WORK/sub/data/postgresql.conf"
trap 'cluster_stop "$WORK/src/data"; cluster_stop "$WORK/sub/data"; rm -rf "$WORK"' EXIT
cluster_start "$WORK/src/data"
cluster_start "$WORK/sub/data"
SRC_PORT=$(cluster_port "$WORK/src/data")
SUB_PORT=$(cluster_port "$WORK/sub/data")

export PGOPTIONS="-c client_min_messages=warning"
src() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$WORK/src" -p "$SRC_PORT" -U postgres -d src "$@"; }
sub() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$WORK/sub" -p "$SUB_PORT" -U postgres -d sub "$@"; }
SOURCE="host=$WORK/src port=$SRC_PORT dbname=src user=postgres"

psql -X -q -h "$WORK/src" -p "$SRC_PORT" -U postgres -d postgres -c "CREATE DATABASE src"
psql -X -q -h "$WORK/sub" -p "$SUB_PORT" -U postgres -d postgres -c "CREATE DATABASE sub"
src -c "CREATE EXTENSION kyc_events" \
	-c "CREATE PUBLICATION bench_outbox FOR TABLE kyc_events.outbox WITH (publish = 'insert')"
sub -f "$REPO/bench/logical_consumer.sql"

# wait_for COUNT: until the handler has received COUNT events (10 min at most).
wait_for() {
	local i
	for i in $(seq 3000); do
		[ "$(sub -c "SELECT count(*) FROM public.received")" -ge "$1" ] && return 0
		sleep 0.2
	done
	echo "timed out waiting for $1 events" >&2
	return 1
}

# A fresh start: nothing in the source's outbox, nothing received.
reset() {
	src -c "TRUNCATE kyc_events.outbox"
	sub -c "TRUNCATE public.received"
}

# EVENTS events in the source's outbox, 10000 a transaction.
emit_backlog() {
	local left=$EVENTS n
	while [ "$left" -gt 0 ]; do
		n=$((left < 10000 ? left : 10000))
		src -c "SELECT count(kyc_events.emit('bench.created', 'KYC-' || i,
			jsonb_build_object('case_id', 'KYC-' || i, 'status', 'Draft', 'type', 'Individual')))
			FROM generate_series(1, $n) i" >/dev/null
		left=$((left - n))
	done
}

# Events/s of the drain: received over the first to the last handler call.
drain_rate() {
	wait_for "$EVENTS"
	sub -c "SELECT round(count(*) / extract(epoch FROM max(received_at) - min(received_at)))
		FROM public.received"
}

# pgbench at RATE for SECONDS_RUN, then "p50 p99 max twice" once all arrived.
latency() {
	local emitted
	sub -c "TRUNCATE public.received"
	"$PGBIN/pgbench" -n -h "$WORK/src" -p "$SRC_PORT" -U postgres -c 4 -j 2 -R "$RATE" \
		-T "$SECONDS_RUN" -f "$REPO/bench/logical_emit.sql" src >/dev/null 2>&1
	emitted=$(src -c "SELECT count(*) FROM kyc_events.outbox")
	wait_for $((emitted - EVENTS))
	sub -F ' ' -f "$REPO/bench/logical_latency.sql"
}


declare -A S
# record PATH RATE P50 P99 MAX TWICE: one repetition's numbers.
record() {
	S[$1/rate]+="$2 "
	S[$1/p50]+="$3 "
	S[$1/p99]+="$4 "
	S[$1/max]+="$5 "
	S[$1/twice]+="$6 "
	printf '    %-8s drain %8s events/s   p50 %6s ms   p99 %6s ms   max %7s ms\n' "$1" "$2" "$3" "$4" "$5"
}

for rep in $(seq "$REPS"); do
	say "repetition $rep of $REPS: $EVENTS events drained, then $RATE events/s for ${SECONDS_RUN}s"

	# The relay: subscribed after the backlog is written, unsubscribed at the end.
	reset
	emit_backlog
	sub -c "SET client_min_messages = warning" \
		-c "SELECT kyc_events.subscribe('bench', '$SOURCE', '{*}', 'public.record(kyc_events.event)')" >/dev/null
	rate=$(drain_rate)
	read -r p50 p99 max twice <<<"$(latency)"
	sub -c "SELECT kyc_events.unsubscribe('bench')" >/dev/null
	record relay "$rate" "$p50" "$p99" "$max" "$twice"

	# Logical replication: the slot is made first, the backlog written while
	# the subscription is disabled; dropped (with its slot) at the end.
	reset
	sub -c "CREATE SUBSCRIPTION bench_outbox CONNECTION '$SOURCE' PUBLICATION bench_outbox
		WITH (copy_data = false, enabled = false)"
	emit_backlog
	sub -c "ALTER SUBSCRIPTION bench_outbox ENABLE"
	rate=$(drain_rate)
	read -r p50 p99 max twice <<<"$(latency)"
	sub -c "DROP SUBSCRIPTION bench_outbox"
	record logical "$rate" "$p50" "$p99" "$max" "$twice"
done

m() { echo "${S[$1]}" | median; }
row() {
	local label=$1 key=$2 relay logical
	relay=$(m "relay/$key")
	logical=$(m "logical/$key")
	printf '%-48s %10s %10s %14s\n' "$label" "$relay" "$logical" "$(ratio "$relay" "$logical")"
}
printf '\n%-48s %10s %10s %14s\n' "relay vs logical replication (median of $REPS)" relay logical "relay/logical"
row "backlog drain, events/s ($EVENTS events)" rate
row "latency at $RATE events/s, p50 ms" p50
row "latency at $RATE events/s, p99 ms" p99
row "latency at $RATE events/s, max ms" max
printf '%-48s %10s %10s\n' "events handled twice (all runs)" \
	"$(echo "${S[relay/twice]}" | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')" \
	"$(echo "${S[logical/twice]}" | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')"
cat <<'NOTE'
(latency: the handler's clock_timestamp() minus the event's created_at,
 taken in emit() just before the source's commit; both clusters on this
 machine, one clock.  relay/logical > 1 for events/s: the relay is faster;
 < 1 for latency: the relay is faster.)
NOTE
