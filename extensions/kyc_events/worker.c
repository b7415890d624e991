/*
 * worker.c
 *		The relay's background workers.
 *
 * A launcher, registered when kyc_events is preloaded, keeps one relay
 * worker running per database named in kyc_events.databases.  A relay
 * worker holds one libpq connection per source, LISTENing on the
 * kyc_events doorbell, and waits on its latch and every source socket in
 * one WaitEventSet.  Woken by a doorbell, by kyc_events.poll_interval (a
 * NOTIFY sent while disconnected is lost), or by a subscription change, it
 * drains each subscription of the source batch by batch until the source
 * has nothing more to read.
 */
#include "relay.h"

#include "access/xact.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/varlena.h"

PGDLLEXPORT void kyc_events_launcher_main(Datum arg);
PGDLLEXPORT void kyc_events_relay_main(Datum arg);

#define RELAY_MAX_WORKERS 64

/* The read after a drain: twice the doorbell interval, plus time to commit. */
#define RELAY_TAIL_READ_MS (2 * Max(kyc_doorbell_interval, 0) + 5)

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

/* When a database last rang its doorbell, for kyc_events.doorbell_interval. */
#define DOORBELL_SLOTS 128

typedef struct DoorbellSlot
{
	Oid			database;
	pg_atomic_uint64 last_ring;
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

/* A subscription as the worker tracks it between batches. */
typedef struct RelaySub
{
	char	   *name;
	char	   *consumer;
	char	   *topics;			/* text[] in text form, for backlog() */
	int			attempts;		/* failures of the event at the head */
	RelayPosition failed;		/* that event */
	char	   *error;			/* and its last error */
	TimestampTz retry_at;
	TimestampTz lag_at;			/* next lag measurement */
} RelaySub;

/* A source database and the subscriptions reading it. */
typedef struct RelaySource
{
	char	   *conninfo;
	PGconn	   *conn;
	bool		wake;			/* a doorbell rang, or it is time to poll */
	bool		rang;			/* the doorbell rang since the last drain */
	int			tail_ms;		/* delay of the next read after a drain */
	TimestampTz next_poll;
	TimestampTz next_connect;
	int			backoff_ms;
	List	   *subs;
} RelaySource;

typedef void (*RelayStep) (void *arg);
static char *RelayTry(RelayStep step, void *arg);

static MemoryContext relay_context = NULL;	/* sources and subscriptions */
static MemoryContext loop_context = NULL;	/* reset every loop */
static List *sources = NIL;
static uint64 loaded_generation = 0;

/* ---------- shared memory ---------- */

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
 * Should this commit ring the doorbell?  Yes, unless this database rang
 * less than kyc_events.doorbell_interval ago: NOTIFY serialises commits on
 * a cluster-wide lock, and a relay woken by that ring drains the outbox and
 * reads it once more a little later (see RELAY_TAIL_READ), so the skipped
 * ring's events are delivered anyway.
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
	if (now < last + (uint64) kyc_doorbell_interval * 1000 && last <= now)
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

/* The commit that rang has committed. */
void
RelayDoorbellCommitted(void)
{
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

/* Take a slot, so subscription changes can wake this worker. */
static void
ClaimSlot(void)
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
}

/* This worker's subscription generation. */
static uint64
MyGeneration(void)
{
	uint64		generation;

	SpinLockAcquire(&relay_shared->mutex);
	generation = my_slot->generation;
	SpinLockRelease(&relay_shared->mutex);
	return generation;
}

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

/* ---------- launcher ---------- */

/* Register the launcher; only possible while shared_preload_libraries loads. */
void
RelayRegisterLauncher(void)
{
	BackgroundWorker worker = {0};

	worker.bgw_flags = BGWORKER_SHMEM_ACCESS;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 10;
	strlcpy(worker.bgw_library_name, "kyc_events", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "kyc_events_launcher_main", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "kyc_events launcher", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "kyc_events launcher", BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

typedef struct LaunchedWorker
{
	char		dbname[NAMEDATALEN];
	BackgroundWorkerHandle *handle;
	TimestampTz restart_at;
	int			failures;		/* exits in a row, for backoff */
	bool		wanted;
} LaunchedWorker;

/* Start a relay worker for dbname; NULL if no slot is free now. */
static BackgroundWorkerHandle *
StartRelayWorker(const char *dbname)
{
	BackgroundWorker worker = {0};
	BackgroundWorkerHandle *handle;

	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;	/* the launcher restarts it */
	strlcpy(worker.bgw_library_name, "kyc_events", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "kyc_events_relay_main", BGW_MAXLEN);
	snprintf(worker.bgw_name, BGW_MAXLEN, "kyc_events relay %s", dbname);
	strlcpy(worker.bgw_type, "kyc_events relay", BGW_MAXLEN);
	strlcpy(worker.bgw_extra, dbname, BGW_EXTRALEN);
	worker.bgw_notify_pid = MyProcPid;
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		return NULL;
	return handle;
}

/* Launcher: keep one relay worker per database in kyc_events.databases. */
void
kyc_events_launcher_main(Datum arg)
{
	LaunchedWorker *workers = palloc0(sizeof(LaunchedWorker) * RELAY_MAX_WORKERS);
	int			nworkers = 0;
	uint64		generation = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	SpinLockAcquire(&relay_shared->mutex);
	relay_shared->launcher_latch = MyLatch;
	SpinLockRelease(&relay_shared->mutex);

	for (;;)
	{
		char	   *list;
		List	   *names = NIL;
		ListCell   *lc;
		TimestampTz now = GetCurrentTimestamp();
		int			i;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		list = pstrdup(kyc_relay_databases ? kyc_relay_databases : "");
		if (!SplitIdentifierString(list, ',', &names))
		{
			ereport(LOG, (errmsg("kyc_events.databases is not a valid list of database names")));
			names = NIL;
		}
		for (i = 0; i < nworkers; i++)
			workers[i].wanted = false;
		foreach(lc, names)
		{
			char	   *dbname = lfirst(lc);

			for (i = 0; i < nworkers; i++)
				if (strcmp(workers[i].dbname, dbname) == 0)
					break;
			if (i == nworkers && nworkers < RELAY_MAX_WORKERS)
			{
				memset(&workers[i], 0, sizeof(LaunchedWorker));
				strlcpy(workers[i].dbname, dbname, NAMEDATALEN);
				nworkers++;
			}
			if (i < nworkers)
				workers[i].wanted = true;
		}

		/* A subscription changed somewhere: a database may exist now. */
		if (pg_atomic_read_u64(&relay_shared->generation) != generation)
		{
			generation = pg_atomic_read_u64(&relay_shared->generation);
			for (i = 0; i < nworkers; i++)
				workers[i].restart_at = 0;
		}

		for (i = 0; i < nworkers; i++)
		{
			LaunchedWorker *w = &workers[i];
			pid_t		pid;
			BgwHandleStatus status = w->handle ? GetBackgroundWorkerPid(w->handle, &pid) : BGWH_STOPPED;

			if (status == BGWH_STARTED && now >= w->restart_at)
				w->failures = 0;	/* it has kept running: forget past exits */
			if (!w->wanted && status != BGWH_STOPPED)
				TerminateBackgroundWorker(w->handle);
			else if (w->wanted && status == BGWH_STOPPED && now >= w->restart_at)
			{
				if (w->handle != NULL)
					pfree(w->handle);
				w->handle = StartRelayWorker(w->dbname);
				/* A worker that exits again (no such database, ...) backs off to a minute. */
				w->restart_at = TimestampTzPlusMilliseconds(now, 1000L << Min(w->failures, 6));
				w->failures++;
			}
		}
		pfree(list);
		list_free(names);

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 5000, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/* ---------- relay worker ---------- */

/*
 * Start a worker transaction with a snapshot.  A background worker gets no
 * statement messages, so the statement start time is set here, as
 * PostgreSQL's own workers do: otherwise now() in every transaction, and in
 * every handler, would be the moment the worker started.
 */
static void
StartWork(const char *what)
{
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, what);
}

/* Commit it, and go back to the loop's memory context. */
static void
FinishWork(void)
{
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	MemoryContextSwitchTo(loop_context);
}

/* Start a worker transaction with SPI. */
static void
BeginWork(const char *what)
{
	StartWork(what);
	KycSpiConnect();
}

/* Finish SPI, and commit. */
static void
EndWork(void)
{
	SPI_finish();
	FinishWork();
}

/* Record a subscription's state and last error, in its own transaction. */
static void
RecordStateNow(const char *name, const char *state, const char *error)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];
	char		nulls[3] = {' ', ' ', error ? ' ' : 'n'};

	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(state);
	values[2] = error ? CStringGetTextDatum(error) : (Datum) 0;
	BeginWork("kyc_events relay: record state");
	KycSavedPlan(&plan,
				 "UPDATE kyc_events.subscription SET state = $2, "
				 "last_error = COALESCE($3, last_error), "
				 "last_error_at = CASE WHEN $3 IS NULL THEN last_error_at ELSE pg_catalog.now() END "
				 "WHERE name OPERATOR(pg_catalog.=) $1", 3, argtypes);
	SPI_execute_plan(plan, values, nulls, false, 0);
	EndWork();
}

typedef struct RecordStateArgs
{
	const char *name;
	const char *state;
	const char *error;
} RecordStateArgs;

/* Step: RecordStateNow. */
static void
RecordStateStep(void *arg)
{
	RecordStateArgs *a = arg;

	RecordStateNow(a->name, a->state, a->error);
}

/* Record a subscription's state; a failure to record is logged, never fatal. */
static void
RecordState(const char *name, const char *state, const char *error)
{
	RecordStateArgs args = {name, state, error};
	char	   *failure = RelayTry(RecordStateStep, &args);

	if (failure)
		ereport(LOG, (errmsg("kyc_events relay: could not record state of subscription %s: %s",
							 name, failure)));
}

/* Close a source's connection and schedule a reconnect with backoff. */
static void
DropConnection(RelaySource *src, const char *why)
{
	ListCell   *lc;

	SourceDisconnect(src->conn);
	src->conn = NULL;
	src->backoff_ms = Min(Max(src->backoff_ms * 2, 250), 30000);
	src->next_connect = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), src->backoff_ms);
	foreach(lc, src->subs)
		RecordState(((RelaySub *) lfirst(lc))->name, "disconnected", why);
}

/*
 * Run step(arg), catching any error: log nothing, abort the transaction if
 * one is open, and return the message (NULL on success).  A function rather
 * than a macro, so no caller's locals live across the longjmp.
 */
static char *
RelayTry(RelayStep step, void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	char	   *volatile error = NULL;

	PG_TRY();
	{
		step(arg);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		pgstat_report_activity(STATE_IDLE, NULL);
		MemoryContextSwitchTo(cxt);
		error = edata->detail ? psprintf("%s: %s", edata->message, edata->detail)
			: pstrdup(edata->message);
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return error;
}

/* Connect, LISTEN, and make sure each consumer is registered at the source. */
static void
ConnectSourceStep(void *arg)
{
	RelaySource *src = arg;
	ListCell   *lc;

	src->conn = SourceConnect(src->conninfo, "kyc_events relay");
	SourceCommand(src->conn, "LISTEN kyc_events", 0, NULL);
	foreach(lc, src->subs)
	{
		const char *params[1] = {((RelaySub *) lfirst(lc))->consumer};

		SourceCommand(src->conn, "SELECT kyc_events.register_consumer($1)", 1, params);
	}
}

/*
 * Step: the source is reachable again, so its subscriptions are no longer
 * disconnected.  Other states (an error of the handler, say) stay until a
 * batch says otherwise.
 */
static void
ReconnectedStep(void *arg)
{
	RelaySource *src = arg;
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	ListCell   *lc;

	BeginWork("kyc_events relay: record state");
	KycSavedPlan(&plan,
				 "UPDATE kyc_events.subscription "
				 "SET state = 'streaming', last_error = NULL, last_error_at = NULL "
				 "WHERE name OPERATOR(pg_catalog.=) $1 "
				 "AND state OPERATOR(pg_catalog.=) 'disconnected'", 1, argtypes);
	foreach(lc, src->subs)
	{
		Datum		values[1] = {CStringGetTextDatum(((RelaySub *) lfirst(lc))->name)};

		if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "subscription state update failed");
	}
	EndWork();
}

/*
 * Connect to a source.  A refused or failed connection (no CONNECT right,
 * a wrong host, a source that is down) is recorded in every subscription
 * of the source, and retried with backoff.
 */
static void
ConnectSource(RelaySource *src)
{
	char	   *error = RelayTry(ConnectSourceStep, src);

	if (error)
	{
		ereport(LOG, (errmsg("kyc_events relay: %s", error)));
		DropConnection(src, error);
		return;
	}
	src->backoff_ms = 0;
	src->wake = true;
	error = RelayTry(ReconnectedStep, src);
	if (error)
		ereport(LOG, (errmsg("kyc_events relay: could not record a reconnect: %s", error)));
}

/* Arguments of the steps below. */
typedef struct RelayStepArgs
{
	RelaySource *src;
	RelaySub   *sub;
	RelayPosition position;
	int			max_events;
	bool		dead;
	RelayResult *result;
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
	SourceCommand(src->conn, "SELECT kyc_events.ack($1, $2, $3)", 3, params);
}

/* Measure how far behind sub is and store it, at most once a second. */
static void
MeasureLag(RelaySource *src, RelaySub *sub)
{
	static SPIPlanPtr cursor_plan = NULL;
	static SPIPlanPtr lag_plan = NULL;
	Oid			argtypes[3] = {TEXTOID, INT8OID, TEXTOID};
	Datum		values[3] = {CStringGetTextDatum(sub->name)};
	char		nulls[3] = {' ', ' ', ' '};
	const char *params[3];
	PGresult   *res;
	TimestampTz now = GetCurrentTimestamp();

	if (now < sub->lag_at)
		return;
	sub->lag_at = TimestampTzPlusMilliseconds(now, 1000);
	BeginWork("kyc_events relay: measure lag");
	KycSavedPlan(&cursor_plan, "SELECT last_xid::pg_catalog.text, last_id::pg_catalog.text "
				 "FROM kyc_events.subscription WHERE name OPERATOR(pg_catalog.=) $1",
				 1, argtypes);
	if (SPI_execute_plan(cursor_plan, values, NULL, true, 1) != SPI_OK_SELECT || SPI_processed == 0)
	{
		EndWork();
		return;
	}
	params[0] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	params[1] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	params[2] = sub->topics;
	res = SourceQuery(src->conn, "SELECT events, oldest FROM kyc_events.backlog($1, $2, $3)",
					  3, params);
	values[1] = Int64GetDatum(strtoi64(PQgetvalue(res, 0, 0), NULL, 10));
	nulls[2] = PQgetisnull(res, 0, 1) ? 'n' : ' ';
	values[2] = nulls[2] == 'n' ? (Datum) 0 : CStringGetTextDatum(PQgetvalue(res, 0, 1));
	PQclear(res);
	KycSavedPlan(&lag_plan,
				 "UPDATE kyc_events.subscription SET lag_events = $2, "
				 "lag_oldest = $3::pg_catalog.timestamptz, lag_measured_at = pg_catalog.now() "
				 "WHERE name OPERATOR(pg_catalog.=) $1", 3, argtypes);
	SPI_execute_plan(lag_plan, values, nulls, false, 0);
	EndWork();
}

/* Step: Acknowledge. */
static void
AcknowledgeStep(void *arg)
{
	RelayStepArgs *a = arg;

	Acknowledge(a->src, a->sub, a->position);
}

/* Step: MeasureLag. */
static void
MeasureLagStep(void *arg)
{
	RelayStepArgs *a = arg;

	MeasureLag(a->src, a->sub);
}

/* Step: one batch in its own transaction. */
static void
BatchStep(void *arg)
{
	RelayStepArgs *a = arg;

	StartWork("kyc_events relay: batch");
	RelayBatch(a->src->conn, a->sub->name, a->max_events, a->dead ? a->sub->error : NULL,
			   a->sub->failed, a->sub->attempts, a->result);
	FinishWork();
}

/*
 * Drain one subscription: batch after batch, each applied with its cursor
 * in one local transaction, until the source has nothing more to read.  A
 * handler error leaves the event at the head: it is retried alone, with
 * exponential backoff, and after kyc_events.max_attempts becomes a dead
 * letter.  Returns how many events the cursor moved past, or -1 if the
 * connection failed.
 */
static int
DrainSubscription(RelaySource *src, RelaySub *sub)
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
			if (!SourceUsable(src->conn))
			{
				DropConnection(src, error);
				return -1;
			}
			RecordState(sub->name, "error", error);
			return total;
		}
		if (error)
		{
			bool		same = result.failed.xid == sub->failed.xid && result.failed.id == sub->failed.id;

			sub->attempts = same ? sub->attempts + 1 : 1;
			sub->failed = result.failed;
			sub->error = MemoryContextStrdup(relay_context, error);
			sub->retry_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														Min((int64) kyc_relay_retry_interval << Min(sub->attempts - 1, 20),
															(int64) 60000));
			ereport(LOG,
					(errmsg("kyc_events relay: subscription %s: handler failed on event " INT64_FORMAT
							" (attempt %d of %d): %s", sub->name, result.failed.id,
							sub->attempts, kyc_relay_max_attempts, error)));
			RecordState(sub->name, "retrying", error);
			break;
		}
		if (!result.found || result.processed == 0)
		{
			/* Gone, disabled or empty: there is no failing event left to retry. */
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
		RelayStepArgs args = {src, sub, reached, 0, false, NULL};
		char	   *error = RelayTry(AcknowledgeStep, &args);

		if (error)
		{
			DropConnection(src, error);
			return -1;
		}
	}
	if (src->conn)
	{
		RelayStepArgs args = {src, sub, reached, 0, false, NULL};
		char	   *error = RelayTry(MeasureLagStep, &args);

		if (error)
		{
			ereport(LOG, (errmsg("kyc_events relay: subscription %s: could not measure lag: %s",
								 sub->name, error)));
			if (!SourceUsable(src->conn))
			{
				DropConnection(src, error);
				return -1;
			}
		}
	}
	return total;
}

/*
 * Build the source list from kyc_events.subscription.  Connections are
 * closed and opened again, so each consumer is registered on connect.
 */
static void
LoadSubscriptions(void *arg)
{
	ListCell   *lc;
	uint64		i;

	foreach(lc, sources)
		SourceDisconnect(((RelaySource *) lfirst(lc))->conn);
	sources = NIL;
	MemoryContextReset(relay_context);
	loaded_generation = MyGeneration();

	BeginWork("kyc_events relay: load subscriptions");
	if (SPI_execute("SELECT 1 WHERE pg_catalog.to_regclass('kyc_events.subscription') IS NOT NULL",
					true, 1) == SPI_OK_SELECT && SPI_processed == 1 &&
		SPI_execute("SELECT name, source, topics::pg_catalog.text FROM kyc_events.subscription "
					"WHERE enabled ORDER BY source, name", true, 0) == SPI_OK_SELECT)
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(relay_context);

		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			char	   *conninfo = SPI_getvalue(tuple, desc, 2);
			RelaySource *src = sources ? llast(sources) : NULL;
			RelaySub   *sub = palloc0(sizeof(RelaySub));

			if (src == NULL || strcmp(src->conninfo, conninfo) != 0)
			{
				src = palloc0(sizeof(RelaySource));
				src->conninfo = conninfo;
				sources = lappend(sources, src);
			}
			sub->name = SPI_getvalue(tuple, desc, 1);
			sub->topics = SPI_getvalue(tuple, desc, 3);
			sub->consumer = ConsumerName(sub->name);
			src->subs = lappend(src->subs, sub);
		}
		MemoryContextSwitchTo(oldcxt);
	}
	EndWork();
}

/* Milliseconds until the earliest moment something is due, capped. */
static long
NextTimeout(void)
{
	TimestampTz now = GetCurrentTimestamp();
	TimestampTz due = TimestampTzPlusMilliseconds(now, kyc_relay_poll_interval);
	ListCell   *lc;

	foreach(lc, sources)
	{
		RelaySource *src = lfirst(lc);
		ListCell   *sc;

		due = Min(due, src->conn ? src->next_poll : src->next_connect);
		foreach(sc, src->subs)
		{
			RelaySub   *sub = lfirst(sc);

			if (sub->attempts > 0 && src->conn != NULL)
				due = Min(due, sub->retry_at);
		}
	}
	return due <= now ? 0 : (long) ((due - now + 999) / 1000);
}

/* Take the doorbells libpq has queued for src. */
static void
CollectNotifications(RelaySource *src)
{
	PGnotify   *notify;

	while ((notify = PQnotifies(src->conn)) != NULL)
	{
		src->wake = true;
		src->rang = true;
		PQfreemem(notify);
	}
}

/* Wait on the latch and every source socket; note doorbells and dead sockets. */
static void
WaitForWork(void)
{
	int			nsources = list_length(sources);
	WaitEventSet *set = CreateWaitEventSet(CurrentMemoryContext, nsources + 2);
	WaitEvent  *events = palloc(sizeof(WaitEvent) * (nsources + 2));
	ListCell   *lc;
	int			n;
	int			i;

	AddWaitEventToSet(set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
	AddWaitEventToSet(set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
	foreach(lc, sources)
	{
		RelaySource *src = lfirst(lc);

		if (src->conn && PQsocket(src->conn) >= 0)
			AddWaitEventToSet(set, WL_SOCKET_READABLE, PQsocket(src->conn), NULL, src);
	}
	n = WaitEventSetWait(set, NextTimeout(), events, nsources + 2, PG_WAIT_EXTENSION);
	for (i = 0; i < n; i++)
	{
		RelaySource *src = events[i].user_data;

		if (events[i].events & WL_LATCH_SET)
			ResetLatch(MyLatch);
		if (src == NULL || !(events[i].events & WL_SOCKET_READABLE) || src->conn == NULL)
			continue;
		if (!PQconsumeInput(src->conn))
		{
			char	   *why = pchomp(PQerrorMessage(src->conn));

			ereport(LOG, (errmsg("kyc_events relay: lost connection to source: %s", why)));
			DropConnection(src, why);
			continue;
		}
		CollectNotifications(src);
	}
	FreeWaitEventSet(set);
	pfree(events);
}

/* Relay worker: deliver events to the subscriptions of one database. */
void
kyc_events_relay_main(Datum arg)
{
	char		dbname[NAMEDATALEN];

	strlcpy(dbname, MyBgworkerEntry->bgw_extra, NAMEDATALEN);
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(dbname, NULL, 0);
	pgstat_report_appname("kyc_events relay");

	/*
	 * Name lookup of this session is pg_catalog's alone, whatever ALTER
	 * DATABASE or ALTER ROLE set: the worker runs as a superuser.  At
	 * PGC_S_OVERRIDE it is also what RESET restores, and a handler's own
	 * SET search_path clause still applies while it runs.
	 */
	SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_OVERRIDE);

	relay_context = AllocSetContextCreate(TopMemoryContext, "kyc_events relay",
										  ALLOCSET_DEFAULT_SIZES);
	loop_context = AllocSetContextCreate(TopMemoryContext, "kyc_events relay loop",
										 ALLOCSET_DEFAULT_SIZES);
	ClaimSlot();
	before_shmem_exit(ReleaseSlot, (Datum) 0);
	ereport(LOG, (errmsg("kyc_events relay started for database \"%s\"", dbname)));

	for (;;)
	{
		ListCell   *lc;
		TimestampTz now;
		bool		moved;

		MemoryContextSwitchTo(loop_context);
		MemoryContextReset(loop_context);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		if (MyGeneration() != loaded_generation)
		{
			char	   *error = RelayTry(LoadSubscriptions, NULL);

			if (error)
			{
				ereport(LOG, (errmsg("kyc_events relay: could not load subscriptions: %s", error)));
				loaded_generation = 0;	/* try again next time round */
			}
		}

		now = GetCurrentTimestamp();
		foreach(lc, sources)
		{
			RelaySource *src = lfirst(lc);
			ListCell   *sc;

			if (src->conn == NULL && now >= src->next_connect)
				ConnectSource(src);
			if (src->conn == NULL)
				continue;
			if (now >= src->next_poll)
				src->wake = true;
			foreach(sc, src->subs)
			{
				RelaySub   *sub = lfirst(sc);

				if (sub->attempts > 0 && now >= sub->retry_at)
					src->wake = true;
			}
			if (!src->wake)
				continue;
			src->wake = false;
			moved = src->rang;
			src->rang = false;
			foreach(sc, src->subs)
			{
				int			processed = DrainSubscription(src, lfirst(sc));

				if (processed < 0 || src->conn == NULL)
					break;
				moved |= processed > 0;
			}
			if (src->conn == NULL)
				continue;

			/* Doorbells that arrived while our own queries ran. */
			CollectNotifications(src);

			/*
			 * After a doorbell or a drain that moved, read again shortly,
			 * then at doubling intervals up to the poll interval: a commit
			 * that skipped its doorbell because of another
			 * (kyc_events.doorbell_interval), or that became readable only
			 * when an older transaction ended, lands after the drain's last
			 * read.
			 */
			src->tail_ms = moved ? RELAY_TAIL_READ_MS : Min(src->tail_ms * 2, kyc_relay_poll_interval);
			src->next_poll = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														 src->tail_ms > 0 ? src->tail_ms : kyc_relay_poll_interval);
		}
		MemoryContextSwitchTo(loop_context);
		WaitForWork();
	}
}
