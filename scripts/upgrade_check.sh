#!/usr/bin/env bash
# upgrade_check.sh: pgkyc's upgrade path, as an operator takes it, checked.
#
#  1. Build the release tagged $PGKYC_UPGRADE_FROM (v0.1.0) from its own
#     files into a private copy of PostgreSQL's directories.
#  2. Provision a cluster with that release's make provision, and write data
#     through its API as the service roles (tests/upgrade/load_<release>.sh); seal
#     the audit log and keep a digest.
#  3. Stop it, start the same data directory with this checkout's build
#     (installed by make test), and run this checkout's make provision, which
#     runs ALTER EXTENSION ... UPDATE in every database.
#  4. Check: every row written before is still there, column for column;
#     dates of birth are sealed and reveal() gives them back; verify() is
#     clean against the digest; the relay resumes without loss or duplicates
#     and a new case goes through the workflow.
#  5. Provision a fresh cluster with this checkout, and compare each service
#     database's catalog with the updated one: pg_dump -s with every
#     extension member detached, so pg_dump shows it (tests/upgrade/detach.sql),
#     in a canonical order (tests/upgrade/normalize.pl).
#
# Prints "upgrade: N passed, M failed" and exits non-zero on any failure.
# PGKYC_UPGRADE_KEEP=1 keeps the clusters and dumps for a look.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

FROM=${PGKYC_UPGRADE_FROM:-v0.1.0}
DATABASES="onboarding checklist_service risk_service auditlog_service projections_api notification_service document_service"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok $((passed + failed)) - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok $((passed + failed)) - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', expected '$3'"; fi; }

REF=$(release_commit "$FROM") || {
	echo "not ok 1 - release $FROM found"
	exit 1
}

WORK=$(work_dir upgrade old new fresh)
cleanup() {
	for c in old new fresh; do cluster_stop "$WORK/$c/data"; done
	[ -n "${PGKYC_UPGRADE_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

say "building pgkyc $FROM"
OLDBIN=$(release_build "$REF" "$WORK")
give_to_cluster_user "$WORK"

# start NAME PGBIN: a started cluster, the same settings as make test's.
start() {
	local port
	port=$(free_port $((56400 + RANDOM % 400)))
	PGBIN=$2 cluster_init "$WORK/$1/data" "$port"
	PGBIN=$2 cluster_start "$WORK/$1/data"
	cluster_port "$WORK/$1/data" >"$WORK/$1/port"
}
use() { export PGHOST=$WORK/$1 PGPORT PGUSER=postgres; PGPORT=$(cat "$WORK/$1/port"); }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

# The query, per service database, that lists every row of every table
# of its schemas, one line each, columns as this release has them.  Relay
# bookkeeping moves on by design, and a seeded company form is the
# release's vocabulary, which an update may retire (0.2.0 retires "de"):
# only the operator's own forms must survive.
snapshot_queries() {
	local db
	for db in $DATABASES; do
		sql "$db" -c "SELECT format('SELECT %L || '' '' || t::text FROM (SELECT %s FROM %s %s) t;',
									c.oid::regclass, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), c.oid::regclass,
									CASE WHEN c.oid::regclass::text = 'kyc_risk.company_forms' THEN 'WHERE NOT seeded' ELSE '' END)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
			WHERE n.nspname LIKE 'kyc\_%' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
			  AND c.oid::regclass::text NOT IN ('kyc_events.consumers', 'kyc_events.subscription',
												'kyc_events.dead_letters', 'kyc_auditlog.seal_state')
			  AND (c.oid::regclass::text, a.attname) NOT IN (('kyc_onboarding.applicants', 'date_of_birth'))
			GROUP BY c.oid" >"$WORK/queries.$db"
	done
}
# Those rows, sorted: the same queries before and after the update.
snapshot() {
	local db
	for db in $DATABASES; do
		sql "$db" -f "$WORK/queries.$db"
	done | sort
}

# The relays caught up: every enabled subscription of every database has
# no event of its topics left after its position in its source (backlog()
# there).  A relay that has not caught up within 60 s is a failure.
wait_relay() {
	local i db behind src x id topics
	for i in $(seq 120); do
		behind=0
		for db in $DATABASES; do
			while IFS='|' read -r src x id topics; do
				[ -n "$src" ] || continue
				behind=$((behind + $(sql "$src" -v x="$x" -v id="$id" -v t="$topics" \
					<<<"SELECT events FROM kyc_events.backlog(:'x', :'id', :'t')")))
			done < <(sql "$db" -c "SELECT substring(s.source FROM 'dbname=([^ ]+)'), s.last_xid, s.last_id, s.topics
								   FROM kyc_events.subscription s WHERE s.enabled")
		done
		[ "$behind" = 0 ] && return 0
		sleep 0.5
	done
	not_ok "the relays caught up within 60 s ($behind events behind)"
	return 0
}

say "provisioning $FROM and writing data through its API"
start old "$OLDBIN"
use old
(cd "$WORK/src" && bash scripts/provision.sh >"$WORK/provision.old.log")
source "$REPO/tests/upgrade/load_${FROM#v}.sh"
wait_relay
sql auditlog_service -c "SELECT kyc_auditlog.seal()" >/dev/null
DIGEST=$(sql auditlog_service -c "SELECT kyc_auditlog.digest()")
AUDITED=$(sql auditlog_service -c "SELECT count(*) FROM kyc_auditlog.audit_log_entries")
snapshot_queries
snapshot >"$WORK/rows.before"
say "$(wc -l <"$WORK/rows.before") rows and $AUDITED audit entries under $FROM"

# The update as docs/releasing.md has it: pause the relay, and write a case
# meanwhile, whose events wait for the new build to deliver them.
sql postgres -c "ALTER SYSTEM SET kyc_events.databases = ''" -c "SELECT pg_reload_conf()" >/dev/null
PAUSED=$(psql -X -q -At -v ON_ERROR_STOP=1 -U onboarding_user -d onboarding -c "SELECT kyc_onboarding.create_case('Individual', NULL, 'while-paused',
	'{\"first_name\": \"Ida\", \"last_name\": \"Noddack\", \"date_of_birth\": \"1936-02-25\", \"nationality\": \"DE\"}')")
sql onboarding -c "SELECT a.case_id || ' ' || a.date_of_birth FROM kyc_onboarding.applicants a ORDER BY 1" >"$WORK/dob.before"
cluster_stop "$WORK/old/data"
if [ -n "${PGKYC_UPGRADE_SAVE:-}" ]; then
	# For whoever writes the next update script: the release's data, stopped.
	rm -rf "$PGKYC_UPGRADE_SAVE" && mkdir -p "$PGKYC_UPGRADE_SAVE"
	cp -a "$WORK/old/data" "$WORK"/dob.before "$WORK"/rows.before "$WORK"/queries.* "$PGKYC_UPGRADE_SAVE"
	echo "$DIGEST" >"$PGKYC_UPGRADE_SAVE/digest"
fi

say "updating to this checkout's build"
PGBIN=$PGBIN cluster_start "$WORK/old/data"
cluster_port "$WORK/old/data" >"$WORK/old/port"
use old
UPDATED_AT=$(sql postgres -c "SELECT clock_timestamp()")
(cd "$REPO" && bash scripts/provision.sh >"$WORK/provision.update.log" 2>&1) || {
	cat "$WORK/provision.update.log" >&2
	not_ok "make provision updates a $FROM deployment"
}
[ "$failed" != 0 ] || ok "make provision updates a $FROM deployment"
for db in $DATABASES; do
	check "$db: every pgkyc extension at its built version" \
		"$(sql "$db" -c "SELECT count(*) FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
						  WHERE e.extname LIKE 'kyc\_%' AND e.extversion <> a.default_version")" 0
done

snapshot >"$WORK/rows.after"
check "every row written under $FROM is still there, column for column" \
	"$(comm -23 "$WORK/rows.before" "$WORK/rows.after" | wc -l)" 0
check "dates of birth written in the clear are sealed" \
	"$(sql onboarding -c "SELECT count(*) FROM kyc_onboarding.applicants WHERE date_of_birth IS NOT NULL OR date_of_birth_sealed IS NULL")" 0
check "reveal() gives every date of birth back" \
	"$(sql onboarding -c "SELECT a.case_id || ' ' || kyc_onboarding.reveal(a.date_of_birth_sealed) FROM kyc_onboarding.applicants a ORDER BY 1" | diff - "$WORK/dob.before" && echo same)" same
check "verify() is clean against the digest taken under $FROM" \
	"$(sql auditlog_service -v d="$DIGEST" <<<"SELECT count(*) FROM kyc_auditlog.verify(:'d'::jsonb)")" 0

old_cases=$(printf "'%s'," "${CASES[@]}")
old_cases="ARRAY[${old_cases%,}]::text[]"
check "sealing was quiet: no applicant.updated for a case written under $FROM" \
	"$(sql onboarding -v t="$UPDATED_AT" <<<"SELECT count(*) FROM kyc_events.outbox WHERE topic = 'applicant.updated'
		AND created_at > :'t' AND aggregate_id = ANY ($old_cases)")" 0
check "each partner_id of a case written under $FROM is a partner" \
	"$(sql onboarding -c "SELECT string_agg(partner_id || '=' || name, ' ' ORDER BY partner_id) FROM kyc_onboarding.partners")" \
	"partner-0=partner-0 partner-1=partner-1"
check "whoever submitted a case under review counts as its submitter (four eyes)" \
	"$(sql onboarding -v c="${CASES[3]}" <<<"SELECT string_agg(actor || ' ' || contribution, ', ') FROM kyc_onboarding.case_contributors WHERE case_id = :'c'")" \
	"agent@example.com Submitted"

# The relay resumes: a case created now goes through the workflow; an old
# case edited now is left to the hand that assessed it; no event written
# before the update is applied twice.
risk_of() { sql risk_service -v c="$1" <<<"SELECT f.type || ' ' || f.level || ' ' || f.score || ' ' || f.source FROM kyc_risk.risk_factors f
	JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id WHERE a.case_id = :'c' ORDER BY 1"; }
risk_before=$(risk_of "${CASES[1]}")
[ -n "$risk_before" ] || not_ok "the old case to edit has risk factors"
case_id=$(psql -X -q -At -v ON_ERROR_STOP=1 -U onboarding_user -d onboarding -c "SELECT kyc_onboarding.create_case('Individual', NULL, 'after-update',
	'{\"first_name\": \"Grace\", \"last_name\": \"Hopper\", \"date_of_birth\": \"1906-12-09\", \"nationality\": \"US\", \"email\": \"grace@example.com\"}')") || case_id=none
psql -X -q -At -v ON_ERROR_STOP=1 -U onboarding_user -d onboarding -v c="${CASES[1]}" \
	<<<"UPDATE kyc_onboarding.applicants SET nationality = 'IR' WHERE case_id = :'c'" || not_ok "an old case's applicant can be edited"
wait_relay
sql auditlog_service -c "SELECT kyc_auditlog.seal()" >/dev/null
check "a case created after the update gets its checklist" \
	"$(sql checklist_service -v c="$case_id" <<<"SELECT count(*) FROM kyc_checklist.checklists WHERE case_id = :'c'")" 1
check "a case created after the update gets its risk assessment" \
	"$(sql risk_service -v c="$case_id" <<<"SELECT count(*) FROM kyc_risk.risk_assessments WHERE case_id = :'c'")" 1
check "a case created after the update is projected" \
	"$(sql projections_api -v c="$case_id" <<<"SELECT count(*) FROM kyc_projections.onboarding_case_projections WHERE case_id = :'c'")" 1
check "a case created after the update is in the audit log" \
	"$(sql auditlog_service -v c="$case_id" <<<"SELECT count(*) > 0 FROM kyc_auditlog.audit_log_entries WHERE case_id = :'c'")" t
check "no captured change is recorded twice" \
	"$(sql auditlog_service -c "SELECT count(*) FROM (SELECT FROM kyc_auditlog.audit_log_entries
							  GROUP BY event_type, entity_id, action, previous_values, new_values HAVING count(*) > 1) d")" 0
check "a case created after the update is notified" \
	"$(sql notification_service -v c="$case_id" <<<"SELECT count(*) > 0 FROM kyc_notification.notifications WHERE case_id = :'c'")" t
check "the case written while the relay was paused is in the audit log" \
	"$(sql auditlog_service -v c="$PAUSED" <<<"SELECT count(*) > 0 FROM kyc_auditlog.audit_log_entries WHERE case_id = :'c'")" t
# What starts work reads from the update on: no old case is assessed,
# given a checklist or notified again; what copies state reads everything.
check "an old case edited after the update keeps the risk factors made for it by hand" \
	"$(risk_of "${CASES[1]}")" "$risk_before"
check "no case written under $FROM gets a second checklist" \
	"$(sql checklist_service -c "SELECT count(*) FROM (SELECT FROM kyc_checklist.checklists WHERE case_id = ANY ($old_cases)
								  GROUP BY case_id HAVING count(*) > 1) d")" 0
check "no notification for a case written under $FROM" \
	"$(sql notification_service -c "SELECT count(*) FROM kyc_notification.notifications WHERE case_id = ANY ($old_cases || '$PAUSED'::text)")" 0
check "every case written under $FROM is projected" \
	"$(sql projections_api -c "SELECT count(*) FROM kyc_projections.onboarding_case_projections WHERE case_id = ANY ($old_cases)")" "${#CASES[@]}"
for db in $DATABASES; do
	check "$db: no dead letters" "$(sql "$db" -c "SELECT count(*) FROM kyc_events.dead_letters")" 0
done
check "verify() is clean after the update" \
	"$(sql auditlog_service -c "SELECT count(*) FROM kyc_auditlog.verify()")" 0

say "comparing the catalog with a fresh install"
start fresh "$PGBIN"
use fresh
(cd "$REPO" && bash scripts/provision.sh >"$WORK/provision.fresh.log")
for c in old fresh; do
	use "$c"
	for db in $DATABASES; do
		# What pg_dump cannot show once detached: which extension each
		# object belongs to, and the tables each extension dumps.
		sql "$db" -f "$REPO/tests/upgrade/members.sql" >"$WORK/$c.$db.sql"
		sql "$db" -f "$REPO/tests/upgrade/detach.sql" >/dev/null
		pg_dump -s -d "$db" | perl "$REPO/tests/upgrade/normalize.pl" >>"$WORK/$c.$db.sql"
	done
done
for db in $DATABASES; do
	if diff -u "$WORK/fresh.$db.sql" "$WORK/old.$db.sql" >"$WORK/diff.$db"; then
		ok "$db: the updated catalog is the fresh install's"
	else
		not_ok "$db: the updated catalog differs from a fresh install ($(grep -c '^[-+][^-+]' "$WORK/diff.$db") lines)"
		head -60 "$WORK/diff.$db" | sed 's/^/    /'
	fi
done

echo "1..$((passed + failed))"
echo "upgrade: $passed passed, $failed failed"
[ "$failed" = 0 ]
