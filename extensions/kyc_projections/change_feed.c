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
static int	changed_bytes = 0;	/* the payload they make */
static bool changed_many = false;	/* too many to name: no more are kept */
static bool callback_registered = false;

/* Forget the transaction's changes. */
static void
ForgetChanges(void)
{
	changed = NIL;
	changed_bytes = 0;
	changed_many = false;
}

/* The payload of the notification: the ids, or "many" when they do not fit. */
static char *
ChangePayload(void)
{
	StringInfoData buf;
	ListCell   *lc;

	if (changed_many)
		return "many";
	initStringInfo(&buf);
	foreach(lc, changed)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? "," : "", (char *) lfirst(lc));
	return buf.data;
}

/* Send the transaction's notification at pre-commit; forget the list at its end. */
static void
ChangeFeedXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (changed != NIL || changed_many)
				Async_Notify(PROJECTIONS_CHANNEL, ChangePayload());
			ForgetChanges();
			break;
		case XACT_EVENT_PRE_PREPARE:
			/* Its notification could not be sent, and its lock would be held. */
			if (changed != NIL || changed_many)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot PREPARE a transaction that changed projections"),
						 errhint("Commit it: NOTIFY kyc_projections is sent at commit.")));
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PREPARE:
			ForgetChanges();
			break;
		default:
			break;
	}
}

/* Add case_id to this transaction's changed cases, once. */
void
ProjectionNoteChangedCase(const char *case_id)
{
	ListCell   *lc;
	MemoryContext old;

	if (!callback_registered)
	{
		RegisterXactCallback(ChangeFeedXactCallback, NULL);
		callback_registered = true;
	}
	if (changed_many)
		return;
	/* At most NOTIFY_PAYLOAD_LIMIT bytes of ids: the check stays short. */
	foreach(lc, changed)
		if (strcmp(lfirst(lc), case_id) == 0)
		return;
	if (changed_bytes + (changed != NIL ? 1 : 0) + (int) strlen(case_id) > NOTIFY_PAYLOAD_LIMIT)
	{
		changed_many = true;
		return;
	}
	changed_bytes += (changed != NIL ? 1 : 0) + strlen(case_id);
	old = MemoryContextSwitchTo(TopTransactionContext);
	changed = lappend(changed, pstrdup(case_id));
	MemoryContextSwitchTo(old);
}

static KycColumn col_case_id = KYC_COLUMN("case_id");

PG_FUNCTION_INFO_V1(kyc_projections_note_change);

/* Trigger: AFTER INSERT OR UPDATE ON onboarding_case_projections FOR EACH ROW */
Datum
kyc_projections_note_change(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "note_change", false, true);
	HeapTuple	row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
	trigdata->tg_newtuple : trigdata->tg_trigtuple;

	ProjectionNoteChangedCase(KycRowText(row, RelationGetDescr(trigdata->tg_relation), &col_case_id));
	return PointerGetDatum(NULL);
}
