#!/usr/bin/env bash
# make bench, checklist part: item updates with kyc_checklist's C triggers
# (O(1) deltas), against a bare UPDATE and against the same rules in
# PL/pgSQL recounting every item, on checklists of 10 and of 200 items:
#   1. one item per transaction (pgbench, median TPS; commit-bound);
#   2. every item of ten checklists in one UPDATE (median ms; trigger-bound).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
REPS=${BENCH_REPS:-3}

ensure_packages
build_and_install
bench_cluster checklist-bench 54921
psql -X -q -d postgres -c "CREATE DATABASE checklist"
PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -d checklist \
	-f "$REPO/bench/checklist_setup.sql" >/dev/null

declare -A ITEMS=([c]=kyc_checklist.checklist_items [plpgsql]=bench.pl_items [bare]=bench.bare_items)
declare -A IDS=([c]=c_id [plpgsql]=pl_id [bare]=bare_id)
for size in 10 200; do
	for v in c plpgsql bare; do
		sed "s/@ITEMS@/${ITEMS[$v]}/; s/@ID@/${IDS[$v]}/; s/@SIZE@/$size/g" "$REPO/bench/checklist_update.sql" \
			>"$WORK/update_${v}_$size.sql"
	done
done


declare -A samples=() TPS bulk=() BULK
for rep in $(seq "$REPS"); do
	for size in 10 200; do
		for v in bare c plpgsql; do
			samples[$v/$size]+="$("$PGBIN/pgbench" -n -M prepared -c 1 -j 1 -T "$SECONDS_PER_RUN" \
				-f "$WORK/update_${v}_$size.sql" checklist 2>/dev/null | sed -n 's/^tps = \([0-9.]*\) .*/\1/p') "
			bulk[$v/$size]+="$(psql -X -q -At -d checklist -c "SELECT bench.bulk_complete_ms('$v', $size)") "
		done
	done
done
for key in "${!samples[@]}"; do
	TPS[$key]=$(echo "${samples[$key]}" | tr ' ' '\n' | sed '/^$/d' | median)
	BULK[$key]=$(echo "${bulk[$key]}" | tr ' ' '\n' | sed '/^$/d' | median)
done

printf '\n%-62s %10s %10s\n' "checklist item update, one per transaction (median of $REPS x ${SECONDS_PER_RUN}s)" tps "vs bare"
for size in 10 200; do
	printf '%-62s %10.0f %10s\n' "bare UPDATE, no trigger, $size items" "${TPS[bare/$size]}" 1.00
	printf '%-62s %10.0f %10s\n' "kyc_checklist C triggers, O(1) deltas, $size items" "${TPS[c/$size]}" \
		"$(ratio "${TPS[c/$size]}" "${TPS[bare/$size]}")"
	printf '%-62s %10.0f %10s\n' "PL/pgSQL triggers recounting every item, $size items" "${TPS[plpgsql/$size]}" \
		"$(ratio "${TPS[plpgsql/$size]}" "${TPS[bare/$size]}")"
	printf '%-62s %10s %10s\n' "C / PL/pgSQL, $size items" "" "$(ratio "${TPS[c/$size]}" "${TPS[plpgsql/$size]}")"
done

printf '\n%-62s %10s %10s\n' "every item of 10 checklists completed in one UPDATE (median)" ms "vs bare"
for size in 10 200; do
	printf '%-62s %10s %10s\n' "bare UPDATE, no trigger, $((10 * size)) items" "${BULK[bare/$size]}" 1.00
	printf '%-62s %10s %10s\n' "kyc_checklist C triggers, O(1) deltas" "${BULK[c/$size]}" \
		"$(ratio "${BULK[c/$size]}" "${BULK[bare/$size]}")"
	printf '%-62s %10s %10s\n' "PL/pgSQL triggers recounting every item" "${BULK[plpgsql/$size]}" \
		"$(ratio "${BULK[plpgsql/$size]}" "${BULK[bare/$size]}")"
	printf '%-62s %10s %10s\n' "PL/pgSQL / C (time), $size items per checklist" "" \
		"$(ratio "${BULK[plpgsql/$size]}" "${BULK[c/$size]}")"
done
