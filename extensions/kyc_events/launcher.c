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
	RelaySetLauncherLatch();

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
		if (RelayClusterGeneration() != generation)
		{
			generation = RelayClusterGeneration();
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
