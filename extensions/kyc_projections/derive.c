/*
 * derive.c
 *		The derived columns of a projection, computed from the row itself
 *		by a BEFORE trigger, so no event handler recounts anything.
 *
 *	total_steps			the checklist's items, plus the risk assessment,
 *						plus the review;
 *	completed_steps		the completed items, plus 1 once the risk
 *						assessment is completed, plus 1 once the case is
 *						decided (Approved or Rejected);
 *	progress_percentage	completed_steps of total_steps, in percent;
 *	has_compliance_issues, compliance_notes: the rules below, one note per
 *						line.
 *
 * The rules: a sanctions or a PEP screening hit; an applicant of a FATF
 * call-for-action country (nationality or address); a rejected or expired
 * document; a checklist reopened after the case was submitted.
 *
 * The trigger also stamps change_seq, the change feed's cursor, from a
 * sequence, under an exclusive lock on that sequence held to commit: the writers' commits
 * then follow their change_seq order, so a client reading
 * changes_since(cursor) never finds a lower change_seq appear later.
 */
#include "kyc_projections.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

/*
 * FATF's "high-risk jurisdictions subject to a call for action" (the
 * black list, unchanged since February 2020 but for Myanmar, added in
 * October 2022): DPRK, Iran, Myanmar.
 */
static const char *const fatf_call_for_action[] = {"KP", "IR", "MM"};


static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_total_items = KYC_COLUMN("checklist_total_items");
static KycColumn col_completed_items = KYC_COLUMN("checklist_completed_items");
static KycColumn col_risk_status = KYC_COLUMN("risk_status");
static KycColumn col_total_steps = KYC_COLUMN("total_steps");
static KycColumn col_completed_steps = KYC_COLUMN("completed_steps");
static KycColumn col_progress = KYC_COLUMN("progress_percentage");
static KycColumn col_sanctions = KYC_COLUMN("sanctions_hits");
static KycColumn col_pep = KYC_COLUMN("pep_hits");
static KycColumn col_nationality = KYC_COLUMN("applicant_nationality");
static KycColumn col_country = KYC_COLUMN("applicant_country");
static KycColumn col_rejected_docs = KYC_COLUMN("rejected_document_count");
static KycColumn col_expired_docs = KYC_COLUMN("expired_document_count");
static KycColumn col_reopened_at = KYC_COLUMN("checklist_reopened_at");
static KycColumn col_submitted_at = KYC_COLUMN("submitted_at");
static KycColumn col_has_issues = KYC_COLUMN("has_compliance_issues");
static KycColumn col_notes = KYC_COLUMN("compliance_notes");
static KycColumn col_change_seq = KYC_COLUMN("change_seq");
static KycColumn col_changed_at = KYC_COLUMN("changed_at");

/* An integer column of row, 0 when NULL. */
static int32
IntOr0(HeapTuple row, TupleDesc desc, KycColumn *column)
{
	bool		isnull;
	Datum		value = KycRowDatum(row, desc, column, &isnull);

	return isnull ? 0 : DatumGetInt32(value);
}

/* True when text column of row equals value. */
static bool
TextIs(HeapTuple row, TupleDesc desc, KycColumn *column, const char *value)
{
	char	   *str = KycRowText(row, desc, column);

	return str != NULL && strcmp(str, value) == 0;
}

/* True for a FATF call-for-action country code. */
static bool
FatfCallForAction(const char *code)
{
	int			i;

	if (code == NULL)
		return false;
	for (i = 0; i < lengthof(fatf_call_for_action); i++)
		if (strcmp(code, fatf_call_for_action[i]) == 0)
			return true;
	return false;
}

/* Set the progress columns from the checklist, the risk assessment and the status. */
static void
DeriveProgress(HeapTuple row, TupleDesc desc, KycRowChanges *changes)
{
	int64		items = Max(IntOr0(row, desc, &col_total_items), 0);
	int64		total = Min(items, PG_INT32_MAX - 2) + 2;
	int64		done = Min(Max(IntOr0(row, desc, &col_completed_items), 0), items);
	int64		hundredths;

	/*
	 * Counts are clamped to 0..items: a bad event cannot make progress pass
	 * 100%.
	 */
	if (TextIs(row, desc, &col_risk_status, "Completed"))
		done++;
	if (TextIs(row, desc, &col_status, "Approved") || TextIs(row, desc, &col_status, "Rejected"))
		done++;
	done = Min(done, total);
	/* Rounded half up to hundredths, in integers. */
	hundredths = (done * 20000 + total) / (2 * total);
	KycChangeSet(changes, desc, &col_total_steps, Int32GetDatum((int32) total), false);
	KycChangeSet(changes, desc, &col_completed_steps, Int32GetDatum((int32) done), false);
	KycChangeSet(changes, desc, &col_progress,
				 DirectFunctionCall3(numeric_in,
									 CStringGetDatum(psprintf(INT64_FORMAT ".%02d", hundredths / 100,
															  (int) (hundredths % 100))),
									 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)),
				 false);
}

/* Append one note of the compliance rules to notes, on its own line. */
static void
			AddNote(StringInfo notes, const char *fmt,...) pg_attribute_printf(2, 3);

static void
AddNote(StringInfo notes, const char *fmt,...)
{
	va_list		args;
	int			needed;

	if (notes->len > 0)
		appendStringInfoChar(notes, '\n');
	for (;;)
	{
		va_start(args, fmt);
		needed = appendStringInfoVA(notes, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(notes, needed);
	}
}

/* Set has_compliance_issues and compliance_notes from the rules. */
static void
DeriveCompliance(HeapTuple row, TupleDesc desc, KycRowChanges *changes)
{
	StringInfoData notes;
	int32		sanctions = IntOr0(row, desc, &col_sanctions);
	int32		pep = IntOr0(row, desc, &col_pep);
	int32		rejected = IntOr0(row, desc, &col_rejected_docs);
	int32		expired = IntOr0(row, desc, &col_expired_docs);
	char	   *nationality = KycRowText(row, desc, &col_nationality);
	char	   *country = KycRowText(row, desc, &col_country);
	bool		reopened_null;
	bool		submitted_null;
	Datum		reopened = KycRowDatum(row, desc, &col_reopened_at, &reopened_null);
	Datum		submitted = KycRowDatum(row, desc, &col_submitted_at, &submitted_null);

	initStringInfo(&notes);
	if (sanctions > 0)
		AddNote(&notes, "sanctions screening: %d match%s", sanctions, sanctions == 1 ? "" : "es");
	if (pep > 0)
		AddNote(&notes, "PEP screening: %d match%s", pep, pep == 1 ? "" : "es");
	if (FatfCallForAction(nationality))
		AddNote(&notes, "FATF call-for-action country: %s (nationality)", nationality);
	if (FatfCallForAction(country))
		AddNote(&notes, "FATF call-for-action country: %s (address)", country);
	if (rejected > 0)
		AddNote(&notes, "documents rejected: %d", rejected);
	if (expired > 0)
		AddNote(&notes, "documents expired: %d", expired);
	if (!reopened_null && !submitted_null &&
		DatumGetTimestampTz(reopened) > DatumGetTimestampTz(submitted))
		AddNote(&notes, "checklist reopened after submission, at %s",
				timestamptz_to_str(DatumGetTimestampTz(reopened)));
	KycChangeSet(changes, desc, &col_has_issues, BoolGetDatum(notes.len > 0), false);
	KycChangeSet(changes, desc, &col_notes, notes.len > 0 ? CStringGetTextDatum(notes.data) : (Datum) 0,
				 notes.len == 0);
}

/* The next change_seq, once this transaction holds the writers' lock. */
static int64
NextChangeSeq(void)
{
	Oid			seq = get_relname_relid("change_seq", get_namespace_oid("kyc_projections", false));

	/*
	 * Each time: a rolled-back subtransaction releases what it took.  A lock
	 * on the sequence, not an advisory key: only a role with rights on it
	 * could take it, and no service role has any.
	 */
	LockRelationOid(seq, ExclusiveLock);
	return nextval_internal(seq, false);
}

PG_FUNCTION_INFO_V1(kyc_projections_derive);

/* Trigger: BEFORE INSERT OR UPDATE ON onboarding_case_projections FOR EACH ROW */
Datum
kyc_projections_derive(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "derive", true, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
	trigdata->tg_newtuple : trigdata->tg_trigtuple;
	KycRowChanges changes = {0};

	DeriveProgress(row, desc, &changes);
	DeriveCompliance(row, desc, &changes);
	KycChangeSet(&changes, desc, &col_change_seq, Int64GetDatum(NextChangeSeq()), false);
	KycChangeSet(&changes, desc, &col_changed_at,
				 TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);
	return PointerGetDatum(KycChangeApply(row, desc, &changes));
}
