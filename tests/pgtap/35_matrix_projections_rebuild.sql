-- kyc_projections.rebuild() and check() through the real relay (issue 13):
-- cases flow to their projections; check() finds nothing; cells corrupted
-- at random, a projection deleted and one no source knows are each found
-- by check() exactly; rebuild() restores the rows the events had produced
-- and writes nothing the second time; the relay goes on on top of the
-- rebuilt rows; projections_user may call neither.
-- No transaction: the relay delivers what is committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(15);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('prj_admin', :'host' || ' dbname=projections_api');
SELECT dblink_connect('prj', :'host' || ' dbname=projections_api user=projections_user');
\ir lib/wait_for.psql

\ir lib/projections.psql
-- Every data column of a projection, and the derived ones, as one text.
CREATE FUNCTION pg_temp.full_row(case_id text) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.prj(format($q$SELECT concat_ws('|', id, type, status, partner_id, partner_name, partner_reference_id,
		applicant_id, applicant_first_name, applicant_last_name, applicant_email, applicant_phone, applicant_date_of_birth,
		applicant_nationality, applicant_address, applicant_city, applicant_country, progress_percentage, total_steps,
		completed_steps, checklist_id, checklist_status, checklist_completion_percentage, checklist_total_items,
		checklist_completed_items, checklist_required_items, checklist_completed_required_items, checklist_reopened_at,
		risk_assessment_id, risk_level, risk_score, risk_status, risk_factor_count, requires_manual_review,
		sanctions_hits, pep_hits, document_count, verified_document_count, pending_document_count,
		rejected_document_count, expired_document_count, created_at, updated_at, submitted_at, approved_at,
		rejected_at, assigned_to, assigned_to_name, assigned_at, has_compliance_issues, compliance_notes)
		FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, case_id))
$$;
-- check() as the superuser, for these cases only (other tests' cases may still be in flight).
CREATE FUNCTION pg_temp.drift(cases text[], sample int DEFAULT NULL) RETURNS TABLE (case_id text, column_name text, projected text, source text)
LANGUAGE sql AS $$
	SELECT * FROM dblink('prj_admin', format('SELECT * FROM kyc_projections.check(%s) WHERE case_id = ANY (%L)',
		coalesce(sample::text, 'NULL'), cases)) AS t(case_id text, column_name text, projected text, source text)
$$;

---------------------------------------------------------------------------
-- Four cases flow to their projections; check() finds nothing.
---------------------------------------------------------------------------
CREATE TEMP TABLE cases (n int PRIMARY KEY, case_id text NOT NULL, before text);
INSERT INTO cases (n, case_id)
SELECT n, pg_temp.new_case('tap-rebuild-' || n, 'Rhea', 'Rebuilt' || n, 'IE') FROM generate_series(1, 4) n;
SELECT array_agg(case_id ORDER BY n) AS cases FROM cases \gset
SELECT format('TAP-GHOST-%s', pg_backend_pid()) AS ghost, (SELECT case_id FROM cases WHERE n = 4) AS d \gset
SELECT ok((SELECT bool_and(pg_temp.wait_for('the projection of ' || case_id, pg_temp.complete(case_id), 60)) FROM cases),
		  'four cases reach their complete projections through the relay');
UPDATE cases SET before = pg_temp.full_row(case_id);
SELECT is((SELECT count(*) FROM pg_temp.drift(:'cases')), 0::bigint, 'check(): the projections agree with the sources');

---------------------------------------------------------------------------
-- Corruption: a random cell of each of cases 1-3, case 4's row deleted, a
-- row of a case no source knows.
---------------------------------------------------------------------------
CREATE TEMP TABLE corrupted AS
SELECT c.case_id, k.column_name,
	   CASE WHEN k.is_int THEN (pg_temp.prj(format('SELECT %I FROM kyc_projections.onboarding_case_projections WHERE case_id = %L',
									 k.column_name, c.case_id))::int + 7)::text
			ELSE 'Corrupted' END AS projected,
	   pg_temp.prj(format('SELECT %I FROM kyc_projections.onboarding_case_projections WHERE case_id = %L',
						 k.column_name, c.case_id)) AS source
FROM cases c
CROSS JOIN LATERAL (
	SELECT k.column_name, k.is_int FROM (VALUES ('status', false), ('risk_level', false), ('applicant_city', false),
		('verified_document_count', true), ('checklist_completed_items', true), ('applicant_email', false),
		('partner_reference_id', false), ('risk_factor_count', true)) AS k(column_name, is_int)
	WHERE c.n > 0					-- per case: a fresh random pick
	ORDER BY random() LIMIT 2
) k
WHERE c.n <= 3;
SELECT pg_temp.prj(format('UPDATE kyc_projections.onboarding_case_projections SET %I = %L WHERE case_id = %L RETURNING 1',
					  column_name, projected, case_id)) FROM corrupted;
SELECT pg_temp.prj(format('DELETE FROM kyc_projections.onboarding_case_projections WHERE case_id = %L RETURNING 1', :'d'));
SELECT pg_temp.prj(format($q$INSERT INTO kyc_projections.onboarding_case_projections (case_id, status, document_count)
	VALUES (%L, 'InProgress', 2) RETURNING 1$q$, :'ghost'));

SELECT set_eq(format('SELECT * FROM pg_temp.drift(%L)', :'cases'::text[] || :'ghost'::text),
			  format($q$SELECT case_id, column_name, projected, source FROM corrupted
				UNION ALL VALUES (%L, '(row)', NULL, 'applicant, case, checklist, document, risk'), (%L, '(row)', 'row', NULL)$q$,
				:'d', :'ghost'),
			  'check() reports each corrupted cell, with the projected and the source value, and both missing rows');
SELECT set_eq(format('SELECT * FROM pg_temp.drift(%L, 100000)', :'cases'::text[] || :'ghost'::text),
			  format('SELECT * FROM pg_temp.drift(%L) WHERE case_id <> %L', :'cases'::text[] || :'ghost'::text, :'d'),
			  'check(sample), sampling the projections'' rows, reports the same but the row the projections lack');

---------------------------------------------------------------------------
-- rebuild() restores every row; the second one writes nothing.
---------------------------------------------------------------------------
SELECT is((SELECT sum(pg_temp.prj(format('SELECT kyc_projections.rebuild(%L)', c))::int)
		   FROM unnest(:'cases'::text[] || :'ghost'::text) c), 5::bigint,
		  'rebuild() writes the three corrupted rows, the missing one and the unknown one');
SELECT is_empty(format($q$SELECT n FROM cases WHERE pg_temp.full_row(case_id) IS DISTINCT FROM before$q$),
				'every rebuilt row is exactly what the events had produced, derived columns too');
SELECT is(pg_temp.prj(format('SELECT count(*) FROM kyc_projections.onboarding_case_projections WHERE case_id = %L', :'ghost')),
		  '0', 'the row of a case no source knows is gone');
SELECT is((SELECT count(*) FROM pg_temp.drift(:'cases'::text[] || :'ghost'::text)), 0::bigint,
		  'check() finds nothing after rebuild()');
SELECT is((SELECT sum(pg_temp.prj(format('SELECT kyc_projections.rebuild(%L)', c))::int) FROM unnest(:'cases'::text[]) c),
		  0::bigint, 'a second rebuild() writes no row');
SELECT is(pg_temp.prj(format($q$SELECT concat_ws('|', case_event_id, document_event_id, applicant_event_id)
		  FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'d')),
		  '0|0|0', 'a rebuilt source''s version is (its read horizon, 0)');
SELECT cmp_ok(pg_temp.prj(format($q$SELECT case_xid::text::bigint FROM kyc_projections.onboarding_case_projections WHERE case_id = %L$q$, :'d'))::bigint,
			  '>', 0::bigint, 'at the source''s read horizon');

---------------------------------------------------------------------------
-- The event stream continues on top of the rebuilt rows.
---------------------------------------------------------------------------
SELECT * FROM dblink('onb', format($q$SELECT case_status FROM kyc_onboarding.approve(%L, 'tap-rebuild-reviewer', 'ok')$q$,
	:'d')) AS t(s text);
SELECT ok(pg_temp.wait_for('the approval of the rebuilt case', pg_temp.row_is(:'d',
			$c$status = 'Approved' AND approved_at IS NOT NULL AND case_event_id > 0 AND completed_steps = 7$c$), 60),
		  'the relay applies the next event on top of the rebuilt row');
SELECT is((SELECT count(*) FROM pg_temp.drift(:'cases')), 0::bigint, 'and check() still finds nothing');

---------------------------------------------------------------------------
-- Superusers only.
---------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM dblink('prj', 'SELECT kyc_projections.rebuild()') AS t(n int)$$,
				 '42501', NULL, 'projections_user cannot call rebuild()');
SELECT throws_ok($$SELECT * FROM dblink('prj', 'SELECT * FROM kyc_projections.check()') AS t(a text, b text, c text, d text)$$,
				 '42501', NULL, 'nor check()');

SELECT * FROM finish();
