#!/usr/bin/env bash
# make bench, audit part.  Inserts, one entry per transaction (1 and 8
# clients) and 1,000 per INSERT (1 client), into the real table with its C
# row hash, side by side with the same partitioned table without a trigger
# (plain), with a PL/pgSQL + pgcrypto hash chain, and with a bare heap;
# then seal() and verify() over AUDIT_ENTRIES entries (default 1,000,000),
# verify() against the machine's raw SHA-256 speed on inputs of the same
# length, per core, in one session and in verify_part()s, one per core.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
REPS=${BENCH_REPS:-3}
ENTRIES=${AUDIT_ENTRIES:-1000000}
TABLES="audit_heap audit_plain audit_log_entries audit_chain"

ensure_packages
build_and_install

BENCH_CONF=$'shared_buffers = 512MB\nmax_wal_size = 4GB' bench_cluster audit-bench 54621
q() { psql -X -q -At -d audit "$@"; }
psql -X -q -d postgres -c "CREATE DATABASE audit"
PGOPTIONS="-c client_min_messages=warning" q -v ON_ERROR_STOP=1 -f "$REPO/bench/audit_setup.sql"

for t in $TABLES; do
	schema=bench
	[ "$t" = audit_log_entries ] && schema=kyc_auditlog
	sed "s/@TABLE@/$schema.$t/" "$REPO/bench/audit_insert.sql" >"$WORK/one_$t.sql"
	sed "s/@TABLE@/$schema.$t/" "$REPO/bench/audit_batch.sql" >"$WORK/batch_$t.sql"
done

# Entries per second: the median of REPS runs, the tables taking turns.
declare -A RATE
for run in one/1 one/8 batch/1; do
	kind=${run%/*} clients=${run#*/} rows=1
	[ "$kind" = batch ] && rows=1000
	declare -A samples=()
	for rep in $(seq "$REPS"); do
		for t in $TABLES; do
			samples[$t]+="$("$PGBIN/pgbench" -n -M prepared -c "$clients" -j "$clients" -T "$SECONDS_PER_RUN" \
				-f "$WORK/${kind}_$t.sql" audit 2>/dev/null | sed -n 's/^tps = \([0-9.]*\) .*/\1/p') "
		done
	done
	for t in $TABLES; do
		RATE[$t/$run]=$(awk -v tps="$(echo "${samples[$t]}" | median)" -v r=$rows 'BEGIN { printf "%.0f", tps * r }')
	done
done

say "seal and verify over $ENTRIES entries"
q -c "SELECT kyc_auditlog.seal()" >/dev/null
for i in $(seq $((ENTRIES / 100000))); do
	q -c "INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, case_id,
		user_id, user_role, action, description, new_values, ip_address, severity, compliance_category)
		SELECT 'case.status_changed', 'Case', 'KYC-' || g, 'KYC-' || g, 'analyst-' || (g % 7), 'Analyst',
			'Update', 'Moved on after review', jsonb_build_object('status', 'InProgress', 'n', g),
			'10.1.2.3', 'Medium', 'KYC'
		FROM generate_series(1, 100000) g" >/dev/null
done
TOTAL=$(q -c "SELECT count(*) FROM kyc_auditlog.audit_log_entries")
SEAL_MS=$(q -c "SELECT round(extract(epoch FROM clock_timestamp() - s) * 1000) FROM
	(SELECT clock_timestamp() AS s, kyc_auditlog.seal()) x")
q -c "SELECT count(*) FROM kyc_auditlog.audit_log_entries" >/dev/null	# warm the cache
declare -a verify_ms=()
problems=0
for rep in $(seq "$REPS"); do
	read -r ms found <<<"$(q -F ' ' -c "SELECT round(extract(epoch FROM clock_timestamp() - s) * 1000), n FROM
		(SELECT clock_timestamp() AS s, (SELECT count(*) FROM kyc_auditlog.verify()) AS n) x")"
	verify_ms+=("$ms")
	problems=$((problems + found))
done
VERIFY_MS=$(echo "${verify_ms[*]}" | median)
# verify() in parts, one session per core at once (verify_part()).
CORES=$(nproc)
THROUGH=$(q -c "SELECT coalesce(max(block_id), 0) FROM kyc_auditlog.blocks")
declare -a parts_ms=()
for rep in $(seq "$REPS"); do
	start=$(date +%s%N)
	for k in $(seq "$CORES"); do
		q -c "SELECT count(*) FROM kyc_auditlog.verify_part($k, $CORES, $THROUGH)" >"$WORK/part_$k.out" &
	done
	wait
	parts_ms+=("$((($(date +%s%N) - start) / 1000000))")
	problems=$((problems + $(awk '{ n += $1 } END { print n + 0 }' "$WORK"/part_*.out)))
done
PARTS_MS=$(echo "${parts_ms[*]}" | median)
# The bytes verify() hashes per entry: the mean canonical encoding, from proofs.
ROW_BYTES=$(q -c "SELECT round(avg(length(kyc_auditlog.proof(id) ->> 'encoding')) / 2)
	FROM (SELECT id FROM kyc_auditlog.audit_log_entries ORDER BY entry_seq DESC LIMIT 1000) s")
SHA_BPS=$(openssl speed -seconds 2 -bytes "$ROW_BYTES" sha256 2>/dev/null |
	awk '/^sha256/ { v = $NF; sub(/k$/, "", v); print v * 1000 }')
SHA_PER_SEC=$(awk -v b="$SHA_BPS" -v r="$ROW_BYTES" 'BEGIN { printf "%.0f", b / r }')
VERIFY_RATE=$(awk -v n="$TOTAL" -v ms="$VERIFY_MS" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
PARTS_RATE=$(awk -v n="$TOTAL" -v ms="$PARTS_MS" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
PARTS_PER_CORE=$(awk -v r="$PARTS_RATE" -v c="$CORES" 'BEGIN { printf "%.0f", r / c }')

printf '\n%-58s %7s %12s %9s\n' "audit insert (median of $REPS x ${SECONDS_PER_RUN}s)" clients entries/s "vs plain"
row() {
	printf '%-58s %7s %12s %9s\n' "$1" "$2" "${RATE[$3/$4]}" "$(ratio "${RATE[$3/$4]}" "${RATE[audit_plain/$4]}")"
}
for run in one/1 one/8 batch/1; do
	clients=${run#*/}
	case $run in
	one/*) echo "one entry per transaction" ;;
	batch/*) echo "1,000 entries per INSERT ... SELECT" ;;
	esac
	row "  plain: same partitioned table and indexes, no trigger" "$clients" audit_plain "$run"
	row "  kyc_auditlog: C row hash" "$clients" audit_log_entries "$run"
	row "  PL/pgSQL + pgcrypto chain, FOR UPDATE on the tail" "$clients" audit_chain "$run"
	row "  bare heap: no partitions, no index, no trigger" "$clients" audit_heap "$run"
	printf '%-58s %7s %12s %9s\n' "  C row hash vs PL/pgSQL chain" "$clients" "" \
		"$(ratio "${RATE[audit_log_entries/$run]}" "${RATE[audit_chain/$run]}")x"
done
printf '\n%-58s %14s\n' "ledger of $TOTAL entries, mean encoding $ROW_BYTES bytes" "result"
printf '%-58s %14s\n' "seal(), entries/s" "$(awk -v n="$TOTAL" -v ms="$SEAL_MS" 'BEGIN { printf "%.0f", n / (ms / 1000) }')"
printf '%-58s %14s\n' "verify(), entries/s on one core (median of $REPS)" "$VERIFY_RATE"
printf '%-58s %14s\n' "raw SHA-256 of ${ROW_BYTES}-byte inputs, /s (openssl speed)" "$SHA_PER_SEC"
printf '%-58s %14s\n' "verify() / raw SHA-256, per core" "$(ratio "$VERIFY_RATE" "$SHA_PER_SEC")"
printf '%-58s %14s\n' "verify_part() in $CORES sessions at once, entries/s" "$PARTS_RATE"
printf '%-58s %14s\n' "  per core" "$PARTS_PER_CORE"
printf '%-58s %14s\n' "  / raw SHA-256, per core" "$(ratio "$PARTS_PER_CORE" "$SHA_PER_SEC")"
printf '%-58s %14s\n' "  vs verify() in one session" "$(ratio "$PARTS_RATE" "$VERIFY_RATE")x"
printf '%-58s %14s\n' "problems verify() and its parts reported (must be 0)" "$problems"
