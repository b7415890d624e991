-- The checklist side of the onboarding workflow (issue 12): a case created
-- in onboarding gets its checklist in checklist_service through the relay
-- (case.created -> on_case_created()); a document verified before the
-- case's checklist exists still completes its item once the checklist is
-- created; a sanctions and PEP screening (risk.screening_completed ->
-- on_screening_completed()) completes the screening item, early or late,
-- once per event, and a stale one does not undo a person's reopening; every
-- required item of every default template completes by a document or an
-- event.  Redeliveries are driven through kyc_events' dead letters, which
-- replay_dead_letter() hands to the subscription's handler as the relay
-- does.  No transaction: the relay delivers what is committed.
\c checklist_service
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(31);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('onbsu', :'host' || ' dbname=onboarding');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('docsu', :'host' || ' dbname=document_service');

\ir lib/wait_for.psql

-- A dead letter of subscription sub holding event e, replayed through the
-- subscription's handler as the relay would deliver it.
CREATE FUNCTION pg_temp.deliver(sub text, e kyc_events.event) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	letter bigint;
BEGIN
	INSERT INTO kyc_events.dead_letters (subscription, event, error, attempts)
	VALUES (sub, e, 'pgTAP 28: a redelivery', 1) RETURNING id INTO letter;
	PERFORM kyc_events.replay_dead_letter(letter);
END $$;

-- A risk.screening_completed event of risk_service for case, as part R emits it.
CREATE FUNCTION pg_temp.screening(id bigint, case_id text, names text[], hits int) RETURNS kyc_events.event
LANGUAGE sql AS $$
	SELECT ROW('tap28_risk', id, '1', 'risk.screening_completed', case_id,
			   jsonb_build_object('case_id', case_id, 'assessment_id', 'a-' || case_id, 'names', to_jsonb(names),
								  'hits', hits, 'result_seq', id, 'extra_key', 'tolerated'),
			   '{}', now())::kyc_events.event
$$;

------------------------------------------------------------------------
-- case.created creates the case's checklist.
------------------------------------------------------------------------
SELECT c AS case_id FROM dblink('onb', $$SELECT kyc_onboarding.create_case('Individual', NULL, 'tap-checklist-workflow',
	'{"first_name": "Ada", "last_name": "Flow", "email": "ada.flow@example.com",
	  "addresses": [{"type": "Residential", "street": "1 Flow Row", "city": "London",
					 "postal_code": "N1 1AA", "country": "GB", "is_primary": true}]}')$$) AS t(c text) \gset
SELECT ok(pg_temp.wait_for('the checklist of the new case',
						   format($$SELECT EXISTS (SELECT FROM kyc_checklist.checklists WHERE case_id = %L)$$, :'case_id'), 60),
		  'a case created in onboarding gets its checklist in checklist_service');
SELECT results_eq(format($$SELECT type, total_items, required_items, status FROM kyc_checklist.checklists WHERE case_id = %L$$,
						 :'case_id'),
				  $$VALUES ('Individual', 6, 4, 'InProgress')$$, 'from the template of the case''s type');
SELECT id AS checklist FROM kyc_checklist.checklists WHERE case_id = :'case_id' \gset

-- create_checklist() as the service, for the same type, returns that checklist.
SET ROLE checklist_user;
SELECT is(kyc_checklist.create_checklist(:'case_id', 'Individual'), :'checklist'::uuid,
		  'create_checklist() for the case and its type returns the checklist case.created made');
SELECT throws_ok(format($$SELECT kyc_checklist.create_checklist(%L, 'Trust')$$, :'case_id'), '23505',
				 format('case %s already has a checklist of type Individual', :'case_id'),
				 'for another type it is refused');
UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'tap-analyst'
WHERE checklist_id = :'checklist' AND code = 'liveness_check';
RESET ROLE;

-- The same case.created again (a replayed dead letter) changes nothing.
SELECT x AS created_event FROM dblink('onbsu', format($$SELECT ROW('onboarding', id, xid, topic, aggregate_id, payload,
	headers, created_at)::text FROM kyc_events.outbox WHERE topic = 'case.created' AND aggregate_id = %L$$, :'case_id'))
	AS t(x text) \gset
SELECT lives_ok(format($$SELECT pg_temp.deliver('cases_created', %L::kyc_events.event)$$, :'created_event'),
				'case.created delivered a second time');
SELECT results_eq(format($$SELECT c.id, c.total_items, i.status, i.completed_by::text
						   FROM kyc_checklist.checklists c JOIN kyc_checklist.checklist_items i ON i.checklist_id = c.id
						   WHERE c.case_id = %L AND i.code = 'liveness_check'$$, :'case_id'),
				  format($$VALUES (%L::uuid, 6, 'Completed', 'tap-analyst')$$, :'checklist'),
				  'changes nothing: the same checklist, its items and their progress');
SELECT is((SELECT count(*)::int FROM kyc_checklist.checklists WHERE case_id = :'case_id'), 1, 'and adds no checklist');

-- A type without a template is an error that names it: the event dead-letters.
SELECT throws_ok(format($$SELECT pg_temp.deliver('cases_created', ROW('onboarding', 1, '1', 'case.created', 'KYC-TAP28-CLUB',
						  '{"case_id": "KYC-TAP28-CLUB", "type": "Club"}', '{}', now())::kyc_events.event)$$),
				 'P0002', 'case.created event 1 of onboarding: no checklist template for type ''Club'' of case KYC-TAP28-CLUB',
				 'a case.created of a type without a template fails, naming the type and the case');
SELECT throws_ok(format($$SELECT pg_temp.deliver('cases_created', ROW('onboarding', 2, '1', 'case.created', 'KYC-TAP28-X',
						  '{"type": "Individual"}', '{}', now())::kyc_events.event)$$),
				 '22023', 'case.created event 2 of onboarding has no case_id', 'one without a case_id too');
SELECT is((SELECT count(*)::int FROM kyc_checklist.checklists WHERE case_id IN ('KYC-TAP28-CLUB', 'KYC-TAP28-X')), 0,
		  'and neither creates a checklist');

------------------------------------------------------------------------
-- A document verified before the case's checklist exists.
------------------------------------------------------------------------
SELECT x AS early_document FROM dblink('doc', $$SELECT kyc_document.register_document('KYC-TAP28-EARLY', 'Passport',
	'passport.pdf', 'application/pdf', 1000, repeat('e', 64), 's3://tap/early/passport.pdf')::text$$) AS t(x text) \gset
SELECT x FROM dblink('doc', format($$SELECT kyc_document.verify_document(%L, 'tap-reviewer')::text$$, :'early_document'))
	AS t(x text) \g /dev/null
SELECT ok(pg_temp.wait_for('the early document.verified',
						   $$SELECT EXISTS (SELECT FROM kyc_checklist.received_events WHERE case_id = 'KYC-TAP28-EARLY')$$, 60),
		  'a document.verified for a case without a checklist is received');
SELECT results_eq($$SELECT topic, payload, applied_at IS NULL FROM kyc_checklist.received_events WHERE case_id = 'KYC-TAP28-EARLY'$$,
				  format($$VALUES ('document.verified', jsonb_build_object('document_id', %L, 'document_type', 'Passport'), true)$$,
						 :'early_document'),
				  'and kept, unapplied, with the keys applying it needs');
SELECT is((SELECT count(*)::int FROM kyc_checklist.checklists WHERE case_id = 'KYC-TAP28-EARLY'), 0,
		  'no checklist exists for it yet');

SET ROLE checklist_user;
SELECT kyc_checklist.create_checklist('KYC-TAP28-EARLY', 'Individual') AS early_checklist \gset
RESET ROLE;
SELECT results_eq($$SELECT i.code, i.status, i.completed_by::text FROM kyc_checklist.checklist_items i
					JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
					WHERE c.case_id = 'KYC-TAP28-EARLY' AND i.status <> 'Pending'$$,
				  format($$VALUES ('proof_of_identity', 'Completed', 'document:' || %L)$$, :'early_document'),
				  'the checklist created afterwards has the passport''s item completed by the document');
SELECT is((SELECT completed_items FROM kyc_checklist.checklists WHERE case_id = 'KYC-TAP28-EARLY'), 1, 'and counts it');
SELECT ok((SELECT applied_at IS NOT NULL FROM kyc_checklist.received_events WHERE case_id = 'KYC-TAP28-EARLY'),
		  'the received event is marked applied');

------------------------------------------------------------------------
-- risk.screening_completed completes the screening item.
------------------------------------------------------------------------
-- Early: before the checklist exists.
SELECT lives_ok($$SELECT pg_temp.deliver('risk_screenings',
				  pg_temp.screening(100, 'KYC-TAP28-SCREEN', '{Ada Screen,A. Screen}', 1))$$,
				'a screening delivered for a case without a checklist');
SELECT results_eq($$SELECT payload, applied_at IS NULL FROM kyc_checklist.received_events WHERE case_id = 'KYC-TAP28-SCREEN'$$,
				  $$VALUES ('{"hits": 1, "name_count": 2, "result_seq": 100, "assessment_id": "a-KYC-TAP28-SCREEN"}'::jsonb, true)$$,
				  'is kept unapplied, with the count of names screened but not the names');
SET ROLE checklist_user;
SELECT kyc_checklist.create_checklist('KYC-TAP28-SCREEN', 'Corporate') AS screen_checklist \gset
RESET ROLE;
SELECT results_eq(format($$SELECT status, completed_by::text, notes FROM kyc_checklist.checklist_items
						   WHERE checklist_id = %L AND code = 'sanctions_pep_screening'$$, :'screen_checklist'),
				  $$VALUES ('Completed', 'screening:100',
							'Completed by the sanctions and PEP screening of 2 names, 1 hits (assessment a-KYC-TAP28-SCREEN, event 100 of tap28_risk)')$$,
				  'the checklist created afterwards has its screening item completed by the screening, hits or not');

-- The screening item of the case: status and completed_by; and a person
-- (checklist_user) reopening it.
CREATE FUNCTION pg_temp.screening_item() RETURNS text LANGUAGE sql AS $$
	SELECT i.status || ' ' || coalesce(i.completed_by, '-') FROM kyc_checklist.checklist_items i
	JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
	WHERE c.case_id = 'KYC-TAP28-SCREEN' AND i.code = 'sanctions_pep_screening'
$$;
CREATE FUNCTION pg_temp.reopen_screening_item(reason text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	SET LOCAL ROLE checklist_user;
	PERFORM kyc_checklist.reopen_item(i.id, reason) FROM kyc_checklist.checklist_items i
	JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
	WHERE c.case_id = 'KYC-TAP28-SCREEN' AND i.code = 'sanctions_pep_screening';
	RESET ROLE;
END $$;

-- The same screening again changes nothing, even after a person reopened the item.
SELECT pg_temp.reopen_screening_item('screened before the second director was added');
SELECT lives_ok($$SELECT pg_temp.deliver('risk_screenings',
				  pg_temp.screening(100, 'KYC-TAP28-SCREEN', '{Ada Screen,A. Screen}', 1))$$,
				'the same screening delivered again');
SELECT is(pg_temp.screening_item(), 'Pending -', 'changes nothing: the reopened item stays Pending');
SELECT is((SELECT count(*)::int FROM kyc_checklist.received_events WHERE case_id = 'KYC-TAP28-SCREEN'), 1,
		  'and is received once');

-- A newer screening completes it again; an older one delivered late does not.
SELECT lives_ok($$SELECT pg_temp.deliver('risk_screenings',
				  pg_temp.screening(102, 'KYC-TAP28-SCREEN', '{Ada Screen,A. Screen,Bo Director}', 0))$$,
				'a newer screening, of every name');
SELECT is(pg_temp.screening_item(), 'Completed screening:102', 'completes the reopened item');
SELECT pg_temp.reopen_screening_item('a name was misspelt');
SELECT lives_ok($$SELECT pg_temp.deliver('risk_screenings', pg_temp.screening(101, 'KYC-TAP28-SCREEN', '{Ada Screen}', 0))$$,
				'an older screening, delivered late');
SELECT is(pg_temp.screening_item(), 'Pending -', 'does not complete the item again: it is stale');

-- Only the handler writes the screening: prefix, and the received events.
SET ROLE checklist_user;
SELECT throws_ok(format($$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'screening:103'
						  WHERE checklist_id = %L AND code = 'sanctions_pep_screening'$$, :'screen_checklist'),
				 '42501', 'completed_by "screening:103" is reserved for sanctions and PEP screenings',
				 'checklist_user cannot complete the item as a screening');
SELECT throws_ok($$INSERT INTO kyc_checklist.received_events (source, event_id, topic, case_id, payload)
				   VALUES ('risk_service', 1, 'risk.screening_completed', 'KYC-TAP28-FORGED', '{}')$$,
				 '42501', NULL, 'nor record a received event');
RESET ROLE;

------------------------------------------------------------------------
-- Every required item of every default template completes by a document
-- or by an event; every mapped document type is one document_service has.
------------------------------------------------------------------------
SELECT is_empty($$SELECT t.type, t.code FROM kyc_checklist.template_items t
				  WHERE t.is_required
				  AND NOT EXISTS (SELECT FROM kyc_checklist.document_item_map m WHERE m.item_code = t.code)
				  AND NOT EXISTS (SELECT FROM kyc_checklist.event_item_map e WHERE e.item_code = t.code)$$,
				'every required template item completes by a document or by an event');
-- And the items that can complete so reach the template's completion
-- percentage: the optional ones no document or event completes must not
-- hold a checklist back.
SELECT is_empty($$SELECT t.type FROM kyc_checklist.checklist_templates t JOIN kyc_checklist.template_items i USING (type)
				  GROUP BY t.type, t.required_completion_percentage
				  HAVING 100.0 * count(*) FILTER (WHERE EXISTS (SELECT FROM kyc_checklist.document_item_map m WHERE m.item_code = i.code)
												 OR EXISTS (SELECT FROM kyc_checklist.event_item_map e WHERE e.item_code = i.code))
						 / count(*) < t.required_completion_percentage$$,
				'every default template reaches its completion percentage by documents and events alone');
SELECT x AS document_checks FROM dblink('docsu', $$SELECT string_agg(pg_get_constraintdef(oid), ' ')
	FROM pg_constraint WHERE conrelid = 'kyc_document.documents'::regclass AND contype = 'c'$$) AS t(x text) \gset
SELECT is_empty(format($$SELECT m.document_type FROM kyc_checklist.document_item_map m
						 WHERE strpos(%L, quote_literal(m.document_type) || '::text') = 0$$, :'document_checks'),
				'every document type of the mapping is one document_service accepts');

SELECT dblink_disconnect('onb');
SELECT dblink_disconnect('onbsu');
SELECT dblink_disconnect('doc');
SELECT dblink_disconnect('docsu');
SELECT * FROM finish();
