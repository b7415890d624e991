#!/usr/bin/env bash
# make indent: PostgreSQL's own indenter over pgkyc's C, as pgindent runs it.
# scripts/indent.sh --check (make indent-check, part of make test): change
# nothing; one TAP line, failed, with the diffs, if it would change a file.
#
# pg_bsd_indent (Debian's pg-bsd-indent) with pgindent's options, then the
# one fix-up pgindent makes after it: a single space before the '*' of a
# function's return type.  pg_bsd_indent must know every typedef name; like
# PostgreSQL's buildfarm, we take them from the debug information of the
# built objects (so make runs first), which covers PostgreSQL's types as
# well as ours, plus libpq's for the example sender and json-c's for the
# offline verifier, less the names pgindent leaves out because code also
# uses them as identifiers.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CHECK=0
[ "${1:-}" = --check ] && CHECK=1

INDENT_OPTS="-bad -bap -bbb -bc -bl -cli1 -cp33 -cdb -nce -d0 -di12 -nfc1 -i4 -l79 -lp -lpl -nip -npro -sac -tpg -ts4"
EXCLUDED="ANY FD_SET U abs allocfunc boolean date digit ilist interval iterator other pointer printfunc reference string timestamp type wrap"

command -v pg_bsd_indent >/dev/null || { echo "pg_bsd_indent is missing: apt-get install pg-bsd-indent" >&2; exit 1; }
make -s -C "$REPO" PG_CONFIG="$PG_CONFIG" all >/dev/null

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Typedef names: DW_TAG_typedef entries of the objects, libpq's and json-c's.
{
	objdump -W $(find "$REPO/extensions" -name '*.o') |
		awk '/DW_TAG_typedef/ { t = 1; next } t && /DW_AT_name/ { sub(/.*: */, ""); print; t = 0 } /DW_TAG/ { t = 0 }'
	sed -n 's/^} \([A-Za-z_][A-Za-z0-9_]*\);$/\1/p; s/^typedef [^()]* \**\([A-Za-z_][A-Za-z0-9_]*\);$/\1/p' \
		"$("$PG_CONFIG" --includedir)/libpq-fe.h" /usr/include/json-c/json_types.h
	echo bool
	echo FILE
} | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' | grep -vxF -f <(tr ' ' '\n' <<<"$EXCLUDED") | sort -u >"$WORK/typedefs"

# The C pgkyc writes, tracked or new: not the tables generated at build
# time, which .gitignore names.
FILES=$(cd "$REPO" && git ls-files -co --exclude-standard 'extensions/*.[ch]' 'tests/fuzz/*.[ch]' 'examples/*.[ch]' 2>/dev/null ||
	find extensions tests/fuzz examples -name '*.[ch]' ! -name 'cantonese_*.h')

n=0
changed=0
for f in $FILES; do
	n=$((n + 1))
	# pg_bsd_indent rewrites the byte 0x80 (the last byte of UTF-8's 김
	# and 변, for one): it goes through as 0x01, which no source holds.
	# It also splits UTF-8 in // comments, which pgkyc's C does not use.
	if grep -qP '(^|[^:])//' "$REPO/$f"; then
		echo "# $f has a // comment, in which pg_bsd_indent splits UTF-8: write /* */"
		changed=$((changed + 1))
		continue
	fi
	if grep -qP '\x01' "$REPO/$f"; then
		echo "# $f holds the byte 0x01, which this script uses to carry 0x80 through pg_bsd_indent"
		changed=$((changed + 1))
		continue
	fi
	perl -pe 's/\x80/\x01/g' "$REPO/$f" >"$WORK/in.c"
	# shellcheck disable=SC2086
	if ! pg_bsd_indent $INDENT_OPTS -U"$WORK/typedefs" "$WORK/in.c" "$WORK/out.c" 2>"$WORK/err" || [ -s "$WORK/err" ]; then
		echo "# $f: pg_bsd_indent cannot parse it"
		sed 's/^/#   /' "$WORK/err"
		changed=$((changed + 1))
		continue
	fi
	perl -pi -e 's/^([A-Za-z_]\S*)[ \t]+\*$/$1 */; s/\x01/\x80/g' "$WORK/out.c"
	cmp -s "$REPO/$f" "$WORK/out.c" && continue
	changed=$((changed + 1))
	if [ $CHECK = 1 ]; then
		echo "# $f is not as pg_bsd_indent leaves it:"
		{ diff -u "$REPO/$f" "$WORK/out.c" || true; } | head -n 20 | sed 's/^/#   /'
	else
		cp "$WORK/out.c" "$REPO/$f"
		echo "indented $f"
	fi
done
if [ $CHECK = 1 ]; then
	echo "1..1"
	if [ $n = 0 ]; then
		echo "not ok 1 - no C file found to check"
		exit 1
	elif [ $changed = 0 ]; then
		echo "ok 1 - all $n C files are as pg_bsd_indent leaves them"
	else
		echo "not ok 1 - $changed of $n C files are not as pg_bsd_indent leaves them: make indent"
		exit 1
	fi
fi
