/*
 * item_counts.c
 *		A checklist's counts, completion percentage and status, kept by
 *		each item change in O(1): the change's own deltas are added in one
 *		UPDATE of the checklist row, never by recounting its items.
 *
 * The UPDATE's row lock serialises concurrent item changes of a checklist,
 * and each one adds to the row version the one before it committed, so the
 * counts stay exact under any concurrency.  The same UPDATE decides the
 * status from the new counts and records in last_transition whether it
 * completed or reopened the checklist; that is announced once, here, as
 * checklist.completed or checklist.reopened, and any other change of the
 * counts as checklist.progressed (the read model shows the progress).
 */
#include "kyc_checklist.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/uuid.h"

static KycColumn col_checklist = KYC_COLUMN("checklist_id");
static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_required = KYC_COLUMN("is_required");
static KycColumn col_id = KYC_COLUMN("id");
static KycColumn col_code = KYC_COLUMN("code");

/* What one item adds to its checklist's counts. */
typedef struct ItemCounts
{
	int32		total;
	int32		completed;
	int32		skipped;
	int32		required;
	int32		completed_required;
} ItemCounts;

/* One item's counts, with sign +1 (added) or -1 (removed). */
static ItemCounts
CountsOf(HeapTuple row, TupleDesc desc, int sign)
{
	ItemCounts	c;
	bool		isnull;
	char	   *status = KycRowText(row, desc, &col_status);
	bool		required = DatumGetBool(KycRowDatum(row, desc, &col_required, &isnull));
	bool		completed = strcmp(status, ITEM_COMPLETED) == 0;

	c.total = sign;
	c.completed = completed ? sign : 0;
	c.skipped = strcmp(status, ITEM_SKIPPED) == 0 ? sign : 0;
	c.required = required ? sign : 0;
	c.completed_required = required && completed ? sign : 0;
	return c;
}

/* Whether counts change nothing. */
static bool
CountsZero(const ItemCounts *c)
{
	return c->total == 0 && c->completed == 0 && c->skipped == 0 && c->required == 0 &&
		c->completed_required == 0;
}

/* Columns of the counts UPDATE's RETURNING list, from 1, in its order. */
enum
{
	RET_CASE_ID = 1, RET_TYPE, RET_STATUS, RET_TRANSITION, RET_TOTAL, RET_COMPLETED, RET_SKIPPED,
	RET_REQUIRED, RET_COMPLETED_REQUIRED, RET_PERCENTAGE, RET_REQUIRED_PERCENTAGE
};

/* Push the n returned columns from first on, as "keys[i]": value. */
static void
PushColumns(JsonbParseState **state, HeapTuple row, TupleDesc desc, int first,
			const char *const *keys, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		KycJsonPushColumn(state, keys[i], row, desc, first + i);
}

/* The event payload: the checklist, its counts, and the item that moved it. */
static Jsonb *
ChecklistPayload(HeapTuple row, TupleDesc desc, const char *checklist_id, HeapTuple item,
				 TupleDesc item_desc)
{
	static const char *const checklist_keys[] = {"case_id", "type", "status"};
	static const char *const percentage_keys[] = {"completion_percentage", "required_completion_percentage"};
	static const char *const count_keys[] = {"total", "completed", "skipped", "required", "completed_required"};
	JsonbParseState *state = NULL;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "checklist_id", checklist_id);
	PushColumns(&state, row, desc, RET_CASE_ID, checklist_keys, lengthof(checklist_keys));
	PushColumns(&state, row, desc, RET_PERCENTAGE, percentage_keys, lengthof(percentage_keys));
	KycJsonBegin(&state, "counts", WJB_BEGIN_OBJECT);
	PushColumns(&state, row, desc, RET_TOTAL, count_keys, lengthof(count_keys));
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	KycJsonBegin(&state, "item", WJB_BEGIN_OBJECT);
	KycJsonPushText(&state, "id", KycRowText(item, item_desc, &col_id));
	KycJsonPushText(&state, "code", KycRowText(item, item_desc, &col_code));
	KycJsonPushText(&state, "status", KycRowText(item, item_desc, &col_status));
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return KycJsonFinish(&state);
}

/*
 * Add counts to one checklist, and announce a completion or a reopening
 * that this change caused.  The caller is connected to SPI.
 */
static void
ApplyCounts(Datum checklist_id, const ItemCounts *c, HeapTuple item, TupleDesc item_desc)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[6] = {UUIDOID, INT4OID, INT4OID, INT4OID, INT4OID, INT4OID};
	Datum		values[6];
	HeapTuple	row;
	TupleDesc	desc;
	char	   *transition;
	char	   *id;

	values[0] = checklist_id;
	values[1] = Int32GetDatum(c->total);
	values[2] = Int32GetDatum(c->completed);
	values[3] = Int32GetDatum(c->skipped);
	values[4] = Int32GetDatum(c->required);
	values[5] = Int32GetDatum(c->completed_required);
	/* In SET, c.* are the values before this update; n.* are the new counts. */
	KycSavedPlan(&plan,
				 "UPDATE kyc_checklist.checklists c SET "
				 "  total_items = c.total_items OPERATOR(pg_catalog.+) $2, completed_items = c.completed_items OPERATOR(pg_catalog.+) $3, "
				 "  skipped_items = c.skipped_items OPERATOR(pg_catalog.+) $4, required_items = c.required_items OPERATOR(pg_catalog.+) $5, "
				 "  completed_required_items = c.completed_required_items OPERATOR(pg_catalog.+) $6, "
				 "  completion_percentage = kyc_checklist.completion_percentage("
				 "    c.completed_items OPERATOR(pg_catalog.+) $3, c.total_items OPERATOR(pg_catalog.+) $2, c.skipped_items OPERATOR(pg_catalog.+) $4), "
				 "  status = CASE WHEN kyc_checklist.is_complete(c.completed_items OPERATOR(pg_catalog.+) $3, c.total_items OPERATOR(pg_catalog.+) $2, "
				 "    c.skipped_items OPERATOR(pg_catalog.+) $4, c.required_items OPERATOR(pg_catalog.+) $5, c.completed_required_items OPERATOR(pg_catalog.+) $6, "
				 "    c.required_completion_percentage) THEN 'Completed' ELSE 'InProgress' END, "
				 "  last_transition = CASE "
				 "    WHEN kyc_checklist.is_complete(c.completed_items OPERATOR(pg_catalog.+) $3, c.total_items OPERATOR(pg_catalog.+) $2, "
				 "      c.skipped_items OPERATOR(pg_catalog.+) $4, c.required_items OPERATOR(pg_catalog.+) $5, c.completed_required_items OPERATOR(pg_catalog.+) $6, "
				 "      c.required_completion_percentage) "
				 "    THEN CASE WHEN c.status OPERATOR(pg_catalog.=) 'Completed' THEN 'none' ELSE 'completed' END "
				 "    ELSE CASE WHEN c.status OPERATOR(pg_catalog.=) 'Completed' THEN 'reopened' ELSE 'none' END END, "
				 "  completed_at = CASE "
				 "    WHEN NOT kyc_checklist.is_complete(c.completed_items OPERATOR(pg_catalog.+) $3, c.total_items OPERATOR(pg_catalog.+) $2, "
				 "      c.skipped_items OPERATOR(pg_catalog.+) $4, c.required_items OPERATOR(pg_catalog.+) $5, c.completed_required_items OPERATOR(pg_catalog.+) $6, "
				 "      c.required_completion_percentage) THEN NULL "
				 "    WHEN c.status OPERATOR(pg_catalog.=) 'Completed' THEN c.completed_at ELSE pg_catalog.now() END, "
				 "  updated_at = pg_catalog.now() "
				 "WHERE c.id OPERATOR(pg_catalog.=) $1 "
				 "RETURNING c.case_id::pg_catalog.text, c.type, c.status, c.last_transition, c.total_items, "
				 "  c.completed_items, c.skipped_items, c.required_items, c.completed_required_items, "
				 "  c.completion_percentage, c.required_completion_percentage",
				 6, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "could not update the checklist's counts");
	if (SPI_processed == 0)
		return;					/* the checklist is being deleted with its
								 * items */
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	transition = SPI_getvalue(row, desc, RET_TRANSITION);
	id = DatumGetCString(DirectFunctionCall1(uuid_out, checklist_id));
	/* Every change of the counts is announced, for the read model. */
	KycEmit(strcmp(transition, "completed") == 0 ? "checklist.completed" :
			strcmp(transition, "reopened") == 0 ? "checklist.reopened" : "checklist.progressed",
			SPI_getvalue(row, desc, RET_CASE_ID), ChecklistPayload(row, desc, id, item, item_desc));
}

PG_FUNCTION_INFO_V1(kyc_checklist_item_counts);

/*
 * Trigger: AFTER INSERT OR UPDATE OR DELETE ON checklist_items FOR EACH
 * ROW, and BEFORE TRUNCATE, which it refuses.  Runs as the table's owner
 * (with search_path pinned), so the service needs no right to write a
 * checklist's counts.
 */
Datum
kyc_checklist_item_counts(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerData(fcinfo, "item_counts");
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	old = NULL;
	HeapTuple	new = NULL;
	KycOwnerScope owner;
	bool		isnull;

	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("checklist items cannot be truncated"),
				 errdetail("Checklist counts follow items row by row."),
				 errhint("DELETE the items, or the checklists, which takes their items along.")));
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("item_counts() must be fired AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW")));
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		new = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		old = trigdata->tg_trigtuple;
	else
	{
		old = trigdata->tg_trigtuple;
		new = trigdata->tg_newtuple;
	}

	KycBecomeOwner(trigdata->tg_relation->rd_rel->relowner, &owner);
	KycSpiConnect();
	if (old != NULL && new != NULL && KycRowSame(old, new, desc, &col_checklist))
	{
		/* The same checklist: only the difference counts, if any. */
		ItemCounts	before = CountsOf(old, desc, -1);
		ItemCounts	after = CountsOf(new, desc, 1);
		ItemCounts	delta = {after.total + before.total, after.completed + before.completed,
			after.skipped + before.skipped, after.required + before.required,
		after.completed_required + before.completed_required};

		if (!CountsZero(&delta))
			ApplyCounts(KycRowDatum(new, desc, &col_checklist, &isnull), &delta, new, desc);
	}
	else
	{
		if (old != NULL)
		{
			ItemCounts	removed = CountsOf(old, desc, -1);

			ApplyCounts(KycRowDatum(old, desc, &col_checklist, &isnull), &removed, old, desc);
		}
		if (new != NULL)
		{
			ItemCounts	added = CountsOf(new, desc, 1);

			ApplyCounts(KycRowDatum(new, desc, &col_checklist, &isnull), &added, new, desc);
		}
	}
	SPI_finish();
	KycLeaveOwner(&owner);
	return PointerGetDatum(NULL);
}
