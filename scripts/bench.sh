#!/usr/bin/env bash
# make bench: each C implementation against its PL/pgSQL twin, side by side
# in one run on a throwaway cluster, with pgbench.  Reports median TPS over
# interleaved repetitions (this machine is noisy) and the ratios.
#
#   BENCH_SECONDS  seconds per pgbench run (default 5)
#   BENCH_REPS     repetitions of each variant (default 3)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
REPS=${BENCH_REPS:-3}

PGKYC_PACKAGES="$PGKYC_PACKAGES valgrind"
ensure_packages
build_and_install

# A durable cluster: fsync stays on, so commit costs are real.
BENCH_CONF="max_wal_size = 2GB" bench_cluster bench 54421
psql -X -q -d postgres -c "CREATE DATABASE bench"
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d bench -f "$REPO/bench/setup.sql"

# The state-machine script, once per table.
for table in bare c plpgsql; do
	sed "s/@TABLE@/cases_$table/g" "$REPO/bench/state.sql" >"$WORK/state_$table.sql"
done
cp "$REPO"/bench/emit_*.sql "$WORK/"

# run SCRIPT CLIENTS [PGOPTIONS]: one pgbench run from the same starting
# point (empty case tables, a fresh checkpoint), prints its TPS.
run() {
	psql -X -q -d bench -c "TRUNCATE bench.cases_bare, bench.cases_c, bench.cases_plpgsql" -c CHECKPOINT
	PGOPTIONS="${3:-}" "$PGBIN/pgbench" -n -M prepared -c "$2" -j "$2" -T "$SECONDS_PER_RUN" \
		-f "$WORK/$1.sql" bench 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}


declare -A TPS
# measure GROUP CLIENTS PGOPTIONS VARIANT...: interleave variants, keep medians.
measure() {
	local group=$1 clients=$2 options=$3 rep v
	shift 3
	declare -A samples=()
	for rep in $(seq "$REPS"); do
		for v in "$@"; do
			# VARIANT+ring: the same script with a doorbell on every commit.
			if [[ $v == *+ring ]]; then
				samples[$v]+="$(run "${v%+ring}" "$clients" "$options -c kyc_events.doorbell_interval=0") "
			else
				samples[$v]+="$(run "$v" "$clients" "$options") "
			fi
		done
	done
	for v in "$@"; do
		TPS[$group/$v/$clients]=$(echo "${samples[$v]}" | tr ' ' '\n' | sed '/^$/d' | median)
	done
}

say "state machine: insert, 2 transitions and an assignment per transaction (synchronous_commit=off, to measure the trigger, not the disk)"
measure state 1 "-c synchronous_commit=off" state_bare state_c state_plpgsql
say "emit: one event per transaction, durable commit"
measure emit 1 "" emit_insert emit_c emit_c+ring emit_plpgsql
measure emit 8 "" emit_insert emit_c emit_c+ring emit_plpgsql

# Instruction counts: deterministic where timings are noisy.  Each variant
# runs the same N operations in a single-user backend under callgrind; the
# difference from the baseline's total is the variant's own cost.
CG_N=2000
cg_script() {
	local kind=$1 table=$2 i
	case $kind in
	state)
		echo "INSERT INTO bench.$table (type) SELECT 'Individual' FROM generate_series(1, $CG_N);"
		for s in "InProgress Draft" "PendingReview InProgress"; do
			set -- $s
			echo "UPDATE bench.$table SET status = '$1' WHERE status = '$2';"
		done
		# A decision is approve()'s, not a plain UPDATE's: an assignment instead.
		echo "UPDATE bench.$table SET assigned_to = 'reviewer-bob' WHERE status = 'PendingReview';" ;;
	emit)
		for i in $(seq "$CG_N"); do echo "$table"; done ;;
	esac
}
cg_total() {
	cg_script "$@" >"$WORK/cg.sql"
	as_cluster_user valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$PGBIN/postgres" --single -D "$DATA" -c shared_preload_libraries=kyc_events bench \
		<"$WORK/cg.sql" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -n 1
}

say "callgrind: instruction counts in a single-user backend"
cluster_stop "$DATA"
declare -A IR
IR[state_bare]=$(cg_total state cases_bare)
IR[state_c]=$(cg_total state cases_c)
IR[state_plpgsql]=$(cg_total state cases_plpgsql)
IR[emit_empty]=$(cg_total emit "SELECT 1;")
IR[emit_insert]=$(cg_total emit "INSERT INTO bench.outbox_plain (topic, aggregate_id, payload, headers) VALUES ('bench.created', 'KYC-1', '{\"status\": \"Draft\"}', '{}');")
IR[emit_c]=$(cg_total emit "SELECT kyc_events.emit('bench.created', 'KYC-1', '{\"status\": \"Draft\"}');")
IR[emit_plpgsql]=$(cg_total emit "SELECT bench.emit_plpgsql('bench.created', 'KYC-1', '{\"status\": \"Draft\"}');")

# Extra microseconds per transaction over the baseline, from the two TPS.
extra_us() { awk -v t="$1" -v b="$2" 'BEGIN { printf "%+.1f", (t > 0 && b > 0) ? 1e6 / t - 1e6 / b : 0 }'; }

printf '\n%-40s %7s %10s %12s %12s %14s\n' "benchmark (median of $REPS x ${SECONDS_PER_RUN}s)" clients "tps" \
	"vs PL/pgSQL" "vs baseline" "us/txn extra"
row() {
	local label=$1 key=$2 plpgsql=$3 base=$4
	printf '%-40s %7s %10.0f %12s %12s %14s\n' "$label" "${key##*/}" "${TPS[$key]}" \
		"$(ratio "${TPS[$key]}" "${TPS[$plpgsql]}")" "$(ratio "${TPS[$key]}" "${TPS[$base]}")" \
		"$(extra_us "${TPS[$key]}" "${TPS[$base]}")"
}
row "state machine: no trigger (baseline)" state/state_bare/1 state/state_plpgsql/1 state/state_bare/1
row "state machine: C trigger" state/state_c/1 state/state_plpgsql/1 state/state_bare/1
row "state machine: PL/pgSQL trigger" state/state_plpgsql/1 state/state_plpgsql/1 state/state_bare/1
for c in 1 8; do
	row "emit: plain INSERT (baseline)" emit/emit_insert/$c emit/emit_plpgsql/$c emit/emit_insert/$c
	row "emit: C emit(), doorbell_interval 2ms" emit/emit_c/$c emit/emit_plpgsql/$c emit/emit_insert/$c
	row "emit: C emit(), doorbell every commit" emit/emit_c+ring/$c emit/emit_plpgsql/$c emit/emit_insert/$c
	row "emit: PL/pgSQL emit + pg_notify" emit/emit_plpgsql/$c emit/emit_plpgsql/$c emit/emit_insert/$c
done
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.0f", (a - b) / n }'; }
printf '\n%-44s %18s %12s\n' "callgrind (instructions, N = $CG_N)" "extra per call" "vs PL/pgSQL"
cg_row() {
	local label=$1 v=$2 base=$3 plpgsql=$4 calls=$5 mine theirs
	mine=$(per "${IR[$v]}" "${IR[$base]}" "$calls")
	theirs=$(per "${IR[$plpgsql]}" "${IR[$base]}" "$calls")
	printf '%-44s %18s %12s\n' "$label" "$mine" "$(ratio "$theirs" "$mine")"
}
cg_row "state machine: C trigger" state_c state_bare state_plpgsql $((4 * CG_N))
cg_row "state machine: PL/pgSQL trigger" state_plpgsql state_bare state_plpgsql $((4 * CG_N))
cg_row "emit: plain INSERT, own transaction" emit_insert emit_empty emit_plpgsql "$CG_N"
cg_row "emit: C kyc_events.emit(), own transaction" emit_c emit_empty emit_plpgsql "$CG_N"
cg_row "emit: PL/pgSQL emit, own transaction" emit_plpgsql emit_empty emit_plpgsql "$CG_N"
echo "(extra per call: instructions over the no-trigger table, or over SELECT 1;"
echo " vs PL/pgSQL: how many times fewer instructions the C version needs)"

cat <<'NOTE'

vs PL/pgSQL > 1: the C version is faster.  vs baseline and us/txn extra: what
the rules cost (state machine: 4 trigger calls per transaction) or what the
outbox row and its doorbell NOTIFY cost at commit (emit).  NOTIFY takes a
cluster-wide lock from pre-commit to the end of commit, so with a doorbell
on every commit, at 8 clients the doorbell, not the insert, bounds emitting
transactions per second; kyc_events.doorbell_interval (default 2ms) lets a
commit skip its NOTIFY while its database's last ring, younger than that,
is still committing.
NOTE
