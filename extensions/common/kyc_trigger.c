/*
 * kyc_trigger.c
 *		Checks that a trigger function is called as the trigger it was
 *		written for, so a misplaced CREATE TRIGGER fails loudly instead of
 *		misbehaving.
 */
#include "kyc_common.h"

#include "commands/trigger.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* The trigger data of a call that must come from a trigger, on any table. */
static TriggerData *
TriggerDataAnyTable(FunctionCallInfo fcinfo, const char *name)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be called as a trigger", name)));
	return (TriggerData *) fcinfo->context;
}

/* Raise an error unless the trigger fires BEFORE or AFTER, per ROW or STATEMENT. */
static void
CheckTiming(TriggerData *trigdata, const char *name, bool before, bool row)
{
	if (before != (bool) TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		row != (bool) TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be fired %s ... FOR EACH %s", name,
						before ? "BEFORE" : "AFTER", row ? "ROW" : "STATEMENT")));
}

/*
 * The trigger data of a call that must come from a trigger on a table of
 * the function's own schema.  Attached to any other table (a service
 * role's temp table, say), a trigger function that acts as its table's
 * owner or emits events would be a way around the extension's rules.
 */
TriggerData *
KycTriggerData(FunctionCallInfo fcinfo, const char *name)
{
	TriggerData *trigdata = TriggerDataAnyTable(fcinfo, name);
	Oid			schema = get_func_namespace(fcinfo->flinfo->fn_oid);

	if (RelationGetNamespace(trigdata->tg_relation) != schema)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() fires only on tables of schema %s", name, get_namespace_name(schema)),
				 errdetail("Trigger \"%s\" fired it on table %s.%s.", trigdata->tg_trigger->tgname,
						   get_namespace_name(RelationGetNamespace(trigdata->tg_relation)),
						   RelationGetRelationName(trigdata->tg_relation))));
	return trigdata;
}

/*
 * The trigger data of a trigger that may fire on any table (capture), at
 * the given timing; the caller checks which triggers may use it.
 */
TriggerData *
KycAnyTableTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before, bool row)
{
	TriggerData *trigdata = TriggerDataAnyTable(fcinfo, name);

	CheckTiming(trigdata, name, before, row);
	return trigdata;
}

/* The same, for a trigger that must fire BEFORE or AFTER, per ROW or STATEMENT. */
TriggerData *
KycTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before, bool row)
{
	TriggerData *trigdata = KycTriggerData(fcinfo, name);

	CheckTiming(trigdata, name, before, row);
	return trigdata;
}

/* The same, for a row trigger that must fire BEFORE or AFTER INSERT OR UPDATE. */
TriggerData *
KycWriteTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *trigdata = KycTriggerData(fcinfo, name);
	TriggerEvent event = trigdata->tg_event;

	if (before != (bool) TRIGGER_FIRED_BEFORE(event) || !TRIGGER_FIRED_FOR_ROW(event) ||
		!(TRIGGER_FIRED_BY_INSERT(event) || TRIGGER_FIRED_BY_UPDATE(event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be fired %s INSERT OR UPDATE ... FOR EACH ROW", name,
						before ? "BEFORE" : "AFTER")));
	return trigdata;
}
