/*
 * relay_shared.c
 *		The relay's shared memory: which relay workers run, the
 *		subscription generations that wake them, and the doorbell throttle.
 *
 * A subscription change bumps, at commit, the generation of each relay
 * worker of its database (which then reloads) and the cluster's (which
 * tells the launcher a database may have appeared).  Each database also
 * has the time of its last doorbell and whether that ring's commit has
 * ended, for kyc_events.doorbell_interval.
 */
#include "relay.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/timestamp.h"

/*
 * Shared state: who the relay workers are, and subscription generations:
 * one per worker, bumped by changes in its database, and one for the
 * cluster, which tells the launcher a database may have appeared.
 */
typedef struct RelayWorkerSlot
{
	pid_t		pid;
	Oid			database;
	Latch	   *latch;
	uint64		generation;		/* under mutex */
} RelayWorkerSlot;

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

typedef struct RelayShared
{
	slock_t		mutex;
	pg_atomic_uint64 generation;
	Latch	   *launcher_latch;	/* woken by subscription changes too */
	RelayWorkerSlot slots[RELAY_MAX_WORKERS];
	DoorbellSlot doorbells[DOORBELL_SLOTS];
} RelayShared;

static RelayShared *relay_shared = NULL;

/* This backend's ring in flight: undone if its commit aborts. */
static struct DoorbellSlot *doorbell_slot = NULL;
static uint64 doorbell_rang_at = 0;
static uint64 doorbell_previous = 0;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;
static bool subscriptions_changed = false;

/* Ask for the shared state; called from the shmem request hook. */
void
RelayShmemRequest(void)
{
	RequestAddinShmemSpace(MAXALIGN(sizeof(RelayShared)));
}

/* Create or attach to the shared state. */
static void
RelayShmemStartupHook(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	relay_shared = ShmemInitStruct("kyc_events relay", sizeof(RelayShared), &found);
	if (!found)
	{
		memset(relay_shared, 0, sizeof(RelayShared));
		SpinLockInit(&relay_shared->mutex);
		pg_atomic_init_u64(&relay_shared->generation, 1);
	}
	LWLockRelease(AddinShmemInitLock);
}

/* Install the startup hook. */
void
RelayShmemStartup(void)
{
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = RelayShmemStartupHook;
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
		DoorbellSlot *s = &relay_shared->doorbells[(start + i) % DOORBELL_SLOTS];

		if (s->database == database)
			return s;
		if (s->database == InvalidOid)
			break;
	}
	SpinLockAcquire(&relay_shared->mutex);
	for (i = 0; i < DOORBELL_SLOTS && slot == NULL; i++)
	{
		DoorbellSlot *s = &relay_shared->doorbells[(start + i) % DOORBELL_SLOTS];

		if (s->database == database || s->database == InvalidOid)
		{
			s->database = database;
			slot = s;
		}
	}
	SpinLockRelease(&relay_shared->mutex);
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
bool
RelayDoorbellDue(void)
{
	DoorbellSlot *slot;
	uint64		now;
	uint64		last;

	if (kyc_doorbell_interval <= 0 || relay_shared == NULL)
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
void
RelayDoorbellAborted(void)
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
void
RelayDoorbellCommitted(void)
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

/*
 * At commit of a subscription change, wake this database's relay worker to
 * reload, and the launcher, in case the worker is not running yet.
 */
static void
SubscriptionsXactCallback(XactEvent event, void *arg)
{
	int			i;

	if (event == XACT_EVENT_COMMIT && subscriptions_changed && relay_shared != NULL)
	{
		pg_atomic_fetch_add_u64(&relay_shared->generation, 1);
		SpinLockAcquire(&relay_shared->mutex);
		for (i = 0; i < RELAY_MAX_WORKERS; i++)
			if (relay_shared->slots[i].latch != NULL &&
				relay_shared->slots[i].database == MyDatabaseId)
			{
				relay_shared->slots[i].generation++;
				SetLatch(relay_shared->slots[i].latch);
			}
		if (relay_shared->launcher_latch != NULL)
			SetLatch(relay_shared->launcher_latch);
		SpinLockRelease(&relay_shared->mutex);
	}
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PREPARE)
		subscriptions_changed = false;
}

/* Note that this transaction changed subscriptions; workers reload at commit. */
void
RelaySubscriptionsChanged(void)
{
	static bool registered = false;

	if (!registered)
	{
		RegisterXactCallback(SubscriptionsXactCallback, NULL);
		registered = true;
	}
	subscriptions_changed = true;
}

static RelayWorkerSlot *my_slot = NULL;

/* Give the slot back on exit. */
static void
ReleaseSlot(int code, Datum arg)
{
	int			i;

	SpinLockAcquire(&relay_shared->mutex);
	for (i = 0; i < RELAY_MAX_WORKERS; i++)
		if (relay_shared->slots[i].pid == MyProcPid)
		{
			relay_shared->slots[i].pid = 0;
			relay_shared->slots[i].database = InvalidOid;
			relay_shared->slots[i].latch = NULL;
		}
	SpinLockRelease(&relay_shared->mutex);
}

/*
 * Take a slot, so subscription changes can wake this worker; it is given
 * back when the worker exits.
 */
void
RelayClaimSlot(void)
{
	int			i;

	SpinLockAcquire(&relay_shared->mutex);
	for (i = 0; i < RELAY_MAX_WORKERS && my_slot == NULL; i++)
		if (relay_shared->slots[i].pid == 0)
		{
			my_slot = &relay_shared->slots[i];
			my_slot->pid = MyProcPid;
			my_slot->database = MyDatabaseId;
			my_slot->latch = MyLatch;
			my_slot->generation = 1;
		}
	SpinLockRelease(&relay_shared->mutex);
	if (my_slot == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("too many kyc_events relay workers"),
				 errdetail("At most %d databases can be listed in kyc_events.databases.",
						   RELAY_MAX_WORKERS)));
	before_shmem_exit(ReleaseSlot, (Datum) 0);
}

/* This worker's subscription generation. */
uint64
RelayWorkerGeneration(void)
{
	uint64		generation;

	SpinLockAcquire(&relay_shared->mutex);
	generation = my_slot->generation;
	SpinLockRelease(&relay_shared->mutex);
	return generation;
}

/* The cluster's subscription generation: it moves when a database may have appeared. */
uint64
RelayClusterGeneration(void)
{
	return pg_atomic_read_u64(&relay_shared->generation);
}

/* Whether kyc_events was preloaded, so a launcher keeps relay workers at all. */
bool
RelayPreloaded(void)
{
	return relay_shared != NULL;
}

/* Make this process the launcher that subscription changes wake. */
void
RelaySetLauncherLatch(void)
{
	SpinLockAcquire(&relay_shared->mutex);
	relay_shared->launcher_latch = MyLatch;
	SpinLockRelease(&relay_shared->mutex);
}
