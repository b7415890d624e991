/*
 * doorbell.c
 *		At most one NOTIFY per transaction, rung just before commit.
 *
 * emit() only marks the transaction; the NOTIFY itself is queued from the
 * pre-commit callback.  That keeps the doorbell to one per transaction
 * however many events it emits, rings nothing for transactions that roll
 * back, and lets PREPARE TRANSACTION emit events (NOTIFY inside a prepared
 * transaction is an error; the relay's poll picks those events up).
 */
#include "kyc_events.h"

#include "access/xact.h"
#include "commands/async.h"

static bool doorbell_pending = false;

/* Queue the NOTIFY at pre-commit; forget the mark at every transaction end. */
static void
DoorbellXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (doorbell_pending)
				Async_Notify(KYC_EVENTS_CHANNEL, NULL);
			doorbell_pending = false;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PRE_PREPARE:
		case XACT_EVENT_PARALLEL_ABORT:
			doorbell_pending = false;
			break;
		default:
			break;
	}
}

/* Register the transaction callback once per backend. */
void
KycDoorbellInit(void)
{
	RegisterXactCallback(DoorbellXactCallback, NULL);
}

/* Mark the current transaction as one that must ring at commit. */
void
KycDoorbellRing(void)
{
	doorbell_pending = true;
}
