/* kyc_notification--0.2.0.sql: notification_service's durable notification queue. */

\echo Use "CREATE EXTENSION kyc_notification" to load this file. \quit

-- Partners that receive signed webhooks.  webhook_secret is the HMAC key:
-- no service role reads it (grants.sql grants the other columns only), and
-- only a signature computed in claim() leaves the database.
CREATE TABLE kyc_notification.partners (
	partner_id		varchar(100) PRIMARY KEY
					CHECK (btrim(partner_id) <> '' AND length(partner_id) <= 100),
	webhook_url		text CHECK (webhook_url ~ '^https://[^\s/?#@]+(/[^\s]*)?$' AND length(webhook_url) <= 2048),
	locale			text NOT NULL DEFAULT 'en' CHECK (locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
	webhook_secret	text CHECK (length(webhook_secret) >= 32),
	secret_set_at	timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE kyc_notification.partners IS
'Partners that receive webhooks, with their locale. webhook_secret signs each webhook (HMAC-SHA256); no service role can read it. Written by set_partner() and rotate_webhook_secret().';

-- Message templates per type, channel and locale.  The check trigger
-- refuses a malformed placeholder and records the variables each uses.
CREATE TABLE kyc_notification.templates (
	template_id		text PRIMARY KEY CHECK (template_id ~ '^[a-z][a-z0-9_.-]{0,99}$'),
	type			text NOT NULL CHECK (type ~ '^[A-Z][A-Za-z0-9]{0,49}$'),
	channel			text NOT NULL CHECK (channel IN ('Email', 'SMS', 'Push', 'InApp', 'Webhook')),
	locale			text NOT NULL CHECK (locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
	subject			text,
	body_text		text,
	body_html		text,
	body_json		jsonb,
	-- The placeholders the template uses, dotted; filled by template_check.
	variables		text[] NOT NULL DEFAULT '{}',
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (type, channel, locale)
);

COMMENT ON TABLE kyc_notification.templates IS
'Templates per type, channel and locale, with {{dotted.path}} placeholders rendered in C from template_data. Email needs subject and body_text (body_html optional, its values HTML-escaped); SMS, Push and InApp need body_text; Webhook needs body_json, a JSON object.';

-- The seed's notifications, and what the queue adds: the lease, the next
-- attempt, the idempotency key, the rendered HTML and the stamps.
CREATE TABLE kyc_notification.notifications (
	id					uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	type				varchar(50) NOT NULL CHECK (type ~ '^[A-Z][A-Za-z0-9]{0,49}$'),
	channel				varchar(20) NOT NULL
						CHECK (channel IN ('Email', 'SMS', 'Push', 'InApp', 'Webhook')),
	recipient			varchar(2048) NOT NULL,
	subject				varchar(998),
	content				text NOT NULL,
	status				varchar(20) NOT NULL DEFAULT 'Pending'
						CHECK (status IN ('Pending', 'Scheduled', 'Sending', 'Sent', 'Delivered',
										  'Failed', 'Cancelled')),
	priority			varchar(20) NOT NULL DEFAULT 'Medium'
						CHECK (priority IN ('Low', 'Medium', 'High', 'Critical')),
	case_id				varchar(40),
	partner_id			varchar(100),
	template_id			text,
	template_data		jsonb NOT NULL DEFAULT '{}',
	created_at			timestamptz NOT NULL DEFAULT now(),
	scheduled_at		timestamptz,
	sent_at				timestamptz,
	delivered_at		timestamptz,
	failed_at			timestamptz,
	error_message		text,
	retry_count			integer NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
	max_retries			integer NOT NULL DEFAULT 3 CHECK (max_retries BETWEEN 0 AND 100),

	-- Beyond the seed.
	content_html		text,
	locale				text NOT NULL DEFAULT 'en',
	idempotency_key		varchar(200) UNIQUE CHECK (btrim(idempotency_key) <> ''),
	-- Critical 0, High 1, Medium 2, Low 3: claim() takes the lowest first.
	priority_rank		smallint NOT NULL GENERATED ALWAYS AS
						(CASE priority WHEN 'Critical' THEN 0 WHEN 'High' THEN 1
						 WHEN 'Medium' THEN 2 ELSE 3 END) STORED,
	-- When a Pending notification is due: now, its scheduled_at, or a retry's backoff.
	next_attempt_at		timestamptz NOT NULL DEFAULT now(),
	-- The sender holding a Sending notification, and until when.
	locked_by			varchar(200),
	locked_until		timestamptz,
	-- Claims so far, including ones whose lease expired.
	attempts			integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	provider_message_id	varchar(200),
	cancelled_at		timestamptz,
	cancel_reason		text,
	updated_at			timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'Sending') = (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);

COMMENT ON TABLE kyc_notification.notifications IS
'The notification queue: the seed''s columns plus a lease (locked_by, locked_until), the next attempt, an idempotency key and the rendered HTML. Rows change only through enqueue(), claim(), mark_sent(), mark_delivered(), mark_failed(), cancel() and sweep(); the status trigger enforces the state machine and records every change in notification_history.';

-- What claim() scans: due Pending rows of a channel, best first.
CREATE INDEX notifications_due_idx ON kyc_notification.notifications
	(channel, priority_rank, next_attempt_at) WHERE status = 'Pending';
-- Leases to reclaim, and Scheduled rows to release, by sweep().
CREATE INDEX notifications_lease_idx ON kyc_notification.notifications
	(channel, locked_until) WHERE status = 'Sending';
CREATE INDEX notifications_scheduled_idx ON kyc_notification.notifications
	(channel, scheduled_at) WHERE status = 'Scheduled';
-- Finished rows for purge_expired(), and the seed's lookups.
CREATE INDEX notifications_finished_idx ON kyc_notification.notifications
	(updated_at) WHERE status IN ('Sent', 'Delivered', 'Failed', 'Cancelled');
CREATE INDEX notifications_case_id_idx ON kyc_notification.notifications (case_id);
CREATE INDEX notifications_partner_created_idx ON kyc_notification.notifications (partner_id, created_at);

-- Every state change of every notification, written by the status trigger.
CREATE TABLE kyc_notification.notification_history (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	notification_id	uuid NOT NULL,
	from_status		text,
	to_status		text NOT NULL,
	attempt			integer NOT NULL,
	worker			text,
	detail			text,
	changed_at		timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX notification_history_notification_idx
	ON kyc_notification.notification_history (notification_id);
CREATE INDEX notification_history_changed_at_idx
	ON kyc_notification.notification_history USING brin (changed_at);

COMMENT ON TABLE kyc_notification.notification_history IS
'One row per status change of a notification: from, to, the attempt, the worker and why (the error, the lease that expired, the cancel reason).';

-- The event-driven side (event_handlers.c): each case's partner and status,
-- its applicant's contact, and events that arrived before their case.
CREATE TABLE kyc_notification.cases (
	case_id				varchar(40) PRIMARY KEY,
	case_type			text,
	status				text,
	partner_id			varchar(100),
	partner_name		text,
	partner_reference_id text,
	-- The case.created event ("source:id"), keying the Welcome e-mail sent
	-- once the applicant's address is known.
	created_event		text,
	-- When its applicant's Welcome e-mail was queued.
	welcomed_at			timestamptz,
	updated_at			timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE kyc_notification.contacts (
	case_id			varchar(40) PRIMARY KEY,
	applicant_id	uuid NOT NULL,
	first_name		text,
	last_name		text,
	email			text,
	phone_number	text,
	updated_at		timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE kyc_notification.contacts IS
'Each case''s applicant (role Applicant): name, e-mail and phone from onboarding''s applicant.updated events; removed with applicant.removed.';

CREATE TABLE kyc_notification.parked_events (
	source			text NOT NULL,
	event_id		bigint NOT NULL,
	case_id			varchar(40) NOT NULL,
	topic			text NOT NULL,
	payload			jsonb NOT NULL,
	received_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (source, event_id)
);

CREATE INDEX parked_events_case_idx ON kyc_notification.parked_events (case_id);

COMMENT ON TABLE kyc_notification.parked_events IS
'Events that arrived before their case or its applicant''s e-mail address (document_service''s relay ran ahead of onboarding''s); handled again as each arrives, and removed once the e-mail is queued. purge_expired() removes those older than kyc_notification.retention (an applicant without an address).';

SELECT pg_catalog.pg_extension_config_dump('kyc_notification.partners', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_notification.templates', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_notification.notifications', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_notification.notification_history', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_notification.cases', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_notification.contacts', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_notification.parked_events', '');

-- The state machine, its stamps, the history and the doorbell (status.c).
CREATE FUNCTION kyc_notification.notification_status() RETURNS trigger
LANGUAGE C AS 'MODULE_PATHNAME', 'kyc_notification_status'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.notification_status() FROM PUBLIC;
CREATE TRIGGER notification_status
	BEFORE INSERT OR UPDATE ON kyc_notification.notifications
	FOR EACH ROW EXECUTE FUNCTION kyc_notification.notification_status();
CREATE FUNCTION kyc_notification.notification_created() RETURNS trigger
LANGUAGE C AS 'MODULE_PATHNAME', 'kyc_notification_created'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.notification_created() FROM PUBLIC;
CREATE TRIGGER notification_created
	AFTER INSERT ON kyc_notification.notifications
	FOR EACH ROW EXECUTE FUNCTION kyc_notification.notification_created();

-- A channel outside the list is refused naming the allowed ones, before
-- template_check reads it (triggers fire in name order).
CREATE FUNCTION kyc_notification.allowed_values() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_notification_allowed_values' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.allowed_values() FROM PUBLIC;
CREATE TRIGGER template_channel_allowed
	BEFORE INSERT OR UPDATE ON kyc_notification.templates
	FOR EACH ROW EXECUTE FUNCTION kyc_notification.allowed_values('channel', 'Email', 'SMS', 'Push', 'InApp', 'Webhook');

-- Placeholders checked and variables recorded (templates.c).
CREATE FUNCTION kyc_notification.template_check() RETURNS trigger
LANGUAGE C AS 'MODULE_PATHNAME', 'kyc_notification_template_check'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.template_check() FROM PUBLIC;
CREATE TRIGGER template_check
	BEFORE INSERT OR UPDATE ON kyc_notification.templates
	FOR EACH ROW EXECUTE FUNCTION kyc_notification.template_check();

-- Rendering alone, for template authors: the subject, text, HTML and JSON
-- a template gives for template_data, or the error enqueue() would raise.
CREATE FUNCTION kyc_notification.render(template_id text, template_data jsonb,
										OUT subject text, OUT content text,
										OUT content_html text)
RETURNS record
LANGUAGE C STABLE AS 'MODULE_PATHNAME', 'kyc_notification_render'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.render(text, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.render(text, jsonb) IS
'Render a template with template_data, as enqueue() would: subject, content (text, or the JSON body of a Webhook) and content_html. A missing variable is an error that names it.';

-- The queue's API runs as the extension's owner, with search_path pinned:
-- service roles read the queue, and change it only through these.
CREATE FUNCTION kyc_notification.enqueue(type text, channel text, recipient text,
										 template_id text DEFAULT NULL,
										 template_data jsonb DEFAULT '{}',
										 priority text DEFAULT 'Medium',
										 case_id text DEFAULT NULL,
										 partner_id text DEFAULT NULL,
										 scheduled_at timestamptz DEFAULT NULL,
										 idempotency_key text DEFAULT NULL,
										 locale text DEFAULT NULL)
RETURNS uuid
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_enqueue'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.enqueue(text, text, text, text, jsonb, text, text, text,
												timestamptz, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.enqueue(text, text, text, text, jsonb, text, text, text,
											 timestamptz, text, text) IS
'Queue a notification rendered from its template (template_id, or the one for type, channel and locale, falling back from de-CH to de to en). A second call with the same idempotency_key returns the first notification''s id and changes nothing.';

CREATE TYPE kyc_notification.claimed AS (
	id					uuid,
	type				text,
	channel				text,
	recipient			text,
	subject				text,
	content				text,
	content_html		text,
	priority			text,
	case_id				text,
	partner_id			text,
	attempt				integer,
	locked_until		timestamptz,
	-- Webhook only: the KYC-Signature header, t=<unix time>,v1=<hex HMAC-SHA256>.
	signature			text
);

CREATE FUNCTION kyc_notification.claim(channel text, batch_size integer, worker text,
									   lease interval DEFAULT '5 minutes')
RETURNS SETOF kyc_notification.claimed
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_claim'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.claim(text, integer, text, interval) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.claim(text, integer, text, interval) IS
'Lease up to batch_size due notifications of a channel to worker, Critical first, then by due time, with FOR UPDATE SKIP LOCKED. Expired leases of the channel are reclaimed first. Returns the rendered messages; a Webhook''s carries its signature.';

CREATE FUNCTION kyc_notification.mark_sent(id uuid, worker text, provider_message_id text DEFAULT NULL)
RETURNS void
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_mark_sent'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.mark_sent(uuid, text, text) FROM PUBLIC;

CREATE FUNCTION kyc_notification.mark_failed(id uuid, worker text, error text)
RETURNS text
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_mark_failed'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.mark_failed(uuid, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.mark_failed(uuid, text, text) IS
'Record a failed attempt by the worker holding the lease: back to Pending after a backoff with full jitter while retry_count < max_retries, else Failed. Returns the new status.';

CREATE FUNCTION kyc_notification.mark_delivered(id uuid)
RETURNS void
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_mark_delivered'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.mark_delivered(uuid) FROM PUBLIC;

CREATE FUNCTION kyc_notification.cancel(id uuid, reason text)
RETURNS void
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_cancel'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.cancel(uuid, text) FROM PUBLIC;

CREATE FUNCTION kyc_notification.extend_lease(id uuid, worker text, lease interval)
RETURNS timestamptz
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_extend_lease'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.extend_lease(uuid, text, interval) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.extend_lease(uuid, text, interval) IS
'Extend the lease of a notification the worker holds to now() + lease, for a send that takes longer than claimed. Returns the new locked_until.';

CREATE FUNCTION kyc_notification.release(id uuid, worker text)
RETURNS void
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_release'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.release(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.release(uuid, text) IS
'Hand back a notification the worker holds, unsent (a sender shutting down): Pending and due at once, with no failed attempt counted.';

-- pg_cron's job: expired leases back to the queue, due Scheduled rows to Pending.
CREATE FUNCTION kyc_notification.sweep()
RETURNS integer
LANGUAGE C SECURITY DEFINER AS 'MODULE_PATHNAME', 'kyc_notification_sweep'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.sweep() FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.sweep() IS
'Return expired leases to the queue (an expired lease counts as a failed attempt) and release Scheduled notifications whose time has come. Returns how many rows moved. make provision runs it every minute with pg_cron.';

-- Webhook signing (webhook.c).
CREATE FUNCTION kyc_notification.sign(secret text, signed_at bigint, body text)
RETURNS text
LANGUAGE C IMMUTABLE AS 'MODULE_PATHNAME', 'kyc_notification_sign'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.sign(text, bigint, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.sign(text, bigint, text) IS
'The KYC-Signature header for a body: t=<signed_at>,v1=<lowercase hex HMAC-SHA256 with key secret over "<signed_at>.<body>">.';

CREATE FUNCTION kyc_notification.new_secret()
RETURNS text
LANGUAGE C VOLATILE AS 'MODULE_PATHNAME', 'kyc_notification_new_secret'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.new_secret() FROM PUBLIC;

CREATE FUNCTION kyc_notification.set_partner(partner_id text, webhook_url text, locale text DEFAULT 'en')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- Named here: the column's varchar(100) would refuse a longer id
	-- without saying which.  The URL and the locale are the CHECKs'.
	IF length(partner_id) > 100 THEN
		RAISE EXCEPTION 'partner_id is longer than 100 characters' USING ERRCODE = 'string_data_right_truncation';
	END IF;
	INSERT INTO kyc_notification.partners AS p (partner_id, webhook_url, locale)
	VALUES (set_partner.partner_id, set_partner.webhook_url, set_partner.locale)
	ON CONFLICT ON CONSTRAINT partners_pkey DO UPDATE
	SET webhook_url = excluded.webhook_url, locale = excluded.locale, updated_at = now();
END
$$;
REVOKE ALL ON FUNCTION kyc_notification.set_partner(text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.set_partner(text, text, text) IS
'Add or change a partner''s webhook URL (https) and locale. Give it a secret with rotate_webhook_secret() before its webhooks can be sent.';

CREATE FUNCTION kyc_notification.rotate_webhook_secret(partner_id text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	secret text := kyc_notification.new_secret();
BEGIN
	IF partner_id IS NULL THEN
		RAISE EXCEPTION 'partner_id must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	UPDATE kyc_notification.partners p
	SET webhook_secret = secret, secret_set_at = now(), updated_at = now()
	WHERE p.partner_id = rotate_webhook_secret.partner_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'partner "%" has no webhook settings', partner_id
			USING ERRCODE = 'no_data_found',
				  HINT = 'Add it with kyc_notification.set_partner(partner_id, webhook_url, locale).';
	END IF;
	RETURN secret;
END
$$;
REVOKE ALL ON FUNCTION kyc_notification.rotate_webhook_secret(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.rotate_webhook_secret(text) IS
'Give a partner a new random webhook secret and return it, once: hand it to the partner, who checks each KYC-Signature with it. Webhooks signed from now on use it.';

-- The relay's handler of onboarding's and document_service's events (event_handlers.c).
CREATE FUNCTION kyc_notification.on_event(e kyc_events.event)
RETURNS void
LANGUAGE C AS 'MODULE_PATHNAME', 'kyc_notification_on_event'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.on_event(kyc_events.event) FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.on_event(kyc_events.event) IS
'Relay handler: case.created sends Welcome, case.status_changed StatusUpdate (DecisionMade for Approved or Rejected), document.rejected DocumentRequest, to the applicant''s e-mail and the partner''s webhook; applicant.updated and applicant.removed keep the applicant''s contact. The event''s id is each notification''s idempotency key.';

CREATE FUNCTION kyc_notification.stats()
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	SELECT jsonb_build_object(
		'depth', (SELECT coalesce(jsonb_object_agg(channel, statuses), '{}')
				  FROM (SELECT channel, jsonb_object_agg(status, n) AS statuses
						FROM (SELECT channel, status, count(*) AS n
							  FROM kyc_notification.notifications GROUP BY channel, status) c
						GROUP BY channel) d),
		'oldest_due_pending_seconds',
			(SELECT round(extract(epoch FROM now() - min(next_attempt_at)), 3)
			 FROM kyc_notification.notifications
			 WHERE status = 'Pending' AND next_attempt_at <= now()),
		'last_hour', (SELECT jsonb_build_object(
							'attempts', count(*) FILTER (WHERE to_status = 'Sending'),
							'failed_attempts', count(*) FILTER (WHERE from_status = 'Sending'
																AND to_status IN ('Pending', 'Failed')),
							'sent', count(*) FILTER (WHERE to_status = 'Sent'),
							'failed', count(*) FILTER (WHERE to_status = 'Failed'),
							'failure_rate', round(count(*) FILTER (WHERE from_status = 'Sending'
																   AND to_status IN ('Pending', 'Failed'))::numeric
												  / nullif(count(*) FILTER (WHERE from_status = 'Sending'), 0), 4))
					  FROM kyc_notification.notification_history
					  WHERE changed_at > now() - interval '1 hour'),
		'attempts_per_message', (SELECT round(avg(attempts), 3)
								 FROM kyc_notification.notifications
								 WHERE status IN ('Sent', 'Delivered', 'Failed')
								   AND updated_at > now() - interval '1 hour'),
		'as_of', now());
END;
REVOKE ALL ON FUNCTION kyc_notification.stats() FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.stats() IS
'Queue depth per channel and status, the age of the oldest due Pending notification, attempts, failures and the failure rate of send attempts over the last hour, and attempts per message finished in the last hour.';

-- Notifications that reached an end (Delivered, Failed, Cancelled, or Sent
-- with no delivery report to come) and last changed longer ago than
-- kyc_notification.retention, with their history, a batch per transaction
-- (pg_cron calls it nightly).
-- The oldest updated_at purge_expired() keeps: now() - kyc_notification.retention.
CREATE FUNCTION kyc_notification.retention_horizon()
RETURNS timestamptz
LANGUAGE C STABLE AS 'MODULE_PATHNAME', 'kyc_notification_retention_horizon'
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_notification.retention_horizon() FROM PUBLIC;

CREATE PROCEDURE kyc_notification.purge_expired(batch_size pg_catalog.int4 DEFAULT 5000)
LANGUAGE plpgsql
-- No SET clause: a procedure with one cannot COMMIT.  So every type,
-- operator and function below is named with its schema, and the session's
-- search_path decides nothing.  retention_horizon() is in C: calling it
-- loads the library, which defines kyc_notification.retention in a fresh
-- session such as pg_cron's.
AS $$
DECLARE
	horizon pg_catalog.timestamptz := kyc_notification.retention_horizon();
	ids pg_catalog.uuid[];
BEGIN
	IF batch_size IS NULL OR batch_size OPERATOR(pg_catalog.<) 1 OR batch_size OPERATOR(pg_catalog.>) 100000 THEN
		RAISE EXCEPTION 'batch_size % is out of range', batch_size
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Give 1 to 100000.';
	END IF;
	LOOP
		SELECT pg_catalog.array_agg(b.id) INTO ids
		FROM (SELECT n.id FROM kyc_notification.notifications n
			  WHERE n.status OPERATOR(pg_catalog.=) ANY ('{Sent,Delivered,Failed,Cancelled}'::pg_catalog.text[])
			  AND n.updated_at OPERATOR(pg_catalog.<) horizon
			  LIMIT batch_size) b;
		EXIT WHEN ids IS NULL;
		DELETE FROM kyc_notification.notification_history h
		WHERE h.notification_id OPERATOR(pg_catalog.=) ANY (ids);
		DELETE FROM kyc_notification.notifications n WHERE n.id OPERATOR(pg_catalog.=) ANY (ids);
		COMMIT;
	END LOOP;
	DELETE FROM kyc_notification.parked_events p WHERE p.received_at OPERATOR(pg_catalog.<) horizon;
END
$$;
REVOKE ALL ON PROCEDURE kyc_notification.purge_expired(integer) FROM PUBLIC;
COMMENT ON PROCEDURE kyc_notification.purge_expired(integer) IS
'Delete Sent, Delivered, Failed and Cancelled notifications, and their history, last changed longer ago than kyc_notification.retention, batch_size rows per transaction; and parked events as old.';

-- The default templates, where missing (setup.sql, run by make provision).
CREATE FUNCTION kyc_notification.install_default_templates()
RETURNS integer
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	WITH added AS (
		INSERT INTO kyc_notification.templates
			(template_id, type, channel, locale, subject, body_text, body_html, body_json)
		VALUES
		('welcome.email.en', 'Welcome', 'Email', 'en',
		 'Welcome to {{partner.name}}: your verification has started',
		 E'Hello {{applicant.first_name}},\n\nyour identity verification with {{partner.name}} has started. Your reference is {{case.case_id}}.\n\nWe will write when we need something from you.',
		 '<p>Hello {{applicant.first_name}},</p><p>your identity verification with {{partner.name}} has started. Your reference is <b>{{case.case_id}}</b>.</p><p>We will write when we need something from you.</p>',
		 NULL),
		('welcome.email.de', 'Welcome', 'Email', 'de',
		 'Willkommen bei {{partner.name}}: Ihre Identifizierung hat begonnen',
		 E'Guten Tag {{applicant.first_name}}\n\nIhre Identifizierung bei {{partner.name}} hat begonnen. Ihre Referenz ist {{case.case_id}}.\n\nWir melden uns, wenn wir etwas von Ihnen brauchen.',
		 '<p>Guten Tag {{applicant.first_name}}</p><p>Ihre Identifizierung bei {{partner.name}} hat begonnen. Ihre Referenz ist <b>{{case.case_id}}</b>.</p><p>Wir melden uns, wenn wir etwas von Ihnen brauchen.</p>',
		 NULL),
		('status_update.email.en', 'StatusUpdate', 'Email', 'en',
		 'Your verification {{case.case_id}} is now {{case.status}}',
		 E'Hello {{applicant.first_name}},\n\nthe status of your verification {{case.case_id}} changed from {{case.from_status}} to {{case.status}}.',
		 '<p>Hello {{applicant.first_name}},</p><p>the status of your verification <b>{{case.case_id}}</b> changed from {{case.from_status}} to <b>{{case.status}}</b>.</p>',
		 NULL),
		('status_update.email.de', 'StatusUpdate', 'Email', 'de',
		 'Ihre Identifizierung {{case.case_id}}: neuer Status {{case.status}}',
		 E'Guten Tag {{applicant.first_name}}\n\nder Status Ihrer Identifizierung {{case.case_id}} ist von {{case.from_status}} zu {{case.status}} gewechselt.',
		 '<p>Guten Tag {{applicant.first_name}}</p><p>der Status Ihrer Identifizierung <b>{{case.case_id}}</b> ist von {{case.from_status}} zu <b>{{case.status}}</b> gewechselt.</p>',
		 NULL),
		('document_request.email.en', 'DocumentRequest', 'Email', 'en',
		 'Please upload your {{document.document_type}} again',
		 E'Hello {{applicant.first_name}},\n\nwe could not accept your {{document.document_type}} for verification {{case.case_id}}: {{document.reason}}\n\nPlease upload it again.',
		 '<p>Hello {{applicant.first_name}},</p><p>we could not accept your {{document.document_type}} for verification <b>{{case.case_id}}</b>: {{document.reason}}</p><p>Please upload it again.</p>',
		 NULL),
		('document_request.email.de', 'DocumentRequest', 'Email', 'de',
		 'Bitte laden Sie Ihr Dokument ({{document.document_type}}) erneut hoch',
		 E'Guten Tag {{applicant.first_name}}\n\nwir konnten Ihr Dokument ({{document.document_type}}) für die Identifizierung {{case.case_id}} nicht annehmen: {{document.reason}}\n\nBitte laden Sie es erneut hoch.',
		 '<p>Guten Tag {{applicant.first_name}}</p><p>wir konnten Ihr Dokument ({{document.document_type}}) für die Identifizierung <b>{{case.case_id}}</b> nicht annehmen: {{document.reason}}</p><p>Bitte laden Sie es erneut hoch.</p>',
		 NULL),
		('decision_made.email.en', 'DecisionMade', 'Email', 'en',
		 'Your verification {{case.case_id}}: {{case.status}}',
		 E'Hello {{applicant.first_name}},\n\nyour verification {{case.case_id}} with {{partner.name}} is complete: {{case.status}}.',
		 '<p>Hello {{applicant.first_name}},</p><p>your verification <b>{{case.case_id}}</b> with {{partner.name}} is complete: <b>{{case.status}}</b>.</p>',
		 NULL),
		('decision_made.email.de', 'DecisionMade', 'Email', 'de',
		 'Ihre Identifizierung {{case.case_id}}: {{case.status}}',
		 E'Guten Tag {{applicant.first_name}}\n\nIhre Identifizierung {{case.case_id}} bei {{partner.name}} ist abgeschlossen: {{case.status}}.',
		 '<p>Guten Tag {{applicant.first_name}}</p><p>Ihre Identifizierung <b>{{case.case_id}}</b> bei {{partner.name}} ist abgeschlossen: <b>{{case.status}}</b>.</p>',
		 NULL),
		('status_update.sms.en', 'StatusUpdate', 'SMS', 'en', NULL,
		 'Your verification {{case.case_id}} is now {{case.status}}.', NULL, NULL),
		('status_update.sms.de', 'StatusUpdate', 'SMS', 'de', NULL,
		 'Ihre Identifizierung {{case.case_id}} hat den Status {{case.status}}.', NULL, NULL),
		('status_update.inapp.en', 'StatusUpdate', 'InApp', 'en', 'Verification {{case.case_id}}',
		 'Your verification is now {{case.status}}.', NULL, NULL),
		('status_update.inapp.de', 'StatusUpdate', 'InApp', 'de', 'Identifizierung {{case.case_id}}',
		 'Ihre Identifizierung hat jetzt den Status {{case.status}}.', NULL, NULL),
		('welcome.webhook.en', 'Welcome', 'Webhook', 'en', NULL, NULL, NULL,
		 '{"event": "{{event.topic}}", "event_id": "{{event.id}}", "case_id": "{{case.case_id}}", "partner_reference_id": "{{case.partner_reference_id}}", "type": "{{case.type}}", "status": "{{case.status}}"}'),
		('status_update.webhook.en', 'StatusUpdate', 'Webhook', 'en', NULL, NULL, NULL,
		 '{"event": "{{event.topic}}", "event_id": "{{event.id}}", "case_id": "{{case.case_id}}", "partner_reference_id": "{{case.partner_reference_id}}", "status": "{{case.status}}", "from_status": "{{case.from_status}}"}'),
		('document_request.webhook.en', 'DocumentRequest', 'Webhook', 'en', NULL, NULL, NULL,
		 '{"event": "{{event.topic}}", "event_id": "{{event.id}}", "case_id": "{{case.case_id}}", "partner_reference_id": "{{case.partner_reference_id}}", "document": {"document_id": "{{document.document_id}}", "document_type": "{{document.document_type}}", "reason": "{{document.reason}}"}}'),
		('decision_made.webhook.en', 'DecisionMade', 'Webhook', 'en', NULL, NULL, NULL,
		 '{"event": "{{event.topic}}", "event_id": "{{event.id}}", "case_id": "{{case.case_id}}", "partner_reference_id": "{{case.partner_reference_id}}", "decision": "{{case.status}}", "reason": "{{case.status_reason}}"}')
		ON CONFLICT DO NOTHING
		RETURNING 1)
	SELECT count(*)::integer FROM added;
END;
REVOKE ALL ON FUNCTION kyc_notification.install_default_templates() FROM PUBLIC;
COMMENT ON FUNCTION kyc_notification.install_default_templates() IS
'Add the default Welcome, StatusUpdate, DocumentRequest and DecisionMade templates (English and German e-mails, SMS and in-app status updates, partner webhooks) that are missing; returns how many it added.';
