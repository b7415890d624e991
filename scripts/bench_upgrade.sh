#!/usr/bin/env bash
# bench_upgrade.sh [CASES]: how long the update of kyc_onboarding from 0.1.0
# to this build holds the onboarding database, on CASES cases (20,000), each
# with an applicant whose date of birth 0.1.0 kept in the clear.  Side by
# side, in one run, on copies of the same data:
#   - ALTER EXTENSION kyc_onboarding UPDATE (what make provision runs);
#   - the floor: rewriting every applicant row once, no trigger;
#   - what a user would otherwise write: pgcrypto's pgp_sym_encrypt() of
#     each date into a new column, one key in the query.
# Each is the median of 3, each on a fresh copy made from a template.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${1:-20000}
RUNS=3
FROM=v0.1.0

REF=$(release_commit "$FROM")
WORK=$(work_dir bench-upgrade)
trap 'cluster_stop "$WORK/data"; rm -rf "$WORK"' EXIT
say "building pgkyc $FROM"
OLDBIN=$(release_build "$REF" "$WORK")
give_to_cluster_user "$WORK"
PORT=$(free_port 56800)
PGBIN=$OLDBIN cluster_init "$WORK/data" "$PORT"
PGBIN=$OLDBIN cluster_start "$WORK/data"
PORT=$(cluster_port "$WORK/data")
export PGHOST=$WORK PGPORT=$PORT PGUSER=postgres
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

say "$N cases through $FROM's create_case(), as onboarding_user"
(cd "$WORK/src" && bash scripts/provision.sh >"$WORK/provision.log")
psql -X -q -At -v ON_ERROR_STOP=1 -U onboarding_user -d onboarding -v n="$N" <<'SQL' >/dev/null
SELECT count(kyc_onboarding.create_case('Individual', NULL, 'bench-' || i,
	jsonb_build_object('first_name', 'Ada', 'last_name', 'Bench' || i,
					   'date_of_birth', (date '1940-01-01' + i % 20000)::text, 'nationality', 'GB')))
FROM generate_series(1, :n) i;
SQL

# No relay and no pg_cron job: a database is copied only when nobody is in it.
sql postgres -c "SELECT cron.unschedule(jobid) FROM cron.job" >/dev/null
sql postgres -c "ALTER SYSTEM SET kyc_events.databases = ''" >/dev/null
cluster_stop "$WORK/data"
cluster_start "$WORK/data"
export PGPORT=$(cluster_port "$WORK/data")
say "on this build: kyc_events updated, a master key, onboarding copied"
sql onboarding -c "ALTER EXTENSION kyc_events UPDATE" \
	-c "SELECT kyc_events.create_master_key('$WORK/master.key')" >/dev/null
sql postgres -c "ALTER SYSTEM SET kyc.master_key_file = '$WORK/master.key'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1
sql postgres -c "CREATE DATABASE bench_base TEMPLATE onboarding"
sql bench_base -c "CREATE EXTENSION IF NOT EXISTS pgcrypto" >/dev/null

# ms STATEMENT...: the time psql reports for the last statement, run in a
# fresh copy of the data.
ms() {
	sql postgres -c "DROP DATABASE IF EXISTS bench_run" -c "CREATE DATABASE bench_run TEMPLATE bench_base" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d bench_run -c '\timing on' "$@" |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
}

rewrite=$(for _ in $(seq $RUNS); do
	ms -c "SET session_replication_role = replica" \
		-c "UPDATE kyc_onboarding.applicants SET date_of_birth = date_of_birth"
done | median)
pgcrypto=$(for _ in $(seq $RUNS); do
	ms -c "SET session_replication_role = replica" \
		-c "ALTER TABLE kyc_onboarding.applicants ADD COLUMN date_of_birth_pgp bytea" \
		-c "UPDATE kyc_onboarding.applicants SET date_of_birth_pgp = pgp_sym_encrypt(date_of_birth::text, 'a key in the query'), date_of_birth = NULL"
done | median)
update=$(for _ in $(seq $RUNS); do ms -c "ALTER EXTENSION kyc_onboarding UPDATE"; done | median)
# The last copy is the update's: every date sealed, none left in the clear.
sealed=$(sql bench_run -c "SELECT count(*) FILTER (WHERE date_of_birth_sealed IS NOT NULL AND date_of_birth IS NULL)
						   FROM kyc_onboarding.applicants")

echo
echo "kyc_onboarding 0.1.0 -> this build, $N applicants with a date of birth (median of $RUNS)"
printf '%-58s %10s %12s %8s\n' "" "ms" "us/applicant" "ratio"
row() { awk -v l="$1" -v t="$2" -v n="$N" -v f="$rewrite" 'BEGIN { printf "%-58s %10.1f %12.1f %8.2f\n", l, t, t * 1000 / n, t / f }'; }
row "rewrite every applicant once, no trigger (floor)" "$rewrite"
row "ALTER EXTENSION kyc_onboarding UPDATE (seals each date)" "$update"
row "pgcrypto pgp_sym_encrypt() into a new column" "$pgcrypto"
awk -v u="$update" -v p="$pgcrypto" 'BEGIN { printf "%-58s %10s %12s %8.2f\n", "update / pgcrypto", "", "", u / p }'
[ "$sealed" = "$N" ] || { echo "the update sealed $sealed of $N dates of birth" >&2; exit 1; }
