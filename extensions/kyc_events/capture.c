/*
 * capture.c
 *		Row-change capture: a trigger that turns every change of a table
 *		into an audit.recorded event, for the audit log to record.
 *
 * The payload names the table, the operation, the row's id, and the
 * public case id (capture_case.c), and the
 * previous and new values: whole rows for INSERT and DELETE, only the
 * changed columns for UPDATE.  Who made the change (session and current
 * user, client address, application, PostgREST JWT subject, request id)
 * travels in the event's headers, which emit() fills from the session.
 *
 * audit.* topics belong to kyc_events, and these two triggers are their only
 * source: each checks it fires as the trigger kyc_events.capture() creates,
 * so a row's table in an audit entry is the table that really changed.
 */
#include "kyc_events.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* Push "name": the value of key name in row (a jsonb object), or null. */
static void
PushColumn(JsonbParseState **state, Jsonb *row, const char *name)
{
	JsonbValue	key;
	JsonbValue *value;
	JsonbValue	null;

	key.type = jbvString;
	key.val.string.val = (char *) name;
	key.val.string.len = strlen(name);
	value = findJsonbValueFromContainer(&row->root, JB_FOBJECT, &key);
	if (value == NULL)
	{
		null.type = jbvNull;
		value = &null;
	}
	pushJsonbValue(state, WJB_KEY, &key);
	pushJsonbValue(state, WJB_VALUE, value);
}

/* The values an UPDATE changed, from oldrow and newrow; NULL if none changed. */
static void
ChangedValues(HeapTuple oldtuple, HeapTuple newtuple, TupleDesc desc,
			  Jsonb **previous, Jsonb **current)
{
	Jsonb	   *oldrow = KycTupleToJsonb(oldtuple, desc);
	Jsonb	   *newrow = KycTupleToJsonb(newtuple, desc);
	JsonbParseState *ostate = NULL;
	JsonbParseState *nstate = NULL;
	int			changed = 0;
	int			attnum;

	pushJsonbValue(&ostate, WJB_BEGIN_OBJECT, NULL);
	pushJsonbValue(&nstate, WJB_BEGIN_OBJECT, NULL);
	for (attnum = 1; attnum <= desc->natts; attnum++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);

		if (att->attisdropped || KycAttrSame(oldtuple, newtuple, desc, attnum))
			continue;
		PushColumn(&ostate, oldrow, NameStr(att->attname));
		PushColumn(&nstate, newrow, NameStr(att->attname));
		changed++;
	}
	*previous = changed ? JsonbValueToJsonb(pushJsonbValue(&ostate, WJB_END_OBJECT, NULL)) : NULL;
	*current = changed ? JsonbValueToJsonb(pushJsonbValue(&nstate, WJB_END_OBJECT, NULL)) : NULL;
}

/* Push "key": the jsonb object value, or null. */
static void
PushObject(JsonbParseState **state, const char *key, Jsonb *value)
{
	JsonbValue	v;

	KycJsonPushKey(state, key);
	if (value == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvBinary;
		v.val.binary.data = &value->root;
		v.val.binary.len = VARSIZE(value) - VARHDRSZ;
	}
	pushJsonbValue(state, WJB_VALUE, &v);
}

/* Text of column name in tuple, or NULL if the table has no such column. */
static char *
OptionalColumn(HeapTuple tuple, TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	return attnum > 0 ? SPI_getvalue(tuple, desc, attnum) : NULL;
}

/* The table's schema-qualified, quoted name: the event's aggregate id. */
static char *
TableName(Relation rel)
{
	return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
									  RelationGetRelationName(rel));
}

/* Finish the payload object in state and emit it as audit.recorded. */
static void
EmitCaptured(JsonbParseState **state, const char *table)
{
	KycEventsEmitOwned("kyc_events", "audit.recorded", table,
					   JsonbValueToJsonb(pushJsonbValue(state, WJB_END_OBJECT, NULL)));
}

PG_FUNCTION_INFO_V1(kyc_events_capture_row);

/* Trigger kyc_capture: AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW */
Datum
kyc_events_capture_row(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycCaptureTrigger(fcinfo, "capture_row", true);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	row = trigdata->tg_trigtuple;
	const char *operation;
	Jsonb	   *previous = NULL;
	Jsonb	   *current = NULL;
	char	   *table;
	JsonbParseState *state = NULL;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		operation = "INSERT";
		current = KycTupleToJsonb(row, desc);
	}
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		operation = "DELETE";
		previous = KycTupleToJsonb(row, desc);
	}
	else
	{
		operation = "UPDATE";
		ChangedValues(row, trigdata->tg_newtuple, desc, &previous, &current);
		if (previous == NULL)
			return PointerGetDatum(NULL);	/* nothing changed */
		row = trigdata->tg_newtuple;
	}

	table = TableName(rel);
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "table", table);
	KycJsonPushText(&state, "operation", operation);
	KycJsonPushText(&state, "row_id", OptionalColumn(row, desc, "id"));
	KycJsonPushText(&state, "case_id", KycCaptureCaseId(rel, row));
	PushObject(&state, "previous_values", previous);
	PushObject(&state, "new_values", current);
	EmitCaptured(&state, table);
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(kyc_events_capture_truncate);

/* Trigger kyc_capture_truncate: AFTER TRUNCATE ... FOR EACH STATEMENT, one event. */
Datum
kyc_events_capture_truncate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycCaptureTrigger(fcinfo, "capture_truncate", false);
	char	   *table = TableName(trigdata->tg_relation);
	JsonbParseState *state = NULL;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "table", table);
	KycJsonPushText(&state, "operation", "TRUNCATE");
	PushObject(&state, "previous_values", NULL);
	PushObject(&state, "new_values", NULL);
	EmitCaptured(&state, table);
	return PointerGetDatum(NULL);
}
