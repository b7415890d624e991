-- risk_service assesses onboarding's cases by itself (issue 12): a case
-- created in onboarding, as onboarding_user, reaches risk_service through
-- the relay (subscription onboarding_events), which opens its assessment
-- and writes the automated factors: Geography from the applicant's
-- nationality and address countries (the riskiest named), Sanctions and
-- PEP from screening every name, Industry from the case's industry code.
-- A change of the applicant replaces them, never duplicates them; a
-- person's factor stays, and the score follows.  An Individual completes
-- without Industry; a Corporate case waits for it.  The events risk emits
-- carry the contract's keys.  No transaction: the relay delivers what is
-- committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(28 + 5 + 3 + 10);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('rsk', :'host' || ' dbname=risk_service user=risk_user');
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('rsk_admin', :'host' || ' dbname=risk_service');

\ir lib/wait_for.psql
-- The case's factors in risk_service, as risk_user reads them.
CREATE FUNCTION pg_temp.factors(case_id text)
RETURNS TABLE (type text, score numeric, description text, source text, system_owned boolean)
LANGUAGE sql AS $$
	SELECT * FROM dblink('rsk', format($q$SELECT f.type, f.score, f.description, f.source::text, f.system_owned
		FROM kyc_risk.risk_factors f JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id
		WHERE a.case_id = %L ORDER BY f.type, f.score DESC, f.description$q$, case_id))
	AS t(type text, score numeric, description text, source text, system_owned boolean)
$$;
CREATE FUNCTION pg_temp.assessment(case_id text)
RETURNS TABLE (status text, score numeric, level text, manual_review boolean, case_type text)
LANGUAGE sql AS $$
	SELECT * FROM dblink('rsk', format($q$SELECT status, risk_score, overall_risk_level::text, manual_review, case_type
		FROM kyc_risk.risk_assessments WHERE case_id = %L$q$, case_id))
	AS t(status text, score numeric, level text, manual_review boolean, case_type text)
$$;
-- risk_service's results of the case, read as its owner (the outbox is the
-- relay's); risk.subjects_applied, which follows every onboarding event,
-- is read apart.
CREATE FUNCTION pg_temp.events(case_id text) RETURNS TABLE (id bigint, topic text, payload jsonb)
LANGUAGE sql AS $$
	SELECT * FROM dblink('rsk_admin', format($q$SELECT id, topic, payload FROM kyc_events.outbox
		WHERE aggregate_id = %L AND topic LIKE 'risk.%%' AND topic <> 'risk.subjects_applied' ORDER BY id$q$, case_id))
	AS t(id bigint, topic text, payload jsonb)
$$;

SELECT is((SELECT x FROM dblink('rsk_admin', $$SELECT topics::text || ' ' || handler::text FROM kyc_events.subscription
			WHERE name = 'onboarding_events'$$) AS t(x text)),
		  '{case.created,case.updated,applicant.updated,applicant.removed} kyc_risk.on_onboarding_event(kyc_events.event)',
		  'provision subscribed risk_service to onboarding''s cases and applicants');

-- The watch lists name the applicant twice: on a sanctions list, and as a PEP.
SELECT x AS sanctioned FROM dblink('rsk', $$SELECT kyc_risk.add_watchlist_entity('TAP-WORKFLOW-SANCTIONS', 'person',
	ARRAY['Ozymandias Tapworth'], '1958-07-21', program => 'TAP')$$) AS t(x bigint) \gset
SELECT x AS pep FROM dblink('rsk', $$SELECT kyc_risk.add_watchlist_entity('PEP', 'pep', ARRAY['Ozymandias Tapworth'],
	'1958-07-21')$$) AS t(x bigint) \gset

-- An Individual, Nigerian, living in London with a second address in Tehran.
SELECT c AS case_id FROM dblink('onb', $$SELECT kyc_onboarding.create_case('Individual', NULL, 'tap-risk-workflow',
	'{"first_name": "Ozymandias", "last_name": "Tapworth", "date_of_birth": "1958-07-21", "nationality": "NG",
	  "email": "ozymandias@example.com",
	  "addresses": [{"type": "Residential", "street": "1 Risk Row", "city": "London", "country": "GB", "is_primary": true},
					{"type": "Mailing", "street": "2 Enghelab", "city": "Tehran", "country": "IR"}]}')$$) AS t(c text) \gset

SELECT ok(pg_temp.wait_for('the case''s automated factors', format($$SELECT count(DISTINCT type) = 3
			FROM pg_temp.factors(%L) WHERE system_owned$$, :'case_id'), 60),
		  'risk_service assessed the new case within 60 seconds');
-- applicant.updated lists every address once onboarding sends addresses;
-- before, risk reads the primary address alone.
SELECT bool_or(x) AS has_addresses FROM dblink('onb', format($$SELECT payload ? 'addresses' FROM kyc_events.outbox
	WHERE aggregate_id = %L AND topic = 'applicant.updated'$$, :'case_id')) AS t(x boolean) \gset
SELECT results_eq(format($$SELECT type, score, description FROM pg_temp.factors(%L) WHERE type = 'Geography'$$, :'case_id'),
				  CASE WHEN :'has_addresses' THEN
				  $$VALUES ('Geography', 100.00, 'Countries: IR (FATF black list, 100.00), NG (FATF grey list, 70.00), GB (not listed, 10.00)')$$
				  ELSE $$VALUES ('Geography', 70.00, 'Countries: NG (FATF grey list, 70.00), GB (not listed, 10.00)')$$ END,
				  'Geography: the riskiest of nationality and address countries, named first');
SELECT results_eq(format($$SELECT type, source, description LIKE '%%screened name "Ozymandias Tapworth"'
							 FROM pg_temp.factors(%L) WHERE type IN ('Sanctions', 'PEP')$$, :'case_id'),
				  $$VALUES ('PEP', 'kyc_risk.on_onboarding_event', true),
						   ('Sanctions', 'kyc_risk.on_onboarding_event', true)$$,
				  'one Sanctions and one PEP hit, from screening the applicant''s name');
SELECT ok((SELECT bool_and(score >= 85 AND system_owned) FROM pg_temp.factors(:'case_id') WHERE type IN ('Sanctions', 'PEP')),
		  'the hits are scored as matches, and system-owned');
SELECT results_eq(format($$SELECT status, level, manual_review, case_type FROM pg_temp.assessment(%L)$$, :'case_id'),
				  $$VALUES ('Completed', 'High', true, 'Individual')$$,
				  'the Individual completes without Industry: High, for manual review');

-- The events: one completion, one screening, with the contract's keys.
SELECT results_eq(format($$SELECT topic FROM pg_temp.events(%L)$$, :'case_id'),
				  ARRAY['risk.assessment_completed', 'risk.screening_completed'],
				  'risk.assessment_completed, then risk.screening_completed');
SELECT ok((SELECT payload ?& ARRAY['case_id', 'assessment_id', 'level', 'score', 'manual_review', 'overrides',
								   'factors', 'result_seq', 'case_type']
		   FROM pg_temp.events(:'case_id') WHERE topic = 'risk.assessment_completed'),
		  'risk.assessment_completed carries case_id, assessment_id, level, score, manual_review, overrides, factors, result_seq, case_type');
SELECT results_eq(format($$SELECT payload->>'case_type', payload->>'level', (payload->>'manual_review')::boolean
							 FROM pg_temp.events(%L) WHERE topic = 'risk.assessment_completed'$$, :'case_id'),
				  $$VALUES ('Individual', 'High', true)$$, '... with the case type and the result');
SELECT results_eq(format($$SELECT payload->'names', (payload->>'hits')::int, payload ? 'assessment_id'
							 FROM pg_temp.events(%L) WHERE topic = 'risk.screening_completed'$$, :'case_id'),
				  $$VALUES ('["Ozymandias Tapworth"]'::jsonb, 2, true)$$,
				  'risk.screening_completed names what was screened, and counts the hits');
SELECT ok((SELECT array_agg((payload->>'result_seq')::bigint ORDER BY id) = ARRAY[1, 2]::bigint[]
		   FROM pg_temp.events(:'case_id')),
		  'result_seq numbers the results, one after the other');

-- A person's factor, with its reason, as risk_user.
SELECT dblink_exec('rsk', format($$BEGIN; SET LOCAL kyc_risk.change_reason = 'pgTAP: adverse press';
	INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source)
	SELECT id, 'AdverseMedia', 90, 'press reports', 'analyst-tap' FROM kyc_risk.risk_assessments WHERE case_id = %L;
	COMMIT$$, :'case_id'));

-- The applicant changes name and nationality, and drops the Tehran
-- address, in one transaction.
SELECT dblink_exec('onb', format($$BEGIN;
	UPDATE kyc_onboarding.applicants a SET first_name = 'Quentin', last_name = 'Clearwater', nationality = 'GB'
	FROM kyc_onboarding.onboarding_cases c WHERE c.id = a.case_uuid AND c.case_id = %1$L;
	DELETE FROM kyc_onboarding.addresses d USING kyc_onboarding.applicants a, kyc_onboarding.onboarding_cases c
	WHERE d.applicant_id = a.id AND c.id = a.case_uuid AND c.case_id = %1$L AND d.country = 'IR';
	COMMIT$$, :'case_id'));
SELECT ok(pg_temp.wait_for('the new screening', format($$SELECT count(*) = 1 FROM pg_temp.factors(%L)
			WHERE type = 'Sanctions' AND description LIKE 'No sanctions match%%Quentin Clearwater%%'$$, :'case_id'), 60),
		  'the changed applicant is screened again');
SELECT results_eq(format($$SELECT type, count(*)::int, max(score) FROM pg_temp.factors(%L) GROUP BY 1 ORDER BY 1$$, :'case_id'),
				  $$VALUES ('AdverseMedia', 1, 90.00), ('Geography', 1, 10.00), ('PEP', 1, 0.00), ('Sanctions', 1, 0.00)$$,
				  'the automated factors are replaced, not added to; the person''s factor stays');
SELECT results_eq(format($$SELECT description FROM pg_temp.factors(%L) WHERE type IN ('PEP', 'Geography')$$, :'case_id'),
				  $$VALUES ('Countries: GB (not listed, 10.00)'),
						   ('No PEP match for the 1 name(s) screened at threshold 0.85: "Quentin Clearwater"')$$,
				  'Geography now from British nationality and London alone; the PEP factor says what was screened');
-- (10 * 0.20 + 0 * 0.30 + 0 * 0.20 + 90 * 0.15) / 0.85 = 18.24
SELECT results_eq(format($$SELECT status, score, level, manual_review FROM pg_temp.assessment(%L)$$, :'case_id'),
				  $$VALUES ('Completed', 18.24, 'Low', false)$$, 'the score follows: no hit, no override');
SELECT results_eq(format($$SELECT topic, (payload->>'score')::numeric, payload->>'level', (payload->>'result_seq')::int
							 FROM pg_temp.events(%L) ORDER BY id$$, :'case_id'),
				  format($$SELECT * FROM (VALUES ('risk.assessment_completed', %s, 'High', 1),
						   ('risk.screening_completed', NULL::numeric, NULL, 2),
						   ('risk.assessment_rescored', %s, 'High', 3),
						   ('risk.assessment_rescored', 18.24, 'Low', 4),
						   ('risk.screening_completed', NULL, NULL, 5)) v$$,
						 (SELECT payload->>'score' FROM pg_temp.events(:'case_id') WHERE topic = 'risk.assessment_completed'),
						 (SELECT payload->>'score' FROM pg_temp.events(:'case_id') WHERE topic = 'risk.assessment_rescored'
						  ORDER BY id LIMIT 1)),
				  'each later change of a completed result is risk.assessment_rescored, numbered on');
SELECT ok((SELECT payload->'factors' @> '[{"type": "AdverseMedia", "score": 90.00}]'
		   FROM pg_temp.events(:'case_id') WHERE topic = 'risk.assessment_rescored' ORDER BY id LIMIT 1),
		  'the first rescore is the person''s AdverseMedia factor');

-- The same event again, or an older one, changes nothing.  The event as
-- the relay hands it over: source is the subscription's source.
SELECT x AS src FROM dblink('rsk_admin', format('SELECT source FROM kyc_risk.applicant_subjects WHERE case_id = %L',
	:'case_id')) AS t(x text) \gset
SELECT e AS first_event FROM dblink('onb_admin', format($$SELECT (%L, o.id, o.xid, o.topic, o.aggregate_id, o.payload,
	o.headers, o.created_at)::text FROM kyc_events.outbox o
	WHERE o.aggregate_id = %L AND o.topic = 'applicant.updated' ORDER BY o.id LIMIT 1$$, :'src', :'case_id')) AS t(e text) \gset
SELECT is((SELECT x FROM dblink('rsk_admin', format('SELECT kyc_risk.apply_onboarding_event(%L::kyc_events.event)',
			:'first_event')) AS t(x text)), NULL, 'an older applicant.updated is not applied again');
SELECT is((SELECT x FROM dblink('rsk_admin', format($$SELECT first_name || ' ' || last_name FROM kyc_risk.applicant_subjects
			WHERE case_id = %L$$, :'case_id')) AS t(x text)), 'Quentin Clearwater', '... and leaves the newer data');
SELECT is((SELECT count(*)::int FROM pg_temp.events(:'case_id')), 5, '... and emits nothing');
-- Every onboarding event of the case that risk_service assesses it by is
-- acknowledged, changed or not: onboarding waits for it (risk_sync).
SELECT is((SELECT x FROM dblink('rsk_admin', format($q$SELECT string_agg(DISTINCT payload->>'topic', ',' ORDER BY payload->>'topic')
			|| ' up to ' || max((payload->>'event_id')::bigint) FROM kyc_events.outbox
			WHERE aggregate_id = %L AND topic = 'risk.subjects_applied'$q$, :'case_id')) AS t(x text)),
		  (SELECT 'applicant.updated,case.created up to ' || x FROM dblink('onb_admin', format($q$SELECT max(id)::text FROM kyc_events.outbox
			WHERE aggregate_id = %L AND topic IN ('case.created', 'applicant.updated')$q$, :'case_id')) AS t(x text)),
		  'risk.subjects_applied acknowledges each applied case.created and applicant.updated, up to the last');

-- Only the relay may call the handler.
SELECT is((SELECT x FROM dblink('rsk', $$SELECT has_function_privilege('kyc_risk.on_onboarding_event(kyc_events.event)',
			'EXECUTE')::text$$) AS t(x text)), 'false', 'risk_user may not execute on_onboarding_event()');
SELECT throws_ok(format($$SELECT * FROM dblink('rsk_admin', %L) AS t(x text)$$,
					   format('SELECT pg_typeof(kyc_risk.on_onboarding_event(%L::kyc_events.event))::text', :'first_event')),
				 '42501', NULL, 'a direct call, even by the owner, is refused');

-- A Corporate case waits for its Industry factor.
SELECT c AS corp_id FROM dblink('onb', $$SELECT kyc_onboarding.create_case('Corporate', NULL, 'tap-risk-workflow-corp',
	'{"first_name": "Wilhelmina", "last_name": "Quarrystone", "nationality": "DE",
	  "addresses": [{"type": "Residential", "street": "3 Hafen", "city": "Hamburg", "country": "DE", "is_primary": true}]}')$$)
	AS t(c text) \gset
SELECT ok(pg_temp.wait_for('the Corporate case''s factors', format($$SELECT count(DISTINCT type) = 3
			FROM pg_temp.factors(%L) WHERE system_owned$$, :'corp_id'), 60),
		  'the Corporate case has its Geography, Sanctions and PEP factors');
SELECT results_eq(format($$SELECT status, case_type FROM pg_temp.assessment(%L)$$, :'corp_id'),
				  $$VALUES ('InProgress', 'Corporate')$$, 'but does not complete without Industry');
SELECT results_eq(format($$SELECT topic, (payload->>'hits')::int FROM pg_temp.events(%L)$$, :'corp_id'),
				  $$VALUES ('risk.screening_completed', 0)$$, 'its clean screening is announced');
-- With part O's industry_code, the case carries its industry; otherwise risk_user assesses it.
SELECT (SELECT n FROM dblink('onb_admin', $$SELECT count(*) FROM pg_attribute WHERE attrelid = 'kyc_onboarding.onboarding_cases'::regclass
	AND attname IN ('industry_code', 'company_name') AND NOT attisdropped$$) AS t(n bigint)) = 2 AS has_industry \gset
SELECT CASE WHEN :'has_industry' THEN
	dblink_exec('onb_admin', format($$UPDATE kyc_onboarding.onboarding_cases SET industry_code = 'software',
		company_name = 'Quarrystone Holdings GmbH' WHERE case_id = %L$$, :'corp_id'))
ELSE
	(SELECT x FROM dblink('rsk', format($$SELECT kyc_risk.assess_industry(%L, 'software')::text$$, :'corp_id')) AS t(x text))
END \g /dev/null
SELECT ok(pg_temp.wait_for('the Corporate case''s completion', format($$SELECT status = 'Completed'
			FROM pg_temp.assessment(%L)$$, :'corp_id'), 60),
		  'with its Industry factor, the Corporate case completes');
SELECT results_eq(format($$SELECT type, score, system_owned FROM pg_temp.factors(%L) WHERE type = 'Industry'$$, :'corp_id'),
				  $$VALUES ('Industry', 15.00, true)$$, 'Industry: software, from industry_risk');


-- A second applicant of the Corporate case (a beneficial owner, once
-- onboarding names roles) is screened and placed too; removed, its hits go.
SELECT dblink_exec('onb', format($$INSERT INTO kyc_onboarding.applicants (case_id, first_name, last_name, date_of_birth, nationality)
	VALUES (%L, 'Ozymandias', 'Tapworth', '1958-07-21', 'IR')$$, :'corp_id'));
SELECT ok(pg_temp.wait_for('the second applicant''s screening', format($$SELECT count(*) = 2 FROM pg_temp.factors(%L)
			WHERE type IN ('Sanctions', 'PEP') AND score >= 85$$, :'corp_id'), 60),
		  'a second applicant of the case is screened too: its Sanctions and PEP hits');
SELECT results_eq(format($$SELECT description FROM pg_temp.factors(%L) WHERE type = 'Geography'$$, :'corp_id'),
				  $$VALUES ('Countries: IR (FATF black list, 100.00), DE (not listed, 10.00)')$$,
				  'Geography: the riskiest country of any applicant');
SELECT ok((SELECT payload->'names' @> '["Wilhelmina Quarrystone", "Ozymandias Tapworth"]' AND (payload->>'hits')::int = 2
		   FROM pg_temp.events(:'corp_id') WHERE topic = 'risk.screening_completed' ORDER BY id DESC LIMIT 1),
		  'risk.screening_completed names both applicants');
SELECT dblink_exec('onb_admin', format($$DELETE FROM kyc_onboarding.applicants WHERE case_id = %L AND last_name = 'Tapworth'$$,
									   :'corp_id'));
SELECT ok(pg_temp.wait_for('the removal''s screening', format($$SELECT count(*) = 0 FROM pg_temp.factors(%L)
			WHERE type IN ('Sanctions', 'PEP') AND score > 0$$, :'corp_id'), 60),
		  'applicant.removed: the removed applicant''s hits are gone');
SELECT results_eq(format($$SELECT type, count(*)::int, max(score) FROM pg_temp.factors(%L) GROUP BY 1 ORDER BY 1$$, :'corp_id'),
				  $$VALUES ('Geography', 1, 10.00), ('Industry', 1, 15.00), ('PEP', 1, 0.00), ('Sanctions', 1, 0.00)$$,
				  'one factor of each type again, Geography from the remaining applicant');

-- A Partnership waits for Industry; its type cannot change (it chose the
-- checklist and the risk model), and the industry code completes it.
SELECT c AS part_id FROM dblink('onb', $$SELECT kyc_onboarding.create_case('Partnership', NULL, 'tap-risk-workflow-part',
	'{"first_name": "Bartholomew", "last_name": "Ledgerwood", "nationality": "FR",
	  "addresses": [{"type": "Residential", "street": "4 Quai", "city": "Lyon", "country": "FR", "is_primary": true}]}')$$)
	AS t(c text) \gset
SELECT ok(pg_temp.wait_for('the Partnership''s factors', format($$SELECT count(DISTINCT type) = 3
			FROM pg_temp.factors(%L) WHERE system_owned$$, :'part_id'), 60),
		  'the Partnership has its Geography, Sanctions and PEP factors');
SELECT results_eq(format($$SELECT status, case_type FROM pg_temp.assessment(%L)$$, :'part_id'),
				  $$VALUES ('InProgress', 'Partnership')$$, 'and waits for Industry');
SELECT throws_ok(format('SELECT dblink_exec(%L, %L)', 'onb',
						format('UPDATE kyc_onboarding.onboarding_cases SET type = %L WHERE case_id = %L', 'Individual', :'part_id')),
				 '23514', format('column type of case %s cannot be changed', :'part_id'),
				 'onboarding_user cannot change a case''s type once it is created');
SELECT dblink_exec('onb', format($$UPDATE kyc_onboarding.onboarding_cases SET industry_code = 'software' WHERE case_id = %L$$, :'part_id'));
SELECT ok(pg_temp.wait_for('the Partnership''s completion', format($$SELECT status = 'Completed' AND case_type = 'Partnership'
			FROM pg_temp.assessment(%L)$$, :'part_id'), 60),
		  'case.updated with its industry code: the Partnership completes with Industry');

-- apply_onboarding_event(), the handler's bookkeeping, with the keys
-- onboarding is to send (aliases, role, addresses) and in any order.
CREATE FUNCTION pg_temp.apply(id bigint, topic text, payload text) RETURNS text LANGUAGE sql AS $$
	SELECT x FROM dblink('rsk_admin', format('SELECT kyc_risk.apply_onboarding_event(ROW(%L, %s, %L, %L, %L, %L, %L, now())::kyc_events.event)',
		'tap-synthetic', id, '1', topic, 'TAP-WF-SYNTH', payload, '{}')) AS t(x text)
$$;
CREATE FUNCTION pg_temp.subject() RETURNS TABLE (role text, aliases text[], nationality text, countries text[], removed boolean)
LANGUAGE sql AS $$
	SELECT * FROM dblink('rsk', $q$SELECT role, aliases, nationality, address_countries, removed
		FROM kyc_risk.applicant_subjects WHERE applicant_id = 'tap-synth-a1'$q$)
	AS t(role text, aliases text[], nationality text, countries text[], removed boolean)
$$;
SELECT is(pg_temp.apply(10, 'applicant.updated', '{"id": "tap-synth-a1", "case_id": "TAP-WF-SYNTH", "first_name": "Ozymandias",
	"last_name": "Tapworth", "nationality": "gb", "aliases": ["Ozzy Tapworth", " ", 5], "role": "BeneficialOwner",
	"addresses": [{"type": "Residential", "country": "ir", "is_primary": true}, {"country": "GB"}],
	"primary_address": {"country": "FR"}}'), 'TAP-WF-SYNTH', 'an applicant.updated is applied, and names its case');
SELECT results_eq('SELECT * FROM pg_temp.subject()',
				  $$VALUES ('BeneficialOwner', ARRAY['Ozzy Tapworth'], 'GB', ARRAY['GB', 'IR'], false)$$,
				  'role, the string aliases, and every address''s country, upper-cased');
SELECT is(pg_temp.apply(10, 'applicant.updated', '{"id": "tap-synth-a1", "case_id": "TAP-WF-SYNTH", "first_name": "Other",
	"last_name": "Name"}'), NULL, 'the same event id again changes nothing');
SELECT is(pg_temp.apply(5, 'case.created', '{"case_id": "TAP-WF-SYNTH", "type": "Trust", "industry_code": " Charity "}'),
		  'TAP-WF-SYNTH', 'an older case.created still applies: the case and the applicant are guarded apart');
SELECT results_eq($$SELECT * FROM dblink('rsk', 'SELECT s.case_type, s.industry_code, a.case_type FROM kyc_risk.case_subjects s
					JOIN kyc_risk.risk_assessments a USING (case_id) WHERE s.case_id = ''TAP-WF-SYNTH''')
					AS t(a text, b text, c text)$$,
				  $$VALUES ('Trust', 'charity', 'Trust')$$, 'the case''s type reaches its assessment');
SELECT is(pg_temp.apply(11, 'applicant.removed', '{"applicant_id": "tap-synth-a1", "case_id": "TAP-WF-SYNTH"}'),
		  'TAP-WF-SYNTH', 'applicant.removed is applied');
SELECT is(pg_temp.apply(10, 'applicant.updated', '{"id": "tap-synth-a1", "case_id": "TAP-WF-SYNTH", "first_name": "Back",
	"last_name": "Again"}'), NULL, 'an older applicant.updated cannot bring the applicant back');
SELECT results_eq('SELECT removed, aliases FROM pg_temp.subject()', $$VALUES (true, '{}'::text[])$$,
				  'the removed applicant''s data is gone, its guard kept');
SELECT throws_ok($$SELECT pg_temp.apply(12, 'case.status_changed', '{"case_id": "TAP-WF-SYNTH"}')$$, '22023', NULL,
				 'a topic the handler does not take is refused');

SELECT * FROM finish();
