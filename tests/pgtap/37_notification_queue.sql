-- kyc_notification's queue (issue 14), as notification_user where the
-- sender calls it: every transition and its error, the backoff's bounds,
-- template checks and rendering errors, idempotent enqueue, recipients per
-- channel, the webhook signature against known vectors, and the partner
-- secret no service role reads.  Claims use SMS, Push and InApp, channels
-- the relay's handler never fills, so a concurrent test's cases cannot
-- interfere.
\c notification_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(73);

-- A notification as notification_user, by enqueue(); its id.
CREATE FUNCTION pg_temp.sms(n int, priority text DEFAULT 'Medium', retries int DEFAULT 3) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	new_id uuid;
BEGIN
	SET LOCAL ROLE notification_user;
	new_id := kyc_notification.enqueue('StatusUpdate', 'SMS', '+4179000000' || lpad(n::text, 2, '0'), NULL,
		jsonb_build_object('case', jsonb_build_object('case_id', 'KYC-TAP-Q' || n, 'status', 'InProgress')),
		priority, 'KYC-TAP-Q' || n, idempotency_key => 'tap-queue-' || n || '-' || pg_backend_pid());
	RESET ROLE;
	UPDATE kyc_notification.notifications SET max_retries = retries WHERE id = new_id;
	RETURN new_id;
END $$;
CREATE FUNCTION pg_temp.status(nid uuid) RETURNS text LANGUAGE sql AS $$
	SELECT status FROM kyc_notification.notifications WHERE id = nid
$$;

---------------------------------------------------------------------------
-- Enqueue: rendered, idempotent, recipients checked per channel.
---------------------------------------------------------------------------
SELECT pg_temp.sms(1) AS n1 \gset
SELECT is(pg_temp.status(:'n1'), 'Pending', 'enqueue() as notification_user queues a Pending notification');
SELECT is((SELECT content FROM kyc_notification.notifications WHERE id = :'n1'),
		  'Your verification KYC-TAP-Q1 is now InProgress.', 'its content is rendered from template_data in C');
SET LOCAL ROLE notification_user;
SELECT is(kyc_notification.enqueue('StatusUpdate', 'SMS', '+41790000099', NULL,
			'{"case": {"case_id": "KYC-OTHER", "status": "Rejected"}}', 'Low',
			idempotency_key => 'tap-queue-1-' || pg_backend_pid()), :'n1'::uuid,
		  'a second enqueue with the same key returns the first notification');
RESET ROLE;
SELECT is((SELECT recipient || ' ' || priority || ' ' || content FROM kyc_notification.notifications WHERE id = :'n1'),
		  '+417900000001 Medium Your verification KYC-TAP-Q1 is now InProgress.', 'and changes nothing');
SELECT is((SELECT count(*)::int FROM kyc_notification.notification_history WHERE notification_id = :'n1'), 1,
		  'the notification has one history entry, its creation');
SET LOCAL ROLE notification_user;
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '0791234567', NULL, '{"case": {"case_id": "K", "status": "x"}}')$$,
				 '22023', 'recipient "0791234567" is not valid for channel SMS', 'an SMS recipient must be E.164');
SELECT throws_ok($$SELECT kyc_notification.enqueue('Welcome', 'Email', 'jane@example', NULL, '{}')$$,
				 '22023', 'recipient "jane@example" is not valid for channel Email', 'an e-mail recipient needs a domain with a dot');
SELECT throws_ok($$SELECT kyc_notification.enqueue('Welcome', 'Email', 'jane..doe@example.com', NULL, '{}')$$,
				 '22023', NULL, 'an e-mail local part cannot hold two dots in a row');
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'Fax', '+41791234567', NULL, '{}')$$,
				 '22023', 'channel "Fax" is not allowed', 'an unknown channel is refused');
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{}', 'Urgent')$$,
				 '22023', 'priority "Urgent" is not allowed', 'an unknown priority is refused');
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '[1, 2]')$$,
				 '22023', 'template_data must be a JSON object', 'template_data must be an object');
SELECT throws_ok($$SELECT kyc_notification.enqueue('status update', 'SMS', '+41791234567', NULL, '{}')$$,
				 '22023', 'type "status update" is not a notification type', 'a type is a PascalCase word');
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', NULL, NULL, '{}')$$,
				 '22004', 'recipient must not be null for channel SMS', 'a recipient is required');
SELECT throws_ok($$SELECT kyc_notification.enqueue('Reminder', 'SMS', '+41791234567', NULL, '{}')$$,
				 'P0002', 'no template for type Reminder, channel SMS and locale en', 'a type without a template is refused');

---------------------------------------------------------------------------
-- Templates: rendering errors name the variable; unknown keys are refused.
---------------------------------------------------------------------------
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1"}}')$$,
				 '22023', 'template_data has no variable "case.status", which template status_update.sms.en uses',
				 'a missing variable is an error that names it');
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": "KYC-1", "status": "x"}, "cse": 1}')$$,
				 '22023', 'template_data key "cse" is used by no StatusUpdate template', 'a key no template uses is refused');
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41791234567', NULL, '{"case": {"case_id": {"nested": 1}, "status": "x"}}')$$,
				 '22023', 'template_data variable "case.case_id", which template status_update.sms.en uses, is an object or array',
				 'an object where text goes is refused');
SELECT is((kyc_notification.render('status_update.sms.en', '{"case": {"case_id": "KYC-7", "status": null}}')).content,
		  'Your verification KYC-7 is now .', 'a JSON null renders as nothing');
SELECT is((kyc_notification.render('decision_made.email.en', '{"case": {"case_id": "KYC-7", "status": "Approved"}, "applicant": {"first_name": "<script>alert(1)</script>"}, "partner": {"name": "Bank & \"Co\" ''s"}}')).content_html,
		  '<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;,</p><p>your verification <b>KYC-7</b> with Bank &amp; &quot;Co&quot; &#39;s is complete: <b>Approved</b>.</p>',
		  'values in the HTML body are HTML-escaped');
SELECT is((kyc_notification.render('decision_made.email.en', '{"case": {"case_id": "KYC-7", "status": "Approved"}, "applicant": {"first_name": "<b>"}, "partner": {"name": "A&B"}}')).content,
		  E'Hello <b>,\n\nyour verification KYC-7 with A&B is complete: Approved.', 'and kept as they are in the text body');
RESET ROLE;
SELECT throws_ok($$INSERT INTO kyc_notification.templates (template_id, type, channel, locale, body_text)
				   VALUES ('tap.bad', 'Reminder', 'SMS', 'en', 'Hello {{applicant.first name}}')$$,
				 '22023', 'template tap.bad''s body_text has a malformed placeholder at byte 7: "{{applicant.first name}}"',
				 'a malformed placeholder is refused at insert, with its position');
SELECT throws_ok($$INSERT INTO kyc_notification.templates (template_id, type, channel, locale, body_text)
				   VALUES ('tap.open', 'Reminder', 'SMS', 'en', 'Hello {{applicant.first_name')$$,
				 '22023', NULL, 'an unclosed placeholder is refused at insert');
SELECT throws_ok($$INSERT INTO kyc_notification.templates (template_id, type, channel, locale, body_text)
				   VALUES ('tap.mail', 'Reminder', 'Email', 'en', 'Hello')$$,
				 '23514', 'template tap.mail lacks a subject', 'an e-mail template needs a subject');
SELECT throws_ok($$INSERT INTO kyc_notification.templates (template_id, type, channel, locale, body_json)
				   VALUES ('tap.hook', 'Reminder', 'Webhook', 'en', '[1]')$$,
				 '23514', 'template tap.hook: body_json must be a JSON object', 'a webhook template is a JSON object');
INSERT INTO kyc_notification.templates (template_id, type, channel, locale, subject, body_text)
VALUES ('tap.reminder.de', 'Reminder', 'Push', 'de', 'Erinnerung', 'Hallo {{ applicant.first_name }}, Fall {{case.case_id}}'),
	   ('tap.reminder.en', 'Reminder', 'Push', 'en', 'Reminder', 'Hello {{applicant.first_name}}, case {{case.case_id}}');
SELECT is((SELECT variables FROM kyc_notification.templates WHERE template_id = 'tap.reminder.de'),
		  '{applicant.first_name,case.case_id}'::text[], 'the check trigger records the variables a template uses');
SET LOCAL ROLE notification_user;
SELECT kyc_notification.enqueue('Reminder', 'Push', 'device-token-1', NULL,
		'{"applicant": {"first_name": "Ueli"}, "case": {"case_id": "KYC-9"}}', locale => 'de-CH') AS de_ch,
	   kyc_notification.enqueue('Reminder', 'Push', 'device-token-1', NULL,
		'{"applicant": {"first_name": "Ana"}, "case": {"case_id": "KYC-9"}}', locale => 'pt-BR') AS pt_br \gset
SELECT is((SELECT template_id || ': ' || subject || ': ' || content FROM kyc_notification.notifications WHERE id = :'de_ch'),
		  'tap.reminder.de: Erinnerung: Hallo Ueli, Fall KYC-9', 'locale de-CH falls back to de');
SELECT is((SELECT template_id FROM kyc_notification.notifications WHERE id = :'pt_br'),
		  'tap.reminder.en', 'and pt-BR, without pt, to en');
RESET ROLE;

---------------------------------------------------------------------------
-- The state machine, through the API and through plain UPDATEs.
---------------------------------------------------------------------------
SELECT pg_temp.sms(2, 'Low') AS n2, pg_temp.sms(3, 'Critical') AS n3, pg_temp.sms(4, 'High', 1) AS n4 \gset
SET LOCAL ROLE notification_user;
SELECT is((SELECT string_agg(id::text, ',') FROM kyc_notification.claim('SMS', 2, 'tap-w1', '1 minute')),
		  :'n3' || ',' || :'n4', 'claim() takes Critical first, then High');
SELECT is(pg_temp.status(:'n3'), 'Sending', 'a claimed notification is Sending');
SELECT is((SELECT locked_by || ' ' || attempts FROM kyc_notification.notifications WHERE id = :'n3'), 'tap-w1 1',
		  'leased to its worker, attempt 1');
SELECT throws_ok(format($$SELECT kyc_notification.mark_sent(%L, 'tap-w2', NULL)$$, :'n3'), '55000',
				 format('worker "tap-w2" cannot mark_sent notification %s: worker "tap-w1" holds its lease', :'n3'),
				 'mark_sent() by a worker without the lease is refused');
SELECT throws_ok(format($$SELECT kyc_notification.mark_sent(%L, 'tap-w1', NULL)$$, :'n1'), '55000',
				 format('worker "tap-w1" cannot mark_sent notification %s: it is Pending, not Sending', :'n1'),
				 'mark_sent() of a notification that is not Sending is refused');
SELECT lives_ok(format($$SELECT kyc_notification.mark_sent(%L, 'tap-w1', 'sms-provider-123')$$, :'n3'),
				'mark_sent() by the lease holder');
SELECT is((SELECT status || ' ' || provider_message_id || ' ' || (sent_at IS NOT NULL) || ' ' || (locked_by IS NULL)
		   FROM kyc_notification.notifications WHERE id = :'n3'),
		  'Sent sms-provider-123 true true', 'Sent stamps sent_at and drops the lease');
SELECT lives_ok(format($$SELECT kyc_notification.mark_delivered(%L)$$, :'n3'), 'mark_delivered(), a provider callback');
SELECT lives_ok(format($$SELECT kyc_notification.mark_delivered(%L)$$, :'n3'), 'a repeated delivery report changes nothing');
SELECT is((SELECT status || ' ' || (delivered_at IS NOT NULL) FROM kyc_notification.notifications WHERE id = :'n3'),
		  'Delivered true', 'Delivered stamps delivered_at');
SELECT throws_ok(format($$SELECT kyc_notification.mark_delivered(%L)$$, :'n2'), '55000',
				 format('cannot mark_delivered notification %s: it is Pending', :'n2'), 'only a Sent notification is delivered');
SELECT throws_ok(format($$SELECT kyc_notification.cancel(%L, 'too late')$$, :'n3'), '55000',
				 format('cannot cancel notification %s: it is Delivered', :'n3'), 'a delivered notification cannot be cancelled');
SELECT throws_ok(format($$SELECT kyc_notification.cancel(%L, 'in flight')$$, :'n4'), '55000', NULL,
				 'a notification being sent cannot be cancelled');

-- Failure and retries: max_retries = 1 means two attempts, then Failed.
SELECT is(kyc_notification.mark_failed(:'n4', 'tap-w1', 'HTTP 503 from the SMS gateway'), 'Pending',
		  'mark_failed() with retries left puts it back to Pending');
SELECT ok((SELECT next_attempt_at > now() - interval '1 millisecond' AND next_attempt_at <= now() + interval '10 seconds'
		   AND retry_count = 1 AND error_message = 'HTTP 503 from the SMS gateway'
		   FROM kyc_notification.notifications WHERE id = :'n4'),
		  'the first retry waits between 0 and retry_base (10 s), and the error is kept');
RESET ROLE;
UPDATE kyc_notification.notifications SET next_attempt_at = now() - interval '1 second' WHERE id = :'n4';
SET LOCAL ROLE notification_user;
SELECT is((SELECT string_agg(id::text || ':' || attempt, ',') FROM kyc_notification.claim('SMS', 1, 'tap-w1', '1 minute')),
		  :'n4' || ':2', 'the retry is claimed again, attempt 2');
SELECT is(kyc_notification.mark_failed(:'n4', 'tap-w1', 'HTTP 503 again'), 'Failed',
		  'with max_retries = 1 the second failure is final');
SELECT is((SELECT status || ' ' || retry_count || ' ' || attempts || ' ' || (failed_at IS NOT NULL)
		   FROM kyc_notification.notifications WHERE id = :'n4'), 'Failed 1 2 true', 'Failed stamps failed_at after 2 attempts');
SELECT lives_ok(format($$SELECT kyc_notification.cancel(%L, 'customer withdrew')$$, :'n2'), 'cancel() of a Pending notification');
SELECT is((SELECT status || ' ' || cancel_reason || ' ' || (cancelled_at IS NOT NULL) FROM kyc_notification.notifications WHERE id = :'n2'),
		  'Cancelled customer withdrew true', 'Cancelled stamps cancelled_at and keeps the reason');
SELECT throws_ok($$UPDATE kyc_notification.notifications SET status = 'Sent'$$, '42501', NULL,
				 'notification_user cannot UPDATE the queue directly');
SELECT throws_ok($$SELECT * FROM kyc_notification.claim('SMS', 0, 'tap-w1', '1 minute')$$, '22023', 'batch_size 0 is out of range',
				 'claim() refuses a batch of 0');
SELECT throws_ok($$SELECT * FROM kyc_notification.claim('SMS', 1, 'tap-w1', '0 seconds')$$, '22023', 'lease 00:00:00 is out of range',
				 'claim() refuses an empty lease');
SELECT throws_ok($$SELECT * FROM kyc_notification.claim('SMS', 1, '  ', '1 minute')$$, '22023', 'worker "  " is not a valid worker name',
				 'claim() refuses a blank worker name');
RESET ROLE;

-- The trigger guards every writer, the owner included, naming what is allowed.
SELECT throws_ok(format($$UPDATE kyc_notification.notifications SET status = 'Sent' WHERE id = %L$$, :'n1'), '23514',
				 format('notification %s cannot go from Pending to Sent', :'n1'), 'Sent is reachable only from Sending');
SELECT throws_ok(format($$UPDATE kyc_notification.notifications SET status = 'Pending' WHERE id = %L$$, :'n4'), '23514',
				 format('notification %s cannot go from Failed to Pending', :'n4'), 'Failed is final');
SELECT throws_ok(format($$UPDATE kyc_notification.notifications SET status = 'Delivered' WHERE id = %L$$, :'n1'), '23514',
				 NULL, 'Pending cannot jump to Delivered');
SELECT throws_ok($$INSERT INTO kyc_notification.notifications (type, channel, recipient, content, status)
				   VALUES ('Welcome', 'SMS', '+41791234567', 'x', 'Sent')$$, '23514',
				 'a new notification cannot start as Sent', 'a notification cannot be created Sent');
SELECT is((SELECT string_agg(coalesce(from_status, '(new)') || '>' || to_status, ' ' ORDER BY id)
		   FROM kyc_notification.notification_history WHERE notification_id = :'n4'),
		  '(new)>Pending Pending>Sending Sending>Pending Pending>Sending Sending>Failed',
		  'the history records every state change of the failed notification');

-- Backoff bounds: attempt n waits a random time in [0, min(cap, base * 2^(n-1))].
SET LOCAL kyc_notification.retry_base = '1s';
SET LOCAL kyc_notification.retry_cap = '5s';
SELECT pg_temp.sms(5, 'Medium', 100) AS n5 \gset
CREATE TEMP TABLE delays (retry int, delay float8);
DO $$
DECLARE
	nid uuid := (SELECT n.id FROM kyc_notification.notifications n WHERE recipient = '+417900000005');
	r int;
BEGIN
	FOR r IN 0..7 LOOP
		UPDATE kyc_notification.notifications SET next_attempt_at = now() - interval '1 second' WHERE id = nid;
		PERFORM kyc_notification.claim('SMS', 1, 'tap-backoff', '1 minute');
		PERFORM kyc_notification.mark_failed(nid, 'tap-backoff', 'still down');
		INSERT INTO delays SELECT r, extract(epoch FROM next_attempt_at - now()) FROM kyc_notification.notifications n WHERE n.id = nid;
	END LOOP;
END $$;
SELECT is((SELECT count(*)::int FROM delays WHERE delay >= 0 AND delay <= least(5, power(2, retry))), 8,
		  'each retry''s delay lies between 0 and min(retry_cap, retry_base * 2^retries)');
SELECT ok((SELECT max(delay) > 1 FROM delays WHERE retry >= 3), 'later retries wait longer than the first bound (with full jitter)');

---------------------------------------------------------------------------
-- Webhooks: signed, to the registered URL only, secret unreadable.
---------------------------------------------------------------------------
SELECT is(kyc_notification.sign('whsec_5f0c1e2d3b4a59687766554433221100', 1700000000, '{"event": "case.created"}'),
		  't=1700000000,v1=dc6179fb6625a7249983826f8ec9800cdf07b48aacc7f801a2866eb5630a761e',
		  'sign() matches a known HMAC-SHA256 vector (Python''s hmac)');
SELECT is(kyc_notification.sign('Jefe', 1, 'what do ya want for nothing?'),
		  't=1,v1=a9049465ce89cfb8e9aac62333abda66f80e3403f51f57f6bae3c3a4485eca38', 'and a second one');
SELECT kyc_notification.set_partner('tap-bank', 'https://hooks.tap-bank.example/kyc', 'de');
SELECT kyc_notification.rotate_webhook_secret('tap-bank') AS secret \gset
SET LOCAL ROLE notification_user;
SELECT throws_ok($$SELECT webhook_secret FROM kyc_notification.partners$$, '42501', NULL,
				 'notification_user cannot read partner secrets');
SELECT throws_ok($$SELECT kyc_notification.rotate_webhook_secret('tap-bank')$$, '42501', NULL,
				 'nor rotate them');
-- A review's reproduction: a caller's webhook would be a forged event signed as genuine.
SELECT throws_ok($$SELECT kyc_notification.enqueue('DecisionMade', 'Webhook', NULL, NULL,
		'{"event": {"id": 1, "topic": "case.status_changed"}, "case": {"case_id": "KYC-VICTIM", "partner_reference_id": "r", "status": "Approved", "status_reason": "forged"}}',
		'Critical', 'KYC-VICTIM', 'tap-bank')$$, '42501', 'webhooks are queued only from the workflow''s events',
				 'enqueue() refuses webhooks: only the event handler queues them');
-- Another: a caller taking an event's key first would make its notification a no-op.
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41790000000', NULL,
		'{"case": {"case_id": "x", "status": "y"}}', 'Low', idempotency_key => 'event:onboarding:42:Email')$$,
				 '22023', 'idempotency_key "event:onboarding:42:Email" is in the event handler''s namespace',
				 'enqueue() refuses keys of the event handler''s namespace');
-- Another: CR LF in a subject would add e-mail headers.
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'Email', 'a@b.example', NULL,
		E'{"case": {"case_id": "K1\\r\\nBcc: all@victims.example", "status": "A", "from_status": "B"}, "applicant": {"first_name": "x"}}')$$,
				 '22023', 'the subject template status_update.email.en renders holds a control character (byte 0x0d)',
				 'a subject with a line break is refused');
-- Another: a mixed-sign interval passed the one-day cap and froze its rows for a century.
SELECT throws_ok($$SELECT * FROM kyc_notification.claim('SMS', 1, 'tap-w1', '100000 mons -71999999 hours')$$, '22023', NULL,
				 'a lease is judged by where it ends: a mixed-sign interval past a day is refused');
SELECT throws_ok($$SELECT kyc_notification.enqueue('StatusUpdate', 'SMS', '+41790000000', NULL,
		'{"case": {"case_id": "x", "status": "y"}}', scheduled_at => '-infinity')$$, '22023', 'scheduled_at must be a finite time',
				 'an infinite scheduled_at is refused');
RESET ROLE;
-- The database's owner may queue a webhook by hand; a sender claims it signed.
INSERT INTO kyc_notification.notifications (type, channel, recipient, content, partner_id, case_id)
VALUES ('Welcome', 'Webhook', 'https://hooks.tap-bank.example/kyc',
		'{"event": "case.created", "event_id": 1, "case_id": "KYC-W", "partner_reference_id": null}', 'tap-bank', 'KYC-W')
RETURNING id AS hook \gset
SET LOCAL ROLE notification_user;
CREATE TEMP TABLE claimed AS SELECT * FROM kyc_notification.claim('Webhook', 10, 'tap-hooks', '1 minute') WHERE id = :'hook';
RESET ROLE;
SELECT is((SELECT signature FROM claimed),
		  (SELECT kyc_notification.sign(:'secret', split_part(split_part(signature, ',', 1), '=', 2)::bigint, content) FROM claimed),
		  'claim() signs the body with the partner''s secret over "<t>.<body>"');
SELECT ok((SELECT abs(split_part(split_part(signature, ',', 1), '=', 2)::bigint - extract(epoch FROM now())) < 5 FROM claimed),
		  'and t is the claim''s Unix time');
-- Crashes found by review: the BEFORE triggers read NULLs before NOT NULL is checked.
SELECT throws_ok($$INSERT INTO kyc_notification.templates (template_id, type, channel, locale, body_text)
				   VALUES ('tap.null', 'Reminder', NULL, 'en', 'hi')$$, '23502', NULL,
				 'a template without a channel is refused, not a crashed backend');
SELECT throws_ok(format($$UPDATE kyc_notification.notifications SET status = NULL WHERE id = %L$$, :'n1'), '23502',
				 'a notification needs an id and a status', 'a NULL status is refused, not a crashed backend');
-- An error cut at 2000 bytes stays valid UTF-8.
SELECT pg_temp.sms(6) AS n6 \gset
SET LOCAL ROLE notification_user;
SELECT count(*) FROM kyc_notification.claim('SMS', 10, 'tap-utf8', '1 minute') \g /dev/null
SELECT kyc_notification.mark_failed(:'n6', 'tap-utf8', repeat('a', 1999) || 'é') \g /dev/null
RESET ROLE;
SELECT is((SELECT octet_length(error_message) || ' ' || (convert_from(convert_to(error_message, 'UTF8'), 'UTF8') = error_message)
		   FROM kyc_notification.notifications WHERE id = :'n6'), '1999 true',
		  'mark_failed() cuts a long error on a character boundary');
SELECT is((SELECT locale FROM kyc_notification.notifications WHERE id = :'pt_br'), 'en',
		  'a notification records the locale it was rendered in');

SELECT * FROM finish();
ROLLBACK;
