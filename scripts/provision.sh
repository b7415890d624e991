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

# Every statement runs with search_path pinned: the databases it connects to
# may hold a service role's schemas, and an operator or function there must
# never resolve ahead of pg_catalog's under a superuser.
psql_do() {
	PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning -c search_path=pg_catalog,pg_temp" \
		psql -X -q -v ON_ERROR_STOP=1 "$@"
}

# has_ext DB EXT: whether EXT is installed in DB.
has_ext() { [ "$(psql_do -At -d "$1" -v ext="$2" <<<"SELECT count(*) FROM pg_extension WHERE extname = :'ext'")" = 1 ]; }

superuser=$(psql_do -At -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
if [ "$superuser" != t ]; then
	echo "make provision needs a superuser connection (PGUSER)" >&2
	exit 1
fi

# The service databases this server hosts: PGKYC_DATABASES (space or comma
# separated), or all seven.  Across clusters, provision each server with
# its own list, and say where the others are (PGKYC_CONNINFO_*, below).
HOSTED=$(tr ',' ' ' <<<"${PGKYC_DATABASES:-onboarding checklist_service risk_service auditlog_service projections_api notification_service document_service}")
hosted() { tr ' ' '\n' <<<"$HOSTED" | grep -qx "$1"; }

# The databases provision subscribes in: the audit log, and every hosted
# database whose extension has a subscribe.sql.
SUBSCRIBER_DBS=$(for service in $SERVICES; do
	IFS=: read -r db _ ext <<<"$service"
	if hosted "$db" && { [ "$db" = auditlog_service ] || [ -f "$REPO/extensions/$ext/subscribe.sql" ]; }; then
		echo "$db"
	fi
done | tr '\n' ' ')

# with_databases LIST DB...: the comma-separated LIST, with each DB it lacks appended.
with_databases() {
	local list=$1 db
	shift
	for db in "$@"; do
		tr ',' '\n' <<<"$list" | tr -d ' ' | grep -qx "$db" || list="${list:+$list,}$db"
	done
	echo "$list"
}

# The relay delivers a database's subscriptions only from a worker that
# kyc_events, preloaded, runs for each database in kyc_events.databases.
# Without the preload no subscription made here would ever run: stop and
# say what to configure.
preload=$(psql_do -At -d postgres -c "SELECT current_setting('shared_preload_libraries')")
if ! tr ', ' '\n\n' <<<"$preload" | grep -qx 'kyc_events'; then
	listed=$(psql_do -At -d postgres -c "SELECT current_setting('kyc_events.databases', true)")
	{
		echo "make provision: kyc_events is not in shared_preload_libraries (now '$preload'),"
		echo "so no relay worker would deliver the subscriptions it creates. Add to postgresql.conf:"
		echo "    shared_preload_libraries = '${preload:+$preload,}kyc_events'"
		echo "    kyc_events.databases = '$(with_databases "$listed" $SUBSCRIBER_DBS)'"
		echo "then restart the server and run make provision again."
	} >&2
	exit 1
fi

# Service roles reach their own database only: not the maintenance
# database, where an open transaction or a prepared one would be theirs to
# hold, nor template1.
psql_do -d postgres <<'SQL'
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE template1 FROM PUBLIC;
SQL

# pg_cron lives in cron.database_name, when the cluster preloads it.
cron_db=$(psql_do -At -d postgres -c "SELECT current_setting('cron.database_name', true)")
if [ -n "$cron_db" ]; then
	psql_do -d "$cron_db" -c "CREATE EXTENSION IF NOT EXISTS pg_cron"
fi

# The relay's identity at every source: it reads and acknowledges events,
# nothing more.  Like the service roles it has no password here.
RELAY_ROLE=kyc_relay

# source_conninfo DB: the conninfo a relay uses to read DB's events.  It is
# PGKYC_CONNINFO_<DB> (the database's name in upper case, for example
# PGKYC_CONNINFO_ONBOARDING='host=10.0.0.5 port=5432'), else this server
# (PGHOST, PGPORT); dbname and user=kyc_relay come first, so the variable
# may override them.  Put no password here: use a password file
# (~/.pgpass of the server's OS user) or certificate authentication.
source_conninfo() {
	local var="PGKYC_CONNINFO_${1^^}"
	local here="${PGHOST:+ host=$PGHOST}${PGPORT:+ port=$PGPORT}"
	echo "dbname=$1 user=$RELAY_ROLE ${!var:-$here}" | sed 's/  */ /g; s/ $//'
}

# subscribe_from DB ARGS...: run psql ARGS in DB to make subscriptions.  A
# source that cannot be reached yet (a server not provisioned yet) is noted
# in PENDING, and provision goes on; any other error stops it.
PENDING=""
exec 3>&1
subscribe_from() {
	local db=$1 err
	shift
	# What psql prints goes out (fd 3), its errors are read here.
	err=$({ psql_do -v ON_ERROR_STOP=0 -At -d "$db" "$@" | sed "s/^/$db: /" >&3; } 2>&1)
	if grep -qE 'ERROR|error:' <<<"$err"; then
		if grep -E 'ERROR|error:' <<<"$err" | grep -vq 'could not connect to event source'; then
			echo "$err" >&2
			exit 1
		fi
		PENDING="$PENDING
  $db: $(grep -A1 'could not connect to event source' <<<"$err" | grep -o 'connection to server.*' | head -1)"
	fi
}
psql_do -d postgres -v role="$RELAY_ROLE" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SQL

# PostgREST's roles (docs/kyc_events.md#postgrest): it logs in as
# kyc_authenticator, which may become only these, and
# kyc_events.pre_request() picks one per request from the token.  No
# passwords here either.
psql_do -d postgres <<'SQL'
SELECT format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', r)
FROM unnest(ARRAY['kyc_anon', 'kyc_partner', 'kyc_reviewer', 'kyc_compliance_officer', 'kyc_admin']) r
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
SELECT 'CREATE ROLE kyc_authenticator LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kyc_authenticator') \gexec
SELECT format('GRANT %I TO kyc_authenticator', r)
FROM unnest(ARRAY['kyc_anon', 'kyc_partner', 'kyc_reviewer', 'kyc_compliance_officer', 'kyc_admin']) r
WHERE NOT pg_has_role('kyc_authenticator', r, 'MEMBER') \gexec
SQL
# Personal data (dates of birth, national id and document numbers) is
# sealed under per-case keys, which a master key wraps
# (docs/kyc_onboarding.md#personal-data-sealed-at-rest).  The
# key is a file outside the data directory, so base backups do not carry it:
# PGKYC_MASTER_KEY_FILE, else pgkyc_master.key beside the data directory.
# An existing key is kept; back it up apart from the database.
MASTER_KEY_DONE=""
ensure_master_key() {
	[ -z "$MASTER_KEY_DONE" ] || return 0
	psql_do -d "$1" -v keyfile="${PGKYC_MASTER_KEY_FILE:-}" <<'SQL'
SELECT current_setting('kyc.master_key_file') = '' AS unset,
	   COALESCE(NULLIF(:'keyfile', ''),
				regexp_replace(current_setting('data_directory'), '/[^/]*$', '') || '/pgkyc_master.key') AS keyfile
\gset
\if :unset
SELECT NOT EXISTS (SELECT FROM pg_ls_dir(regexp_replace(:'keyfile', '/[^/]*$', '')) f
				   WHERE f = regexp_replace(:'keyfile', '^.*/', '')) AS create_key \gset
\if :create_key
SELECT kyc_events.create_master_key(:'keyfile') AS created \gset
\echo 'created the master key' :created': back it up apart from the database'
\endif
ALTER SYSTEM SET kyc.master_key_file = :'keyfile';
SELECT pg_reload_conf() AS reloaded \gset
\endif
SQL
	# New sessions see the setting once the postmaster has reloaded.
	for _ in $(seq 50); do
		[ -n "$(psql_do -At -d "$1" -c "SELECT current_setting('kyc.master_key_file')")" ] && break
		sleep 0.1
	done
	# A key set earlier, or adopted here, must open: after a move or a
	# container rebuilt without its key, stop now rather than refuse every
	# applicant later.
	if ! psql_do -d "$1" -c "SELECT kyc_events.check_master_key()" >/dev/null; then
		{
			echo "make provision: kyc.master_key_file does not name a usable master key."
			echo "Restore the key file the data keys were wrapped with (kept apart from the database),"
			echo "or, on a new cluster with no personal data yet, point PGKYC_MASTER_KEY_FILE at a new path."
		} >&2
		exit 1
	fi
	MASTER_KEY_DONE=1
}

# The Prometheus exporter's login (docker/monitoring): pg_monitor's
# statistics and the postgres database, nothing of any service's data.
psql_do -d postgres <<'SQL'
SELECT 'CREATE ROLE kyc_monitor LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kyc_monitor') \gexec
GRANT pg_monitor TO kyc_monitor;
GRANT CONNECT ON DATABASE postgres TO kyc_monitor;
SQL

# Keycloak's own database (the seed's DB8), for Keycloak's schema: it
# belongs to keycloak_user, a role that owns nothing else and reaches no
# other database.  No pgkyc extension goes there.  PGKYC_KEYCLOAK=off skips
# it (Keycloak on a server of its own).  No password here either.
if [ "${PGKYC_KEYCLOAK:-on}" != off ]; then
	psql_do -d postgres <<'SQL'
SELECT 'CREATE ROLE keycloak_user LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'keycloak_user') \gexec
SELECT 'CREATE DATABASE keycloak OWNER keycloak_user'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'keycloak') \gexec
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE keycloak TO keycloak_user;
SQL
fi

# The databases PostgREST serves.
EXPOSED="onboarding projections_api document_service notification_service"

for service in $SERVICES; do
	IFS=: read -r db role ext <<<"$service"
	hosted "$db" || continue

	# The database belongs to the provisioning superuser, never to the
	# service role: an owner could ALTER DATABASE ... SET search_path under
	# superuser code, drop the database, or lock out the relay.
	psql_do -d postgres -v db="$db" -v role="$role" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
-- A database an earlier provision gave to its service role comes back,
-- with everything its owner could have set: database-wide settings (a
-- search_path under superuser code), its own settings there, and grants
-- it handed out on the database.
SELECT datdba <> (SELECT oid FROM pg_roles WHERE rolname = current_user) AS reclaim,
	   pg_get_userbyid(datdba) AS old_owner
FROM pg_database WHERE datname = :'db' \gset
\if :reclaim
\echo 'reclaiming database' :db 'from' :old_owner': its settings and database grants are reset'
ALTER DATABASE :"db" OWNER TO CURRENT_USER;
ALTER DATABASE :"db" RESET ALL;
ALTER ROLE :"old_owner" IN DATABASE :"db" RESET ALL;
SELECT format('REVOKE ALL ON DATABASE %I FROM %I CASCADE', :'db', r.rolname)
FROM pg_database d, aclexplode(d.datacl) a JOIN pg_roles r ON r.oid = a.grantee
WHERE d.datname = :'db' AND a.grantee <> d.datdba GROUP BY r.rolname \gexec
\endif
-- Each service role reaches its own database and no other, and holds
-- nothing there at database level but CONNECT and TEMPORARY.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE CREATE ON DATABASE :"db" FROM :"role";
REVOKE GRANT OPTION FOR CONNECT, TEMPORARY ON DATABASE :"db" FROM :"role";
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
SQL

	# public: CREATE for no one but its owner, whoever granted it (a
	# database owner could grant it to itself or to anyone).
	psql_do -d "$db" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('REVOKE CREATE ON SCHEMA public FROM %I CASCADE', r.rolname)
FROM pg_namespace n, aclexplode(n.nspacl) a JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = 'public' AND a.privilege_type = 'CREATE' AND NOT r.rolsuper
  AND r.rolname <> 'pg_database_owner' \gexec
SQL

	# Nothing in a service database may be a foothold: no object owned by a
	# non-superuser or by pg_database_owner (a pinned role, so pg_shdepend
	# has no row for its objects), no schema an ordinary role may create in,
	# and no kyc_* schema made before its extension (CREATE EXTENSION would
	# install into it as it is).  Such things are refused, listed, rather
	# than reassigned: an object handed to a superuser runs its author's
	# code with a superuser's rights.
	footholds=$(psql_do -At -d "$db" -f "$REPO/scripts/footholds.sql")
	if [ -n "$footholds" ]; then
		{
			echo "make provision: $db holds what a service role could use against a superuser:"
			echo "$footholds" | sed 's/^/  /'
			echo "Review them, then drop them (DROP OWNED BY $role, in $db, for the role's own),"
			echo "or move what you keep to an ordinary owner, and run make provision again."
		} >&2
		exit 1
	fi

	# An installed extension older than the built one is updated here: after
	# new binaries, make provision is the upgrade (docs/releasing.md).
	psql_do -d "$db" <<'SQL'
CREATE EXTENSION IF NOT EXISTS kyc_events;
ALTER EXTENSION kyc_events UPDATE;
SQL
	ensure_master_key "$db"
	psql_do -d "$db" -v role="$role" -f "$REPO/extensions/kyc_events/grants.sql"
	psql_do -d "$db" -v db="$db" -v relay="$RELAY_ROLE" -f "$REPO/extensions/kyc_events/relay_grants.sql"
	if tr ' ' '\n' <<<"$EXPOSED" | grep -qx "$db"; then
		psql_do -d "$db" -v db="$db" -f "$REPO/extensions/kyc_events/api_roles.sql"
	fi
	if [ -n "$cron_db" ]; then
		# Prune delivered events every ten minutes (kyc_events.retention).
		psql_do -d "$cron_db" -v db="$db" -v job="kyc_events_prune_$db" <<'SQL'
SELECT cron.schedule_in_database(:'job', '*/10 * * * *', 'SELECT kyc_events.prune()', :'db') IS NOT NULL AS scheduled \gset
SQL
	fi

	available=$(psql_do -At -d "$db" -v ext="$ext" \
		<<<"SELECT count(*) FROM pg_available_extensions WHERE name = :'ext'")
	if [ "$available" = 1 ]; then
		# A contrib extension $ext requires (kyc_projections: dblink) goes in
		# a schema of its own name, which only superusers use: CASCADE would
		# put it in pg_catalog, the pinned search_path.  (pg_trgm keeps its
		# place: no schema may be named pg_*.)
		psql_do -d "$db" -v ext="$ext" <<'SQL'
SELECT format('CREATE SCHEMA IF NOT EXISTS %1$I; CREATE EXTENSION IF NOT EXISTS %1$I SCHEMA %1$I', r)
FROM pg_available_extension_versions v, unnest(v.requires) r
WHERE v.name = :'ext' AND v.version = (SELECT e.default_version FROM pg_available_extensions e WHERE e.name = :'ext')
  AND r NOT LIKE 'kyc\_%' AND r NOT LIKE 'pg\_%' \gexec
SQL
		psql_do -d "$db" -c "CREATE EXTENSION IF NOT EXISTS $ext CASCADE" -c "ALTER EXTENSION $ext UPDATE"
		psql_do -d "$db" -v role="$role" -f "$REPO/extensions/$ext/grants.sql"
		if [ -f "$REPO/extensions/$ext/setup.sql" ]; then
			psql_do -At -d "$db" -f "$REPO/extensions/$ext/setup.sql" >/dev/null
		fi
		# The PostgREST API of an exposed database: views, and row-level
		# security beneath them (after a restore too: run provision again).
		if [ -f "$REPO/extensions/$ext/api.sql" ] && tr ' ' '\n' <<<"$EXPOSED" | grep -qx "$db"; then
			psql_do -At -d "$db" -f "$REPO/extensions/$ext/api.sql" >/dev/null
		fi
		if [ -f "$REPO/extensions/$ext/capture.sql" ]; then
			psql_do -At -d "$db" -f "$REPO/extensions/$ext/capture.sql" >/dev/null
			CAPTURED="${CAPTURED:-} $db"
		fi
		echo "provisioned $db: role $role, extensions kyc_events, $ext"
	else
		echo "provisioned $db: role $role, extension kyc_events ($ext is not built yet)"
	fi
done

# The audit log subscribes to the captured changes of every service
# database, through the relay, as kyc_relay.
if hosted auditlog_service && has_ext auditlog_service kyc_auditlog; then
	# Monthly partitions for this month and the next two; seal() keeps them ahead.
	psql_do -d auditlog_service -c "SELECT kyc_auditlog.ensure_partitions()" >/dev/null
	for service in $SERVICES; do
		IFS=: read -r db _ ext <<<"$service"
		[ -f "$REPO/extensions/$ext/capture.sql" ] || continue
		subscribe_from auditlog_service -v name="capture_$db" -v src="$(source_conninfo "$db")" <<'SQL'
SELECT kyc_events.subscribe(:'name', :'src', '{audit.recorded}', 'kyc_auditlog.record_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = :'name') \g /dev/null
SQL
		echo "auditlog_service records the captured changes of $db"
		SUBSCRIBED="${SUBSCRIBED:-} auditlog_service"
	done
	if [ -n "$cron_db" ]; then
		# Seal every kyc_auditlog.seal_interval: pg_cron starts the loop each
		# minute, in a fresh session; seal_every() loads the library itself.
		psql_do -d "$cron_db" <<'SQL'
SELECT cron.schedule_in_database('kyc_auditlog_seal', '* * * * *', 'CALL kyc_auditlog.seal_every()',
								 'auditlog_service') IS NOT NULL AS scheduled \g /dev/null
-- Retire months older than kyc_auditlog.retention, nightly.
SELECT cron.schedule_in_database('kyc_auditlog_retention', '17 3 * * *',
								 'SELECT kyc_auditlog.drop_expired_partitions()',
								 'auditlog_service') IS NOT NULL AS scheduled \g /dev/null
-- Verify the last day's blocks nightly and record what it found, which
-- kyc_events.health() reports.
SELECT cron.schedule_in_database('kyc_auditlog_verify', '47 2 * * *',
								 'SELECT kyc_auditlog.record_verify(now() - interval ''1 day'', now())',
								 'auditlog_service') IS NOT NULL AS scheduled \g /dev/null
SQL
	fi
	# A first verification now, so that health() has a result before the
	# first night.
	psql_do -d auditlog_service -At -c "SELECT kyc_auditlog.record_verify(now() - interval '1 day', now())
		WHERE NOT EXISTS (SELECT FROM kyc_auditlog.verify_runs)" >/dev/null
fi

# The workflow's subscriptions: each extension's subscribe.sql, run in its
# own database with :src_<database> set to every service database's
# conninfo (source_conninfo), says which events of which database it
# handles.  Each subscribe() there is guarded, so a rerun changes nothing.
for service in $SERVICES; do
	IFS=: read -r db _ ext <<<"$service"
	if hosted "$db" && has_ext "$db" "$ext" && [ -f "$REPO/extensions/$ext/subscribe.sql" ]; then
		sources=()
		for source in $SERVICES; do
			IFS=: read -r src_db _ _ <<<"$source"
			sources+=(-v "src_$src_db=$(source_conninfo "$src_db")")
		done
		subscribe_from "$db" "${sources[@]}" -f "$REPO/extensions/$ext/subscribe.sql"
		SUBSCRIBED="${SUBSCRIBED:-} $db"
	fi
done

# Every database with a subscription made here gets its relay worker:
# kyc_events.databases (sighup) keeps what it lists and gains what it lacks.
listed=$(psql_do -At -d postgres -c "SHOW kyc_events.databases")
wanted=$(with_databases "$listed" $(tr ' ' '\n' <<<"${SUBSCRIBED:-}" | sort -u))
if [ "$wanted" != "$listed" ]; then
	psql_do -d postgres -v list="$wanted" <<'SQL'
SELECT format('ALTER SYSTEM SET kyc_events.databases = %L', :'list') \gexec
SELECT pg_reload_conf() \g /dev/null
SQL
	echo "kyc_events.databases = '$wanted' (was '$listed'): a relay worker for each, after reload"
fi
if hosted document_service && has_ext document_service kyc_document && [ -n "$cron_db" ]; then
	# Expire documents past their expiry date, daily.
	psql_do -d "$cron_db" <<'SQL'
SELECT cron.schedule_in_database('kyc_document_expire', '7 2 * * *', 'SELECT kyc_document.expire_documents()',
								 'document_service') IS NOT NULL AS scheduled \g /dev/null
SQL
fi

# A destroyed data key lingers in case_keys' old row version until VACUUM
# removes it: vacuum the (small) table every ten minutes where keys live.
for keys in onboarding:kyc_onboarding document_service:kyc_document; do
	IFS=: read -r db ext <<<"$keys"
	if hosted "$db" && has_ext "$db" "$ext" && [ -n "$cron_db" ]; then
		psql_do -d "$cron_db" -v db="$db" -v job="${ext}_vacuum_keys" -v cmd="VACUUM $ext.case_keys" <<'SQL'
SELECT cron.schedule_in_database(:'job', '*/10 * * * *', :'cmd', :'db') IS NOT NULL AS scheduled \g /dev/null
SQL
	fi
done

if hosted notification_service && has_ext notification_service kyc_notification && [ -n "$cron_db" ]; then
	# Every minute: expired leases back to the queue, due Scheduled
	# notifications released.  Nightly: finished notifications past
	# kyc_notification.retention purged, a batch per transaction.
	psql_do -d "$cron_db" <<'SQL'
SELECT cron.schedule_in_database('kyc_notification_sweep', '* * * * *', 'SELECT kyc_notification.sweep()',
								 'notification_service') IS NOT NULL AS scheduled \g /dev/null
SELECT cron.schedule_in_database('kyc_notification_purge', '37 3 * * *', 'CALL kyc_notification.purge_expired()',
								 'notification_service') IS NOT NULL AS scheduled \g /dev/null
SQL
fi

if [ -n "$cron_db" ]; then
	# One row per pgkyc job with its last run: a failing job shows here as
	# "failing", with pg_cron's message, instead of only in cron's tables.
	psql_do -d "$cron_db" -f "$REPO/scripts/job_health.sql"
	# The whole cluster's health, backups included, for monitoring
	# (docs/operations.md): prometheus-postgres-exporter reads it as kyc_monitor.
	psql_do -d "$cron_db" -f "$REPO/scripts/health.sql"
fi

# Subscriptions whose source was not reachable: provision that server, then
# run make provision here again (a rerun keeps everything made so far).
if [ -n "$PENDING" ]; then
	echo "make provision: some subscriptions wait for a source that could not be reached:$PENDING" >&2
	echo "Provision the server that hosts it (PGKYC_CONNINFO_<DATABASE> says where), then run make provision here again." >&2
	exit 3
fi
