/*
 * event_handlers.c
 *		The relay handlers of events that complete checklist items:
 *		kyc_checklist.on_document_verified() (document.verified from
 *		document_service) and kyc_checklist.on_screening_completed()
 *		(risk.screening_completed from risk_service).
 *
 * Each runs only when the relay delivers its topic to it
 * (kyc_events.require_delivery()).  It records the event for its case in
 * kyc_checklist.received_events, once per (source, event id), and applies
 * it at once if the case has a checklist, else when the checklist is
 * created (received_events.c).
 */
#include "kyc_checklist.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"

/* The event's payload case_id; an event without one is an error. */
static Datum
EventCaseId(Oid event_type, Datum event)
{
	static SPIPlanPtr plan = NULL;
	HeapTuple	row;
	TupleDesc	desc;
	bool		isnull;
	Datum		case_id;
	char	   *name;

	KycSavedPlan(&plan,
				 "SELECT ($1).payload OPERATOR(pg_catalog.->>) 'case_id', ($1).topic, "
				 "($1).id::pg_catalog.text, ($1).source",
				 1, &event_type);
	if (SPI_execute_plan(plan, &event, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "event case_id lookup failed");
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	case_id = SPI_getbinval(row, desc, 1, &isnull);
	name = isnull ? NULL : TextDatumGetCString(case_id);
	if (name == NULL || name[strspn(name, " \t\r\n")] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s event %s of %s has no case_id", SPI_getvalue(row, desc, 2),
						SPI_getvalue(row, desc, 3), SPI_getvalue(row, desc, 4)),
				 errdetail("The payload's \"case_id\" names the case whose checklist the event completes."),
				 errhint("Fix the emitter, then replay the dead letter with kyc_events.replay_dead_letter(id).")));
	return datumCopy(case_id, false, -1);
}

/*
 * Record the delivered event for its case and apply what can be applied.
 * A second delivery of the same event finds it recorded and does nothing.
 */
static void
ReceiveEvent(FunctionCallInfo fcinfo, const char *topics)
{
	static SPIPlanPtr keep_plan = NULL;
	Datum		event;
	Oid			event_type;
	Datum		case_id;
	Oid			argtypes[2];
	Datum		values[2];

	KycRequireArg(fcinfo, 0, "e");
	event = PG_GETARG_DATUM(0);
	event_type = HeapTupleHeaderGetTypeId(PG_GETARG_HEAPTUPLEHEADER(0));

	KycSpiConnect();
	KycRequireDelivery(event_type, event, fcinfo->flinfo->fn_oid, topics);
	case_id = EventCaseId(event_type, event);
	ChecklistLockCase(case_id);

	argtypes[0] = event_type;
	argtypes[1] = TEXTOID;
	values[0] = event;
	values[1] = case_id;
	/* The keys applying the event needs: ids, type and counts, no names. */
	KycSavedPlan(&keep_plan,
				 "INSERT INTO kyc_checklist.received_events (source, event_id, topic, case_id, payload) "
				 "SELECT ($1).source, ($1).id, ($1).topic, $2, pg_catalog.jsonb_strip_nulls("
				 "pg_catalog.jsonb_build_object("
				 "'document_id', p OPERATOR(pg_catalog.->) 'document_id', "
				 "'document_type', p OPERATOR(pg_catalog.->) 'document_type', "
				 "'assessment_id', p OPERATOR(pg_catalog.->) 'assessment_id', "
				 "'hits', p OPERATOR(pg_catalog.->) 'hits', "
				 "'result_seq', p OPERATOR(pg_catalog.->) 'result_seq', "
				 "'name_count', CASE WHEN pg_catalog.jsonb_typeof(p OPERATOR(pg_catalog.->) 'names') "
				 "OPERATOR(pg_catalog.=) 'array' "
				 "THEN pg_catalog.jsonb_array_length(p OPERATOR(pg_catalog.->) 'names') END)) "
				 "FROM (SELECT coalesce(($1).payload, '{}'::pg_catalog.jsonb) AS p) e "
				 "ON CONFLICT (source, event_id) DO NOTHING",
				 2, argtypes);
	if (SPI_execute_plan(keep_plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "received event insert failed");
	if (SPI_processed == 1)
		ChecklistApplyReceived(case_id);
	SPI_finish();
}

PG_FUNCTION_INFO_V1(kyc_checklist_on_document_verified);

/* SQL: kyc_checklist.on_document_verified(e kyc_events.event) RETURNS void */
Datum
kyc_checklist_on_document_verified(PG_FUNCTION_ARGS)
{
	ReceiveEvent(fcinfo, "{document.verified}");
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_checklist_on_screening_completed);

/* SQL: kyc_checklist.on_screening_completed(e kyc_events.event) RETURNS void */
Datum
kyc_checklist_on_screening_completed(PG_FUNCTION_ARGS)
{
	ReceiveEvent(fcinfo, "{risk.screening_completed}");
	PG_RETURN_VOID();
}
