/*
 * change_feed.c
 *		NOTIFY kyc_projections: after a transaction that changed
 *		projections, one notification naming the changed cases.
 *
 * The note_change trigger collects each changed case id in a list that
 * lives as long as the transaction; just before commit the list becomes
 * one NOTIFY, its ids joined by commas.  NOTIFY's payload stops short of
 * 8000 bytes: a longer list is sent as "many", and the client reads
 * kyc_projections.changes_since(cursor) instead.  A transaction that rolls
 * back notifies nothing.
 */
#include "kyc_projections.h"

#include "access/xact.h"
#include "commands/async.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"
#include "utils/rel.h"

/* NOTIFY refuses a payload of 8000 bytes or more (async.c, BLCKSZ 8192). */
#define NOTIFY_PAYLOAD_LIMIT 7999

/* Case ids changed by this transaction, in TopTransactionContext. */
static List *changed = NIL;
static bool callback_registered = false;

/* The payload of the notification: the ids, or "many" when they do not fit. */
static char *
ChangePayload(void)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, changed)
	{
		const char *id = lfirst(lc);

		if (buf.len + 1 + strlen(id) > NOTIFY_PAYLOAD_LIMIT)
			return "many";
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? "," : "", id);
	}
	return buf.data;
}

/* Send the transaction's notification at pre-commit; forget the list at its end. */
static void
ChangeFeedXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (changed != NIL)
				Async_Notify(PROJECTIONS_CHANNEL, ChangePayload());
			changed = NIL;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_COMMIT:
			changed = NIL;
			break;
		default:
			break;
	}
}

/* Add case_id to this transaction's changed cases, once. */
void
NoteChangedCase(const char *case_id)
{
	ListCell   *lc;
	MemoryContext old;

	if (!callback_registered)
	{
		RegisterXactCallback(ChangeFeedXactCallback, NULL);
		callback_registered = true;
	}
	foreach(lc, changed)
		if (strcmp(lfirst(lc), case_id) == 0)
			return;
	old = MemoryContextSwitchTo(TopTransactionContext);
	changed = lappend(changed, pstrdup(case_id));
	MemoryContextSwitchTo(old);
}

static KycColumn col_case_id = KYC_COLUMN("case_id");

PG_FUNCTION_INFO_V1(note_change);

/* Trigger: AFTER INSERT OR UPDATE ON onboarding_case_projections FOR EACH ROW */
Datum
note_change(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "note_change", false, true);
	HeapTuple	row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;

	NoteChangedCase(KycRowText(row, RelationGetDescr(trigdata->tg_relation), &col_case_id));
	return PointerGetDatum(NULL);
}
