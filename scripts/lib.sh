# scripts/lib.sh: helpers shared by test.sh, demo.sh and bench.sh.
# Sourced, not run.

# PG_CONFIG decides which PostgreSQL pgkyc is built for, installed into,
# tested and benched on: the pg_config on PATH unless the caller names
# another.  PG_MAJOR first names the Debian packages ensure_packages
# installs (only PostgreSQL 15 is installable here); pg_paths then takes
# PGBIN, PGXS_DIR and PG_MAJOR from PG_CONFIG.
PG_MAJOR=15
PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# pg_paths: PGBIN, PGXS_DIR and PG_MAJOR of PG_CONFIG, once it exists.
pg_paths() {
	command -v "$PG_CONFIG" >/dev/null 2>&1 || return 0
	PGBIN=$("$PG_CONFIG" --bindir)
	PGXS_DIR=$(cd "$(dirname "$("$PG_CONFIG" --pgxs)")/../.." && pwd)
	PG_MAJOR=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
}
pg_paths

# Debian packages a fresh Debian 12 machine needs to build and test pgkyc.
PGKYC_PACKAGES="make gcc libc6-dev postgresql-$PG_MAJOR postgresql-client-$PG_MAJOR
	postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-cron postgresql-$PG_MAJOR-pgtap prometheus prometheus-postgres-exporter
	libtap-parser-sourcehandler-pgtap-perl libipc-run-perl libssl-dev libicu-dev libmecab-dev mecab-ipadic-utf8 enamdict unicode-data bzip2 libjson-c-dev libpq-dev openssl clang-14 libclang-rt-14-dev pgbackrest docker-compose pgbouncer pg-bsd-indent cppcheck"

# Narration: bold on a terminal, plain when piped or NO_COLOR is set.
say() {
	if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
		printf '\033[1m==> %s\033[0m\n' "$*"
	else
		printf '==> %s\n' "$*"
	fi
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# PostgreSQL refuses to run as root, so clusters run as an ordinary user.
cluster_user() {
	if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

# From /, since the cluster user may not be able to enter the current directory.
# Make a fresh work directory the cluster user's: only needed when we are root.
give_to_cluster_user() {
	if [ "$(id -u)" = 0 ]; then chown -R postgres "$@"; fi
}

# work_dir NAME [SUBDIR...]: a fresh directory under /tmp, with subdirectories,
# that the cluster user owns and everyone can traverse.
work_dir() {
	local dir sub
	dir=$(mktemp -d "/tmp/pgkyc-$1.XXXXXX")
	shift
	chmod 755 "$dir"
	for sub in "$@"; do mkdir -p "$dir/$sub"; done
	give_to_cluster_user "$dir"
	echo "$dir"
}

as_cluster_user() {
	if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Install whatever of PGKYC_PACKAGES is missing; apt-get update runs once, first.
ensure_packages() {
	local missing=() p
	for p in $PGKYC_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null || return 1
	pg_paths
}

# A TCP port on 127.0.0.1 that nothing listens on, starting from $1.
free_port() {
	local port=${1:-54321}
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		port=$((port + 1))
	done
	echo "$port"
}

# cluster_init DATADIR PORT: a new cluster for pgkyc, owned by the cluster user.
# Sockets go in the data directory's parent, which only that user can write.
cluster_init() {
	local data=$1 port=$2 sockdir
	sockdir=$(dirname "$data")
	as_cluster_user "$PGBIN/initdb" -D "$data" -U postgres --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 >/dev/null
	cat >>"$data/postgresql.conf" <<CONF
# pgkyc
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
shared_preload_libraries = 'pg_cron,kyc_events'
cron.database_name = 'postgres'
kyc_events.databases = 'onboarding,checklist_service,risk_service,auditlog_service,projections_api,notification_service,document_service'
max_prepared_transactions = 10
# One relay worker per service database, the launcher, pg_cron and the logical
# replication launcher: more than the default 8.
max_worker_processes = 16
log_line_prefix = '%m [%p] %q%u@%d '
CONF
}

# cluster_start DATADIR: start it.  free_port only says that nothing
# listened a moment ago; if another process binds the port first, the
# server fails, and it is tried again on the next free port.  Callers
# read the port it got with cluster_port.
cluster_start() {
	local data=$1 tries port logged
	for tries in 1 2 3 4 5 6 7 8 9 10; do
		logged=$(stat -c %s "$data/server.log" 2>/dev/null || echo 0)
		as_cluster_user "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null && return 0
		# Only this attempt's lines: the log of a kept cluster is appended to.
		tail -c +$((logged + 1)) "$data/server.log" |
			grep -q 'could not bind\|could not create any TCP/IP sockets\|Address already in use' || return 1
		port=$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$data/postgresql.conf" | tail -n 1)
		port=$(free_port $((port + 1)))
		echo "port = $port" >>"$data/postgresql.conf"
	done
	return 1
}

# cluster_port DATADIR: the port a started cluster listens on.
cluster_port() {
	sed -n 4p "$1/postmaster.pid"
}

cluster_stop() {
	[ -f "$1/postmaster.pid" ] || return 0
	as_cluster_user "$PGBIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null || true
}

# Build as the invoking user, install into PostgreSQL's directories as root.
build_and_install() {
	say "building and installing pgkyc"
	make -s -C "$REPO" PG_CONFIG="$PG_CONFIG" >/dev/null
	as_root make -s -C "$REPO" PG_CONFIG="$PG_CONFIG" install >/dev/null
}

# bench_cluster NAME BASE_PORT [SUBDIR...]: a started throwaway cluster for
# a benchmark, stopped and removed on exit, with the postgresql.conf lines
# of BENCH_CONF after pgkyc's own.  Sets WORK, DATA and PORT, and exports
# PGHOST, PGPORT and PGUSER for psql and pgbench.
bench_cluster() {
	local name=$1 base=$2
	shift 2
	WORK=$(work_dir "$name" "$@")
	DATA=$WORK/data
	trap 'cluster_stop "$DATA"; rm -rf "$WORK"' EXIT
	cluster_init "$DATA" "$(free_port "$base")"
	echo "shared_buffers = 256MB" >>"$DATA/postgresql.conf"
	[ -z "${BENCH_CONF:-}" ] || echo "$BENCH_CONF" >>"$DATA/postgresql.conf"
	cluster_start "$DATA"
	PORT=$(cluster_port "$DATA")
	export PGHOST=$WORK PGPORT=$PORT PGUSER=postgres
}

# release_commit TAG: the commit of a pgkyc release, from its tag, else from
# tests/upgrade/releases (a clone without tags), fetched if this clone lacks it.
release_commit() {
	local ref=$1
	if ! git -C "$REPO" rev-parse -q --verify "$ref^{commit}" >/dev/null; then
		ref=$(awk -v t="$1" '$1 == t { print $2 }' "$REPO/tests/upgrade/releases")
		if [ -n "$ref" ] && ! git -C "$REPO" cat-file -e "$ref^{commit}" 2>/dev/null; then
			git -C "$REPO" fetch -q --depth=1 origin "$ref" 2>/dev/null || true
		fi
	fi
	if [ -z "$ref" ] || ! git -C "$REPO" cat-file -e "$ref^{commit}" 2>/dev/null; then
		echo "this clone has neither the tag $1 nor its commit; git fetch --tags" >&2
		return 1
	fi
	git -C "$REPO" rev-parse "$ref^{commit}"
}

# release_build COMMIT DIR: that release built from its own files into a
# private copy of PostgreSQL's directories under DIR/pg (binaries find share
# and lib relative to themselves); prints its bindir.  Its source is DIR/src.
release_build() {
	local ref=$1 dir=$2
	# Each step checked: a command substitution does not inherit set -e.
	mkdir -p "$dir/src" "$dir/pg/usr/lib/postgresql" "$dir/pg/usr/share/postgresql" &&
		git -C "$REPO" archive "$ref" | tar -x -C "$dir/src" &&
		cp -a "$($PG_CONFIG --pkglibdir)/.." "$dir/pg/usr/lib/postgresql/$PG_MAJOR" &&
		cp -a "$($PG_CONFIG --sharedir)" "$dir/pg/usr/share/postgresql/$PG_MAJOR" &&
		rm -f "$dir/pg/usr/lib/postgresql/$PG_MAJOR/lib/"kyc_* "$dir/pg/usr/share/postgresql/$PG_MAJOR/extension/"kyc_* &&
		make -s -C "$dir/src" PG_CONFIG="$PG_CONFIG" all >"$dir/build.log" 2>&1 &&
		make -s -C "$dir/src" PG_CONFIG="$PG_CONFIG" install DESTDIR="$dir/pg" >>"$dir/build.log" 2>&1 || {
		echo "could not build the release $ref: $dir/build.log" >&2
		return 1
	}
	echo "$dir/pg/usr/lib/postgresql/$PG_MAJOR/bin"
}

# ratio A B: A / B to two decimals, 0 when B is not positive.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'
}

# median: the median of the numbers on stdin, one per line or space
# separated (of an even count, the mean of the middle two).
median() {
	tr ' ' '\n' | sed '/^$/d' | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
