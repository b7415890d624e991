#!/usr/bin/env bash
# make bench, workflow part: cases through the whole flow across the service
# databases of one cluster, provisioned as make provision does, with every
# relay between them.  Each case is what a partner's client does:
# create_case() with an applicant, the move to InProgress, and a passport,
# a bank statement and a tax return registered and verified in
# document_service.  The relays then carry case.created to checklist_service,
# the applicant to risk_service (screening, geography, completion),
# the screening and documents to the checklist, and both results back to
# onboarding, which submits the case (PendingReview) by itself.
#
#   throughput: WORKFLOW_CASES cases (default 1000) from WORKFLOW_CLIENTS
#               pgbench clients (default 2); cases per second from the first
#               create_case() to the last case in PendingReview.
#   latency:    per case, create_case() to PendingReview, p50 and p99, and
#               one line per relay hop: from the event's commit at its
#               source to the handler's write in the subscriber (both
#               transaction timestamps).
#   ceiling:    the clients' own transactions per second (pgbench's tps,
#               relays running): the flow cannot outrun its input.
#   where the time goes: CPU per case of each relay worker (applying
#               events in its database) and of the relays' reads at the
#               sources, from /proc over the measured run; and the same
#               client transactions with every relay paused, so the
#               clients' own cost is seen without the relays beside them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CASES=${WORKFLOW_CASES:-1000}
CLIENTS=${WORKFLOW_CLIENTS:-2}

ensure_packages
build_and_install

bench_cluster workflow-bench 55021
PGDATABASE=postgres bash "$REPO/scripts/provision.sh" >"$WORK/provision.log"
psql -X -q -d onboarding -v ON_ERROR_STOP=1 -f "$REPO/bench/workflow_setup.sql"

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# wait_until DB SQL SECONDS: poll until SQL returns t.
wait_until() {
	local i
	for i in $(seq $(($3 * 10))); do
		[ "$(q -d "$1" -c "$2")" = t ] && return 0
		sleep 0.1
	done
	echo "timed out after $3 s waiting in $1 for: $2" >&2
	return 1
}

# cpu_snapshot FILE: CPU ticks (user + system) of every process of the
# bench cluster, with its title ("kyc_events relay <db>" for a relay
# worker, "kyc_relay <db> ..." for a relay's read at a source).
cpu_snapshot() {
	local p
	for p in $(pgrep -P "$(head -n 1 "$DATA/postmaster.pid")"); do
		[ -r "/proc/$p/stat" ] || continue
		printf '%s\t%s\t%s\n' "$p" "$(awk '{print $14 + $15}' "/proc/$p/stat")" "$(tr '\0' ' ' <"/proc/$p/cmdline")"
	done >"$1"
}

# cpu_report BEFORE AFTER CASES: milliseconds of CPU per case by process kind.
cpu_report() {
	awk -F '\t' -v cases="$3" -v hz="$(getconf CLK_TCK)" '
		NR == FNR { before[$1] = $2; next }
		{
			kind = $3
			sub(/^postgres: /, "", kind)
			if (kind ~ /^kyc_events relay /) { sub(/ *$/, "", kind); kind = "relay worker applying in " substr(kind, 18) }
			else if (kind ~ /^kyc_relay /) { split(kind, w, " "); kind = "relay reads at source " w[2] }
			else kind = "other (" kind ")"
			ms[kind] += ($2 - before[$1]) * 1000 / hz
		}
		END {
			printf "%-52s %10s\n", "process", "CPU ms/case"
			for (k in ms) if (ms[k] > 0) printf "%-52s %10.2f\n", substr(k, 1, 52), ms[k] / cases | "sort -k1,1"
		}' "$1" "$2"
}

run_cases() {
	"$PGBIN/pgbench" -n -c "$CLIENTS" -j "$CLIENTS" -t $(($1 / CLIENTS)) -f "$REPO/bench/workflow_case.sql" \
		onboarding 2>&1 | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}

# Warm up: 20 cases through, so every relay has connected.
run_cases 20 >/dev/null
wait_until onboarding "SELECT count(*) = 20 FROM kyc_onboarding.onboarding_cases WHERE status = 'PendingReview'" 120
wait_until projections_api "SELECT count(*) = 20 FROM kyc_projections.onboarding_case_projections
	WHERE partner_id = 'bench' AND status = 'PendingReview'" 120
q -d onboarding -c "SELECT bench.mark()" >/dev/null

say "throughput: $CASES cases from $CLIENTS clients"
cpu_snapshot "$WORK/cpu.before"
applied_sql="SELECT sum(applied) FROM kyc_events.subscriptions WHERE name LIKE 'projection\_%'"
applied_before=$(q -d projections_api -c "$applied_sql")
start=$(q -d onboarding -c "SELECT extract(epoch FROM clock_timestamp())")
client_tps=$(run_cases "$CASES")
wait_until onboarding "SELECT count(*) = $CASES FROM kyc_onboarding.onboarding_cases c JOIN bench.measured m USING (case_id)
	WHERE c.status = 'PendingReview'" 600
submitted=$(q -d onboarding -c "SELECT extract(epoch FROM clock_timestamp())")
# The read model: every case created here (the warm-up's too) shows its submission.
wait_until projections_api "SELECT count(*) = $((CASES + 20)) FROM kyc_projections.onboarding_case_projections
	WHERE partner_id = 'bench' AND status = 'PendingReview'" 600
projected=$(q -d projections_api -c "SELECT extract(epoch FROM clock_timestamp())")
applied_after=$(q -d projections_api -c "$applied_sql")
# The audit log may still be recording the last cases' changes.
sleep 2
cpu_snapshot "$WORK/cpu.after"
psql -X -q -v ON_ERROR_STOP=1 -d onboarding -v start="$start" -f "$REPO/bench/workflow_report.sql"

echo
echo "client side, relays running: $client_tps transactions/s (create_case, InProgress and three documents per transaction)"
awk -v n="$((applied_after - applied_before))" -v s="$start" -v p="$projected" -v d="$submitted" -v c="$CASES" 'BEGIN {
	printf "read model: %d events applied to projections in %.2f s, %.0f events/s (%.1f per case); it showed the last submission %.0f ms after onboarding did\n",
		n, p - s, n / (p - s), n / c, (p - d) * 1000 }'

say "where the time goes: CPU per case over the measured run, by process"
cpu_report "$WORK/cpu.before" "$WORK/cpu.after" "$CASES"
echo "(the clients' own backends, which exit with pgbench, are not in this table: see below)"

# The same client transactions with every relay paused: what the clients
# cost alone.  The cases made here are not in the figures above.
for db in onboarding checklist_service risk_service auditlog_service document_service projections_api notification_service; do
	q -d "$db" -c "UPDATE kyc_events.subscription SET enabled = false" >/dev/null
done
sleep 1
paused_tps=$(run_cases "$CASES")
echo "client side, every relay paused: $paused_tps transactions/s, so the clients alone take" \
	"$(awk -v t="$paused_tps" -v c="$CLIENTS" 'BEGIN { printf "%.2f", c * 1000 / t }') ms per case" \
	"of $CLIENTS clients' time; the flow ran at $(awk -v a="$client_tps" -v b="$paused_tps" 'BEGIN { printf "%.2f", a / b }') of that"
cat <<'NOTE'
Hops are measured from the source transaction's timestamp (outbox
created_at) to the subscriber transaction's (the row it wrote): a relay
batch applies many events in one transaction, so a hop includes the wait
for the batch in front of it.
NOTE
