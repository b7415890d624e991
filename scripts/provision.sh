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
