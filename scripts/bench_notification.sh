#!/usr/bin/env bash
# make bench, notification part: a sender's claim-then-mark loop against
# kyc_notification and two other queue designs holding the same rows, with
# 1, 4 and 16 senders (pgbench clients) and batches of 1 and 10, on a
# throwaway cluster.  Reports messages/s (median of interleaved repetitions:
# this machine is noisy) and the ratios:
#
#   kyc_notification  claim() (FOR UPDATE SKIP LOCKED, lease, history row
#                     through the C status trigger), then mark_sent() of each
#                     message in its own transaction, as a sender marks each
#                     one when its provider took it; and, to show what those
#                     commits cost, the same calls in one transaction
#   naive             a table with the same columns, checks and number of
#                     indexes, no trigger and no history, claimed by UPDATE
#                     ... WHERE id IN (SELECT ... LIMIT k) with no SKIP LOCKED
#   pgmq-style        pgmq's read() (SKIP LOCKED, visibility timeout) and
#                     archive() (DELETE ... RETURNING into the archive table)
#
# with the machine's durable commit rate as the ceiling of them all.
# bench/notification_setup.sql fills each queue with NOTIFICATION_ROWS
# Pending e-mails (default 200,000, about 1.7 kB a row); before every run
# the queue it uses is put back to that state, vacuumed and checkpointed, so
# every run starts equal and none drains its queue.
#
#   BENCH_SECONDS      seconds per pgbench run (default 3; 3 x 27 runs take about 6 minutes)
#   BENCH_REPS         repetitions of each run (default 3)
#   NOTIFICATION_ROWS  rows in each queue (default 200000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-3}
REPS=${BENCH_REPS:-3}
ROWS=${NOTIFICATION_ROWS:-200000}
CLIENTS="1 4 16"
BATCHES="1 10"
# pgbench threads: one per core, none idle (a thread per client at most).
CORES=$(nproc)
# design/mode: "each" marks every message in its own transaction after the
# claim's, "once" claims and marks in one transaction.
VARIANTS="kyc/each kyc/once naive/each pgmq/each"

ensure_packages
build_and_install
bench_cluster notification-bench 55221
# Room for the three queues (about 1.1 GB) in shared buffers; checkpoints
# only where run() asks for one, so none lands in the middle of a run; and
# no autovacuum, which would start in some runs and not others: run()
# vacuums before each.
cat >>"$DATA/postgresql.conf" <<CONF
shared_buffers = 1536MB
max_wal_size = 8GB
checkpoint_timeout = 1h
autovacuum = off
CONF
cluster_stop "$DATA"
cluster_start "$DATA"
export PGPORT=$(cluster_port "$DATA")

# Not notification_service: kyc_events.databases names it, and its relay
# worker would share the cores with the senders.
psql -X -q -d postgres -c "CREATE DATABASE notification"
export PGDATABASE=notification
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
say "filling three queues with $ROWS e-mails each"
PGOPTIONS="-c client_min_messages=warning" q -v n="$ROWS" -f "$REPO/bench/notification_setup.sql" >/dev/null
q -c "VACUUM ANALYZE kyc_notification.notifications, kyc_notification.notification_history,
	bench.naive, bench.pgmq_q, bench.pgmq_a"

# make_script DESIGN MODE BATCH: the pgbench script of a sender of DESIGN
# claiming BATCH messages: the claim part of bench/notification_DESIGN.sql,
# then its mark part once per message; in BEGIN ... COMMIT for mode once.
make_script() {
	local src=$REPO/bench/notification_$1.sql i
	{
		if [ "$2" = once ]; then echo "BEGIN;"; fi
		sed '/^-- @MARK@$/,$d' "$src" | sed "s/@BATCH@/$3/g"
		for i in $(seq "$3"); do
			sed '1,/^-- @MARK@$/d' "$src" | sed "s/@I@/$i/g"
		done
		if [ "$2" = once ]; then echo "COMMIT;"; fi
	} >"$WORK/$1.$2.$3.sql"
}
for batch in $BATCHES; do
	for v in $VARIANTS; do
		make_script "${v%/*}" "${v#*/}" "$batch"
	done
done

declare -A VACUUM=([kyc]="kyc_notification.notifications, kyc_notification.notification_history"
	[naive]="bench.naive" [pgmq]="bench.pgmq_q, bench.pgmq_a")

# run DESIGN SCRIPT CLIENTS: one pgbench run from the queue's starting
# point; prints messages sent per second (durable commits per second for
# the commit floor).  Counted in the table, not as transactions times the
# batch: a naive claim that waited for a rival comes back empty.  pgbench's
# tps leaves out connection time, so the run lasted processed / tps.
run() {
	local design=$1 script=$2 clients=$3 out tps processed sent
	if [ "$design" != commit ]; then
		q -c "SELECT bench.reset('$design')" >/dev/null
		q -c "VACUUM ${VACUUM[$design]}"
	fi
	q -c CHECKPOINT
	if ! out=$("$PGBIN/pgbench" -n -M prepared -c "$clients" -j $((clients < CORES ? clients : CORES)) \
		-T "$SECONDS_PER_RUN" -f "$script" 2>&1) ||
		! grep -q '^number of failed transactions: 0 ' <<<"$out"; then
		echo "$out" >&2
		echo "pgbench failed: $design, $script, $clients clients" >&2
		return 1
	fi
	tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
	if [ "$design" = commit ]; then
		echo "$tps"
		return
	fi
	processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
	sent=$(q -c "SELECT bench.done('$design')")
	awk -v s="$sent" -v t="$tps" -v p="$processed" 'BEGIN { printf "%.1f", (p > 0) ? s * t / p : 0 }'
}


nclients=$(wc -w <<<"$CLIENTS")
runs=$((REPS * nclients * (1 + $(wc -w <<<"$BATCHES") * $(wc -w <<<"$VARIANTS"))))
# About a second per run to reset, vacuum and checkpoint.
say "$runs runs of ${SECONDS_PER_RUN}s, about $(((runs * (SECONDS_PER_RUN + 1) + 59) / 60)) minutes"
declare -A samples=() R
for rep in $(seq "$REPS"); do
	say "repetition $rep of $REPS"
	for clients in $CLIENTS; do
		samples[commit/$clients]+="$(run commit "$REPO/bench/notification_commit.sql" "$clients") "
		for batch in $BATCHES; do
			for v in $VARIANTS; do
				samples[$v/$batch/$clients]+="$(run "${v%/*}" "$WORK/${v%/*}.${v#*/}.$batch.sql" "$clients") "
			done
		done
	done
done
for key in "${!samples[@]}"; do
	R[$key]=$(echo "${samples[$key]}" | tr ' ' '\n' | sed '/^$/d' | median)
done

# row LABEL KEY-PREFIX: one line, a value per client count.
row() {
	local c
	printf '%-64s' "$1"
	for c in $CLIENTS; do printf ' %10.0f' "${R[$2/$c]}"; done
	echo
}
# ratio_row LABEL A-PREFIX B-PREFIX: A / B per client count.
ratio_row() {
	local c
	printf '%-64s' "$1"
	for c in $CLIENTS; do printf ' %10s' "$(ratio "${R[$2/$c]}" "${R[$3/$c]}")"; done
	echo
}

printf '\n%-64s' "messages/s, claim + mark sent (median of $REPS x ${SECONDS_PER_RUN}s)"
for c in $CLIENTS; do printf ' %10s' "$c sender$([ "$c" = 1 ] || echo s)"; done
echo
row "durable empty commits/s (the machine's ceiling)" commit
for batch in $BATCHES; do
	echo "batch of $batch:"
	# Claim then mark each: (batch + 1) commits per batch messages.
	printf '%-64s' "  ceiling of claim-then-mark: commits/s x $batch/$((batch + 1))"
	for c in $CLIENTS; do
		printf ' %10.0f' "$(awk -v r="${R[commit/$c]}" -v b="$batch" 'BEGIN { print r * b / (b + 1) }')"
	done
	echo
	row "  kyc_notification: claim(), then mark_sent() each, own txn" "kyc/each/$batch"
	row "  kyc_notification: claim() and mark_sent()s in one txn" "kyc/once/$batch"
	row "  naive: UPDATE ... IN (SELECT ... LIMIT $batch), no SKIP LOCKED" "naive/each/$batch"
	row "  pgmq-style: read (SKIP LOCKED, vt), then archive each" "pgmq/each/$batch"
	ratio_row "  kyc_notification / naive (claim, then mark each)" "kyc/each/$batch" "naive/each/$batch"
	ratio_row "  kyc_notification / pgmq-style (claim, then mark each)" "kyc/each/$batch" "pgmq/each/$batch"
done

echo "pgmq publishes about 30,000 reads/s on 16 vCPU, reads alone without archive,"
echo "against $CORES cores here: context only, not measured by this script."
cat <<NOTE

Each sender is a pgbench client ($CORES cores, as many pgbench threads) running
one claim and then the marks, with $ROWS Pending e-mails of about 1.7 kB in
each queue.  "then mark_sent() each, own txn" is what a sender does: the claim
commits, then each outcome commits on its own, batch + 1 commits per batch;
"in one txn" is the same calls in BEGIN ... COMMIT, what those commits cost.
The naive and pgmq-style rows are claim-then-mark-each, as the first
kyc_notification row, which the ratios use.  Only claimed ids come back to
the client, in all designs.
NOTE
