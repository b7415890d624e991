#!/usr/bin/env bash
# make bench, risk part: kyc_risk's C scoring triggers against the same
# model as a PL/pgSQL row trigger, and against no trigger at all.
#   1. one factor updated per transaction (pgbench, median TPS);
#   2. one statement adding 3 factors to each of 1,000 assessments (median ms):
#      the C statement trigger rescores each assessment once, the row
#      trigger three times.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
REPS=${BENCH_REPS:-3}

ensure_packages
build_and_install

bench_cluster risk-bench 54721
q() { psql -X -q -At -d risk "$@"; }
psql -X -q -d postgres -c "CREATE DATABASE risk"
PGOPTIONS="-c client_min_messages=warning" q -v ON_ERROR_STOP=1 -f "$REPO/bench/risk_setup.sql" >/dev/null

declare -A FACTORS=([c]=kyc_risk.risk_factors [plpgsql]=bench.pl_factors [bare]=bench.bare_factors)
declare -A IDS=([c]=c_id [plpgsql]=pl_id [bare]=bare_id)
for v in c plpgsql bare; do
	sed "s/@FACTORS@/${FACTORS[$v]}/; s/@ID@/${IDS[$v]}/; s/@VARIANT@/$v/" "$REPO/bench/risk_update.sql" \
		>"$WORK/update_$v.sql"
done


declare -A TPS BULK
declare -A tps_samples=() bulk_samples=()
# The updates are a person's (postgres): kyc_risk asks them for a reason.
for rep in $(seq "$REPS"); do
	for v in bare c plpgsql; do
		tps_samples[$v]+="$(PGOPTIONS="-c kyc_risk.change_reason=bench" "$PGBIN/pgbench" -n -M prepared -c 1 -j 1 -T "$SECONDS_PER_RUN" \
			-f "$WORK/update_$v.sql" risk 2>/dev/null | sed -n 's/^tps = \([0-9.]*\) .*/\1/p') "
		bulk_samples[$v]+="$(q -c "SELECT bench.bulk_insert_ms('$v')") "
	done
done
for v in bare c plpgsql; do
	TPS[$v]=$(echo "${tps_samples[$v]}" | tr ' ' '\n' | sed '/^$/d' | median)
	BULK[$v]=$(echo "${bulk_samples[$v]}" | tr ' ' '\n' | sed '/^$/d' | median)
done

printf '\n%-58s %10s %12s\n' "risk scoring, one factor updated per transaction (median of $REPS x ${SECONDS_PER_RUN}s)" tps "vs bare"
printf '%-58s %10.0f %12s\n' "no trigger (floor)" "${TPS[bare]}" 1.00
printf '%-58s %10.0f %12s\n' "kyc_risk C statement trigger" "${TPS[c]}" "$(ratio "${TPS[c]}" "${TPS[bare]}")"
printf '%-58s %10.0f %12s\n' "PL/pgSQL row trigger, same model" "${TPS[plpgsql]}" "$(ratio "${TPS[plpgsql]}" "${TPS[bare]}")"
printf '%-58s %10s %12s\n' "C / PL/pgSQL" "" "$(ratio "${TPS[c]}" "${TPS[plpgsql]}")"
printf '\n%-58s %10s %12s\n' "3,000 factors on 1,000 assessments in one INSERT (median)" ms "vs bare"
printf '%-58s %10s %12s\n' "no trigger (floor)" "${BULK[bare]}" 1.00
printf '%-58s %10s %12s\n' "kyc_risk C statement trigger" "${BULK[c]}" "$(ratio "${BULK[c]}" "${BULK[bare]}")"
printf '%-58s %10s %12s\n' "PL/pgSQL row trigger, same model" "${BULK[plpgsql]}" "$(ratio "${BULK[plpgsql]}" "${BULK[bare]}")"
printf '%-58s %10s %12s\n' "PL/pgSQL / C (time)" "" "$(ratio "${BULK[plpgsql]}" "${BULK[c]}")"
