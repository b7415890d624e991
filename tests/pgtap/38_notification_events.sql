-- kyc_notification driven by the workflow's events through the real relay
-- (issue 14), as the service roles: a partner's case gets a Welcome e-mail
-- in the partner's locale and a signed Welcome webhook; each status change
-- a StatusUpdate; a rejected document a DocumentRequest with the reason; a
-- reviewer's decision a DecisionMade.  Each event gives one notification per channel,
-- keyed by the event.  A document.rejected that arrives before its case is
-- parked, not lost.  No transaction: the relay delivers what is committed.
\c postgres
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(20);
SELECT format('host=%s port=%s', current_setting('unix_socket_directories'), current_setting('port')) AS host \gset
SELECT dblink_connect('onb', :'host' || ' dbname=onboarding user=onboarding_user');
SELECT dblink_connect('onb_admin', :'host' || ' dbname=onboarding');
SELECT dblink_connect('doc', :'host' || ' dbname=document_service user=document_user');
SELECT dblink_connect('ntf_admin', :'host' || ' dbname=notification_service');
SELECT dblink_connect('ntf', :'host' || ' dbname=notification_service user=notification_user');
\ir lib/wait_for.psql
\ir lib/projections.psql

-- One value of a query in notification_service, as notification_user.
CREATE FUNCTION pg_temp.ntf(q text) RETURNS text LANGUAGE sql AS $$
	SELECT v FROM dblink('ntf', q) AS t(v text)
$$;
-- The same as the database's owner, for what notification_user cannot read.
CREATE FUNCTION pg_temp.ntf_admin(q text) RETURNS text LANGUAGE sql AS $$
	SELECT v FROM dblink('ntf_admin', q) AS t(v text)
$$;
-- A query for wait_for: whether case_id has a notification of type on channel.
CREATE FUNCTION pg_temp.has(case_id text, type text, channel text) RETURNS text LANGUAGE sql AS $$
	SELECT format('SELECT pg_temp.ntf(%L)::boolean', format(
		'SELECT EXISTS (SELECT FROM kyc_notification.notifications WHERE case_id = %L AND type = %L AND channel = %L)::text',
		case_id, type, channel))
$$;
-- What case_id's notification of type on channel says: "subject | content".
CREATE FUNCTION pg_temp.said(case_id text, type text, channel text) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.ntf(format($q$SELECT string_agg(coalesce(subject, '-') || ' | ' || content, ' || ')
		FROM kyc_notification.notifications WHERE case_id = %L AND type = %L AND channel = %L$q$, case_id, type, channel))
$$;
-- A case of partner, created by onboarding_user; its id.
CREATE FUNCTION pg_temp.new_case(partner text, first_name text, email text) RETURNS text LANGUAGE sql AS $$
	SELECT c FROM dblink('onb', format($q$SELECT kyc_onboarding.create_case('Individual', %L, %L, %L)$q$,
		partner, 'tap-ntf-' || pg_backend_pid() || '-' || first_name,
		jsonb_build_object('first_name', first_name, 'last_name', 'Notify', 'date_of_birth', '1985-02-03',
						   'nationality', 'CH', 'email', email))) AS t(c text)
$$;
-- A document of case_id registered and rejected by document_user.
CREATE FUNCTION pg_temp.reject_document(case_id text, reason text) RETURNS text LANGUAGE sql AS $$
	SELECT d FROM dblink('doc', format(
		'SELECT kyc_document.reject_document(kyc_document.register_document(%L, %L, %L, %L, 1000, %L, %L), %L, %L)::text',
		case_id, 'Passport', 'passport.jpg', 'image/jpeg', encode(sha256(convert_to(case_id, 'UTF8')), 'hex'),
		format('s3://tap/%s/passport.jpg', case_id), reason, 'tap-reviewer')) AS t(d text)
$$;

-- Every notification subscription delivers (an earlier run may have stopped holding one).
SELECT dblink_exec('ntf_admin', $$UPDATE kyc_events.subscription SET enabled = true WHERE name LIKE 'notify\_%'$$);
-- The partner, in onboarding and with a webhook in notification_service.
SELECT dblink_exec('onb_admin', $$INSERT INTO kyc_onboarding.partners (partner_id, name)
	VALUES ('tap-ntf-bank', 'Bank Zürich & Co') ON CONFLICT DO NOTHING$$);
SELECT * FROM dblink('ntf_admin', $$SELECT kyc_notification.set_partner('tap-ntf-bank', 'https://hooks.tap-ntf.example/kyc', 'de-CH')::text$$) AS t(v text);
SELECT v AS secret FROM dblink('ntf_admin', $$SELECT kyc_notification.rotate_webhook_secret('tap-ntf-bank')$$) AS t(v text) \gset

---------------------------------------------------------------------------
-- A partner's case: Welcome by e-mail (German) and by signed webhook.
---------------------------------------------------------------------------
SELECT pg_temp.new_case('tap-ntf-bank', 'Ueli', 'ueli.notify@example.ch') AS a \gset
SELECT ok(pg_temp.wait_for('the Welcome e-mail of case A', pg_temp.has(:'a', 'Welcome', 'Email'), 60),
		  'case.created and applicant.updated give the applicant a Welcome e-mail');
SELECT is(pg_temp.said(:'a', 'Welcome', 'Email'),
		  format(E'Willkommen bei Bank Zürich & Co: Ihre Identifizierung hat begonnen | Guten Tag Ueli\n\nIhre Identifizierung bei Bank Zürich & Co hat begonnen. Ihre Referenz ist %s.\n\nWir melden uns, wenn wir etwas von Ihnen brauchen.', :'a'),
		  'in German: the partner''s locale de-CH falls back to the de template');
SELECT ok(pg_temp.wait_for('the Welcome webhook of case A', pg_temp.has(:'a', 'Welcome', 'Webhook'), 30),
		  'and the partner a Welcome webhook');
SELECT is(pg_temp.ntf(format($q$SELECT recipient || ' ' || (content::jsonb ->> 'event') || ' ' || (content::jsonb ->> 'case_id')
		  || ' ' || (idempotency_key LIKE 'event:onboarding:%%:Webhook') FROM kyc_notification.notifications
		  WHERE case_id = %L AND type = 'Welcome' AND channel = 'Webhook'$q$, :'a')),
		  format('https://hooks.tap-ntf.example/kyc case.created %s true', :'a'),
		  'to the partner''s URL, the event in its JSON body, keyed by the event');

-- The sender claims the webhook; its signature checks out with the partner's secret.
SELECT dblink_exec('ntf', 'BEGIN');
SELECT v AS sig, b AS body FROM dblink('ntf', format($q$SELECT signature, content FROM kyc_notification.claim('Webhook', 100, 'tap-ntf-sender', '1 minute')
	WHERE case_id = %L$q$, :'a')) AS t(v text, b text) \gset
SELECT dblink_exec('ntf', 'ROLLBACK');
SELECT is(:'sig', (SELECT v FROM dblink('ntf_admin', format('SELECT kyc_notification.sign(%L, %s, %L)', :'secret',
		  split_part(split_part(:'sig', ',', 1), '=', 2), :'body')) AS t(v text)),
		  'the claimed webhook carries KYC-Signature t=...,v1=HMAC-SHA256(secret, "t.body")');

---------------------------------------------------------------------------
-- A status change, a rejected document, the rejection.
---------------------------------------------------------------------------
SELECT * FROM dblink('onb', format($q$SELECT (kyc_onboarding.transition(%L, 'InProgress')).status$q$, :'a')) AS t(s text);
SELECT ok(pg_temp.wait_for('the StatusUpdate of case A', pg_temp.has(:'a', 'StatusUpdate', 'Email'), 60),
		  'case.status_changed gives a StatusUpdate e-mail');
SELECT is(pg_temp.said(:'a', 'StatusUpdate', 'Email'),
		  format(E'Ihre Identifizierung %1$s: neuer Status InProgress | Guten Tag Ueli\n\nder Status Ihrer Identifizierung %1$s ist von Draft zu InProgress gewechselt.', :'a'),
		  'naming the old and the new status');
SELECT ok(pg_temp.wait_for('the StatusUpdate webhook of case A', pg_temp.has(:'a', 'StatusUpdate', 'Webhook'), 30),
		  'and a StatusUpdate webhook');
SELECT pg_temp.reject_document(:'a', 'the photo page is cut off');
SELECT ok(pg_temp.wait_for('the DocumentRequest of case A', pg_temp.has(:'a', 'DocumentRequest', 'Email'), 60),
		  'document.rejected gives a DocumentRequest e-mail');
SELECT alike(pg_temp.said(:'a', 'DocumentRequest', 'Email'), '%Passport%: the photo page is cut off%',
			 'with the document type and the reason');
SELECT is(pg_temp.ntf(format($q$SELECT priority || ' ' || (content::jsonb #>> '{document,reason}')
		  FROM kyc_notification.notifications WHERE case_id = %L AND type = 'DocumentRequest' AND channel = 'Webhook'$q$, :'a')),
		  'High the photo page is cut off', 'and the partner''s webhook carries the reason, at High priority');

---------------------------------------------------------------------------
-- Each event gives one notification per channel.
---------------------------------------------------------------------------
SELECT is(pg_temp.ntf(format($q$SELECT string_agg(type || '/' || channel || ':' || n, ' ' ORDER BY type, channel)
		  FROM (SELECT type, channel, count(*) AS n FROM kyc_notification.notifications WHERE case_id = %L
				GROUP BY type, channel) c$q$, :'a')),
		  'DocumentRequest/Email:1 DocumentRequest/Webhook:1 StatusUpdate/Email:1 StatusUpdate/Webhook:1 Welcome/Email:1 Welcome/Webhook:1',
		  'one notification per event and channel');

---------------------------------------------------------------------------
-- The decision: a case the workflow submits, then rejected by a reviewer.
---------------------------------------------------------------------------
SELECT pg_temp.new_case('tap-ntf-decided', 'Noemi', 'Decided', 'CH') AS c \gset
SELECT ok(pg_temp.wait_for('case C''s submission', format('SELECT pg_temp.ntf(%L)::boolean', format(
		  $q$SELECT EXISTS (SELECT FROM kyc_notification.notifications WHERE case_id = %L AND type = 'StatusUpdate'
		  AND template_data #>> '{case,status}' = 'PendingReview')::text$q$, :'c')), 120),
		  'the workflow''s automatic submission gives a StatusUpdate to PendingReview');
SELECT * FROM dblink('onb', format($q$SELECT case_status FROM kyc_onboarding.reject(%L, 'tap-ntf-reviewer', 'documents do not match')$q$, :'c')) AS t(s text);
SELECT ok(pg_temp.wait_for('case C''s decision', pg_temp.has(:'c', 'DecisionMade', 'Email'), 60),
		  'the rejection gives a DecisionMade e-mail');
SELECT is(pg_temp.ntf(format($q$SELECT priority || ' | ' || subject || ' | ' || (SELECT count(*) FROM kyc_notification.notifications
		  WHERE case_id = %1$L AND type = 'StatusUpdate' AND template_data #>> '{case,status}' = 'Rejected')
		  FROM kyc_notification.notifications WHERE case_id = %1$L AND type = 'DecisionMade'$q$, :'c')),
		  format('High | Your verification %s: Rejected | 0', :'c'), 'at High priority, in place of a StatusUpdate');

---------------------------------------------------------------------------
-- A rejection that arrives before its case is parked, then sent.
---------------------------------------------------------------------------
SELECT dblink_exec('ntf_admin', $$UPDATE kyc_events.subscription SET enabled = false WHERE name = 'notify_cases'$$);
SELECT pg_temp.new_case(NULL, 'Vreni', 'vreni.notify@example.ch') AS b \gset
SELECT pg_temp.reject_document(:'b', 'expired on 2020-01-01');
SELECT ok(pg_temp.wait_for('the parked rejection of case B', format('SELECT pg_temp.ntf_admin(%L)::boolean',
		  format('SELECT EXISTS (SELECT FROM kyc_notification.parked_events WHERE case_id = %L)::text', :'b')), 60),
		  'a document.rejected of a case not yet known is parked');
SELECT is(pg_temp.ntf(format('SELECT count(*)::text FROM kyc_notification.notifications WHERE case_id = %L', :'b')), '0',
		  'and sends nothing yet');
SELECT dblink_exec('ntf_admin', $$UPDATE kyc_events.subscription SET enabled = true WHERE name = 'notify_cases'$$);
SELECT ok(pg_temp.wait_for('the DocumentRequest of case B', pg_temp.has(:'b', 'DocumentRequest', 'Email'), 60),
		  'when the case arrives, the parked rejection becomes a DocumentRequest (in English: no partner locale)');
SELECT is(pg_temp.ntf_admin(format($q$SELECT count(*)::text FROM kyc_notification.parked_events WHERE case_id = %L$q$, :'b')), '0',
		  'and leaves the parking');

---------------------------------------------------------------------------
-- Retention: purge_expired() deletes old finished notifications, in batches.
---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.inapp(n int) RETURNS text LANGUAGE sql AS $$
	SELECT pg_temp.ntf(format($q$SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'tap-purge-user', NULL,
		'{"case": {"case_id": "KYC-TAP-PURGE", "status": "Approved"}}', idempotency_key => %L)::text$q$,
		'tap-purge-' || n || '-' || pg_backend_pid()))
$$;
SELECT pg_temp.inapp(1) AS p1, pg_temp.inapp(2) AS p2, pg_temp.inapp(3) AS p3 \gset
SELECT pg_temp.ntf(format($q$SELECT kyc_notification.cancel(%L, 'duplicate')::text$q$, :'p1'));
SELECT pg_temp.ntf(format($q$SELECT kyc_notification.cancel(%L, 'duplicate')::text$q$, :'p2'));
-- Forty days pass for the three (triggers off: the status trigger stamps updated_at).
SELECT dblink_exec('ntf_admin', format($q$SET session_replication_role = replica;
	UPDATE kyc_notification.notifications SET updated_at = now() - interval '40 days' WHERE id IN (%L, %L, %L);
	RESET session_replication_role$q$, :'p1', :'p2', :'p3'));
SELECT dblink_exec('ntf_admin', 'CALL kyc_notification.purge_expired(1)');
SELECT is(pg_temp.ntf_admin(format($q$SELECT string_agg(status, ',') || ' ' ||
		  (SELECT count(*) FROM kyc_notification.notification_history WHERE notification_id IN (%1$L, %2$L, %3$L))
		  FROM kyc_notification.notifications WHERE id IN (%1$L, %2$L, %3$L)$q$, :'p1', :'p2', :'p3')),
		  'Pending 1', 'purge_expired() deleted the two old Cancelled notifications and their history, one a transaction, and kept the Pending one');

SELECT * FROM finish();
