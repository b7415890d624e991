#!/usr/bin/env bash
# docker_check.sh: the image's first start, without Docker, and the files
# Docker reads.  It does what the official entrypoint does on an empty data
# directory: initdb (scram over TCP, trust on the socket), the image's
# settings (docker/postgresql.pgkyc.conf), a first server on the socket
# only, the init scripts in order (docker/provision.sh, docker/passwords.sh)
# with the secrets as files, then the real server.  Then it checks the
# result, and the compose file, the Dockerfile and .dockerignore.  Prints
# TAP lines; make test counts them.
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

W=$(work_dir docker-init src keys secrets)
DATA=$W/data
PORT=$(free_port 54700)
trap 'cluster_stop "$DATA"; [ "$failed" -eq 0 ] && rm -rf "$W"' EXIT

# What the image holds under /usr/src/pgkyc: the scripts and the SQL they run.
cp -r "$REPO/scripts" "$REPO/docker" "$W/src/"
(cd "$REPO" && find extensions -name '*.sql' ! -name '*--*' -exec cp --parents {} "$W/src/" \;)
# The secrets, as files (docs/deployment.md creates them with openssl).
AUTH_PASSWORD=$(openssl rand -hex 16)
echo "$AUTH_PASSWORD" >"$W/secrets/authenticator_password"
openssl rand -hex 16 >"$W/secrets/monitor_password"
chmod 700 "$W/keys" "$W/secrets"
chmod 600 "$W/secrets"/*
give_to_cluster_user "$W"

# initdb as the entrypoint runs it, and the image's settings.
as_cluster_user "$PGBIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
	--encoding=UTF8 --locale=C.UTF-8 >/dev/null
cat "$REPO/docker/postgresql.pgkyc.conf" >>"$DATA/postgresql.conf"
printf "%s\n" "port = $PORT" "unix_socket_directories = '$W'" >>"$DATA/postgresql.conf"

# The entrypoint's first server: no TCP while the init scripts run.
as_cluster_user "$PGBIN/pg_ctl" -D "$DATA" -o "-c listen_addresses=''" -l "$DATA/init.log" -w start >/dev/null
init_out=""
init_rc=0
for script in provision.sh passwords.sh; do
	out=$(as_cluster_user env PATH="$PGBIN:$PATH" PGHOST="$W" PGPORT="$PORT" POSTGRES_USER=postgres \
		PGKYC_SRC="$W/src" PGKYC_MASTER_KEY_FILE="$W/keys/master.key" PGKYC_SECRETS_DIR="$W/secrets" \
		bash "$W/src/docker/$script" 2>&1) || init_rc=1
	init_out+="$out"$'\n'
done
check $init_rc "the init scripts provision a new data directory, as the image's entrypoint runs them" "$init_out"
as_cluster_user "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null

# The real server, over TCP too.
echo "listen_addresses = '127.0.0.1'" >>"$DATA/postgresql.conf"
cluster_start "$DATA"
PORT=$(cluster_port "$DATA")
export PGHOST=$W PGPORT=$PORT PGUSER=postgres
q() { psql -X -At -d "${2:-postgres}" -c "$1" 2>&1; }

# A relay worker for every service database, from the image's settings alone.
workers=""
for _ in $(seq 60); do
	workers=$(q "SELECT count(DISTINCT datname) FROM pg_stat_activity WHERE backend_type = 'kyc_events relay'")
	[ "$workers" = 7 ] && break
	sleep 0.5
done
check "$([ "$workers" = 7 ] && echo 0 || echo 1)" "a relay worker runs for each of the 7 service databases" \
	"$(q "SELECT datname, backend_type FROM pg_stat_activity")"

# The passwords come from the secrets: TCP with the right one, not with another.
login=$(PGPASSWORD=$AUTH_PASSWORD psql -X -At -h 127.0.0.1 -U kyc_authenticator -d onboarding -c 'SELECT current_user' 2>&1)
check "$([ "$login" = kyc_authenticator ] && echo 0 || echo 1)" \
	"kyc_authenticator logs in over TCP with the password of its secret" "$login"
wrong=$(PGPASSWORD=not-it psql -X -At -h 127.0.0.1 -U kyc_authenticator -d onboarding -c 'SELECT 1' 2>&1)
check "$(grep -q 'password authentication failed' <<<"$wrong" && echo 0 || echo 1)" \
	"and not with another" "$wrong"
nologin=$(PGPASSWORD=x psql -X -At -h 127.0.0.1 -U keycloak_user -d keycloak -c 'SELECT 1' 2>&1)
check "$(grep -q 'password authentication failed' <<<"$nologin" && echo 0 || echo 1)" \
	"a role without a secret (keycloak_user here) has no password to log in with" "$nologin"

# Keycloak's database, its own and nothing else.
owner=$(q "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'keycloak'")
check "$([ "$owner" = keycloak_user ] && echo 0 || echo 1)" "the keycloak database belongs to keycloak_user" "$owner"

# The master key: where PGKYC_MASTER_KEY_FILE said, the server's alone, not
# in the data directory; and personal data seals after the restart.
keyfile=$(q "SHOW kyc.master_key_file")
mode=$(stat -c %a "$W/keys/master.key" 2>&1)
check "$([ "$keyfile" = "$W/keys/master.key" ] && [ "$mode" = 600 ] && echo 0 || echo 1)" \
	"the master key is the file PGKYC_MASTER_KEY_FILE names, mode 600" "$keyfile $mode"
sealed=$(psql -X -q -At -d onboarding -v ON_ERROR_STOP=1 2>&1 <<'SQL'
SET ROLE onboarding_user;
SELECT kyc_onboarding.create_case('Individual', NULL, NULL,
	'{"first_name": "Dock", "last_name": "Er", "date_of_birth": "1980-02-29"}') AS c \gset
SELECT kyc_onboarding.reveal(date_of_birth_sealed) FROM kyc_onboarding.applicants WHERE case_id = :'c';
SQL
)
check "$([ "$sealed" = 1980-02-29 ] && echo 0 || echo 1)" "after the restart, a date of birth seals and opens" "$sealed"

# The compose file: it parses, every service has a healthcheck, every secret
# it uses is declared and no password is written in it.
compose=$(python3 - "$REPO/docker/docker-compose.yml" 2>&1 <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
problems = []
declared = set(d.get('secrets', {}))
for name, svc in d['services'].items():
    if 'healthcheck' not in svc:
        problems.append(f'{name} has no healthcheck')
    for s in svc.get('secrets', []):
        s = s['source'] if isinstance(s, dict) else s
        if s not in declared:
            problems.append(f'{name} uses the undeclared secret {s}')
    for k, v in (svc.get('environment') or {}).items():
        if 'PASSWORD' in k and not k.endswith('_FILE'):
            problems.append(f'{name} sets {k} in the clear')
for s, spec in d.get('secrets', {}).items():
    if not spec.get('file', '').startswith('./secrets/'):
        problems.append(f'secret {s} is not a file under docker/secrets')
print('\n'.join(problems))
PY
)
check "$([ -z "$compose" ] && echo 0 || echo 1)" \
	"docker-compose.yml parses; each service has a healthcheck; secrets are declared files, no password in it" "$compose"
if command -v docker-compose >/dev/null; then
	# docker-compose checks the whole file, with placeholder secrets.
	cp -r "$REPO/docker" "$W/compose"
	mkdir -p "$W/compose/secrets"
	for s in $(python3 -c "import yaml; print(' '.join(yaml.safe_load(open('$REPO/docker/docker-compose.yml'))['secrets']))"); do
		echo placeholder >"$W/compose/secrets/$s"
	done
	out=$(cd "$W/compose" && docker-compose -f docker-compose.yml config -q 2>&1)
	check $? "docker-compose config accepts docker-compose.yml" "$out"
fi

# The Dockerfile builds in two stages and keeps no compiler; .dockerignore
# keeps the history, a demo cluster and host-built objects out of the build.
final=$(awk '/^FROM /{stage++} stage == 2 && !/^#/' "$REPO/docker/Dockerfile")
stages=$(grep -c '^FROM postgres:15-bookworm' "$REPO/docker/Dockerfile")
check "$([ "$stages" = 2 ] && ! grep -qE 'gcc|-dev|make ' <<<"$final" && echo 0 || echo 1)" \
	"the Dockerfile builds on postgres:15-bookworm in two stages, the final one without gcc or -dev packages" "$final"
missing=""
for pattern in .git .demo '**/*.o' '**/*.so' docker/secrets; do
	grep -qxF "$pattern" "$REPO/.dockerignore" || missing+="$pattern "
done
check "$([ -z "$missing" ] && echo 0 || echo 1)" ".dockerignore keeps out .git, .demo, objects and secrets" "$missing"
copies=""
for src in $(awk '$1 == "COPY" && $2 !~ /^--from/ && $2 != "." { print $2 }' "$REPO/docker/Dockerfile"); do
	[ -e "$REPO/$src" ] || copies+="$src "
done
check "$([ -z "$copies" ] && echo 0 || echo 1)" "every file the Dockerfile copies exists" "$copies"

echo "1..$n"
[ "$failed" -eq 0 ]
