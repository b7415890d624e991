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
 *	case.attention_required	 a case under review got a new attention reason
 *							 (a reopened checklist, a risen risk level);
 *							 adds reason
 *
 * Every payload also carries partner_name, the name of the case's partner.
 * The events risk_service assesses the case by are recorded in risk_sync
 * (risk_sync.c).
 */
#include "kyc_onboarding.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"

/* Columns of onboarding_cases the events read. */
static KycColumn col_case_id = KYC_COLUMN("case_id");
static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_updated_at = KYC_COLUMN("updated_at");
static KycColumn col_partner_id = KYC_COLUMN("partner_id");
static KycColumn col_attention_reasons = KYC_COLUMN("attention_reasons");

/* Columns risk_service assesses a case by (risk_sync.c). */
static KycColumn risk_columns[] = {
	KYC_COLUMN("type"), KYC_COLUMN("company_name"), KYC_COLUMN("industry_code"),
};

/* True when the update changed a column risk_service assesses the case by. */
static bool
RiskDataChanged(HeapTuple oldtuple, HeapTuple newtuple, TupleDesc desc)
{
	int			i;

	for (i = 0; i < lengthof(risk_columns); i++)
		if (!KycRowSame(oldtuple, newtuple, desc, &risk_columns[i]))
			return true;
	return false;
}

/* The whole case row, plus partner_name. */
static Jsonb *
CasePayload(Relation rel, HeapTuple tuple)
{
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *partner_id = KycRowText(tuple, desc, &col_partner_id);
	JsonbParseState *state = NULL;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "partner_name", partner_id ? OnboardingPartnerName(rel, partner_id) : NULL);
	return KycJsonbConcat(KycTupleToJsonb(tuple, desc),
						  JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL)));
}

/* The attention reasons of a case row, and how many. */
static Datum *
AttentionReasons(HeapTuple tuple, TupleDesc desc, int *n)
{
	bool		isnull;
	Datum		value = KycRowDatum(tuple, desc, &col_attention_reasons, &isnull);
	Datum	   *elems;
	bool	   *nulls;

	*n = 0;
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, n);
	return elems;
}

/*
 * case.attention_required when an update added an attention reason (the
 * newest differs; the list keeps only the newest 20): the case row and the
 * newest reason.
 */
static void
EmitAttention(Relation rel, HeapTuple oldtuple, HeapTuple newtuple, const char *case_id)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			before;
	int			after;
	Datum	   *old_reasons;
	Datum	   *reasons;
	JsonbParseState *state = NULL;

	old_reasons = AttentionReasons(oldtuple, desc, &before);
	reasons = AttentionReasons(newtuple, desc, &after);
	if (after == 0 ||
		(before > 0 && strcmp(TextDatumGetCString(old_reasons[before - 1]),
							  TextDatumGetCString(reasons[after - 1])) == 0))
		return;
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "reason", TextDatumGetCString(reasons[after - 1]));
	KycEmit("case.attention_required", case_id,
			KycJsonbConcat(CasePayload(rel, newtuple),
						   JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL))));
}

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

PG_FUNCTION_INFO_V1(kyc_onboarding_case_events);

/* Trigger: AFTER INSERT OR UPDATE ON onboarding_cases FOR EACH ROW */
Datum
kyc_onboarding_case_events(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "case_events", false, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	oldtuple = trigdata->tg_trigtuple;
	HeapTuple	newtuple;
	char	   *case_id;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		case_id = KycRowText(oldtuple, desc, &col_case_id);
		OnboardingRecordRiskData(case_id, KycEmit("case.created", case_id,
												  CasePayload(trigdata->tg_relation, oldtuple)));
		return PointerGetDatum(NULL);
	}

	newtuple = trigdata->tg_newtuple;
	case_id = KycRowText(newtuple, desc, &col_case_id);
	if (!KycRowSame(oldtuple, newtuple, desc, &col_status))
	{
		KycEmit("case.status_changed", case_id,
				KycJsonbConcat(CasePayload(trigdata->tg_relation, newtuple),
							   StatusExtras(KycRowText(oldtuple, desc, &col_status))));

		/*
		 * Data changed with the status still reaches risk_service, and is
		 * waited for.
		 */
		if (RiskDataChanged(oldtuple, newtuple, desc))
			OnboardingRecordRiskData(case_id, KycEmit("case.updated", case_id,
													  KycJsonbConcat(CasePayload(trigdata->tg_relation, newtuple),
																	 ChangedColumns(oldtuple, newtuple, desc))));
	}
	else
	{
		Jsonb	   *changed = ChangedColumns(oldtuple, newtuple, desc);

		if (changed != NULL)
		{
			int64		id = KycEmit("case.updated", case_id,
									 KycJsonbConcat(CasePayload(trigdata->tg_relation, newtuple), changed));

			if (RiskDataChanged(oldtuple, newtuple, desc))
				OnboardingRecordRiskData(case_id, id);
		}
	}
	EmitAttention(trigdata->tg_relation, oldtuple, newtuple, case_id);
	return PointerGetDatum(NULL);
}
