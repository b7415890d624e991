/*
 * relay_xact.c
 *		The relay worker's transactions, and catching their errors.
 *
 * A relay worker runs each step (a batch, a state record, a lag
 * measurement, loading subscriptions) in a transaction of its own, and
 * RelayTry catches a step's error so that one failing subscription or
 * source does not end the worker.
 */
#include "relay.h"

#include "access/xact.h"
#include "pgstat.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

/*
 * The context a step ran in: commit leaves CurrentMemoryContext at
 * TopMemoryContext, and the worker's loop allocates in its own context.
 */
static MemoryContext work_context = NULL;

/*
 * Start a worker transaction with a snapshot.  A background worker gets no
 * statement messages, so the statement start time is set here, as
 * PostgreSQL's own workers do: otherwise now() in every transaction, and in
 * every handler, would be the moment the worker started.
 */
void
RelayStartWork(const char *what)
{
	work_context = CurrentMemoryContext;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, what);
}

/* Commit it, and go back to the memory context RelayStartWork was called in. */
void
RelayFinishWork(void)
{
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	MemoryContextSwitchTo(work_context);
}

/* Start a worker transaction with SPI. */
void
RelayBeginWork(const char *what)
{
	RelayStartWork(what);
	KycSpiConnect();
}

/* Finish SPI, and commit. */
void
RelayEndWork(void)
{
	SPI_finish();
	RelayFinishWork();
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
