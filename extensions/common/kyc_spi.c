/*
 * kyc_spi.c
 *		Saved SPI plans for the fixed statements pgkyc runs.
 *
 * Every statement is prepared once per backend and kept.  The plan cache
 * re-plans it after DDL, and re-analyses it whenever the search_path in
 * force differs from the one it was prepared under: a saved plan does not
 * keep its names bound.  So every function pins search_path, and every
 * operator, function and type in pgkyc's SPI text names its schema.
 */
#include "kyc_common.h"

#include "access/xact.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"
#include "utils/xid8.h"

/* Prepare sql into *plan the first time, keep it, and return it. */
SPIPlanPtr
KycSavedPlan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	return KycSavedPlanOptions(plan, sql, nargs, argtypes, 0);
}

/*
 * KycSavedPlan() with cursor options: CURSOR_OPT_GENERIC_PLAN for a
 * statement run often whose best plan does not depend on its parameters,
 * so that it is not planned again at every run.
 */
SPIPlanPtr
KycSavedPlanOptions(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, int cursor_options)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	prepared = SPI_prepare_cursor(sql, nargs, argtypes, cursor_options);

		if (prepared == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(prepared);
		*plan = prepared;
	}
	return *plan;
}

/*
 * Run a read-only plan under the latest snapshot rather than the caller's,
 * for caches and catalogs of what is committed now: an older snapshot
 * could miss a change whose invalidation has already been consumed.  In
 * parallel mode (a parallel query's leader) no new snapshot may be taken:
 * the plan runs under the active one, and a cache read so should be read
 * again afterwards.  Returns the SPI result code.
 */
int
KycExecuteLatest(SPIPlanPtr plan, Datum *values, const char *nulls)
{
	Snapshot	snapshot;
	int			ret;

	if (IsInParallelMode())
		return SPI_execute_plan(plan, values, nulls, true, 0);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	ret = SPI_execute_snapshot(plan, values, nulls, snapshot, InvalidSnapshot, true, false, 0);
	UnregisterSnapshot(snapshot);
	return ret;
}

/* An xid8 column of an SPI row, as a number; 0 for NULL (InvalidFullTransactionId). */
uint64
KycXid8Column(HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, column, &isnull);

	return isnull ? 0 : U64FromFullTransactionId(DatumGetFullTransactionId(value));
}

/* SPI_connect, which in a backend only fails on a programming error. */
void
KycSpiConnect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/*
 * For a relay handler: refuse the call unless the relay is delivering
 * event (of type event_type) to handler, with its topic among topics (a
 * text[] literal).  The caller is connected to SPI.
 */
void
KycRequireDelivery(Oid event_type, Datum event, Oid handler, const char *topics)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {event_type, REGPROCEDUREOID, TEXTOID};
	Datum		values[3] = {event, ObjectIdGetDatum(handler), CStringGetTextDatum(topics)};

	KycSavedPlan(&plan, "SELECT kyc_events.require_delivery($1, $2, $3::pg_catalog.text[])", 3, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "kyc_events.require_delivery() failed");
}
