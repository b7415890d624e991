#!/usr/bin/env bash
# make bench, screening part: kyc_risk.screen() over a synthetic watch list
# of 20,000 entities and 50,000 names (bench/screen_setup.sql), one client
# on one core, side by side in one run with
#   - a plain pg_trgm query: top 10 names by similarity() through the same
#     GIN index (candidate retrieval only, no scoring), and
#   - the same screening in PL/pgSQL (bench/screen_plpgsql.sql): pg_trgm
#     candidates scored by a PL/pgSQL token Jaro-Winkler.
# Each query is drawn from 1,000 (bench.screen_queries).  screen() gets the
# raw name and normalises it itself; the two baselines get it normalised.
# Reports screen() latency p50 and p99 (pgbench per-transaction log, client
# side, so it includes the round trip), and median screens/s over
# interleaved repetitions with the ratios.
#
#   BENCH_SECONDS     seconds per pgbench run (default 5)
#   BENCH_REPS        repetitions of each variant (default 3)
#   BENCH_NO_INSTALL  1: use what is installed, do not build and install
#   BENCH_PGBIN       PostgreSQL binaries to run (default: lib.sh's PGBIN)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
REPS=${BENCH_REPS:-3}
PGBIN=${BENCH_PGBIN:-$PGBIN}

ensure_packages
[ "${BENCH_NO_INSTALL:-0}" = 1 ] || build_and_install

bench_cluster screen-bench 54821 logs
psql -X -q -d postgres -c "CREATE DATABASE screen"
say "building the synthetic watch list"
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d screen \
	-f "$REPO/bench/screen_setup.sql" -f "$REPO/bench/screen_plpgsql.sql" >/dev/null

cat >"$WORK/c.sql" <<'SQL'
\set i random(1, 1000)
SELECT count(*) FROM bench.screen_queries q, LATERAL kyc_risk.screen(q.q) s WHERE q.id = :i;
SQL
cat >"$WORK/trgm.sql" <<'SQL'
\set i random(1, 1000)
SELECT count(*) FROM bench.screen_queries q,
	LATERAL (SELECT n.id FROM kyc_risk.watchlist_names n WHERE n.normalized % q.qn
			 ORDER BY similarity(n.normalized, q.qn) DESC LIMIT 10) s
WHERE q.id = :i;
SQL
cat >"$WORK/plpgsql.sql" <<'SQL'
\set i random(1, 1000)
SELECT count(*) FROM bench.screen_queries q, LATERAL bench.screen_plpgsql(q.qn) s WHERE q.id = :i;
SQL
give_to_cluster_user "$WORK"

# Warm the cache and each backend-independent structure once.
psql -X -q -d screen -c "SELECT count(*) FROM bench.screen_queries q, LATERAL kyc_risk.screen(q.q) s WHERE q.id <= 100" >/dev/null

declare -A samples=()
for rep in $(seq "$REPS"); do
	for v in c trgm plpgsql; do
		samples[$v]+="$(cd "$WORK/logs" && "$PGBIN/pgbench" -n -M prepared -c 1 -j 1 -T "$SECONDS_PER_RUN" \
			-l --log-prefix="$v.$rep" -f "$WORK/$v.sql" screen 2>/dev/null |
			sed -n 's/^tps = \([0-9.]*\) .*/\1/p') "
	done
done
declare -A TPS
for v in c trgm plpgsql; do
	TPS[$v]=$(echo "${samples[$v]}" | tr ' ' '\n' | sed '/^$/d' | median)
done
# Per-transaction latency in microseconds is the third field of the logs.
percentile() {
	cat "$WORK"/logs/"$1".* | awk '{ print $3 }' | sort -n |
		awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100); if (i < 1) i = 1; printf "%.3f", v[i] / 1000 }'
}

printf '\n%-62s %12s\n' "screening, 1 client, 20,000 entities / 50,000 names" "result"
printf '%-62s %12s\n' "kyc_risk.screen() latency p50, ms" "$(percentile c 50)"
printf '%-62s %12s\n' "kyc_risk.screen() latency p99, ms" "$(percentile c 99)"
printf '%-62s %12.0f\n' "kyc_risk.screen(), screens/s (median of $REPS x ${SECONDS_PER_RUN}s)" "${TPS[c]}"
printf '%-62s %12.0f\n' "plain pg_trgm top-10 by similarity(), queries/s" "${TPS[trgm]}"
printf '%-62s %12.0f\n' "pg_trgm candidates + PL/pgSQL Jaro-Winkler, screens/s" "${TPS[plpgsql]}"
printf '%-62s %12s\n' "pg_trgm top-10 latency p50, ms" "$(percentile trgm 50)"
printf '%-62s %12s\n' "PL/pgSQL screening latency p50, ms" "$(percentile plpgsql 50)"
printf '%-62s %12s\n' "screen() throughput / plain pg_trgm" "$(ratio "${TPS[c]}" "${TPS[trgm]}")"
printf '%-62s %12s\n' "screen() throughput / PL/pgSQL Jaro-Winkler" "$(ratio "${TPS[c]}" "${TPS[plpgsql]}")"
