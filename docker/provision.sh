#!/usr/bin/env bash
# Runs once, from the image's entrypoint, on a new data directory: the same
# provisioning as `make provision`, over the entrypoint's local socket.
set -euo pipefail
export PGHOST=/var/run/postgresql PGUSER="${POSTGRES_USER:-postgres}"
bash /usr/src/pgkyc/scripts/provision.sh
