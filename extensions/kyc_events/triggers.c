/*
 * triggers.c
 *		Checks that kyc_events' trigger functions fire as the triggers
 *		kyc_events creates, on the tables it creates them on.
 *
 * A trigger function runs as whoever changes the table it is attached to,
 * so a copy attached elsewhere would act with that table's authority: an
 * audit.recorded event for a table of the attacker's choosing, or a relay
 * reload on every commit of some other table.  Each function refuses to
 * run anywhere but where kyc_events put it.
 */
#include "kyc_events.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* Refuse a call that fired on the wrong trigger or event, naming both. */
static void
WrongTrigger(TriggerData *trigdata, const char *function, const char *expected)
{
	Relation	rel = trigdata->tg_relation;

	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("%s() must fire as %s", function, expected),
			 errdetail("It fired as trigger \"%s\" on %s.", trigdata->tg_trigger->tgname,
					   quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												  RelationGetRelationName(rel))),
			 errhint("Only kyc_events creates triggers that use kyc_events' trigger functions.")));
}

/*
 * The trigger data of capture_row() (row) or capture_truncate() (statement),
 * after checking the call is trigger kyc_capture, AFTER INSERT OR UPDATE OR
 * DELETE FOR EACH ROW, or kyc_capture_truncate, AFTER TRUNCATE FOR EACH
 * STATEMENT, as kyc_events.capture() creates them, on a table that is not
 * temporary.
 */
TriggerData *
KycCaptureTrigger(FunctionCallInfo fcinfo, const char *function, bool row)
{
	TriggerData *trigdata = KycAnyTableTriggerCall(fcinfo, function, false, row);
	const char *expected = row ? "trigger kyc_capture, AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW"
	: "trigger kyc_capture_truncate, AFTER TRUNCATE FOR EACH STATEMENT";

	if (strcmp(trigdata->tg_trigger->tgname, row ? "kyc_capture" : "kyc_capture_truncate") != 0 ||
		row == (bool) TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		WrongTrigger(trigdata, function, expected);
	if (trigdata->tg_relation->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() does not capture temporary table %s", function,
						RelationGetRelationName(trigdata->tg_relation)),
				 errdetail("Only permanent tables are audited.")));
	return trigdata;
}

/* Check subscription_changed() fires AFTER ... FOR EACH STATEMENT on kyc_events.subscription. */
void
KycSubscriptionTrigger(FunctionCallInfo fcinfo)
{
	TriggerData *trigdata = KycAnyTableTriggerCall(fcinfo, "subscription_changed", false, false);
	Oid			subscription = get_relname_relid("subscription",
												 get_namespace_oid("kyc_events", false));

	if (RelationGetRelid(trigdata->tg_relation) != subscription)
		WrongTrigger(trigdata, "subscription_changed",
					 "a trigger on kyc_events.subscription");
}
