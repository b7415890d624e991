/*
 * relay_shared.c
 *		The relay's shared memory: which relay workers run, and the
 *		subscription generations that wake them.
 *
 * A subscription change bumps, at commit, the generation of each relay
 * worker of its database (which then reloads) and the cluster's (which
 * tells the launcher a database may have appeared).  The doorbell
 * throttle keeps its own shared memory, in doorbell.c.
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

typedef struct RelayShared
{
	slock_t		mutex;
	pg_atomic_uint64 generation;
	Latch	   *launcher_latch; /* woken by subscription changes too */
	RelayWorkerSlot slots[RELAY_MAX_WORKERS];
} RelayShared;

static RelayShared *relay_shared = NULL;

static bool subscriptions_changed = false;

/* Ask for the shared state; called from the shmem request hook. */
void
RelayShmemRequest(void)
{
	RequestAddinShmemSpace(MAXALIGN(sizeof(RelayShared)));
}

/* Create or attach to the shared state; called under AddinShmemInitLock at shmem startup. */
void
RelayShmemInit(void)
{
	bool		found;

	relay_shared = ShmemInitStruct("kyc_events relay", sizeof(RelayShared), &found);
	if (!found)
	{
		memset(relay_shared, 0, sizeof(RelayShared));
		SpinLockInit(&relay_shared->mutex);
		pg_atomic_init_u64(&relay_shared->generation, 1);
	}
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
