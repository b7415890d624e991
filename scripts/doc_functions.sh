#!/usr/bin/env bash
# doc_functions.sh [FUNCTIONS]: the functions docs/*.md document, one
# "schema.name" a line, sorted.  A name counts when the docs write it as
# `kyc_x.name(` anywhere, or as `name(` at the start of inline code in the
# page of extension kyc_x (kyc_risk_screening.md is kyc_risk's), and it is
# a function of that schema.  FUNCTIONS is a file of "schema.name" lines,
# the functions that exist (default: those the install scripts create).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
known=${1:-}
if [ -z "$known" ]; then
	known=$(mktemp)
	trap 'rm -f "$known"' EXIT
	grep -ohE '(FUNCTION|PROCEDURE) +kyc_[a-z]+\.[a-z_]+\(' "$REPO"/extensions/*/*.sql |
		sed -E 's/(FUNCTION|PROCEDURE) +//; s/\($//' | sort -u >"$known"
fi
for page in "$REPO"/docs/kyc_*.md; do
	schema=$(basename "$page" .md | sed -E 's/^(kyc_[a-z]+).*/\1/')
	grep -oE 'kyc_[a-z]+\.[a-z_]+\(' "$page" | sed 's/($//' || true
	grep -oE '`[a-z_]+\(' "$page" | sed -E "s/^\`/$schema./; s/\(\$//" || true
done | sort -u | grep -Fxf "$known"
