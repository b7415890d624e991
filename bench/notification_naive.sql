-- bench/notification_naive.sql (pgbench, -M prepared): a naive queue on a
-- table like kyc_notification's, without SKIP LOCKED: every sender picks
-- the same first @BATCH@ Pending rows and waits for whoever locked them.
-- The outer status test makes a sender that waited update nothing rather
-- than lease the rows again (without it, they would be sent twice).
-- The part after the marker is repeated as in notification_kyc.sql.
WITH c AS (
	UPDATE bench.naive SET status = 'Sending', locked_by = 'bench-' || :client_id::text,
		locked_until = now() + interval '5 minutes', attempts = attempts + 1, updated_at = now()
	WHERE id IN (SELECT id FROM bench.naive WHERE status = 'Pending'
				 ORDER BY priority_rank, created_at LIMIT @BATCH@)
	  AND status = 'Pending'
	RETURNING *)
SELECT coalesce(array_agg(id), '{}') AS ids FROM c \gset
-- @MARK@
UPDATE bench.naive SET status = 'Sent', sent_at = now(), provider_message_id = 'provider-' || id,
	locked_by = NULL, locked_until = NULL, updated_at = now()
WHERE id = (:ids::uuid[])[@I@] AND locked_by = 'bench-' || :client_id::text;
