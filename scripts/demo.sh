#!/usr/bin/env bash
# make demo / make demo-stop: a persistent local pgkyc cluster under .demo/
# and a narrated scenario across its service databases.  Each run tells its
# own story, about the cases it creates, so it can be run again and again.
#
# demo.sh check (make test): the scenario, twice, on a throwaway cluster
# with pgkyc already installed; any failing step fails it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DEMO=$REPO/.demo
DATA=$DEMO/data
# psql as the step's role, stopping at the first error the step does not expect.
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

stop() {
	if [ -f "$DATA/postmaster.pid" ]; then
		cluster_stop "$DATA"
		say "demo cluster stopped (data kept in $DEMO; rm -rf it to start afresh)"
	else
		echo "no demo cluster is running"
	fi
}

# The installed pgkyc install scripts' fingerprint.  Before 1.0 they change
# in place, so a cluster made by another build has another schema.
schema_fingerprint() {
	cat "$("$PG_CONFIG" --sharedir)"/extension/kyc_*.sql | sha256sum | cut -d' ' -f1
}

# renew_if_stale DATA BASE_PORT STAMP: a cluster whose pgkyc was installed
# by another build (STAMP holds the fingerprint it was made with) is moved
# aside to DATA.stale; then, if there is none, a fresh one is made.
renew_if_stale() {
	local data=$1 stamp=$3 now
	now=$(schema_fingerprint)
	if [ -f "$data/PG_VERSION" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$now" ]; then
		say "the cluster in $data was made by another build of pgkyc, with another schema:" \
			"moving it to $data.stale and starting afresh"
		cluster_stop "$data"
		rm -rf "$data.stale"
		mv "$data" "$data.stale"
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		cluster_init "$data" "$(free_port "$2")"
		echo "$now" >"$stamp"
	fi
}

start() {
	ensure_packages
	build_and_install
	mkdir -p "$DEMO"
	give_to_cluster_user "$DEMO"
	if ! as_cluster_user test -w "$DEMO"; then
		echo "the cluster user $(cluster_user) cannot write $DEMO; clone pgkyc somewhere it can reach" >&2
		exit 1
	fi
	renew_if_stale "$DATA" 55432 "$DEMO/pgkyc.fingerprint"
	[ -f "$DATA/postmaster.pid" ] || cluster_start "$DATA"
	PORT=$(cluster_port "$DATA")
	export PGHOST=$DEMO PGPORT=$PORT PGUSER=postgres
	say "provisioning every service database"
	bash "$REPO/scripts/provision.sh"
	demo_subscription
	scenario
	echo
	say "the demo cluster keeps running. Connect with:"
	echo "    psql -h $DEMO -p $PORT -U onboarding_user onboarding"
	echo "Stop it with: make demo-stop"
}

# make test: what make demo does, on a throwaway cluster, twice, the
# second time after a restart as make demo-stop and make demo do it.
check() {
	local run
	WORK=$(work_dir demo)
	DATA=$WORK/data
	trap 'cluster_stop "$DATA"; rm -rf "$WORK"' EXIT
	renew_if_stale "$DATA" 55532 "$WORK/pgkyc.fingerprint"
	export PGHOST=$WORK PGPORT=$(sed -n "s/^port = \([0-9]*\)/\1/p" "$DATA/postgresql.conf") PGUSER=postgres
	for run in 1 2; do
		cluster_stop "$DATA"
		cluster_start "$DATA"
		export PGPORT=$(cluster_port "$DATA")
		bash "$REPO/scripts/provision.sh" >/dev/null
		demo_subscription
		say "demo run $run"
		scenario
	done
	# A cluster left by an older build (another fingerprint) is moved aside,
	# not reused with its old schema.
	echo "an older build" >"$WORK/pgkyc.fingerprint"
	renew_if_stale "$DATA" 55532 "$WORK/pgkyc.fingerprint"
	if [ ! -f "$DATA.stale/PG_VERSION" ] || [ ! -f "$DATA/PG_VERSION" ] ||
		[ "$(cat "$WORK/pgkyc.fingerprint")" != "$(schema_fingerprint)" ]; then
		echo "a demo cluster of an older build was reused instead of renewed" >&2
		exit 1
	fi
}

# This run's cases, by name.  Case NAME gets the partner reference
# $ref_prefix-N, N its place here; each run of the scenario draws a new
# prefix, so it makes new cases.
CASES=(individual early corporate listed)

# The psql variables every step gets: mark, and for each case NAME of this
# run :NAME_ref, its partner reference, and once it exists :NAME, its id.
step_vars() {
	local i n id
	vars=(-v mark="$mark")
	for i in "${!CASES[@]}"; do
		vars+=(-v "${CASES[i]}_ref=$ref_prefix-$((i + 1))")
	done
	while IFS='|' read -r n id; do
		vars+=(-v "${CASES[n - 1]}=$id")
	done < <(psql -X -At -d onboarding -v prefix="$ref_prefix-" <<'SQL'
SELECT substr(partner_reference_id, length(:'prefix') + 1), case_id FROM kyc_onboarding.onboarding_cases
WHERE partner_id = 'acme-bank' AND starts_with(partner_reference_id, :'prefix')
SQL
	)
}

# step ROLE DB: run the SQL on stdin in DB as ROLE, stopping at the first
# error the step does not expect.
step() {
	step_vars
	"${PSQL[@]}" -U "$1" -d "$2" "${vars[@]}"
}

# wait_for DB QUERY WHAT: poll QUERY in DB (as postgres) until it returns t;
# fail, saying WHAT did not happen, after 30 s.
wait_for() {
	local i
	step_vars
	for i in $(seq 150); do
		[ "$(psql -X -At -d "$1" "${vars[@]}" <<<"$2")" = t ] && return 0
		sleep 0.2
	done
	echo "demo: $3 within 30 s" >&2
	return 1
}

# The id of this run's case NAME.
case_of() {
	step_vars
	psql -X -At -d onboarding "${vars[@]}" <<<"SELECT :'$1'"
}

# documents NAME SAYS TYPE...: in document_service, as document_user, a
# document of each TYPE registered for case NAME and verified by
# analyst-jane, as SAYS (the step's narration) says.
documents() {
	local name=$1 says=$2
	shift 2
	"${PSQL[@]}" -U document_user -d document_service -v case_id="$(case_of "$name")" -v says="$says" \
		-v types="{$(IFS=,; echo "$*")}" <<'SQL'
\pset footer off
\echo
\echo :says
SET kyc.actor = 'analyst-jane';
SELECT kyc_document.verify_document(kyc_document.register_document(:'case_id', t, lower(t) || '.pdf', 'application/pdf',
		   100000 + 4096 * n, encode(sha256(convert_to(:'case_id' || t, 'UTF8')), 'hex'),
		   's3://kyc-docs/' || :'case_id' || '/' || lower(t) || '.pdf'), 'analyst-jane')
FROM unnest(:'types'::text[]) WITH ORDINALITY AS d(t, n) \g /dev/null
SELECT document_type, status, reviewer, left(sha256, 16) || '...' AS sha256 FROM kyc_document.documents
WHERE case_id = :'case_id' ORDER BY uploaded_at, document_type;
SQL
}

# The demo's partner: partners are the database owner's to write.  In
# notification_service it gets a webhook URL and a secret (shown to no one
# here: the secret is handed to the partner once).
demo_subscription() {
	"${PSQL[@]}" -d onboarding -c "INSERT INTO kyc_onboarding.partners (partner_id, name)
		VALUES ('acme-bank', 'Acme Bank plc') ON CONFLICT (partner_id) DO NOTHING"
	"${PSQL[@]}" -d notification_service -At \
		-c "SELECT kyc_notification.set_partner('acme-bank', 'https://hooks.acme-bank.example/kyc', 'en')" \
		-c "SELECT kyc_notification.rotate_webhook_secret('acme-bank') IS NOT NULL" >/dev/null
}

# The story, one step at a time, each step in the database and as the
# service role it names, about the cases this run creates: a clean
# individual, a case submitted too early, a company, and an applicant
# close to a watch-list entry.  Every case reaches its decision through the
# relay, as in production: checklist_service and risk_service work from
# onboarding's events, and their results bring each case to review.
scenario() {
	ref_prefix=ACME-$(((RANDOM << 15) | RANDOM))
	# Where this run's audit entries start: the log keeps every earlier run's.
	mark=$(psql -X -At -d auditlog_service -c "SELECT coalesce(max(entry_seq), 0) FROM kyc_auditlog.audit_log_entries")
	step onboarding_user onboarding <<'SQL'
\pset footer off
\set SHOW_CONTEXT never
\echo
\echo '[onboarding, as onboarding_user] 1. A partner sends an individual applicant: one call creates the case, the applicant and the address.'
\echo '    (kyc.actor names who acts; every event and audit entry records it. partner-api, analyst-jane, reviewer-bob'
\echo '    and mlro-carol are made-up users. A session that sets kyc.actor decides only as that actor.)'
SET kyc.actor = 'partner-api';
SELECT kyc_onboarding.create_case('Individual', 'acme-bank', :'individual_ref',
	'{"first_name": "Oliver", "last_name": "Bennett", "date_of_birth": "1990-04-02",
	  "email": "oliver.bennett@example.co.uk", "phone_number": "+447700900123", "nationality": "GB",
	  "addresses": [{"type": "Residential", "street": "4 Mill Lane", "city": "Leeds",
					 "postal_code": "LS1 4AP", "country": "GB", "is_primary": true}]}') AS individual \gset
SELECT case_id, type, status, partner_id, partner_reference_id, created_at
FROM kyc_onboarding.onboarding_cases WHERE case_id = :'individual';
SELECT payload->>'partner_name' AS partner_name FROM kyc_events.outbox WHERE aggregate_id = :'individual' AND topic = 'case.created';

\echo '[onboarding, as onboarding_user] 2. The transaction wrote its events to the outbox, and rang the kyc_events doorbell once at commit.'
SELECT id, xid, topic, aggregate_id, headers->>'actor' AS actor FROM kyc_events.outbox WHERE aggregate_id = :'individual' ORDER BY id;
\echo '    (ids are not consecutive: every captured row change, an audit.recorded event for the audit log, takes an id'
\echo '    from the same sequence, as do other transactions and rolled-back ones. The relay orders by (xid, id); gaps mean nothing.)'

\echo
\echo '[onboarding, as onboarding_user] 3. Bad input is refused with a clear error and a hint:'
\set ON_ERROR_STOP 0
UPDATE kyc_onboarding.applicants SET phone_number = '07700 900123' WHERE case_id = :'individual';
\set ON_ERROR_STOP 1
\echo '    SQLSTATE' :LAST_ERROR_SQLSTATE
-- (Each refusal is checked: without the expected error, \gset gets no row and the step fails.)
SELECT true AS refused WHERE :ERROR AND :'LAST_ERROR_SQLSTATE' = '23514' \gset

\echo
\echo '[onboarding, as onboarding_user] 4. An analyst (analyst-jane) starts work on the case. The other services take it from here, through the relay.'
SET kyc.actor = 'analyst-jane';
SELECT case_id, status, status_changed_by FROM kyc_onboarding.transition(:'individual', 'InProgress', 'analyst-jane');

\echo
\echo '[onboarding, as onboarding_user] 5. Meanwhile a second applicant, Sam Carter, arrives with a name only, and analyst-jane submits that case'
\echo '    for review at once, by hand:'
SET kyc.actor = 'partner-api';
SELECT kyc_onboarding.create_case('Individual', 'acme-bank', :'early_ref',
	'{"first_name": "Sam", "last_name": "Carter"}') AS early \gset
SET kyc.actor = 'analyst-jane';
SELECT status FROM kyc_onboarding.transition(:'early', 'InProgress', 'analyst-jane') \g /dev/null
SELECT case_id, status, status_changed_by, checklist_status, risk_level, submitted_at
FROM kyc_onboarding.transition(:'early', 'PendingReview', 'analyst-jane');
\echo '[onboarding, as onboarding_user] 6. A reviewer (reviewer-bob) cannot approve it: approve() needs a complete checklist and a risk result, and DETAIL lists what is missing:'
SET kyc.actor = 'reviewer-bob';
\set ON_ERROR_STOP 0
SELECT case_status FROM kyc_onboarding.approve(:'early', 'reviewer-bob', 'looks fine');
\set ON_ERROR_STOP 1
\echo '    SQLSTATE' :LAST_ERROR_SQLSTATE
SELECT true AS refused WHERE :ERROR AND :'LAST_ERROR_SQLSTATE' = '55000' \gset
\echo '    Nor can transition() approve a case, bypassing those checks; the hint names the decision function:'
\set ON_ERROR_STOP 0
SELECT status FROM kyc_onboarding.transition(:'early', 'Approved', 'reviewer-bob');
\set ON_ERROR_STOP 1
\echo '    SQLSTATE' :LAST_ERROR_SQLSTATE
SELECT true AS refused WHERE :ERROR AND :'LAST_ERROR_SQLSTATE' = '23514' \gset
\echo '[onboarding, as onboarding_user] 7. reviewer-bob sends it back: request_information() returns it to InProgress, where the partner completes it,'
\echo '    and the workflow leaves it there until someone submits it again.'
SELECT decision, reviewer, notes, case_status
FROM kyc_onboarding.request_information(:'early', 'reviewer-bob', 'nationality, address and identity documents missing');
SELECT status, status_changed_by, awaiting_information FROM kyc_onboarding.onboarding_cases WHERE case_id = :'early';
SQL
	wait_for checklist_service "SELECT EXISTS (SELECT FROM kyc_checklist.checklist_items WHERE case_id = :'individual'
		AND code = 'sanctions_pep_screening' AND status = 'Completed')" \
		"checklist_service did not make $(case_of individual)'s checklist, or complete its screening item"
	step checklist_user checklist_service <<'SQL'
\pset footer off
\echo
\echo '[checklist_service, as checklist_user] 8. checklist_service made the first case''s checklist by itself, from case.created (the Individual template),'
\echo '    and risk_service''s risk.screening_completed already completed the screening item:'
SELECT "order", code, is_required, status, completed_by FROM kyc_checklist.checklist_items
WHERE case_id = :'individual' ORDER BY "order";
SQL
	wait_for risk_service "SELECT EXISTS (SELECT FROM kyc_risk.risk_assessments WHERE case_id = :'individual' AND status = 'Completed')" \
		"risk_service did not complete $(case_of individual)'s assessment"
	step risk_user risk_service <<'SQL'
\pset footer off
\echo
\echo '[risk_service, as risk_user] 9. risk_service screened the applicant''s names and scored the case by itself, from case.created and applicant.updated'
\echo '    (every factor type an Individual needs: Sanctions, PEP, Geography):'
SELECT case_type, status, risk_score, overall_risk_level, manual_review FROM kyc_risk.risk_assessments WHERE case_id = :'individual';
SELECT type, score, source, description FROM kyc_risk.risk_factors WHERE case_id = :'individual' ORDER BY type;
\echo '    Its results are events, which the relay carries to checklist_service and onboarding; risk.subjects_applied'
\echo '    tells onboarding which of its events (step 2) the result reflects:'
SELECT topic, payload->>'level' AS level, payload->>'score' AS score, payload->>'manual_review' AS manual_review,
	   CASE topic WHEN 'risk.screening_completed' THEN 'names screened: ' || (payload->'names')::text
				  WHEN 'risk.subjects_applied' THEN format('applied onboarding''s %s (event %s)', payload->>'topic', payload->>'event_id')
	   END AS about
FROM kyc_events.outbox WHERE aggregate_id = :'individual' AND topic LIKE 'risk.%' ORDER BY id;
SQL
	documents individual '[document_service, as document_user] 10. The applicant uploads a passport, a bank statement and a tax return; analyst-jane verifies them:' \
		Passport BankStatement TaxReturn
	step document_user document_service <<'SQL'
\pset footer off
\echo '    Each upload and verification is an event, with the case''s document counts:'
SELECT topic, payload->>'document_type' AS document_type, payload->'counts' AS counts
FROM kyc_events.outbox WHERE aggregate_id = :'individual' ORDER BY id;
SQL
	wait_for checklist_service "SELECT status = 'Completed' FROM kyc_checklist.checklists WHERE case_id = :'individual'" \
		"the checklist of $(case_of individual) did not complete from the verified documents"
	step checklist_user checklist_service <<'SQL'
\pset footer off
\echo
\echo '[checklist_service, as checklist_user] 11. The relay delivered document.verified: the matching items completed themselves, the counts followed'
\echo '    in O(1), and the checklist is Completed (checklist.completed goes back to onboarding):'
SELECT code, status, completed_by FROM kyc_checklist.checklist_items WHERE case_id = :'individual' ORDER BY "order";
SELECT c.status, c.completion_percentage, t.required_completion_percentage AS required_percentage,
	   c.completed_items, c.total_items, c.completed_required_items, c.required_items
FROM kyc_checklist.checklists c JOIN kyc_checklist.checklist_templates t USING (type) WHERE c.case_id = :'individual';
SQL
	wait_for onboarding "SELECT status = 'PendingReview' FROM kyc_onboarding.onboarding_cases WHERE case_id = :'individual'" \
		"$(case_of individual) was not submitted for review by the workflow"
	step onboarding_user onboarding <<'SQL'
\pset footer off
\echo
\echo '[onboarding, as onboarding_user] 12. Its checklist complete and its risk assessed, the case submitted itself for review:'
SELECT status, status_changed_by, status_reason, checklist_status, risk_level, risk_score, requires_manual_review, submitted_at
FROM kyc_onboarding.onboarding_cases WHERE case_id = :'individual';
\echo '[onboarding, as onboarding_user] 13. A reviewer (reviewer-bob) approves it. At risk level Low one approval decides:'
SET kyc.actor = 'reviewer-bob';
SELECT decision, reviewer, risk_level, requires_manual_review, approval_number, approvals_needed, case_status
FROM kyc_onboarding.approve(:'individual', 'reviewer-bob', 'identity, address and source of funds verified; no screening match');
SELECT status, status_changed_by, approved_at FROM kyc_onboarding.onboarding_cases WHERE case_id = :'individual';

\echo
\echo '[onboarding, as onboarding_user] 14. The partner sends a company: its director as the applicant, the company''s name and industry,'
\echo '    and its beneficial owner. analyst-jane starts work on it.'
SET kyc.actor = 'partner-api';
SELECT kyc_onboarding.create_case('Corporate', 'acme-bank', :'corporate_ref',
	'{"first_name": "Priya", "last_name": "Shah", "date_of_birth": "1982-09-14", "nationality": "GB",
	  "email": "priya.shah@northwind.example.com",
	  "addresses": [{"type": "Business", "street": "10 Canal Street", "city": "Manchester",
					 "postal_code": "M1 3HE", "country": "GB", "is_primary": true}]}',
	'{"company_name": "Northwind Software Ltd", "industry_code": "software",
	  "beneficial_owners": [{"first_name": "James", "last_name": "Wright", "date_of_birth": "1975-06-21",
							 "nationality": "GB"}]}') AS corporate \gset
SET kyc.actor = 'analyst-jane';
SELECT status FROM kyc_onboarding.transition(:'corporate', 'InProgress', 'analyst-jane') \g /dev/null
SELECT case_id, type, company_name, industry_code, status FROM kyc_onboarding.onboarding_cases WHERE case_id = :'corporate';
SELECT role, first_name, last_name, nationality FROM kyc_onboarding.applicants WHERE case_id = :'corporate' ORDER BY role, last_name;
SQL
	wait_for checklist_service "SELECT EXISTS (SELECT FROM kyc_checklist.checklist_items WHERE case_id = :'corporate'
		AND code = 'sanctions_pep_screening' AND status = 'Completed')" \
		"checklist_service did not make $(case_of corporate)'s checklist, or complete its screening item"
	step checklist_user checklist_service <<'SQL'
\pset footer off
\echo
\echo '[checklist_service, as checklist_user] 15. Its checklist comes from the Corporate template; the screening item is done already:'
SELECT "order", code, is_required, status FROM kyc_checklist.checklist_items WHERE case_id = :'corporate' ORDER BY "order";
SQL
	wait_for risk_service "SELECT EXISTS (SELECT FROM kyc_risk.risk_assessments WHERE case_id = :'corporate' AND status = 'Completed')" \
		"risk_service did not complete $(case_of corporate)'s assessment"
	step risk_user risk_service <<'SQL'
\pset footer off
\echo
\echo '[risk_service, as risk_user] 16. risk_service screened the director, the beneficial owner and the company name, and a Corporate case'
\echo '    also needs an Industry factor, from the case''s industry_code. explain(): each factor''s weight and share of the score:'
SELECT type, level, score, weight, contribution FROM kyc_risk.explain(:'corporate') ORDER BY contribution DESC, type;
SELECT risk_score, overall_risk_level, manual_review FROM kyc_risk.risk_assessments WHERE case_id = :'corporate';
SQL
	documents corporate "[document_service, as document_user] 17. The company's documents, and the beneficial owner's passport, verified by analyst-jane:" \
		CertificateOfIncorporation ArticlesOfAssociation RegisterOfDirectors UboDeclaration Passport UtilityBill BankStatement
	wait_for onboarding "SELECT status = 'PendingReview' FROM kyc_onboarding.onboarding_cases WHERE case_id = :'corporate'" \
		"$(case_of corporate) was not submitted for review by the workflow"
	step onboarding_user onboarding <<'SQL'
\pset footer off
\echo
\echo '[onboarding, as onboarding_user] 18. The checklist completed through the relay, and the company''s case submitted itself; reviewer-bob approves it:'
SELECT status, status_changed_by, checklist_status, risk_level, risk_score, requires_manual_review
FROM kyc_onboarding.onboarding_cases WHERE case_id = :'corporate';
SET kyc.actor = 'reviewer-bob';
SELECT decision, reviewer, risk_level, approval_number, approvals_needed, case_status
FROM kyc_onboarding.approve(:'corporate', 'reviewer-bob', 'company documents and beneficial owner verified; software sector');
SQL
	step risk_user risk_service <<'SQL'
\pset footer off
\echo
\echo '[risk_service, as risk_user] 19. The compliance team adds an entry to a watch list (a made-up DEMO-SANCTIONS list here;'
\echo '    scripts/load_ofac_sdn.sql loads OFAC SDN). screen() matches a name against the lists and says why:'
SELECT CASE WHEN EXISTS (SELECT FROM kyc_risk.watchlist_entities WHERE list = 'DEMO-SANCTIONS')
			THEN 'DEMO-SANCTIONS already lists LOVELACE, Augusta Ada (added by an earlier run)'
			ELSE 'DEMO-SANCTIONS now lists LOVELACE, Augusta Ada as entity ' ||
				 kyc_risk.add_watchlist_entity('DEMO-SANCTIONS', 'person', ARRAY['LOVELACE, Augusta Ada', 'Ada King'],
											   '1985-12-10', ARRAY['GB'], 'DEMO') END AS watch_list;
SELECT list, matched_name, score, reasons->>'name_score' AS name_score, reasons->>'dob' AS dob, reasons->>'country' AS country
FROM kyc_risk.screen('Ada Lovelace', '1985-12-10', 'GB');
SQL
	step onboarding_user onboarding <<'SQL'
\pset footer off
\echo
\echo '[onboarding, as onboarding_user] 20. The partner sends Ada Lovelace, born 1985-12-10, British; analyst-jane starts work on the case:'
SET kyc.actor = 'partner-api';
SELECT kyc_onboarding.create_case('Individual', 'acme-bank', :'listed_ref',
	'{"first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "1985-12-10",
	  "email": "ada@example.co.uk", "phone_number": "+447911123456", "nationality": "GB",
	  "addresses": [{"type": "Residential", "street": "12 St James Sq", "city": "London",
					 "postal_code": "SW1Y 4LB", "country": "GB", "is_primary": true}]}') AS listed \gset
SET kyc.actor = 'analyst-jane';
SELECT case_id, status, status_changed_by FROM kyc_onboarding.transition(:'listed', 'InProgress', 'analyst-jane');
SQL
	documents listed '[document_service, as document_user] 21. Her passport, bank statement and tax return, verified by analyst-jane:' \
		Passport BankStatement TaxReturn
	wait_for onboarding "SELECT c.checklist_status = 'Completed' AND c.risk_event_id IS NOT NULL
			AND (s.risk_seen_xid, s.risk_seen_event_id) >= (s.data_xid, s.data_event_id)
		FROM kyc_onboarding.onboarding_cases c JOIN kyc_onboarding.risk_sync s USING (case_id) WHERE case_id = :'listed'" \
		"the checklist and risk results of $(case_of listed) did not reach onboarding"
	step onboarding_user onboarding <<'SQL'
\pset footer off
\echo
\echo '[onboarding, as onboarding_user] 22. Both results are in: the checklist is complete, and the risk result reflects the case''s latest data'
\echo '    (risk_sync), but risk_service asks for a manual review, so the workflow holds the case InProgress (it would have'
\echo '    submitted it with the later result):'
SELECT c.status, c.status_changed_by, c.checklist_status, c.risk_level, c.risk_score, c.requires_manual_review,
	   (s.risk_seen_xid, s.risk_seen_event_id) >= (s.data_xid, s.data_event_id) AS risk_current
FROM kyc_onboarding.onboarding_cases c JOIN kyc_onboarding.risk_sync s USING (case_id) WHERE case_id = :'listed';
SQL
	step risk_user risk_service <<'SQL'
\pset footer off
\echo
\echo '[risk_service, as risk_user] 23. Why: her name, date of birth and nationality match the entry. The match is a Sanctions factor, and the'
\echo '    sanctions_high override makes the case High and flags it for manual review. explain() shows the override that fired:'
SELECT type, score, description FROM kyc_risk.risk_factors WHERE case_id = :'listed' AND type = 'Sanctions' AND score > 0;
SELECT type, level, score, weight, contribution, overrides FROM kyc_risk.explain(:'listed') ORDER BY contribution DESC, type;
SELECT risk_score, overall_risk_level, manual_review, overrides FROM kyc_risk.risk_assessments WHERE case_id = :'listed';
SQL
	step onboarding_user onboarding <<'SQL'
\pset footer off
\set SHOW_CONTEXT never
\echo
\echo '[onboarding, as onboarding_user] 24. analyst-jane looks at the match and submits the case for review by hand:'
SET kyc.actor = 'analyst-jane';
SELECT status, status_changed_by, status_reason, submitted_at
FROM kyc_onboarding.transition(:'listed', 'PendingReview', 'analyst-jane', 'possible sanctions match: for two reviewers');
\echo '[onboarding, as onboarding_user] 25. Four eyes: who created, edited or submitted a case cannot approve it:'
SELECT actor, contribution FROM kyc_onboarding.case_contributors WHERE case_id = :'listed' ORDER BY first_at, actor;
\set ON_ERROR_STOP 0
SELECT case_status FROM kyc_onboarding.approve(:'listed', 'analyst-jane', 'reviewed the match');
\set ON_ERROR_STOP 1
\echo '    SQLSTATE' :LAST_ERROR_SQLSTATE
SELECT true AS refused WHERE :ERROR AND :'LAST_ERROR_SQLSTATE' = '42501' \gset
\echo '[onboarding, as onboarding_user] 26. A case at High risk, or flagged for manual review, needs two approvals by different reviewers.'
\echo '    reviewer-bob takes the match for a namesake and approves: approval 1 of 2, and the case stays under review.'
SET kyc.actor = 'reviewer-bob';
SELECT decision, reviewer, risk_level, requires_manual_review, approval_number, approvals_needed, case_status
FROM kyc_onboarding.approve(:'listed', 'reviewer-bob', 'common name; taken for a namesake');
SELECT status FROM kyc_onboarding.onboarding_cases WHERE case_id = :'listed';
\echo '[onboarding, as onboarding_user] 27. The second reviewer, the compliance officer mlro-carol, finds the entry''s date of birth and nationality'
\echo '    are the applicant''s too, and rejects the case as a true match:'
SET kyc.actor = 'mlro-carol';
SELECT decision, reviewer, notes, case_status
FROM kyc_onboarding.reject(:'listed', 'mlro-carol', 'true match: name, date of birth and nationality match DEMO-SANCTIONS LOVELACE, Augusta Ada');
SELECT status, status_changed_by, rejected_at FROM kyc_onboarding.onboarding_cases WHERE case_id = :'listed';
\echo '[onboarding, as onboarding_user] 28. Its whole story is in the outbox, in (xid, id) order, and every service that subscribes gets it:'
SELECT id, topic, payload->>'status' AS status, payload->>'from_status' AS from_status,
	   coalesce(payload->>'decision', array_to_string(ARRAY(SELECT jsonb_array_elements_text(payload->'changed_columns')), ', ')) AS what,
	   headers->>'actor' AS actor
FROM kyc_events.outbox WHERE aggregate_id = :'listed' AND topic LIKE 'case.%' ORDER BY xid, id;
SQL
	wait_for projections_api "SELECT count(*) > 0 FROM kyc_projections.onboarding_case_projections
		WHERE case_id = :'listed' AND status = 'Rejected'" \
		"the relay did not deliver $(case_of listed)'s rejection to projections_api"
	step projections_user projections_api <<'SQL'
\pset footer off
\echo
\echo '[projections_api, as projections_user] 29. Meanwhile the relay worker of projections_api, woken by the doorbell, applied every'
\echo '    service''s events to the read model (kyc_projections), one row per case, each source writing its own columns:'
SELECT case_id, status, applicant_first_name || ' ' || applicant_last_name AS applicant, risk_level,
	   checklist_status, verified_document_count AS docs_verified, completed_steps || '/' || total_steps AS steps,
	   progress_percentage AS progress, requires_manual_review AS manual_review
FROM kyc_projections.onboarding_case_projections
WHERE case_id IN (:'individual', :'early', :'corporate', :'listed') ORDER BY case_id;
\echo '    The compliance rules, one note per line:'
SELECT case_id, has_compliance_issues, compliance_notes
FROM kyc_projections.onboarding_case_projections
WHERE case_id IN (:'individual', :'early', :'corporate', :'listed') AND has_compliance_issues ORDER BY case_id;
\echo '    A browser list refreshes from LISTEN kyc_projections and changes_since(cursor); the last changes:'
SELECT case_id, status, last_event, change_seq
FROM kyc_projections.changes_since(0)
WHERE case_id IN (:'individual', :'early', :'corporate', :'listed') ORDER BY change_seq DESC LIMIT 4;
\echo '[projections_api, as projections_user] 30. Its subscription, as the service sees it (a password would be masked):'
SELECT name, source, topics, state, position_id, applied, lag_events, dead_letters
FROM kyc_events.subscriptions;
SQL
	wait_for notification_service "SELECT count(*) > 0 FROM kyc_notification.notifications
		WHERE case_id = :'listed' AND type = 'DecisionMade' AND channel = 'Webhook'" \
		"the relay did not deliver $(case_of listed)'s rejection to notification_service"
	step notification_user notification_service <<'SQL'
\pset footer off
\echo
\echo '[notification_service, as notification_user] 31. From the same events notification_service queued the applicants'' e-mails and'
\echo '    Acme Bank''s webhooks, rendered from templates, one per event and channel:'
SELECT case_id, type, channel, split_part(recipient, '@', 1) || CASE WHEN channel = 'Email' THEN '@...' ELSE '' END AS recipient,
	   priority, status
FROM kyc_notification.notifications
WHERE case_id IN (:'individual', :'early', :'corporate', :'listed') AND type IN ('Welcome', 'DecisionMade')
ORDER BY case_id, created_at, channel;
\echo '    The rejection e-mail to Ada Lovelace:'
SELECT subject, content FROM kyc_notification.notifications
WHERE case_id = :'listed' AND type = 'DecisionMade' AND channel = 'Email';
\echo '    A sender claims webhooks (FOR UPDATE SKIP LOCKED, a 30-second lease), each body signed with the partner''s secret,'
\echo '    which notification_user cannot read; it posts them and marks them sent:'
SELECT type, case_id, left(content, 60) || '...' AS body, left(signature, 28) || '...' AS signature
FROM kyc_notification.claim('Webhook', 100, 'demo-sender', '30 seconds')
WHERE case_id IN (:'individual', :'early', :'corporate', :'listed') AND type = 'DecisionMade';
SELECT count(kyc_notification.mark_sent(id, 'demo-sender', 'demo-' || id)) AS marked_sent
FROM kyc_notification.notifications WHERE locked_by = 'demo-sender';
\echo '    The queue at a glance:'
SELECT jsonb_pretty(kyc_notification.stats() - 'as_of' - 'last_hour') AS stats;
SQL
	wait_for auditlog_service "SELECT count(*) > 0 FROM kyc_auditlog.audit_log_entries WHERE entry_seq > :mark
		AND case_id = :'listed' AND entity_type = 'kyc_onboarding.case_decisions' AND action = 'Reject'" \
		"the audit log did not record $(case_of listed)'s rejection"
	step auditlog_user auditlog_service <<'SQL'
\pset footer off
\echo
\echo '[auditlog_service, as auditlog_user] 32. Every change this run made to the cases, in every service database, was captured, relayed and'
\echo '    recorded as a hashed, append-only audit entry:'
SELECT entity_type, action, count(*) AS entries, string_agg(DISTINCT user_id, ', ') AS users
FROM kyc_auditlog.audit_log_entries
WHERE entry_seq > :mark AND case_id IN (:'individual', :'early', :'corporate', :'listed')
GROUP BY entity_type, action ORDER BY entity_type, action;
\echo '    Decisions are recorded as Approve and Reject: the decision itself, and the case it decided:'
SELECT entry_seq, case_id, entity_type, action, user_id, left(integrity_hash, 16) || '...' AS integrity_hash
FROM kyc_auditlog.audit_log_entries
WHERE entry_seq > :mark AND case_id IN (:'individual', :'early', :'corporate', :'listed') AND action IN ('Approve', 'Reject')
ORDER BY entry_seq;
\echo '[auditlog_service, as auditlog_user] 33. seal() puts every entry not yet sealed (from this run and any before) into a hash-chained Merkle block;'
\echo '    pg_cron also seals each minute:'
SELECT kyc_auditlog.seal() AS entries_sealed;
\echo '    The digest to keep outside the database:'
SELECT kyc_auditlog.digest() AS digest \gset
\pset format unaligned
\pset tuples_only on
SELECT jsonb_pretty(:'digest'::jsonb - 'system_identifier');
\pset tuples_only off
\pset format aligned
\echo '[auditlog_service, as auditlog_user] 34. verify() recomputes every row hash, Merkle root and link against the digest, and returns a row per problem:'
SELECT CASE WHEN count(*) = 0 THEN 'intact: no problem found'
			ELSE count(*) || ' problems: ' || string_agg(v::text, '; ') END AS verified
FROM kyc_auditlog.verify(:'digest') v;
SQL
	echo
	say "[every service database] each has its own outbox and least-privilege role:"
	for db in checklist_service risk_service auditlog_service projections_api notification_service document_service; do
		printf '    %-22s %s\n' "$db" "$(psql -X -At -d "$db" -c "SELECT 'kyc_events ' || extversion || ', outbox rows: ' || (SELECT count(*) FROM kyc_events.outbox) FROM pg_extension WHERE extname = 'kyc_events'")"
	done
}

case "${1:-start}" in
	start) start ;;
	stop) stop ;;
	check) check ;;
	*) echo "usage: $0 start|stop|check" >&2; exit 2 ;;
esac
