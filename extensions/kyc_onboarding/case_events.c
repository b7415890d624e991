/*
 * case_events.c
 *		AFTER trigger that turns case changes into domain events.
 *
 * Events come from the trigger, not from the API functions, so a case
 * changed by any path (transition(), PostgREST, a plain UPDATE) is
 * announced.  Every payload is the whole case row, so a projection can be
 * built from the events alone.
 *
 *	case.created		 a new case
 *	case.status_changed	 the status moved; adds from_status
 *	case.updated		 any other change; adds changed_columns
 */
#include "kyc_onboarding.h"

#include "access/htup_details.h"
#include "utils/rel.h"

/* Columns of onboarding_cases the events read. */
static KycColumn col_case_id = KYC_COLUMN("case_id");
static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_updated_at = KYC_COLUMN("updated_at");

/* Payload extras for a status change. */
static Jsonb *
StatusExtras(const char *from)
{
	JsonbParseState *state = NULL;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "from_status", from);
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

/* Payload extras naming the columns an update changed; NULL if only updated_at did. */
static Jsonb *
ChangedColumns(HeapTuple oldtuple, HeapTuple newtuple, TupleDesc desc)
{
	JsonbParseState *state = NULL;
	int			updated_at = KycAttnum(desc, &col_updated_at);
	int			changed = 0;
	int			attnum;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushKey(&state, "changed_columns");
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (attnum = 1; attnum <= desc->natts; attnum++)
	{
		if (TupleDescAttr(desc, attnum - 1)->attisdropped || attnum == updated_at)
			continue;
		if (!KycAttrSame(oldtuple, newtuple, desc, attnum))
		{
			KycJsonPushText(&state, NULL, NameStr(TupleDescAttr(desc, attnum - 1)->attname));
			changed++;
		}
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	if (changed == 0)
		return NULL;
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

PG_FUNCTION_INFO_V1(case_events);

/* Trigger: AFTER INSERT OR UPDATE ON onboarding_cases FOR EACH ROW */
Datum
case_events(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "case_events", false, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	oldtuple = trigdata->tg_trigtuple;
	HeapTuple	newtuple;
	char	   *case_id;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		KycEmit("case.created", KycRowText(oldtuple, desc, &col_case_id),
				KycTupleToJsonb(oldtuple, desc));
		return PointerGetDatum(NULL);
	}

	newtuple = trigdata->tg_newtuple;
	case_id = KycRowText(newtuple, desc, &col_case_id);
	if (!KycRowSame(oldtuple, newtuple, desc, &col_status))
		KycEmit("case.status_changed", case_id,
				KycJsonbConcat(KycTupleToJsonb(newtuple, desc),
							   StatusExtras(KycRowText(oldtuple, desc, &col_status))));
	else
	{
		Jsonb	   *changed = ChangedColumns(oldtuple, newtuple, desc);

		if (changed != NULL)
			KycEmit("case.updated", case_id,
					KycJsonbConcat(KycTupleToJsonb(newtuple, desc), changed));
	}
	return PointerGetDatum(NULL);
}
