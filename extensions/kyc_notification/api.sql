-- notification_service's PostgREST API (make provision runs it after the
-- extension and the API roles exist; idempotent; run it again after a
-- restore, which does not keep row-level security on extension tables).
-- Views only in api; row-level security on the queue decides the rows:
--   kyc_partner                        the notifications of the token's partner (kyc.partner_id)
--   kyc_compliance_officer, kyc_admin  every notification
--   notification_user                  every notification (the sender)
-- Reviewers have no use for the queue and get nothing.
CREATE SCHEMA IF NOT EXISTS api;
REVOKE ALL ON SCHEMA api FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO kyc_partner, kyc_compliance_officer, kyc_admin;
COMMENT ON SCHEMA api IS 'pgkyc''s notification API, for PostgREST: views only, row-level security on the tables beneath.';

ALTER TABLE kyc_notification.notifications ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS service ON kyc_notification.notifications;
CREATE POLICY service ON kyc_notification.notifications FOR SELECT TO notification_user USING (true);
DROP POLICY IF EXISTS partner ON kyc_notification.notifications;
CREATE POLICY partner ON kyc_notification.notifications FOR SELECT TO kyc_partner
	USING (partner_id OPERATOR(pg_catalog.=) kyc_events.request_partner());
DROP POLICY IF EXISTS officer ON kyc_notification.notifications;
CREATE POLICY officer ON kyc_notification.notifications FOR SELECT TO kyc_compliance_officer, kyc_admin
	USING (true);

GRANT USAGE ON SCHEMA kyc_notification TO kyc_partner, kyc_compliance_officer, kyc_admin;
-- What a partner may know of a notification: not the template's data, the
-- lease or the idempotency key.
REVOKE ALL ON kyc_notification.notifications FROM kyc_partner;
GRANT SELECT (id, type, channel, recipient, subject, status, priority, case_id, partner_id, created_at,
			  scheduled_at, sent_at, delivered_at, failed_at, retry_count)
	ON kyc_notification.notifications TO kyc_partner;
GRANT SELECT ON kyc_notification.notifications TO kyc_compliance_officer, kyc_admin;

CREATE OR REPLACE VIEW api.notifications WITH (security_invoker = true) AS
SELECT id, type, channel, recipient, subject, status, priority, case_id, partner_id, created_at,
	   scheduled_at, sent_at, delivered_at, failed_at, retry_count
FROM kyc_notification.notifications;
COMMENT ON VIEW api.notifications IS
'The notifications of a partner''s cases, with their delivery status. A partner sees its own, a compliance officer all.';
GRANT SELECT ON api.notifications TO kyc_partner, kyc_compliance_officer, kyc_admin;

-- Every column described, for PostgREST's OpenAPI document.
COMMENT ON COLUMN api.notifications.id IS 'Its id (a uuid).';
COMMENT ON COLUMN api.notifications.type IS 'What the notification is: Welcome, StatusUpdate, DocumentRequest, DecisionMade, ...';
COMMENT ON COLUMN api.notifications.status IS 'Pending, Scheduled, Sending, Sent, Delivered, Failed or Cancelled.';
COMMENT ON COLUMN api.notifications.channel IS 'Email, SMS, Push, InApp or Webhook.';
COMMENT ON COLUMN api.notifications.recipient IS 'Where it is sent: an address, a number or a device.';
COMMENT ON COLUMN api.notifications.subject IS 'The rendered subject.';
COMMENT ON COLUMN api.notifications.priority IS 'Low, Medium, High or Critical.';
COMMENT ON COLUMN api.notifications.case_id IS 'The case it is about, if any.';
COMMENT ON COLUMN api.notifications.partner_id IS 'The onboarding partner the case belongs to, as the token''s partner_id claim names it.';
COMMENT ON COLUMN api.notifications.created_at IS 'When it was queued.';
COMMENT ON COLUMN api.notifications.scheduled_at IS 'When it is due to be sent.';
COMMENT ON COLUMN api.notifications.sent_at IS 'When a sender handed it to the provider.';
COMMENT ON COLUMN api.notifications.delivered_at IS 'When the provider confirmed delivery.';
COMMENT ON COLUMN api.notifications.failed_at IS 'When it failed for the last time.';
COMMENT ON COLUMN api.notifications.retry_count IS 'The failed attempts so far.';
