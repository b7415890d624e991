#!/usr/bin/env bash
# make bench, PII part: the cost of personal data sealed at rest (docs/
# kyc_onboarding.md#personal-data-sealed-at-rest), on 2,000 applicants:
#   1. writing both values of every applicant in one UPDATE: kyc_onboarding's
#      trigger sealing them (AES-256-GCM, per-case keys), against the same
#      UPDATE in the clear, against kyc_onboarding's triggers writing
#      another column (what sealing adds is the difference), and against
#      pgcrypto's pgp_sym_encrypt();
#   2. reading both values of every applicant: reveal(), against the clear
#      columns and pgp_sym_decrypt().
# Medians of BENCH_REPS runs, in ms, with the ratio to the clear columns.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

REPS=${BENCH_REPS:-5}

ensure_packages
build_and_install
bench_cluster pii-bench 54961
psql -X -q -d postgres -c "CREATE DATABASE pii"
PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -d pii \
	-v keyfile="$WORK/pgkyc_master.key" -f "$REPO/bench/pii_setup.sql" >/dev/null

declare -A SQL=(
	[write_plain]="UPDATE bench.plain SET date_of_birth = date_of_birth + 1, national_id_number = national_id_number || 'x'"
	[write_kyc_other]="UPDATE kyc_onboarding.applicants SET last_name = 'B' || (random() * 20000)::int"
	[write_kyc]="UPDATE kyc_onboarding.applicants SET date_of_birth = date '1950-01-01' + (random() * 20000)::int, national_id_number = 'N-' || id"
	[write_pgcrypto]="UPDATE bench.pgcrypto SET date_of_birth_enc = pgp_sym_encrypt((date '1950-01-01' + (random() * 20000)::int)::text, 'bench-key'), national_id_number_enc = pgp_sym_encrypt('N-' || id, 'bench-key')"
	[read_plain]="SELECT count(date_of_birth::text || national_id_number) FROM bench.plain"
	[read_kyc]="SELECT count(kyc_onboarding.reveal(date_of_birth_sealed) || kyc_onboarding.reveal(national_id_number_sealed)) FROM kyc_onboarding.applicants"
	[read_pgcrypto]="SELECT count(pgp_sym_decrypt(date_of_birth_enc, 'bench-key') || pgp_sym_decrypt(national_id_number_enc, 'bench-key')) FROM bench.pgcrypto"
)

declare -A samples=() MS
for rep in $(seq "$REPS"); do
	for key in write_plain write_kyc_other write_kyc write_pgcrypto read_plain read_kyc read_pgcrypto; do
		samples[$key]+="$(psql -X -q -At -d pii -v sql="${SQL[$key]}" <<<"SELECT bench.ms(:'sql')") "
	done
done
for key in "${!samples[@]}"; do
	MS[$key]=$(echo "${samples[$key]}" | tr ' ' '\n' | sed '/^$/d' | median)
done

for op in write read; do
	printf '\n%-66s %9s %9s\n' "$op both values of 2,000 applicants, one statement (median of $REPS)" ms "vs clear"
	printf '%-66s %9s %9s\n' "in the clear, no trigger" "${MS[${op}_plain]}" 1.00
	[ "$op" = write ] && printf '%-66s %9s %9s\n' "kyc_onboarding, its triggers and events, no personal data written" \
		"${MS[write_kyc_other]}" "$(ratio "${MS[write_kyc_other]}" "${MS[write_plain]}")"
	printf '%-66s %9s %9s\n' "kyc_onboarding: AES-256-GCM, a key per case, master key file" "${MS[${op}_kyc]}" \
		"$(ratio "${MS[${op}_kyc]}" "${MS[${op}_plain]}")"
	printf '%-66s %9s %9s\n' "pgcrypto pgp_sym_encrypt/decrypt, one key in the query" "${MS[${op}_pgcrypto]}" \
		"$(ratio "${MS[${op}_pgcrypto]}" "${MS[${op}_plain]}")"
	printf '%-66s %9s %9s\n' "kyc_onboarding / pgcrypto" "" "$(ratio "${MS[${op}_kyc]}" "${MS[${op}_pgcrypto]}")"
done
