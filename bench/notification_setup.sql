-- bench/notification_setup.sql: three notification queues holding the same
-- :n Pending e-mails (psql variable n), for scripts/bench_notification.sh:
--   kyc_notification.notifications  the extension: claim() with FOR UPDATE
--                    SKIP LOCKED, the C status trigger and its history row
--                    per change, mark_sent() checking the lease
--   bench.naive      the same columns and indexes, no trigger, claimed by
--                    UPDATE ... WHERE id IN (SELECT ... LIMIT k) without
--                    SKIP LOCKED (bench/notification_naive.sql)
--   bench.pgmq_q     pgmq's layout (msg_id, read_ct, enqueued_at, vt,
--                    message jsonb) with its archive bench.pgmq_a, read
--                    and archived as pgmq.read() and pgmq.archive() do
-- and bench.reset(design), which puts a queue back to this starting point.
CREATE EXTENSION IF NOT EXISTS kyc_notification CASCADE;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- A template whose e-mails are about 500 bytes of text and 650 of HTML,
-- the size of a real status e-mail with a footer, not the 100-byte
-- defaults: the queue rows are what claim() and its rivals move around.
INSERT INTO kyc_notification.templates (template_id, type, channel, locale, subject, body_text, body_html)
VALUES ('bench_notice.email.en', 'BenchNotice', 'Email', 'en',
	'Your verification {{case.case_id}} is now {{case.status}}',
	E'Hello {{applicant.first_name}} {{applicant.last_name}},\n\n'
	'the status of your identity verification {{case.case_id}} with {{partner.name}} changed from '
	'{{case.from_status}} to {{case.status}}. You do not need to do anything now; we will write again '
	'as soon as we need a document from you or a decision has been made.\n\n'
	'If you did not start this verification, reply to this e-mail or contact {{partner.name}} '
	'support and quote your reference {{case.case_id}}.\n\nKind regards,\nThe verification team\n'
	'This message was sent to {{applicant.email}} because of a verification request.',
	'<html><body><p>Hello {{applicant.first_name}} {{applicant.last_name}},</p>'
	'<p>the status of your identity verification <b>{{case.case_id}}</b> with {{partner.name}} changed from '
	'{{case.from_status}} to <b>{{case.status}}</b>. You do not need to do anything now; we will write again '
	'as soon as we need a document from you or a decision has been made.</p>'
	'<p>If you did not start this verification, reply to this e-mail or contact {{partner.name}} '
	'support and quote your reference <b>{{case.case_id}}</b>.</p><p>Kind regards,<br>The verification team</p>'
	'<p style="font-size:small">This message was sent to {{applicant.email}} because of a verification request.</p>'
	'</body></html>');

-- The extension's queue, filled the way notification_service fills it:
-- enqueue() renders each message and the trigger records its creation.
-- One priority in twenty is Critical, three High, twelve Medium, four Low.
SELECT count(kyc_notification.enqueue('BenchNotice', 'Email', format('applicant%s@example.com', g),
		'bench_notice.email.en',
		jsonb_build_object(
			'applicant', jsonb_build_object('first_name', 'Alexandra', 'last_name', 'Lindqvist-Moreau',
											'email', format('applicant%s@example.com', g)),
			'case', jsonb_build_object('case_id', format('KYC-%s', 1000000 + g), 'status', 'PendingReview',
									   'from_status', 'InProgress'),
			'partner', jsonb_build_object('name', 'Helvetic Private Bank')),
		(ARRAY['Critical', 'High', 'High', 'High', 'Low', 'Low', 'Low', 'Low'] ||
		 array_fill('Medium'::text, ARRAY[12]))[1 + g % 20],
		format('KYC-%s', 1000000 + g), 'partner-01'))
FROM generate_series(1, :n) g;

-- The naive queue: the same columns, defaults, checks and index count.
-- Its due index matches its own ORDER BY; it has no trigger and no history.
CREATE TABLE bench.naive (LIKE kyc_notification.notifications
	INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS);
INSERT INTO bench.naive (id, type, channel, recipient, subject, content, status, priority, case_id,
	partner_id, template_id, template_data, created_at, content_html, locale, idempotency_key,
	next_attempt_at, updated_at)
SELECT id, type, channel, recipient, subject, content, status, priority, case_id,
	partner_id, template_id, template_data, created_at, content_html, locale, idempotency_key,
	next_attempt_at, updated_at
FROM kyc_notification.notifications ORDER BY created_at;
ALTER TABLE bench.naive ADD PRIMARY KEY (id), ADD UNIQUE (idempotency_key);
CREATE INDEX ON bench.naive (priority_rank, created_at) WHERE status = 'Pending';
CREATE INDEX ON bench.naive (channel, locked_until) WHERE status = 'Sending';
CREATE INDEX ON bench.naive (channel, scheduled_at) WHERE status = 'Scheduled';
CREATE INDEX ON bench.naive (updated_at) WHERE status IN ('Delivered', 'Cancelled');
CREATE INDEX ON bench.naive (case_id);
CREATE INDEX ON bench.naive (partner_id, created_at);

-- pgmq's queue and archive tables (pgmq.create()), the message as jsonb
-- carrying what the extension's row carries.  pgmq has no priorities: it
-- reads in msg_id order, so msg_id follows the same priority order.
CREATE TABLE bench.pgmq_q (
	msg_id		bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	read_ct		integer NOT NULL DEFAULT 0,
	enqueued_at	timestamptz NOT NULL DEFAULT now(),
	vt			timestamptz NOT NULL,
	message		jsonb
);
CREATE INDEX ON bench.pgmq_q (vt);
CREATE TABLE bench.pgmq_a (
	msg_id		bigint PRIMARY KEY,
	read_ct		integer NOT NULL DEFAULT 0,
	enqueued_at	timestamptz NOT NULL DEFAULT now(),
	archived_at	timestamptz NOT NULL DEFAULT now(),
	vt			timestamptz NOT NULL,
	message		jsonb
);
CREATE INDEX ON bench.pgmq_a (archived_at);
INSERT INTO bench.pgmq_q (enqueued_at, vt, message)
SELECT created_at, created_at,
	jsonb_build_object('id', id, 'type', type, 'channel', channel, 'recipient', recipient,
		'subject', subject, 'content', content, 'content_html', content_html, 'priority', priority,
		'case_id', case_id, 'partner_id', partner_id)
FROM kyc_notification.notifications ORDER BY priority_rank, next_attempt_at;

-- reset(design): every row of that queue Pending again, as it was filled,
-- with nothing claimed, sent or archived.  The status trigger is off for
-- this (session_replication_role): a reset is not a state change.
CREATE FUNCTION bench.reset(design text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	SET LOCAL session_replication_role = replica;
	CASE design
	WHEN 'kyc' THEN
		UPDATE kyc_notification.notifications SET status = 'Pending', locked_by = NULL, locked_until = NULL,
			attempts = 0, sent_at = NULL, provider_message_id = NULL, updated_at = created_at
		WHERE status <> 'Pending';
		TRUNCATE kyc_notification.notification_history;
	WHEN 'naive' THEN
		UPDATE bench.naive SET status = 'Pending', locked_by = NULL, locked_until = NULL,
			attempts = 0, sent_at = NULL, provider_message_id = NULL, updated_at = created_at
		WHERE status <> 'Pending';
	WHEN 'pgmq' THEN
		UPDATE bench.pgmq_q SET vt = enqueued_at, read_ct = 0 WHERE read_ct > 0;
		INSERT INTO bench.pgmq_q (msg_id, enqueued_at, vt, message) OVERRIDING SYSTEM VALUE
		SELECT msg_id, enqueued_at, enqueued_at, message FROM bench.pgmq_a;
		TRUNCATE bench.pgmq_a;
	END CASE;
END
$$;

-- done(design): messages that reached the end of the sender's work.
CREATE FUNCTION bench.done(design text) RETURNS bigint LANGUAGE sql AS $$
	SELECT CASE design
		WHEN 'kyc' THEN (SELECT count(*) FROM kyc_notification.notifications WHERE status = 'Sent')
		WHEN 'naive' THEN (SELECT count(*) FROM bench.naive WHERE status = 'Sent')
		WHEN 'pgmq' THEN (SELECT count(*) FROM bench.pgmq_a) END
$$;
SELECT bench.reset('kyc');
