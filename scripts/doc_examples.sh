#!/usr/bin/env bash
# doc_examples.sh: run every ```sql block of docs/*.md and README.md against
# a provisioned cluster (PGHOST, PGPORT, PGUSER a superuser), and check that
# the role-matrix tests call every documented function.  Prints TAP-like
# "ok"/"not ok" lines, one per block or check.
#
# A block's first line declares where it runs:
#     -- database: risk_service, role: risk_user
# It runs there with ON_ERROR_STOP, after SET SESSION AUTHORIZATION to the
# role, inside a transaction that is rolled back, unless the block has its
# own BEGIN/COMMIT.  A block without the marker fails.  The examples' server
# address, host=/var/run/postgresql port=5432, becomes the cluster's.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
failed=0

# result OK DESCRIPTION [OUTPUT]: one TAP line, with the output on failure.
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3"
	fi
}

# Split each page's sql blocks into files named page:line.
for page in "$REPO"/docs/*.md "$REPO"/README.md; do
	awk -v dir="$TMP" -v page="$(basename "$page")" '
		/^```sql[[:space:]]*$/ { out = sprintf("%s/%s:%04d", dir, page, NR + 1); inblock = 1; next }
		/^```/ && inblock { inblock = 0; close(out); next }
		inblock { print > out }' "$page"
done

for block in "$TMP"/*.md:*; do
	[ -e "$block" ] || continue
	name=$(basename "$block" | sed -E 's/:0*/:/')
	marker=$(head -n 1 "$block")
	if ! [[ $marker =~ ^--\ database:\ ([a-z_]+),\ role:\ ([a-z_]+)$ ]]; then
		echo "first line is not \"-- database: <db>, role: <role>\": $marker" >"$TMP/out"
		result 1 "$name" "$TMP/out"
		continue
	fi
	db=${BASH_REMATCH[1]}
	role=${BASH_REMATCH[2]}
	sql=$(sed "s|host=/var/run/postgresql port=5432|host=$PGHOST port=$PGPORT|g" "$block")
	if grep -qiE '^[[:space:]]*(BEGIN|COMMIT|ROLLBACK)[[:space:]]*;' "$block"; then
		input=$(printf 'SET SESSION AUTHORIZATION %s;\n%s\n' "$role" "$sql")
	else
		input=$(printf 'BEGIN;\nSET SESSION AUTHORIZATION %s;\n%s\nROLLBACK;\n' "$role" "$sql")
	fi
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<<"$input" >"$TMP/out" 2>&1
	result $? "$name (in $db as $role)" "$TMP/out"
done

# The role matrix calls every function the docs name.
"$REPO/scripts/doc_functions.sh" >"$TMP/documented"
: >"$TMP/missing"
while read -r fn; do
	grep -qF "$fn(" "$REPO"/tests/pgtap/[0-9][0-9]_matrix_*.sql || echo "$fn" >>"$TMP/missing"
done <"$TMP/documented"
[ -s "$TMP/missing" ] && sed -i '1i documented but not called in tests/pgtap/[0-9][0-9]_matrix_*.sql:' "$TMP/missing"
result "$([ -s "$TMP/missing" ] && echo 1 || echo 0)" \
	"the role matrix calls all $(wc -l <"$TMP/documented") documented functions" "$TMP/missing"

# examples/pg_service.conf names every service database, as kyc_relay.
sed "s|^host=/var/run/postgresql|host=$PGHOST|; s|^port=5432|port=$PGPORT|" \
	"$REPO/examples/pg_service.conf" >"$TMP/pg_service.conf"
: >"$TMP/out"
for svc in $(sed -n 's/^\[\(.*\)\]$/\1/p' "$TMP/pg_service.conf"); do
	PGSERVICEFILE=$TMP/pg_service.conf psql -X -At -v ON_ERROR_STOP=1 "service=$svc" \
		-c "SELECT current_database(), current_user, (SELECT count(*) >= 0 FROM kyc_events.read_blocker())" >>"$TMP/out" 2>&1 ||
		echo "service $svc failed" >>"$TMP/out"
done
grep -q failed "$TMP/out"
result "$([ $? = 0 ] && echo 1 || echo 0)" "examples/pg_service.conf: every service connects as kyc_relay" "$TMP/out"

echo "1..$n"
[ "$failed" -eq 0 ]
