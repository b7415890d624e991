#!/usr/bin/env bash
# cppcheck over pgkyc's C (make test runs it): one TAP line, failed by any
# finding of the warning, portability or performance checks.
#
# Without PostgreSQL's headers, which take cppcheck more than ten minutes
# here; scripts/cppcheck.h tells it what it must know of them (that
# ereport(ERROR) does not return), and -D the version, so that
# kyc_compat.h's guards see the one built.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

version=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+)\.([0-9]+).*/\1 \2/')
set -- $version
out=$(cd "$REPO" && cppcheck -q --std=c99 --enable=warning,portability,performance --inline-suppr \
	-DPG_VERSION_NUM=$(($1 * 10000 + $2)) --include=scripts/cppcheck.h \
	-I extensions/common extensions tests/fuzz examples 2>&1)
echo "1..1"
if [ -z "$out" ]; then
	echo "ok 1 - cppcheck $(cppcheck --version | cut -d' ' -f2) finds nothing in extensions, tests/fuzz and examples"
else
	echo "not ok 1 - cppcheck finds $(grep -cE '^[^ ]+:[0-9]+:[0-9]+: ' <<<"$out") problems"
	sed 's/^/# /' <<<"$out"
	exit 1
fi
