-- The workflow's final state does not depend on the order in which the
-- events of different sources arrive (issue 12).  For each order, one
-- clean individual case: its documents are verified and risk_service
-- screens and completes it while the consumers' subscriptions are held;
-- then checklist_service receives the case, the documents and the
-- screening in that order, and onboarding the checklist's and the risk
-- result in that order.  Every order, the worst one included (documents,
-- then risk, then the checklist, then the case), must give the same rows.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(16);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('chk_admin', :'host' || ' dbname=checklist_service');
SELECT dblink_connect('rsk_admin', :'host' || ' dbname=risk_service');
\ir lib/wait_for.psql

-- Hold or release a consumer's subscription.
CREATE FUNCTION pg_temp.hold(conn text, subs text[], held boolean) RETURNS text LANGUAGE sql AS $$
	SELECT dblink_exec(conn, format('UPDATE kyc_events.subscription SET enabled = %L WHERE name = ANY (%L)', NOT held, subs))
$$;
-- Release one subscription and deliver what it holds, now.
CREATE FUNCTION pg_temp.deliver(conn text, sub text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.hold(conn, ARRAY[sub], false);
	PERFORM * FROM dblink(conn, format('SELECT kyc_events.relay_once(%L)', sub)) AS t(n int);
END $$;

-- One case in the given orders; returns its id.
CREATE FUNCTION pg_temp.run(label text, checklist_order text[], onboarding_order text[],
							 first_name text DEFAULT 'Orla', last_name text DEFAULT 'Sequence') RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	case_id text;
	doc text;
	sub text;
BEGIN
	PERFORM pg_temp.hold('chk_admin', '{cases_created,documents_verified,risk_screenings}', true);
	PERFORM pg_temp.hold('onb_admin', '{checklist_results,risk_results}', true);
	SELECT c INTO case_id FROM dblink('onb', format($q$SELECT kyc_onboarding.create_case('Individual', NULL, %L, %L)$q$,
		'tap-order-' || label, jsonb_build_object('first_name', first_name, 'last_name', last_name,
			'date_of_birth', '1984-03-02', 'nationality', 'IE',
			'addresses', jsonb_build_array(jsonb_build_object('type', 'Residential', 'street', '3 Order Lane',
				'city', 'Dublin', 'country', 'IE', 'is_primary', true))))) AS t(c text);
	PERFORM * FROM dblink('onb', format('SELECT (kyc_onboarding.transition(%L, %L)).status', case_id, 'InProgress'))
		AS t(s text);
	FOREACH doc IN ARRAY ARRAY['Passport', 'BankStatement', 'TaxReturn'] LOOP
		PERFORM * FROM dblink('doc', format(
			'SELECT kyc_document.verify_document(kyc_document.register_document(%L, %L, %L, %L, 1000, %L, %L), %L)::text',
			case_id, doc, doc || '.pdf', 'application/pdf', encode(sha256(convert_to(case_id || doc, 'UTF8')), 'hex'),
			format('s3://tap/%s/%s.pdf', case_id, doc), 'tap-reviewer')) AS t(x text);
	END LOOP;
	-- risk_service works from onboarding's events, which are not held.
	IF NOT pg_temp.wait_for('risk_service to complete ' || case_id, format(
			'SELECT n = 1 FROM dblink(%L, %L) AS t(n bigint)', 'rsk_admin',
			format('SELECT count(*) FROM kyc_risk.risk_assessments WHERE case_id = %L AND status = %L', case_id, 'Completed')), 60)
	THEN
		RETURN case_id;
	END IF;
	FOREACH sub IN ARRAY checklist_order LOOP
		PERFORM pg_temp.deliver('chk_admin', sub);
	END LOOP;
	FOREACH sub IN ARRAY onboarding_order LOOP
		PERFORM pg_temp.deliver('onb_admin', sub);
	END LOOP;
	RETURN case_id;
END $$;

-- What a case ended as, in every service: the rows that must not depend
-- on the order (ids, timestamps and event ids aside).
CREATE FUNCTION pg_temp.outcome(case_id text) RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' | ',
		(SELECT s FROM dblink('onb_admin', format($q$SELECT concat_ws(',', status, status_changed_by, checklist_status,
			risk_level, risk_score, requires_manual_review, attention_reasons::text)
			FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, case_id)) AS t(s text)),
		(SELECT s FROM dblink('chk_admin', format($q$SELECT concat_ws(',', c.status, c.completion_percentage, c.completed_items,
			c.completed_required_items, (SELECT string_agg(i.code || ':' || i.status || ':' || coalesce(split_part(i.completed_by, ':', 1), ''),
				',' ORDER BY i.code) FROM kyc_checklist.checklist_items i WHERE i.checklist_id = c.id))
			FROM kyc_checklist.checklists c WHERE c.case_id = %L$q$, case_id)) AS t(s text)),
		(SELECT s FROM dblink('rsk_admin', format($q$SELECT concat_ws(',', a.status, a.overall_risk_level, a.risk_score,
			(SELECT string_agg(f.type || ':' || f.score, ',' ORDER BY f.type, f.score) FROM kyc_risk.risk_factors f
			 WHERE f.risk_assessment_id = a.id))
			FROM kyc_risk.risk_assessments a WHERE a.case_id = %L$q$, case_id)) AS t(s text)))
$$;

CREATE TEMP TABLE runs (label text, case_id text, outcome text);
INSERT INTO runs (label, case_id)
VALUES ('in-order', pg_temp.run('in-order', '{cases_created,risk_screenings,documents_verified}', '{checklist_results,risk_results}'));
INSERT INTO runs (label, case_id)
VALUES ('worst', pg_temp.run('worst', '{documents_verified,risk_screenings,cases_created}', '{risk_results,checklist_results}'));
INSERT INTO runs (label, case_id)
VALUES ('screening-first', pg_temp.run('screening-first', '{risk_screenings,cases_created,documents_verified}', '{risk_results,checklist_results}'));
INSERT INTO runs (label, case_id)
VALUES ('documents-first', pg_temp.run('documents-first', '{documents_verified,cases_created,risk_screenings}', '{checklist_results,risk_results}'));
-- Everything released, as it was.
SELECT pg_temp.hold('chk_admin', '{cases_created,documents_verified,risk_screenings}', false);
SELECT pg_temp.hold('onb_admin', '{checklist_results,risk_results}', false);

SELECT ok(pg_temp.wait_for('the four cases to be submitted', format(
			'SELECT n = 4 FROM dblink(%L, %L) AS t(n bigint)', 'onb_admin',
			format('SELECT count(*) FROM kyc_onboarding.onboarding_cases WHERE case_id = ANY (%L) AND status = %L',
				   (SELECT array_agg(case_id) FROM runs), 'PendingReview')), 60),
		  'in every order, the case reaches PendingReview');
UPDATE runs SET outcome = pg_temp.outcome(case_id);

SELECT is((SELECT split_part(outcome, ',', 1) FROM runs WHERE label = 'in-order'), 'PendingReview',
		  'in order: the case is submitted');
SELECT matches((SELECT outcome FROM runs WHERE label = 'in-order'),
			   '^PendingReview,kyc_onboarding.workflow,Completed,',
			   'in order: submitted by the workflow, with a completed checklist');
SELECT matches((SELECT outcome FROM runs WHERE label = 'in-order'),
			   'sanctions_pep_screening:Completed:screening',
			   'in order: the screening completed its item');
SELECT matches((SELECT outcome FROM runs WHERE label = 'in-order'),
			   'proof_of_identity:Completed:document',
			   'in order: the passport completed proof of identity');
SELECT is((SELECT outcome FROM runs WHERE label = 'worst'), (SELECT outcome FROM runs WHERE label = 'in-order'),
		  'documents, then risk, then the checklist''s case, then onboarding''s risk before checklist: the same rows');
SELECT is((SELECT outcome FROM runs WHERE label = 'screening-first'), (SELECT outcome FROM runs WHERE label = 'in-order'),
		  'the screening first: the same rows');
SELECT is((SELECT outcome FROM runs WHERE label = 'documents-first'), (SELECT outcome FROM runs WHERE label = 'in-order'),
		  'the documents first: the same rows');
SELECT is((SELECT count(DISTINCT outcome)::int FROM runs), 1, 'one outcome for the four orders');

-- A sanctions match is held for manual review: the workflow does not submit
-- it, whatever the order; a compliance officer does.
SELECT * FROM dblink('rsk_admin', $$SELECT kyc_risk.add_watchlist_entity('TAP-ORDER-SANCTIONS', 'person',
	ARRAY['Hieronymus Heldback'], '1984-03-02', program => 'TAP')$$) AS t(x bigint);
INSERT INTO runs (label, case_id)
VALUES ('held', pg_temp.run('held', '{documents_verified,risk_screenings,cases_created}', '{risk_results,checklist_results}',
							'Hieronymus', 'Heldback'));
SELECT pg_temp.hold('chk_admin', '{cases_created,documents_verified,risk_screenings}', false);
SELECT pg_temp.hold('onb_admin', '{checklist_results,risk_results}', false);
SELECT ok(pg_temp.wait_for('the held case''s results', format(
			'SELECT n = 1 FROM dblink(%L, %L) AS t(n bigint)', 'onb_admin',
			format('SELECT count(*) FROM kyc_onboarding.onboarding_cases WHERE case_id = %L
					AND checklist_status = %L AND risk_event_id IS NOT NULL',
				   (SELECT case_id FROM runs WHERE label = 'held'), 'Completed')), 60),
		  'the sanctions match''s checklist and risk results reach onboarding');
SELECT is((SELECT s FROM dblink('onb_admin', format($q$SELECT concat_ws(',', status, requires_manual_review)
			FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, (SELECT case_id FROM runs WHERE label = 'held')))
			AS t(s text)),
		  'InProgress,t', 'a sanctions match is held InProgress for manual review, not submitted');
SELECT is((SELECT s FROM dblink('onb', format($q$SELECT status FROM kyc_onboarding.transition(%L, 'PendingReview',
			'tap-compliance-officer', 'sanctions match reviewed')$q$, (SELECT case_id FROM runs WHERE label = 'held')))
			AS t(s text)),
		  'PendingReview', 'a compliance officer submits it');

-- A case submitted by hand before its risk result: the result, when it
-- comes, asks the reviewer's attention (it is not silently folded in).
SELECT pg_temp.hold('onb_admin', '{risk_results}', true);
INSERT INTO runs (label, case_id) VALUES ('early', pg_temp.run('early', '{cases_created,risk_screenings,documents_verified}',
																 '{checklist_results}'));
SELECT pg_temp.hold('onb_admin', '{risk_results}', true);
SELECT is((SELECT s FROM dblink('onb', format($q$SELECT status FROM kyc_onboarding.transition(%L, 'PendingReview',
			'tap-partner', 'submitted before the risk result')$q$, (SELECT case_id FROM runs WHERE label = 'early')))
			AS t(s text)),
		  'PendingReview', 'a case is submitted by hand before its risk result');
SELECT pg_temp.deliver('onb_admin', 'risk_results');
SELECT alike((SELECT s FROM dblink('onb_admin', format($q$SELECT attention_reasons[cardinality(attention_reasons)]
			FROM kyc_onboarding.onboarding_cases WHERE case_id = %L$q$, (SELECT case_id FROM runs WHERE label = 'early')))
			AS t(s text)),
		  'risk result arrived after submission: level %', 'the late risk result asks the reviewer''s attention');
SELECT is((SELECT n FROM dblink('onb_admin', format($q$SELECT count(*) FROM kyc_events.outbox
			WHERE aggregate_id = %L AND topic = 'case.attention_required'$q$, (SELECT case_id FROM runs WHERE label = 'early')))
			AS t(n bigint)), 1::bigint, 'announced once as case.attention_required');
-- Attention reasons keep the newest 20: the row travels in every case event.
SELECT is((SELECT s FROM dblink('onb_admin', $q$SELECT cardinality(r) || ' ' || r[1] || ' ' || r[20]
			FROM kyc_onboarding.with_attention(ARRAY(SELECT 'reason ' || i FROM generate_series(1, 20) i), 'reason 21') r$q$)
			AS t(s text)), '20 reason 2 reason 21', 'the 21st reason pushes out the oldest');

SELECT dblink_disconnect('onb');
SELECT dblink_disconnect('doc');
SELECT dblink_disconnect('onb_admin');
SELECT dblink_disconnect('chk_admin');
SELECT dblink_disconnect('rsk_admin');
SELECT * FROM finish();
