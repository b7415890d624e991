/*
 * document_handler.c
 *		kyc_checklist.on_document_verified(): a verified document completes
 *		the Pending items its type satisfies.
 *
 * Such an item is stamped completed_by = 'document:<document id>', which
 * says a verified document, not a person, completed it.  item_rules
 * refuses that prefix from any other writer: it accepts it only while this
 * handler runs its own UPDATE, which it marks in a flag no SQL can set.
 * The handler itself runs only when the relay delivers a document.verified
 * event to it (kyc_events.require_delivery()).
 */
#include "kyc_checklist.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"

/* True only during the handler's UPDATE of checklist items. */
static bool completing_from_document = false;

/* Whether the item being written is the document handler's. */
bool
ChecklistDocumentCompletion(void)
{
	return completing_from_document;
}

/* Refuse the call unless the relay is delivering this event to handler. */
static void
RequireDelivery(SPIPlanPtr *plan, Oid event_type, Datum event, Oid handler)
{
	Oid			argtypes[2] = {event_type, REGPROCEDUREOID};
	Datum		values[2] = {event, ObjectIdGetDatum(handler)};

	KycSavedPlan(plan, "SELECT kyc_events.require_delivery($1, $2, "
				 "'{document.verified}'::pg_catalog.text[])", 2, argtypes);
	if (SPI_execute_plan(*plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "kyc_events.require_delivery() failed");
}

PG_FUNCTION_INFO_V1(on_document_verified);

/* SQL: kyc_checklist.on_document_verified(e kyc_events.event) RETURNS void */
Datum
on_document_verified(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr require_plan = NULL;
	static SPIPlanPtr update_plan = NULL;
	Datum		event;
	Oid			event_type;

	KycRequireArg(fcinfo, 0, "e");
	event = PG_GETARG_DATUM(0);
	event_type = HeapTupleHeaderGetTypeId(PG_GETARG_HEAPTUPLEHEADER(0));

	KycSpiConnect();
	RequireDelivery(&require_plan, event_type, event, fcinfo->flinfo->fn_oid);
	KycSavedPlan(&update_plan,
				 "UPDATE kyc_checklist.checklist_items i "
				 "SET status = 'Completed', "
				 "completed_by = pg_catalog.left('document:' OPERATOR(pg_catalog.||) "
				 "coalesce(($1).payload OPERATOR(pg_catalog.->>) 'document_id', "
				 "($1).id::pg_catalog.text), 200), "
				 "notes = pg_catalog.concat_ws(E'\\n', i.notes, "
				 "pg_catalog.format('Completed by verified %s document %s (event %s of %s)', "
				 "($1).payload OPERATOR(pg_catalog.->>) 'document_type', "
				 "($1).payload OPERATOR(pg_catalog.->>) 'document_id', ($1).id, ($1).source)) "
				 "FROM kyc_checklist.checklists c, kyc_checklist.document_item_map m "
				 "WHERE c.case_id OPERATOR(pg_catalog.=) (($1).payload OPERATOR(pg_catalog.->>) 'case_id') "
				 "AND i.checklist_id OPERATOR(pg_catalog.=) c.id "
				 "AND m.document_type OPERATOR(pg_catalog.=) (($1).payload OPERATOR(pg_catalog.->>) 'document_type') "
				 "AND m.item_code OPERATOR(pg_catalog.=) i.code "
				 "AND i.status OPERATOR(pg_catalog.=) 'Pending'",
				 1, &event_type);

	completing_from_document = true;
	PG_TRY();
	{
		if (SPI_execute_plan(update_plan, &event, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "checklist item update failed");
	}
	PG_FINALLY();
	{
		completing_from_document = false;
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_VOID();
}
