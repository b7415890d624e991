-- Bad input, everywhere (issue 15): a table of calls, one a row, that feeds
-- every documented function of every extension (docs/*.md, as
-- scripts/doc_functions.sh lists them, and the api.* functions of
-- onboarding and document_service) the bad input its arguments can meet:
-- NULLs, empty strings, over-long strings, malformed JSON and JSON of the
-- wrong shape, values outside an allowed list, dates in the future, and
-- invalid UTF-8 (which, in a UTF8 database, arrives only through
-- convert_from() or a client encoding: the server refuses it with 22021
-- before any of our code runs).  Each row names the database, the role
-- that really calls the function there (its service role; kyc_relay; a
-- superuser for the superuser's functions; a kyc_auditor member; an API
-- role through PostgREST's transaction, replayed as in lib/postgrest.psql),
-- the call, the SQLSTATE it must fail with and, where the message must name
-- the argument or column, a fragment of it.  A row whose expected state
-- starts with '=' is a predicate or display function that answers bad
-- input with a value instead (is_valid_email() says false).  A row with a
-- todo is a bug known and not fixed yet (there is none at present):
-- it expects the right answer and is reported as TODO until it gets it.
--
-- Every call runs in a dblink session of its caller, in a transaction of
-- its own that is rolled back.  No call may succeed, end in an internal
-- error (XX000) or break its session; the postmaster and the relay workers
-- must have the same pids afterwards (a backend crash restarts them all).
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT format('tap-bad-%s-%s', pg_backend_pid(), (extract(epoch FROM now()) * 1000)::bigint) AS tag \gset
-- The documented functions, when the test runs from the repository's root
-- (make test, pg_prove from there); empty otherwise, and that check skips.
\set documented `bash scripts/doc_functions.sh 2>/dev/null | paste -sd, -`

-- The postmaster and the relay workers, before.
CREATE TEMP TABLE vitals (at text, postmaster_pid int, started timestamptz, relays text);
CREATE FUNCTION pg_temp.vitals(at text) RETURNS void LANGUAGE sql AS $$
	INSERT INTO vitals
	SELECT at, split_part(pg_read_file('postmaster.pid'), E'\n', 1)::int, pg_postmaster_start_time(),
		   (SELECT string_agg(format('%s pid %s since %s', datname, pid, backend_start), ', ' ORDER BY datname)
			FROM pg_stat_activity WHERE backend_type = 'kyc_events relay')
$$;
SELECT pg_temp.vitals('before');

-- Fixtures, committed: what a call needs to reach the check of its bad
-- argument (a case under review for a reason's check, a claimed
-- notification for a lease's).  {name} in a call is replaced by its value.
CREATE TEMP TABLE fixture (name text PRIMARY KEY, value text);
CREATE FUNCTION pg_temp.remote(db text, role text, query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	SELECT t.v INTO v FROM dblink(format('%s dbname=%s user=%s', current_setting('tap_bad.host'), db, role), query) AS t(v text);
	RETURN v;
END $$;
SELECT set_config('tap_bad.host', :'host', false);
INSERT INTO fixture VALUES ('tag', :'tag'), ('partner', 'tap-bad-p');
SELECT pg_temp.remote('onboarding', 'postgres', $$INSERT INTO kyc_onboarding.partners (partner_id, name)
	VALUES ('tap-bad-p', 'Bad Input plc'), ('tap-bad-q', 'Other Partner plc') ON CONFLICT DO NOTHING RETURNING 'x'$$);
INSERT INTO fixture SELECT 'draft', pg_temp.remote('onboarding', 'onboarding_user',
	format($q$SELECT kyc_onboarding.create_case('Individual', 'tap-bad-p', %L,
		'{"first_name": "Bad", "last_name": "Input", "email": "bad.input@example.org"}')$q$, :'tag' || '-draft'));
INSERT INTO fixture SELECT 'other', pg_temp.remote('onboarding', 'onboarding_user',
	format($q$SELECT kyc_onboarding.create_case('Individual', 'tap-bad-q', %L,
		'{"first_name": "Other", "last_name": "Partner"}')$q$, :'tag' || '-other'));
INSERT INTO fixture SELECT 'review', pg_temp.remote('onboarding', 'onboarding_user',
	format($q$SELECT kyc_onboarding.create_case('Individual', 'tap-bad-p', %L)$q$, :'tag' || '-review'));
SELECT pg_temp.remote('onboarding', 'onboarding_user', format($q$SET kyc.actor = 'tap-bad-analyst';
	SELECT kyc_onboarding.transition(%1$L, 'InProgress'); SELECT status FROM kyc_onboarding.transition(%1$L, 'PendingReview')$q$,
	(SELECT value FROM fixture WHERE name = 'review')));
INSERT INTO fixture SELECT 'checklist', pg_temp.remote('checklist_service', 'checklist_user',
	format($q$SELECT kyc_checklist.create_checklist(%L, 'Individual')$q$, :'tag' || '-cl'));
INSERT INTO fixture SELECT 'item', pg_temp.remote('checklist_service', 'checklist_user',
	format($q$SELECT id FROM kyc_checklist.checklist_items WHERE checklist_id = %L AND code = 'proof_of_identity'$q$,
		   (SELECT value FROM fixture WHERE name = 'checklist')));
INSERT INTO fixture SELECT 'done_item', pg_temp.remote('checklist_service', 'checklist_user',
	format($q$UPDATE kyc_checklist.checklist_items SET status = 'Completed', completed_by = 'tap-bad-analyst'
		WHERE checklist_id = %L AND code = 'sanctions_pep_screening' RETURNING id$q$,
		   (SELECT value FROM fixture WHERE name = 'checklist')));
INSERT INTO fixture SELECT 'assessment', pg_temp.remote('risk_service', 'risk_user',
	format($q$SELECT kyc_risk.open_assessment(%L)$q$, :'tag' || '-risk'));
INSERT INTO fixture VALUES ('rcase', :'tag' || '-risk');
INSERT INTO fixture SELECT 'entity', pg_temp.remote('risk_service', 'risk_user',
	$q$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{Tap Bad Input}')$q$);
INSERT INTO fixture VALUES ('worker', 'tap-bad-w');
INSERT INTO fixture SELECT 'notification', pg_temp.remote('notification_service', 'notification_user',
	format($q$SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'user-tap-bad', NULL,
		'{"case": {"case_id": "KYC-TAP-BAD", "status": "InProgress"}}', 'Critical', idempotency_key => %L)$q$, :'tag' || '-n1'));
-- Claimed: the lease's checks need a notification being sent.  Whatever
-- else the claim took goes back to the queue at once.
SELECT pg_temp.remote('notification_service', 'notification_user',
	format($q$WITH c AS (SELECT id FROM kyc_notification.claim('InApp', 1000, 'tap-bad-w', '1 hour'))
		SELECT count(kyc_notification.release(c.id, 'tap-bad-w'))::text FROM c WHERE c.id <> %L$q$,
		(SELECT value FROM fixture WHERE name = 'notification')));
INSERT INTO fixture SELECT 'pending', pg_temp.remote('notification_service', 'notification_user',
	format($q$SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'user-tap-bad', NULL,
		'{"case": {"case_id": "KYC-TAP-BAD", "status": "InProgress"}}', scheduled_at => now() + interval '1 day',
		idempotency_key => %L)$q$, :'tag' || '-n2'));
SELECT pg_temp.remote('notification_service', 'postgres',
	$q$SELECT kyc_notification.set_partner('tap-bad-p', 'https://hooks.tap-bad.example/kyc', 'en')::text$q$);
INSERT INTO fixture VALUES ('dcase', :'tag' || '-doc');
SELECT pg_temp.remote('document_service', 'postgres', format($q$INSERT INTO kyc_document.case_partners (case_id, partner_id)
	VALUES (%L, 'tap-bad-p') ON CONFLICT DO NOTHING RETURNING 'x'$q$, :'tag' || '-doc'));
INSERT INTO fixture SELECT 'document', pg_temp.remote('document_service', 'document_user',
	format($q$SELECT kyc_document.register_document(%L, 'Passport', 'passport.pdf', 'application/pdf', 1000,
		repeat('ab', 32), 's3://tap-bad/passport.pdf')$q$, :'tag' || '-doc'));

-- The calls.  state: the SQLSTATE the call must fail with, or '=value' for
-- what a predicate answers; msg: a fragment the message must contain
-- (case-insensitive), naming the argument or column where it should.
CREATE TEMP TABLE bad (n serial PRIMARY KEY, db text NOT NULL, role text NOT NULL, class text NOT NULL,
					   call text NOT NULL, state text NOT NULL, msg text, todo text, claims jsonb);

------------------------------------------------------------------------
-- onboarding: kyc_onboarding, as onboarding_user
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.create_case(NULL)$$, '23502', 'type', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.create_case('')$$, '23514', 'type', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.create_case('Person')$$, '23514', 'invalid type "Person"', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.create_case('individual')$$, '23514', 'invalid type', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.create_case(repeat('x', 100000))$$, '23514', 'invalid type', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.create_case(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.create_case('Individual', 'no-such-partner')$$, '23503', 'partner "no-such-partner"', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.create_case('Individual', '')$$, '23503', 'partner ""', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.create_case('Individual', repeat('x', 100000))$$, '22001', 'partner_id', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.create_case('Individual', NULL, repeat('x', 100000))$$, '22001', 'partner_reference_id', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.create_case('Individual', NULL, convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'json', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, 'not json')$$, '22P02', 'json', NULL),
('onboarding', 'onboarding_user', 'json', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada",')$$, '22P02', 'json', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '[]')$$, '22023', 'applicant must be a JSON object', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '"Ada Lovelace"')$$, '22023', 'applicant must be a JSON object', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, 'null')$$, '22023', 'applicant', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "emial": "a@example.org"}')$$, '22023', 'unknown key: "emial"', NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada"}')$$, '23502', 'applicant.last_name', NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": null}')$$, '23502', 'applicant.last_name', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "", "last_name": "L"}')$$, '23514', 'first_name', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": 1, "last_name": "L"}')$$, '22023', 'first_name', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": ["Ada"], "last_name": "L"}')$$, '22023', 'first_name', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, jsonb_build_object('first_name', repeat('x', 100000), 'last_name', 'L'))$$, '22001', 'first_name', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, jsonb_build_object('first_name', convert_from('\xc328'::bytea, 'UTF8'), 'last_name', 'L'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'future', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "date_of_birth": "2999-01-01"}')$$, '23514', 'date_of_birth', NULL),
('onboarding', 'onboarding_user', 'future', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, jsonb_build_object('first_name', 'Ada', 'last_name', 'L', 'date_of_birth', (current_date + 1)::text))$$, '23514', 'date_of_birth', NULL),
('onboarding', 'onboarding_user', 'range', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "date_of_birth": "1850-01-01"}')$$, '23514', 'date_of_birth', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "date_of_birth": "10/12/1985"}')$$, '22007', 'date_of_birth', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "date_of_birth": "infinity"}')$$, '22007', 'date_of_birth', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "date_of_birth": "1985-02-30"}')$$, '22008', 'date_of_birth', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "nationality": "XX"}')$$, '23514', 'nationality', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "email": "ada@"}')$$, '23514', 'email', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "phone_number": "0791234567"}')$$, '23514', 'phone_number', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "aliases": "Ada King"}')$$, '22023', 'aliases', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "aliases": [""]}')$$, '22023', 'aliases', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, jsonb_build_object('first_name', 'Ada', 'last_name', 'L', 'aliases', (SELECT jsonb_agg('alias ' || i) FROM generate_series(1, 21) i)))$$, '23514', 'at most 20 aliases', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "addresses": {}}')$$, '22023', 'addresses', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "addresses": [{"type": "Residential", "stret": "1 Road", "city": "London", "country": "GB"}]}')$$, '22023', 'unknown key: "stret"', NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "addresses": [{"type": "Residential", "street": "1 Road", "country": "GB"}]}')$$, '23502', 'addresses[1].city', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "addresses": [{"type": "Moon", "street": "1 Road", "city": "London", "country": "GB"}]}')$$, '23514', 'invalid type "Moon"', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, '{"first_name": "Ada", "last_name": "L", "addresses": [{"type": "Residential", "street": "1 Road", "city": "London", "country": "XX"}]}')$$, '23514', 'country', NULL),
('onboarding', 'onboarding_user', 'json', $$SELECT kyc_onboarding.create_case('Corporate', NULL, NULL, NULL, '{"company_name": ')$$, '22P02', 'json', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Corporate', NULL, NULL, NULL, '"Analytical Engines Ltd"')$$, '22023', 'details must be a JSON object', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Corporate', NULL, NULL, NULL, '{"industy_code": "62.01"}')$$, '22023', 'unknown key: "industy_code"', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Individual', NULL, NULL, NULL, '{"company_name": "Analytical Engines Ltd"}')$$, '22023', 'company_name', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.create_case('Corporate', NULL, NULL, NULL, '{"beneficial_owners": {"first_name": "C"}}')$$, '22023', 'beneficial_owners', NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.create_case('Corporate', NULL, NULL, NULL, '{"beneficial_owners": [{"first_name": "Charles"}]}')$$, '23502', 'last_name', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.create_case('Corporate', NULL, NULL, NULL, jsonb_build_object('company_name', repeat('x', 100000)))$$, '22001', 'company_name', NULL),
-- transition()
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.transition(NULL, 'InProgress')$$, '22004', 'case_id', NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.transition('{draft}', NULL)$$, '22004', 'new_status', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.transition('', 'InProgress')$$, 'P0002', 'case ""', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.transition(repeat('x', 100000), 'InProgress')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.transition(convert_from('\xc328'::bytea, 'UTF8'), 'InProgress')$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.transition('{draft}', 'Done')$$, '22023', 'unknown case status "Done"', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.transition('{draft}', 'inprogress')$$, '22023', 'unknown case status', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.transition('{draft}', '')$$, '22023', 'unknown case status', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.transition('{draft}', 'Approved')$$, '23514', NULL, NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.transition('{draft}', 'InProgress', repeat('x', 100000))$$, '22001', 'actor', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.transition('{draft}', 'InProgress', NULL, repeat('x', 100000))$$, '22001', 'reason', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.transition('{draft}', 'InProgress', NULL, convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'enum', $$SET LOCAL kyc.actor = 'analyst-jane'; SELECT kyc_onboarding.transition('{draft}', 'InProgress', 'analyst-john')$$, '42501', 'actor', NULL);

-- The decisions: assign(), acknowledge_attention(), approve(), reject(), request_information().
INSERT INTO bad (db, role, class, call, state, msg, todo)
SELECT 'onboarding', 'onboarding_user', class, format(call, f), state, msg, NULL
FROM unnest(ARRAY['assign', 'acknowledge_attention', 'approve', 'reject', 'request_information']) f,
	 (VALUES ('null', $$SELECT kyc_onboarding.%s(NULL, 'officer-bob', 'a reason')$$, '23502', 'case_id', false),
			 ('empty', $$SELECT kyc_onboarding.%s('', 'officer-bob', 'a reason')$$, '23502', 'case_id', false),
			 ('long', $$SELECT kyc_onboarding.%s(repeat('x', 100000), 'officer-bob', 'a reason')$$, '22001', 'case_id', false),
			 ('null', $$SELECT kyc_onboarding.%s('{review}', NULL, 'a reason')$$, '23502', 'reviewer', false),
			 ('empty', $$SELECT kyc_onboarding.%s('{review}', ' ', 'a reason')$$, '23502', 'reviewer', false),
			 ('long', $$SELECT kyc_onboarding.%s('{review}', repeat('x', 100000), 'a reason')$$, '22001', 'reviewer', false),
			 ('utf8', $$SELECT kyc_onboarding.%s('{review}', convert_from('\xc328'::bytea, 'UTF8'), 'a reason')$$, '22021', NULL, false)) AS c(class, call, state, msg, todo);
-- assign() takes no third argument: drop it there.
UPDATE bad SET call = replace(call, ', ''a reason'')', ')') WHERE call LIKE '%kyc_onboarding.assign(%';
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.reject('{review}', 'officer-bob', NULL)$$, '23502', 'needs a reason', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.reject('{review}', 'officer-bob', '  ')$$, '23502', 'needs a reason', NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.request_information('{review}', 'officer-bob', NULL)$$, '23502', 'needs a reason', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.request_information('{review}', 'officer-bob', '')$$, '23502', 'needs a reason', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.reject('{review}', 'officer-bob', repeat('x', 100000))$$, '22001', 'reason', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.request_information('{review}', 'officer-bob', repeat('x', 100000))$$, '22001', 'reason', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.approve('{review}', 'officer-bob', repeat('x', 100000))$$, '22001', 'notes', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.approve('{draft}', 'officer-bob')$$, '55000', 'Draft', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_onboarding.reject('{draft}', 'officer-bob', 'no')$$, '55000', 'Draft', NULL),
('onboarding', 'onboarding_user', 'enum', $$SET LOCAL kyc.actor = 'officer-bob'; SELECT kyc_onboarding.reject('{review}', 'officer-carol', 'no')$$, '42501', 'officer-carol', NULL),
-- is_valid_email(), is_valid_phone(): predicates, for a form; bad input is false.
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.is_valid_email(NULL)$$, '=NULL', NULL, NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.is_valid_email('')$$, '=f', NULL, NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.is_valid_email(repeat('x', 100000) || '@example.org')$$, '=f', NULL, NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.is_valid_email('ada@@example.org')$$, '=f', NULL, NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.is_valid_email(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.is_valid_phone(NULL)$$, '=NULL', NULL, NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.is_valid_phone('')$$, '=f', NULL, NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.is_valid_phone('+' || repeat('4', 100000))$$, '=f', NULL, NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.is_valid_phone('0791234567')$$, '=f', NULL, NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.is_valid_phone(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
-- Sealed personal data: reveal() opens a column's value (NULL for a NULL
-- column, as the api views use it), forget_subject() shreds a case's key.
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_onboarding.reveal(NULL)$$, '=NULL', NULL, NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_onboarding.reveal('')$$, '22023', 'sealed', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_onboarding.reveal('1985-12-10')$$, '22023', 'sealed', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_onboarding.reveal(repeat('x', 100000))$$, '22023', 'sealed', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_onboarding.reveal(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_onboarding.forget_subject(NULL)$$, '22004', 'case_id', NULL),
('onboarding', 'postgres', 'empty', $$SELECT kyc_onboarding.forget_subject('')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'postgres', 'long', $$SELECT kyc_onboarding.forget_subject(repeat('x', 100000))$$, 'P0002', 'does not exist', NULL),
('onboarding', 'postgres', 'utf8', $$SELECT kyc_onboarding.forget_subject(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT kyc_onboarding.forget_subject('{draft}')$$, '42501', NULL, NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.create_master_key(NULL)$$, '22004', 'path', NULL),
('onboarding', 'postgres', 'empty', $$SELECT kyc_events.create_master_key('')$$, '22023', 'path', NULL),
('onboarding', 'postgres', 'shape', $$SELECT kyc_events.create_master_key('pgkyc/master.key')$$, '22023', 'not absolute', NULL),
('onboarding', 'postgres', 'long', $$SELECT kyc_events.create_master_key('/tmp/' || repeat('x', 100000))$$, '22023', 'path', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.create_master_key(current_setting('data_directory') || '/PG_VERSION')$$, '22023', 'inside the data directory', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.create_master_key(current_setting('kyc.master_key_file'))$$, '58P02', 'could not create master key file', NULL),
('onboarding', 'postgres', 'utf8', $$SELECT kyc_events.create_master_key(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT kyc_events.create_master_key('/tmp/tap-bad.key')$$, '42501', 'create_master_key', NULL);

------------------------------------------------------------------------
-- onboarding's API, through PostgREST's transaction as kyc_authenticator
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('onboarding', 'kyc_partner', 'null', $$SELECT api.create_case(NULL)$$, '23502', 'type', NULL),
('onboarding', 'kyc_partner', 'enum', $$SELECT api.create_case('Person')$$, '23514', 'invalid type "Person"', NULL),
('onboarding', 'kyc_partner', 'long', $$SELECT api.create_case('Individual', repeat('x', 100000))$$, '22001', 'partner_reference_id', NULL),
('onboarding', 'kyc_partner', 'utf8', $$SELECT api.create_case('Individual', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'kyc_partner', 'json', $$SELECT api.create_case('Individual', NULL, '{"first_name": ')$$, '22P02', 'json', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.create_case('Individual', NULL, '[{"first_name": "Ada"}]')$$, '22023', 'applicant must be a JSON object', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.create_case('Individual', NULL, '{"first_name": "Ada", "last_name": "L", "partner_id": "tap-bad-q"}')$$, '22023', 'unknown key: "partner_id"', NULL),
('onboarding', 'kyc_partner', 'future', $$SELECT api.create_case('Individual', NULL, '{"first_name": "Ada", "last_name": "L", "date_of_birth": "2999-12-31"}')$$, '23514', 'date_of_birth', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.create_case('Corporate', NULL, NULL, '{"company": "Analytical Engines Ltd"}')$$, '22023', 'unknown key: "company"', NULL),
('onboarding', 'kyc_reviewer', 'caller', $$SELECT api.create_case('Individual')$$, '42501', NULL, NULL),
('onboarding', 'kyc_partner', 'null', $$SELECT api.update_applicant('{draft}', NULL)$$, '22023', 'changes', NULL),
('onboarding', 'kyc_partner', 'null', $$SELECT api.update_applicant(NULL, '{"email": "ada@example.org"}')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'kyc_partner', 'empty', $$SELECT api.update_applicant('', '{"email": "ada@example.org"}')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'kyc_partner', 'json', $$SELECT api.update_applicant('{draft}', '{"email": "ada@example.org"')$$, '22P02', 'json', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.update_applicant('{draft}', '["email"]')$$, '22023', 'changes must be a JSON object', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.update_applicant('{draft}', '{"emial": "ada@example.org"}')$$, '22023', '"emial"', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.update_applicant('{draft}', '{"role": "BeneficialOwner"}')$$, '22023', '"role"', NULL),
('onboarding', 'kyc_partner', 'null', $$SELECT api.update_applicant('{draft}', '{"last_name": null}')$$, '23502', 'last_name', NULL),
('onboarding', 'kyc_partner', 'empty', $$SELECT api.update_applicant('{draft}', '{"first_name": ""}')$$, '23514', 'first_name', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.update_applicant('{draft}', '{"first_name": {"given": "Ada"}}')$$, '22023', 'first_name', NULL),
('onboarding', 'kyc_partner', 'long', $$SELECT api.update_applicant('{draft}', jsonb_build_object('last_name', repeat('x', 100000)))$$, '22001', 'last_name', NULL),
('onboarding', 'kyc_partner', 'future', $$SELECT api.update_applicant('{draft}', '{"date_of_birth": "2999-01-01"}')$$, '23514', 'date_of_birth', NULL),
('onboarding', 'kyc_partner', 'future', $$SELECT api.update_applicant('{draft}', jsonb_build_object('date_of_birth', current_date + 1))$$, '23514', 'date_of_birth', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.update_applicant('{draft}', '{"date_of_birth": "10/12/1985"}')$$, '22007', 'date_of_birth', NULL),
('onboarding', 'kyc_partner', 'enum', $$SELECT api.update_applicant('{draft}', '{"nationality": "XX"}')$$, '23514', 'nationality', NULL),
('onboarding', 'kyc_partner', 'shape', $$SELECT api.update_applicant('{draft}', '{"email": "not an address"}')$$, '23514', 'email', NULL),
('onboarding', 'kyc_partner', 'utf8', $$SELECT api.update_applicant('{draft}', jsonb_build_object('first_name', convert_from('\xc328'::bytea, 'UTF8')))$$, '22021', NULL, NULL),
('onboarding', 'kyc_partner', 'enum', $$SELECT api.update_applicant('{other}', '{"email": "x@example.org"}')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'kyc_reviewer', 'null', $$SELECT api.decide('{review}', NULL)$$, '22023', 'decision', NULL),
('onboarding', 'kyc_reviewer', 'enum', $$SELECT api.decide('{review}', 'Explode')$$, '22023', 'decision "Explode"', NULL),
('onboarding', 'kyc_reviewer', 'enum', $$SELECT api.decide('{review}', 'approve')$$, '22023', 'decision "approve"', NULL),
('onboarding', 'kyc_reviewer', 'empty', $$SELECT api.decide('{review}', '')$$, '22023', 'decision ""', NULL),
('onboarding', 'kyc_reviewer', 'null', $$SELECT api.decide(NULL, 'Assign')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'kyc_reviewer', 'long', $$SELECT api.decide(repeat('x', 100000), 'Assign')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'kyc_reviewer', 'null', $$SELECT api.decide('{review}', 'Reject', NULL)$$, '23502', 'needs a reason', NULL),
('onboarding', 'kyc_reviewer', 'long', $$SELECT api.decide('{review}', 'Reject', repeat('x', 100000))$$, '22001', 'reason', NULL),
('onboarding', 'kyc_compliance_officer', 'utf8', $$SELECT api.decide('{review}', 'Reject', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'kyc_partner', 'caller', $$SELECT api.decide('{review}', 'Approve')$$, '42501', NULL, NULL),
('onboarding', 'kyc_compliance_officer', 'null', $$SELECT api.forget_subject(NULL)$$, '22004', 'case_id', NULL),
('onboarding', 'kyc_compliance_officer', 'empty', $$SELECT api.forget_subject('')$$, 'P0002', 'does not exist', NULL),
('onboarding', 'kyc_admin', 'long', $$SELECT api.forget_subject(repeat('x', 100000))$$, 'P0002', 'does not exist', NULL),
('onboarding', 'kyc_partner', 'caller', $$SELECT api.forget_subject('{draft}')$$, '42501', NULL, NULL),
('onboarding', 'kyc_reviewer', 'caller', $$SELECT api.forget_subject('{review}')$$, '42501', NULL, NULL);

------------------------------------------------------------------------
-- kyc_events, in onboarding (the same extension in every database)
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_events.emit(NULL, 'KYC-1', '{}')$$, '22004', 'topic', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_events.emit('', 'KYC-1', '{}')$$, '22023', 'topic', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_events.emit('Partner.Requested', 'KYC-1', '{}')$$, '22023', 'topic', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_events.emit('partner', 'KYC-1', '{}')$$, '22023', 'topic', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_events.emit('case.created', 'KYC-1', '{}')$$, '42501', 'case.created', NULL),
('onboarding', 'onboarding_user', 'enum', $$SELECT kyc_events.emit('audit.recorded', 'KYC-1', '{}')$$, '42501', 'audit.recorded', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_events.emit('partner.' || repeat('x', 100000), 'KYC-1', '{}')$$, '22001', 'topic', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_events.emit(convert_from('\xc328'::bytea, 'UTF8'), 'KYC-1', '{}')$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_events.emit('partner.requested', NULL, '{}')$$, '22004', 'aggregate id', NULL),
('onboarding', 'onboarding_user', 'empty', $$SELECT kyc_events.emit('partner.requested', '', '{}')$$, '22023', 'aggregate id', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_events.emit('partner.requested', repeat('x', 100000), '{}')$$, '22001', 'aggregate id', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_events.emit('partner.requested', convert_from('\xc328'::bytea, 'UTF8'), '{}')$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_events.emit('partner.requested', 'KYC-1', NULL)$$, '22004', 'payload', NULL),
('onboarding', 'onboarding_user', 'json', $$SELECT kyc_events.emit('partner.requested', 'KYC-1', '{"document_type": "Passport"')$$, '22P02', 'json', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_events.emit('partner.requested', 'KYC-1', '[{"document_type": "Passport"}]')$$, '22023', 'payload', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_events.emit('partner.requested', 'KYC-1', '"Passport"')$$, '22023', 'payload', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_events.emit('partner.requested', 'KYC-1', jsonb_build_object('blob', repeat('x', 2000000)))$$, '54000', 'payload', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_events.emit('partner.requested', 'KYC-1', convert_from('\x7b2261223a2022c328227d'::bytea, 'UTF8')::jsonb)$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'long', $$SET LOCAL kyc.actor = 'x'; SELECT set_config('kyc.actor', repeat('x', 100000), true); SELECT kyc_events.current_headers()$$, '22023', 'kyc.actor', NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT set_config('kyc.request_id', repeat('x', 201), true); SELECT kyc_events.current_headers()$$, '22023', 'kyc.request_id', NULL),
('onboarding', 'onboarding_user', 'enum', $$SET LOCAL kyc.acter = 'analyst-jane'; SELECT kyc_events.current_headers()$$, '42602', 'kyc.acter', NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT set_config('kyc.actor', convert_from('\xc328'::bytea, 'UTF8'), true); SELECT kyc_events.current_headers()$$, '22021', NULL, NULL),
-- masked_conninfo(): a display function for the subscriptions view; a
-- conninfo libpq cannot parse is shown as such, never as its text.
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_events.masked_conninfo(NULL)$$, '=NULL', NULL, NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_events.masked_conninfo('host=x password')$$, '=(unparsable conninfo)', NULL, NULL),
('onboarding', 'onboarding_user', 'long', $$SELECT kyc_events.masked_conninfo(repeat('x', 100000))$$, '=(unparsable conninfo)', NULL, NULL),
('onboarding', 'onboarding_user', 'utf8', $$SELECT kyc_events.masked_conninfo(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'null', $$SELECT kyc_events.require_delivery(NULL, 'kyc_onboarding.on_risk_event(kyc_events.event)', '{risk.assessment_completed}')$$, '22004', 'event', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_events.require_delivery(ROW('risk_service', 1, '1', 'risk.assessment_completed', 'KYC-1', '{}', '{}', now())::kyc_events.event, 'kyc_onboarding.on_risk_event(kyc_events.event)', '{risk.assessment_completed}')$$, '42501', 'relay', NULL),
('onboarding', 'onboarding_user', 'shape', $$SELECT kyc_events.require_delivery(ROW('risk_service', 1, '1', 'risk.assessment_completed', 'KYC-1', '{}', '{}', now())::kyc_events.event, 'kyc_onboarding.no_such_handler(kyc_events.event)', '{risk.assessment_completed}')$$, '42883', 'no_such_handler', NULL),
-- The source side, as kyc_relay: read(), backlog(), ack(), register_consumer(), read_blocker().
('onboarding', 'kyc_relay', 'null', $$SELECT count(*) FROM kyc_events.read(NULL, 0, '{*}', 10)$$, '22004', 'after_xid', NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT count(*) FROM kyc_events.read('0', NULL, '{*}', 10)$$, '22004', 'after_id', NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT count(*) FROM kyc_events.read('0', 0, NULL, 10)$$, '22004', 'topics', NULL),
('onboarding', 'kyc_relay', 'empty', $$SELECT count(*) FROM kyc_events.read('0', 0, '{}', 10)$$, '22023', 'topics', NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT count(*) FROM kyc_events.read('0', 0, '{*}', NULL)$$, '22004', 'max_events', NULL),
('onboarding', 'kyc_relay', 'range', $$SELECT count(*) FROM kyc_events.read('0', 0, '{*}', 0)$$, '22023', 'max_events', NULL),
('onboarding', 'kyc_relay', 'range', $$SELECT count(*) FROM kyc_events.read('0', 0, '{*}', 10, 0)$$, '22023', 'max_bytes', NULL),
('onboarding', 'kyc_relay', 'range', $$SELECT count(*) FROM kyc_events.read('0', -1, '{*}', 10)$$, '22023', 'after_id', NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT count(*) FROM kyc_events.read('0', 0, '{case.*,NULL}', 10)$$, '22004', 'topics', NULL),
('onboarding', 'kyc_relay', 'utf8', $$SELECT count(*) FROM kyc_events.read('0', 0, ARRAY[convert_from('\xc328'::bytea, 'UTF8')], 10)$$, '22021', NULL, NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT * FROM kyc_events.backlog(NULL, 0, '{*}')$$, '22004', 'after_xid', NULL),
('onboarding', 'kyc_relay', 'empty', $$SELECT * FROM kyc_events.backlog('0', 0, '{}')$$, '22023', 'topics', NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT kyc_events.ack(NULL, '0', 0)$$, '22004', 'consumer', NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT kyc_events.ack('tap_bad', NULL, 0)$$, '22004', 'xid', NULL),
('onboarding', 'kyc_relay', 'empty', $$SELECT kyc_events.ack('', '0', 0)$$, '23514', 'consumers_name_check', NULL),
('onboarding', 'kyc_relay', 'long', $$SELECT kyc_events.ack(repeat('x', 100000), '0', 0)$$, '23514', 'consumers_name_check', NULL),
('onboarding', 'kyc_relay', 'utf8', $$SELECT kyc_events.ack(convert_from('\xc328'::bytea, 'UTF8'), '0', 0)$$, '22021', NULL, NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT kyc_events.register_consumer(NULL)$$, '22004', 'consumer', NULL),
('onboarding', 'kyc_relay', 'null', $$SELECT kyc_events.register_consumer('tap_bad', NULL)$$, '22004', 'restart', NULL),
('onboarding', 'kyc_relay', 'empty', $$SELECT kyc_events.register_consumer('')$$, '23514', 'consumers_name_check', NULL),
('onboarding', 'kyc_relay', 'long', $$SELECT kyc_events.register_consumer(repeat('x', 100000))$$, '23514', 'consumers_name_check', NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT * FROM kyc_events.read_blocker()$$, '42501', 'read_blocker', NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT kyc_events.read_horizon()$$, '42501', 'read_horizon', NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT * FROM kyc_events.end_position()$$, '42501', 'end_position', NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT * FROM kyc_events.update_position()$$, '42501', 'update_position', NULL),
-- health() is the service role's (issue 16): no other role may call it.
('onboarding', 'kyc_relay', 'caller', $$SELECT kyc_events.health()$$, '42501', 'health', NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT kyc_events.prune()$$, '42501', 'prune', NULL),
-- The subscriber side and capture, a superuser's.
('onboarding', 'postgres', 'null', $$SELECT kyc_events.subscribe(NULL, 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22004', 'name', NULL),
('onboarding', 'postgres', 'empty', $$SELECT kyc_events.subscribe('', 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '42602', 'subscription name', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.subscribe('Risk Results', 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '42602', 'subscription name', NULL),
('onboarding', 'postgres', 'long', $$SELECT kyc_events.subscribe(repeat('x', 100000), 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '42602', 'subscription name', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.subscribe('risk_results', 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '42710', 'risk_results', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.subscribe('tap_bad', NULL, '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22004', 'source', NULL),
('onboarding', 'postgres', 'empty', $$SELECT kyc_events.subscribe('tap_bad', '', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22023', 'source', NULL),
('onboarding', 'postgres', 'shape', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service password', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22023', 'source', NULL),
('onboarding', 'postgres', 'utf8', $$SELECT kyc_events.subscribe('tap_bad', convert_from('\xc328'::bytea, 'UTF8'), '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22021', NULL, NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', NULL, 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22004', 'topics', NULL),
('onboarding', 'postgres', 'empty', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22023', 'topic', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{Risk..Completed}', 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22023', 'topic', NULL),
('onboarding', 'postgres', 'long', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', ARRAY['risk.' || repeat('x', 100000)], 'kyc_onboarding.on_risk_event(kyc_events.event)')$$, '22001', 'topic', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{risk.*}', NULL)$$, '22004', 'handler', NULL),
('onboarding', 'postgres', 'shape', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{risk.*}', 'pg_catalog.now()')$$, '42P13', 'handler', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)', NULL)$$, '22004', 'start_at', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)', 'now')$$, '22023', 'start_at', NULL),
('onboarding', 'postgres', 'long', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.on_risk_event(kyc_events.event)', repeat('x', 100000))$$, '22023', 'start_at', NULL),
('onboarding', 'postgres', 'shape', $$SELECT kyc_events.subscribe('tap_bad', 'dbname=risk_service', '{risk.*}', 'kyc_onboarding.no_such_handler(kyc_events.event)')$$, '42883', 'no_such_handler', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.unsubscribe(NULL)$$, '22004', 'name', NULL),
('onboarding', 'postgres', 'empty', $$SELECT kyc_events.unsubscribe('')$$, '42704', 'subscription ""', NULL),
('onboarding', 'postgres', 'long', $$SELECT kyc_events.unsubscribe(repeat('x', 100000))$$, '42704', 'does not exist', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.relay_once(NULL)$$, '22004', 'name', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.relay_once('no_such_subscription')$$, '42704', 'no_such_subscription', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.relay_once('risk_results', NULL)$$, '22004', 'max_events', NULL),
('onboarding', 'postgres', 'range', $$SELECT kyc_events.relay_once('risk_results', 0)$$, '22023', 'max_events', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.replay_dead_letter(NULL)$$, '22004', 'dead_letter_id', NULL),
('onboarding', 'postgres', 'range', $$SELECT kyc_events.replay_dead_letter(-1)$$, 'P0002', 'dead letter -1', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.forget_consumer(NULL)$$, '22004', 'consumer', NULL),
('onboarding', 'postgres', 'utf8', $$SELECT kyc_events.forget_consumer(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.capture(NULL)$$, '22004', 'target', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.capture('kyc_onboarding.no_such_table')$$, '42P01', 'no_such_table', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.capture('pg_catalog.pg_class')$$, '42501', 'pg_class', NULL),
('onboarding', 'postgres', 'enum', $$SELECT kyc_events.capture('kyc_onboarding.addresses', 'no_such_column')$$, '42703', 'no_such_column', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.capture('kyc_onboarding.addresses', 'applicant_id', 'kyc_onboarding.applicants')$$, '22023', 'parent_key', NULL),
('onboarding', 'postgres', 'shape', $$SELECT kyc_events.capture_row()$$, '39P01', 'trigger', NULL),
('onboarding', 'postgres', 'shape', $$SELECT kyc_events.capture_truncate()$$, '39P01', 'trigger', NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT kyc_events.capture_row()$$, '42501', 'capture_row', NULL),
('onboarding', 'postgres', 'shape', $$SELECT kyc_events.subscription_changed()$$, '39P01', 'trigger', NULL),
('onboarding', 'postgres', 'range', $$SET LOCAL kyc_events.retention = '-1 day'; SELECT kyc_events.prune()$$, '22023', 'retention', NULL),
('onboarding', 'postgres', 'shape', $$SET LOCAL kyc_events.retention = 'a week or so'; SELECT kyc_events.prune()$$, '22023', 'retention', NULL);

-- pre_request(): the token's claims are its input.  Each row replays
-- PostgREST's transaction with those claims.
INSERT INTO bad (db, role, class, call, state, msg, claims) VALUES
('onboarding', 'kyc_anon', 'enum', $$SELECT kyc_events.pre_request()$$, '42501', 'role claim',
	'{"sub": "kc-evil", "role": "postgres"}'),
('onboarding', 'kyc_anon', 'enum', $$SELECT kyc_events.pre_request()$$, '42501', 'role claim',
	'{"sub": "kc-evil", "realm_access": {"roles": ["onboarding_user"]}, "role": "onboarding_user"}'),
('onboarding', 'kyc_anon', 'enum', $$SELECT kyc_events.pre_request()$$, '42501', 'kyc_superuser',
	'{"sub": "kc-evil", "realm_access": {"roles": ["kyc_superuser"]}}'),
('onboarding', 'kyc_anon', 'null', $$SELECT kyc_events.pre_request()$$, '42501', 'partner_id',
	'{"sub": "kc-partner", "realm_access": {"roles": ["kyc_partner"]}}'),
('onboarding', 'kyc_anon', 'empty', $$SELECT kyc_events.pre_request()$$, '42501', 'partner_id',
	'{"sub": "kc-partner", "realm_access": {"roles": ["kyc_partner"]}, "partner_id": ""}'),
('onboarding', 'kyc_anon', 'null', $$SELECT kyc_events.pre_request()$$, '42501', 'sub',
	'{"realm_access": {"roles": ["kyc_reviewer"]}}'),
('onboarding', 'kyc_reviewer', 'caller', $$SELECT kyc_events.require_partner('creates cases')$$, '42501', 'require_partner', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.require_partner(NULL)$$, '42501', 'only a partner''s token does this', NULL),
('onboarding', 'postgres', 'utf8', $$SELECT kyc_events.require_partner(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('onboarding', 'onboarding_user', 'caller', $$SELECT kyc_events.request_partner()$$, '42501', 'request_partner', NULL);
-- raise_http(): the api functions' way to answer 409; it raises PGRST by
-- design, but not for a status, code or message that is no HTTP answer.
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('onboarding', 'onboarding_user', 'caller', $$SELECT kyc_events.raise_http(409, '55000', 'frozen', NULL, NULL)$$, '42501', 'raise_http', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.raise_http(NULL, '55000', 'frozen', NULL, NULL)$$, '22004', 'status', NULL),
('onboarding', 'postgres', 'range', $$SELECT kyc_events.raise_http(999, '55000', 'frozen', NULL, NULL)$$, '22023', 'status', NULL),
('onboarding', 'postgres', 'null', $$SELECT kyc_events.raise_http(409, NULL, NULL, NULL, NULL)$$, '22004', 'code', NULL);

------------------------------------------------------------------------
-- The relay handlers, in their databases: only the relay may call them.
-- A hand-made event, or none, is refused whoever calls.
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg)
SELECT db, 'postgres', 'shape',
	   format($$SELECT %s(ROW('onboarding', 1, '1', %L, 'KYC-1', '{"case_id": "KYC-1"}', '{}', now())::kyc_events.event)$$, fn, topic),
	   '42501', 'relay'
FROM (VALUES ('onboarding', 'kyc_onboarding.on_checklist_event', 'checklist.completed'),
			 ('onboarding', 'kyc_onboarding.on_risk_event', 'risk.assessment_completed'),
			 ('checklist_service', 'kyc_checklist.on_case_created', 'case.created'),
			 ('checklist_service', 'kyc_checklist.on_document_verified', 'document.verified'),
			 ('checklist_service', 'kyc_checklist.on_screening_completed', 'risk.screening_completed'),
			 ('risk_service', 'kyc_risk.on_onboarding_event', 'case.created'),
			 ('auditlog_service', 'kyc_auditlog.record_event', 'audit.recorded'),
			 ('projections_api', 'kyc_projections.apply_event', 'case.created'),
			 ('notification_service', 'kyc_notification.on_event', 'case.created'),
			 ('document_service', 'kyc_document.on_case_event', 'case.created'),
			 ('document_service', 'kyc_document.on_case_forgotten', 'case.forgotten')) AS h(db, fn, topic)
UNION ALL
SELECT db, 'postgres', 'null', format($$SELECT %s(NULL)$$, fn), '22004', 'must not be null'
FROM (VALUES ('checklist_service', 'kyc_checklist.on_case_created'), ('checklist_service', 'kyc_checklist.on_document_verified'),
			 ('checklist_service', 'kyc_checklist.on_screening_completed'), ('risk_service', 'kyc_risk.on_onboarding_event'),
			 ('auditlog_service', 'kyc_auditlog.record_event'), ('projections_api', 'kyc_projections.apply_event'),
			 ('notification_service', 'kyc_notification.on_event'), ('document_service', 'kyc_document.on_case_event'),
			 ('document_service', 'kyc_document.on_case_forgotten')) AS h(db, fn)
UNION ALL
SELECT db, role, 'caller',
	   format($$SELECT %s(ROW('onboarding', 1, '1', 'case.created', 'KYC-1', '{}', '{}', now())::kyc_events.event)$$, fn),
	   '42501', split_part(fn, '.', 2)
FROM (VALUES ('checklist_service', 'checklist_user', 'kyc_checklist.on_case_created'),
			 ('risk_service', 'risk_user', 'kyc_risk.on_onboarding_event'),
			 ('auditlog_service', 'auditlog_user', 'kyc_auditlog.record_event'),
			 ('projections_api', 'projections_user', 'kyc_projections.apply_event'),
			 ('notification_service', 'notification_user', 'kyc_notification.on_event'),
			 ('document_service', 'document_user', 'kyc_document.on_case_event'),
			 ('document_service', 'document_user', 'kyc_document.on_case_forgotten')) AS h(db, role, fn);

------------------------------------------------------------------------
-- checklist_service: kyc_checklist, as checklist_user
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('checklist_service', 'checklist_user', 'null', $$SELECT kyc_checklist.create_checklist(NULL, 'Individual')$$, '22004', 'case_id', NULL),
('checklist_service', 'checklist_user', 'empty', $$SELECT kyc_checklist.create_checklist(' ', 'Individual')$$, '22023', 'case_id', NULL),
('checklist_service', 'checklist_user', 'long', $$SELECT kyc_checklist.create_checklist(repeat('x', 100000), 'Individual')$$, '22001', 'case_id', NULL),
('checklist_service', 'checklist_user', 'utf8', $$SELECT kyc_checklist.create_checklist(convert_from('\xc328'::bytea, 'UTF8'), 'Individual')$$, '22021', NULL, NULL),
('checklist_service', 'checklist_user', 'null', $$SELECT kyc_checklist.create_checklist('{tag}-cl2', NULL)$$, '22004', 'type', NULL),
('checklist_service', 'checklist_user', 'empty', $$SELECT kyc_checklist.create_checklist('{tag}-cl2', '')$$, 'P0002', 'type', NULL),
('checklist_service', 'checklist_user', 'enum', $$SELECT kyc_checklist.create_checklist('{tag}-cl2', 'Club')$$, 'P0002', 'type ''Club''', NULL),
('checklist_service', 'checklist_user', 'enum', $$SELECT kyc_checklist.create_checklist('{tag}-cl2', 'individual')$$, 'P0002', 'type ''individual''', NULL),
('checklist_service', 'checklist_user', 'long', $$SELECT kyc_checklist.create_checklist('{tag}-cl2', repeat('x', 100000))$$, 'P0002', 'no checklist template', NULL),
('checklist_service', 'checklist_user', 'enum', $$SELECT kyc_checklist.create_checklist('{tag}-cl', 'Trust')$$, '23505', 'Individual', NULL),
('checklist_service', 'checklist_user', 'null', $$SELECT kyc_checklist.reopen_item(NULL, 'screened under a misspelt name')$$, '22004', 'item_id', NULL),
('checklist_service', 'checklist_user', 'null', $$SELECT kyc_checklist.reopen_item('{done_item}', NULL)$$, '22023', 'reason', NULL),
('checklist_service', 'checklist_user', 'empty', $$SELECT kyc_checklist.reopen_item('{done_item}', ' ')$$, '22023', 'reason', NULL),
('checklist_service', 'checklist_user', 'long', $$SELECT kyc_checklist.reopen_item('{done_item}', repeat('x', 100000))$$, '22001', 'reason', NULL),
('checklist_service', 'checklist_user', 'utf8', $$SELECT kyc_checklist.reopen_item('{done_item}', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('checklist_service', 'checklist_user', 'enum', $$SELECT kyc_checklist.reopen_item(gen_random_uuid(), 'screened under a misspelt name')$$, 'P0002', 'does not exist', NULL),
('checklist_service', 'checklist_user', 'enum', $$SELECT kyc_checklist.reopen_item('{item}', 'it was never completed')$$, '55000', 'Pending', NULL),
('checklist_service', 'checklist_user', 'shape', $$SELECT kyc_checklist.reopen_item('not-a-uuid', 'screened under a misspelt name')$$, '22P02', 'uuid', NULL),
('checklist_service', 'checklist_user', 'null', $$SELECT kyc_checklist.completion_percentage(NULL, 6, 0)$$, '22004', 'completed', NULL),
('checklist_service', 'checklist_user', 'range', $$SELECT kyc_checklist.completion_percentage(-1, 6, 0)$$, '22023', 'completed', NULL),
('checklist_service', 'checklist_user', 'range', $$SELECT kyc_checklist.completion_percentage(7, 6, 0)$$, '22023', 'completed', NULL),
('checklist_service', 'checklist_user', 'range', $$SELECT kyc_checklist.completion_percentage(1, 6, 7)$$, '22023', 'skipped', NULL),
('checklist_service', 'checklist_user', 'null', $$SELECT kyc_checklist.is_complete(6, 6, 0, 4, 4, NULL)$$, '22004', 'required_percentage', NULL),
('checklist_service', 'checklist_user', 'range', $$SELECT kyc_checklist.is_complete(6, 6, 0, 4, 5, 80)$$, '22023', 'completed_required', NULL),
('checklist_service', 'checklist_user', 'range', $$SELECT kyc_checklist.is_complete(6, 6, 0, 4, 4, 'NaN')$$, '22023', 'required_percentage', NULL),
('checklist_service', 'checklist_user', 'range', $$SELECT kyc_checklist.is_complete(6, 6, 0, 4, 4, 101)$$, '22023', 'required_percentage', NULL),
('checklist_service', 'checklist_user', 'caller', $$SELECT kyc_checklist.install_defaults()$$, '42501', 'install_defaults', NULL),
('checklist_service', 'checklist_user', 'caller', $$SELECT kyc_checklist.apply_received_events('{tag}-cl')$$, '42501', 'apply_received_events', NULL),
('checklist_service', 'checklist_user', 'caller', $$SELECT kyc_checklist.lock_case('{tag}-cl')$$, '42501', 'lock_case', NULL),
('checklist_service', 'postgres', 'null', $$SELECT kyc_checklist.apply_received_events(NULL)$$, '22004', 'case_id', NULL),
('checklist_service', 'postgres', 'null', $$SELECT kyc_checklist.lock_case(NULL)$$, '22004', 'case_id', NULL);

------------------------------------------------------------------------
-- risk_service: kyc_risk, as risk_user
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.open_assessment(NULL)$$, '22004', 'case_id', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.open_assessment(' ')$$, '22023', 'case_id', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.open_assessment(repeat('x', 100000))$$, '22001', 'case_id', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.open_assessment(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.explain(NULL)$$, '22004', 'case_id', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.explain('')$$, 'P0002', 'no risk assessment', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.explain(repeat('x', 100000))$$, 'P0002', 'no risk assessment', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.risk_level(NULL)$$, '22004', 'score', NULL),
('risk_service', 'risk_user', 'range', $$SELECT kyc_risk.risk_level(100.01)$$, '22003', '100.01', NULL),
('risk_service', 'risk_user', 'range', $$SELECT kyc_risk.risk_level(-1)$$, '22003', '-1', NULL),
('risk_service', 'risk_user', 'range', $$SELECT kyc_risk.risk_level('NaN')$$, '22023', 'NaN', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.assessment_result(NULL)$$, '22004', 'assessment_id', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT kyc_risk.assessment_result(gen_random_uuid())$$, 'P0002', 'assessment', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.assess_geography(NULL, '{GB}')$$, '22004', 'case_id', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.assess_geography('', '{GB}')$$, '22023', 'case_id', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.assess_geography(repeat('x', 100000), '{GB}')$$, '22001', 'case_id', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.assess_geography('{rcase}', NULL)$$, '22004', 'countries', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.assess_geography('{rcase}', '{}')$$, '22023', 'countries', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.assess_geography('{rcase}', '{GB,NULL}')$$, '22004', 'countries', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT kyc_risk.assess_geography('{rcase}', '{XX}')$$, '22023', '"XX"', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT kyc_risk.assess_geography('{rcase}', '{Great Britain}')$$, '22023', 'Great Britain', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.assess_geography('{rcase}', ARRAY[repeat('G', 100000)])$$, '22023', 'country code', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.assess_geography('{rcase}', ARRAY[convert_from('\xc328'::bytea, 'UTF8')])$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.assess_industry(NULL, 'software')$$, '22004', 'case_id', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.assess_industry(repeat('x', 100000), 'software')$$, '22001', 'case_id', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.assess_industry('{rcase}', NULL)$$, '22004', 'industry_code', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.assess_industry('{rcase}', '')$$, 'P0002', 'industry ""', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT kyc_risk.assess_industry('{rcase}', 'alchemy')$$, 'P0002', 'industry "alchemy"', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.assess_industry('{rcase}', repeat('x', 100000))$$, 'P0002', 'industry_risk', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.assess_industry('{rcase}', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.install_defaults()$$, '42501', 'install_defaults', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.apply_onboarding_event(ROW('onboarding', 1, '1', 'case.created', 'KYC-1', '{"case_id": "KYC-1", "type": "Individual"}', '{}', now())::kyc_events.event)$$, '42501', 'apply_onboarding_event', NULL),
('risk_service', 'postgres', 'null', $$SELECT kyc_risk.apply_onboarding_event(NULL)$$, '22004', 'must not be null', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.rescore_open_assessments()$$, '42501', 'rescore_open_assessments', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.factor_level()$$, '42501', 'factor_level', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.factors_changed()$$, '42501', 'factors_changed', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.cached_table_changed()$$, '42501', 'cached_table_changed', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.watchlist_name_normalize()$$, '42501', 'watchlist_name_normalize', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.company_forms_rekey()$$, '42501', 'company_forms_rekey', NULL),
('risk_service', 'risk_user', 'caller', $$SELECT kyc_risk.refresh_token_weights()$$, '42501', 'refresh_token_weights', NULL),
('risk_service', 'postgres', 'shape', $$SELECT kyc_risk.factor_level()$$, '39P01', 'trigger', NULL),
('risk_service', 'postgres', 'range', $$SET LOCAL kyc_risk.unlisted_country_score = 101; SELECT kyc_risk.rescore_open_assessments()$$, '22023', 'unlisted_country_score', NULL),
-- Screening.
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.normalize_name(NULL)$$, '22004', 'name', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.phonetic_key(NULL)$$, '22004', 'name', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.phonetic_key('!?.')$$, '22023', 'no letters or digits', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.phonetic_key(repeat('x', 100000))$$, '22001', 'name', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.phonetic_similarity(NULL, 'ktf')$$, '22004', 'a must not be null', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.phonetic_similarity('ktf', NULL)$$, '22004', 'b must not be null', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.phonetic_similarity(repeat('ktf ', 20000), 'ktf')$$, '22001', 'a is longer', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.normalize_name('')$$, '22023', 'name', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.normalize_name('!?.')$$, '22023', 'no letters or digits', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.normalize_name(repeat('x', 100000))$$, '22001', 'name', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.normalize_name(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.normalize_name('Ada Lovelace', NULL)$$, '22004', 'drop_company_forms', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.name_similarity(NULL, 'Ada')$$, '22004', 'a must not be null', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.name_similarity('Ada', NULL)$$, '22004', 'b must not be null', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.name_similarity('', 'Ada')$$, '22023', 'a must not be empty', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.name_similarity('Ada', repeat('x', 100000))$$, '22001', 'b is longer', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.name_similarity('Ada', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'null', $$SELECT count(*) FROM kyc_risk.screen(NULL)$$, '22004', 'name', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT count(*) FROM kyc_risk.screen('  ')$$, '22023', 'name', NULL),
('risk_service', 'risk_user', 'long', $$SELECT count(*) FROM kyc_risk.screen(repeat('x', 100000))$$, '22001', 'name', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT count(*) FROM kyc_risk.screen(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'future', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', '2999-01-01')$$, '22023', 'birth_date', NULL),
('risk_service', 'risk_user', 'future', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', current_date + 1)$$, '22023', 'birth_date', NULL),
('risk_service', 'risk_user', 'range', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', 'infinity')$$, '22023', 'birth_date', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, 'Russia')$$, '22023', 'country "Russia"', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, '')$$, '22023', 'country', NULL),
('risk_service', 'risk_user', 'null', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, NULL, NULL)$$, '22004', 'threshold', NULL),
('risk_service', 'risk_user', 'range', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, NULL, 1.5)$$, '22023', 'threshold', NULL),
('risk_service', 'risk_user', 'range', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, NULL, 'NaN')$$, '22023', 'threshold', NULL),
('risk_service', 'risk_user', 'null', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, NULL, 0.85, NULL)$$, '22004', 'max_results', NULL),
('risk_service', 'risk_user', 'range', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, NULL, 0.85, 0)$$, '22023', 'max_results', NULL),
('risk_service', 'risk_user', 'range', $$SELECT count(*) FROM kyc_risk.screen('Ivan Sidorov', NULL, NULL, 0.85, 100000)$$, '22023', 'max_results', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.screen_case(NULL, 'Ivan Sidorov')$$, '22004', 'case_id', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.screen_case('', 'Ivan Sidorov')$$, '22023', 'case_id', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.screen_case(repeat('x', 100000), 'Ivan Sidorov')$$, '22001', 'case_id', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.screen_case('{rcase}', NULL)$$, '22004', 'name', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.screen_case('{rcase}', '')$$, '22023', 'name', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.screen_case('{rcase}', repeat('x', 100000))$$, '22001', 'name', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.screen_case('{rcase}', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'future', $$SELECT kyc_risk.screen_case('{rcase}', 'Ivan Sidorov', '2999-01-01')$$, '22023', 'birth_date', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT kyc_risk.screen_case('{rcase}', 'Ivan Sidorov', NULL, 'RUS')$$, '22023', 'country "RUS"', NULL),
('risk_service', 'risk_user', 'range', $$SELECT kyc_risk.screen_case('{rcase}', 'Ivan Sidorov', NULL, NULL, 1.0)$$, '22023', 'screen_case_max_threshold', NULL),
('risk_service', 'risk_user', 'range', $$SELECT kyc_risk.screen_case('{rcase}', 'Ivan Sidorov', NULL, NULL, -0.1)$$, '22023', 'threshold', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.add_watchlist_entity(NULL, 'person', '{Ivan Sidorov}')$$, '22004', 'list', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.add_watchlist_entity(' ', 'person', '{Ivan Sidorov}')$$, '22023', 'list', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.add_watchlist_entity(repeat('x', 100000), 'person', '{Ivan Sidorov}')$$, '22001', 'list', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.add_watchlist_entity(convert_from('\xc328'::bytea, 'UTF8'), 'person', '{Ivan Sidorov}')$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', NULL, '{Ivan Sidorov}')$$, '22004', 'entity_type', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'Person', '{Ivan Sidorov}')$$, '22023', 'entity_type "Person"', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', '', '{Ivan Sidorov}')$$, '22023', 'entity_type', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', repeat('x', 100000), '{Ivan Sidorov}')$$, '22023', 'entity_type', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', NULL)$$, '22023', 'names', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{}')$$, '22023', 'names', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{Ivan Sidorov,NULL}')$$, '22004', 'names', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{""}')$$, '22023', 'name', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', ARRAY[repeat('x', 100000)])$$, '22001', 'name', NULL),
('risk_service', 'risk_user', 'future', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{Ivan Sidorov}', '2999-01-01')$$, '22023', 'birth_date', NULL),
('risk_service', 'risk_user', 'range', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{Ivan Sidorov}', 'infinity')$$, '22023', 'birth_date', NULL),
('risk_service', 'risk_user', 'enum', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{Ivan Sidorov}', NULL, '{Russia}')$$, '22023', 'country "Russia"', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{Ivan Sidorov}', NULL, '{RU,NULL}')$$, '22023', 'country', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.add_watchlist_entity('TAP-BAD', 'person', '{Ivan Sidorov}', NULL, NULL, repeat('x', 100000))$$, '22001', 'program', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.remove_watchlist_entity(NULL, 'listed in error')$$, '22004', 'entity_id', NULL),
('risk_service', 'risk_user', 'null', $$SELECT kyc_risk.remove_watchlist_entity({entity}, NULL)$$, '22004', 'reason', NULL),
('risk_service', 'risk_user', 'empty', $$SELECT kyc_risk.remove_watchlist_entity({entity}, ' ')$$, '22023', 'reason', NULL),
('risk_service', 'risk_user', 'long', $$SELECT kyc_risk.remove_watchlist_entity({entity}, repeat('x', 100000))$$, '22001', 'reason', NULL),
('risk_service', 'risk_user', 'utf8', $$SELECT kyc_risk.remove_watchlist_entity({entity}, convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('risk_service', 'risk_user', 'range', $$SELECT kyc_risk.remove_watchlist_entity(-1, 'listed in error')$$, 'P0002', 'entity -1', NULL),
('risk_service', 'risk_user', 'long', $$SET LOCAL kyc_risk.change_reason = 'x'; SELECT set_config('kyc_risk.change_reason', repeat('x', 100000), true); SELECT kyc_risk.open_assessment('{rcase}')$$, '22023', 'change_reason', NULL);

------------------------------------------------------------------------
-- auditlog_service: kyc_auditlog, as auditlog_user and a kyc_auditor
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('auditlog_service', 'auditlog_user', 'null', $$SELECT kyc_auditlog.ensure_partitions(NULL)$$, '22004', 'months_ahead', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT kyc_auditlog.ensure_partitions(-1)$$, '22023', 'months_ahead', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT kyc_auditlog.ensure_partitions(100000)$$, '22023', 'months_ahead', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT kyc_auditlog.proof(NULL)$$, '22004', 'entry_id', NULL),
('auditlog_service', 'auditlog_user', 'enum', $$SELECT kyc_auditlog.proof(gen_random_uuid())$$, 'P0002', 'does not exist', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT kyc_auditlog.proof('KYC-1')$$, '22P02', 'uuid', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT kyc_auditlog.row_hash(NULL)$$, '22004', 'entry', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT kyc_auditlog.is_sha256_hex(NULL)$$, '=NULL', NULL, NULL),
('auditlog_service', 'auditlog_user', 'empty', $$SELECT kyc_auditlog.is_sha256_hex('')$$, '=f', NULL, NULL),
('auditlog_service', 'auditlog_user', 'long', $$SELECT kyc_auditlog.is_sha256_hex(repeat('0', 100000))$$, '=f', NULL, NULL),
('auditlog_service', 'auditlog_user', 'utf8', $$SELECT kyc_auditlog.is_sha256_hex(repeat('0', 62) || 'é')$$, '=f', NULL, NULL),
('auditlog_service', 'auditlog_user', 'json', $$SELECT count(*) FROM kyc_auditlog.verify('{"block_id": 1, ')$$, '22P02', 'json', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify('{}')$$, '22023', 'block_id', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify('[]')$$, '22023', 'digests', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify('"digest"')$$, '22023', 'digest', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify('[1, 2]')$$, '22023', 'digests[1]', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify('{"block_id": "one", "block_hash": "00"}')$$, '22023', 'block_id', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify('{"block_id": 1, "block_hash": "not a hash"}')$$, '22023', 'block_hash', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify('{"block_id": -1, "block_hash": "0000000000000000000000000000000000000000000000000000000000000000"}')$$, '22023', 'block_id', NULL),
('auditlog_service', 'auditlog_user', 'utf8', $$SELECT count(*) FROM kyc_auditlog.verify(convert_from('\x7b22626c6f636b5f6964223a20312c2022626c6f636b5f68617368223a2022c328227d'::bytea, 'UTF8')::jsonb)$$, '22021', NULL, NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify(NULL, 0)$$, '22023', 'block range', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify(NULL, 5, 4)$$, '22023', 'block range', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT count(*) FROM kyc_auditlog.verify_between(NULL, now())$$, '22004', 'from_time', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT count(*) FROM kyc_auditlog.verify_between(now() - interval '1 day', NULL)$$, '22004', 'to_time', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify_between(now(), now() - interval '1 day')$$, '22023', 'from_time', NULL),
('auditlog_service', 'auditlog_user', 'future', $$SELECT count(*) FROM kyc_auditlog.verify_between('infinity', now())$$, '22023', 'from_time', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify_between(now() - interval '1 day', now(), '[{"block_id": 1}]')$$, '22023', 'block_hash', NULL),
('auditlog_service', 'auditlog_user', 'json', $$SELECT count(*) FROM kyc_auditlog.verify_between(now() - interval '1 day', now(), 'digest')$$, '22P02', 'json', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT count(*) FROM kyc_auditlog.verify_part(NULL, 2, 1)$$, '22004', 'part', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT count(*) FROM kyc_auditlog.verify_part(1, NULL, 1)$$, '22004', 'parts', NULL),
('auditlog_service', 'auditlog_user', 'null', $$SELECT count(*) FROM kyc_auditlog.verify_part(1, 2, NULL)$$, '22004', 'through_block', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify_part(3, 2, 1)$$, '22023', 'part', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify_part(0, 2, 1)$$, '22023', 'part', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify_part(1, 0, 1)$$, '22023', 'parts', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify_part(1, 100000, 1)$$, '22023', 'parts', NULL),
('auditlog_service', 'auditlog_user', 'range', $$SELECT count(*) FROM kyc_auditlog.verify_part(1, 2, -1)$$, '22023', 'through_block', NULL),
('auditlog_service', 'auditlog_user', 'shape', $$SELECT count(*) FROM kyc_auditlog.verify_part(1, 2, 1, '[]')$$, '22023', 'digests', NULL),
('auditlog_service', 'auditlog_user', 'json', $$SELECT count(*) FROM kyc_auditlog.verify_part(1, 2, 1, 'digest')$$, '22P02', 'json', NULL),
-- record_verify() (issue 16) is pg_cron's, a superuser's: refused to the
-- service, and its range checked as verify_between() checks it.
('auditlog_service', 'auditlog_user', 'caller', $$SELECT kyc_auditlog.record_verify(now() - interval '1 day', now())$$, '42501', 'record_verify', NULL),
('auditlog_service', 'postgres', 'null', $$SELECT kyc_auditlog.record_verify(NULL, now())$$, '22004', 'from_time', NULL),
('auditlog_service', 'postgres', 'null', $$SELECT kyc_auditlog.record_verify(now() - interval '1 day', NULL)$$, '22004', 'to_time', NULL),
('auditlog_service', 'postgres', 'range', $$SELECT kyc_auditlog.record_verify(now(), now() - interval '1 day')$$, '22023', 'from_time', NULL),
('auditlog_service', 'auditlog_user', 'caller', $$SELECT kyc_auditlog.mark_verified(NULL)$$, '42501', 'mark_verified', NULL),
('auditlog_service', 'auditlog_user', 'caller', $$SELECT kyc_auditlog.drop_expired_partitions()$$, '42501', 'drop_expired_partitions', NULL),
('auditlog_service', 'auditlog_user', 'caller', $$CALL kyc_auditlog.seal_every()$$, '42501', 'seal_every', NULL),
('auditlog_service', 'auditlog_user', 'caller', $$SET LOCAL kyc_auditlog.retention = '1 day'; SELECT kyc_auditlog.drop_expired_partitions()$$, '42501', 'retention', NULL),
('auditlog_service', 'auditlog_user', 'state', $$SET LOCAL transaction_read_only = on; SELECT kyc_auditlog.seal()$$, '25006', NULL, NULL),
('auditlog_service', 'auditlog_user', 'state', $$SET LOCAL transaction_read_only = on; SELECT kyc_auditlog.digest()$$, '25006', NULL, NULL),
('auditlog_service', 'kyc_auditor', 'null', $$SELECT kyc_auditlog.mark_verified(NULL)$$, '22004', 'digest', NULL),
('auditlog_service', 'kyc_auditor', 'empty', $$SELECT kyc_auditlog.mark_verified('[]')$$, '22023', 'digest', NULL),
('auditlog_service', 'kyc_auditor', 'json', $$SELECT kyc_auditlog.mark_verified('{"block_id": 1')$$, '22P02', 'json', NULL),
('auditlog_service', 'kyc_auditor', 'shape', $$SELECT kyc_auditlog.mark_verified('[1]')$$, '22023', 'digest', NULL),
('auditlog_service', 'kyc_auditor', 'shape', $$SELECT kyc_auditlog.mark_verified('{"block_id": 1, "block_hash": "0000000000000000000000000000000000000000000000000000000000000000"}')$$, '22023', 'digest', NULL),
('auditlog_service', 'kyc_auditor', 'future', $$SELECT kyc_auditlog.mark_verified(kyc_auditlog.digest() || '{"digest_at": "2999-01-01T00:00:00+00:00"}')$$, '22023', 'digest', NULL),
('auditlog_service', 'kyc_auditor', 'enum', $$SELECT kyc_auditlog.mark_verified(kyc_auditlog.digest())$$, '55000', 'verify_min_age', NULL),
('auditlog_service', 'postgres', 'null', $$CALL kyc_auditlog.seal_every('1 second', NULL)$$, '22004', 'how long', NULL),
('auditlog_service', 'postgres', 'range', $$CALL kyc_auditlog.seal_every('-1 second')$$, '22023', 'seal interval', NULL),
('auditlog_service', 'postgres', 'range', $$CALL kyc_auditlog.seal_every('1 second', '-1 minute')$$, '22023', 'during', NULL),
('auditlog_service', 'postgres', 'range', $$SET LOCAL kyc_auditlog.retention = '-1 year'; SELECT kyc_auditlog.drop_expired_partitions()$$, '22023', 'retention', NULL);

------------------------------------------------------------------------
-- projections_api: kyc_projections, as projections_user
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('projections_api', 'projections_user', 'null', $$SELECT count(*) FROM kyc_projections.changes_since(NULL)$$, '22004', 'cursor', NULL),
('projections_api', 'projections_user', 'range', $$SELECT count(*) FROM kyc_projections.changes_since(-1)$$, '22023', 'cursor', NULL),
('projections_api', 'projections_user', 'empty', $$SELECT kyc_projections.dashboard('')$$, '22023', 'partner_id', NULL),
('projections_api', 'projections_user', 'long', $$SELECT kyc_projections.dashboard(repeat('x', 100000))$$, '22001', 'partner_id', NULL),
('projections_api', 'projections_user', 'utf8', $$SELECT kyc_projections.dashboard(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('projections_api', 'projections_user', 'range', $$SET LOCAL kyc_projections.review_sla = '-1 day'; SELECT kyc_projections.dashboard()$$, '22023', 'review_sla', NULL),
('projections_api', 'projections_user', 'shape', $$SET LOCAL kyc_projections.review_sla = 'two days'; SELECT kyc_projections.dashboard()$$, '22023', 'review_sla', NULL),
('projections_api', 'projections_user', 'null', $$SELECT count(*) FROM kyc_projections.search(NULL)$$, '22004', 'query', NULL),
('projections_api', 'projections_user', 'empty', $$SELECT count(*) FROM kyc_projections.search('   ')$$, '22023', 'query', NULL),
('projections_api', 'projections_user', 'range', $$SELECT count(*) FROM kyc_projections.search('ab')$$, '22023', 'too short', NULL),
('projections_api', 'projections_user', 'long', $$SELECT count(*) FROM kyc_projections.search(repeat('x', 100000))$$, '22001', 'too long', NULL),
('projections_api', 'projections_user', 'utf8', $$SELECT count(*) FROM kyc_projections.search(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('projections_api', 'projections_user', 'caller', $$SELECT kyc_projections.rebuild()$$, '42501', 'rebuild', NULL),
('projections_api', 'projections_user', 'caller', $$SELECT count(*) FROM kyc_projections.check()$$, '42501', 'check', NULL),
('projections_api', 'postgres', 'empty', $$SELECT kyc_projections.rebuild('')$$, '22023', 'case_id', NULL),
('projections_api', 'postgres', 'long', $$SELECT kyc_projections.rebuild(repeat('x', 100000))$$, '22001', 'case_id', NULL),
('projections_api', 'postgres', 'range', $$SELECT count(*) FROM kyc_projections.check(0)$$, '22023', 'sample', NULL),
('projections_api', 'postgres', 'range', $$SELECT count(*) FROM kyc_projections.check(-1)$$, '22023', 'sample', NULL);

------------------------------------------------------------------------
-- notification_service: kyc_notification, as notification_user
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.enqueue(NULL, 'SMS', '+41791234567')$$, '22004', 'type', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT kyc_notification.enqueue('', 'SMS', '+41791234567')$$, '22023', 'type', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('Spam', 'SMS', '+41791234567')$$, 'P0002', 'type Spam', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.enqueue(repeat('x', 100000), 'SMS', '+41791234567')$$, '22023', 'type', NULL),
('notification_service', 'notification_user', 'utf8', $$SELECT kyc_notification.enqueue(convert_from('\xc328'::bytea, 'UTF8'), 'SMS', '+41791234567')$$, '22021', NULL, NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.enqueue('StatusUpdate', NULL, '+41791234567')$$, '22004', 'channel', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('StatusUpdate', 'Pigeon', '+41791234567')$$, '22023', 'channel "Pigeon"', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('StatusUpdate', 'sms', '+41791234567')$$, '22023', 'channel "sms"', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('StatusUpdate', 'Webhook', 'https://hooks.tap-bad.example/kyc')$$, '42501', 'webhook', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', NULL)$$, '22004', 'recipient', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '')$$, '22023', 'recipient', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '0791234567')$$, '22023', 'recipient', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT kyc_notification.enqueue('StatusUpdate', 'Email', 'ada@')$$, '22023', 'recipient', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.enqueue('StatusUpdate', 'Email', repeat('x', 100000) || '@example.org')$$, '22023', 'recipient', NULL),
('notification_service', 'notification_user', 'utf8', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', 'no.such.template')$$, 'P0002', 'no.such.template', NULL),
('notification_service', 'notification_user', 'json', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1"')$$, '22P02', 'json', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '[{"case": {}}]')$$, '22023', 'template_data', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}, "cas": {}}')$$, '22023', '"cas"', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": "KYC-1"}')$$, '22023', 'case.case_id', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{}')$$, '22023', 'case.case_id', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT kyc_notification.enqueue('StatusUpdate', 'Email', 'ada@example.org', NULL, '{"case": {"case_id": "KYC-1\r\nBcc: eve@example.org", "status": "Approved"}, "applicant": {"first_name": "Ada"}}')$$, '22023', 'subject', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', NULL)$$, '22004', 'priority', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', 'Urgent')$$, '22023', 'priority "Urgent"', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', case_id => '')$$, '22023', 'case_id', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', case_id => repeat('x', 100000))$$, '22023', 'case_id', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', partner_id => repeat('x', 100000))$$, '22023', 'partner_id', NULL),
('notification_service', 'notification_user', 'range', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', scheduled_at => 'infinity')$$, '22023', 'scheduled_at', NULL),
('notification_service', 'notification_user', 'range', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', scheduled_at => '-infinity')$$, '22023', 'scheduled_at', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', idempotency_key => ' ')$$, '22023', 'idempotency_key', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', idempotency_key => repeat('x', 100000))$$, '22023', 'idempotency_key', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', idempotency_key => 'event:onboarding:1:SMS')$$, '22023', 'idempotency_key', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', locale => 'klingon!')$$, '22023', 'locale', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "Approved"}}', locale => repeat('x', 100000))$$, '22023', 'locale', NULL),
('notification_service', 'notification_user', 'null', $$SELECT count(*) FROM kyc_notification.claim(NULL, 10, 'sender-1', '30 seconds')$$, '22004', 'channel', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT count(*) FROM kyc_notification.claim('Fax', 10, 'sender-1', '30 seconds')$$, '22023', 'channel "Fax"', NULL),
('notification_service', 'notification_user', 'null', $$SELECT count(*) FROM kyc_notification.claim('SMS', NULL, 'sender-1', '30 seconds')$$, '22004', 'batch_size', NULL),
('notification_service', 'notification_user', 'range', $$SELECT count(*) FROM kyc_notification.claim('SMS', 0, 'sender-1', '30 seconds')$$, '22023', 'batch_size', NULL),
('notification_service', 'notification_user', 'range', $$SELECT count(*) FROM kyc_notification.claim('SMS', 1001, 'sender-1', '30 seconds')$$, '22023', 'batch_size', NULL),
('notification_service', 'notification_user', 'null', $$SELECT count(*) FROM kyc_notification.claim('SMS', 10, NULL, '30 seconds')$$, '22004', 'worker', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT count(*) FROM kyc_notification.claim('SMS', 10, '', '30 seconds')$$, '22023', 'worker', NULL),
('notification_service', 'notification_user', 'long', $$SELECT count(*) FROM kyc_notification.claim('SMS', 10, repeat('x', 100000), '30 seconds')$$, '22023', 'worker', NULL),
('notification_service', 'notification_user', 'utf8', $$SELECT count(*) FROM kyc_notification.claim('SMS', 10, convert_from('\xc328'::bytea, 'UTF8'), '30 seconds')$$, '22021', NULL, NULL),
('notification_service', 'notification_user', 'null', $$SELECT count(*) FROM kyc_notification.claim('SMS', 10, 'sender-1', NULL)$$, '22004', 'lease', NULL),
('notification_service', 'notification_user', 'range', $$SELECT count(*) FROM kyc_notification.claim('SMS', 10, 'sender-1', '-30 seconds')$$, '22023', 'lease', NULL),
('notification_service', 'notification_user', 'future', $$SELECT count(*) FROM kyc_notification.claim('SMS', 10, 'sender-1', '2 days')$$, '22023', 'lease', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.mark_sent(NULL, 'tap-bad-w')$$, '22004', 'id', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.mark_sent('{notification}', NULL)$$, '22004', 'worker', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.mark_sent('{notification}', 'another-worker')$$, '55000', 'another-worker', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.mark_sent('{notification}', 'tap-bad-w', repeat('x', 100000))$$, '22023', 'provider_message_id', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.mark_sent(gen_random_uuid(), 'tap-bad-w')$$, 'P0002', 'does not exist', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.mark_failed(NULL, 'tap-bad-w', 'smtp 550')$$, '22004', 'id', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.mark_failed('{notification}', 'tap-bad-w', NULL)$$, '22004', 'error', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT kyc_notification.mark_failed('{notification}', 'tap-bad-w', ' ')$$, '22023', 'error must say', NULL),
('notification_service', 'notification_user', 'utf8', $$SELECT kyc_notification.mark_failed('{notification}', 'tap-bad-w', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.mark_failed('{notification}', 'another-worker', 'smtp 550')$$, '55000', 'another-worker', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.mark_delivered(NULL)$$, '22004', 'id', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.mark_delivered('{notification}')$$, '55000', 'Sending', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.cancel(NULL, 'sent by mistake')$$, '22004', 'id', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.cancel('{pending}', NULL)$$, '22004', 'reason', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT kyc_notification.cancel('{pending}', ' ')$$, '22023', 'reason', NULL),
('notification_service', 'notification_user', 'long', $$SELECT kyc_notification.cancel('{pending}', repeat('x', 100000))$$, '22023', 'reason', NULL),
('notification_service', 'notification_user', 'utf8', $$SELECT kyc_notification.cancel('{pending}', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.cancel('{notification}', 'sent by mistake')$$, '55000', 'Sending', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.extend_lease(NULL, 'tap-bad-w', '1 minute')$$, '22004', 'id', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.extend_lease('{notification}', NULL, '1 minute')$$, '22004', 'worker', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.extend_lease('{notification}', 'tap-bad-w', NULL)$$, '22004', 'lease', NULL),
('notification_service', 'notification_user', 'range', $$SELECT kyc_notification.extend_lease('{notification}', 'tap-bad-w', '-1 minute')$$, '22023', 'lease', NULL),
('notification_service', 'notification_user', 'future', $$SELECT kyc_notification.extend_lease('{notification}', 'tap-bad-w', '1 year')$$, '22023', 'lease', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.extend_lease('{notification}', 'another-worker', '1 minute')$$, '55000', 'another-worker', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.release(NULL, 'tap-bad-w')$$, '22004', 'id', NULL),
('notification_service', 'notification_user', 'null', $$SELECT kyc_notification.release('{notification}', NULL)$$, '22004', 'worker', NULL),
('notification_service', 'notification_user', 'enum', $$SELECT kyc_notification.release('{notification}', 'another-worker')$$, '55000', 'another-worker', NULL),
('notification_service', 'notification_user', 'null', $$SELECT count(*) FROM kyc_notification.render(NULL, '{}')$$, '22004', 'template_id', NULL),
('notification_service', 'notification_user', 'empty', $$SELECT count(*) FROM kyc_notification.render('', '{}')$$, 'P0002', 'template ""', NULL),
('notification_service', 'notification_user', 'long', $$SELECT count(*) FROM kyc_notification.render(repeat('x', 100000), '{}')$$, 'P0002', 'does not exist', NULL),
('notification_service', 'notification_user', 'utf8', $$SELECT count(*) FROM kyc_notification.render(convert_from('\xc328'::bytea, 'UTF8'), '{}')$$, '22021', NULL, NULL),
('notification_service', 'notification_user', 'null', $$SELECT count(*) FROM kyc_notification.render('status_update.sms.en', NULL)$$, '22004', 'template_data', NULL),
('notification_service', 'notification_user', 'json', $$SELECT count(*) FROM kyc_notification.render('status_update.sms.en', '{"case": ')$$, '22P02', 'json', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT count(*) FROM kyc_notification.render('status_update.sms.en', '"KYC-1"')$$, '22023', 'template_data', NULL),
('notification_service', 'notification_user', 'shape', $$SELECT count(*) FROM kyc_notification.render('status_update.sms.en', '{"case": {"case_id": "KYC-1"}}')$$, '22023', 'case.status', NULL),
('notification_service', 'notification_user', 'caller', $$SELECT kyc_notification.set_partner('tap-bad-p', 'https://evil.example/')$$, '42501', 'set_partner', NULL),
('notification_service', 'notification_user', 'caller', $$SELECT kyc_notification.sweep()$$, '42501', 'sweep', NULL),
('notification_service', 'notification_user', 'caller', $$SELECT kyc_notification.install_default_templates()$$, '42501', 'install_default_templates', NULL),
('notification_service', 'notification_user', 'caller', $$CALL kyc_notification.purge_expired()$$, '42501', 'purge_expired', NULL),
('notification_service', 'notification_user', 'caller', $$SET LOCAL kyc_notification.retry_base = '1 ms'; SELECT kyc_notification.stats()$$, '42501', 'retry_base', NULL),
('notification_service', 'kyc_partner', 'caller', $$SELECT kyc_notification.stats()$$, '42501', NULL, NULL),
('notification_service', 'kyc_partner', 'caller', $$SELECT kyc_events.health()$$, '42501', NULL, NULL),
-- The owner's functions.
('notification_service', 'postgres', 'null', $$SELECT kyc_notification.set_partner(NULL, 'https://hooks.tap-bad.example/kyc')$$, '23502', 'partner_id', NULL),
('notification_service', 'postgres', 'empty', $$SELECT kyc_notification.set_partner('', 'https://hooks.tap-bad.example/kyc')$$, '23514', 'partner_id', NULL),
('notification_service', 'postgres', 'long', $$SELECT kyc_notification.set_partner(repeat('x', 100000), 'https://hooks.tap-bad.example/kyc')$$, '22001', 'partner_id', NULL),
('notification_service', 'postgres', 'empty', $$SELECT kyc_notification.set_partner('tap-bad-p', '')$$, '23514', 'webhook_url', NULL),
('notification_service', 'postgres', 'shape', $$SELECT kyc_notification.set_partner('tap-bad-p', 'http://hooks.tap-bad.example/kyc')$$, '23514', 'webhook_url', NULL),
('notification_service', 'postgres', 'long', $$SELECT kyc_notification.set_partner('tap-bad-p', 'https://' || repeat('x', 100000))$$, '23514', 'webhook_url', NULL),
('notification_service', 'postgres', 'utf8', $$SELECT kyc_notification.set_partner('tap-bad-p', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('notification_service', 'postgres', 'null', $$SELECT kyc_notification.set_partner('tap-bad-p', 'https://hooks.tap-bad.example/kyc', NULL)$$, '23502', 'locale', NULL),
('notification_service', 'postgres', 'enum', $$SELECT kyc_notification.set_partner('tap-bad-p', 'https://hooks.tap-bad.example/kyc', 'klingon!')$$, '23514', 'locale', NULL),
('notification_service', 'postgres', 'null', $$SELECT kyc_notification.rotate_webhook_secret(NULL)$$, '22004', 'partner_id', NULL),
('notification_service', 'postgres', 'empty', $$SELECT kyc_notification.rotate_webhook_secret('')$$, 'P0002', 'partner ""', NULL),
('notification_service', 'postgres', 'long', $$SELECT kyc_notification.rotate_webhook_secret(repeat('x', 100000))$$, 'P0002', 'no webhook settings', NULL),
('notification_service', 'postgres', 'null', $$SELECT kyc_notification.sign(NULL, 1796127144, '{}')$$, '22004', 'secret', NULL),
('notification_service', 'postgres', 'empty', $$SELECT kyc_notification.sign('', 1796127144, '{}')$$, '22023', 'secret', NULL),
('notification_service', 'postgres', 'null', $$SELECT kyc_notification.sign('whsec_x', NULL, '{}')$$, '22004', 'signed_at', NULL),
('notification_service', 'postgres', 'range', $$SELECT kyc_notification.sign('whsec_x', -1, '{}')$$, '22023', 'signed_at', NULL),
('notification_service', 'postgres', 'null', $$SELECT kyc_notification.sign('whsec_x', 1796127144, NULL)$$, '22004', 'body', NULL),
('notification_service', 'postgres', 'utf8', $$SELECT kyc_notification.sign('whsec_x', 1796127144, convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('notification_service', 'postgres', 'null', $$CALL kyc_notification.purge_expired(NULL)$$, '22023', 'batch_size', NULL),
('notification_service', 'postgres', 'range', $$CALL kyc_notification.purge_expired(0)$$, '22023', 'batch_size', NULL),
('notification_service', 'postgres', 'range', $$SET LOCAL kyc_notification.retention = '-1 day'; SELECT kyc_notification.sweep()$$, '22023', 'retention', NULL),
('notification_service', 'postgres', 'enum', $$SET LOCAL kyc_notification.default_locale = 'klingon!'; SELECT kyc_notification.install_default_templates()$$, '22023', 'default_locale', NULL);

------------------------------------------------------------------------
-- document_service: kyc_document, as document_user; its API as a partner
------------------------------------------------------------------------
INSERT INTO bad (db, role, class, call, state, msg, todo)
SELECT 'document_service', 'document_user', class,
	   format('SELECT kyc_document.register_document(%s)', array_to_string(a, ', ')), state, msg, todo
FROM (SELECT ARRAY[$$'{dcase}'$$, $$'Passport'$$, $$'passport.pdf'$$, $$'application/pdf'$$, '1000', $$repeat('ab', 32)$$,
				   $$'s3://tap-bad/passport.pdf'$$, 'NULL', 'NULL'] AS good) g,
	 LATERAL (SELECT class, good[:pos - 1] || v || good[pos + 1:] AS a, state, msg, todo
			  FROM (VALUES
				(1, 'null', 'NULL', '22004', 'case_id', NULL),
				(1, 'empty', $$' '$$, '23514', 'case_id', NULL),
				(1, 'long', $$repeat('x', 100000)$$, '22001', 'case_id', NULL),
				(1, 'utf8', $$convert_from('\xc328'::bytea, 'UTF8')$$, '22021', NULL, NULL),
				(2, 'null', 'NULL', '22004', 'document_type', NULL),
				(2, 'empty', $$''$$, '23514', 'document_type', NULL),
				(2, 'enum', $$'Visa'$$, '23514', 'document_type "Visa"', NULL),
				(2, 'enum', $$'passport'$$, '23514', 'document_type "passport"', NULL),
				(2, 'long', $$repeat('x', 100000)$$, '23514', 'document_type', NULL),
				(3, 'null', 'NULL', '22004', 'file_name', NULL),
				(3, 'empty', $$'  '$$, '23514', 'file_name', NULL),
				(3, 'long', $$repeat('x', 100000) || '.pdf'$$, '22001', 'file_name', NULL),
				(3, 'utf8', $$convert_from('\xc328'::bytea, 'UTF8')$$, '22021', NULL, NULL),
				(4, 'null', 'NULL', '22004', 'mime_type', NULL),
				(4, 'enum', $$'application/x-msdownload'$$, '22023', 'MIME type', NULL),
				(4, 'empty', $$''$$, '23514', 'mime_type', NULL),
				(5, 'null', 'NULL', '22004', 'size_bytes', NULL),
				(5, 'range', '-1', '23514', 'size_bytes', NULL),
				(5, 'range', '9223372036854775807', '23514', 'max_size_bytes', NULL),
				(6, 'null', 'NULL', '22004', 'sha256', NULL),
				(6, 'shape', $$'not a digest'$$, '22P02', 'sha256', NULL),
				(6, 'long', $$repeat('ab', 50000)$$, '22P02', 'sha256', NULL),
				(7, 'null', 'NULL', '22004', 'storage_uri', NULL),
				(7, 'shape', $$'passport.pdf'$$, '22023', 'storage_uri', NULL),
				(7, 'long', $$'s3://tap-bad/' || repeat('x', 100000)$$, '22001', 'storage_uri', NULL),
				(8, 'shape', $$'not-a-uuid'$$, '22P02', 'uuid', NULL),
				(9, 'range', $$'-infinity'$$, '22023', 'expires_at', NULL),
				(9, 'shape', $$'next year'$$, '22007', 'timestamp', NULL)) AS v(pos, class, v, state, msg, todo)) x;
INSERT INTO bad (db, role, class, call, state, msg, todo) VALUES
('document_service', 'document_user', 'null', $$SELECT kyc_document.verify_document(NULL)$$, '22004', 'document_id', NULL),
('document_service', 'document_user', 'enum', $$SELECT kyc_document.verify_document(gen_random_uuid())$$, 'P0002', 'does not exist', NULL),
('document_service', 'document_user', 'long', $$SELECT kyc_document.verify_document('{document}', repeat('x', 100000))$$, '22001', 'reviewer', NULL),
('document_service', 'document_user', 'utf8', $$SELECT kyc_document.verify_document('{document}', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('document_service', 'document_user', 'null', $$SELECT kyc_document.reject_document(NULL, 'blurred')$$, '22004', 'document_id', NULL),
('document_service', 'document_user', 'null', $$SELECT kyc_document.reject_document('{document}', NULL)$$, '22004', 'reason', NULL),
('document_service', 'document_user', 'empty', $$SELECT kyc_document.reject_document('{document}', ' ')$$, '23514', 'needs a reason', NULL),
('document_service', 'document_user', 'long', $$SELECT kyc_document.reject_document('{document}', repeat('x', 100000))$$, '22001', 'reason', NULL),
('document_service', 'document_user', 'long', $$SELECT kyc_document.reject_document('{document}', 'blurred', repeat('x', 100000))$$, '22001', 'reviewer', NULL),
('document_service', 'document_user', 'utf8', $$SELECT kyc_document.reject_document('{document}', convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('document_service', 'document_user', 'enum', $$SELECT kyc_document.reject_document(gen_random_uuid(), 'blurred')$$, 'P0002', 'does not exist', NULL),
('document_service', 'document_user', 'caller', $$SELECT kyc_document.install_defaults()$$, '42501', 'install_defaults', NULL),
('document_service', 'document_user', 'null', $$SELECT kyc_document.reveal(NULL)$$, '=NULL', NULL, NULL),
('document_service', 'document_user', 'empty', $$SELECT kyc_document.reveal('')$$, '22023', 'sealed', NULL),
('document_service', 'document_user', 'long', $$SELECT kyc_document.reveal(repeat('x', 100000))$$, '22023', 'sealed', NULL),
('document_service', 'document_user', 'utf8', $$SELECT kyc_document.reveal(convert_from('\xc328'::bytea, 'UTF8'))$$, '22021', NULL, NULL),
('document_service', 'document_user', 'state', $$SET LOCAL transaction_read_only = on; SELECT kyc_document.expire_documents()$$, '25006', NULL, NULL),
('document_service', 'document_user', 'caller', $$SET LOCAL kyc_document.max_size_bytes = '1TB'; SELECT kyc_document.expire_documents()$$, '42501', 'max_size_bytes', NULL),
('document_service', 'postgres', 'shape', $$LOAD 'kyc_document'; SET LOCAL kyc_document.max_size_bytes = 'huge'; SELECT kyc_document.install_defaults()$$, '22023', 'max_size_bytes', NULL),
('document_service', 'kyc_partner', 'null', $$SELECT api.register_document(NULL, 'Passport', 'passport.pdf', 'application/pdf', 1000, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, 'P0002', 'does not exist', NULL),
('document_service', 'kyc_partner', 'long', $$SELECT api.register_document(repeat('x', 100000), 'Passport', 'passport.pdf', 'application/pdf', 1000, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, 'P0002', 'does not exist', NULL),
('document_service', 'kyc_partner', 'enum', $$SELECT api.register_document('{dcase}', 'Visa', 'passport.pdf', 'application/pdf', 1000, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, '23514', 'document_type "Visa"', NULL),
('document_service', 'kyc_partner', 'null', $$SELECT api.register_document('{dcase}', 'Passport', NULL, 'application/pdf', 1000, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, '22004', 'file_name', NULL),
('document_service', 'kyc_partner', 'enum', $$SELECT api.register_document('{dcase}', 'Passport', 'passport.exe', 'application/x-msdownload', 1000, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, '22023', 'MIME type', NULL),
('document_service', 'kyc_partner', 'range', $$SELECT api.register_document('{dcase}', 'Passport', 'passport.pdf', 'application/pdf', -1, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, '23514', 'size_bytes', NULL),
('document_service', 'kyc_partner', 'shape', $$SELECT api.register_document('{dcase}', 'Passport', 'passport.pdf', 'application/pdf', 1000, 'ab', 's3://tap-bad/p.pdf')$$, '22P02', 'sha256', NULL),
('document_service', 'kyc_partner', 'utf8', $$SELECT api.register_document('{dcase}', 'Passport', convert_from('\xc328'::bytea, 'UTF8'), 'application/pdf', 1000, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, '22021', NULL, NULL),
('document_service', 'kyc_reviewer', 'caller', $$SELECT api.register_document('{dcase}', 'Passport', 'passport.pdf', 'application/pdf', 1000, repeat('ab', 32), 's3://tap-bad/p.pdf')$$, '42501', NULL, NULL);

-- The API roles' tokens: a partner's carries its partner.
UPDATE bad SET claims = jsonb_strip_nulls(jsonb_build_object('sub', 'kc-tap-bad-' || role, 'preferred_username', 'tap-bad',
	'realm_access', jsonb_build_object('roles', jsonb_build_array(role)),
	'partner_id', CASE WHEN role = 'kyc_partner' THEN 'tap-bad-p' END))
WHERE role IN ('kyc_partner', 'kyc_reviewer', 'kyc_compliance_officer', 'kyc_admin') AND claims IS NULL;
UPDATE bad SET claims = '{}' WHERE role = 'kyc_anon' AND claims IS NULL;

------------------------------------------------------------------------
-- The runner.
------------------------------------------------------------------------
CREATE TEMP TABLE sessions (conn text PRIMARY KEY, db text, login text, pid int);
CREATE TEMP TABLE results (n int PRIMARY KEY, state text, message text, value text);

-- The session a caller connects with: PostgREST logs in as
-- kyc_authenticator, a kyc_auditor member is a superuser's session with
-- SET ROLE (kyc_auditor cannot log in), every other caller is itself.
CREATE FUNCTION pg_temp.login(role text) RETURNS text LANGUAGE sql AS $$
	SELECT CASE WHEN role LIKE 'kyc\_%' AND role NOT IN ('kyc_relay', 'kyc_auditor') THEN 'kyc_authenticator'
				WHEN role = 'kyc_auditor' THEN 'postgres' ELSE role END
$$;
CREATE FUNCTION pg_temp.session(db text, login text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	c text := format('bad_%s_%s', login, db);
BEGIN
	IF NOT EXISTS (SELECT FROM sessions s WHERE s.conn = c) THEN
		PERFORM dblink_connect(c, format('%s dbname=%s user=%s application_name=45_bad_input',
										 current_setting('tap_bad.host'), db, login));
		PERFORM dblink_exec(c, $q$SET statement_timeout = '10s'$q$);
		PERFORM dblink_exec(c, $q$SET client_min_messages = error$q$);
		INSERT INTO sessions SELECT c, db, login, p FROM dblink(c, 'SELECT pg_backend_pid()') AS t(p int);
	END IF;
	RETURN c;
END $$;

-- One statement in a session: a query through dblink() (dblink_exec()
-- refuses one that returns rows), anything else through dblink_exec().
CREATE FUNCTION pg_temp.exec(conn text, stmt text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF stmt ~* '^\s*(SELECT|WITH)\s' THEN
		-- Every column printed: a column no one reads need not be computed.
		PERFORM FROM dblink(conn, format('SELECT length(string_agg(q::text, '','')) FROM (%s) q', stmt)) AS t(n int);
	ELSE
		PERFORM dblink_exec(conn, stmt);
	END IF;
END $$;

CREATE FUNCTION pg_temp.run() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	r record;
	f record;
	conn text;
	stmt text;
	stmts text[];
	i int;
	v text;
BEGIN
	FOR r IN SELECT * FROM bad ORDER BY n LOOP
		stmt := r.call;
		FOR f IN SELECT * FROM fixture LOOP
			stmt := replace(stmt, '{' || f.name || '}', f.value);
		END LOOP;
		-- A call may set something up first: "SET LOCAL ...; SELECT f(...)".
		stmts := regexp_split_to_array(stmt, ';\s+(?=(SET|SELECT|CALL)\s)');
		conn := pg_temp.session(r.db, pg_temp.login(r.role));
		BEGIN
			PERFORM dblink_exec(conn, 'BEGIN');
			IF r.role = 'kyc_auditor' THEN
				PERFORM dblink_exec(conn, 'SET LOCAL ROLE kyc_auditor');
			ELSIF pg_temp.login(r.role) = 'kyc_authenticator' THEN
				-- PostgREST's request (lib/postgrest.psql), here rolled back.
				PERFORM dblink_exec(conn, 'SET LOCAL ROLE kyc_anon');
				PERFORM pg_temp.exec(conn, format($q$SELECT set_config('request.jwt.claims', %L, true)$q$, r.claims));
				PERFORM pg_temp.exec(conn, 'SELECT kyc_events.pre_request()');
			END IF;
			FOR i IN 1 .. cardinality(stmts) - 1 LOOP
				PERFORM pg_temp.exec(conn, stmts[i]);
			END LOOP;
			IF r.state LIKE '=%' THEN
				SELECT t.v INTO v FROM dblink(conn, stmts[cardinality(stmts)]) AS t(v text);
			ELSE
				PERFORM pg_temp.exec(conn, stmts[cardinality(stmts)]);
				v := 'ok';
			END IF;
			INSERT INTO results VALUES (r.n, 'ok', NULL, coalesce(v, 'NULL'));
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO results VALUES (r.n, SQLSTATE, SQLERRM, NULL);
		END;
		BEGIN
			PERFORM dblink_exec(conn, 'ROLLBACK');
		EXCEPTION WHEN OTHERS THEN
			NULL;	-- a broken session; the survival check reports it
		END;
	END LOOP;
END $$;
SELECT pg_temp.run();
SELECT pg_temp.vitals('after');

------------------------------------------------------------------------
-- The assertions.
------------------------------------------------------------------------
SELECT plan((SELECT count(*)::int FROM bad) + 9);

CREATE FUNCTION pg_temp.fn(call text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT substring(call FROM '((?:kyc_[a-z]+|api)\.[a-z_]+)\(')
$$;
CREATE FUNCTION pg_temp.report() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	r record;
	got text;
	want text;
BEGIN
	FOR r IN SELECT b.*, s.state AS got_state, s.message, s.value FROM bad b JOIN results s USING (n) ORDER BY b.n LOOP
		IF r.state LIKE '=%' THEN
			want := r.state;
			got := CASE WHEN r.got_state = 'ok' THEN '=' || r.value ELSE r.got_state || ': ' || left(r.message, 200) END;
		ELSE
			want := r.state || CASE WHEN r.msg IS NOT NULL THEN ' naming ' || r.msg ELSE '' END;
			got := CASE WHEN r.got_state = 'ok' THEN 'success' ELSE r.got_state END
				   || CASE WHEN r.msg IS NULL THEN ''
						   WHEN r.got_state <> 'ok' AND strpos(lower(r.message), lower(r.msg)) > 0 THEN ' naming ' || r.msg
						   ELSE ': ' || coalesce(left(r.message, 200), '') END;
		END IF;
		IF r.todo IS NOT NULL THEN
			PERFORM todo(r.todo, 1);
		END IF;
		RETURN NEXT is(got, want, format('%s, %s as %s, %s: %s', r.db, pg_temp.fn(r.call), r.role, r.class, left(r.call, 160)));
	END LOOP;
END $$;
SELECT * FROM pg_temp.report();

SELECT is((SELECT string_agg(format('%s: %s', b.call, s.message), E'\n' ORDER BY b.n) FROM bad b JOIN results s USING (n)
		   WHERE s.state LIKE 'XX%'), NULL, 'no call ends in an internal error (XX000) or data corruption (XX001)');
SELECT is((SELECT string_agg(b.call, E'\n' ORDER BY b.n) FROM bad b JOIN results s USING (n)
		   WHERE s.state = 'ok' AND b.state NOT LIKE '=%' AND b.todo IS NULL), NULL,
		  'no call with bad input succeeds, but for the known bugs marked todo');
-- A session's backend now, or NULL if the session broke.
CREATE FUNCTION pg_temp.backend(conn text) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT p FROM dblink(conn, 'SELECT pg_backend_pid()') AS t(p int));
EXCEPTION WHEN OTHERS THEN
	RETURN NULL;
END $$;
SELECT is((SELECT string_agg(format('%s (backend %s, now %s)', s.conn, s.pid, pg_temp.backend(s.conn)), ', ')
		   FROM sessions s WHERE pg_temp.backend(s.conn) IS DISTINCT FROM s.pid), NULL,
		  'every caller''s session survived all its calls, in the same backend');
SELECT is((SELECT postmaster_pid FROM vitals WHERE at = 'after'), (SELECT postmaster_pid FROM vitals WHERE at = 'before'),
		  'the postmaster''s pid is unchanged');
SELECT is((SELECT started FROM vitals WHERE at = 'after'), (SELECT started FROM vitals WHERE at = 'before'),
		  'the postmaster did not restart');
SELECT isnt((SELECT relays FROM vitals WHERE at = 'before'), NULL, 'relay workers run');
SELECT is((SELECT relays FROM vitals WHERE at = 'after'), (SELECT relays FROM vitals WHERE at = 'before'),
		  'every relay worker has the pid it had before: no backend crashed');
SELECT cmp_ok((SELECT count(*)::int FROM bad), '>=', 300, 'a few hundred bad calls');
SELECT CASE WHEN :'documented' = '' THEN skip('scripts/doc_functions.sh is not reachable from here', 1)
	   ELSE is((SELECT string_agg(d, ', ' ORDER BY d) FROM unnest(string_to_array(:'documented', ',')) d
				WHERE d NOT IN (SELECT pg_temp.fn(call) FROM bad WHERE pg_temp.fn(call) IS NOT NULL)), NULL,
			   'every documented function gets bad input') END;

SELECT diag(format('%s calls of %s functions: %s', (SELECT count(*) FROM bad),
				   (SELECT count(DISTINCT pg_temp.fn(call)) FROM bad),
				   (SELECT string_agg(format('%s %s functions, %s calls', db, f, c), '; ' ORDER BY db)
					FROM (SELECT db, count(DISTINCT pg_temp.fn(call)) AS f, count(*) AS c FROM bad GROUP BY db) x)));
SELECT diag(format('SQLSTATEs: %s', string_agg(format('%s %s', state, c), ', ' ORDER BY c DESC, state)))
FROM (SELECT state, count(*) AS c FROM results GROUP BY state) x;

SELECT dblink_disconnect(conn) FROM sessions WHERE conn = ANY (dblink_get_connections());
-- The claimed notification back to the queue, as a sender that stops; the
-- scheduled one withdrawn.
SELECT pg_temp.remote('notification_service', 'notification_user', format(
	$q$SELECT kyc_notification.release(%L, 'tap-bad-w')::text; SELECT kyc_notification.cancel(%L, 'pgTAP 45 is done')::text$q$,
	(SELECT value FROM fixture WHERE name = 'notification'), (SELECT value FROM fixture WHERE name = 'pending')));
SELECT * FROM finish();
DROP EXTENSION dblink;
