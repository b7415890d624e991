-- Role matrix, onboarding: every function docs/kyc_onboarding.md and
-- docs/kyc_events.md document, called as the role the docs name, with data
-- that takes the interesting path; what is a superuser's is refused to the
-- service and the relay.  scripts/doc_examples.sh checks that the
-- tests/pgtap/2?_matrix_*.sql files call every documented function.
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(17 + 11 + 11 + 3);
CREATE TEMP TABLE t_matrix (id int, case_id text);
GRANT ALL ON t_matrix TO PUBLIC;

-- onboarding_user: a case with its applicant, an address, edits, and the
-- whole state machine to Approved.
SET ROLE onboarding_user;
SELECT kyc_onboarding.create_case('Individual', NULL, 'matrix-1',
	'{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
	  "date_of_birth": "1985-12-10", "nationality": "GB"}') AS c \gset
SELECT ok(:'c' LIKE 'KYC-%', 'create_case() as onboarding_user returns the public case id');
SELECT id AS applicant FROM kyc_onboarding.applicants WHERE email = 'ada@example.com' ORDER BY created_at DESC LIMIT 1 \gset
SELECT lives_ok(format($$INSERT INTO kyc_onboarding.addresses (applicant_id, type, street, city, country, is_primary)
						 VALUES (%L, 'Residential', '12 St James''s Square', 'London', 'GB', true)$$, :'applicant'),
				'onboarding_user inserts an address');
SELECT lives_ok(format($$UPDATE kyc_onboarding.applicants SET phone_number = '+447700900123' WHERE id = %L$$, :'applicant'),
				'onboarding_user updates its applicant');
SELECT lives_ok(format($$UPDATE kyc_onboarding.onboarding_cases SET assigned_to = 'analyst-jane' WHERE case_id = %L$$, :'c'),
				'onboarding_user assigns the case');
SELECT is((SELECT status FROM kyc_onboarding.transition(:'c', 'InProgress', 'analyst-jane', 'documents requested')),
		  'InProgress', 'transition() to InProgress as onboarding_user');
SELECT is((SELECT status FROM kyc_onboarding.transition(:'c', 'PendingReview', 'analyst-jane', NULL)),
		  'PendingReview', 'to PendingReview');
SELECT is((SELECT case_status FROM kyc_onboarding.assign(:'c', 'officer-bob')), 'PendingReview',
		  'assign() as onboarding_user');
-- The services' results, as the workflow's handlers record them, and a
-- risk result that asks the reviewer's attention.
RESET ROLE;
-- Announce the applicants now, as commit would: risk_service's stand-in then
-- acknowledges them.
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
UPDATE kyc_onboarding.risk_sync SET risk_seen_xid = data_xid, risk_seen_event_id = data_event_id WHERE case_id = :'c';
UPDATE kyc_onboarding.onboarding_cases SET checklist_status = 'Completed', risk_event_id = 1, risk_level = 'Low',
	risk_score = 10, requires_manual_review = false, attention_reasons = '{"risk result arrived after submission"}'
WHERE case_id = :'c';
SET ROLE onboarding_user;
SELECT is((SELECT array_length(acknowledged_reasons, 1) FROM kyc_onboarding.acknowledge_attention(:'c', 'officer-bob', 'seen')),
		  1, 'acknowledge_attention() as onboarding_user');
SELECT is((SELECT case_status FROM kyc_onboarding.approve(:'c', 'officer-bob', 'all checks passed')),
		  'Approved', 'approve() as onboarding_user: to Approved');
SELECT kyc_onboarding.create_case('Individual', NULL, 'matrix-2') AS c2 \gset
SELECT kyc_onboarding.transition(:'c2', s, 'analyst-jane') IS NOT NULL FROM unnest(ARRAY['InProgress', 'PendingReview']) s;
SELECT is((SELECT case_status FROM kyc_onboarding.request_information(:'c2', 'officer-bob', 'proof of address missing')),
		  'InProgress', 'request_information() as onboarding_user: back to InProgress');
SELECT kyc_onboarding.transition(:'c2', 'PendingReview', 'analyst-jane') IS NOT NULL;
SELECT is((SELECT case_status FROM kyc_onboarding.reject(:'c2', 'officer-bob', 'proof of address forged')),
		  'Rejected', 'reject() as onboarding_user: to Rejected');
SELECT ok(kyc_onboarding.is_valid_email('ada@example.com') AND NOT kyc_onboarding.is_valid_email('ada@'),
		  'is_valid_email() as onboarding_user');
SELECT ok(kyc_onboarding.is_valid_phone('+447700900123') AND NOT kyc_onboarding.is_valid_phone('call me'),
		  'is_valid_phone() as onboarding_user');
SELECT ok((SELECT count(*) FROM kyc_events.outbox WHERE aggregate_id = :'c' AND topic = 'case.status_changed') = 3,
		  'the three transitions were announced');
SELECT lives_ok($$SELECT kyc_events.emit('matrix.recorded', 'KYC-MATRIX', '{"n": 1}')$$,
				'emit() of a topic no extension owns, as onboarding_user');
SELECT ok(kyc_events.current_headers() ? 'session_user', 'current_headers() as onboarding_user');
SELECT is(kyc_events.masked_conninfo('host=db password=s3cret dbname=onboarding'),
		  'password=******** dbname=onboarding host=db', 'masked_conninfo() as onboarding_user masks the password');

-- What is a superuser's, or the relay's, is refused to onboarding_user.
SELECT throws_ok($$SELECT kyc_events.capture('t_matrix')$$, '42501', NULL, 'capture() is refused to onboarding_user');
SELECT throws_ok($$CREATE TRIGGER kyc_capture AFTER INSERT ON t_matrix FOR EACH ROW EXECUTE FUNCTION kyc_events.capture_row()$$,
				 '42501', NULL, 'capture_row() cannot be attached by onboarding_user');
SELECT throws_ok($$CREATE TRIGGER kyc_capture_truncate AFTER TRUNCATE ON t_matrix FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.capture_truncate()$$,
				 '42501', NULL, 'nor capture_truncate()');
SELECT throws_ok($$CREATE TRIGGER t AFTER INSERT ON t_matrix FOR EACH STATEMENT EXECUTE FUNCTION kyc_events.subscription_changed()$$,
				 '42501', NULL, 'nor subscription_changed()');
SELECT throws_ok($$SELECT kyc_events.subscribe('m', 'dbname=onboarding', '{case.*}', 'kyc_events.prune()')$$,
				 '42501', NULL, 'subscribe() is refused to onboarding_user');
SELECT throws_ok($$SELECT kyc_events.unsubscribe('m')$$, '42501', NULL, 'unsubscribe() too');
SELECT throws_ok($$SELECT kyc_events.relay_once('m')$$, '42501', NULL, 'relay_once() too');
SELECT throws_ok($$SELECT kyc_events.replay_dead_letter(1)$$, '42501', NULL, 'replay_dead_letter() too');
SELECT throws_ok($$SELECT kyc_events.read_horizon()$$, '42501', NULL, 'read_horizon() too');
SELECT throws_ok($$SELECT kyc_events.require_delivery(ROW('onboarding', 1, '1', 'case.created', 'KYC-X', '{}', '{}', now())::kyc_events.event,
														'kyc_events.prune()', '{case.created}')$$,
				 '42501', NULL, 'require_delivery() refuses a call that is no delivery');
SELECT throws_ok($$SELECT kyc_events.read('0', 0, '{*}', 10)$$, '42501', NULL, 'read() is the relay''s, not onboarding_user''s');
RESET ROLE;

-- kyc_relay: exactly the source-side functions it is granted.
SET ROLE kyc_relay;
SELECT lives_ok($$SELECT kyc_events.register_consumer('matrix_consumer', false)$$, 'register_consumer() as kyc_relay');
SELECT lives_ok($$SELECT * FROM kyc_events.read('0', 0, '{case.*}', 10)$$, 'read() as kyc_relay');
SELECT lives_ok($$SELECT * FROM kyc_events.backlog('0', 0, '{case.*}')$$, 'backlog() as kyc_relay');
SELECT lives_ok($$SELECT * FROM kyc_events.read_blocker()$$, 'read_blocker() as kyc_relay');
SELECT ok((SELECT p.xid IS NOT NULL AND NOT EXISTS (SELECT FROM kyc_events.read('0', 0, '{*}', 1000000) r
												   WHERE (r.xid, r.id) > (p.xid, p.id))
			FROM kyc_events.end_position() p),
		  'end_position() as kyc_relay: at or past every event read() gives');
SELECT is((SELECT (xid, id)::text FROM kyc_events.update_position()), '(0,0)',
		  'update_position() as kyc_relay: (0, 0) where kyc_events was installed, never updated');
SELECT lives_ok($$SELECT kyc_events.ack('matrix_consumer', '1', 1)$$, 'ack() as kyc_relay');
SELECT throws_ok($$SELECT kyc_events.forget_consumer('matrix_consumer')$$, '42501', NULL,
				 'forget_consumer() is a superuser''s, refused to kyc_relay');
SELECT throws_ok($$SELECT kyc_events.prune()$$, '42501', NULL, 'prune() too (pg_cron runs it)');
SELECT throws_ok($$SELECT kyc_events.read_horizon()$$, '42501', NULL, 'read_horizon() too');
SELECT throws_ok($$SELECT kyc_events.emit('matrix.recorded', 'KYC-MATRIX', '{}')$$, '42501', NULL, 'emit() too');
RESET ROLE;

-- The superuser's own.
SELECT lives_ok($$SELECT kyc_events.forget_consumer('matrix_consumer')$$, 'forget_consumer() as a superuser');
SELECT lives_ok($$SELECT kyc_events.prune()$$, 'prune() as a superuser');
SELECT ok(kyc_events.read_horizon() IS NOT NULL, 'read_horizon() as a superuser');

SELECT * FROM finish();
ROLLBACK;
