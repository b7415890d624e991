/*
 * status.c
 *		What the subscriptions view reports about a subscription: its state
 *		and last error, its lag, and what holds it back when it stalls.
 *
 * A subscription stalls when its source has committed events after its
 * position that read() does not return: an older transaction of the source
 * database is still open (or prepared), and read() waits for it, since it
 * could still commit events before them.  That is correct, and can last
 * forever.  After kyc_events.stall_timeout of it the relay asks the source
 * which transaction it is waiting for (kyc_events.read_blocker()) and shows
 * it as state 'stalled', naming it in last_error; the state clears when
 * events flow again or the backlog is gone.
 *
 * A subscription in a database no relay worker serves is never delivered:
 * relay_missing() tells the view so, and says what to configure.
 */
#include "relay.h"

#include "commands/dbcommands.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/varlena.h"

/* Whether kyc_events.databases, as this backend last read it, names database dbname. */
static bool
DatabaseListed(const char *dbname)
{
	char	   *list = pstrdup(kyc_relay_databases ? kyc_relay_databases : "");
	List	   *names = NIL;
	ListCell   *lc;

	if (!SplitIdentifierString(list, ',', &names))
		return false;
	foreach(lc, names)
		if (strcmp((char *) lfirst(lc), dbname) == 0)
		return true;
	return false;
}

PG_FUNCTION_INFO_V1(kyc_events_relay_missing);

/*
 * SQL: kyc_events.relay_missing() returns text, for the subscriptions view:
 * NULL when a relay worker is configured for the current database, else
 * what to configure so that one runs (the launcher reads the same list).
 */
Datum
kyc_events_relay_missing(PG_FUNCTION_ARGS)
{
	char	   *dbname = get_database_name(MyDatabaseId);

	if (!RelayPreloaded())
		PG_RETURN_TEXT_P(cstring_to_text(psprintf(
												  "no relay worker delivers subscriptions of database \"%s\": kyc_events is not in "
												  "shared_preload_libraries; add it there and \"%s\" to kyc_events.databases in "
												  "postgresql.conf, then restart the server", dbname, dbname)));
	if (!DatabaseListed(dbname))
		PG_RETURN_TEXT_P(cstring_to_text(psprintf(
												  "no relay worker delivers subscriptions of database \"%s\": add it to "
												  "kyc_events.databases (now '%s') with ALTER SYSTEM SET kyc_events.databases and "
												  "SELECT pg_reload_conf(), as make provision does", dbname,
												  kyc_relay_databases ? kyc_relay_databases : "")));
	PG_RETURN_NULL();
}

/* Set a subscription's state, and its last error if error is set, in the current transaction. */
static void
SetState(const char *name, const char *state, const char *error)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];
	char		nulls[3] = {' ', ' ', error ? ' ' : 'n'};

	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(state);
	values[2] = error ? CStringGetTextDatum(error) : (Datum) 0;
	KycSavedPlan(&plan,
				 "UPDATE kyc_events.subscription SET state = $2, "
				 "last_error = COALESCE($3, last_error), "
				 "last_error_at = CASE WHEN $3 IS NULL THEN last_error_at ELSE pg_catalog.now() END "
				 "WHERE name OPERATOR(pg_catalog.=) $1", 3, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "subscription state update failed");
}

typedef struct RecordStateArgs
{
	const char *name;
	const char *state;
	const char *error;
} RecordStateArgs;

/* Step: SetState in its own transaction. */
static void
RecordStateStep(void *arg)
{
	RecordStateArgs *a = arg;

	RelayBeginWork("kyc_events relay: record state");
	SetState(a->name, a->state, a->error);
	RelayEndWork();
}

/*
 * Record a subscription's state and last error in its own transaction; a
 * failure to record is logged, never fatal.
 */
void
RelayRecordState(const char *name, const char *state, const char *error)
{
	RecordStateArgs args = {name, state, error};
	char	   *failure = RelayTry(RecordStateStep, &args);

	if (failure)
		ereport(LOG, (errmsg("kyc_events relay: could not record state of subscription %s: %s",
							 name, failure)));
}

/*
 * The subscription is no longer in state (disconnected, stalled): it is
 * streaming, with no error.  Any other state stays until a batch says
 * otherwise.  In the current transaction.
 */
void
RelayClearState(const char *name, const char *state)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2] = {CStringGetTextDatum(name), CStringGetTextDatum(state)};

	KycSavedPlan(&plan,
				 "UPDATE kyc_events.subscription "
				 "SET state = 'streaming', last_error = NULL, last_error_at = NULL "
				 "WHERE name OPERATOR(pg_catalog.=) $1 AND state OPERATOR(pg_catalog.=) $2",
				 2, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "subscription state update failed");
}

/*
 * What a stalled subscription waits for, as the source's read_blocker()
 * names it; NULL if nothing holds the source back any more.
 */
static char *
DescribeBlocker(PGconn *conn)
{
	PGresult   *res = RelaySourceQuery(conn,
									   "SELECT xid, pid, role, "
									   "round(extract(epoch FROM now() - xact_start)), prepared_gid "
									   "FROM kyc_events.read_blocker()", 0, NULL);
	char	   *what = NULL;

	if (PQntuples(res) > 0 && PQgetisnull(res, 0, 4))
		what = psprintf("waiting for transaction %s of role %s (pid %s) in the source database, "
						"open for %s s: the events after it cannot be read until it ends",
						PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 1),
						PQgetvalue(res, 0, 3));
	else if (PQntuples(res) > 0)
		what = psprintf("waiting for prepared transaction '%s' (xid %s) of role %s in the source "
						"database, prepared %s s ago: the events after it cannot be read until "
						"it is committed or rolled back",
						PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 2),
						PQgetvalue(res, 0, 3));
	PQclear(res);
	return what;
}

/*
 * Note whether the subscription is stalled: stuck says the last drain moved
 * nothing and nothing failed, and backlog events were waiting at the source.
 * In the current transaction.
 */
static void
CheckStall(PGconn *conn, const char *name, bool stuck, int64 backlog, RelayLag *lag)
{
	TimestampTz now = GetCurrentTimestamp();
	char	   *blocker;

	if (!stuck || backlog == 0)
	{
		lag->waiting_since = 0;
		if (lag->stalled)
			RelayClearState(name, "stalled");
		lag->stalled = false;
		return;
	}
	if (lag->waiting_since == 0)
		lag->waiting_since = now;
	if (!TimestampDifferenceExceeds(lag->waiting_since, now, kyc_relay_stall_timeout))
		return;
	blocker = DescribeBlocker(conn);
	if (blocker == NULL)
		return;
	SetState(name, "stalled", blocker);
	if (!lag->stalled)
		ereport(LOG, (errmsg("kyc_events relay: subscription %s is stalled", name),
					  errdetail_internal("%s", blocker)));
	lag->stalled = true;
}

/*
 * Measure how far behind subscription name is, store it, and note a stall;
 * at most once a second, in its own transaction.
 */
void
RelayMeasureLag(PGconn *conn, const char *name, const char *topics, bool stuck, RelayLag *lag)
{
	static SPIPlanPtr cursor_plan = NULL;
	static SPIPlanPtr lag_plan = NULL;
	Oid			argtypes[3] = {TEXTOID, INT8OID, TEXTOID};
	Datum		values[3] = {CStringGetTextDatum(name)};
	char		nulls[3] = {' ', ' ', ' '};
	const char *params[3];
	PGresult   *res;
	int64		backlog;
	TimestampTz now = GetCurrentTimestamp();

	if (now < lag->measure_at)
		return;
	lag->measure_at = TimestampTzPlusMilliseconds(now, 1000);
	RelayBeginWork("kyc_events relay: measure lag");
	KycSavedPlan(&cursor_plan, "SELECT last_xid::pg_catalog.text, last_id::pg_catalog.text "
				 "FROM kyc_events.subscription WHERE name OPERATOR(pg_catalog.=) $1",
				 1, argtypes);
	if (SPI_execute_plan(cursor_plan, values, NULL, true, 1) != SPI_OK_SELECT || SPI_processed == 0)
	{
		RelayEndWork();
		return;
	}
	params[0] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	params[1] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	params[2] = topics;
	res = RelaySourceQuery(conn, "SELECT events, oldest FROM kyc_events.backlog($1, $2, $3)",
						   3, params);
	backlog = strtoi64(PQgetvalue(res, 0, 0), NULL, 10);
	values[1] = Int64GetDatum(backlog);
	nulls[2] = PQgetisnull(res, 0, 1) ? 'n' : ' ';
	values[2] = nulls[2] == 'n' ? (Datum) 0 : CStringGetTextDatum(PQgetvalue(res, 0, 1));
	PQclear(res);
	KycSavedPlan(&lag_plan,
				 "UPDATE kyc_events.subscription SET lag_events = $2, "
				 "lag_oldest = $3::pg_catalog.timestamptz, lag_measured_at = pg_catalog.now() "
				 "WHERE name OPERATOR(pg_catalog.=) $1", 3, argtypes);
	SPI_execute_plan(lag_plan, values, nulls, false, 0);
	CheckStall(conn, name, stuck, backlog, lag);
	RelayEndWork();
}
