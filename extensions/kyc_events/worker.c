/*
 * worker.c
 *		The relay worker: delivers the events of every subscription of one
 *		database.
 *
 * The launcher (launcher.c) keeps one relay worker running per database
 * named in kyc_events.databases.  A relay worker holds one libpq
 * connection per source, LISTENing on the kyc_events doorbell, and waits
 * on its latch and every source socket in one WaitEventSet.  Woken by a
 * doorbell, by kyc_events.poll_interval (a NOTIFY sent while disconnected
 * is lost), or by a subscription change, it drains each subscription of
 * the source batch by batch until the source has nothing more to read.
 */
#include "relay.h"

#include "access/xact.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

PGDLLEXPORT void kyc_events_relay_main(Datum arg);

/*
 * The first read after a drain that moved.  A commit skips its doorbell
 * only while the ring that woke us is still committing (doorbell.c),
 * so it lands about one commit after our read: 1 ms, then doubling.
 */
#define RELAY_TAIL_READ_MS 1

/*
 * How long an acknowledgement may wait.  It only lets the source prune, so
 * the worker sends it at most this often rather than after every drain:
 * one round trip and one source commit fewer for each doorbell.
 */
#define RELAY_ACK_DELAY_MS 100

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
	RelayLag	lag;			/* lag measurements and stall reports */
	RelayPosition ack;			/* applied, to acknowledge at the source */
	TimestampTz ack_at;			/* when; 0 if nothing waits */
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
	int			connect_failures;	/* in a row, for backoff */
	List	   *subs;
} RelaySource;

static MemoryContext relay_context = NULL;	/* sources and subscriptions */
static MemoryContext loop_context = NULL;	/* reset every loop */
static List *sources = NIL;
static uint64 loaded_generation = 0;

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
void
RelayBeginWork(const char *what)
{
	StartWork(what);
	KycSpiConnect();
}

/* Finish SPI, and commit. */
void
RelayEndWork(void)
{
	SPI_finish();
	FinishWork();
}

/* Close a source's connection and schedule a reconnect with backoff. */
static void
DropConnection(RelaySource *src, const char *why)
{
	ListCell   *lc;

	SourceDisconnect(src->conn);
	src->conn = NULL;
	src->next_connect = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													RelayBackoffMs(250, src->connect_failures++, 30000));
	foreach(lc, src->subs)
		RelayRecordState(((RelaySub *) lfirst(lc))->name, "disconnected", why);
}

/*
 * Run step(arg), catching any error: log nothing, abort the transaction if
 * one is open, and return the message (NULL on success).  A function rather
 * than a macro, so no caller's locals live across the longjmp.
 */
char *
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
	ListCell   *lc;

	RelayBeginWork("kyc_events relay: record state");
	foreach(lc, src->subs)
		RelayClearState(((RelaySub *) lfirst(lc))->name, "disconnected");
	RelayEndWork();
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
	src->connect_failures = 0;
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
	SourceCommand(src->conn, "SELECT kyc_events.ack($1, $2, $3)", 3, params);
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
static bool
AcknowledgeDue(RelaySource *src, bool all)
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
			DropConnection(src, error);
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
 * letter.  The position reached is acknowledged within RELAY_ACK_DELAY_MS
 * (AcknowledgeDue).  Returns how many events the cursor moved past, or -1
 * if the connection failed.
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
			RelayRecordState(sub->name, "error", error);
			return total;
		}
		if (error)
		{
			bool		same = result.failed.xid == sub->failed.xid && result.failed.id == sub->failed.id;

			sub->attempts = same ? sub->attempts + 1 : 1;
			sub->failed = result.failed;
			sub->error = MemoryContextStrdup(relay_context, error);
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
	loaded_generation = RelayWorkerGeneration();

	RelayBeginWork("kyc_events relay: load subscriptions");
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
	RelayEndWork();
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

		/* A doorbell collected after a drain: drain again at once. */
		if (src->conn && src->wake)
			return 0;
		due = Min(due, src->conn ? src->next_poll : src->next_connect);
		foreach(sc, src->subs)
		{
			RelaySub   *sub = lfirst(sc);

			if (sub->attempts > 0 && src->conn != NULL)
				due = Min(due, sub->retry_at);
			if (sub->ack_at != 0 && src->conn != NULL)
				due = Min(due, sub->ack_at);
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
	RelayClaimSlot();
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
		if (RelayWorkerGeneration() != loaded_generation)
		{
			char	   *error;

			/* Reloading drops the connections: acknowledge first. */
			foreach(lc, sources)
				if (((RelaySource *) lfirst(lc))->conn != NULL)
					AcknowledgeDue(lfirst(lc), true);
			error = RelayTry(LoadSubscriptions, NULL);

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
			if (!AcknowledgeDue(src, false) || !src->wake)
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

			/*
			 * Doorbells that arrived while our own queries ran: NextTimeout
			 * then lets this loop drain again at once, not at the next read.
			 */
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
