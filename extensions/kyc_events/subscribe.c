/*
 * subscribe.c
 *		SQL API of the relay: subscribe, unsubscribe, relay_once,
 *		replay_dead_letter.
 *
 * All four are for superusers only.  The relay connects to a source with
 * the server's own identity (its passfile, service file or certificates),
 * so letting other roles name a conninfo would lend them those credentials.
 */
#include "relay.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

/* Refuse non-superusers with a reason. */
static void
RequireSuperuser(const char *what)
{
	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only superusers can %s", what),
				 errdetail("The relay connects to event sources with the server's own credentials.")));
}

/* A subscription name: lowercase, starting with a letter, at most 63 bytes. */
static void
CheckSubscriptionName(const char *name)
{
	const char *p;
	bool		ok = name[0] >= 'a' && name[0] <= 'z' && strlen(name) <= 63;

	for (p = name; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("invalid subscription name \"%s\"", name),
				 errhint("Use lowercase letters, digits and underscores, starting with a letter, at most 63 bytes.")));
}

/* Each topic is a topic, a dotted prefix ending in ".*", or "*" for all. */
static void
CheckTopicPatterns(ArrayType *topics)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	deconstruct_array(topics, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a subscription needs at least one topic"),
				 errhint("Use '{*}' for every topic.")));
	for (i = 0; i < n; i++)
	{
		char	   *topic;
		size_t		len;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("subscription topics must not contain NULL")));
		topic = TextDatumGetCString(elems[i]);
		len = strlen(topic);
		if (strcmp(topic, "*") == 0)
			continue;
		if (len > 2 && strcmp(topic + len - 2, ".*") == 0)
			topic = psprintf("%.*s.x", (int) (len - 2), topic); /* check the prefix */
		KycCheckTopic(topic);
	}
}

/*
 * The handler must exist and be a plain function taking exactly one
 * kyc_events.event and returning one value (usually void), which is how
 * the relay calls it.
 */
static void
CheckHandler(Oid handler)
{
	HeapTuple	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(handler));
	Form_pg_proc proc;
	char	   *problem = NULL;

	if (!HeapTupleIsValid(tuple))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("event handler function %u does not exist", handler),
				 errhint("Name an existing function that takes one kyc_events.event, "
						 "such as 'my_handler(kyc_events.event)'.")));
	proc = (Form_pg_proc) GETSTRUCT(tuple);
	if (proc->prokind != PROKIND_FUNCTION)
		problem = psprintf("It is %s, not a function.",
						   proc->prokind == PROKIND_PROCEDURE ? "a procedure" :
						   proc->prokind == PROKIND_AGGREGATE ? "an aggregate" : "a window function");
	else if (proc->pronargs != 1)
		problem = psprintf("It takes %d arguments.", proc->pronargs);
	else if (proc->proargtypes.values[0] != RelayEventType())
		problem = psprintf("Its argument is of type %s.",
						   format_type_be(proc->proargtypes.values[0]));
	else if (proc->proretset)
		problem = pstrdup("It returns a set.");
	ReleaseSysCache(tuple);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("event handler %s must be a function of one argument of type kyc_events.event",
						format_procedure(handler)),
				 errdetail_internal("%s", problem),
				 errhint("Declare it as CREATE FUNCTION handler(e kyc_events.event) RETURNS void.")));
}

/* Whether the source database has a function of this signature. */
static bool
SourceHasFunction(PGconn *conn, const char *signature)
{
	const char *params[1] = {signature};
	PGresult   *res = RelaySourceQuery(conn, "SELECT pg_catalog.to_regprocedure($1) IS NOT NULL",
									   1, params);
	bool		found = strcmp(PQgetvalue(res, 0, 0), "t") == 0;

	PQclear(res);
	return found;
}

/*
 * Where start_at ('beginning', 'update' or 'end') has a subscription start:
 * the source function that says so, or NULL for the first event.
 */
static const char *
StartFunction(const char *start_at)
{
	if (strcmp(start_at, "beginning") == 0)
		return NULL;
	if (strcmp(start_at, "update") == 0)
		return "kyc_events.update_position()";
	if (strcmp(start_at, "end") == 0)
		return "kyc_events.end_position()";
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid start_at \"%s\"", KycQuoted(start_at)),
			 errhint("Use 'beginning' (the source's first event), 'update' (where the source's "
					 "kyc_events was last updated) or 'end' (the source's last event now).")));
	return NULL;				/* keep the compiler quiet */
}

/*
 * Connect to source, check it runs kyc_events and has start, and register
 * the consumer there.  With a start function, return where it says to
 * start, as text, and acknowledge that position at the source, so that
 * pruning need not keep what the subscription will never read.
 */
static void
RegisterWithSource(const char *source, const char *name, const char *start,
				   char **start_xid, char **start_id)
{
	PGconn	   *volatile conn = RelaySourceConnect(source, "kyc_events subscribe");

	PG_TRY();
	{
		const char *params[3] = {RelayConsumerName(name), NULL, NULL};
		PGresult   *res;

		if (!SourceHasFunction(conn, "kyc_events.read(xid8, bigint, text[], integer, bigint)"))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("event source %s has no kyc_events outbox", PQdb(conn)),
					 errhint("Run CREATE EXTENSION kyc_events in the source database.")));
		if (start && !SourceHasFunction(conn, start))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("event source %s cannot say where to start", PQdb(conn)),
					 errdetail("Its kyc_events has no %s.", start),
					 errhint("Update kyc_events there first (ALTER EXTENSION kyc_events UPDATE, or make provision).")));
		RelaySourceCommand(conn, "SELECT kyc_events.register_consumer($1, true)", 1, params);
		if (start)
		{
			res = RelaySourceQuery(conn, psprintf("SELECT xid::pg_catalog.text, id::pg_catalog.text FROM %s", start),
								   0, NULL);
			*start_xid = pstrdup(PQgetvalue(res, 0, 0));
			*start_id = pstrdup(PQgetvalue(res, 0, 1));
			PQclear(res);
			params[1] = *start_xid;
			params[2] = *start_id;
			RelaySourceCommand(conn, "SELECT kyc_events.ack($1, $2::pg_catalog.xid8, $3::pg_catalog.int8)",
							   3, params);
		}
	}
	PG_FINALLY();
	{
		RelaySourceDisconnect(conn);
	}
	PG_END_TRY();
}

PG_FUNCTION_INFO_V1(kyc_events_subscribe);

/*
 * SQL: kyc_events.subscribe(name text, source text, topics text[],
 *							 handler regprocedure, start_at text)
 */
Datum
kyc_events_subscribe(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *source;
	Oid			handler;
	const char *start;
	char	   *start_xid = NULL;
	char	   *start_id = NULL;
	static SPIPlanPtr plan = NULL;
	static SPIPlanPtr start_plan = NULL;
	Oid			argtypes[4] = {TEXTOID, TEXTOID, TEXTARRAYOID, REGPROCEDUREOID};
	Datum		values[4];
	int			ret;

	RequireSuperuser("create subscriptions");
	name = KycTextArg(fcinfo, 0, "subscription name");
	source = KycTextArg(fcinfo, 1, "source");
	KycRequireArg(fcinfo, 2, "topics");
	KycRequireArg(fcinfo, 3, "handler");
	handler = PG_GETARG_OID(3);
	/* 0.1.0's four-argument declaration may call this until its update. */
	start = StartFunction(PG_NARGS() > 4 ? KycTextArg(fcinfo, 4, "start_at") : "beginning");
	CheckSubscriptionName(name);
	RelayCheckConninfo(source);
	CheckTopicPatterns(PG_GETARG_ARRAYTYPE_P(2));
	CheckHandler(handler);

	/*
	 * Claim the name before touching the source: registering restarts the
	 * consumer there, which must never happen to another subscription's.
	 */
	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(source);
	values[2] = PG_GETARG_DATUM(2);
	values[3] = ObjectIdGetDatum(handler);
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_events.subscription (name, source, topics, handler) "
				 "VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING", 4, argtypes);
	ret = SPI_execute_plan(plan, values, NULL, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "subscription insert failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("subscription \"%s\" already exists", name),
				 errhint("Unsubscribe it first, or choose another name.")));
	SPI_finish();
	RegisterWithSource(source, name, start, &start_xid, &start_id);
	if (start)
	{
		/* The worker reloads at commit, so it never reads from the start. */
		Oid			start_types[3] = {TEXTOID, TEXTOID, TEXTOID};
		Datum		start_values[3];

		start_values[0] = CStringGetTextDatum(name);
		start_values[1] = CStringGetTextDatum(start_xid);
		start_values[2] = CStringGetTextDatum(start_id);
		KycSpiConnect();
		KycSavedPlan(&start_plan,
					 "UPDATE kyc_events.subscription "
					 "SET last_xid = $2::pg_catalog.xid8, last_id = $3::pg_catalog.int8 "
					 "WHERE name OPERATOR(pg_catalog.=) $1", 3, start_types);
		if (SPI_execute_plan(start_plan, start_values, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "subscription start update failed");
		SPI_finish();
	}
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_events_unsubscribe);

/* SQL: kyc_events.unsubscribe(name text) */
Datum
kyc_events_unsubscribe(PG_FUNCTION_ARGS)
{
	char	   *name;
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	RequireSuperuser("drop subscriptions");
	name = KycTextArg(fcinfo, 0, "subscription name");
	values[0] = CStringGetTextDatum(name);
	KycSpiConnect();
	/* Waits for a batch in flight: it holds the row lock. */
	KycSavedPlan(&plan, "DELETE FROM kyc_events.subscription "
				 "WHERE name OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "subscription delete failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("subscription \"%s\" does not exist", name)));
	SPI_finish();
	ereport(NOTICE,
			(errmsg("subscription \"%s\" dropped", name),
			 errhint("Its consumer %s stays registered on the source, so the source keeps its events; "
					 "run kyc_events.forget_consumer() there if it will not come back.",
					 RelayConsumerName(name))));
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_events_relay_once);

/* SQL: kyc_events.relay_once(name text, max_events int) returns int */
Datum
kyc_events_relay_once(PG_FUNCTION_ARGS)
{
	char	   *name;
	int			max_events;
	char	   *source;
	PGconn	   *volatile conn;
	RelayResult result;

	RequireSuperuser("run the relay");
	name = KycTextArg(fcinfo, 0, "subscription name");
	KycRequireArg(fcinfo, 1, "max_events");
	max_events = PG_GETARG_INT32(1);
	if (max_events < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_events must be at least 1")));
	source = RelaySubscriptionSource(name);
	if (source == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("subscription \"%s\" does not exist", name)));

	conn = RelaySourceConnect(source, "kyc_events relay_once");
	PG_TRY();
	{
		RelayPosition none = {0, 0};

		RelayBatch(conn, name, max_events, NULL, none, 0, &result);
	}
	PG_FINALLY();
	{
		RelaySourceDisconnect(conn);
	}
	PG_END_TRY();
	PG_RETURN_INT32(result.applied);
}

PG_FUNCTION_INFO_V1(kyc_events_replay_dead_letter);

/* SQL: kyc_events.replay_dead_letter(dead_letter_id bigint) */
Datum
kyc_events_replay_dead_letter(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	bool		isnull;
	Oid			handler;
	Oid			owner;
	Datum		event;
	FmgrInfo	flinfo;
	Oid			save_userid;
	int			save_sec_context;

	RequireSuperuser("replay dead letters");
	KycRequireArg(fcinfo, 0, "dead_letter_id");
	values[0] = PG_GETARG_DATUM(0);
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "UPDATE kyc_events.dead_letters d SET replayed_at = pg_catalog.now() "
				 "FROM kyc_events.subscription s "
				 "WHERE d.id OPERATOR(pg_catalog.=) $1 AND d.replayed_at IS NULL "
				 "  AND s.name OPERATOR(pg_catalog.=) d.subscription "
				 "RETURNING s.handler::pg_catalog.oid, s.name, d.event, (d.event).payload IS NULL, "
				 "(d.event).id",
				 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "dead letter lookup failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("dead letter " INT64_FORMAT " does not exist, was replayed, or its subscription is gone",
						DatumGetInt64(values[0]))));
	handler = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	owner = RelayHandlerOwner(handler, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
	event = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("dead letter " INT64_FORMAT " has no payload to replay", DatumGetInt64(values[0])),
				 errdetail("The relay could not decode event %s of the source here; its error says why.",
						   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5)),
				 errhint("The event is still in the source's kyc_events.outbox until it is pruned; "
						 "apply it from there by hand.")));

	fmgr_info(handler, &flinfo);
	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(owner, save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	RelayCallHandler(&flinfo, event);
	SetUserIdAndSecContext(save_userid, save_sec_context);
	SPI_finish();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_events_subscription_changed);

/* Trigger: AFTER ... ON kyc_events.subscription FOR EACH STATEMENT */
Datum
kyc_events_subscription_changed(PG_FUNCTION_ARGS)
{
	KycSubscriptionTrigger(fcinfo);
	RelaySubscriptionsChanged();
	return PointerGetDatum(NULL);
}
