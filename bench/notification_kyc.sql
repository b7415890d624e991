-- bench/notification_kyc.sql (pgbench, -M prepared): a sender of
-- kyc_notification.  claim() leases @BATCH@ due e-mails, then mark_sent()
-- records each as sent.  scripts/bench_notification.sh repeats the part
-- after the marker for @I@ = 1 .. @BATCH@, each statement its own
-- transaction as a sender marks each message once its provider took it,
-- or wraps the whole script in BEGIN ... COMMIT for the one-transaction case.
-- Only the ids come back to the client, as with the other designs.
SELECT coalesce(array_agg(id), '{}') AS ids
FROM kyc_notification.claim('Email', @BATCH@, 'bench-' || :client_id::text, '5 minutes') \gset
-- @MARK@
SELECT kyc_notification.mark_sent(m.id, 'bench-' || :client_id::text, 'provider-' || m.id)
FROM (SELECT (:ids::uuid[])[@I@] AS id) m WHERE m.id IS NOT NULL;
