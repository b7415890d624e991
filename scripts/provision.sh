#!/usr/bin/env bash
# make provision: every pgkyc database, role and extension, idempotently.
#
# Connects with the standard libpq variables (PGHOST, PGPORT, PGUSER) as a
# superuser.  Running it twice changes nothing.  Roles are created without
# passwords: set them with psql's \password (which sends only a SCRAM
# verifier) or use certificate or peer authentication, so no secret passes
# through this script, the server log or a world-readable catalog.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

# database:role:extension, as the contract fixes them.
SERVICES="
onboarding:onboarding_user:kyc_onboarding
checklist_service:checklist_user:kyc_checklist
risk_service:risk_user:kyc_risk
auditlog_service:auditlog_user:kyc_auditlog
projections_api:projections_user:kyc_projections
notification_service:notification_user:kyc_notification
document_service:document_user:kyc_document
"

psql_do() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }

superuser=$(psql_do -At -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
if [ "$superuser" != t ]; then
	echo "make provision needs a superuser connection (PGUSER)" >&2
	exit 1
fi

# pg_cron lives in cron.database_name, when the cluster preloads it.
cron_db=$(psql_do -At -d postgres -c "SELECT current_setting('cron.database_name', true)")
if [ -n "$cron_db" ]; then
	psql_do -d "$cron_db" -c "CREATE EXTENSION IF NOT EXISTS pg_cron"
fi

# The relay's identity at every source: it reads and acknowledges events,
# nothing more.  Like the service roles it has no password here.
RELAY_ROLE=kyc_relay
psql_do -d postgres -v role="$RELAY_ROLE" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SQL

for service in $SERVICES; do
	IFS=: read -r db role ext <<<"$service"

	psql_do -d postgres -v db="$db" -v role="$role" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
-- Each service role reaches its own database and no other.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
SQL

	psql_do -d "$db" -v role="$role" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS kyc_events;
SQL
	psql_do -d "$db" -v role="$role" -f "$REPO/extensions/kyc_events/grants.sql"
	psql_do -d "$db" -v db="$db" -v relay="$RELAY_ROLE" -f "$REPO/extensions/kyc_events/relay_grants.sql"
	if [ -n "$cron_db" ]; then
		# Prune delivered events every ten minutes (kyc_events.retention).
		psql_do -d "$cron_db" -v db="$db" -v job="kyc_events_prune_$db" <<'SQL'
SELECT cron.schedule_in_database(:'job', '*/10 * * * *', 'SELECT kyc_events.prune()', :'db') IS NOT NULL AS scheduled \gset
SQL
	fi

	available=$(psql_do -At -d "$db" -v ext="$ext" \
		<<<"SELECT count(*) FROM pg_available_extensions WHERE name = :'ext'")
	if [ "$available" = 1 ]; then
		psql_do -d "$db" -c "CREATE EXTENSION IF NOT EXISTS $ext CASCADE"
		psql_do -d "$db" -v role="$role" -f "$REPO/extensions/$ext/grants.sql"
		echo "provisioned $db: role $role, extensions kyc_events, $ext"
	else
		echo "provisioned $db: role $role, extension kyc_events ($ext is not built yet)"
	fi
done
