-- A reviewer's decisions (issue 12): assign, approve, reject,
-- request_information and acknowledge_attention, as onboarding_user, on
-- cases that went through the real workflow (relay, checklist_service,
-- risk_service, document_service).  Every decision rule and its error;
-- four eyes (two approvals by the same person, approval by the submitter
-- or an editor); the decision moves only these functions make; the
-- events and the audit log's Approve and Reject actions.
-- No transaction: the relay delivers what is committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(61);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('rsk_admin', :'host' || ' dbname=risk_service');
SELECT dblink_connect('audit', :'host' || ' dbname=auditlog_service user=auditlog_user');
\ir lib/wait_for.psql

-- One value of query, run as onboarding_user with kyc.actor set to actor.
CREATE FUNCTION pg_temp.onb_as(actor text, query text) RETURNS text LANGUAGE sql AS $$
	SELECT dblink_exec('onb', format('SET kyc.actor = %L', actor));
	SELECT v FROM dblink('onb', query) AS t(v text)
$$;
-- The same, as a statement for throws_ok.
CREATE FUNCTION pg_temp.as_sql(actor text, query text) RETURNS text LANGUAGE sql AS $$
	SELECT format('SELECT pg_temp.onb_as(%L, %L)', actor, query)
$$;
-- SQLSTATE, message and detail of the error query raises as actor; NULL if none.
CREATE FUNCTION pg_temp.error_of(actor text, query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	state text;
	msg text;
	detail text;
BEGIN
	PERFORM pg_temp.onb_as(actor, query);
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
	RETURN concat_ws(' / ', state, msg, nullif(detail, ''));
END $$;
-- One value of query, as the onboarding database's owner.
CREATE FUNCTION pg_temp.admin(query text) RETURNS text LANGUAGE sql AS $$
	SELECT v FROM dblink('onb_admin', query) AS t(v text)
$$;
CREATE FUNCTION pg_temp.case_is(case_id text, cond text) RETURNS text LANGUAGE sql AS $$
	SELECT format('SELECT coalesce((SELECT v::boolean FROM dblink(%L, %L) AS t(v text)), false)', 'onb_admin',
		format('SELECT (%s)::text FROM kyc_onboarding.onboarding_cases WHERE case_id = %L', cond, case_id))
$$;
-- Hold or release onboarding's subscriptions to the services' results.
CREATE FUNCTION pg_temp.hold(subs text[], held boolean) RETURNS text LANGUAGE sql AS $$
	SELECT dblink_exec('onb_admin', format('UPDATE kyc_events.subscription SET enabled = %L WHERE name = ANY (%L)', NOT held, subs))
$$;

-- A partner (tap-partner) creates an individual case; an analyst
-- (tap-analyst) starts work on it; its documents are verified.
CREATE FUNCTION pg_temp.new_case(label text, first_name text, last_name text, documents boolean DEFAULT true)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	case_id text;
BEGIN
	case_id := pg_temp.onb_as('tap-partner', format($q$SELECT kyc_onboarding.create_case('Individual', NULL, %L, %L)$q$,
		'tap-decide-' || label || '-' || pg_backend_pid(), jsonb_build_object('first_name', first_name, 'last_name', last_name,
			'date_of_birth', '1979-06-21', 'nationality', 'IE',
			'addresses', jsonb_build_array(jsonb_build_object('type', 'Residential', 'street', '9 Decision Row',
				'city', 'Cork', 'country', 'IE', 'is_primary', true)))));
	PERFORM pg_temp.onb_as('tap-analyst', format($q$SELECT (kyc_onboarding.transition(%L, 'InProgress')).status$q$, case_id));
	IF documents THEN
		PERFORM pg_temp.verify_documents(case_id);
	END IF;
	RETURN case_id;
END $$;
CREATE FUNCTION pg_temp.verify_documents(case_id text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	doc text;
BEGIN
	FOREACH doc IN ARRAY ARRAY['Passport', 'BankStatement', 'TaxReturn'] LOOP
		PERFORM * FROM dblink('doc', format(
			'SELECT kyc_document.verify_document(kyc_document.register_document(%L, %L, %L, %L, 1000, %L, %L), %L)::text',
			case_id, doc, doc || '.pdf', 'application/pdf', encode(sha256(convert_to(case_id || doc, 'UTF8')), 'hex'),
			format('s3://tap/%s/%s.pdf', case_id, doc), 'tap-document-reviewer')) AS t(x text);
	END LOOP;
END $$;
CREATE FUNCTION pg_temp.decision_sql(fn text, case_id text, reviewer text, notes text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
	SELECT format('SELECT concat_ws(%L, decision, approval_number, approvals_needed, case_status) FROM kyc_onboarding.%s(%L, %L%s)',
				  ',', fn, case_id, reviewer, CASE WHEN fn = 'assign' THEN '' ELSE format(', %L', notes) END)
$$;

---------------------------------------------------------------------------
-- Case 1: a clean case the workflow submits; one approval decides it.
---------------------------------------------------------------------------
SELECT pg_temp.new_case('clean', 'Clara', 'Decided') AS c1 \gset
SELECT ok(pg_temp.wait_for('case 1''s submission', pg_temp.case_is(:'c1',
			$c$status = 'PendingReview' AND risk_level = 'Low'$c$), 60),
		  'case 1 reaches PendingReview by itself, at risk level Low');
SELECT is(pg_temp.admin(format($q$SELECT string_agg(actor || ':' || contribution, ' ' ORDER BY actor, contribution)
		  FROM kyc_onboarding.case_contributors WHERE case_id = %L$q$, :'c1')),
		  'kyc_onboarding.workflow:Submitted tap-analyst:Edited tap-partner:Edited',
		  'case_contributors: the partner created it, the analyst started it, the workflow submitted it');
SELECT throws_ok(pg_temp.as_sql('tap-partner', pg_temp.decision_sql('approve', :'c1', 'tap-partner')),
				 '42501', format('reviewer tap-partner cannot approve case %s, which they edited', :'c1'),
				 'four eyes: the partner who created the case cannot approve it');
SELECT throws_ok(pg_temp.as_sql('tap-analyst', pg_temp.decision_sql('approve', :'c1', 'tap-analyst')),
				 '42501', format('reviewer tap-analyst cannot approve case %s, which they edited', :'c1'),
				 'nor the analyst who started it');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-2', pg_temp.decision_sql('approve', :'c1', 'tap-reviewer-1')),
				 '42501', 'reviewer tap-reviewer-1 is not this session''s actor tap-reviewer-2',
				 'a session that names its actor approves only as that actor');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$SELECT (kyc_onboarding.transition(%L, 'Approved', 'tap-reviewer-1')).status$q$, :'c1')),
				 '23514', format('case %s can move from PendingReview to Approved only by a reviewer''s decision', :'c1'),
				 'transition() cannot approve: only approve() checks the rules');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$UPDATE kyc_onboarding.onboarding_cases SET status = 'Rejected'
					WHERE case_id = %L RETURNING status$q$, :'c1')),
				 '23514', format('case %s can move from PendingReview to Rejected only by a reviewer''s decision', :'c1'),
				 'nor can a plain UPDATE reject');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$SELECT (kyc_onboarding.transition(%L, 'InProgress')).status$q$, :'c1')),
				 '23514', format('case %s can move from PendingReview to InProgress only by a reviewer''s decision', :'c1'),
				 'nor send the case back: only request_information() does');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer)
					VALUES (%L, 'Escalate', 'tap-reviewer-1') RETURNING id::text$q$, :'c1')),
				 '23514', 'invalid decision "Escalate" for case_decisions', 'an unknown decision is 23514 naming it');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', pg_temp.decision_sql('approve', 'KYC-NONE', 'tap-reviewer-1')),
				 '23503', 'case "KYC-NONE" does not exist', 'a decision on an unknown case is 23503');
SELECT is(pg_temp.onb_as('tap-lead', pg_temp.decision_sql('assign', :'c1', 'tap-reviewer-1')),
		  'Assign,PendingReview', 'a team lead assigns case 1 to tap-reviewer-1');
SELECT is(pg_temp.admin(format($q$SELECT assigned_to || ',' || (assigned_at IS NOT NULL) FROM kyc_onboarding.onboarding_cases
		  WHERE case_id = %L$q$, :'c1')), 'tap-reviewer-1,true', 'assigned_to and assigned_at follow');
SELECT is(pg_temp.onb_as('tap-reviewer-1', pg_temp.decision_sql('approve', :'c1', 'tap-reviewer-1', 'identity and address verified')),
		  'Approve,1,1,Approved', 'one approval by a reviewer who did not work on it approves a Low case');
SELECT is(pg_temp.admin(format($q$SELECT concat_ws(',', status, status_changed_by, status_reason, approved_at IS NOT NULL)
		  FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c1')),
		  'Approved,tap-reviewer-1,identity and address verified,t', 'the case is Approved by the reviewer, with the notes');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-2', pg_temp.decision_sql('approve', :'c1', 'tap-reviewer-2')),
				 '55000', format('case %s is Approved: only a case under review (PendingReview) can take the decision Approve', :'c1'),
				 'a decided case takes no further decision');
SELECT is(pg_temp.onb_as('tap-reviewer-1', format($q$SELECT string_agg(topic || ':' || coalesce(payload->>'status', payload->>'decision'), ' ' ORDER BY id)
		  FROM kyc_events.outbox WHERE aggregate_id = %L AND topic IN ('case.status_changed', 'case.approval_recorded')
		  AND id > (SELECT max(id) FROM kyc_events.outbox WHERE aggregate_id = %1$L AND payload->>'status' = 'PendingReview')$q$, :'c1')),
		  'case.approval_recorded:Approve case.status_changed:Approved', 'the approval is announced, then the move to Approved it made');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$UPDATE kyc_onboarding.case_decisions SET reviewer = 'x' WHERE case_id = %L RETURNING id::text$q$, :'c1')),
				 '42501', NULL, 'onboarding_user cannot change a decision');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$DELETE FROM kyc_onboarding.case_decisions WHERE case_id = %L RETURNING id::text$q$, :'c1')),
				 '42501', NULL, 'nor delete one');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$DELETE FROM kyc_onboarding.case_contributors WHERE case_id = %L RETURNING actor$q$, :'c1')),
				 '42501', NULL, 'nor erase who worked on a case');
SELECT ok(pg_temp.wait_for('the audit log to record case 1''s approval', format(
			'SELECT n = 2 FROM dblink(%L, %L) AS t(n bigint)', 'audit',
			format($q$SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE case_id = %L AND action = 'Approve'$q$, :'c1')), 60),
		  'the audit log records the approval with action Approve: the decision row and the case''s move');

---------------------------------------------------------------------------
-- Case 2: submitted by hand before its results; what approve() needs.
---------------------------------------------------------------------------
SELECT pg_temp.hold('{checklist_results,risk_results}', true);
SELECT pg_temp.new_case('early', 'Eamon', 'Early', false) AS c2 \gset
SELECT is(pg_temp.onb_as('tap-analyst', format($q$SELECT status FROM kyc_onboarding.transition(%L, 'PendingReview')$q$, :'c2')),
		  'PendingReview', 'the analyst submits case 2 by hand, before any result');
SELECT is(pg_temp.error_of('tap-reviewer-1', pg_temp.decision_sql('approve', :'c2', 'tap-reviewer-1')),
		  format('55000 / case %s cannot be approved yet / Missing: the checklist is not complete (no result from checklist_service yet); '
				 'the risk assessment is not completed (no result from risk_service yet).', :'c2'),
		  'approve() says everything the case lacks: the checklist and the risk result');
SELECT pg_temp.hold('{risk_results}', false);
SELECT ok(pg_temp.wait_for('case 2''s risk result', pg_temp.case_is(:'c2', 'risk_event_id IS NOT NULL'), 60),
		  'the risk result arrives');
SELECT matches(pg_temp.error_of('tap-reviewer-1', pg_temp.decision_sql('approve', :'c2', 'tap-reviewer-1')),
			   '^55000 / .* / Missing: the checklist is not complete \(no result from checklist_service yet\); 1 attention reason waits for the reviewer, the newest: risk result arrived after submission: level Low',
			   'then: the checklist, and the late risk result that waits for the reviewer');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', pg_temp.decision_sql('reject', :'c2', 'tap-reviewer-1')),
				 '23502', format('the decision Reject on case %s needs a reason', :'c2'), 'reject() needs a reason');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', pg_temp.decision_sql('request_information', :'c2', 'tap-reviewer-1', '  ')),
				 '23502', format('the decision RequestInformation on case %s needs a reason', :'c2'), 'so does request_information()');
SELECT is(pg_temp.onb_as('tap-reviewer-1', pg_temp.decision_sql('request_information', :'c2', 'tap-reviewer-1',
		  'upload a passport, a bank statement and a tax return')),
		  'RequestInformation,InProgress', 'request_information() sends the case back to InProgress');
SELECT is(pg_temp.admin(format($q$SELECT concat_ws(',', status, status_changed_by, status_reason, awaiting_information,
		  cardinality(attention_reasons)) FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c2')),
		  'InProgress,tap-reviewer-1,upload a passport, a bank statement and a tax return,t,0',
		  'with the reason recorded; the case awaits information, and the attention reason was answered');
SELECT pg_temp.hold('{checklist_results}', false);
SELECT pg_temp.verify_documents(:'c2');
SELECT ok(pg_temp.wait_for('case 2''s checklist', pg_temp.case_is(:'c2', $c$checklist_status = 'Completed'$c$), 60),
		  'the documents complete case 2''s checklist');
SELECT is(pg_temp.admin(format($q$SELECT status FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c2')),
		  'InProgress', 'a case sent back for information is not resubmitted by the workflow');
SELECT is(pg_temp.onb_as('tap-analyst-2', format($q$SELECT status || ',' || awaiting_information FROM kyc_onboarding.transition(%L, 'PendingReview')$q$, :'c2')),
		  'PendingReview,false', 'a person submits it again');
SELECT is(pg_temp.onb_as('tap-reviewer-1', pg_temp.decision_sql('approve', :'c2', 'tap-reviewer-1')),
		  'Approve,1,1,Approved', 'and now it can be approved');

---------------------------------------------------------------------------
-- Case 3: a sanctions match, held for manual review; four eyes.
---------------------------------------------------------------------------
SELECT * FROM dblink('rsk_admin', $$SELECT kyc_risk.add_watchlist_entity('TAP-DECIDE-SANCTIONS', 'person',
	ARRAY['Mortimer Foureyes'], '1979-06-21', program => 'TAP')$$) AS t(x bigint);
SELECT pg_temp.new_case('match', 'Mortimer', 'Foureyes') AS c3 \gset
SELECT ok(pg_temp.wait_for('case 3''s results', pg_temp.case_is(:'c3',
			$c$checklist_status = 'Completed' AND risk_event_id IS NOT NULL$c$), 60),
		  'case 3''s checklist and risk results arrive');
SELECT is(pg_temp.admin(format($q$SELECT concat_ws(',', status, requires_manual_review) FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c3')),
		  'InProgress,t', 'the match is held InProgress for manual review');
SELECT is(pg_temp.onb_as('tap-officer', format($q$SELECT status FROM kyc_onboarding.transition(%L, 'PendingReview', 'tap-officer', 'match reviewed: submit')$q$, :'c3')),
		  'PendingReview', 'a compliance officer submits it');
SELECT throws_ok(pg_temp.as_sql('tap-officer', pg_temp.decision_sql('approve', :'c3', 'tap-officer')),
				 '42501', format('reviewer tap-officer cannot approve case %s, which they submitted', :'c3'),
				 'four eyes: the officer who submitted it cannot approve it');
SELECT is(pg_temp.onb_as('tap-reviewer-1', pg_temp.decision_sql('approve', :'c3', 'tap-reviewer-1', 'false positive: other date of birth')),
		  'Approve,1,2,PendingReview', 'a first approval: 1 of the 2 a manual-review case needs; the case stays under review');
SELECT is(pg_temp.onb_as('tap-reviewer-1', format($q$SELECT concat_ws(',', payload->>'reviewer', payload->>'approval_number', payload->>'approvals_needed', payload->>'case_status')
		  FROM kyc_events.outbox WHERE aggregate_id = %L AND topic = 'case.approval_recorded'$q$, :'c3')),
		  'tap-reviewer-1,1,2,PendingReview', 'the first approval is announced as case.approval_recorded');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', pg_temp.decision_sql('approve', :'c3', 'tap-reviewer-1')),
				 '23505', format('reviewer tap-reviewer-1 has already approved case %s', :'c3'),
				 'four eyes: the same reviewer cannot approve twice');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', format($q$INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer)
					VALUES (%L, 'Approve', 'tap-reviewer-1') RETURNING id::text$q$, :'c3')),
				 '23505', format('reviewer tap-reviewer-1 has already approved case %s', :'c3'),
				 'nor by a plain INSERT: the trigger holds it to the same rules');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-2', pg_temp.decision_sql('acknowledge_attention', :'c3', 'tap-reviewer-2')),
				 '55000', format('case %s has no attention reason waiting', :'c3'), 'there is nothing to acknowledge');
-- The risk handler's way of asking attention, as the owner: the case
-- changed under the first approver.
SELECT pg_temp.admin(format($q$UPDATE kyc_onboarding.onboarding_cases
		SET attention_reasons = kyc_onboarding.with_attention(attention_reasons, 'pgTAP 32: risk level rose') WHERE case_id = %L
		RETURNING status$q$, :'c3'));
SELECT matches(pg_temp.error_of('tap-reviewer-2', pg_temp.decision_sql('approve', :'c3', 'tap-reviewer-2')),
			   '^55000 / .* / Missing: 1 attention reason waits for the reviewer, the newest: pgTAP 32: risk level rose\.$',
			   'an attention reason blocks the second approval');
SELECT is(pg_temp.onb_as('tap-reviewer-2', format($q$SELECT concat_ws(',', decision, array_to_string(acknowledged_reasons, ';'), case_status)
		  FROM kyc_onboarding.acknowledge_attention(%L, 'tap-reviewer-2', 'seen: still a false positive')$q$, :'c3')),
		  'Acknowledge,pgTAP 32: risk level rose,PendingReview', 'acknowledge_attention() clears it, keeping what was seen');
SELECT is(pg_temp.onb_as('tap-reviewer-2', pg_temp.decision_sql('approve', :'c3', 'tap-reviewer-2')),
		  'Approve,1,2,PendingReview', 'approvals given before the acknowledgement no longer count: this is 1 of 2');
SELECT is(pg_temp.onb_as('tap-reviewer-1', pg_temp.decision_sql('approve', :'c3', 'tap-reviewer-1', 'seen again')),
		  'Approve,2,2,Approved', 'a second, different reviewer completes the approval');
SELECT is(pg_temp.admin(format($q$SELECT string_agg(concat_ws(':', decision, reviewer, approval_number, case_status), ' ' ORDER BY id)
		  FROM kyc_onboarding.case_decisions WHERE case_id = %L$q$, :'c3')),
		  'Approve:tap-reviewer-1:1:PendingReview Acknowledge:tap-reviewer-2:PendingReview Approve:tap-reviewer-2:1:PendingReview Approve:tap-reviewer-1:2:Approved',
		  'case_decisions keeps every decision in order');

---------------------------------------------------------------------------
-- Case 4: rejected.
---------------------------------------------------------------------------
SELECT pg_temp.new_case('reject', 'Rory', 'Refused') AS c4 \gset
SELECT ok(pg_temp.wait_for('case 4''s submission', pg_temp.case_is(:'c4', $c$status = 'PendingReview'$c$), 60),
		  'case 4 is submitted by the workflow');
SELECT is(pg_temp.onb_as('tap-analyst', pg_temp.decision_sql('reject', :'c4', 'tap-analyst', 'documents do not match the applicant')),
		  'Reject,Rejected', 'reject() with a reason decides it');
SELECT is(pg_temp.admin(format($q$SELECT concat_ws(',', status, status_changed_by, status_reason, rejected_at IS NOT NULL)
		  FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, :'c4')),
		  'Rejected,tap-analyst,documents do not match the applicant,t', 'Rejected, with who and why');
SELECT throws_ok(pg_temp.as_sql('tap-reviewer-1', pg_temp.decision_sql('assign', :'c4', 'tap-reviewer-1')),
				 '55000', format('case %s is Rejected: a decided case is not assigned', :'c4'), 'a decided case is not assigned');
SELECT ok(pg_temp.wait_for('the audit log to record case 4''s rejection', format(
			'SELECT n = 2 FROM dblink(%L, %L) AS t(n bigint)', 'audit',
			format($q$SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE case_id = %L AND action = 'Reject'$q$, :'c4')), 60),
		  'the audit log records the rejection with action Reject');

-- Stamped columns come from the trigger, whatever an INSERT gives.
SELECT pg_temp.new_case('stamps', 'Stella', 'Stamped', false) AS c5 \gset
SELECT is(pg_temp.onb_as('tap-lead', format($q$INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer, notes)
		  VALUES (%L, 'Assign', 'tap-reviewer-2', 'first in the queue')
		  RETURNING concat_ws(',', decided_by, case_status, approval_number, requires_manual_review)$q$, :'c5')),
		  'tap-lead,InProgress,f', 'a plain INSERT of a decision is stamped by the trigger: who decided, the case''s status');
SELECT throws_ok(pg_temp.as_sql('tap-lead', format($q$INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer, case_status)
					VALUES (%L, 'Assign', 'tap-reviewer-2', 'Approved') RETURNING id::text$q$, :'c5')),
				 '42501', NULL, 'the stamped columns cannot be given');

---------------------------------------------------------------------------
-- Cases 6 and 7: the applicant changes after risk_service's result.  The
-- case waits until risk_service has applied the change (risk_sync): case
-- 6 is not submitted by the workflow, case 7, submitted by hand, cannot
-- be approved.  risk_service's subscription to onboarding is held.
---------------------------------------------------------------------------
SELECT pg_temp.new_case('stale-auto', 'Stan', 'Stale', false) AS c6 \gset
SELECT pg_temp.new_case('stale-hand', 'Hana', 'Stale', false) AS c7 \gset
SELECT ok(pg_temp.wait_for('case 6''s risk result', pg_temp.case_is(:'c6', 'risk_event_id IS NOT NULL'), 60)
		  AND pg_temp.wait_for('case 7''s risk result', pg_temp.case_is(:'c7', 'risk_event_id IS NOT NULL'), 60),
		  'cases 6 and 7 have their risk results');
SELECT dblink_exec('rsk_admin', $$UPDATE kyc_events.subscription SET enabled = false WHERE name = 'onboarding_events'$$);
SELECT pg_temp.onb_as('tap-partner', format($q$UPDATE kyc_onboarding.applicants SET nationality = 'FR' WHERE case_id = %L RETURNING nationality$q$, :'c6'));
SELECT pg_temp.onb_as('tap-partner', format($q$UPDATE kyc_onboarding.applicants SET email = 'hana@example.org' WHERE case_id = %L RETURNING email$q$, :'c7'));
SELECT pg_temp.verify_documents(:'c6');
SELECT pg_temp.verify_documents(:'c7');
SELECT ok(pg_temp.wait_for('case 6''s checklist', pg_temp.case_is(:'c6', $c$checklist_status = 'Completed'$c$), 60)
		  AND pg_temp.wait_for('case 7''s checklist', pg_temp.case_is(:'c7', $c$checklist_status = 'Completed'$c$), 60),
		  'their checklists complete');
SELECT is(pg_temp.admin(format($q$SELECT c.status || ',' || (s.risk_seen_event_id < s.data_event_id)
		  FROM kyc_onboarding.onboarding_cases c JOIN kyc_onboarding.risk_sync s USING (case_id) WHERE case_id = %L$q$, :'c6')),
		  'InProgress,true', 'a complete checklist and a risk result for older data do not submit case 6');
SELECT is(pg_temp.onb_as('tap-analyst', format($q$SELECT status FROM kyc_onboarding.transition(%L, 'PendingReview')$q$, :'c7')),
		  'PendingReview', 'the analyst submits case 7 by hand');
SELECT matches(pg_temp.error_of('tap-reviewer-1', pg_temp.decision_sql('approve', :'c7', 'tap-reviewer-1')),
			   '^55000 / .* / Missing: the risk result does not reflect the case''s latest data \(risk_service has applied its events up to [0-9]+, not yet [0-9]+\)\.$',
			   'approve() waits for risk_service to apply the change, even one that cannot change the result');
SELECT dblink_exec('rsk_admin', $$UPDATE kyc_events.subscription SET enabled = true WHERE name = 'onboarding_events'$$);
SELECT * FROM dblink('rsk_admin', $$SELECT kyc_events.relay_once('onboarding_events')$$) AS t(n int);
SELECT ok(pg_temp.wait_for('case 6''s submission', pg_temp.case_is(:'c6', $c$status = 'PendingReview' AND status_changed_by = 'kyc_onboarding.workflow'$c$), 60),
		  'once risk_service has applied the change, the workflow submits case 6');
SELECT ok(pg_temp.wait_for('case 7''s risk result to be current', format(
			'SELECT v::boolean FROM dblink(%L, %L) AS t(v text)', 'onb_admin',
			format('SELECT (risk_seen_event_id >= data_event_id)::text FROM kyc_onboarding.risk_sync WHERE case_id = %L', :'c7')), 60),
		  'risk_service acknowledges case 7''s change');
SELECT is(pg_temp.onb_as('tap-reviewer-1', pg_temp.decision_sql('approve', :'c7', 'tap-reviewer-1')),
		  'Approve,1,1,Approved', 'and case 7 can be approved');

SELECT pg_temp.hold('{checklist_results,risk_results}', false);
SELECT dblink_exec('rsk_admin', $$UPDATE kyc_events.subscription SET enabled = true WHERE name = 'onboarding_events'$$);
SELECT * FROM finish();
