#!/usr/bin/env bash
# make test: packages, build, a throwaway cluster, provisioning, every suite.
#
# Suites: pg_regress (sql/, expected/), isolation (tests/isolation), pgTAP
# (tests/pgtap, through pg_prove), Perl TAP (tests/tap, with
# PostgreSQL::Test::Cluster) and libFuzzer (tests/fuzz).  The last line is
# "N passed, N failed", counted over all suites; the exit status is
# non-zero if anything failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

ensure_packages || { echo "0 passed, 1 failed"; exit 1; }
build_and_install || { echo "0 passed, 1 failed"; exit 1; }

WORK=$(work_dir test)
DATA=$WORK/data
PORT=$(free_port 54321)
PASSED=0
FAILED=0

finish() {
	say "stopping the test cluster"
	cluster_stop "$DATA"
	cluster_stop "$WORK/nopreload"
	if [ "$FAILED" -gt 0 ] && [ -f "$DATA/server.log" ]; then
		echo "--- last lines of the server log ---"
		tail -n 40 "$DATA/server.log"
	fi
	[ "$FAILED" -eq 0 ] && rm -rf "$WORK"
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
trap 'finish; exit $?' EXIT
trap 'exit 130' INT TERM

# count PASS FAIL SUITE: add a suite's counts to the totals.
count() {
	PASSED=$((PASSED + $1))
	FAILED=$((FAILED + $2))
	say "$3: $1 passed, $2 failed"
}

say "starting a throwaway cluster on port $PORT in $WORK"
cluster_init "$DATA" "$PORT"
cluster_start "$DATA" || { cat "$DATA/server.log"; FAILED=1; exit 1; }
export PGHOST=$WORK PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres

# Catalog state that make provision controls, for the idempotence check.
provision_state() {
	psql -X -At -d postgres -c "
		SELECT rolname, rolsuper, rolcanlogin, rolcreatedb, rolcreaterole FROM pg_roles ORDER BY 1;
		SELECT datname, pg_get_userbyid(datdba), datacl FROM pg_database ORDER BY 1;"
	for db in $(psql -X -At -d postgres -c "SELECT datname FROM pg_database WHERE datname NOT IN ('template0','template1') ORDER BY 1"); do
		psql -X -At -d "$db" -c "
			SELECT '$db', extname, extversion FROM pg_extension ORDER BY 2;
			SELECT '$db', nspname, nspacl FROM pg_namespace ORDER BY 2;
			SELECT '$db', c.oid::regclass, c.relacl FROM pg_class c
			 JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname LIKE 'kyc%' ORDER BY 2;
			SELECT '$db', p.oid::regprocedure, p.proacl FROM pg_proc p
			 JOIN pg_namespace n ON n.oid = p.pronamespace
			 WHERE n.nspname LIKE 'kyc%' ORDER BY 2;"
	done
}

# Finding 1 of issue 10: an earlier provision made each service role the
# owner of its database.  Tamper as such an owner would, before the first
# provision: a planted operator, a database search_path that puts it under
# superuser code, CREATE on public, CONNECT handed to another role.
say "make provision over a database its service role owned and tampered with"
psql -X -q -v ON_ERROR_STOP=1 -d postgres >"$WORK/tamper.log" 2>&1 <<'SQL'
CREATE ROLE auditlog_user LOGIN;
CREATE ROLE onboarding_user LOGIN;
CREATE DATABASE auditlog_service OWNER auditlog_user;
SQL
psql -X -q -v ON_ERROR_STOP=1 -U auditlog_user -d auditlog_service >>"$WORK/tamper.log" 2>&1 <<'SQL'
CREATE SCHEMA evil;
CREATE FUNCTION evil.ge(bigint, bigint) RETURNS boolean LANGUAGE sql
AS $$ SELECT $1 OPERATOR(pg_catalog.>=) $2 $$;
CREATE OPERATOR evil.>= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = evil.ge);
ALTER DATABASE auditlog_service SET search_path = evil, pg_catalog;
ALTER ROLE auditlog_user IN DATABASE auditlog_service SET search_path = evil;
GRANT CREATE ON SCHEMA public TO auditlog_user;
GRANT CONNECT, CREATE ON DATABASE auditlog_service TO onboarding_user;
-- An operator that beats pg_catalog's for oid = regclass, as a provision
-- query with an unpinned search_path would use it.
CREATE FUNCTION public.eq(oid, regclass) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
		EXECUTE 'ALTER ROLE auditlog_user SUPERUSER';
	END IF;
	RETURN $1 OPERATOR(pg_catalog.=) $2::oid;
END $$;
CREATE OPERATOR public.= (LEFTARG = oid, RIGHTARG = regclass, FUNCTION = public.eq);
-- Schemas given to pg_database_owner, which pg_shdepend does not record:
-- one named for a superuser's "$user" path, one for an extension to come.
CREATE SCHEMA postgres;
ALTER SCHEMA postgres OWNER TO pg_database_owner;
GRANT USAGE, CREATE ON SCHEMA postgres TO PUBLIC;
CREATE SCHEMA kyc_auditlog;
ALTER SCHEMA kyc_auditlog OWNER TO pg_database_owner;
SQL
if make -s -C "$REPO" provision >"$WORK/provision.log" 2>&1; then
	cat "$WORK/tamper.log" "$WORK/provision.log"
	count 0 1 "provision accepted a database where auditlog_user planted schemas and operators"
elif grep -q "auditlog_service holds what a service role could use" "$WORK/provision.log" &&
	grep -q "schema evil, owned by auditlog_user" "$WORK/provision.log" &&
	grep -q "operator evil.>=(bigint,bigint), owned by auditlog_user" "$WORK/provision.log" &&
	grep -q "operator public.=(oid,regclass), owned by auditlog_user" "$WORK/provision.log" &&
	grep -q "schema postgres, owned by pg_database_owner" "$WORK/provision.log" &&
	grep -q "schema postgres, CREATE granted to PUBLIC" "$WORK/provision.log" &&
	grep -q "schema kyc_auditlog, made before its extension" "$WORK/provision.log"; then
	count 1 0 "provision refuses what a service role planted, and names each"
else
	cat "$WORK/tamper.log" "$WORK/provision.log"
	count 0 1 "provision failed without naming everything auditlog_user planted"
fi
if [ "$(psql -X -At -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'auditlog_user'")" = f ]; then
	count 1 0 "provision's own queries never ran the planted operator as a superuser"
else
	count 0 1 "provision ran auditlog_user's operator as a superuser: auditlog_user is a superuser"
fi
# The operator reviews them and drops them; the next provision goes through.
psql -X -q -d auditlog_service >>"$WORK/tamper.log" 2>&1 <<'SQL'
DROP OWNED BY auditlog_user;
DROP SCHEMA postgres, kyc_auditlog CASCADE;
SQL

# A cluster configured by hand: kyc_events.databases lacks the databases
# that provision subscribes in; provision adds them, keeping the rest.
RELAY_DBS_BEFORE=onboarding,risk_service,projections_api,notification_service,document_service
psql -X -q -d postgres -c "ALTER SYSTEM SET kyc_events.databases = '$RELAY_DBS_BEFORE'" \
	-c "SELECT pg_reload_conf()" >/dev/null

say "make provision (twice: the second run must change nothing)"
if make -s -C "$REPO" provision >"$WORK/provision.log" 2>&1; then
	provision_state >"$WORK/provision.1"
	relay_dbs_1=$(psql -X -At -d postgres -c "SHOW kyc_events.databases")
	make -s -C "$REPO" provision >"$WORK/provision.2.log" 2>&1
	cat "$WORK/provision.2.log" >>"$WORK/provision.log"
	provision_state >"$WORK/provision.2"
	if [ "$relay_dbs_1" = "$RELAY_DBS_BEFORE,auditlog_service,checklist_service" ] &&
		! grep -q "kyc_events.databases" "$WORK/provision.2.log"; then
		count 1 0 "provision adds its subscriber databases to kyc_events.databases, once"
	else
		echo "kyc_events.databases after provision: '$relay_dbs_1'"
		cat "$WORK/provision.log"
		count 0 1 "provision did not set kyc_events.databases, or set it again"
	fi
	if diff -u "$WORK/provision.1" "$WORK/provision.2"; then
		count 1 0 "provision"
	else
		count 0 1 "provision (second run changed the catalog)"
	fi
else
	cat "$WORK/provision.log"
	count 0 1 "provision"
	exit 1
fi

# The databases provision subscribes in: the audit log's, and each whose
# extension has a subscribe.sql.
SUBSCRIBERS="auditlog_service"
for f in "$REPO"/extensions/*/subscribe.sql; do
	case "$f" in
	*/kyc_onboarding/*) SUBSCRIBERS="$SUBSCRIBERS onboarding" ;;
	*/kyc_checklist/*) SUBSCRIBERS="$SUBSCRIBERS checklist_service" ;;
	*/kyc_risk/*) SUBSCRIBERS="$SUBSCRIBERS risk_service" ;;
	*/kyc_document/*) SUBSCRIBERS="$SUBSCRIBERS document_service" ;;
	*/kyc_projections/*) SUBSCRIBERS="$SUBSCRIBERS projections_api" ;;
	*/kyc_notification/*) SUBSCRIBERS="$SUBSCRIBERS notification_service" ;;
	esac
done

# Every subscription provision made has its relay worker: none shows no_worker.
no_worker=""
for db in $SUBSCRIBERS; do
	n=$(psql -X -At -d "$db" -c "SELECT count(*) FROM kyc_events.subscriptions WHERE state = 'no_worker'")
	[ "$n" = 0 ] || no_worker="$no_worker $db:$n"
done
if [ -z "$no_worker" ]; then
	count 1 0 "provision's subscriptions all have a relay worker ($SUBSCRIBERS)"
else
	count 0 1 "provision's subscriptions show no_worker:$no_worker"
fi

# Without kyc_events preloaded, provision stops before it creates anything,
# and says what to add to postgresql.conf.
say "make provision on a cluster without kyc_events preloaded"
NOPRELOAD=$WORK/nopreload
NOPRELOAD_PORT=$(free_port $((PORT + 1)))
cluster_init "$NOPRELOAD" "$NOPRELOAD_PORT"
printf "%s\n" "shared_preload_libraries = 'pg_cron'" "kyc_events.databases = 'projections_api'" \
	>>"$NOPRELOAD/postgresql.conf"
cluster_start "$NOPRELOAD"
if PGPORT=$NOPRELOAD_PORT make -s -C "$REPO" provision >"$WORK/nopreload.log" 2>&1; then
	count 0 1 "provision went ahead without kyc_events in shared_preload_libraries"
elif grep -qF "shared_preload_libraries = 'pg_cron,kyc_events'" "$WORK/nopreload.log" &&
	databases_line=$(grep -F "kyc_events.databases = 'projections_api," "$WORK/nopreload.log") &&
	(for db in $SUBSCRIBERS; do grep -q "[',]$db[',]" <<<"$databases_line" || exit 1; done) &&
	[ "$(PGPORT=$NOPRELOAD_PORT psql -X -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'onboarding'")" = 0 ]; then
	count 1 0 "provision without kyc_events preloaded stops and says what to add"
else
	cat "$WORK/nopreload.log"
	count 0 1 "provision without kyc_events preloaded did not say what to add, or went ahead"
fi
# There the subscriptions view would show no_worker, and say to preload.
missing=$(PGPORT=$NOPRELOAD_PORT psql -X -q -At -d postgres -c "CREATE EXTENSION kyc_events" \
	-c "SELECT kyc_events.relay_missing()" 2>&1)
if [[ "$missing" == *'kyc_events is not in shared_preload_libraries; add it there and "postgres" to kyc_events.databases'* ]]; then
	count 1 0 "without the preload, relay_missing() says to preload kyc_events"
else
	echo "$missing"
	count 0 1 "without the preload, relay_missing() does not say to preload kyc_events"
fi
cluster_stop "$NOPRELOAD"

# What the reclaimed database kept from its old owner: nothing.
reclaimed=$(psql -X -q -At -d postgres 2>&1 <<'SQL'
SELECT (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'auditlog_service'),
	   (SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
		WHERE d.datname = 'auditlog_service'),
	   has_database_privilege('onboarding_user', 'auditlog_service', 'CONNECT'),
	   has_database_privilege('auditlog_user', 'auditlog_service', 'CREATE'),
	   has_database_privilege('auditlog_user', 'postgres', 'CONNECT'),
	   has_database_privilege('auditlog_user', 'template1', 'CONNECT');
\c auditlog_service
SELECT has_schema_privilege('auditlog_user', 'public', 'CREATE');
SQL
)
if [ "$reclaimed" = "$(printf 'postgres|0|f|f|f|f\nf')" ]; then
	count 1 0 "provision reclaims the database: owner, settings, grants and CREATE on public reset"
else
	echo "owner|settings|onboarding CONNECT|auditlog CREATE|postgres CONNECT|template1 CONNECT, public CREATE:"
	echo "$reclaimed"
	count 0 1 "provision left the old owner's settings or grants"
fi

# docker/postgrest/<database>.conf serves each exposed database as the
# docs say, and what it names exists there: the api schema, the
# pre-request function, the roles and the authenticator's CONNECT.
for conf in "$REPO"/docker/postgrest/*.conf; do
	db=$(basename "$conf" .conf)
	setting() { sed -n "s/^$1 = \"\(.*\)\"\$/\1/p" "$conf"; }
	ready=$(psql -X -At -d "$db" -v db="$db" -v schemas="$(setting db-schemas)" -v anon="$(setting db-anon-role)" \
		-v pre="$(setting db-pre-request)" 2>&1 <<'SQL'
SELECT to_regnamespace(:'schemas') IS NOT NULL
   AND to_regprocedure(:'pre' || '()') IS NOT NULL
   AND has_function_privilege(:'anon', :'pre' || '()', 'EXECUTE')
   AND pg_has_role('kyc_authenticator', :'anon', 'MEMBER')
   AND has_database_privilege('kyc_authenticator', :'db', 'CONNECT')
   AND NOT (SELECT rolinherit FROM pg_roles WHERE rolname = 'kyc_authenticator')
SQL
)
	if [ "$ready" = t ] && [ "$(setting db-uri)" = "postgres://kyc_authenticator@postgres:5432/$db" ] &&
		[ "$(setting jwt-role-claim-key)" = ".pgkyc_role_unused" ]; then
		count 1 0 "docker/postgrest/$db.conf: its database has the api schema, pre_request() and the roles it names"
	else
		echo "$ready"
		count 0 1 "docker/postgrest/$db.conf does not match its database"
	fi
done
# The test realm defines the four API roles and the partner_id claim.
realm=$(psql -X -At -d postgres -v realm="$(cat "$REPO/docker/keycloak/pgkyc-realm.json")" 2>&1 <<'SQL'
SELECT (SELECT array_agg(r->>'name' ORDER BY r->>'name') FROM jsonb_array_elements(:'realm'::jsonb #> '{roles,realm}') r)
		= '{kyc_admin,kyc_compliance_officer,kyc_partner,kyc_reviewer}'
   AND EXISTS (SELECT FROM jsonb_array_elements(:'realm'::jsonb -> 'clients') c,
					jsonb_array_elements(c -> 'protocolMappers') m
			   WHERE c->>'clientId' = 'pgkyc' AND m #>> '{config,claim.name}' = 'partner_id')
SQL
)
if [ "$realm" = t ]; then
	count 1 0 "docker/keycloak/pgkyc-realm.json: the four API roles and the partner_id claim of client pgkyc"
else
	echo "$realm"
	count 0 1 "docker/keycloak/pgkyc-realm.json lacks an API role or the partner_id claim"
fi

# pg_regress-style output: "test name ... ok" or "... FAILED".
regress_counts() {
	local out=$1 label=$2
	count "$(grep -cE '\.\.\. ok' "$out")" "$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$out")" "$label"
}

# run_regress LABEL DRIVER INPUTDIR TESTDIR SUFFIX: one pg_regress-driven
# suite, each test file a test, in its own database with the extensions.
run_regress() {
	local label=$1 driver=$2 inputdir=$3 testdir=$4 suffix=$5 tests rc
	say "$label"
	tests=$(cd "$testdir" && ls *"$suffix" | sed "s/$suffix\$//" | tr '\n' ' ')
	"$driver" --bindir="$PGBIN" --inputdir="$inputdir" --outputdir="$WORK/$label" \
		--dbname="pgkyc_$label" --load-extension=kyc_events --load-extension=kyc_onboarding \
		--load-extension=kyc_auditlog --load-extension=pg_trgm --load-extension=kyc_risk \
		--load-extension=kyc_checklist --load-extension=kyc_document --load-extension=kyc_notification \
		$tests >"$WORK/$label.out" 2>&1
	rc=$?
	cat "$WORK/$label.out"
	regress_counts "$WORK/$label.out" "$label"
	if [ $rc -ne 0 ]; then
		[ -f "$WORK/$label/regression.diffs" ] && cat "$WORK/$label/regression.diffs"
		grep -q '\.\.\. FAILED' "$WORK/$label.out" || count 0 1 "$label (did not run)"
	fi
}

run_regress pg_regress "$PGXS_DIR/src/test/regress/pg_regress" "$REPO" "$REPO/sql" .sql
run_regress isolation "$PGXS_DIR/src/test/isolation/pg_isolation_regress" \
	"$REPO/tests/isolation" "$REPO/tests/isolation/specs" .spec

# Verbose TAP from prove or pg_prove: count top-level assertions.  Tests a
# file planned but never ran (it died) count as failed.
tap_counts() {
	local out=$1 rc=$2 label=$3 passed failed missing
	passed=$(grep -cE '^ok [0-9]+' "$out")
	failed=$(grep -cE '^not ok [0-9]+' "$out")
	missing=$(sed -n 's/.*planned \([0-9]*\) tests\{0,1\} but ran \([0-9]*\).*/\1 \2/p' "$out" |
		awk '{ if ($1 > $2) s += $1 - $2 } END { print s + 0 }')
	failed=$((failed + missing))
	[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
	count "$passed" "$failed" "$label"
}

say "pgTAP"
pg_prove -v --ext .sql -r "$REPO/tests/pgtap" >"$WORK/pgtap.out" 2>&1
rc=$?
cat "$WORK/pgtap.out"
tap_counts "$WORK/pgtap.out" $rc "pgTAP"

say "doc examples (every sql block of docs/*.md and README.md, as its role)"
"$REPO/scripts/doc_examples.sh" >"$WORK/doc_examples.out" 2>&1
rc=$?
cat "$WORK/doc_examples.out"
tap_counts "$WORK/doc_examples.out" $rc "doc examples"

# The libFuzzer harnesses of tests/fuzz, 5 s each, with AddressSanitizer and
# UndefinedBehaviorSanitizer: a crash, a sanitizer report or a broken
# property fails its harness, one TAP line each; the input is kept in
# $WORK/fuzz/crashes.
say "fuzzing (tests/fuzz, 5 s a harness)"
FUZZ_WORK="$WORK/fuzz" bash "$REPO/scripts/fuzz.sh" 5 >"$WORK/fuzz.out" 2>&1
rc=$?
cat "$WORK/fuzz.out"
tap_counts "$WORK/fuzz.out" $rc "fuzz"

# The image's first start without Docker (no engine here), the compose
# file, the Dockerfile and .dockerignore (scripts/docker_check.sh).
say "docker (the image's init scripts on a fresh data directory; compose)"
bash "$REPO/scripts/docker_check.sh" >"$WORK/docker.out" 2>&1
rc=$?
cat "$WORK/docker.out"
tap_counts "$WORK/docker.out" $rc "docker"

# The service roles' workload through PgBouncer in transaction mode, the
# relay connected to the server itself (scripts/pgbouncer_check.sh).
say "PgBouncer (transaction mode, the service roles' workload)"
bash "$REPO/scripts/pgbouncer_check.sh" >"$WORK/pgbouncer.out" 2>&1
rc=$?
cat "$WORK/pgbouncer.out"
tap_counts "$WORK/pgbouncer.out" $rc "PgBouncer"

# The update from the last release (tag v0.1.0): its build and make
# provision, data through its API, then this build's make provision over it:
# every row kept, verify() clean against the old digest, the relay resuming,
# and each database's catalog the fresh install's (scripts/upgrade_check.sh).
say "upgrade (v0.1.0 to this build)"
bash "$REPO/scripts/upgrade_check.sh" >"$WORK/upgrade.out" 2>&1
rc=$?
cat "$WORK/upgrade.out"
tap_counts "$WORK/upgrade.out" $rc "upgrade"

# make soak for a minute: 32 clients of six service roles, then no error,
# no event lost or doubled, no dead letter, lag back to zero, verify()
# clean, relay memory flat, projections equal to their sources.
say "soak (32 clients for 60 s)"
SOAK_SECONDS=60 bash "$REPO/scripts/soak.sh" >"$WORK/soak.out" 2>&1
rc=$?
cat "$WORK/soak.out"
tap_counts "$WORK/soak.out" $rc "soak"

say "Perl TAP"
# The clusters these tests create run as the cluster user, who may not be
# able to read this checkout: give them a copy.
# A test that runs make provision gets what provision reads: the scripts
# and each extension's SQL.
cp -r "$REPO/tests/tap" "$WORK/tap"
mkdir -p "$WORK/tap/repo"
cp -r "$REPO/scripts" "$WORK/tap/repo/"
# The notification test builds the reference sender from its source.
cp -r "$REPO/examples" "$WORK/tap/repo/"
# The metrics test starts the exporter with docker/monitoring's queries.
mkdir -p "$WORK/tap/repo/docker" && cp -r "$REPO/docker/monitoring" "$WORK/tap/repo/docker/"
# The backup test runs the example pgBackRest configuration.
(cd "$REPO" && cp -r --parents docker/pgbackrest "$WORK/tap/repo/")
(cd "$REPO" && find extensions -name '*.sql' ! -name '*--*' -exec cp --parents {} "$WORK/tap/repo/" \;)
give_to_cluster_user "$WORK/tap"
as_cluster_user env PATH="$PGBIN:$PATH" PERL5LIB="$PGXS_DIR/src/test/perl" PGKYC_REPO="$WORK/tap/repo" \
	TESTDIR="$WORK/tap" PG_REGRESS="$PGXS_DIR/src/test/regress/pg_regress" \
	prove -v -r --ext .pl "$WORK/tap/t" >"$WORK/tap.out" 2>&1
rc=$?
cat "$WORK/tap.out"
[ $rc -ne 0 ] && tail -n 50 "$WORK"/tap/tmp_check/log/*.log 2>/dev/null | tail -n 100
tap_counts "$WORK/tap.out" $rc "Perl TAP"

# make install links the offline verifier onto PATH (it installs as root here).
if [ "$(readlink -f /usr/local/bin/kyc-audit-verify)" = "$(readlink -f "$PGBIN/kyc-audit-verify")" ] &&
	[ -x "$PGBIN/kyc-audit-verify" ]; then
	count 1 0 "make install links kyc-audit-verify from /usr/local/bin"
else
	count 0 1 "make install did not link kyc-audit-verify from /usr/local/bin"
fi

# The quick start: make demo's scenario, twice, on its own throwaway cluster.
# Every step must pass, and the narration must read clean when piped: no
# colour codes, the SQLSTATE of each refusal, no empty result sets, and a
# second run that shows nothing of the first run's cases.
say "demo scenario"
bash "$REPO/scripts/demo.sh" check >"$WORK/demo.log" 2>&1
rc=$?
run_ids() { sed -n "/^==> demo run $1\$/,/^==> demo run $(($1 + 1))\$/p" "$WORK/demo.log" | grep -o 'KYC-[0-9-]*' | sort -u; }
if [ $rc -ne 0 ]; then
	cat "$WORK/demo.log"
	count 0 1 "demo scenario (a step failed)"
elif grep -q $'\033' "$WORK/demo.log"; then
	count 0 1 "demo narration has colour codes when piped"
elif [ "$(grep -c '^    SQLSTATE 23514$' "$WORK/demo.log")" -ne 4 ]; then
	cat "$WORK/demo.log"
	count 0 1 "demo refusals do not each show their SQLSTATE"
elif awk '/^-+(\+-+)*$/ { sep = NR } /^$/ && sep == NR - 1 { found = 1 } END { exit !found }' "$WORK/demo.log"; then
	cat "$WORK/demo.log"
	count 0 1 "demo prints an empty result set"
elif [ -z "$(run_ids 2)" ] || [ -n "$(comm -12 <(run_ids 1) <(run_ids 2))" ]; then
	cat "$WORK/demo.log"
	count 0 1 "demo's second run shows cases of the first"
else
	count 1 0 "demo scenario, twice: every step passes, each run tells only its own story; an older build's cluster is renewed"
fi
