-- The onboarding workflow across databases (issue 12, onboarding's part):
-- partners, the new create_case() keys and event payloads, and the
-- handlers of checklist_service's and risk_service's results.  Two real
-- cases go through the relay, each step as the service role that takes it:
-- the first is InProgress when its results arrive and is submitted by the
-- last of them; the second gets its results while Draft and is submitted
-- when the partner moves it to InProgress.  Then a reopened checklist
-- item asks the reviewer's attention, and the case stays PendingReview.
-- No transaction: the relay delivers what is committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(41);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('chk', :'host' || ' dbname=checklist_service user=checklist_user');
SELECT dblink_connect('rsk', :'host' || ' dbname=risk_service user=risk_user');

\ir lib/wait_for.psql
-- One value of a query run as onboarding_user in onboarding.
CREATE FUNCTION pg_temp.onb(q text) RETURNS text LANGUAGE sql AS $$
	SELECT v FROM dblink('onb', q) AS t(v text)
$$;

---------------------------------------------------------------------------
-- Partners: the owner's to write; a case's partner must exist.
---------------------------------------------------------------------------
SELECT dblink_exec('admin', $$INSERT INTO kyc_onboarding.partners (partner_id, name)
	VALUES ('tap-bank', 'TAP Bank plc') ON CONFLICT (partner_id) DO NOTHING$$);
SELECT throws_ok($$SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Individual', 'tap-nobank', 'tap-wf-0')$q$)$$,
				 '23503', 'partner "tap-nobank" does not exist', 'a case of an unknown partner is 23503 naming it');
SELECT throws_ok($$SELECT pg_temp.onb($q$INSERT INTO kyc_onboarding.onboarding_cases (type, partner_id)
					VALUES ('Individual', 'tap-nobank') RETURNING case_id$q$)$$,
				 '23503', 'partner "tap-nobank" does not exist', 'so is a plain INSERT');
SELECT throws_ok($$SELECT dblink_exec('onb', $q$INSERT INTO kyc_onboarding.partners VALUES ('tap-own', 'Own')$q$)$$,
				 '42501', NULL, 'onboarding_user cannot add a partner');

---------------------------------------------------------------------------
-- create_case(): aliases, a company's details and beneficial owners.
---------------------------------------------------------------------------
SELECT throws_ok($$SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Corporate', 'tap-bank', NULL, NULL,
					'{"company_name": "Acme", "industy_code": "64.19"}')$q$)$$,
				 '22023', 'details has unknown key: "industy_code"', 'an unknown details key is 22023 naming it');
SELECT throws_ok($$SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Individual', 'tap-bank', NULL, NULL,
					'{"company_name": "Acme"}')$q$)$$,
				 '22023', 'an Individual case has no company_name', 'an Individual case has no company');
SELECT throws_ok($$SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Individual', 'tap-bank', NULL,
					'{"first_name": "A", "last_name": "B", "aliases": "Ada"}')$q$)$$,
				 '22023', 'applicant.aliases must be a JSON array of names, not string', 'aliases must be an array');
SELECT throws_ok($$SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Trust', 'tap-bank', NULL, NULL,
					'{"beneficial_owners": [{"first_name": "A", "last_name": "B", "nationalty": "GB"}]}')$q$)$$,
				 '22023', 'details.beneficial_owners[1] has unknown key: "nationalty"', 'a beneficial owner''s keys are checked');

SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Corporate', 'tap-bank', 'tap-wf-corp',
	'{"first_name": "Ada", "last_name": "Director", "aliases": ["Ada King", "A. D. Byron"],
	  "addresses": [{"type": "Residential", "street": "1 Main St", "city": "London", "country": "GB", "is_primary": true},
					{"type": "Mailing", "street": "2 Rue X", "city": "Paris", "country": "FR"}]}',
	'{"company_name": "Acme Widgets Ltd", "industry_code": "64.19",
	  "beneficial_owners": [{"first_name": "Bob", "last_name": "Owner", "nationality": "DE", "aliases": ["Robert Owner"]},
							{"first_name": "Carla", "last_name": "Owner"}]}')$q$) AS corp \gset
SELECT is(pg_temp.onb(format($q$SELECT company_name || '|' || industry_code FROM kyc_onboarding.onboarding_cases
		  WHERE case_id = %L$q$, :'corp')), 'Acme Widgets Ltd|64.19', 'the case keeps its company name and industry code');
SELECT is(pg_temp.onb(format($q$SELECT string_agg(role || ':' || first_name || ':' || array_to_string(aliases, ','), ' ' ORDER BY role, first_name)
		  FROM kyc_onboarding.applicants WHERE case_id = %L$q$, :'corp')),
		  'Applicant:Ada:Ada King,A. D. Byron BeneficialOwner:Bob:Robert Owner BeneficialOwner:Carla:',
		  'the applicant and the beneficial owners are stored with their roles and aliases');
SELECT throws_ok($$SELECT dblink_exec('onb', $q$UPDATE kyc_onboarding.applicants SET role = 'Owner' WHERE first_name = 'Carla'$q$)$$,
				 '23514', 'invalid role "Owner" for applicants', 'a role outside the list is 23514 naming it');

-- Payloads, from onboarding's outbox.
SELECT is(pg_temp.onb(format($q$SELECT (payload ?& ARRAY['case_id', 'type', 'status', 'partner_id', 'company_name', 'industry_code'])::text
		  || '|' || (payload->>'partner_name') FROM kyc_events.outbox WHERE aggregate_id = %L AND topic = 'case.created'$q$, :'corp')),
		  'true|TAP Bank plc', 'case.created carries the case row and partner_name');
SELECT is(pg_temp.onb(format($q$SELECT payload->>'role' || '|' || (payload->'aliases')::text || '|'
		  || (SELECT string_agg(format('%%s,%%s,%%s,%%s', a->>'type', a->>'city', a->>'country', a->>'is_primary'), ';')
			  FROM jsonb_array_elements(payload->'addresses') a)
		  FROM kyc_events.outbox WHERE aggregate_id = %L AND topic = 'applicant.updated' AND payload->>'first_name' = 'Ada'$q$, :'corp')),
		  'Applicant|["Ada King", "A. D. Byron"]|Residential,London,GB,true;Mailing,Paris,FR,false',
		  'applicant.updated carries role, aliases and every address, primary first');
SELECT is(pg_temp.onb(format($q$SELECT string_agg(payload->>'role', ',' ORDER BY payload->>'first_name')
		  FROM kyc_events.outbox WHERE aggregate_id = %L AND topic = 'applicant.updated'$q$, :'corp')),
		  'Applicant,BeneficialOwner,BeneficialOwner', 'each beneficial owner is announced too');

---------------------------------------------------------------------------
-- What only the handlers write.
---------------------------------------------------------------------------
SELECT throws_ok(format($$SELECT dblink_exec('onb', %L)$$, format($q$UPDATE kyc_onboarding.onboarding_cases
					SET checklist_status = 'Completed' WHERE case_id = %L$q$, :'corp')),
				 '42501', NULL, 'onboarding_user cannot write checklist_status');
SELECT throws_ok(format($$SELECT dblink_exec('onb', %L)$$, format($q$UPDATE kyc_onboarding.onboarding_cases
					SET requires_manual_review = false, risk_event_id = 1 WHERE case_id = %L$q$, :'corp')),
				 '42501', NULL, 'nor requires_manual_review or the bookkeeping');
SELECT throws_ok(format($$SELECT dblink_exec('onb', %L)$$, format($q$UPDATE kyc_onboarding.onboarding_cases
					SET attention_reasons = '{}' WHERE case_id = %L$q$, :'corp')),
				 '42501', NULL, 'nor attention_reasons');
SELECT is(pg_temp.onb($q$INSERT INTO kyc_onboarding.onboarding_cases (type, checklist_status, risk_event_id,
		  risk_level, requires_manual_review, attention_reasons)
		  VALUES ('Individual', 'Completed', 99, 'Low', false, '{x}')
		  RETURNING concat_ws(',', checklist_status, risk_event_id, risk_level, requires_manual_review, cardinality(attention_reasons))$q$),
		  '0', 'a case inserted with the handlers'' columns starts without them');
SELECT throws_ok($$SELECT dblink_exec('onb', $q$SELECT kyc_onboarding.on_checklist_event(NULL::kyc_events.event)$q$)$$,
				 '42501', NULL, 'onboarding_user cannot call the checklist handler');
SELECT throws_ok($$SELECT dblink_exec('onb', $q$SELECT kyc_onboarding.on_risk_event(NULL::kyc_events.event)$q$)$$,
				 '42501', NULL, 'nor the risk handler');
SELECT is(pg_temp.onb($q$SELECT string_agg(name || ':' || array_to_string(topics, ',') || ':' || handler, ' ' ORDER BY name)
		  FROM kyc_events.subscriptions WHERE name IN ('checklist_results', 'risk_results')$q$),
		  'checklist_results:checklist.completed,checklist.reopened:kyc_onboarding.on_checklist_event(kyc_events.event) '
		  'risk_results:risk.assessment_completed,risk.assessment_rescored,risk.subjects_applied:kyc_onboarding.on_risk_event(kyc_events.event)',
		  'onboarding subscribes to checklist_service''s and risk_service''s results');

---------------------------------------------------------------------------
-- The workflow through the relay.
---------------------------------------------------------------------------
-- The checklist (created here unless checklist_service made it from
-- case.created) with every item completed, as checklist_user.
CREATE FUNCTION pg_temp.complete_checklist(case_id text, type text) RETURNS void LANGUAGE sql AS $fn$
	SELECT dblink_exec('chk', format($q$DO $d$ BEGIN
		IF NOT EXISTS (SELECT FROM kyc_checklist.checklists WHERE case_id = %1$L) THEN
			PERFORM kyc_checklist.create_checklist(%1$L, %2$L);
		END IF;
	EXCEPTION WHEN unique_violation THEN NULL;	-- made meanwhile from case.created
	END $d$ $q$, case_id, type));
	SELECT dblink_exec('chk', format($q$UPDATE kyc_checklist.checklist_items i SET status = 'Completed', completed_by = 'tap-workflow'
		FROM kyc_checklist.checklists c WHERE c.id = i.checklist_id AND c.case_id = %L AND i.status = 'Pending'$q$, case_id));
$fn$;
-- The assessment completed, as risk_user: a factor of every required
-- type the assessment does not have yet.
CREATE FUNCTION pg_temp.complete_risk(case_id text) RETURNS void LANGUAGE sql AS $$
	SELECT dblink_exec('rsk', 'BEGIN');
	SELECT dblink_exec('rsk', $q$SET LOCAL kyc_risk.change_reason = 'pgTAP 30: the workflow''s risk factors'$q$);
	SELECT dblink_exec('rsk', format($q$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description)
		SELECT a, t.type, 10, 'pgTAP 30 ' || t.type FROM kyc_risk.open_assessment(%L) a, kyc_risk.factor_types t
		WHERE t.required AND NOT EXISTS (SELECT FROM kyc_risk.risk_factors f WHERE f.risk_assessment_id = a AND f.type = t.type)$q$,
		case_id));
	SELECT dblink_exec('rsk', 'COMMIT');
$$;
CREATE FUNCTION pg_temp.case_has(case_id text, cond text) RETURNS text LANGUAGE sql AS $$
	SELECT format('SELECT coalesce((SELECT v::boolean FROM dblink(%L, %L) AS t(v text)), false)', 'onb',
		format('SELECT (%s)::text FROM kyc_onboarding.onboarding_cases WHERE case_id = %L', cond, case_id))
$$;

-- Case 1: InProgress, then its checklist, then its risk.
SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Individual', 'tap-bank', 'tap-wf-1',
	'{"first_name": "Wanda", "last_name": "Flow", "nationality": "GB",
	  "addresses": [{"type": "Residential", "street": "1 Flow St", "city": "Leeds", "country": "GB", "is_primary": true}]}')$q$) AS c1 \gset
SELECT is(pg_temp.onb(format($q$SELECT status FROM kyc_onboarding.transition(%L, 'InProgress', 'tap-analyst')$q$, :'c1')),
		  'InProgress', 'case 1 is InProgress (onboarding_user)');
SELECT pg_temp.complete_checklist(:'c1', 'Individual');
SELECT ok(pg_temp.wait_for('case 1''s checklist', pg_temp.case_has(:'c1', $c$checklist_status = 'Completed'$c$), 60),
		  'checklist.completed set case 1''s checklist_status');
-- (Once risk_service completes assessments by itself, its result may
-- already be there; in every committed state the case is submitted if and
-- only if both results are.)
SELECT matches(pg_temp.onb(format($q$SELECT status || ' with risk ' || CASE WHEN risk_event_id IS NULL THEN 'pending' ELSE 'completed' END
		  || CASE WHEN status = CASE WHEN risk_event_id IS NULL THEN 'InProgress' ELSE 'PendingReview' END THEN ': right' ELSE ': wrong' END
		  FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c1')),
		  ': right$', 'a complete checklist alone does not submit the case (InProgress while risk is pending)');
SELECT pg_temp.complete_risk(:'c1');
SELECT ok(pg_temp.wait_for('case 1''s submission', pg_temp.case_has(:'c1', $c$status = 'PendingReview'$c$), 60),
		  'the completed risk assessment, arriving last, submitted case 1');
SELECT is(pg_temp.onb(format($q$SELECT concat_ws('|', status_changed_by, risk_level IS NOT NULL, risk_score IS NOT NULL,
		  requires_manual_review IS NOT NULL, checklist_status, submitted_at IS NOT NULL)
		  FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c1')),
		  'kyc_onboarding.workflow|t|t|t|Completed|t',
		  'submitted by kyc_onboarding.workflow, with the risk result and the checklist state');
-- risk_service may rescore the case once more (its own factors and the
-- test's can land in either order): the case follows the last result.
CREATE FUNCTION pg_temp.risk_agrees(case_id text) RETURNS boolean LANGUAGE sql AS $$
	SELECT pg_temp.onb(format($q$SELECT concat_ws('|', c.risk_level, c.risk_score, c.requires_manual_review)
		  FROM kyc_onboarding.onboarding_cases c WHERE case_id = %L$q$, case_id))
		 = (SELECT v FROM dblink('rsk', format($q$SELECT concat_ws('|', overall_risk_level, risk_score, manual_review)
		  FROM kyc_risk.risk_assessments WHERE case_id = %L$q$, case_id)) AS t(v text))
$$;
SELECT ok(pg_temp.wait_for('case 1''s risk columns to follow the assessment', format('SELECT pg_temp.risk_agrees(%L)', :'c1'), 60),
		  'risk_level, risk_score and requires_manual_review are the assessment''s');
SELECT is(pg_temp.onb(format($q$SELECT string_agg(concat_ws(':', payload->>'from_status', payload->>'status',
		  payload->>'status_changed_by', payload->>'partner_name'), ' ' ORDER BY id)
		  FROM kyc_events.outbox WHERE aggregate_id = %L AND topic = 'case.status_changed'$q$, :'c1')),
		  'Draft:InProgress:tap-analyst:TAP Bank plc InProgress:PendingReview:kyc_onboarding.workflow:TAP Bank plc',
		  'the submission is announced as case.status_changed, with partner_name');

-- Case 2: both results while Draft; the move to InProgress submits it.
SELECT pg_temp.onb($q$SELECT kyc_onboarding.create_case('Individual', 'tap-bank', 'tap-wf-2',
	'{"first_name": "Drafty", "last_name": "Flow", "nationality": "GB"}')$q$) AS c2 \gset
SELECT pg_temp.complete_risk(:'c2');
SELECT pg_temp.complete_checklist(:'c2', 'Individual');
SELECT ok(pg_temp.wait_for('case 2''s results', pg_temp.case_has(:'c2',
			$c$checklist_status = 'Completed' AND risk_event_id IS NOT NULL$c$), 60),
		  'both results of the Draft case 2 arrived');
SELECT is(pg_temp.onb(format($q$SELECT status FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c2')),
		  'Draft', 'a Draft case is not submitted');
SELECT lives_ok(format($$SELECT pg_temp.onb(%L)$$,
				format($q$SELECT status FROM kyc_onboarding.transition(%L, 'InProgress', 'tap-partner')$q$, :'c2')),
				'the partner moves case 2 to InProgress (onboarding_user)');
SELECT is(pg_temp.onb(format($q$SELECT status || '|' || status_changed_by FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c2')),
		  'PendingReview|kyc_onboarding.workflow', 'and the workflow submits it at once');

-- Attention: case 1's checklist reopens while it is under review.
SELECT v AS item FROM dblink('chk', format($q$SELECT i.id::text FROM kyc_checklist.checklist_items i
	JOIN kyc_checklist.checklists c ON c.id = i.checklist_id WHERE c.case_id = %L AND i.is_required
	ORDER BY i.code LIMIT 1$q$, :'c1')) AS t(v text) \gset
SELECT dblink_exec('chk', format($q$DO $d$ BEGIN PERFORM kyc_checklist.reopen_item(%L, 'pgTAP 30: document expired'); END $d$ $q$, :'item'));
SELECT ok(pg_temp.wait_for('case 1''s attention', pg_temp.case_has(:'c1', 'cardinality(attention_reasons) > 0'), 60),
		  'the reopened checklist asks the reviewer''s attention');
SELECT is(pg_temp.onb(format($q$SELECT status || '|' || checklist_status || '|' || cardinality(attention_reasons)
		  FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c1')),
		  'PendingReview|Reopened|1', 'the case stays PendingReview, its checklist Reopened, one reason');
SELECT matches(pg_temp.onb(format($q$SELECT attention_reasons[1] FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c1')),
			   '^checklist reopened: item [a-z_]+ is Pending', 'the reason names the reopened item');
SELECT is(pg_temp.onb(format($q$SELECT count(*)::text || '|' || min(payload->>'reason') || '|' || min(payload->>'status')
		  || '|' || bool_and(payload ? 'attention_reasons' AND payload ? 'partner_name')::text
		  FROM kyc_events.outbox WHERE aggregate_id = %L AND topic = 'case.attention_required'$q$, :'c1')),
		  pg_temp.onb(format($q$SELECT '1|' || attention_reasons[1] || '|PendingReview|true'
		  FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c1')),
		  'case.attention_required carries the case row and the reason');
SELECT is(pg_temp.onb(format($q$SELECT count(*)::text FROM kyc_events.outbox
		  WHERE aggregate_id = %L AND topic = 'case.status_changed' AND payload->>'status' = 'InProgress'$q$, :'c1')),
		  '1', 'the case never went back to InProgress');

-- The checklist completes again: its state follows, the reason stays.
SELECT dblink_exec('chk', format($q$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'tap-workflow'
	WHERE id = %L$q$, :'item'));
SELECT ok(pg_temp.wait_for('case 1''s checklist again', pg_temp.case_has(:'c1',
			$c$checklist_status = 'Completed' AND cardinality(attention_reasons) = 1$c$), 60),
		  'the completed checklist is Completed again; the reason stays for the reviewer');

-- Idempotent: the relay delivers case 1's checklist events again (the
-- subscription's position rewound to before the first of them, as a
-- superuser could), and nothing of the case changes, no event either.
CREATE FUNCTION pg_temp.case_state(case_id text) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.onb(format($q$SELECT concat_ws('|', status, checklist_status, checklist_event_id, risk_event_id,
		attention_reasons::text, updated_at, (SELECT count(*) FROM kyc_events.outbox WHERE aggregate_id = %1$L))
		FROM kyc_onboarding.onboarding_cases WHERE case_id = %1$L$q$, case_id))
$$;
SELECT pg_temp.case_state(:'c1') AS c1_before, pg_temp.case_state(:'c2') AS c2_before \gset
-- Rewind subscription sub (as a superuser) to before the first event of
-- case_id at its source (connection conn) whose topic starts with prefix,
-- and wait until it has applied n more events and is back where it was.
CREATE FUNCTION pg_temp.redeliver(sub text, conn text, prefix text, case_id text, n int) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
	first_xid text;
	first_id bigint;
	applied_before bigint;
	position_id bigint;
	progress text := format('SELECT applied::bigint, last_id FROM kyc_events.subscription WHERE name = %L', sub);
BEGIN
	SELECT x, i INTO first_xid, first_id FROM dblink(conn, format(
		'SELECT xid::text, id FROM kyc_events.outbox WHERE aggregate_id = %L AND starts_with(topic, %L) ORDER BY xid, id LIMIT 1',
		case_id, prefix)) AS t(x text, i bigint);
	SELECT a, i INTO applied_before, position_id FROM dblink('admin', progress) AS t(a bigint, i bigint);
	PERFORM dblink_exec('admin', format('UPDATE kyc_events.subscription SET last_xid = %L::xid8, last_id = %s WHERE name = %L',
		first_xid, first_id - 1, sub));
	RETURN pg_temp.wait_for('the redelivery of ' || sub, format(
		'SELECT a >= %s AND i >= %s FROM dblink(%L, %L) AS t(a bigint, i bigint)',
		applied_before + n, position_id, 'admin', progress), 60);
END $fn$;
SELECT ok(pg_temp.redeliver('checklist_results', 'chk', 'checklist.', :'c1', 3),
		  'the relay delivered case 1''s three checklist events again');
SELECT ok(pg_temp.redeliver('risk_results', 'rsk', 'risk.', :'c1', 2),
		  'and both cases'' risk results');
SELECT is(pg_temp.case_state(:'c1'), :'c1_before', 'the repeated events changed nothing of case 1 and emitted nothing');
SELECT is(pg_temp.case_state(:'c2'), :'c2_before', 'nor of case 2');

SELECT * FROM finish();
