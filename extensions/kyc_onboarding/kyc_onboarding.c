/*
 * kyc_onboarding.c
 *		Module entry point and helpers shared by the onboarding triggers.
 */
#include "kyc_onboarding.h"

#include "utils/rel.h"

PG_MODULE_MAGIC;

CaseTransitionContext case_transition = {false, NULL, NULL};

/*
 * Check that a trigger function is called as the trigger it was written
 * for, so a misplaced CREATE TRIGGER fails loudly instead of misbehaving.
 */
TriggerData *
CheckTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before, bool row)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be called as a trigger", name)));
	if (before != (bool) TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		row != (bool) TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be fired %s ... FOR EACH %s", name,
						before ? "BEFORE" : "AFTER", row ? "ROW" : "STATEMENT")));
	return trigdata;
}
