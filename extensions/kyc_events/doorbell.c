/*
 * doorbell.c
 *		At most one NOTIFY per transaction, rung just before commit.
 *
 * emit() only marks the transaction; the NOTIFY itself is queued from the
 * pre-commit callback.  That keeps the doorbell to one per transaction
 * however many events it emits, rings nothing for transactions that roll
 * back, and lets PREPARE TRANSACTION emit events (NOTIFY inside a prepared
 * transaction is an error; the relay's poll picks those events up).
 *
 * A rolled-back subtransaction takes its events with it, so it takes the
 * doorbell too when every emit so far was inside it.  Subtransaction ids
 * grow, and every subtransaction started while one is open is its child, so
 * "the oldest emitting subtransaction is at or after the aborting one" is
 * exactly "all emits were inside the aborting subtree".
 */
#include "relay.h"

#include "access/xact.h"
#include "commands/async.h"

static bool doorbell_pending = false;
static SubTransactionId doorbell_oldest_subid = InvalidSubTransactionId;

/* Queue the NOTIFY at pre-commit; forget the mark at every transaction end. */
static void
DoorbellXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (doorbell_pending && RelayDoorbellDue())
				Async_Notify(KYC_EVENTS_CHANNEL, NULL);
			doorbell_pending = false;
			break;
		case XACT_EVENT_COMMIT:
			RelayDoorbellCommitted();
			break;
		case XACT_EVENT_ABORT:
			RelayDoorbellAborted();
			doorbell_pending = false;
			break;
		case XACT_EVENT_PRE_PREPARE:
		case XACT_EVENT_PARALLEL_ABORT:
			doorbell_pending = false;
			break;
		default:
			break;
	}
}

/* Unmark when the aborting subtransaction holds every emit so far. */
static void
DoorbellSubXactCallback(SubXactEvent event, SubTransactionId mySubid,
						SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB && doorbell_pending &&
		doorbell_oldest_subid >= mySubid)
		doorbell_pending = false;
}

/* Register the transaction callbacks once per backend. */
void
KycDoorbellInit(void)
{
	RegisterXactCallback(DoorbellXactCallback, NULL);
	RegisterSubXactCallback(DoorbellSubXactCallback, NULL);
}

/* Mark the current transaction as one that must ring at commit. */
void
KycDoorbellRing(void)
{
	SubTransactionId current = GetCurrentSubTransactionId();

	if (!doorbell_pending || current < doorbell_oldest_subid)
		doorbell_oldest_subid = current;
	doorbell_pending = true;
}
