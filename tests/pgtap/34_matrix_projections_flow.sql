-- kyc_projections through the real relay, as its roles (issue 13): a case's projection
-- follows its four sources; the worst order of delivery (documents, risk,
-- the checklist, then the case) gives the same row as the right order; a
-- replay of every event changes nothing; the compliance rules; the change
-- feed (NOTIFY kyc_projections and changes_since) as projections_user.
-- No transaction: the relay delivers what is committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(21);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('doc2', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('rsk_admin', :'host' || ' dbname=risk_service');
SELECT dblink_connect('prj_admin', :'host' || ' dbname=projections_api');
SELECT dblink_connect('prj', :'host' || ' dbname=projections_api user=projections_user');
\ir lib/wait_for.psql
\ir lib/projections.psql

-- Hold or release the projection subscriptions; deliver one now.
CREATE FUNCTION pg_temp.hold(subs text[], held boolean) RETURNS text LANGUAGE sql AS $$
	SELECT dblink_exec('prj_admin', format('UPDATE kyc_events.subscription SET enabled = %L WHERE name = ANY (%L)', NOT held, subs))
$$;
CREATE FUNCTION pg_temp.deliver(sub text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.hold(ARRAY[sub], false);
	PERFORM * FROM dblink('prj_admin', format('SELECT kyc_events.relay_once(%L)', sub)) AS t(n int);
END $$;
-- What a projection shows, but what differs between two cases of the same data.
CREATE FUNCTION pg_temp.outcome(case_id text) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.prj(format($q$SELECT concat_ws('|', type, status, partner_id, applicant_first_name, applicant_last_name,
		applicant_date_of_birth, applicant_nationality, applicant_city, applicant_country, progress_percentage, total_steps,
		completed_steps, checklist_status, checklist_completion_percentage, checklist_total_items, checklist_completed_items,
		checklist_required_items, checklist_completed_required_items, risk_level, risk_score, risk_status, risk_factor_count,
		document_count, verified_document_count, pending_document_count, rejected_document_count,
		submitted_at IS NOT NULL, requires_manual_review, has_compliance_issues, compliance_notes)
		FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, case_id))
$$;

---------------------------------------------------------------------------
-- In order: the projection follows the case.
---------------------------------------------------------------------------
SELECT pg_temp.new_case('tap-prj-in-order', 'Nora', 'Ordered', 'IE') AS a \gset
SELECT ok(pg_temp.wait_for('case A''s projection', pg_temp.complete(:'a'), 60),
		  'the projection of case A shows its submission, checklist, risk result and documents');
SELECT is(pg_temp.prj(format($q$SELECT concat_ws('|', partner_reference_id LIKE 'tap-prj-in-order-%%', applicant_email,
		  total_steps, completed_steps, progress_percentage, has_compliance_issues, coalesce(compliance_notes, '-'))
		  FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'a')),
		  't|nora@example.org|8|6|75.00|f|-',
		  'progress: 6 of 8 steps (5 checklist items done, risk done, review pending); no compliance issue');
SELECT pg_temp.outcome(:'a') AS a_outcome \gset

-- The change feed, as projections_user: a cursor now, a decision, then
-- the notification and changes_since() name the case.
SELECT v AS cursor FROM dblink('prj', 'SELECT coalesce(max(change_seq), 0)::text FROM kyc_projections.changes_since(0)') AS t(v text) \gset
SELECT dblink_exec('prj', 'LISTEN kyc_projections');
SELECT * FROM dblink('onb', format($q$SELECT case_status FROM kyc_onboarding.approve(%L, 'tap-prj-reviewer', 'ok')$q$, :'a')) AS t(s text);
SELECT ok(pg_temp.wait_for('case A''s approval in its projection', pg_temp.row_is(:'a', $c$status = 'Approved'$c$), 60),
		  'the approval reaches the projection');
SELECT is(pg_temp.prj(format($q$SELECT concat_ws('|', completed_steps, progress_percentage, approved_at IS NOT NULL)
		  FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'a')),
		  '7|87.50|t', 'the review is a step: 7 of 8');
SELECT ok((SELECT bool_or(:'a' = ANY (string_to_array(extra, ','))) FROM dblink_get_notify('prj')),
		  'NOTIFY kyc_projections named case A to the listening projections_user');
SELECT is((SELECT string_agg(v, ',') FROM dblink('prj', format($q$SELECT case_id FROM kyc_projections.changes_since(%s)
		  WHERE case_id = %L$q$, :'cursor', :'a')) AS t(v text)), :'a',
		  'changes_since(the cursor before) returns case A, as projections_user');
-- A transaction that changes more cases than 8000 bytes can name says "many".
SELECT * FROM dblink_get_notify('prj');
SELECT dblink_exec('prj_admin', $$BEGIN;
	INSERT INTO kyc_projections.onboarding_case_projections (case_id, status)
	SELECT 'TAP-PRJ-MANY-' || lpad(g::text, 12, '0'), 'Draft' FROM generate_series(1, 400) g;
	COMMIT$$);
SELECT ok(pg_temp.wait_for('the notification of 400 cases',
			'SELECT count(*) > 0 FROM dblink_get_notify(''prj'') WHERE extra = ''many''', 10),
		  'NOTIFY kyc_projections says "many" for 400 cases (their ids would pass 8000 bytes)');
SELECT dblink_exec('prj_admin', $$DELETE FROM kyc_projections.onboarding_case_projections WHERE case_id LIKE 'TAP-PRJ-MANY-%'$$);
SELECT throws_ok($$SELECT * FROM dblink('prj', 'SELECT kyc_projections.apply_event(NULL::kyc_events.event)') AS t(x text)$$,
				 '42501', NULL, 'projections_user cannot call the handler');
SELECT throws_ok($$SELECT * FROM dblink('prj', 'UPDATE kyc_projections.onboarding_case_projections SET status = ''Approved'' RETURNING case_id') AS t(x text)$$,
				 '42501', NULL, 'nor write the projections');

---------------------------------------------------------------------------
-- The worst order: documents, then risk, then the checklist, then the case.
---------------------------------------------------------------------------
SELECT pg_temp.hold('{projection_cases,projection_checklists,projection_risk,projection_documents}', true);
SELECT pg_temp.new_case('tap-prj-worst', 'Nora', 'Ordered', 'IE') AS b \gset
SELECT ok(pg_temp.wait_for('case B''s submission upstream', format(
			'SELECT v = %L FROM dblink(%L, %L) AS t(v text)', 'PendingReview', 'onb',
			format('SELECT status FROM kyc_onboarding.onboarding_cases WHERE case_id = %L', :'b')), 60),
		  'case B is submitted upstream while its projection waits');
SELECT pg_temp.deliver('projection_documents');
SELECT is(pg_temp.prj(format($q$SELECT concat_ws('|', coalesce(status, 'no status'), document_count, verified_document_count)
		  FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'b')),
		  'no status|3|3', 'documents before the case: the row is created with the document counts alone');
SELECT pg_temp.deliver('projection_risk');
SELECT pg_temp.deliver('projection_checklists');
SELECT pg_temp.deliver('projection_cases');
SELECT is(pg_temp.outcome(:'b'), :'a_outcome', 'the worst order gives the row the right order gave');

-- Every event again, from the start: nothing changes.
SELECT pg_temp.prj(format($q$SELECT change_seq::text FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'b')) AS b_seq \gset
SELECT pg_temp.hold('{projection_cases,projection_checklists,projection_risk,projection_documents}', true);
SELECT dblink_exec('prj_admin', $$UPDATE kyc_events.subscription SET last_xid = '0', last_id = 0
	WHERE name IN ('projection_cases', 'projection_checklists', 'projection_risk', 'projection_documents')$$);
SELECT pg_temp.deliver(s) FROM unnest(ARRAY['projection_documents', 'projection_risk', 'projection_checklists', 'projection_cases']) s;
SELECT is(pg_temp.prj(format($q$SELECT change_seq::text FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'b')),
		  :'b_seq', 'replaying every event of every source writes nothing: each is stale');
SELECT is(pg_temp.outcome(:'b'), :'a_outcome', 'and the row is as it was');

---------------------------------------------------------------------------
-- The compliance rules: a sanctions match from a FATF call-for-action country.
---------------------------------------------------------------------------
SELECT * FROM dblink('rsk_admin', $$SELECT kyc_risk.add_watchlist_entity('TAP-PRJ-SANCTIONS', 'person',
	ARRAY['Darius Readmodel'], '1981-04-12', program => 'TAP')$$) AS t(x bigint);
SELECT pg_temp.new_case('tap-prj-match', 'Darius', 'Readmodel', 'IR') AS c \gset
SELECT ok(pg_temp.wait_for('case C''s risk result in its projection', pg_temp.row_is(:'c',
			$c$risk_status = 'Completed' AND verified_document_count = 3 AND applicant_nationality IS NOT NULL$c$), 60),
		  'the match''s projection has its risk result, documents and applicant');
SELECT is(pg_temp.prj(format($q$SELECT concat_ws('|', requires_manual_review, has_compliance_issues, sanctions_hits > 0)
		  FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'c')),
		  't|t|t', 'a sanctions match: manual review, a compliance issue');
SELECT matches(pg_temp.prj(format($q$SELECT compliance_notes FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'c')),
			   '^sanctions screening: [0-9]+ match(es)?(\nPEP screening: [0-9]+ match(es)?)?\nFATF call-for-action country: IR \(nationality\)$',
			   'compliance_notes: one line per rule, the sanctions match and the FATF country');

---------------------------------------------------------------------------
-- Reproductions from a hostile review of the read model.
---------------------------------------------------------------------------
-- 1. The transaction that starts first (lower xid) but commits last holds
-- the newer state: its event must not be overwritten by the other's.
SELECT dblink_exec('doc', 'BEGIN');
SELECT * FROM dblink('doc', 'SELECT pg_current_xact_id()::text') AS t(x text);
SELECT * FROM dblink('doc2', $q$SELECT kyc_document.register_document('TAP-PRJ-XID', 'Passport', 'a.pdf', 'application/pdf', 1000,
	repeat('a', 64), 's3://tap/TAP-PRJ-XID/a.pdf')::text$q$) AS t(x text);
SELECT * FROM dblink('doc', $q$SELECT kyc_document.register_document('TAP-PRJ-XID', 'UtilityBill', 'b.pdf', 'application/pdf', 1000,
	repeat('b', 64), 's3://tap/TAP-PRJ-XID/b.pdf')::text$q$) AS t(x text);
SELECT dblink_exec('doc', 'COMMIT');
SELECT ok(pg_temp.wait_for('both documents of TAP-PRJ-XID', pg_temp.row_is('TAP-PRJ-XID', 'document_count = 2'), 30),
		  'the later commit''s counts win, though its transaction started first (lower xid): 2 documents, not 1');
-- 2. No service role can take the lock that orders the writers.
SELECT throws_ok($$SELECT * FROM dblink('prj', 'SELECT nextval(''kyc_projections.change_seq'')::text') AS t(x text)$$,
				 '42501', NULL, 'projections_user has no right on the change sequence, whose lock orders the writers');
-- 3. A transaction that changed projections cannot be prepared.
SELECT throws_ok($$SELECT dblink_exec('prj_admin', 'BEGIN; UPDATE kyc_projections.onboarding_case_projections
					SET assigned_to = assigned_to WHERE case_id = ''TAP-PRJ-XID''; PREPARE TRANSACTION ''tap_prj''')$$,
				 '0A000', 'cannot PREPARE a transaction that changed projections', 'PREPARE TRANSACTION is refused');
SELECT dblink_exec('prj_admin', 'ROLLBACK');
-- 4. Bad counts cannot push progress past 100% or divide by zero.
SELECT is(pg_temp.prj($q$INSERT INTO kyc_projections.onboarding_case_projections
		  (case_id, status, checklist_total_items, checklist_completed_items, risk_status)
		  VALUES ('TAP-PRJ-CLAMP', 'Approved', -2, 7, 'Completed')
		  RETURNING concat_ws('|', total_steps, completed_steps, progress_percentage)$q$),
		  '2|2|100.00', 'counts are clamped: -2 items and 7 completed make 2 of 2 steps');
SELECT dblink_exec('prj_admin', $$DELETE FROM kyc_projections.onboarding_case_projections WHERE case_id IN ('TAP-PRJ-CLAMP', 'TAP-PRJ-XID')$$);

SELECT pg_temp.hold('{projection_cases,projection_checklists,projection_risk,projection_documents}', false);
SELECT * FROM finish();
