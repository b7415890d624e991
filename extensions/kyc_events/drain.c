/*
 * drain.c
 *		Draining one subscription of a relay worker: batches, handler
 *		retries and dead letters, acknowledgements and lag.
 *
 * worker.c decides when a source is drained; this reads each of its
 * subscriptions batch by batch until the source has nothing more, each
 * batch applied with its cursor in one local transaction (apply.c).
 */
#include "relay.h"

#include "miscadmin.h"
#include "utils/memutils.h"

/*
 * How long an acknowledgement may wait.  It only lets the source prune, so
 * the worker sends it at most this often rather than after every drain:
 * one round trip and one source commit fewer for each doorbell.
 */
#define RELAY_ACK_DELAY_MS 100

/* Arguments of the steps below. */
typedef struct RelayStepArgs
{
	RelaySource *src;
	RelaySub   *sub;
	RelayPosition position;
	int			max_events;
	bool		dead;
	RelayResult *result;
	bool		stuck;			/* for MeasureLagStep */
} RelayStepArgs;

/* Tell the source how far sub has applied, so it can prune. */
static void
Acknowledge(RelaySource *src, RelaySub *sub, RelayPosition position)
{
	char		xid[32];
	char		id[32];
	const char *params[3] = {sub->consumer, xid, id};

	snprintf(xid, sizeof(xid), UINT64_FORMAT, position.xid);
	snprintf(id, sizeof(id), INT64_FORMAT, position.id);
	RelaySourceCommand(src->conn, "SELECT kyc_events.ack($1, $2, $3)", 3, params);
}

/* Step: Acknowledge. */
static void
AcknowledgeStep(void *arg)
{
	RelayStepArgs *a = arg;

	Acknowledge(a->src, a->sub, a->position);
}

/*
 * Send the acknowledgements of src's subscriptions that are due, or all
 * that wait; false if the connection failed (and was dropped).
 */
bool
RelayAcknowledgeDue(RelaySource *src, bool all)
{
	TimestampTz now = GetCurrentTimestamp();
	ListCell   *lc;

	foreach(lc, src->subs)
	{
		RelaySub   *sub = lfirst(lc);
		RelayStepArgs args = {src, sub, sub->ack, 0, false, NULL};
		char	   *error;

		if (sub->ack_at == 0 || (!all && now < sub->ack_at))
			continue;
		error = RelayTry(AcknowledgeStep, &args);
		if (error)
		{
			RelayDropConnection(src, error);
			return false;
		}
		sub->ack_at = 0;
	}
	return true;
}

/* Step: RelayMeasureLag; stuck says the drain moved nothing and nothing failed. */
static void
MeasureLagStep(void *arg)
{
	RelayStepArgs *a = arg;

	RelayMeasureLag(a->src->conn, a->sub->name, a->sub->topics, a->stuck, &a->sub->lag);
}

/* Step: one batch in its own transaction. */
static void
BatchStep(void *arg)
{
	RelayStepArgs *a = arg;

	RelayStartWork("kyc_events relay: batch");
	RelayBatch(a->src->conn, a->sub->name, a->max_events, a->dead ? a->sub->error : NULL,
			   a->sub->failed, a->sub->attempts, a->result);
	RelayFinishWork();
}

/*
 * Drain one subscription: batch after batch, each applied with its cursor
 * in one local transaction, until the source has nothing more to read.  A
 * handler error leaves the event at the head: it is retried alone, with
 * exponential backoff, and after kyc_events.max_attempts becomes a dead
 * letter.  The position reached is acknowledged within RELAY_ACK_DELAY_MS
 * (RelayAcknowledgeDue).  Returns how many events the cursor moved past, or -1
 * if the connection failed.
 */
int
RelayDrainSubscription(RelaySource *src, RelaySub *sub)
{
	RelayPosition reached = {0, 0};
	bool		moved = false;
	int			total = 0;
	TimestampTz now = GetCurrentTimestamp();

	if (sub->retry_at > now)
		return 0;
	for (;;)
	{
		RelayResult result;
		char	   *error;
		bool		dead = sub->attempts >= kyc_relay_max_attempts;
		int			max_events = sub->attempts > 0 ? 1 : kyc_relay_batch_size;
		RelayStepArgs args = {src, sub, {0, 0}, max_events, dead, &result};

		memset(&result, 0, sizeof(result));
		error = RelayTry(BatchStep, &args);

		if (error && result.failed.id == 0 && result.failed.xid == 0)
		{
			/*
			 * Not the handler: the source or the connection.  A connection
			 * left busy (a cancelled query) is as good as lost.
			 */
			ereport(LOG, (errmsg("kyc_events relay: subscription %s: %s", sub->name, error)));
			if (!RelaySourceUsable(src->conn))
			{
				RelayDropConnection(src, error);
				return -1;
			}
			RelayRecordState(sub->name, "error", error);
			return total;
		}
		if (error)
		{
			bool		same = result.failed.xid == sub->failed.xid && result.failed.id == sub->failed.id;

			sub->attempts = same ? sub->attempts + 1 : 1;
			sub->failed = result.failed;
			/* Kept across loops: in the context the subscription lives in. */
			sub->error = MemoryContextStrdup(GetMemoryChunkContext(sub), error);
			sub->retry_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														RelayBackoffMs(kyc_relay_retry_interval,
																	   sub->attempts - 1, 60000));
			ereport(LOG,
					(errmsg("kyc_events relay: subscription %s: handler failed on event " INT64_FORMAT
							" (attempt %d of %d): %s", sub->name, result.failed.id,
							sub->attempts, kyc_relay_max_attempts, error)));
			RelayRecordState(sub->name, "retrying", error);
			break;
		}
		if (!result.found || result.processed == 0)
		{
			/*
			 * Gone, disabled or empty: there is no failing event left to
			 * retry.
			 */
			sub->attempts = 0;
			break;
		}
		moved = true;
		total += result.processed;
		reached = result.position;
		if (dead)
			ereport(LOG,
					(errmsg("kyc_events relay: subscription %s: event " INT64_FORMAT
							" moved to kyc_events.dead_letters after %d attempts",
							sub->name, sub->failed.id, sub->attempts)));
		if (sub->attempts > 0 && (dead || (reached.xid > sub->failed.xid ||
										   (reached.xid == sub->failed.xid && reached.id >= sub->failed.id))))
			sub->attempts = 0;
		/* Short of both bounds: the source had nothing more to read. */
		if (result.processed < max_events && result.bytes < kyc_relay_max_batch_bytes &&
			sub->attempts == 0)
			break;
		CHECK_FOR_INTERRUPTS();
	}
	if (moved)
	{
		sub->ack = reached;
		if (sub->ack_at == 0)
			sub->ack_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), RELAY_ACK_DELAY_MS);
	}
	if (src->conn)
	{
		RelayStepArgs args = {src, sub, reached, 0, false, NULL, !moved && sub->attempts == 0};
		char	   *error = RelayTry(MeasureLagStep, &args);

		if (error)
		{
			ereport(LOG, (errmsg("kyc_events relay: subscription %s: could not measure lag: %s",
								 sub->name, error)));
			if (!RelaySourceUsable(src->conn))
			{
				RelayDropConnection(src, error);
				return -1;
			}
		}
	}
	return total;
}
