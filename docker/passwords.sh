#!/usr/bin/env bash
# Runs once, from the image's entrypoint, after provisioning: the passwords
# of the login roles that other containers use, each from a Docker secret
# if one is mounted (docs/deployment.md says how to create them).  A role
# without a secret keeps no password: it cannot log in over TCP.
set -euo pipefail
export PGHOST="${PGHOST:-/var/run/postgresql}" PGUSER="${POSTGRES_USER:-postgres}"
SECRETS=${PGKYC_SECRETS_DIR:-/run/secrets}
for pair in kyc_authenticator:authenticator_password keycloak_user:keycloak_db_password \
	kyc_monitor:monitor_password; do
	role=${pair%%:*}
	file=$SECRETS/${pair#*:}
	[ -r "$file" ] || continue
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -v role="$role" -v password="$(tr -d '\r\n' <"$file")" <<'SQL'
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') \gexec
SQL
	echo "pgkyc: set the password of $role from ${file##*/}"
done
