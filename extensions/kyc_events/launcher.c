/*
 * launcher.c
 *		The relay's launcher: one relay worker per database named in
 *		kyc_events.databases.
 *
 * Registered when kyc_events is preloaded, it starts the workers as
 * dynamic background workers, restarts one that exits with a backoff up to
 * a minute (a database that does not exist yet), stops those no longer
 * listed, and looks again at once when a subscription changes anywhere.
 */
#include "relay.h"

#include "miscadmin.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"
#include "utils/wait_event.h"

PGDLLEXPORT void kyc_events_launcher_main(Datum arg);

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

/*
 * What the launcher knows of one listed database.  An entry whose database
 * is no longer listed is freed once its worker has stopped, so any number
 * of names can come and go over the launcher's lifetime.
 */
typedef struct LaunchedWorker
{
	char		dbname[NAMEDATALEN];	/* empty: the entry is free */
	BackgroundWorkerHandle *handle;
	TimestampTz restart_at;
	int			failures;		/* exits in a row, for backoff */
	bool		wanted;
} LaunchedWorker;

/* Whether names, a list of C strings, holds name. */
static bool
NameListed(List *names, const char *name)
{
	ListCell   *lc;

	foreach(lc, names)
		if (strcmp(lfirst(lc), name) == 0)
		return true;
	return false;
}

/*
 * Split list, a kyc_events.databases value that this overwrites, into
 * database names as connections fold them; the names point into list.  NIL,
 * with *why set, if the launcher cannot use it: it does not parse, a name
 * is empty or too long, or there are more distinct names than relay
 * workers.  A name listed twice is kept once.  Never throws, so the check
 * hook can use it.
 */
static List *
ParseDatabases(char *list, char **why)
{
	char	   *shown = pstrdup(list);	/* both splits overwrite their input */
	char	   *raw = pstrdup(list);
	List	   *raw_names = NIL;
	List	   *names = NIL;
	List	   *distinct = NIL;
	ListCell   *lc;

	*why = NULL;

	/*
	 * SplitIdentifierString truncates long names silently: measure them
	 * unfolded.
	 */
	if (!SplitGUCList(raw, ',', &raw_names) || !SplitIdentifierString(list, ',', &names))
		*why = psprintf("\"%s\" is not a comma-separated list of database names.", shown);
	foreach(lc, raw_names)
	{
		char	   *name = lfirst(lc);

		/* A quoted "" parses, but no database has an empty name. */
		if (*why == NULL && name[0] == '\0')
			*why = pstrdup("A database name is empty.");
		if (*why == NULL && strlen(name) >= NAMEDATALEN)
			*why = psprintf("Database name \"%s\" is longer than %d bytes.",
							name, NAMEDATALEN - 1);
	}

	/*
	 * A name listed twice ("onboarding, Onboarding") has one worker, as
	 * before.
	 */
	foreach(lc, names)
		if (!NameListed(distinct, lfirst(lc)))
		distinct = lappend(distinct, lfirst(lc));
	list_free(names);
	names = distinct;
	if (*why == NULL && list_length(names) > RELAY_MAX_WORKERS)
		*why = psprintf("%d databases are listed; at most %d can have a relay worker.",
						list_length(names), RELAY_MAX_WORKERS);
	list_free(raw_names);
	pfree(raw);
	pfree(shown);
	if (*why != NULL)
	{
		list_free(names);
		return NIL;
	}
	return names;
}

/*
 * GUC check hook: refuse a kyc_events.databases value the launcher cannot
 * use at SET, ALTER SYSTEM or reload, rather than log it every loop.
 */
bool
RelayCheckDatabases(char **newval, void **extra, GucSource source)
{
	char	   *list = pstrdup(*newval ? *newval : "");
	char	   *why;

	list_free(ParseDatabases(list, &why));
	pfree(list);
	if (why == NULL)
		return true;
	GUC_check_errdetail("kyc_events.databases: %s", why);
	GUC_check_errhint("List at most %d distinct database names of at most %d bytes each, separated by commas.",
					  RELAY_MAX_WORKERS, NAMEDATALEN - 1);
	pfree(why);
	return false;
}

/* Start a relay worker for dbname; NULL if no slot is free now. */
static BackgroundWorkerHandle *
StartRelayWorker(const char *dbname)
{
	BackgroundWorker worker = {0};
	BackgroundWorkerHandle *handle;

	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;	/* the launcher restarts
													 * it */
	strlcpy(worker.bgw_library_name, "kyc_events", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "kyc_events_relay_main", BGW_MAXLEN);
	snprintf(worker.bgw_name, BGW_MAXLEN, "kyc_events relay %s", dbname);
	strlcpy(worker.bgw_type, "kyc_events relay", BGW_MAXLEN);
	strlcpy(worker.bgw_extra, dbname, BGW_EXTRALEN);
	worker.bgw_notify_pid = MyProcPid;
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		/* Every slot is taken: say so, or its subscriptions wait silently. */
		ereport(WARNING,
				(errmsg("kyc_events could not start a relay worker for database \"%s\"", dbname),
				 errdetail("All max_worker_processes (%d) background worker slots are in use.",
						   max_worker_processes),
				 errhint("Raise max_worker_processes to at least the number of databases in kyc_events.databases plus the server's other background workers, and restart.")));
		return NULL;
	}
	return handle;
}

/*
 * Mark the entries of the listed databases wanted, and give each listed
 * database without an entry a free one.  An entry is free once its
 * database is no longer listed and its worker has stopped (FreeStopped).
 * The check hook keeps the list within RELAY_MAX_WORKERS, so a name finds
 * no entry only while the workers of names just dropped are stopping; it
 * gets one when they have.
 */
static void
AssignEntries(LaunchedWorker *workers, List *names)
{
	ListCell   *lc;
	int			i;

	for (i = 0; i < RELAY_MAX_WORKERS; i++)
		workers[i].wanted = false;
	foreach(lc, names)
	{
		char	   *dbname = lfirst(lc);
		int			free_entry = -1;

		for (i = 0; i < RELAY_MAX_WORKERS; i++)
		{
			if (strcmp(workers[i].dbname, dbname) == 0)
				break;
			if (free_entry < 0 && workers[i].dbname[0] == '\0')
				free_entry = i;
		}
		if (i == RELAY_MAX_WORKERS && free_entry >= 0)
		{
			i = free_entry;
			memset(&workers[i], 0, sizeof(LaunchedWorker));
			strlcpy(workers[i].dbname, dbname, NAMEDATALEN);
		}
		if (i < RELAY_MAX_WORKERS)
			workers[i].wanted = true;
	}
}

/* Free the entry of a database no longer listed whose worker has stopped. */
static void
FreeStopped(LaunchedWorker *w)
{
	if (w->handle != NULL)
		pfree(w->handle);
	memset(w, 0, sizeof(LaunchedWorker));
}

/* Launcher: keep one relay worker per database in kyc_events.databases. */
void
kyc_events_launcher_main(Datum arg)
{
	LaunchedWorker *workers = palloc0(sizeof(LaunchedWorker) * RELAY_MAX_WORKERS);
	uint64		generation = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	RelaySetLauncherLatch();

	for (;;)
	{
		char	   *list;
		char	   *why;
		List	   *names;
		TimestampTz now = GetCurrentTimestamp();
		int			i;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		/* The check hook refuses what this cannot parse; this only guards. */
		list = pstrdup(kyc_relay_databases ? kyc_relay_databases : "");
		names = ParseDatabases(list, &why);
		if (why != NULL)
			ereport(WARNING,
					(errmsg("kyc_events.databases is not used: %s", why)));
		AssignEntries(workers, names);

		/* A subscription changed somewhere: a database may exist now. */
		if (RelayClusterGeneration() != generation)
		{
			generation = RelayClusterGeneration();
			for (i = 0; i < RELAY_MAX_WORKERS; i++)
				workers[i].restart_at = 0;
		}

		for (i = 0; i < RELAY_MAX_WORKERS; i++)
		{
			LaunchedWorker *w = &workers[i];
			pid_t		pid;
			BgwHandleStatus status = w->handle ? GetBackgroundWorkerPid(w->handle, &pid) : BGWH_STOPPED;

			if (w->dbname[0] == '\0')
				continue;
			if (status == BGWH_STARTED && now >= w->restart_at)
				w->failures = 0;	/* it has kept running: forget past exits */
			if (!w->wanted && status == BGWH_STOPPED)
				FreeStopped(w);
			else if (!w->wanted)
				TerminateBackgroundWorker(w->handle);
			else if (status == BGWH_STOPPED && now >= w->restart_at)
			{
				if (w->handle != NULL)
					pfree(w->handle);
				w->handle = StartRelayWorker(w->dbname);

				/*
				 * A worker that exits again (no such database, ...) backs off
				 * to a minute.
				 */
				w->restart_at = TimestampTzPlusMilliseconds(now, RelayBackoffMs(1000, w->failures, 64000));
				w->failures++;
			}
		}
		pfree(list);
		list_free(names);
		if (why != NULL)
			pfree(why);

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 5000, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
