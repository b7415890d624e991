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
 * the source batch by batch until the source has nothing more to read
 * (drain.c), each step in a transaction of its own (relay_xact.c).
 */
#include "relay.h"

#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

PGDLLEXPORT void kyc_events_relay_main(Datum arg);

/*
 * The first read after a drain that moved.  A commit skips its doorbell
 * only while the ring that woke us is still committing (doorbell.c),
 * so it lands about one commit after our read: 1 ms, then doubling.
 */
#define RELAY_TAIL_READ_MS 1

static MemoryContext relay_context = NULL;	/* sources and subscriptions */
static MemoryContext loop_context = NULL;	/* reset every loop */
static List *sources = NIL;
static uint64 loaded_generation = 0;

/* Close a source's connection and schedule a reconnect with backoff. */
void
RelayDropConnection(RelaySource *src, const char *why)
{
	ListCell   *lc;

	RelaySourceDisconnect(src->conn);
	src->conn = NULL;
	src->next_connect = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													RelayBackoffMs(250, src->connect_failures++, 30000));
	foreach(lc, src->subs)
		RelayRecordState(((RelaySub *) lfirst(lc))->name, "disconnected", why);
}

/* Connect, LISTEN, and make sure each consumer is registered at the source. */
static void
ConnectSourceStep(void *arg)
{
	RelaySource *src = arg;
	ListCell   *lc;

	src->conn = RelaySourceConnect(src->conninfo, "kyc_events relay");
	RelaySourceCommand(src->conn, "LISTEN kyc_events", 0, NULL);
	foreach(lc, src->subs)
	{
		const char *params[1] = {((RelaySub *) lfirst(lc))->consumer};

		RelaySourceCommand(src->conn, "SELECT kyc_events.register_consumer($1)", 1, params);
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
		RelayDropConnection(src, error);
		return;
	}
	src->connect_failures = 0;
	src->wake = true;
	error = RelayTry(ReconnectedStep, src);
	if (error)
		ereport(LOG, (errmsg("kyc_events relay: could not record a reconnect: %s", error)));
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
		RelaySourceDisconnect(((RelaySource *) lfirst(lc))->conn);
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
			sub->consumer = RelayConsumerName(sub->name);
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
			RelayDropConnection(src, why);
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
	 * PGC_S_OVERRIDE it is also what RESET restores, and a handler's own SET
	 * search_path clause still applies while it runs.
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
				RelayAcknowledgeDue(lfirst(lc), true);
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
			if (!RelayAcknowledgeDue(src, false) || !src->wake)
				continue;
			src->wake = false;
			moved = src->rang;
			src->rang = false;
			foreach(sc, src->subs)
			{
				int			processed = RelayDrainSubscription(src, lfirst(sc));

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
