-- Role matrix, notification_service: every function of
-- docs/kyc_notification.md as the role it is for.  notification_user
-- enqueues, claims, marks, cancels, extends, renders and reads stats; the
-- owner's functions (sweep, purge_expired, set_partner,
-- rotate_webhook_secret, sign, install_default_templates) and the relay's
-- handler are refused to it, and work for a superuser.
\c notification_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(16 + 9 + 6);

SET ROLE notification_user;
SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'user-matrix-1', NULL,
	'{"case": {"case_id": "KYC-MATRIX-N1", "status": "InProgress"}, "applicant": {"first_name": "Mia"}}',
	'Critical', 'KYC-MATRIX-N1', NULL, NULL, 'matrix-n1', 'en') AS n1 \gset
SELECT isnt(:'n1'::uuid, NULL, 'enqueue() as notification_user');
SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'user-matrix-2', NULL,
	'{"case": {"case_id": "KYC-MATRIX-N2", "status": "InProgress"}}', 'Critical', scheduled_at => now() + interval '1 hour') AS n2 \gset
SELECT is((SELECT status FROM kyc_notification.notifications WHERE id = :'n2'), 'Scheduled', 'a future scheduled_at is Scheduled');
SELECT is((SELECT count(*)::int FROM kyc_notification.claim('InApp', 5, 'matrix-worker', '1 minute') WHERE id = :'n1'), 1,
		  'claim() as notification_user');
SELECT isnt(kyc_notification.extend_lease(:'n1', 'matrix-worker', '5 minutes'), NULL, 'extend_lease() as notification_user');
SELECT ok((SELECT locked_until > now() + interval '4 minutes' FROM kyc_notification.notifications WHERE id = :'n1'),
		  'the lease now runs five minutes');
SELECT is(kyc_notification.mark_failed(:'n1', 'matrix-worker', 'push service timeout'), 'Pending', 'mark_failed() as notification_user');
RESET ROLE;
UPDATE kyc_notification.notifications SET next_attempt_at = now() - interval '1 second' WHERE id = :'n1';
SET ROLE notification_user;
SELECT is((SELECT count(*)::int FROM kyc_notification.claim('InApp', 5, 'matrix-worker', '1 minute') WHERE id = :'n1'), 1,
		  'the retry is claimed again');
SELECT lives_ok(format($$SELECT kyc_notification.release(%L, 'matrix-worker')$$, :'n1'), 'release() as notification_user');
SELECT is((SELECT status || ' ' || retry_count || ' ' || error_message FROM kyc_notification.notifications WHERE id = :'n1'),
		  'Pending 1 released unsent by worker matrix-worker', 'the released notification is Pending again, no retry counted');
SELECT is((SELECT count(*)::int FROM kyc_notification.claim('InApp', 5, 'matrix-worker', '1 minute') WHERE id = :'n1'), 1,
		  'and claimed at once');
SELECT lives_ok(format($$SELECT kyc_notification.mark_sent(%L, 'matrix-worker', 'inapp-1')$$, :'n1'), 'mark_sent() as notification_user');
SELECT lives_ok(format($$SELECT kyc_notification.mark_delivered(%L)$$, :'n1'), 'mark_delivered() as notification_user');
SELECT lives_ok(format($$SELECT kyc_notification.cancel(%L, 'case closed')$$, :'n2'), 'cancel() as notification_user');
SELECT is((kyc_notification.render('status_update.sms.en', '{"case": {"case_id": "KYC-1", "status": "Approved"}}')).content,
		  'Your verification KYC-1 is now Approved.', 'render() as notification_user');
SELECT ok((kyc_notification.stats() -> 'depth' -> 'InApp' ->> 'Delivered')::int >= 1, 'stats() as notification_user');
SELECT is((SELECT string_agg(coalesce(from_status, '(new)') || '>' || to_status, ' ' ORDER BY id)
		   FROM kyc_notification.notification_history WHERE notification_id = :'n1'),
		  '(new)>Pending Pending>Sending Sending>Pending Pending>Sending Sending>Pending Pending>Sending Sending>Sent Sent>Delivered',
		  'notification_user reads the history');

SELECT throws_ok($$SELECT kyc_notification.sweep()$$, '42501', NULL, 'sweep() is refused to notification_user');
SELECT throws_ok($$CALL kyc_notification.purge_expired()$$, '42501', NULL, 'purge_expired() is refused to notification_user');
SELECT throws_ok($$SELECT kyc_notification.set_partner('p', 'https://p.example/h', 'en')$$, '42501', NULL,
				 'set_partner() is refused to notification_user');
SELECT throws_ok($$SELECT kyc_notification.rotate_webhook_secret('p')$$, '42501', NULL,
				 'rotate_webhook_secret() is refused to notification_user');
SELECT throws_ok($$SELECT kyc_notification.sign('s', 1, 'b')$$, '42501', NULL, 'sign() is refused to notification_user');
SELECT throws_ok($$SELECT kyc_notification.install_default_templates()$$, '42501', NULL,
				 'install_default_templates() is refused to notification_user');
SELECT throws_ok($$SELECT kyc_notification.on_event(NULL::kyc_events.event)$$, '42501', NULL,
				 'on_event() is refused to notification_user');
SELECT throws_ok($$INSERT INTO kyc_notification.templates (template_id, type, channel, locale, body_text)
				   VALUES ('phish.sms.en', 'StatusUpdate', 'SMS', 'fr', 'Pay here: https://evil.example')$$, '42501', NULL,
				 'notification_user cannot write templates');
SELECT throws_ok($$DELETE FROM kyc_notification.notification_history$$, '42501', NULL,
				 'nor delete history');
RESET ROLE;

-- The owner's functions, as a superuser.
SELECT lives_ok($$SELECT kyc_notification.set_partner('matrix-bank', 'https://hooks.matrix-bank.example/kyc', 'fr-CH')$$,
				'set_partner() as a superuser');
SELECT alike(kyc_notification.rotate_webhook_secret('matrix-bank'), 'whsec\_%', 'rotate_webhook_secret() as a superuser');
SELECT alike(kyc_notification.sign('whsec_x', 1, '{}'), 't=1,v1=%', 'sign() as a superuser');
SELECT cmp_ok(kyc_notification.sweep(), '>=', 0, 'sweep() as a superuser');
SELECT lives_ok($$CALL kyc_notification.purge_expired(100)$$, 'purge_expired() as a superuser');
SELECT is(kyc_notification.install_default_templates(), 0, 'install_default_templates() as a superuser, after provision: nothing missing');

SELECT * FROM finish();
ROLLBACK;
