/*
 * emit.c
 *		kyc_events.emit(): append a domain event to the transactional outbox.
 *
 * The row is written in the caller's transaction, so an event exists exactly
 * when the change that caused it commits.  Service roles get EXECUTE on
 * emit() but no privilege on the outbox table: the insert runs as the
 * table's owner, the way SECURITY DEFINER would, so every row has passed
 * the checks below and carries headers the caller could not forge.  The
 * statement names every object with its schema and resolves no function or
 * operator, so the caller's search_path cannot redirect it.
 *
 * Topics an extension owns (topic.c) are refused by emit(), whoever calls
 * it: they come only from the owner's C triggers, which reach
 * KycEventsEmitOwned() through load_external_function() (kyc_emit.c).  That
 * symbol has no PG_FUNCTION_INFO_V1, so no CREATE FUNCTION can make it
 * SQL-callable.
 */
#include "kyc_events.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

static SPIPlanPtr insert_plan = NULL;

/* The outbox insert, prepared once per backend. */
static SPIPlanPtr
InsertPlan(void)
{
	static Oid	argtypes[4] = {TEXTOID, TEXTOID, JSONBOID, JSONBOID};

	return KycSavedPlan(&insert_plan,
						"INSERT INTO kyc_events.outbox (topic, aggregate_id, payload, headers) "
						"VALUES ($1, $2, $3, $4) RETURNING id",
						4, argtypes);
}

/* Check the aggregate id: present, not blank, and not over-long. */
static void
CheckAggregateId(const char *aggregate_id)
{
	size_t		len = strlen(aggregate_id);

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("event aggregate id must not be empty"),
				 errhint("Pass the id of the entity the event is about, such as a case id.")));
	if (len > KYC_AGGREGATE_ID_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("event aggregate id is too long"),
				 errdetail("The id is %zu bytes; the limit is %d.", len, KYC_AGGREGATE_ID_MAX)));
}

/* Check the payload is a JSON object, so consumers can always read keys. */
static void
CheckPayload(Jsonb *payload)
{
	if (!JB_ROOT_IS_OBJECT(payload))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("event payload must be a JSON object"),
				 errhint("Wrap the value in an object, such as {\"value\": ...}.")));
}

/* Insert the event as the outbox owner and return its id. */
static int64
InsertEvent(text *topic, text *aggregate_id, Jsonb *payload, Jsonb *headers)
{
	Datum		values[4];
	KycOwnerScope owner;
	int			ret;
	bool		isnull;
	int64		id;

	values[0] = PointerGetDatum(topic);
	values[1] = PointerGetDatum(aggregate_id);
	values[2] = JsonbPGetDatum(payload);
	values[3] = JsonbPGetDatum(headers);

	KycSpiConnect();

	/* Error paths need no reset: transaction abort restores the user id. */
	KycBecomeOwner(KycTableOwner("kyc_events", "outbox"), &owner);
	ret = SPI_execute_plan(InsertPlan(), values, NULL, false, 1);
	KycLeaveOwner(&owner);

	if (ret != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
		elog(ERROR, "outbox insert failed: %s", SPI_result_code_string(ret));
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return id;
}

/* The checks, insert and doorbell that emit() and KycEventsEmitOwned() share. */
static int64
EmitChecked(const char *topic, const char *aggregate_id, Jsonb *payload)
{
	int64		id;

	CheckAggregateId(aggregate_id);
	CheckPayload(payload);
	KycCheckPayloadSize(payload);
	id = InsertEvent(cstring_to_text(topic), cstring_to_text(aggregate_id), payload,
					 KycCurrentHeaders());
	KycDoorbellRing();
	return id;
}

/*
 * Append an event of a topic that extension owner owns, for owner's C
 * triggers (through KycEmit()); not SQL-callable.  Returns the outbox id.
 */
PGDLLEXPORT int64
KycEventsEmitOwned(const char *owner, const char *topic, const char *aggregate_id, Jsonb *payload)
{
	const char *topic_owner;

	if (topic == NULL || aggregate_id == NULL || payload == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("event of extension %s has a NULL %s", owner,
						topic == NULL ? "topic" : aggregate_id == NULL ? "aggregate id" : "payload")));
	KycCheckTopic(topic);
	topic_owner = KycTopicOwner(topic);
	if (topic_owner == NULL || strcmp(topic_owner, owner) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("extension %s cannot emit event topic \"%s\"", owner, topic),
				 topic_owner ? errdetail("The topic belongs to the extension %s.", topic_owner)
				 : errdetail("No extension owns the topic."),
				 errhint("An extension emits only the topics topic.c gives it.")));
	return EmitChecked(topic, aggregate_id, payload);
}

PG_FUNCTION_INFO_V1(kyc_events_emit);

/* SQL: kyc_events.emit(topic text, aggregate_id text, payload jsonb) returns bigint */
Datum
kyc_events_emit(PG_FUNCTION_ARGS)
{
	char	   *topic = KycTextArg(fcinfo, 0, "event topic");
	char	   *aggregate_id = KycTextArg(fcinfo, 1, "event aggregate id");
	const char *owner;

	KycRequireArg(fcinfo, 2, "event payload");
	KycCheckTopic(topic);
	owner = KycTopicOwner(topic);
	if (owner != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("event topic \"%s\" cannot be emitted through kyc_events.emit()", topic),
				 errdetail("Topics \"%.*s.*\" belong to the extension %s.",
						   (int) strcspn(topic, "."), topic, owner),
				 errhint("Only the triggers of %s emit them, when the change they announce is made.",
						 owner)));

	PG_RETURN_INT64(EmitChecked(topic, aggregate_id, PG_GETARG_JSONB_P(2)));
}
