# load_0.1.0.sh: data written through pgkyc 0.1.0's API, each step as its
# service role, so the upgrade test has rows of every kind to carry over:
# cases with and without a partner, in progress, under review and approved,
# applicants with dates of birth, addresses, checklists and items completed
# by verified documents, risk assessments with a watch-list match,
# documents, and the audit log's captured changes, sealed.  Sourced by
# scripts/upgrade_check.sh with PGHOST and PGPORT set.
as() { psql -X -q -At -v ON_ERROR_STOP=1 -U "$1" -d "$2" "${@:3}"; }

as risk_user risk_service -c "SELECT kyc_risk.add_watchlist_entity('OFAC', 'person', ARRAY['Viktor Petrovich Bout'], '1967-01-13', ARRAY['RU'], 'SDN')" >/dev/null
CASES=()
for i in 1 2 3 4 5; do
	partner=NULL
	[ "$i" -lt 3 ] || partner="'partner-$((i % 2))'"
	case_id=$(as onboarding_user onboarding -c "SELECT kyc_onboarding.create_case('Individual', $partner, 'upgrade-$i',
		jsonb_build_object('first_name', 'Ada$i', 'last_name', 'Lovelace', 'date_of_birth', '1980-01-0$i',
						   'email', 'ada$i@example.com', 'nationality', 'GB'))")
	CASES+=("$case_id")
	as onboarding_user onboarding -c "INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, postal_code, country, is_primary, case_id)
		SELECT id, 'Residential', '$i Main Street', 'London', 'N1 $i', 'GB', true, case_id FROM kyc_onboarding.applicants WHERE case_id = '$case_id'"
	as checklist_user checklist_service -c "SELECT kyc_checklist.create_checklist('$case_id', 'Individual')" >/dev/null
	as risk_user risk_service -c "SELECT kyc_risk.open_assessment('$case_id')" \
		-c "SELECT kyc_risk.assess_geography('$case_id', ARRAY['GB'])" >/dev/null
	doc=$(as document_user document_service -c "SELECT kyc_document.register_document('$case_id', 'Passport', 'passport-$i.pdf',
		'application/pdf', 1000 + $i, repeat('a', 63) || '$i', 's3://docs/$i')")
	as document_user document_service -c "SELECT kyc_document.verify_document('$doc', 'reviewer@example.com')"
done
# One screening that matches the watch list; cases in progress, under
# review and approved, by different people.
as risk_user risk_service -c "SELECT kyc_risk.screen_case('${CASES[0]}', 'Viktor Bout', '1967-01-13', 'RU')" >/dev/null
for i in 1 3 4; do
	as onboarding_user onboarding -c "SELECT kyc_onboarding.transition('${CASES[$i]}', 'InProgress', 'agent@example.com')" >/dev/null
done
for i in 3 4; do
	as onboarding_user onboarding -c "SELECT kyc_onboarding.transition('${CASES[$i]}', 'PendingReview', 'agent@example.com')" >/dev/null
done
as onboarding_user onboarding -c "SELECT kyc_onboarding.transition('${CASES[4]}', 'Approved', 'officer@example.com', 'documents and screening clear')" >/dev/null
