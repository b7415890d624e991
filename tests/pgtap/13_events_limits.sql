-- kyc_events payload limit, as a service role: emit() refuses a payload
-- over kyc_events.max_payload_size with 54000 naming the size and the
-- limit, and the role cannot lift the limit for itself.  (The topic is one
-- no extension owns, so emit() is the way to send it.)
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(10);

-- What an error said, in full: message | detail | hint.
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	m text;
	d text;
	h text;
BEGIN
	EXECUTE statement;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
	RETURN concat_ws(' | ', m, d, h);
END
$$;

CREATE TEMP TABLE big AS
SELECT jsonb_build_object('pad', repeat('x', 1100000)) AS over, jsonb_build_object('pad', repeat('x', 1000000)) AS under;
GRANT SELECT ON big TO onboarding_user;

SELECT is(current_setting('kyc_events.max_payload_size'), '1MB', 'the payload limit is 1 MB by default');

SET ROLE onboarding_user;
SELECT throws_ok($$SELECT kyc_events.emit('tap.limits', 'TAP-L1', (SELECT over FROM big))$$,
				 '54000', 'event payload is too large', 'onboarding_user cannot emit a 1.1 MB payload');
SELECT is(pg_temp.error_of($$SELECT kyc_events.emit('tap.limits', 'TAP-L1', (SELECT over FROM big))$$),
		  format('event payload is too large | The payload is %s bytes; the limit is 1048576 bytes. | '
				 'Keep large content out of events and send a reference to it; '
				 'a superuser can raise kyc_events.max_payload_size.',
				 pg_column_size(jsonb_build_object('pad', repeat('x', 1100000))) - 4),
		  '... the error names the size, the limit and the setting');
SELECT lives_ok($$SELECT kyc_events.emit('tap.limits', 'TAP-L2', (SELECT under FROM big))$$,
				'... a payload under the limit is accepted');
SELECT is((SELECT count(*)::int FROM kyc_events.outbox WHERE topic = 'tap.limits'), 1,
		  '... and only that one is in the outbox');
SELECT throws_ok($$SET kyc_events.max_payload_size = '100MB'$$, '42501', NULL,
				 'onboarding_user cannot raise the limit for its session');
SELECT throws_ok($$SET LOCAL kyc_events.max_payload_size = '100MB'$$, '42501', NULL,
				 '... nor for a transaction');
SELECT throws_ok($$ALTER ROLE onboarding_user SET kyc_events.max_payload_size = '100MB'$$, '42501', NULL,
				 '... nor for its role');
RESET ROLE;

-- A superuser can.
SET LOCAL kyc_events.max_payload_size = '2MB';
SET ROLE onboarding_user;
SELECT lives_ok($$SELECT kyc_events.emit('tap.limits', 'TAP-L3', (SELECT over FROM big))$$,
				'a limit a superuser raised lets the 1.1 MB payload through');
RESET ROLE;
SELECT throws_ok($$SET kyc_events.max_payload_size = '100'$$, '22023', NULL,
				 'a limit under 1 kB is refused');

SELECT * FROM finish();
ROLLBACK;
