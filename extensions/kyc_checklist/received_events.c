/*
 * received_events.c
 *		Events that complete checklist items, recorded as they arrive and
 *		applied once their case's checklist exists.
 *
 * A document.verified or risk.screening_completed event may arrive before
 * the case.created event that creates its case's checklist (the sources
 * are separate streams).  The handlers record each such event in
 * kyc_checklist.received_events, keeping only the keys applying it needs
 * (never the screened names), with applied_at NULL; whenever the case has
 * a checklist, every unapplied event of the case is applied and stamped.
 * create_checklist() applies them too, so the order in which the events
 * and the checklist arrive does not matter.  A second delivery of an event
 * finds its row (source, event id) and changes nothing.  Everything done
 * for one case is serialised by kyc_checklist.lock_case().
 *
 * Items are stamped completed_by 'document:<document id>' or
 * 'screening:<event id>'.  item_rules refuses those prefixes from every
 * writer but the UPDATEs below, which mark themselves in a flag no SQL can
 * set.
 */
#include "kyc_checklist.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"

/* Which event kind's UPDATE is running, if any. */
static ChecklistCompleter completer = COMPLETER_PERSON;

/* The event kind whose UPDATE is writing items now, else a person. */
ChecklistCompleter
ChecklistEventCompleter(void)
{
	return completer;
}

/* Serialise everything done for one case (SPI connected). */
void
ChecklistLockCase(Datum case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};

	KycSavedPlan(&plan, "SELECT kyc_checklist.lock_case($1)", 1, argtypes);
	if (SPI_execute_plan(plan, &case_id, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "kyc_checklist.lock_case() failed");
}

/* Run the item UPDATE plan for the case, as the completer. */
static void
CompleteAs(ChecklistCompleter as, SPIPlanPtr plan, Datum case_id)
{
	completer = as;
	PG_TRY();
	{
		if (SPI_execute_plan(plan, &case_id, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "checklist item update failed");
	}
	PG_FINALLY();
	{
		completer = COMPLETER_PERSON;
	}
	PG_END_TRY();
}

/*
 * Apply every unapplied received event of the case, if the case has a
 * checklist; return how many were applied.  The caller holds the case's
 * lock.
 *
 * A verified document completes the Pending items its type satisfies
 * (document_item_map), each by the earliest such document.  A screening
 * completes the Pending items event_item_map gives it (the sanctions and
 * PEP screening item), but only the newest
 * screening received from its source: an older one, replayed after a
 * person reopened the item, does not complete it again.
 */
int
ChecklistApplyReceived(Datum case_id)
{
	static SPIPlanPtr exists_plan = NULL;
	static SPIPlanPtr documents_plan = NULL;
	static SPIPlanPtr screening_plan = NULL;
	static SPIPlanPtr applied_plan = NULL;
	Oid			argtypes[1] = {TEXTOID};

	KycSavedPlan(&exists_plan,
				 "SELECT FROM kyc_checklist.checklists c WHERE c.case_id OPERATOR(pg_catalog.=) $1",
				 1, argtypes);

	/*
	 * Read-write, so that it takes a new snapshot: one taken after the case
	 * lock sees a checklist committed while this transaction waited for it.
	 */
	if (SPI_execute_plan(exists_plan, &case_id, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "checklist lookup failed");
	if (SPI_processed == 0)
		return 0;

	KycSavedPlan(&documents_plan,
				 "UPDATE kyc_checklist.checklist_items i "
				 "SET status = 'Completed', "
				 "completed_by = pg_catalog.left('" DOCUMENT_COMPLETER_PREFIX "' OPERATOR(pg_catalog.||) "
				 "coalesce(d.payload OPERATOR(pg_catalog.->>) 'document_id', d.event_id::pg_catalog.text), 200), "
				 "notes = pg_catalog.concat_ws(E'\\n', i.notes, "
				 "pg_catalog.format('Completed by verified %s document %s (event %s of %s)', "
				 "d.payload OPERATOR(pg_catalog.->>) 'document_type', "
				 "d.payload OPERATOR(pg_catalog.->>) 'document_id', d.event_id, d.source)) "
				 "FROM kyc_checklist.checklists c, "
				 "(SELECT DISTINCT ON (m.item_code) m.item_code, r.source, r.event_id, r.payload "
				 " FROM kyc_checklist.received_events r, kyc_checklist.document_item_map m "
				 " WHERE r.case_id OPERATOR(pg_catalog.=) $1 AND r.applied_at IS NULL "
				 " AND r.topic OPERATOR(pg_catalog.=) 'document.verified' "
				 " AND m.document_type OPERATOR(pg_catalog.=) (r.payload OPERATOR(pg_catalog.->>) 'document_type') "
				 " ORDER BY m.item_code, r.received_at, r.source, r.event_id) d "
				 "WHERE c.case_id OPERATOR(pg_catalog.=) $1 "
				 "AND i.checklist_id OPERATOR(pg_catalog.=) c.id "
				 "AND i.code OPERATOR(pg_catalog.=) d.item_code "
				 "AND i.status OPERATOR(pg_catalog.=) 'Pending'",
				 1, argtypes);
	CompleteAs(COMPLETER_DOCUMENT, documents_plan, case_id);

	KycSavedPlan(&screening_plan,
				 "UPDATE kyc_checklist.checklist_items i "
				 "SET status = 'Completed', "
				 "completed_by = pg_catalog.left('" SCREENING_COMPLETER_PREFIX "' OPERATOR(pg_catalog.||) "
				 "s.event_id::pg_catalog.text, 200), "
				 "notes = pg_catalog.concat_ws(E'\\n', i.notes, "
				 "pg_catalog.format('Completed by the sanctions and PEP screening of %s names, %s hits "
				 "(assessment %s, event %s of %s)', "
				 "coalesce(s.payload OPERATOR(pg_catalog.->>) 'name_count', '?'), "
				 "coalesce(s.payload OPERATOR(pg_catalog.->>) 'hits', '?'), "
				 "coalesce(s.payload OPERATOR(pg_catalog.->>) 'assessment_id', '?'), s.event_id, s.source)) "
				 "FROM kyc_checklist.checklists c, "
				 "(SELECT r.source, r.event_id, r.payload FROM kyc_checklist.received_events r "
				 " WHERE r.case_id OPERATOR(pg_catalog.=) $1 AND r.applied_at IS NULL "
				 " AND r.topic OPERATOR(pg_catalog.=) 'risk.screening_completed' "
				 " AND NOT EXISTS (SELECT FROM kyc_checklist.received_events n "
				 "  WHERE n.case_id OPERATOR(pg_catalog.=) r.case_id AND n.topic OPERATOR(pg_catalog.=) r.topic "
				 "  AND n.source OPERATOR(pg_catalog.=) r.source AND n.event_id OPERATOR(pg_catalog.>) r.event_id) "
				 " ORDER BY r.received_at DESC, r.event_id DESC LIMIT 1) s "
				 "WHERE c.case_id OPERATOR(pg_catalog.=) $1 "
				 "AND i.checklist_id OPERATOR(pg_catalog.=) c.id "
				 "AND i.code IN (SELECT em.item_code FROM kyc_checklist.event_item_map em "
				 " WHERE em.topic OPERATOR(pg_catalog.=) 'risk.screening_completed') "
				 "AND i.status OPERATOR(pg_catalog.=) 'Pending'",
				 1, argtypes);
	CompleteAs(COMPLETER_SCREENING, screening_plan, case_id);

	KycSavedPlan(&applied_plan,
				 "UPDATE kyc_checklist.received_events r SET applied_at = pg_catalog.now() "
				 "WHERE r.case_id OPERATOR(pg_catalog.=) $1 AND r.applied_at IS NULL",
				 1, argtypes);
	if (SPI_execute_plan(applied_plan, &case_id, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "received event update failed");
	return (int) SPI_processed;
}

PG_FUNCTION_INFO_V1(kyc_checklist_apply_received_events);

/* SQL: kyc_checklist.apply_received_events(case_id text) RETURNS integer */
Datum
kyc_checklist_apply_received_events(PG_FUNCTION_ARGS)
{
	Datum		case_id;
	int			applied;

	KycRequireArg(fcinfo, 0, "case_id");
	case_id = PG_GETARG_DATUM(0);
	KycSpiConnect();
	ChecklistLockCase(case_id);
	applied = ChecklistApplyReceived(case_id);
	SPI_finish();
	PG_RETURN_INT32(applied);
}
