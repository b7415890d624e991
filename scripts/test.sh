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

# finish STATUS: stop the clusters and print the totals.  A run that ends
# any other way than at the end of this script (a signal, an error that
# set -u caught) is a failure, whatever it counted before.
finish() {
	if [ "$1" -ne 0 ] && [ "$FAILED" -eq 0 ]; then
		echo "make test stopped before its end (status $1)"
		FAILED=1
	fi
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
trap 'finish $?; exit $?' EXIT
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
PORT=$(cluster_port "$DATA")
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
NOPRELOAD_PORT=$(cluster_port "$NOPRELOAD")
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

# Counts come from each runner's own summary, never from its progress
# lines, whose format changes between versions: pg_regress and
# pg_isolation_regress end with "All N tests passed." or "N of M tests
# failed." (PostgreSQL 16 puts "# " before them), and prove and pg_prove
# (TAP::Harness) end with "Files=F, Tests=N" after a report of the tests
# that failed.  A suite that ran nothing counts as failed.

# harness_counts OUT RC LABEL: a TAP::Harness run (prove, pg_prove).
harness_counts() {
	local out=$1 rc=$2 label=$3 c
	c=$(awk -f "$REPO/scripts/harness_counts.awk" "$out")
	set -- ${c:-0 1}
	[ "$rc" -ne 0 ] && [ "$2" -eq 0 ] && set -- "$1" 1
	[ $(($1 + $2)) -eq 0 ] && set -- 0 1 && echo "$label ran no test"
	count "$1" "$2" "$label"
}

# installcheck_counts OUT RC: make installcheck's pg_regress, isolation
# and Perl TAP runs, told apart by the "+++ <kind> install-check" line
# PGXS prints before each; a run without its summary counts as failed.
installcheck_counts() {
	local out=$1 rc=$2 kind label c failed=0
	for kind in regress isolation tap; do
		c=$(awk -v kind="$kind" -f "$REPO/scripts/harness_counts.awk" "$out")
		set -- ${c:-0 1}
		case $kind in
		regress) label=pg_regress ;;
		isolation) label=isolation ;;
		tap) label="Perl TAP" ;;
		esac
		[ $(($1 + $2)) -eq 0 ] && set -- 0 1 && echo "make installcheck ran no $label test"
		failed=$((failed + $2))
		count "$1" "$2" "$label"
	done
	# A failure no summary shows: make itself, or a driver that died.
	[ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && count 0 1 "make installcheck failed, though no test did"
	return 0
}

# Each extension's pg_regress, isolation and Perl TAP tests, through make
# installcheck as PGXS runs them, as the cluster user: PostgreSQL::Test::Cluster
# starts its own servers, which refuse root.  They get a copy of the
# checkout, which that user may not be able to read; the Perl TAP tests
# read the provision scripts, examples and docker files from it.
# Every test file is named in an extension's REGRESS, ISOLATION or KYC_TAP,
# or make installcheck would never run it.
unlisted=""
for f in "$REPO"/sql/*.sql "$REPO"/tests/isolation/specs/*.spec "$REPO"/tests/tap/t/*.pl; do
	name=$(basename "${f%.*}")
	grep -qE "^(REGRESS|ISOLATION|KYC_TAP) = .*\b$name\b" "$REPO"/extensions/*/Makefile || unlisted="$unlisted $name"
done
if [ -z "$unlisted" ]; then
	count 1 0 "every pg_regress, isolation and Perl TAP test is named in an extension's Makefile"
else
	count 0 1 "tests no extension's Makefile names, which make installcheck never runs:$unlisted"
fi

say "make installcheck (pg_regress, isolation and Perl TAP, per extension)"
mkdir -p "$WORK/repo"
tar -C "$REPO" --exclude=./.git --exclude=./.demo --exclude='*.o' --exclude='*.so' --exclude='*.a' -cf - . |
	tar -C "$WORK/repo" -xf -
give_to_cluster_user "$WORK/repo"
as_cluster_user env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER=postgres PGKYC_REPO="$WORK/repo" \
	make -C "$WORK/repo" installcheck PG_CONFIG="$PG_CONFIG" PROVE_FLAGS=-v >"$WORK/installcheck.out" 2>&1
rc=$?
cat "$WORK/installcheck.out"
if [ $rc -ne 0 ]; then
	find "$WORK/repo/extensions" \( -name regression.diffs -o -path '*/output_iso/regression.diffs' \) -exec cat {} + 2>/dev/null
	tail -n 50 "$WORK"/repo/extensions/*/tmp_check/log/*.log 2>/dev/null | tail -n 100
fi
installcheck_counts "$WORK/installcheck.out" $rc

# tap_suite LABEL NAME SCRIPT [ARG...]: a script that prints TAP, run by
# prove, which checks its plan and numbering and sums it up.
tap_suite() {
	local label=$1 name=$2 script=$3 rc
	shift 3
	prove -v --exec bash "$script" :: "$@" >"$WORK/$name.out" 2>&1
	rc=$?
	cat "$WORK/$name.out"
	harness_counts "$WORK/$name.out" $rc "$label"
}

# The C as PostgreSQL's indenter leaves it, and no cppcheck finding.
say "indent check (pg_bsd_indent with pgindent's options)"
tap_suite "indent" indent "$REPO/scripts/indent.sh" --check
say "cppcheck"
tap_suite "cppcheck" cppcheck "$REPO/scripts/cppcheck.sh"

say "pgTAP"
pg_prove -v --ext .sql -r "$REPO/tests/pgtap" >"$WORK/pgtap.out" 2>&1
rc=$?
cat "$WORK/pgtap.out"
harness_counts "$WORK/pgtap.out" $rc "pgTAP"

say "doc examples (every sql block of docs/*.md and README.md, as its role)"
tap_suite "doc examples" doc_examples "$REPO/scripts/doc_examples.sh"

# The libFuzzer harnesses of tests/fuzz, 5 s each, with AddressSanitizer and
# UndefinedBehaviorSanitizer: a crash, a sanitizer report or a broken
# property fails its harness, one TAP line each; the input is kept in
# $WORK/fuzz/crashes.
say "fuzzing (tests/fuzz, 5 s a harness)"
FUZZ_WORK="$WORK/fuzz" tap_suite "fuzz" fuzz "$REPO/scripts/fuzz.sh" 5

# The image's first start without Docker (no engine here), the compose
# file, the Dockerfile and .dockerignore (scripts/docker_check.sh).
say "docker (the image's init scripts on a fresh data directory; compose)"
tap_suite "docker" docker "$REPO/scripts/docker_check.sh"

# The service roles' workload through PgBouncer in transaction mode, the
# relay connected to the server itself (scripts/pgbouncer_check.sh).
say "PgBouncer (transaction mode, the service roles' workload)"
tap_suite "PgBouncer" pgbouncer "$REPO/scripts/pgbouncer_check.sh"

# The update from the last release (tag v0.1.0): its build and make
# provision, data through its API, then this build's make provision over it:
# every row kept, verify() clean against the old digest, the relay resuming,
# and each database's catalog the fresh install's (scripts/upgrade_check.sh).
say "upgrade (v0.1.0 to this build)"
tap_suite "upgrade" upgrade "$REPO/scripts/upgrade_check.sh"

# make soak for a minute: 32 clients of six service roles, then no error,
# no event lost or doubled, no dead letter, lag back to zero, verify()
# clean, relay memory flat, projections equal to their sources.
say "soak (32 clients for 60 s)"
SOAK_SECONDS=60 tap_suite "soak" soak "$REPO/scripts/soak.sh"

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

# The end: the EXIT trap prints the totals.
exit 0
