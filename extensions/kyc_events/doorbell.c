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
 *
 * When kyc_events is preloaded, a throttle in shared memory also lets a
 * commit skip its NOTIFY while its database's last ring is still
 * committing (kyc_events.doorbell_interval; see DoorbellDue).
 */
#include "relay.h"

#include "access/xact.h"
#include "commands/async.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/shmem.h"
#include "storage/spin.h"

/*
 * When a database last rang its doorbell, and the latest ring whose commit
 * has ended: the ring is in flight while the two differ.
 */
#define DOORBELL_SLOTS 128

typedef struct DoorbellSlot
{
	Oid			database;
	pg_atomic_uint64 last_ring;
	pg_atomic_uint64 rung;
} DoorbellSlot;

typedef struct DoorbellShared
{
	slock_t		mutex;			/* claiming a slot */
	DoorbellSlot slots[DOORBELL_SLOTS];
} DoorbellShared;

/* NULL unless kyc_events is preloaded: then every commit rings. */
static DoorbellShared *doorbell_shared = NULL;

static bool doorbell_pending = false;
static SubTransactionId doorbell_oldest_subid = InvalidSubTransactionId;

/* This backend's ring in flight: undone if its commit aborts. */
static DoorbellSlot *doorbell_slot = NULL;
static uint64 doorbell_rang_at = 0;
static uint64 doorbell_previous = 0;

/* Ask for the throttle's shared memory; called from the shmem request hook. */
void
KycDoorbellShmemRequest(void)
{
	RequestAddinShmemSpace(MAXALIGN(sizeof(DoorbellShared)));
}

/* Create or attach to it; called under AddinShmemInitLock at shmem startup. */
void
KycDoorbellShmemInit(void)
{
	bool		found;

	doorbell_shared = ShmemInitStruct("kyc_events doorbells", sizeof(DoorbellShared), &found);
	if (!found)
	{
		memset(doorbell_shared, 0, sizeof(DoorbellShared));
		SpinLockInit(&doorbell_shared->mutex);
	}
}

/* This database's doorbell slot, claimed on first use; NULL if all are taken. */
static DoorbellSlot *
DoorbellSlotFor(Oid database)
{
	int			start = database % DOORBELL_SLOTS;
	int			i;
	DoorbellSlot *slot = NULL;

	for (i = 0; i < DOORBELL_SLOTS; i++)
	{
		DoorbellSlot *s = &doorbell_shared->slots[(start + i) % DOORBELL_SLOTS];

		if (s->database == database)
			return s;
		if (s->database == InvalidOid)
			break;
	}
	SpinLockAcquire(&doorbell_shared->mutex);
	for (i = 0; i < DOORBELL_SLOTS && slot == NULL; i++)
	{
		DoorbellSlot *s = &doorbell_shared->slots[(start + i) % DOORBELL_SLOTS];

		if (s->database == database || s->database == InvalidOid)
		{
			s->database = database;
			slot = s;
		}
	}
	SpinLockRelease(&doorbell_shared->mutex);
	return slot;
}

/*
 * Should this commit ring the doorbell?  Yes, unless this database's last
 * ring is younger than kyc_events.doorbell_interval and its commit is still
 * under way.  NOTIFY serialises commits on a cluster-wide lock held through
 * the commit: a second ring now would wait for that commit to end, and the
 * ring in flight wakes the relay anyway when it does.  The relay then drains
 * the outbox and reads it again shortly after (RELAY_TAIL_READ_MS), so a
 * skipped commit that lands after its read is delivered too.  A database
 * whose last ring has committed is quiet: its next commit rings at once,
 * however soon, so a steady stream of one-at-a-time commits waits for no
 * doorbell but its own; only overlapping commits, a burst, skip.
 */
static bool
DoorbellDue(void)
{
	DoorbellSlot *slot;
	uint64		now;
	uint64		last;

	if (kyc_doorbell_interval <= 0 || doorbell_shared == NULL)
		return true;
	slot = DoorbellSlotFor(MyDatabaseId);
	if (slot == NULL)
		return true;
	now = (uint64) GetCurrentTimestamp();
	last = pg_atomic_read_u64(&slot->last_ring);
	/* A ring in the future means the clock stepped back: ring. */
	if (now < last + (uint64) kyc_doorbell_interval * 1000 && last <= now &&
		pg_atomic_read_u64(&slot->rung) != last)
		return false;
	if (!pg_atomic_compare_exchange_u64(&slot->last_ring, &last, now))
		return false;			/* another commit rang just now */
	doorbell_slot = slot;
	doorbell_rang_at = now;
	doorbell_previous = last;
	return true;
}

/*
 * The commit that rang has aborted after all (its NOTIFY is never sent):
 * put the previous ring time back, so the next commits do not skip theirs.
 */
static void
DoorbellAborted(void)
{
	uint64		expected = doorbell_rang_at;

	if (doorbell_slot != NULL)
		pg_atomic_compare_exchange_u64(&doorbell_slot->last_ring, &expected, doorbell_previous);
	doorbell_slot = NULL;
}

/*
 * The commit that rang has committed, and its NOTIFY goes out now: the
 * database is quiet again unless a later ring is in flight.  rung only
 * moves forward, so an older ring ending late cannot hide a newer one.
 */
static void
DoorbellCommitted(void)
{
	uint64		seen;

	if (doorbell_slot == NULL)
		return;
	seen = pg_atomic_read_u64(&doorbell_slot->rung);
	while (seen < doorbell_rang_at &&
		   !pg_atomic_compare_exchange_u64(&doorbell_slot->rung, &seen, doorbell_rang_at))
		;
	doorbell_slot = NULL;
}

/* Queue the NOTIFY at pre-commit; forget the mark at every transaction end. */
static void
DoorbellXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (doorbell_pending && DoorbellDue())
				Async_Notify(KYC_EVENTS_CHANNEL, NULL);
			doorbell_pending = false;
			break;
		case XACT_EVENT_COMMIT:
			DoorbellCommitted();
			break;
		case XACT_EVENT_ABORT:
			DoorbellAborted();
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
