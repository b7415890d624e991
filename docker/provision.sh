#!/usr/bin/env bash
# Runs once, from the image's entrypoint, on a new data directory: the same
# provisioning as `make provision`, over the entrypoint's local socket.
# (scripts/docker_check.sh runs it the same way, without Docker.)
set -euo pipefail
export PGHOST="${PGHOST:-/var/run/postgresql}" PGUSER="${POSTGRES_USER:-postgres}"
bash "${PGKYC_SRC:-/usr/src/pgkyc}/scripts/provision.sh"
