#!/usr/bin/env bash
# make demo / make demo-stop: a persistent local pgkyc cluster under .demo/
# and a narrated scenario across its service databases.  Each run tells its
# own story, about the case it creates, so it can be run again and again.
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
	PORT=$(sed -n "s/^port = \([0-9]*\)/\1/p" "$DATA/postgresql.conf" | tail -n 1)
	[ -f "$DATA/postmaster.pid" ] || cluster_start "$DATA"
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

# wait_for DB QUERY WHAT: poll QUERY in DB (as postgres) until it returns t;
# fail, saying WHAT did not happen, after 15 s.
wait_for() {
	local i
	for i in $(seq 75); do
		[ "$(psql -X -At -d "$1" -v case_id="$case_id" -v mark="${mark:-0}" <<<"$2")" = t ] && return 0
		sleep 0.2
	done
	echo "demo: $3 within 15 s" >&2
	return 1
}

# A stand-in consumer until kyc_projections lands: a feed table in
# projections_api, fed by the relay from the onboarding database, that
# projections_user reads.
demo_subscription() {
	# The demo's partner: partners are the database owner's to write.
	"${PSQL[@]}" -d onboarding -c "INSERT INTO kyc_onboarding.partners (partner_id, name)
		VALUES ('acme-bank', 'Acme Bank plc') ON CONFLICT (partner_id) DO NOTHING"
	"${PSQL[@]}" -d projections_api -v src="host=$PGHOST port=$PGPORT dbname=onboarding user=kyc_relay" <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS demo;
CREATE TABLE IF NOT EXISTS demo.case_feed (
	received_at timestamptz DEFAULT clock_timestamp(), source_id bigint, topic text,
	case_id text, status text, emitted_at timestamptz);
CREATE OR REPLACE FUNCTION demo.on_case_event(e kyc_events.event) RETURNS void LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ INSERT INTO demo.case_feed (source_id, topic, case_id, status, emitted_at)
	  VALUES (e.id, e.topic, e.aggregate_id, e.payload->>'status', e.created_at) $$;
REVOKE ALL ON FUNCTION demo.on_case_event(kyc_events.event) FROM PUBLIC;
GRANT USAGE ON SCHEMA demo TO projections_user;
GRANT SELECT ON demo.case_feed TO projections_user;
SELECT kyc_events.subscribe('demo_case_feed', :'src', '{case.*}', 'demo.on_case_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'demo_case_feed') \g /dev/null
SQL
}

# The story, one step at a time, each step in the database and as the
# service role it names, about the case this run creates.
scenario() {
	local casefile
	casefile=$(mktemp)
	# Where this run's audit entries start: the log keeps every earlier run's.
	mark=$(psql -X -At -d auditlog_service -c "SELECT coalesce(max(entry_seq), 0) FROM kyc_auditlog.audit_log_entries")
	case_id=
	"${PSQL[@]}" -U onboarding_user -d onboarding -v casefile="$casefile" <<'SQL'
\pset footer off
\set SHOW_CONTEXT never
\echo
\echo '[onboarding, as onboarding_user] 1. A partner submits an individual applicant: one call creates the case, the applicant and the address.'
\echo '    (kyc.actor names who acts; every event and audit entry records it. partner-api, analyst-jane and reviewer-bob are made-up users.)'
SET kyc.actor = 'partner-api';
SELECT kyc_onboarding.create_case('Individual', 'acme-bank', 'ACME-' || (floor(random() * 1e6))::int,
	'{"first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "1985-12-10",
	  "email": "ada@example.co.uk", "phone_number": "+447911123456", "nationality": "GB",
	  "addresses": [{"type": "Residential", "street": "12 St James Sq", "city": "London",
					 "postal_code": "SW1Y 4LB", "country": "GB", "is_primary": true}]}') AS case_id \gset
\o :casefile
\qecho :case_id
\o
SELECT case_id, type, status, partner_id, created_at FROM kyc_onboarding.onboarding_cases WHERE case_id = :'case_id';
SELECT payload->>'partner_name' AS partner_name FROM kyc_events.outbox WHERE aggregate_id = :'case_id' AND topic = 'case.created';

\echo '[onboarding, as onboarding_user] 2. The transaction wrote its events to the outbox, and rang the kyc_events doorbell once at commit.'
SELECT id, xid, topic, aggregate_id, headers->>'actor' AS actor FROM kyc_events.outbox WHERE aggregate_id = :'case_id' ORDER BY id;
\echo '    (ids are not consecutive: every captured row change, an audit.recorded event for the audit log, takes an id'
\echo '    from the same sequence, as do other transactions and rolled-back ones. The relay orders by (xid, id); gaps mean nothing.)'

\echo
\echo '[onboarding, as onboarding_user] 3. Bad input is refused with a clear error and a hint:'
\set ON_ERROR_STOP 0
UPDATE kyc_onboarding.applicants SET phone_number = '07911 123456'
 WHERE case_id = :'case_id';
\echo '    SQLSTATE' :LAST_ERROR_SQLSTATE
\set ON_ERROR_STOP 1

\echo
\echo '[onboarding, as onboarding_user] 4. An analyst (analyst-jane) starts work, then submits the case for review.'
SET kyc.actor = 'analyst-jane';
SELECT status, status_changed_by, submitted_at FROM kyc_onboarding.transition(:'case_id', 'InProgress', 'analyst-jane');
SELECT status, status_changed_by, submitted_at FROM kyc_onboarding.transition(:'case_id', 'PendingReview', 'analyst-jane');

\echo '[onboarding, as onboarding_user] 5. Approving a new case straight from Draft is not allowed; the hint lists the allowed next states:'
SELECT kyc_onboarding.create_case('Corporate', 'acme-bank') AS other_case \gset
\set ON_ERROR_STOP 0
SELECT kyc_onboarding.transition(:'other_case', 'Approved', 'reviewer-bob');
\echo '    SQLSTATE' :LAST_ERROR_SQLSTATE
\set ON_ERROR_STOP 1

\echo
\echo '[onboarding, as onboarding_user] 6. A reviewer (reviewer-bob) approves; the trigger stamps approved_at from the server clock.'
SET kyc.actor = 'reviewer-bob';
SELECT status, status_changed_by, status_reason, approved_at
FROM kyc_onboarding.transition(:'case_id', 'Approved', 'reviewer-bob', 'identity and address verified');

\echo '[onboarding, as onboarding_user] 7. The outbox now holds the whole story of the case, in (xid, id) order, ready for the relay:'
SELECT id, xid, topic, payload->>'status' AS status, payload->>'from_status' AS from_status,
	   headers->>'actor' AS actor
FROM kyc_events.outbox WHERE aggregate_id = :'case_id' ORDER BY xid, id;
SQL
	case_id=$(cat "$casefile")
	rm -f "$casefile"
	[ -n "$case_id" ]
	wait_for projections_api "SELECT count(*) > 0 FROM demo.case_feed WHERE case_id = :'case_id' AND status = 'Approved'" \
		"the relay did not deliver $case_id's approval to projections_api"
	"${PSQL[@]}" -U projections_user -d projections_api -v case_id="$case_id" <<'SQL'
\pset footer off
\echo
\echo '[projections_api, as projections_user] 8. Meanwhile the relay worker of projections_api, woken by the doorbell, delivered the case events exactly once, in commit order:'
SELECT source_id, topic, case_id, status,
	   round(extract(epoch FROM received_at - emitted_at) * 1000, 1) AS ms_after_emit
FROM demo.case_feed WHERE case_id = :'case_id' ORDER BY received_at;
\echo '[projections_api, as projections_user] 9. Its subscription, as the service sees it (a password would be masked):'
SELECT name, source, topics, state, position_id, applied, lag_events, dead_letters
FROM kyc_events.subscriptions;
SQL
	wait_for auditlog_service "SELECT count(*) > 0 FROM kyc_auditlog.audit_log_entries WHERE entry_seq > :mark AND new_values::text LIKE '%\"Approved\"%'" \
		"the audit log did not record $case_id's approval"
	"${PSQL[@]}" -U auditlog_user -d auditlog_service -v case_id="$case_id" -v mark="$mark" <<'SQL'
\pset footer off
\echo
\echo '[auditlog_service, as auditlog_user] 10. Every change this run made to the onboarding tables was captured, relayed and recorded as a hashed, append-only audit entry:'
SELECT entry_seq, entity_type, action, user_id, left(integrity_hash, 16) || '...' AS integrity_hash
FROM kyc_auditlog.audit_log_entries WHERE entry_seq > :mark ORDER BY entry_seq;
\echo '[auditlog_service, as auditlog_user] 11. seal() puts every entry not yet sealed (from this run and any before) into a hash-chained Merkle block; pg_cron also seals each minute:'
SELECT kyc_auditlog.seal() AS entries_sealed;
\echo '    The digest to keep outside the database:'
SELECT kyc_auditlog.digest() AS digest \gset
\pset format unaligned
\pset tuples_only on
SELECT jsonb_pretty(:'digest'::jsonb - 'system_identifier');
\pset tuples_only off
\pset format aligned
\echo '[auditlog_service, as auditlog_user] 12. verify() recomputes every row hash, Merkle root and link against the digest, and returns a row per problem:'
SELECT CASE WHEN count(*) = 0 THEN 'intact: no problem found'
			ELSE count(*) || ' problems: ' || string_agg(v::text, '; ') END AS verified
FROM kyc_auditlog.verify(:'digest') v;
SQL
	"${PSQL[@]}" -U checklist_user -d checklist_service -v case_id="$case_id" <<'SQL'
\pset footer off
\echo
\echo '[checklist_service, as checklist_user] 13. The case has its KYC checklist, from the Individual template: case.created made it through the relay, and create_checklist() returns that one:'
SELECT kyc_checklist.create_checklist(:'case_id', 'Individual') IS NOT NULL AS created;
SELECT i."order", i.name, i.category, i.is_required, i.status
FROM kyc_checklist.checklist_items i JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
WHERE c.case_id = :'case_id' ORDER BY i."order";
SQL
	"${PSQL[@]}" -U document_user -d document_service -v case_id="$case_id" <<'SQL'
\pset footer off
\echo
\echo '[document_service, as document_user] 14. The applicant uploads a passport and a utility bill; a reviewer verifies both:'
SET kyc.actor = 'reviewer-bob';
SELECT kyc_document.register_document(:'case_id', 'Passport', 'passport.pdf', 'application/pdf', 184320,
	repeat('ab', 32), 's3://kyc-docs/' || :'case_id' || '/passport.pdf') AS passport \gset
SELECT kyc_document.register_document(:'case_id', 'UtilityBill', 'bill.pdf', 'application/pdf', 92160,
	repeat('cd', 32), 's3://kyc-docs/' || :'case_id' || '/bill.pdf') AS bill \gset
SELECT kyc_document.verify_document(:'passport'), kyc_document.verify_document(:'bill') \g /dev/null
SELECT document_type, status, reviewer, left(sha256, 16) || '...' AS sha256 FROM kyc_document.documents
WHERE case_id = :'case_id' ORDER BY uploaded_at;
SELECT topic, payload->>'document_type' AS document_type, payload->'counts' AS counts
FROM kyc_events.outbox WHERE aggregate_id = :'case_id' ORDER BY id;
SQL
	wait_for checklist_service "SELECT completed_items >= 2 FROM kyc_checklist.checklists WHERE case_id = :'case_id'" \
		"the checklist of $case_id did not complete its items from the verified documents"
	"${PSQL[@]}" -U checklist_user -d checklist_service -v case_id="$case_id" <<'SQL'
\pset footer off
\echo
\echo '[checklist_service, as checklist_user] 15. The relay delivered document.verified; the matching items completed themselves, and the counts followed in O(1):'
SELECT i.name, i.status, i.completed_by
FROM kyc_checklist.checklist_items i JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
WHERE c.case_id = :'case_id' AND i.status = 'Completed';
SELECT status, completion_percentage, completed_items, total_items, completed_required_items, required_items
FROM kyc_checklist.checklists WHERE case_id = :'case_id';
SQL
	"${PSQL[@]}" -U risk_user -d risk_service -v case_id="$case_id" <<'SQL'
\pset footer off
\echo
\echo '[risk_service, as risk_user] 16. Screening the applicant against the watch lists (a small made-up list here; scripts/load_ofac_sdn.sql loads OFAC SDN):'
SELECT CASE WHEN EXISTS (SELECT FROM kyc_risk.watchlist_entities WHERE list = 'DEMO-SANCTIONS')
			THEN 'DEMO-SANCTIONS already lists LOVELACE, Augusta Ada (added by an earlier run)'
			ELSE 'DEMO-SANCTIONS now lists LOVELACE, Augusta Ada as entity ' ||
				 kyc_risk.add_watchlist_entity('DEMO-SANCTIONS', 'person', ARRAY['LOVELACE, Augusta Ada', 'Ada King'],
											   '1985-12-10', ARRAY['GB'], 'DEMO') END AS watch_list;
SELECT list, matched_name, score, reasons->>'dob' AS dob, reasons->>'country' AS country
FROM kyc_risk.screen('Ada Lovelace', '1985-12-10', 'GB', 0.8);
\echo '[risk_service, as risk_user] 17. The match becomes a Sanctions factor; geography, industry and PEP complete the assessment:'
SELECT kyc_risk.screen_case(:'case_id', 'Ada Lovelace', '1985-12-10', 'GB', 0.8) AS sanctions_factors;
SELECT kyc_risk.assess_geography(:'case_id', ARRAY['GB']) IS NOT NULL AS geography,
	   kyc_risk.assess_industry(:'case_id', 'software') IS NOT NULL AS industry;
SET kyc_risk.change_reason = 'PEP screening: no match';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
VALUES (kyc_risk.open_assessment(:'case_id'), 'PEP', 0, 'No PEP match', 'screening');
RESET kyc_risk.change_reason;
SELECT case_id, risk_score, overall_risk_level, status, manual_review, overrides
FROM kyc_risk.risk_assessments WHERE case_id = :'case_id';
\echo '[risk_service, as risk_user] 18. explain(): for each factor, its weight, its share of the score, and the override that fired:'
SELECT type, level, score, weight, contribution, overrides FROM kyc_risk.explain(:'case_id') ORDER BY contribution DESC;
SELECT topic, payload->>'level' AS level, payload->>'score' AS score, payload->>'manual_review' AS manual_review
FROM kyc_events.outbox WHERE aggregate_id = :'case_id' AND topic LIKE 'risk.%' ORDER BY id;
SQL
	echo
	say "[every service database] each has its own outbox and least-privilege role:"
	for db in checklist_service risk_service auditlog_service projections_api notification_service document_service; do
		printf '    %-22s %s\n' "$db" "$(psql -X -At -d "$db" -c "SELECT 'kyc_events ' || extversion || ', outbox rows: ' || (SELECT count(*) FROM kyc_events.outbox) FROM pg_extension WHERE extname = 'kyc_events'")"
	done
	echo "    (the projection and notification consumers are next)"
}

case "${1:-start}" in
	start) start ;;
	stop) stop ;;
	check) check ;;
	*) echo "usage: $0 start|stop|check" >&2; exit 2 ;;
esac
