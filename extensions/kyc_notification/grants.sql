-- Least privilege for notification_user on kyc_notification; run by make
-- provision with psql variable role.  The sender reads the queue and its
-- history, and changes them only through the API functions, which run as
-- the extension's owner and check the lease.  It never reads a partner's
-- webhook secret, nor writes templates: a message's content comes only
-- from templates the database owner installed.
GRANT USAGE ON SCHEMA kyc_notification TO :"role";
GRANT SELECT ON kyc_notification.notifications, kyc_notification.notification_history,
	kyc_notification.templates TO :"role";
GRANT SELECT (partner_id, webhook_url, locale, secret_set_at, created_at, updated_at)
	ON kyc_notification.partners TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.enqueue(text, text, text, text, jsonb, text, text, text,
												   timestamptz, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.claim(text, integer, text, interval) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.mark_sent(uuid, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.mark_failed(uuid, text, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.mark_delivered(uuid) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.cancel(uuid, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.extend_lease(uuid, text, interval) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.release(uuid, text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.render(text, jsonb) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_notification.stats() TO :"role";
