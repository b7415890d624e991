-- The audit trail of a case is complete (issue 11): one case walks through
-- every service, each step as that service's role, and the audit log then
-- holds one entry per captured change, found by the case's public KYC-...
-- id: the case, its applicant and addresses, its checklist and items, its
-- assessment, factors and factor reasons, its documents.  Before, the
-- applicant's entries carried the case's uuid, and addresses, factors and
-- checklist items none.  Then the case's records are deleted, as an
-- administrator erasing them would: the children go by cascade after their
-- parents, and their audit entries must still name the case (each child
-- row keeps the case's public id).  No transaction: the relay delivers
-- what is committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(18);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('chk', :'host' || ' dbname=checklist_service user=checklist_user');
SELECT dblink_connect('rsk', :'host' || ' dbname=risk_service user=risk_user');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('aud', :'host' || ' dbname=auditlog_service user=auditlog_user');

-- Onboarding: the case with its applicant and one address, then a second
-- address and a change of the applicant's phone.
SELECT c AS case_id FROM dblink('onb', $$SELECT kyc_onboarding.create_case('Individual', NULL, 'tap-audit-trail',
	'{"first_name": "Ada", "last_name": "Trail", "email": "ada.trail@example.com",
	  "addresses": [{"type": "Residential", "street": "1 Audit Row", "city": "London",
					 "postal_code": "N1 1AA", "country": "GB", "is_primary": true}]}')$$) AS t(c text) \gset
SELECT u AS case_uuid FROM dblink('onb', format('SELECT id FROM kyc_onboarding.onboarding_cases WHERE case_id = %L',
	:'case_id')) AS t(u text) \gset
SELECT dblink_exec('onb', format($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, postal_code, country)
	SELECT a.id, 'Mailing', '2 Ledger Lane', 'Leeds', 'LS1 1AA', 'GB'
	FROM kyc_onboarding.applicants a JOIN kyc_onboarding.onboarding_cases c ON c.id = a.case_uuid
	WHERE c.case_id = %L$$, :'case_id'));
SELECT dblink_exec('onb', format($$UPDATE kyc_onboarding.applicants a SET phone_number = '+442071234567'
	FROM kyc_onboarding.onboarding_cases c WHERE c.id = a.case_uuid AND c.case_id = %L$$, :'case_id'));

-- Checklist: created from the template, one item completed by hand.
SELECT x AS checklist FROM dblink('chk', format($$SELECT kyc_checklist.create_checklist(%L, 'Individual')::text$$, :'case_id'))
	AS t(x text) \gset
SELECT dblink_exec('chk', format($$UPDATE kyc_checklist.checklist_items i SET status = 'Completed', completed_by = 'tap'
	FROM kyc_checklist.checklists c WHERE c.id = i.checklist_id AND c.case_id = %L
	AND i.id = (SELECT i2.id FROM kyc_checklist.checklist_items i2 WHERE i2.checklist_id = c.id
				AND i2.code NOT IN (SELECT m.item_code FROM kyc_checklist.document_item_map m) ORDER BY i2.code LIMIT 1)$$,
	:'case_id'));

-- Risk: a workflow factor, then a person's factor with its reason.
SELECT x AS geography FROM dblink('rsk', format($$SELECT kyc_risk.assess_geography(%L, ARRAY['GB'])::text$$, :'case_id'))
	AS t(x text) \gset
SELECT dblink_exec('rsk', $$SET kyc_risk.change_reason = 'pgTAP: PEP screening, no match'$$);
SELECT dblink_exec('rsk', format($$INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description)
	VALUES (kyc_risk.open_assessment(%L), 'PEP', 0, 'No PEP match')$$, :'case_id'));

-- Documents: a passport registered, then verified.
SELECT x AS document FROM dblink('doc', format($$SELECT kyc_document.register_document(%L, 'Passport',
	'passport.pdf', 'application/pdf', 1000, repeat('a', 64), 's3://tap/audit-trail/passport.pdf')::text$$,
	:'case_id')) AS t(x text) \gset
SELECT x AS verified FROM dblink('doc', format($$SELECT kyc_document.verify_document(%L, 'tap-reviewer')::text$$,
	:'document')) AS t(x text) \gset

\ir lib/wait_for.psql
-- The verified passport completes the case's proof_of_identity item in
-- checklist_service, through the relay: a change of the case too.
SELECT ok(pg_temp.wait_for('the checklist to see the passport', format('SELECT n = 1 FROM dblink(%L, %L) AS t(n bigint)',
			'chk', format($$SELECT count(*) FROM kyc_checklist.checklist_items i JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
			  WHERE c.case_id = %L AND i.code = 'proof_of_identity' AND i.status = 'Completed'$$, :'case_id')), 60),
		  'the verified passport completed proof_of_identity in checklist_service');

-- risk_service assesses the case by itself from onboarding's events
-- (subscription onboarding_events): its writes are part of the trail, so
-- wait until it has applied the applicant's last change.
SELECT x AS last_applicant_event FROM dblink('onb', format($$SELECT max(id)::text FROM kyc_events.outbox
	WHERE aggregate_id = %L AND topic = 'applicant.updated'$$, :'case_id')) AS t(x text) \gset
SELECT ok(pg_temp.wait_for('risk_service to apply the applicant''s changes', format('SELECT n = 1 FROM dblink(%L, %L) AS t(n bigint)',
			'rsk', format($$SELECT count(*) FROM kyc_risk.applicant_subjects WHERE case_id = %L AND last_event_id = %s$$,
						  :'case_id', :'last_applicant_event')), 60),
		  'risk_service applied the applicant''s last change');
-- And onboarding applies risk_service's last result to the case
-- (subscription risk_results): an update of the case, also in the trail.
SELECT x AS last_risk_event FROM dblink('rsk', format($$SELECT coalesce(max(id), 0)::text FROM kyc_events.outbox
	WHERE aggregate_id = %L AND topic IN ('risk.assessment_completed', 'risk.assessment_rescored')$$, :'case_id'))
	AS t(x text) \gset
SELECT ok(pg_temp.wait_for('onboarding to apply the risk result', format('SELECT n = 1 FROM dblink(%L, %L) AS t(n bigint)',
			'onb', format($$SELECT count(*) FROM kyc_onboarding.onboarding_cases
						   WHERE case_id = %L AND coalesce(risk_event_id, 0) = %s$$, :'case_id', :'last_risk_event')), 60),
		  'onboarding applied the case''s last risk result');

-- What each service captured of the case: every captured event for a row
-- of the case carries its public id, and nothing of the case goes without.
CREATE FUNCTION pg_temp.captured(conn text, case_rows text, case_id text) RETURNS TABLE (tab text, op text, n bigint)
LANGUAGE sql AS $$
	SELECT * FROM dblink(conn, format(
		'SELECT o.payload->>%L, o.payload->>%L, count(*) FROM kyc_events.outbox o
		 WHERE o.topic = %L AND (o.payload->>%L = %L OR o.payload->>%L IN (%s))
		 GROUP BY 1, 2', 'table', 'operation', 'audit.recorded', 'case_id', case_id, 'row_id', case_rows))
	AS t(tab text, op text, n bigint)
$$;
CREATE FUNCTION pg_temp.uncased(conn text, case_rows text) RETURNS bigint LANGUAGE sql AS $$
	SELECT n FROM dblink(conn, format(
		'SELECT count(*) FROM kyc_events.outbox o WHERE o.topic = %L AND o.payload->>%L IS NULL
		 AND o.payload->>%L IN (%s)', 'audit.recorded', 'case_id', 'row_id', case_rows)) AS t(n bigint)
$$;
-- The ids of the case's rows in each service, as SQL run there.
SELECT format($$SELECT id::text FROM kyc_onboarding.onboarding_cases WHERE case_id = %1$L
	UNION ALL SELECT a.id::text FROM kyc_onboarding.applicants a JOIN kyc_onboarding.onboarding_cases c ON c.id = a.case_uuid WHERE c.case_id = %1$L
	UNION ALL SELECT d.id::text FROM kyc_onboarding.addresses d JOIN kyc_onboarding.applicants a ON a.id = d.applicant_id
		JOIN kyc_onboarding.onboarding_cases c ON c.id = a.case_uuid WHERE c.case_id = %1$L$$, :'case_id') AS onb_rows,
	   format($$SELECT id::text FROM kyc_checklist.checklists WHERE case_id = %1$L
	UNION ALL SELECT i.id::text FROM kyc_checklist.checklist_items i JOIN kyc_checklist.checklists c ON c.id = i.checklist_id
		WHERE c.case_id = %1$L$$, :'case_id') AS chk_rows,
	   format($$SELECT id::text FROM kyc_risk.risk_assessments WHERE case_id = %1$L
	UNION ALL SELECT f.id::text FROM kyc_risk.risk_factors f JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id
		WHERE a.case_id = %1$L
	UNION ALL SELECT c.id::text FROM kyc_risk.factor_changes c JOIN kyc_risk.risk_assessments a ON a.id = c.risk_assessment_id
		WHERE a.case_id = %1$L$$, :'case_id') AS rsk_rows,
	   format($$SELECT id::text FROM kyc_document.documents WHERE case_id = %L$$, :'case_id') AS doc_rows \gset

SELECT is(pg_temp.uncased('onb', :'onb_rows') + pg_temp.uncased('chk', :'chk_rows')
		  + pg_temp.uncased('rsk', :'rsk_rows') + pg_temp.uncased('doc', :'doc_rows'), 0::bigint,
		  'every captured change of the case''s rows carries its public case id');

CREATE TEMP TABLE source AS
SELECT * FROM pg_temp.captured('onb', :'onb_rows', :'case_id')
UNION ALL SELECT * FROM pg_temp.captured('chk', :'chk_rows', :'case_id')
UNION ALL SELECT * FROM pg_temp.captured('rsk', :'rsk_rows', :'case_id')
UNION ALL SELECT * FROM pg_temp.captured('doc', :'doc_rows', :'case_id');
-- One per change, known in advance where the walk-through decides it.
SELECT results_eq($$SELECT tab, op, n FROM source
					WHERE tab IN ('kyc_onboarding.onboarding_cases', 'kyc_onboarding.applicants',
								  'kyc_onboarding.addresses', 'kyc_checklist.checklists',
								  'kyc_risk.risk_assessments', 'kyc_document.documents')
					   OR op = 'DELETE' ORDER BY tab, op$$,
				  $$VALUES ('kyc_checklist.checklists', 'INSERT', 1::bigint),
						   ('kyc_checklist.checklists', 'UPDATE', (SELECT n FROM source
								WHERE tab = 'kyc_checklist.checklists' AND op = 'UPDATE')),
						   ('kyc_document.documents', 'INSERT', 1),
						   ('kyc_document.documents', 'UPDATE', 1),
						   ('kyc_onboarding.addresses', 'INSERT', 2),
						   ('kyc_onboarding.applicants', 'INSERT', 1),
						   ('kyc_onboarding.applicants', 'UPDATE', 1),
						   ('kyc_onboarding.onboarding_cases', 'INSERT', 1),
						   ('kyc_onboarding.onboarding_cases', 'UPDATE', (SELECT n FROM source
								WHERE tab = 'kyc_onboarding.onboarding_cases' AND op = 'UPDATE')),
						   ('kyc_risk.risk_assessments', 'INSERT', 1),
						   ('kyc_risk.risk_assessments', 'UPDATE', (SELECT n FROM source
								WHERE tab = 'kyc_risk.risk_assessments' AND op = 'UPDATE'))$$,
				  'the services captured the case, its applicant and two addresses, its checklist, assessment and document');
SELECT ok((SELECT n >= 1 FROM source WHERE tab = 'kyc_checklist.checklist_items' AND op = 'UPDATE'),
		  'the completed checklist item was captured');
SELECT is((SELECT n FROM source WHERE tab = 'kyc_checklist.checklist_items' AND op = 'INSERT'),
		  (SELECT n FROM dblink('chk', format($$SELECT count(*) FROM kyc_checklist.checklist_items i
			JOIN kyc_checklist.checklists c ON c.id = i.checklist_id WHERE c.case_id = %L$$, :'case_id')) AS t(n bigint)),
		  'each of the checklist''s items was captured');
SELECT is((SELECT n FROM source WHERE tab = 'kyc_risk.risk_factors' AND op = 'INSERT'), 4::bigint,
		  'the four risk factors were captured: Geography, the workflow''s Sanctions and PEP screening, the person''s PEP');
SELECT is((SELECT n FROM source WHERE tab = 'kyc_risk.factor_changes' AND op = 'INSERT'), 1::bigint,
		  'the reason for the person''s factor was captured');

-- The relay delivers them; the audit log, asked by the case's public id
-- as auditlog_user, has one entry per captured change.
CREATE FUNCTION pg_temp.logged(case_id text) RETURNS TABLE (tab text, op text, n bigint) LANGUAGE sql AS $$
	SELECT * FROM dblink('aud', format(
		'SELECT entity_type, CASE action WHEN %L THEN %L WHEN %L THEN %L ELSE %L END, count(*)
		 FROM kyc_auditlog.audit_log_entries WHERE case_id = %L AND event_type = %L GROUP BY 1, 2',
		'Create', 'INSERT', 'Update', 'UPDATE', 'DELETE', case_id, 'audit.recorded'))
	AS t(tab text, op text, n bigint)
$$;
SELECT ok(pg_temp.wait_for('the case''s audit entries',
		  format($$SELECT (SELECT sum(n) FROM pg_temp.logged(%L)) >= (SELECT sum(n) FROM source)$$, :'case_id'), 60),
		  'the relay delivered the case''s changes to the audit log within 60 seconds');
SELECT set_eq(format('SELECT * FROM pg_temp.logged(%L)', :'case_id'), 'SELECT * FROM source',
			  'by case_id, the audit log has exactly one entry per captured change, table by table');
SELECT is((SELECT count(DISTINCT tab)::int FROM pg_temp.logged(:'case_id')), 9,
		  'the case''s entries span all nine captured tables of the four services');
SELECT is((SELECT n FROM dblink('aud', format('SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE case_id = %L',
			:'case_uuid')) AS t(n bigint)), 0::bigint, 'no entry names the case by its internal uuid');
SELECT is((SELECT count(DISTINCT tab)::int FROM pg_temp.logged(:'case_id') WHERE tab LIKE 'kyc_risk.%'), 3,
		  'the assessment, its factors and the factor''s reason are all the case''s');

-- An administrator deletes the case's records in three services; the
-- children go by cascade, after their parents are gone.
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('chk_admin', :'host' || ' dbname=checklist_service');
SELECT dblink_connect('rsk_admin', :'host' || ' dbname=risk_service');
SELECT dblink_exec('onb_admin', format('DELETE FROM kyc_onboarding.onboarding_cases WHERE case_id = %L', :'case_id'));
SELECT dblink_exec('chk_admin', format('DELETE FROM kyc_checklist.checklists WHERE case_id = %L', :'case_id'));
SELECT dblink_exec('rsk_admin', format($$BEGIN; SET LOCAL kyc_risk.change_reason = 'pgTAP: erasure';
	DELETE FROM kyc_risk.risk_assessments WHERE case_id = %L; COMMIT$$, :'case_id'));
CREATE FUNCTION pg_temp.deleted(conn text, case_id text) RETURNS TABLE (tab text, cased bigint, uncased bigint) LANGUAGE sql AS $$
	SELECT * FROM dblink(conn, format(
		'SELECT o.payload->>%L, count(*) FILTER (WHERE o.payload->>%L = %L), count(*) FILTER (WHERE o.payload->>%L IS NULL)
		 FROM kyc_events.outbox o WHERE o.topic = %L AND o.payload->>%L = %L GROUP BY 1',
		'table', 'case_id', case_id, 'case_id', 'audit.recorded', 'operation', 'DELETE'))
	AS t(tab text, cased bigint, uncased bigint)
$$;
CREATE TEMP TABLE erased AS
SELECT * FROM pg_temp.deleted('onb_admin', :'case_id') UNION ALL SELECT * FROM pg_temp.deleted('chk_admin', :'case_id')
UNION ALL SELECT * FROM pg_temp.deleted('rsk_admin', :'case_id');
SELECT is((SELECT sum(uncased) FROM erased), 0::numeric, 'no captured delete goes without a case id');
SELECT results_eq($$SELECT tab, cased FROM erased WHERE tab NOT IN ('kyc_checklist.checklist_items') ORDER BY tab$$,
				  $$VALUES ('kyc_checklist.checklists', 1::bigint), ('kyc_onboarding.addresses', 2),
						   ('kyc_onboarding.applicants', 1), ('kyc_onboarding.onboarding_cases', 1),
						   ('kyc_risk.risk_assessments', 1), ('kyc_risk.risk_factors', 4)$$,
				  'the deleted case, its applicant and both addresses, checklist, assessment and its four factors, each by the case id');
SELECT is((SELECT cased FROM erased WHERE tab = 'kyc_checklist.checklist_items'),
		  (SELECT n FROM source WHERE tab = 'kyc_checklist.checklist_items' AND op = 'INSERT'),
		  'every item deleted with the checklist names the case');
SELECT ok(pg_temp.wait_for('the deletes'' audit entries',
		  format($$SELECT (SELECT sum(n) FROM pg_temp.logged(%L) WHERE op = 'DELETE') = (SELECT sum(cased) FROM erased)$$,
				 :'case_id'), 60),
		  'by case_id, the audit log has one entry per cascaded delete');
SELECT dblink_disconnect('onb_admin');
SELECT dblink_disconnect('chk_admin');
SELECT dblink_disconnect('rsk_admin');
SELECT dblink_disconnect('onb');
SELECT dblink_disconnect('chk');
SELECT dblink_disconnect('rsk');
SELECT dblink_disconnect('doc');
SELECT dblink_disconnect('aud');
SELECT * FROM finish();
