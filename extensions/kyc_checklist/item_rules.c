/*
 * item_rules.c
 *		The rules of a checklist item's status, and its completion stamp.
 *
 * A required item cannot be Skipped.  A Completed item goes back to
 * Pending only with a reason: its notes must change and not be empty
 * (kyc_checklist.reopen_item() writes one).  Entering Completed stamps
 * completed_at and completed_by; leaving it clears them; while it stays
 * Completed they keep their values.  completed_by = 'document:<id>' says a
 * verified document completed the item, 'screening:<event id>' that a
 * sanctions and PEP screening did: only the UPDATEs that apply those
 * events may write them (received_events.c), so a person cannot claim
 * that provenance.
 */
#include "kyc_checklist.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_required = KYC_COLUMN("is_required");
static KycColumn col_notes = KYC_COLUMN("notes");
static KycColumn col_completed_at = KYC_COLUMN("completed_at");
static KycColumn col_completed_by = KYC_COLUMN("completed_by");
static KycColumn col_name = KYC_COLUMN("name");

/* Whether str is NULL or only blanks. */
static bool
IsBlank(const char *str)
{
	if (str == NULL)
		return true;
	for (; *str; str++)
		if (!isspace((unsigned char) *str))
			return false;
	return true;
}

/* Refuse a required item that would be Skipped. */
static void
CheckSkip(HeapTuple row, TupleDesc desc, const char *status)
{
	bool		isnull;

	if (strcmp(status, ITEM_SKIPPED) == 0 &&
		DatumGetBool(KycRowDatum(row, desc, &col_required, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("required checklist item \"%s\" cannot be skipped", KycRowText(row, desc, &col_name)),
				 errhint("Complete it, or make it optional first.")));
}

/* Refuse a Completed item going back to Pending without a reason in notes. */
static void
CheckReopen(HeapTuple old, HeapTuple new, TupleDesc desc, const char *old_status, const char *status)
{
	if (strcmp(old_status, ITEM_COMPLETED) != 0 || strcmp(status, ITEM_PENDING) != 0)
		return;
	if (KycRowSame(old, new, desc, &col_notes) || IsBlank(KycRowText(new, desc, &col_notes)))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("completed checklist item \"%s\" cannot go back to Pending without a reason",
						KycRowText(new, desc, &col_name)),
				 errhint("Record the reason in notes, or call kyc_checklist.reopen_item(item_id, reason).")));
}

/* Whether name starts with prefix, ignoring case and leading blanks. */
static bool
HasPrefix(const char *name, const char *prefix)
{
	while (*name && isspace((unsigned char) *name))
		name++;
	return pg_strncasecmp(name, prefix, strlen(prefix)) == 0;
}

/* A completed_by prefix reserved for items an event completed. */
typedef struct ReservedCompleter
{
	const char *prefix;
	ChecklistCompleter completer;
	const char *reserved_for;	/* "reserved for ..." */
	const char *handler;		/* who writes it, for the detail */
	const char *topic;
	const char *id;				/* what follows the prefix */
} ReservedCompleter;

static const ReservedCompleter reserved_completers[] = {
	{DOCUMENT_COMPLETER_PREFIX, COMPLETER_DOCUMENT, "verified documents",
	"kyc_checklist.on_document_verified()", "document.verified", "document id"},
	{SCREENING_COMPLETER_PREFIX, COMPLETER_SCREENING, "sanctions and PEP screenings",
	"kyc_checklist.on_screening_completed()", "risk.screening_completed", "event id"},
};

/*
 * Refuse a completed_by naming a document or a screening from anyone but
 * that event kind's own UPDATE (received_events.c).
 */
static void
CheckCompleter(Relation rel, HeapTuple old, HeapTuple new)
{
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *completed_by = KycRowText(new, desc, &col_completed_by);

	if (completed_by == NULL || (old != NULL && KycRowSame(old, new, desc, &col_completed_by)))
		return;
	for (int i = 0; i < lengthof(reserved_completers); i++)
	{
		const ReservedCompleter *r = &reserved_completers[i];

		if (!HasPrefix(completed_by, r->prefix) || r->completer == ChecklistEventCompleter())
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("completed_by \"%s\" is reserved for %s", completed_by, r->reserved_for),
				 errdetail("Only %s, run by the relay for a %s event, completes an item as \"%s<%s>\".",
						   r->handler, r->topic, r->prefix, r->id),
				 errhint("Name the person who completed item \"%s\", or leave completed_by unset "
						 "to record the session's actor.", KycRowText(new, desc, &col_name)),
				 errtablecolname(rel, col_completed_by.name)));
	}
}

PG_FUNCTION_INFO_V1(kyc_checklist_item_rules);

/* Trigger: BEFORE INSERT OR UPDATE ON checklist_items FOR EACH ROW. */
Datum
kyc_checklist_item_rules(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycWriteTriggerCall(fcinfo, "item_rules", true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event);
	HeapTuple	old = is_update ? trigdata->tg_trigtuple : NULL;
	HeapTuple	new = is_update ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	char	   *status = KycRowText(new, desc, &col_status);
	char	   *old_status = old ? KycRowText(old, desc, &col_status) : NULL;
	KycRowChanges changes = {0};
	bool		isnull;

	/*
	 * Constraints are checked after BEFORE triggers: refuse a NULL status
	 * here.
	 */
	if (status == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("checklist item status must not be null"),
				 errhint("Statuses are Pending, Completed and Skipped.")));
	CheckSkip(new, desc, status);
	CheckCompleter(trigdata->tg_relation, old, new);
	if (old != NULL)
		CheckReopen(old, new, desc, old_status, status);

	if (strcmp(status, ITEM_COMPLETED) != 0)
	{
		/* Not completed: no completion stamp. */
		KycChangeSet(&changes, desc, &col_completed_at, (Datum) 0, true);
		KycChangeSet(&changes, desc, &col_completed_by, (Datum) 0, true);
	}
	else if (old != NULL && strcmp(old_status, ITEM_COMPLETED) == 0)
	{
		/* Still completed: the stamp stays as it was. */
		KycChangeSet(&changes, desc, &col_completed_at,
					 KycRowDatum(old, desc, &col_completed_at, &isnull), isnull);
		KycChangeSet(&changes, desc, &col_completed_by,
					 KycRowDatum(old, desc, &col_completed_by, &isnull), isnull);
	}
	else
	{
		/* Newly completed: now, by whoever the writer named, else the actor. */
		bool		named = !(old != NULL && KycRowSame(old, new, desc, &col_completed_by)) &&
		!IsBlank(KycRowText(new, desc, &col_completed_by));

		KycChangeSet(&changes, desc, &col_completed_at, TimestampTzGetDatum(GetCurrentTimestamp()), false);
		if (!named)
		{
			const char *actor = KycSessionActor();

			/* completed_by is varchar(200): cut on a character boundary. */
			KycChangeSet(&changes, desc, &col_completed_by,
						 CStringGetTextDatum(pnstrdup(actor, pg_mbcliplen(actor, strlen(actor), 200))),
						 false);
		}
	}
	return PointerGetDatum(KycChangeApply(new, desc, &changes));
}
