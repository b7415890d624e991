#!/usr/bin/env bash
# make bench, audit part: the cost of the row hash on insert, against a
# plain insert and against a PL/pgSQL + pgcrypto chain; verify() over
# AUDIT_ENTRIES entries (default 1,000,000) against the machine's raw
# SHA-256 speed; and seal() throughput.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
REPS=${BENCH_REPS:-3}
ENTRIES=${AUDIT_ENTRIES:-1000000}

ensure_packages
build_and_install

BENCH_CONF=$'shared_buffers = 512MB\nmax_wal_size = 4GB' bench_cluster audit-bench 54621
q() { psql -X -q -At -d audit "$@"; }
psql -X -q -d postgres -c "CREATE DATABASE audit"
PGOPTIONS="-c client_min_messages=warning" q -v ON_ERROR_STOP=1 -f "$REPO/bench/audit_setup.sql"

for t in kyc_auditlog.audit_log_entries bench.audit_plain bench.audit_chain; do
	sed "s/@TABLE@/$t/" "$REPO/bench/audit_insert.sql" >"$WORK/insert_${t#*.}.sql"
done

declare -A TPS
for clients in 1 8; do
	declare -A samples=()
	for rep in $(seq "$REPS"); do
		for v in audit_plain audit_log_entries audit_chain; do
			samples[$v]+="$("$PGBIN/pgbench" -n -M prepared -c $clients -j $clients -T "$SECONDS_PER_RUN" \
				-f "$WORK/insert_$v.sql" audit 2>/dev/null | sed -n 's/^tps = \([0-9.]*\) .*/\1/p') "
		done
	done
	for v in audit_plain audit_log_entries audit_chain; do
		TPS[$v/$clients]=$(echo "${samples[$v]}" | tr ' ' '\n' | sed '/^$/d' | median)
	done
done

say "verify and seal over $ENTRIES entries"
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
	(SELECT clock_timestamp() AS s, kyc_auditlog.seal()) x" )
q -c "SELECT count(*) FROM kyc_auditlog.audit_log_entries" >/dev/null	# warm the cache
VERIFY=$(q -F ' ' -c "SELECT round(extract(epoch FROM clock_timestamp() - s) * 1000), n FROM
	(SELECT clock_timestamp() AS s, (SELECT count(*) FROM kyc_auditlog.verify()) AS n) x")
read -r VERIFY_MS PROBLEMS <<<"$VERIFY"
ROW_BYTES=320
SHA_BPS=$(openssl speed -seconds 2 -bytes $ROW_BYTES sha256 2>/dev/null |
	awk '/^sha256/ { v = $NF; sub(/k$/, "", v); print v * 1000 }')
SHA_PER_SEC=$(awk -v b="$SHA_BPS" -v r=$ROW_BYTES 'BEGIN { printf "%.0f", b / r }')

printf '\n%-56s %7s %10s %12s\n' "audit insert, one entry per transaction (median of $REPS x ${SECONDS_PER_RUN}s)" clients tps "vs plain"
for c in 1 8; do
	printf '%-56s %7s %10.0f %12s\n' "plain insert, no hash (baseline)" $c "${TPS[audit_plain/$c]}" 1.00
	printf '%-56s %7s %10.0f %12s\n' "kyc_auditlog C row hash" $c "${TPS[audit_log_entries/$c]}" \
		"$(ratio "${TPS[audit_log_entries/$c]}" "${TPS[audit_plain/$c]}")"
	printf '%-56s %7s %10.0f %12s\n' "PL/pgSQL + pgcrypto chain, FOR UPDATE on the tail" $c "${TPS[audit_chain/$c]}" \
		"$(ratio "${TPS[audit_chain/$c]}" "${TPS[audit_plain/$c]}")"
	printf '%-56s %7s %10s %12s\n' "C row hash vs PL/pgSQL chain" $c "" \
		"$(ratio "${TPS[audit_log_entries/$c]}" "${TPS[audit_chain/$c]}")"
done
printf '\n%-56s %14s\n' "ledger of $TOTAL entries" "result"
printf '%-56s %14s\n' "seal(), entries/s" "$(awk -v n="$TOTAL" -v ms="$SEAL_MS" 'BEGIN { printf "%.0f", n / (ms / 1000) }')"
printf '%-56s %14s\n' "verify(), entries/s (one backend, one core)" "$(awk -v n="$TOTAL" -v ms="$VERIFY_MS" 'BEGIN { printf "%.0f", n / (ms / 1000) }')"
printf '%-56s %14s\n' "raw SHA-256 of ${ROW_BYTES}-byte inputs (openssl speed), /s" "$SHA_PER_SEC"
printf '%-56s %14s\n' "verify / raw SHA-256 limit" "$(awk -v n="$TOTAL" -v ms="$VERIFY_MS" -v s="$SHA_PER_SEC" 'BEGIN { printf "%.2f", (n / (ms / 1000)) / s }')"
printf '%-56s %14s\n' "problems verify() reported (must be 0)" "$PROBLEMS"
