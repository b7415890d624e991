#!/usr/bin/env bash
# make bench, screening quality: kyc_risk.name_similarity() on the labelled
# name pairs of tests/data (name_pairs_dev.csv, tuned on; name_pairs_heldout.csv,
# never looked at while tuning), side by side with the scorer of the last
# release (v0.1.0, built from its tag into a private directory), and with
# the current one again once every name of both sets is on a watch list,
# so that common tokens weigh less (kyc_risk.token_weights).  Prints,
# per set and phenomenon, recall and specificity at the default threshold
# 0.85, the ROC AUC and the threshold with the best F1 (scripts/name_quality.pl),
# and counts the pairs whose scoring raised an error (the target is none).
#
#   BENCH_NO_INSTALL  1: use what is installed, do not build and install
#   BENCH_PGBIN       PostgreSQL binaries to run (default: lib.sh's PGBIN)
#   BENCH_ERRORS      1: also list each set's errors at the threshold
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PGBIN=${BENCH_PGBIN:-$PGBIN}

ensure_packages
[ "${BENCH_NO_INSTALL:-0}" = 1 ] || build_and_install

bench_cluster screen-quality 54831 release
say "building the last release's scorer (v0.1.0)"
RELEASE_BIN=$(release_build "$(release_commit v0.1.0)" "$WORK/release")

# load DATABASE: the pairs of both sets into table pairs, in file order.
load() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" <<SQL
CREATE EXTENSION kyc_risk CASCADE;
CREATE TABLE pairs (n serial, a text, b text, same int, phenomenon text, script text, note text, set text);
\copy pairs (a, b, same, phenomenon, script, note) FROM '$REPO/tests/data/name_pairs_dev.csv' CSV HEADER
UPDATE pairs SET set = 'dev' WHERE set IS NULL;
\copy pairs (a, b, same, phenomenon, script, note) FROM '$REPO/tests/data/name_pairs_heldout.csv' CSV HEADER
UPDATE pairs SET set = 'heldout' WHERE set IS NULL;
-- A pair whose scoring raises an error scores -1 and is counted.
CREATE FUNCTION score(a text, b text) RETURNS float8 LANGUAGE plpgsql AS \$\$
BEGIN
	RETURN kyc_risk.name_similarity(a, b);
EXCEPTION WHEN OTHERS THEN
	RETURN -1;
END
\$\$;
SQL
}

# score DATABASE: set, phenomenon, same, a, b and the score of each pair, in file order.
score() {
	psql -X -At -F $'\t' -d "$1" -c "SELECT set, phenomenon, same, a, b, score(a, b) FROM pairs ORDER BY n"
}

psql -X -q -d postgres -c "CREATE DATABASE quality"
load quality
score quality >"$WORK/current.tsv"
say "every name of both sets on a watch list"
psql -X -q -v ON_ERROR_STOP=1 -d quality -c "SELECT count(kyc_risk.add_watchlist_entity('CORPUS', 'person', ARRAY[name])) FROM (SELECT a FROM pairs UNION SELECT b FROM pairs) n (name)" \
	-c "SELECT kyc_risk.refresh_token_weights()" >/dev/null
score quality >"$WORK/weighted.tsv"

# The release in a cluster of its own: its library has the same symbols.
cluster_stop "$DATA"
OLD_DATA=$WORK/release-data
PGBIN=$RELEASE_BIN cluster_init "$OLD_DATA" "$PORT"
PGBIN=$RELEASE_BIN cluster_start "$OLD_DATA"
export PGPORT=$(cluster_port "$OLD_DATA")
trap 'PGBIN=$RELEASE_BIN cluster_stop "$OLD_DATA"; rm -rf "$WORK"' EXIT
psql -X -q -d postgres -c "CREATE DATABASE quality"
load quality
score quality >"$WORK/release.tsv"

errors_current=$(cat "$WORK/current.tsv" "$WORK/weighted.tsv" | awk -F'\t' '$6 == -1' | wc -l)
errors_release=$(awk -F'\t' '$6 == -1' "$WORK/release.tsv" | wc -l)
{
	printf 'set\tphenomenon\tsame\ta\tb\tv0.1.0\tcurrent\tweighted\n'
	paste "$WORK/release.tsv" <(cut -f6 "$WORK/current.tsv") <(cut -f6 "$WORK/weighted.tsv")
} | perl "$REPO/scripts/name_quality.pl" 0.85 "$([ "${BENCH_ERRORS:-0}" = 1 ] && echo current)"
printf '\n%-62s %12s\n' "pairs whose scoring raised an error, v0.1.0" "$errors_release"
printf '%-62s %12s\n' "pairs whose scoring raised an error, current" "$errors_current"
