#!/usr/bin/env bash
# scripts/backup.sh KIND [PGBACKREST_OPTION...]: one pgBackRest backup of
# the pgkyc cluster, and its outcome in pgkyc.backups (docs/backup.md).
#
#   KIND   full, diff or incr
#
# Runs `pgbackrest --stanza=$PGKYC_STANZA backup --type=KIND`, as the
# cluster's OS user (postgres), from cron or a systemd timer:
# docker/pgbackrest/pgkyc-backup.cron runs a full backup on Sundays at
# 02:00 and a differential one the other days.  pgBackRest reads its own
# configuration, /etc/pgbackrest/pgbackrest.conf, or the file that
# PGBACKREST_CONFIG names; set other options as PGBACKREST_* variables too,
# which every pgbackrest command reads.  The options after KIND go to the
# backup command alone.  PGKYC_STANZA defaults to pgkyc.
#
# Then it records one row, (finished_at, kind, label, ok), in
# pgkyc.backups of the database postgres, which it creates if need be,
# connecting with the usual libpq variables (PGHOST, PGPORT, PGUSER, a
# superuser).  kind and label are the backup pgBackRest made: a diff
# without a full backup before it becomes a full one.  A failed backup is
# recorded with ok false and no label.
#
# Exits with pgbackrest's status; if the backup succeeded but could not be
# recorded, with 1.
set -uo pipefail

usage() {
	echo "usage: $0 full|diff|incr [pgbackrest option...]" >&2
	exit 2
}
[ $# -ge 1 ] || usage
kind=$1
shift
case "$kind" in
full | diff | incr) ;;
*) usage ;;
esac
stanza=${PGKYC_STANZA:-pgkyc}

pgbackrest --stanza="$stanza" "$@" backup --type="$kind"
rc=$?

# The backup just made is the newest in the repository: a stanza's backups
# run one at a time, under pgBackRest's lock.
info=""
if [ $rc -eq 0 ]; then
	info=$(pgbackrest --stanza="$stanza" --output=json info) || info=""
fi

ok=$([ $rc -eq 0 ] && echo true || echo false)
if ! psql -X -q -v ON_ERROR_STOP=1 -d postgres -v kind="$kind" -v info="$info" -v ok="$ok" <<'SQL'; then
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS pgkyc;
REVOKE ALL ON SCHEMA pgkyc FROM PUBLIC;
-- One row per backup that scripts/backup.sh ran, successful or not.
CREATE TABLE IF NOT EXISTS pgkyc.backups (
	finished_at	timestamptz NOT NULL DEFAULT now(),
	kind		text NOT NULL,
	label		text,
	ok			boolean NOT NULL
);
GRANT USAGE ON SCHEMA pgkyc TO pg_monitor;
GRANT SELECT ON pgkyc.backups TO pg_monitor;
INSERT INTO pgkyc.backups (finished_at, kind, label, ok)
SELECT clock_timestamp(), coalesce(b ->> 'type', :'kind'), b ->> 'label', :'ok'
FROM (SELECT NULLIF(:'info', '')::jsonb -> 0 -> 'backup' -> -1) newest(b);
SQL
	echo "$0: the outcome of the $kind backup (ok: $ok) could not be recorded in pgkyc.backups" >&2
	[ $rc -eq 0 ] && rc=1
fi
exit $rc
