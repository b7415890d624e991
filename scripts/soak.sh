#!/usr/bin/env bash
# make soak: a mixed workload at 32 clients for SOAK_SECONDS (600 by
# default), each client as the service role that does that work in
# production, on the provisioned cluster PGHOST/PGPORT name, or on a
# throwaway one when none is given:
#   onboarding_user (12)   a case with its applicant, moved to InProgress
#   document_user (8)      a passport registered and verified for a case
#   checklist_user (4)     an item completed by hand
#   risk_user (2)          a geography factor changed
#   notification_user (4)  a notification queued, claimed and sent
#   auditlog_user (2)      an audit entry written; the audit log sealed
# Then, once the relays have drained, it checks:
#   no client error; no event lost or applied twice, counted across the
#   databases (each case once in checklist_service, risk_service, the audit
#   log and the projections); no dead letter; every subscription's lag back
#   to zero within SOAK_DRAIN seconds; kyc_auditlog.verify() clean; each
#   relay worker's private memory flat (at most SOAK_RSS_GROWTH_KB more at
#   the end than after the first tenth); kyc_projections.check() empty for
#   the soak's cases.
# Prints the figures and TAP lines; make test runs it for 60 s.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

SOAK_SECONDS=${SOAK_SECONDS:-600}
SOAK_DRAIN=${SOAK_DRAIN:-120}
SOAK_RSS_GROWTH_KB=${SOAK_RSS_GROWTH_KB:-16384}
n=0
failed=0
# check RC DESCRIPTION [OUTPUT]: one TAP line, with the output on failure.
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' <<<"$3"
	fi
}

if [ -z "${PGHOST:-}" ]; then
	ensure_packages
	build_and_install
	bench_cluster soak 54981
	echo "max_connections = 100" >>"$DATA/postgresql.conf"
	bash "$REPO/scripts/provision.sh" >/dev/null
	SOAK_WORK=$WORK
else
	SOAK_WORK=$(work_dir soak)
	# Kept for a look when a check failed.
	trap '[ "$failed" -eq 0 ] && rm -rf "$SOAK_WORK"' EXIT
fi
W=$SOAK_WORK/soak
mkdir -p "$W"
TAG="soak-$$-$(date +%s)"
# The SQL goes in on stdin: a list of 20,000 case ids is too long for an
# argument (128 kB each).
q() { psql -X -At -v ON_ERROR_STOP=1 -d "$1" <<<"$2" 2>&1; }

# Each relay worker's private resident memory (RssAnon), in kB: its whole
# RSS also counts the shared buffers it has touched, which grows with the
# data it reads and is no leak.
relay_rss() {
	local pid
	for pid in $(q postgres "SELECT pid FROM pg_stat_activity WHERE backend_type = 'kyc_events relay' ORDER BY datname"); do
		awk -v p="$pid" '/^RssAnon:/ { print p, $2 }' "/proc/$pid/status" 2>/dev/null
	done
}
# Dead letters in every service database, one line per database.
dead_letters() {
	local db
	for db in $dbs; do echo "$db $(q "$db" "SELECT count(*) FROM kyc_events.dead_letters")"; done
}
dbs="onboarding checklist_service risk_service auditlog_service projections_api notification_service document_service"


cat >"$W/onboarding.sql" <<SQL
SELECT kyc_onboarding.create_case('Individual', NULL, '$TAG-' || :client_id || '-' || (random() * 1e15)::bigint,
	'{"first_name": "Soak", "last_name": "Tester", "date_of_birth": "1981-03-04", "nationality": "GB",
	  "addresses": [{"type": "Residential", "street": "1 Long Road", "city": "Bristol", "country": "GB", "is_primary": true}]}')
	AS case_id \gset
SELECT kyc_onboarding.transition(':case_id', 'InProgress');
SQL
# A case of this soak that document_service has heard of, or any other.
cat >"$W/document.sql" <<SQL
SELECT coalesce((SELECT d.case_id FROM kyc_document.documents d WHERE d.case_id LIKE 'KYC-%'
	ORDER BY d.uploaded_at DESC OFFSET (random() * 50)::int LIMIT 1), 'KYC-SOAK-' || :client_id) AS case_id \gset
SELECT kyc_document.verify_document(kyc_document.register_document(':case_id', 'Passport', 'passport.pdf',
	'application/pdf', 1000, encode(sha256(random()::text::bytea), 'hex'), 's3://soak/passport.pdf'), 'soak-reviewer');
SQL
cat >"$W/checklist.sql" <<SQL
UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'soak'
WHERE id = (SELECT i.id FROM kyc_checklist.checklist_items i
			WHERE i.status = 'Pending' AND i.code = 'tax_residency' ORDER BY i.id DESC LIMIT 1 FOR UPDATE SKIP LOCKED);
SQL
cat >"$W/risk.sql" <<SQL
SELECT kyc_risk.assess_geography(s.case_id, ARRAY['GB', (ARRAY['NG', 'FR', 'DE'])[1 + (random() * 2)::int]])
FROM (SELECT case_id FROM kyc_risk.case_subjects ORDER BY last_event_id DESC OFFSET (random() * 20)::int LIMIT 1) s;
SQL
cat >"$W/notification.sql" <<SQL
SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+447911123456', NULL,
	'{"case": {"case_id": "KYC-1", "status": "InProgress"}}', 'Medium', NULL, NULL, NULL,
	'$TAG-' || :client_id || '-' || (random() * 1e15)::bigint);
SELECT kyc_notification.mark_sent(c.id, 'soak-' || :client_id, 'provider-1')
FROM kyc_notification.claim('SMS', 1, 'soak-' || :client_id, '1 minute') c;
SQL
cat >"$W/audit.sql" <<SQL
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, case_id, user_id, action,
	compliance_category) VALUES ('soak.entry', 'Case', '$TAG', '$TAG', 'soak', 'Update', 'KYC');
\set s random(1, 20)
\if :s = 1
SELECT kyc_auditlog.seal();
\endif
SQL
give_to_cluster_user "$W"

# run DB ROLE CLIENTS SCRIPT: pgbench in the background.
pids=()
run() {
	"$PGBIN/pgbench" -n -U "$2" -c "$3" -j 1 -T "$SOAK_SECONDS" -f "$W/$4.sql" "$1" >"$W/$4.out" 2>&1 &
	pids+=($!)
}
echo "# soak: 32 clients for ${SOAK_SECONDS}s"
dead_letters >"$W/dead.start"
run onboarding onboarding_user 12 onboarding
run document_service document_user 8 document
run checklist_service checklist_user 4 checklist
run risk_service risk_user 2 risk
run notification_service notification_user 4 notification
run auditlog_service auditlog_user 2 audit
sleep $((SOAK_SECONDS / 10 + 1))
relay_rss >"$W/rss.start"
for pid in "${pids[@]}"; do wait "$pid"; done
relay_rss >"$W/rss.end"

# Figures, and any client's error.
errors=""
for script in onboarding document checklist risk notification audit; do
	tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$W/$script.out")
	tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$W/$script.out")
	echo "# $script: ${tx:-0} transactions, ${tps:-0} tps"
	errors+=$(grep -E 'error|aborted' "$W/$script.out" | head -5)
	[ "${tx:-0}" -gt 0 ] || errors+="$script ran no transaction"$'\n'
done
check "$([ -z "$errors" ] && echo 0 || echo 1)" "32 clients, six service roles, ${SOAK_SECONDS}s: no client error" "$errors"

# Every subscription caught up within SOAK_DRAIN seconds.
t0=$(date +%s)
lagging=""
while :; do
	lagging=""
	for db in $dbs; do
		l=$(q "$db" "SELECT string_agg(name || ' ' || state || ' lag ' || coalesce(lag_events::text, '?'), ', ')
			FROM kyc_events.subscriptions WHERE coalesce(lag_events, 1) > 0 OR state NOT IN ('streaming', 'new')")
		[ -n "$l" ] && lagging+="$db: $l"$'\n'
	done
	[ -z "$lagging" ] && break
	[ $(($(date +%s) - t0)) -ge "$SOAK_DRAIN" ] && break
	sleep 1
done
drained=$(($(date +%s) - t0))
echo "# relays drained in ${drained}s"
check "$([ -z "$lagging" ] && echo 0 || echo 1)" "every subscription's lag is back to zero within ${SOAK_DRAIN}s (${drained}s)" "$lagging"

# Each case once everywhere: none lost, none applied twice.
cases=$(q onboarding "SELECT count(*) FROM kyc_onboarding.onboarding_cases WHERE partner_reference_id LIKE '$TAG-%'")
ids="SELECT case_id FROM kyc_onboarding.onboarding_cases WHERE partner_reference_id LIKE '$TAG-%'"
list=$(q onboarding "SELECT string_agg(quote_literal(case_id), ',') FROM ($ids) c")
counts="checklists $(q checklist_service "SELECT count(*) || '/' || count(DISTINCT case_id) FROM kyc_checklist.checklists WHERE case_id IN ($list)")"
counts+=" assessments $(q risk_service "SELECT count(*) || '/' || count(DISTINCT case_id) FROM kyc_risk.risk_assessments WHERE case_id IN ($list)")"
counts+=" audit $(q auditlog_service "SELECT count(*) || '/' || count(DISTINCT case_id) FROM kyc_auditlog.audit_log_entries
	WHERE case_id IN ($list) AND entity_type = 'kyc_onboarding.onboarding_cases' AND action = 'Create'")"
counts+=" projections $(q projections_api "SELECT count(*) || '/' || count(DISTINCT case_id) FROM kyc_projections.onboarding_case_projections WHERE case_id IN ($list)")"
echo "# $cases cases: $counts (rows/distinct)"
want="checklists $cases/$cases assessments $cases/$cases audit $cases/$cases projections $cases/$cases"
check "$([ "$counts" = "$want" ] && [ "$cases" -gt 0 ] && echo 0 || echo 1)" \
	"each of the $cases cases is once in checklist_service, risk_service, the audit log and the projections" "$counts"

dead_letters >"$W/dead.end"
dead=$(join "$W/dead.start" "$W/dead.end" | awk '$3 != $2 { print $1 ": " $3 - $2 }')
check "$([ -z "$dead" ] && echo 0 || echo 1)" "no new dead letter in any database" "$dead"

sealed=$(q auditlog_service "SELECT kyc_auditlog.seal()")
problems=$(q auditlog_service "SELECT count(*) FROM kyc_auditlog.verify()")
echo "# audit log: $(q auditlog_service "SELECT count(*) FROM kyc_auditlog.audit_log_entries") entries, $(q auditlog_service "SELECT count(*) FROM kyc_auditlog.blocks") blocks"
check "$([ "$problems" = 0 ] && echo 0 || echo 1)" "kyc_auditlog.verify() finds no problem over the whole ledger" "$sealed $problems"

growth=$(join <(sort "$W/rss.start") <(sort "$W/rss.end") | awk '{ d = $3 - $2; if (d > m) m = d } END { print m + 0 }')
echo "# relay workers' private memory (pid, RssAnon kB after the first tenth and at the end):"
join <(sort "$W/rss.start") <(sort "$W/rss.end") | sed 's/^/#   /'
check "$([ "$(wc -l <"$W/rss.end")" -ge 1 ] && [ "$growth" -le "$SOAK_RSS_GROWTH_KB" ] && echo 0 || echo 1)" \
	"each relay worker's private memory is flat: it grew by at most ${growth} kB (bound ${SOAK_RSS_GROWTH_KB})" \
	"$(cat "$W/rss.start" "$W/rss.end")"

differ=$(q projections_api "SELECT count(*) FROM kyc_projections.check() WHERE case_id IN ($list)")
check "$([ "$differ" = 0 ] && echo 0 || echo 1)" "kyc_projections.check() finds each case's projection equal to its sources" \
	"$(q projections_api "SELECT case_id || ' ' || column_name || ': ' || coalesce(projected, 'NULL') || ' <> ' || coalesce(source, 'NULL')
		FROM kyc_projections.check() WHERE case_id IN ($list) LIMIT 10")"

echo "1..$n"
[ "$failed" -eq 0 ]
