#!/usr/bin/env bash
# make fuzz, and make test's fuzz step: build the libFuzzer harnesses of
# tests/fuzz and run each on its seeds for FUZZ_SECONDS (default 60), or the
# seconds given as the first argument.
#
# Prints TAP, one line a harness ("ok 3 - render: 812345 runs in 60 s, cov:
# 212 ft: 640, ..."), which test.sh counts.  A crash, a sanitizer report, a
# leak, a timeout or a broken property fails its harness: the input that did
# it is kept in $FUZZ_WORK/crashes, and the end of the harness's log is
# printed as TAP comments.  Each run grows its corpus in
# $FUZZ_WORK/corpus/<harness> (default tests/fuzz/work), never the seeds in
# tests/fuzz/corpus.  FUZZ_HARNESSES names the harnesses to run (default all).
set -uo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_EACH=${1:-${FUZZ_SECONDS:-60}}
FUZZ_DIR=$REPO/tests/fuzz
FUZZ_WORK=${FUZZ_WORK:-$FUZZ_DIR/work}
HARNESSES=${FUZZ_HARNESSES:-$(ls "$FUZZ_DIR/corpus")}

mkdir -p "$FUZZ_WORK/crashes"
if ! ensure_packages >"$FUZZ_WORK/build.log" 2>&1 ||
	! make -s -j"$(nproc)" -C "$FUZZ_DIR" PG_CONFIG="$PG_CONFIG" >>"$FUZZ_WORK/build.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - fuzz: the harnesses did not build"
	sed 's/^/# /' "$FUZZ_WORK/build.log"
	exit 1
fi

set -- $HARNESSES
echo "1..$#"
n=0
failed=0
for h in "$@"; do
	n=$((n + 1))
	log=$FUZZ_WORK/$h.log
	mkdir -p "$FUZZ_WORK/corpus/$h"
	"$FUZZ_DIR/build/$h" -max_total_time="$SECONDS_EACH" -timeout=20 -print_final_stats=1 \
		-artifact_prefix="$FUZZ_WORK/crashes/$h-" "$FUZZ_WORK/corpus/$h" "$FUZZ_DIR/corpus/$h" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		echo "ok $n - $h: ${runs:-0} runs in $SECONDS_EACH s, $coverage," \
			"corpus $(ls "$FUZZ_WORK/corpus/$h" | wc -l) + $(ls "$FUZZ_DIR/corpus/$h" | wc -l) seeds"
	else
		failed=$((failed + 1))
		crash=$(ls -t "$FUZZ_WORK/crashes/$h-"* 2>/dev/null | head -n 1)
		echo "not ok $n - $h: exit $rc after ${runs:-?} runs; input kept as ${crash:-(none)}"
		tail -n 60 "$log" | sed 's/^/# /'
	fi
done
[ $failed -eq 0 ]
