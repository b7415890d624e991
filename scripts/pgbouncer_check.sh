#!/usr/bin/env bash
# pgbouncer_check.sh: the service roles' workload through PgBouncer in
# transaction mode, on the cluster PGHOST/PGPORT name (provisioned), as make
# test runs it.  Each service's own calls, from 4 clients at once, through
# pgbench's simple protocol (PgBouncer 1.18 pools no prepared statements):
# cases created and submitted, documents registered and verified,
# notifications queued and claimed, audit entries written.  Then: no client
# error, every row there, every event delivered by the relay, which
# connects to the server itself.  Prints TAP lines; make test counts them.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

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

W=$(work_dir pgbouncer)
BOUNCER_PORT=$(free_port 56432)
TAG="bouncer-$$-$(date +%s)"
CLIENTS=4
SECONDS_PER_RUN=${PGBOUNCER_SECONDS:-5}
trap '[ -f "$W/pgbouncer.pid" ] && kill "$(cat "$W/pgbouncer.pid")" 2>/dev/null; [ "$failed" -eq 0 ] && rm -rf "$W"' EXIT

# PgBouncer in transaction mode before every service database.  The test
# cluster trusts its local users, so PgBouncer does too (auth_type = trust
# still needs each user in auth_file); in production, use scram and an
# auth_query, and give each service its own pool.
{
	echo "[databases]"
	for db in onboarding checklist_service risk_service auditlog_service projections_api \
		notification_service document_service; do
		echo "$db = host=$PGHOST port=$PGPORT dbname=$db"
	done
	cat <<CONF
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $W/users.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 100
logfile = $W/pgbouncer.log
pidfile = $W/pgbouncer.pid
CONF
} >"$W/pgbouncer.ini"
for role in onboarding_user document_user notification_user auditlog_user; do
	echo "\"$role\" \"\""
done >"$W/users.txt"
give_to_cluster_user "$W"
out=$(as_cluster_user pgbouncer -d "$W/pgbouncer.ini" 2>&1)
for _ in $(seq 50); do
	(exec 3<>"/dev/tcp/127.0.0.1/$BOUNCER_PORT") 2>/dev/null && break
	sleep 0.1
done
check "$( (exec 3<>"/dev/tcp/127.0.0.1/$BOUNCER_PORT") 2>/dev/null && echo 0 || echo 1)" \
	"PgBouncer 1.18 runs in transaction mode before the service databases" "$out"

# bounce DB ROLE SCRIPT: pgbench through PgBouncer as ROLE; prints its errors.
bounce() {
	"$PGBIN/pgbench" -n -M simple -h 127.0.0.1 -p "$BOUNCER_PORT" -U "$2" -c "$CLIENTS" -j 2 \
		-T "$SECONDS_PER_RUN" -f "$3" "$1" 2>&1 >"$W/$(basename "$3").out" |
		grep -vE '^(pgbench \(|starting vacuum|transaction type)' || true
	cat "$W/$(basename "$3").out" >&2
}
# Transactions pgbench completed, from its output.
done_count() { sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$W/$1.out"; }

# onboarding_user: a case with its applicant, submitted, its actor set for
# the transaction only (SET LOCAL: a session setting would stay on the
# pooled server connection for the next client).
cat >"$W/onboarding.sql" <<SQL
BEGIN;
SET LOCAL kyc.actor = 'bouncer-client-:client_id';
SELECT kyc_onboarding.create_case('Individual', NULL, '$TAG-' || :client_id || '-' || (random() * 1e12)::bigint,
	'{"first_name": "Pool", "last_name": "Client", "date_of_birth": "1970-05-05",
	  "email": "pool.client@example.org"}') AS case_id \gset
SELECT kyc_onboarding.transition(':case_id', 'InProgress');
COMMIT;
SQL
errors=$(bounce onboarding onboarding_user "$W/onboarding.sql" 2>/dev/null)
cases=$(done_count onboarding.sql)
check "$([ -z "$errors" ] && [ "${cases:-0}" -gt 0 ] && echo 0 || echo 1)" \
	"onboarding_user creates and moves cases through PgBouncer, $CLIENTS clients, no error (${cases:-0})" "$errors"
rows=$(psql -X -At -d onboarding -c "SELECT count(*) FROM kyc_onboarding.onboarding_cases
	WHERE partner_reference_id LIKE '$TAG-%' AND status = 'InProgress'
	  AND status_changed_by LIKE 'bouncer-client-%'")
check "$([ "${cases:-0}" -gt 0 ] && [ "$rows" = "$cases" ] && echo 0 || echo 1)" \
	"each of its cases is there, moved by the actor its own transaction set ($rows of $cases)"

# document_user: a document registered, then verified.
cat >"$W/document.sql" <<SQL
SELECT kyc_document.register_document('$TAG-doc-' || :client_id, 'Passport', 'passport.pdf', 'application/pdf',
	1000, repeat('ab', 32), 's3://bouncer/passport.pdf') AS document_id \gset
SELECT kyc_document.verify_document(':document_id', 'bouncer-reviewer');
SQL
errors=$(bounce document_service document_user "$W/document.sql" 2>/dev/null)
docs=$(done_count document.sql)
check "$([ -z "$errors" ] && [ "${docs:-0}" -gt 0 ] && echo 0 || echo 1)" \
	"document_user registers and verifies documents through PgBouncer, no error (${docs:-0})" "$errors"

# notification_user: one queued, then claimed by a sender, and sent.
cat >"$W/notification.sql" <<SQL
SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+447911123456', NULL,
	'{"case": {"case_id": "KYC-1", "status": "InProgress"}}', 'Medium', NULL, NULL, NULL,
	'$TAG-' || :client_id || '-' || (random() * 1e12)::bigint);
SELECT kyc_notification.mark_sent(c.id, 'bouncer-sender-' || :client_id, 'provider-1')
FROM kyc_notification.claim('SMS', 1, 'bouncer-sender-' || :client_id, '1 minute') c;
SQL
errors=$(bounce notification_service notification_user "$W/notification.sql" 2>/dev/null)
sent=$(done_count notification.sql)
check "$([ -z "$errors" ] && [ "${sent:-0}" -gt 0 ] && echo 0 || echo 1)" \
	"notification_user queues, claims and sends through PgBouncer, no error (${sent:-0})" "$errors"

# auditlog_user: entries written, then sealed.
cat >"$W/audit.sql" <<SQL
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, case_id, user_id, action,
	compliance_category) VALUES ('pool.checked', 'Case', '$TAG', '$TAG', 'bouncer', 'Update', 'KYC');
SQL
errors=$(bounce auditlog_service auditlog_user "$W/audit.sql" 2>/dev/null)
entries=$(done_count audit.sql)
sealed=$(psql -X -At -h 127.0.0.1 -p "$BOUNCER_PORT" -U auditlog_user -d auditlog_service \
	-c "SELECT kyc_auditlog.seal() >= 0" 2>&1)
check "$([ -z "$errors" ] && [ "${entries:-0}" -gt 0 ] && [ "$sealed" = t ] && echo 0 || echo 1)" \
	"auditlog_user writes and seals audit entries through PgBouncer, no error (${entries:-0})" "$errors $sealed"

# The relay, connected to the server itself, delivered every case's events:
# the audit log records each case's creation.
ids=$(psql -X -At -d onboarding -c "SELECT string_agg(quote_literal(case_id), ',') FROM kyc_onboarding.onboarding_cases
	WHERE partner_reference_id LIKE '$TAG-%'")
delivered=""
for _ in $(seq 120); do
	delivered=$(psql -X -At -d auditlog_service -c "SELECT count(DISTINCT case_id) FROM kyc_auditlog.audit_log_entries
		WHERE case_id IN (${ids:-NULL}) AND entity_type = 'kyc_onboarding.onboarding_cases' AND action = 'Create'" 2>&1)
	[ "$delivered" = "$cases" ] && break
	sleep 0.5
done
check "$([ "${cases:-0}" -gt 0 ] && [ "$delivered" = "$cases" ] && echo 0 || echo 1)" \
	"the relay, connected directly, delivered every case written through PgBouncer to the audit log ($delivered of $cases)"

echo "1..$n"
[ "$failed" -eq 0 ]
