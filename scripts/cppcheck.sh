#!/usr/bin/env bash
# cppcheck over pgkyc's C (make test runs it): one TAP line, failed by any
# finding of the warning, portability or performance checks.
#
# Without PostgreSQL's headers, which take cppcheck more than ten minutes
# here; scripts/cppcheck.h tells it what it must know of them (that
# ereport(ERROR) does not return), and -D the PostgreSQL and OpenSSL
# versions, so that kyc_compat.h's guards see the ones built against.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

version=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+)\.([0-9]+).*/\1 \2/')
set -- $version
# OpenSSL's version as its header computes it, for kyc_compat.h's guard.
openssl=$(printf '#include <openssl/opensslv.h>\nOPENSSL_VERSION_NUMBER\n' | cpp -P | tail -n 1 | sed 's/\([0-9]\)L/\1/g')
out=$(cd "$REPO" && cppcheck -q --std=c99 --enable=warning,portability,performance --inline-suppr \
	-DPG_VERSION_NUM=$(($1 * 10000 + $2)) -DOPENSSL_VERSION_NUMBER=$((openssl)) --include=scripts/cppcheck.h \
	-I extensions/common extensions tests/fuzz examples 2>&1)
rc=$?
echo "1..1"
if [ $rc -eq 0 ] && [ -z "$out" ]; then
	echo "ok 1 - cppcheck $(cppcheck --version | cut -d' ' -f2) finds nothing in extensions, tests/fuzz and examples"
else
	echo "not ok 1 - cppcheck exits $rc and finds $(grep -cE '^[^ ]+:[0-9]+:[0-9]+: ' <<<"$out") problems"
	sed 's/^/# /' <<<"$out"
	exit 1
fi
