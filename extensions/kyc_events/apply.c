/*
 * apply.c
 *		One relay batch: read the next events of a subscription from its
 *		source and hand them to the handler, in the current transaction.
 *
 * The subscription row is locked first and holds the cursor, so the batch
 * and the cursor's advance commit or roll back together: exactly once in
 * effect.  The same lock serialises the relay worker, relay_once() and
 * unsubscribe() on one subscription.
 */
#include "relay.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/resowner.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "utils/xid8.h"

/* The event being handled, for error reports and retries. */
RelayPosition relay_current_event;

/* Columns of a locked subscription row. */
typedef struct SubscriptionRow
{
	char	   *topics;
	Oid			handler;
	Oid			owner;
	RelayPosition position;
} SubscriptionRow;

/* Parse an xid8 in text form. */
static uint64
ParseXid8(const char *str)
{
	return U64FromFullTransactionId(DatumGetFullTransactionId(
															  DirectFunctionCall1(xid8in, CStringGetDatum(str))));
}

/*
 * The owner of a subscription's handler, who it runs as.  A handler that
 * was dropped is an error of the subscription, reported as such, never
 * mistaken for a subscription that is gone.
 */
Oid
RelayHandlerOwner(Oid handler, const char *subscription)
{
	HeapTuple	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(handler));
	Oid			owner;

	if (!HeapTupleIsValid(tuple))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("handler of subscription \"%s\" does not exist", subscription),
				 errdetail("Function %u, the subscription's handler, has been dropped.", handler),
				 errhint("Create the handler again and set it with UPDATE kyc_events.subscription "
						 "SET handler = '...'::regprocedure, which keeps the position, "
						 "or drop the subscription with kyc_events.unsubscribe().")));
	owner = ((Form_pg_proc) GETSTRUCT(tuple))->proowner;
	ReleaseSysCache(tuple);
	return owner;
}

/* Lock the subscription's row and read it; false if gone or disabled. */
static bool
LockSubscription(const char *name, SubscriptionRow *row)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(name)};
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		isnull;

	KycSavedPlan(&plan,
				 "SELECT s.topics::pg_catalog.text, s.handler::pg_catalog.oid, "
				 "       s.last_xid, s.last_id "
				 "FROM kyc_events.subscription s "
				 "WHERE s.name OPERATOR(pg_catalog.=) $1 AND s.enabled FOR UPDATE",
				 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "subscription lookup failed");
	if (SPI_processed == 0)
		return false;
	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	row->topics = SPI_getvalue(tuple, desc, 1);
	row->handler = DatumGetObjectId(SPI_getbinval(tuple, desc, 2, &isnull));
	row->position.xid = KycXid8Column(tuple, desc, 3);
	row->position.id = DatumGetInt64(SPI_getbinval(tuple, desc, 4, &isnull));
	row->owner = RelayHandlerOwner(row->handler, name);
	return true;
}

/*
 * Fetch the next events after the row's position from the source: at most
 * max_events, and no more after the one whose payload reaches
 * kyc_events.max_batch_bytes.
 */
static PGresult *
FetchEvents(PGconn *conn, SubscriptionRow *row, int max_events)
{
	char		xid[32];
	char		id[32];
	char		limit[16];
	char		bytes[16];
	const char *params[5] = {xid, id, row->topics, limit, bytes};

	snprintf(xid, sizeof(xid), UINT64_FORMAT, row->position.xid);
	snprintf(id, sizeof(id), INT64_FORMAT, row->position.id);
	snprintf(limit, sizeof(limit), "%d", max_events);
	snprintf(bytes, sizeof(bytes), "%d", kyc_relay_max_batch_bytes);
	return RelaySourceQuery(conn,
							"SELECT id, xid, topic, aggregate_id, payload, headers, created_at "
							"FROM kyc_events.read($1, $2, $3, $4, $5)", 5, params);
}

/* The kyc_events.event type. */
Oid
RelayEventType(void)
{
	Oid			nsp = get_namespace_oid("kyc_events", false);

	return GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum("event"), ObjectIdGetDatum(nsp));
}

/*
 * Refuse, as an error of the event, a payload larger than this subscriber's
 * kyc_events.max_payload_size: the source may allow more than we do.
 */
static void
CheckReceivedPayload(PGresult *res, int i)
{
	int			size = PQgetlength(res, i, 4);

	if (size > kyc_max_payload_size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("event payload is too large for this subscriber"),
				 errdetail("The payload is %d bytes as JSON text; this database's "
						   "kyc_events.max_payload_size is %d bytes.", size, kyc_max_payload_size),
				 errhint("Raise kyc_events.max_payload_size here, or let the event become a dead letter.")));
}

/*
 * Build the kyc_events.event value of result row i.  Without its payload
 * and headers (NULL), when keep_payload is false.
 */
static Datum
EventDatum(PGresult *res, int i, const char *source, TupleDesc desc, bool keep_payload)
{
	Datum		values[8];
	bool		nulls[8] = {false};

	if (keep_payload)
		CheckReceivedPayload(res, i);
	values[0] = CStringGetTextDatum(source);
	values[1] = Int64GetDatum(strtoi64(PQgetvalue(res, i, 0), NULL, 10));
	values[2] = FullTransactionIdGetDatum(
										  FullTransactionIdFromU64(ParseXid8(PQgetvalue(res, i, 1))));
	values[3] = CStringGetTextDatum(PQgetvalue(res, i, 2));
	values[4] = CStringGetTextDatum(PQgetvalue(res, i, 3));
	nulls[5] = nulls[6] = !keep_payload;
	if (keep_payload)
	{
		values[5] = DirectFunctionCall1(jsonb_in, CStringGetDatum(PQgetvalue(res, i, 4)));
		values[6] = DirectFunctionCall1(jsonb_in, CStringGetDatum(PQgetvalue(res, i, 5)));
	}
	values[7] = DirectFunctionCall3(timestamptz_in, CStringGetDatum(PQgetvalue(res, i, 6)),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/*
 * The event of row i as a dead letter records it: whole if it can be
 * decoded, else (too large here, say) without payload and headers.  Its
 * decoding may be what failed every attempt, so a failure here must not
 * fail the dead-lettering too, or the subscription would retry it forever.
 */
static Datum
DeadLetterEventDatum(PGresult *res, int i, const char *source, TupleDesc desc)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile Datum event = (Datum) 0;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		event = EventDatum(res, i, source, desc, true);
		ReleaseCurrentSubTransaction();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		event = (Datum) 0;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	return event ? event : EventDatum(res, i, source, desc, false);
}

/*
 * Call handler(event), ignoring what it returns (often void).  Settings
 * the handler changes are undone when it returns, as for a function with a
 * SET clause, so one handler cannot change the session another runs in.
 */
void
RelayCallHandler(FmgrInfo *flinfo, Datum event)
{
	LOCAL_FCINFO(fcinfo, 1);
	int			save_nestlevel = NewGUCNestLevel();

	InitFunctionCallInfoData(*fcinfo, flinfo, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = event;
	fcinfo->args[0].isnull = false;
	/* kyc_events.require_delivery() passes only during this call. */
	KycDeliveryBegin(flinfo->fn_oid, event);
	PG_TRY();
	{
		(void) FunctionCallInvoke(fcinfo);
	}
	PG_FINALLY();
	{
		KycDeliveryEnd();
	}
	PG_END_TRY();
	AtEOXact_GUC(true, save_nestlevel);
}

/* Record a dead letter for event. */
static void
InsertDeadLetter(const char *name, Oid event_type, Datum event, const char *error, int attempts)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[4] = {TEXTOID, event_type, TEXTOID, INT4OID};
	Datum		values[4] = {CStringGetTextDatum(name), event,
	CStringGetTextDatum(error), Int32GetDatum(attempts)};

	KycSavedPlan(&plan,
				 "INSERT INTO kyc_events.dead_letters (subscription, event, error, attempts) "
				 "VALUES ($1, $2, $3, $4)", 4, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "dead letter insert failed");
}

/* Advance the cursor in the same transaction as the applied events. */
static void
AdvanceCursor(const char *name, RelayPosition position, int applied, Datum last_event_at)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {TEXTOID, XID8OID, INT8OID, INT4OID, TIMESTAMPTZOID};
	Datum		values[5] = {CStringGetTextDatum(name),
		FullTransactionIdGetDatum(FullTransactionIdFromU64(position.xid)),
	Int64GetDatum(position.id), Int32GetDatum(applied), last_event_at};

	KycSavedPlan(&plan,
				 "UPDATE kyc_events.subscription SET last_xid = $2, last_id = $3, "
				 "applied = applied OPERATOR(pg_catalog.+) $4, last_applied_at = pg_catalog.now(), "
				 "last_event_at = $5, state = 'streaming', last_error = NULL, last_error_at = NULL "
				 "WHERE name OPERATOR(pg_catalog.=) $1", 5, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "subscription cursor update failed");
}

/*
 * Apply the next batch (at most max_events) of subscription name, reading
 * from conn, in the current transaction.  With dead_letter_error set, the
 * event at dead_letter_at, if it is next, is not handled but recorded as a
 * dead letter with that error, and the cursor moves past it; any other
 * event is handled as usual.  A handler error propagates, with
 * result->failed naming the event.
 */
void
RelayBatch(PGconn *conn, const char *name, int max_events,
		   const char *dead_letter_error, RelayPosition dead_letter_at,
		   int attempts, RelayResult *result)
{
	SubscriptionRow row;
	PGresult   *volatile res = NULL;
	Oid			event_type;
	TupleDesc	desc;
	FmgrInfo	flinfo;
	Oid			save_userid;
	int			save_sec_context;
	int			n;
	int			i;
	Datum		last_event_at = (Datum) 0;

	memset(result, 0, sizeof(*result));
	KycSpiConnect();
	if (!LockSubscription(name, &row))
	{
		SPI_finish();
		return;
	}
	result->found = true;
	result->position = row.position;

	PG_TRY();
	{
		res = FetchEvents(conn, &row, dead_letter_error ? 1 : max_events);
		n = PQntuples(res);
		event_type = RelayEventType();
		desc = lookup_rowtype_tupdesc(event_type, -1);
		fmgr_info(row.handler, &flinfo);
		GetUserIdAndSecContext(&save_userid, &save_sec_context);

		for (i = 0; i < n; i++)
		{
			Datum		event;

			/* Name the event first, so any error below is blamed on it. */
			relay_current_event.xid = ParseXid8(PQgetvalue(res, i, 1));
			relay_current_event.id = strtoi64(PQgetvalue(res, i, 0), NULL, 10);
			result->failed = relay_current_event;
			if (dead_letter_error && relay_current_event.xid == dead_letter_at.xid &&
				relay_current_event.id == dead_letter_at.id)
			{
				event = DeadLetterEventDatum(res, i, PQdb(conn), desc);
				InsertDeadLetter(name, event_type, event, dead_letter_error, attempts);
			}
			else
			{
				event = EventDatum(res, i, PQdb(conn), desc, true);

				/*
				 * The handler runs with its owner's rights, never the
				 * relay's.
				 */
				SetUserIdAndSecContext(row.owner, save_sec_context |
									   SECURITY_LOCAL_USERID_CHANGE |
									   SECURITY_RESTRICTED_OPERATION);
				RelayCallHandler(&flinfo, event);
				SetUserIdAndSecContext(save_userid, save_sec_context);
				result->applied++;
			}
			result->position = relay_current_event;
			result->processed++;
			result->bytes += PQgetlength(res, i, 4);
			last_event_at = DirectFunctionCall3(timestamptz_in, CStringGetDatum(PQgetvalue(res, i, 6)),
												ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		}
		ReleaseTupleDesc(desc);
		if (n > 0)
			AdvanceCursor(name, result->position, result->applied, last_event_at);
		result->failed.xid = 0;
		result->failed.id = 0;
	}
	PG_FINALLY();
	{
		PQclear(res);
	}
	PG_END_TRY();
	SPI_finish();
}

/* The source conninfo of subscription name, or NULL if there is none. */
char *
RelaySubscriptionSource(const char *name)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(name)};
	char	   *source = NULL;
	MemoryContext caller = CurrentMemoryContext;

	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT source FROM kyc_events.subscription "
				 "WHERE name OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "subscription lookup failed");
	if (SPI_processed > 0)
		source = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0],
														  SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return source;
}
