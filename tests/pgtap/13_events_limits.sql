-- kyc_events payload limit, as a service role: emit() refuses a payload
-- whose JSON text (what the relay receives) is over
-- kyc_events.max_payload_size with 54000 naming the size and the limit,
-- tiny jsonb that prints huge (1e131000) included, and the role cannot lift
-- the limit for itself.  (The topic is one
-- no extension owns, so emit() is the way to send it.)
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(10 + 4);

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
		  format('event payload is too large | As JSON text, which is what the relay receives, '
				 'the payload is at least %s bytes (%s as jsonb); the limit is 1048576 bytes. | '
				 'Keep large content out of events and send a reference to it; '
				 'a superuser can raise kyc_events.max_payload_size.',
				 octet_length((SELECT over FROM big)::text),
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
-- 1e131000 is a few bytes as jsonb and 131 kB as text: the text counts.
SELECT throws_ok($$SELECT kyc_events.emit('tap.limits', 'TAP-N1',
					 jsonb_build_object('n', jsonb_agg('1e131000'::numeric)))
				   FROM generate_series(1, 10)$$,
				 '54000', 'event payload is too large',
				 'ten numerics of 131 kB text each (1.3 MB) are refused, though tiny as jsonb');
RESET ROLE;
SELECT cmp_ok(pg_column_size(jsonb_build_object('n', jsonb_agg('1e131000'::numeric))), '<', 1000,
			  '... they are under 1 kB as jsonb')
FROM generate_series(1, 10);

-- The count is exact: escapes, numerics, nested and empty containers,
-- booleans and nulls, as jsonb_out() prints them.  At the payload's text
-- length it passes; one byte less, it is refused.
CREATE TEMP TABLE exact AS
SELECT jsonb_build_object('nl', repeat(E'\n', 300), 'ctl', E'a\x01"\\b', 'big', 1e500, 'neg', -1.50,
						  'arr', jsonb_build_array(true, false, NULL, 'x', '{}'::jsonb, '[]'::jsonb,
												   jsonb_build_object('k', jsonb_build_array(1, 2))),
						  'é', 'ü') AS p;
GRANT SELECT ON exact TO onboarding_user;
SELECT set_config('kyc_events.max_payload_size', octet_length(p::text)::text, true) FROM exact;
SET ROLE onboarding_user;
SELECT lives_ok($$SELECT kyc_events.emit('tap.limits', 'TAP-X1', (SELECT p FROM exact))$$,
				'a payload exactly at the limit, as text, is accepted');
RESET ROLE;
SELECT set_config('kyc_events.max_payload_size', (octet_length(p::text) - 1)::text, true) FROM exact;
SET ROLE onboarding_user;
SELECT throws_ok($$SELECT kyc_events.emit('tap.limits', 'TAP-X2', (SELECT p FROM exact))$$,
				 '54000', 'event payload is too large', '... one byte over it is refused');
RESET ROLE;
RESET kyc_events.max_payload_size;

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
