/*
 * contributors.c
 *		Who worked on a case, for the four-eyes rule of approve().
 *
 * A reviewer who created, edited or submitted a case cannot approve it
 * (decisions.c).  kyc_onboarding.case_contributors records each person
 * once per case and kind of contribution: Edited for creating the case,
 * changing its data, its applicants or addresses, or starting work on it;
 * Submitted for moving it to PendingReview.  The actor of an edit is the
 * session's (kyc.actor, else the PostgREST JWT subject, else
 * session_user); a submission names the transition's actor.
 *
 * The rows are written as the table's owner, from the triggers: the
 * service role reads them and cannot write them.
 */
#include "kyc_onboarding.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"

/* Columns of onboarding_cases whose change is an edit of the case's data. */
static KycColumn col_case_id = KYC_COLUMN("case_id");
static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_status_changed_by = KYC_COLUMN("status_changed_by");
static KycColumn data_columns[] = {
	KYC_COLUMN("type"), KYC_COLUMN("partner_id"), KYC_COLUMN("partner_reference_id"),
	KYC_COLUMN("company_name"), KYC_COLUMN("industry_code"),
};

/*
 * The last contribution recorded, and in which (sub)transaction: a case
 * written with its applicant and addresses in one transaction records its
 * editor once.  Keyed by the subtransaction too, so a contribution rolled
 * back to a savepoint is recorded again.
 */
static LocalTransactionId last_xact = InvalidLocalTransactionId;
static SubTransactionId last_subxact = InvalidSubTransactionId;
static char *last_key = NULL;

/* True when this (sub)transaction already recorded key; remembers key if not. */
static bool
AlreadyRecorded(const char *case_id, const char *actor, const char *contribution)
{
	char	   *key = psprintf("%s|%s|%s", case_id, actor, contribution);

	if (last_xact == MyProc->lxid && last_subxact == GetCurrentSubTransactionId() &&
		last_key != NULL && strcmp(last_key, key) == 0)
	{
		pfree(key);
		return true;
	}
	if (last_key != NULL)
		pfree(last_key);
	last_key = MemoryContextStrdup(TopMemoryContext, key);
	last_xact = MyProc->lxid;
	last_subxact = GetCurrentSubTransactionId();
	pfree(key);
	return false;
}

/*
 * Record that actor contributed to case_id.  The caller is connected to
 * SPI and acts as the table's owner.
 */
void
OnboardingRecordContributor(const char *case_id, const char *actor, const char *contribution)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];

	if (AlreadyRecorded(case_id, actor, contribution))
		return;
	KycSavedPlan(&plan, "INSERT INTO kyc_onboarding.case_contributors (case_id, actor, contribution) "
				 "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", 3, argtypes);
	values[0] = CStringGetTextDatum(case_id);
	values[1] = CStringGetTextDatum(actor);
	values[2] = CStringGetTextDatum(contribution);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record the case's contributor");
}

/* Record actor, and the session's actor if another, as contributing to case_id. */
static void
RecordBoth(const char *case_id, const char *actor, const char *contribution)
{
	const char *session = KycSessionActor();

	if (actor != NULL)
		OnboardingRecordContributor(case_id, actor, contribution);
	if (actor == NULL || strcmp(actor, session) != 0)
		OnboardingRecordContributor(case_id, session, contribution);
}

/*
 * What an update of a case row contributes: a submission (Submitted), the
 * start of work or a change of its data (Edited).  A status change names
 * the transition's actor; the session's actor is recorded too, so naming
 * someone else in transition() does not hide who did it.  An automatic
 * submission is the workflow's alone.
 */
static void
RecordUpdate(const char *case_id, HeapTuple oldtuple, HeapTuple newtuple, TupleDesc desc)
{
	char	   *from = KycRowText(oldtuple, desc, &col_status);
	char	   *to = KycRowText(newtuple, desc, &col_status);
	char	   *actor = KycRowText(newtuple, desc, &col_status_changed_by);
	int			i;

	if (strcmp(from, to) != 0 && strcmp(to, "PendingReview") == 0)
	{
		if (actor != NULL && strcmp(actor, CASE_WORKFLOW_ACTOR) == 0)
			OnboardingRecordContributor(case_id, actor, CONTRIBUTION_SUBMITTED);
		else
			RecordBoth(case_id, actor, CONTRIBUTION_SUBMITTED);
	}
	else if (strcmp(from, "Draft") == 0 && strcmp(to, "InProgress") == 0)
		RecordBoth(case_id, actor, CONTRIBUTION_EDITED);
	for (i = 0; i < lengthof(data_columns); i++)
		if (!KycRowSame(oldtuple, newtuple, desc, &data_columns[i]))
		{
			OnboardingRecordContributor(case_id, KycSessionActor(), CONTRIBUTION_EDITED);
			break;
		}
}

PG_FUNCTION_INFO_V1(kyc_onboarding_case_contributions);

/*
 * Trigger: AFTER INSERT OR UPDATE ON onboarding_cases FOR EACH ROW.  After,
 * so the case row a contribution references exists.
 */
Datum
kyc_onboarding_case_contributions(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "case_contributions", false, true);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	row = trigdata->tg_trigtuple;
	char	   *case_id = KycRowText(row, desc, &col_case_id);
	KycOwnerScope owner;

	KycBecomeOwner(rel->rd_rel->relowner, &owner);
	KycSpiConnect();
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		RecordUpdate(case_id, row, trigdata->tg_newtuple, desc);
	else
		OnboardingRecordContributor(case_id, KycSessionActor(), CONTRIBUTION_EDITED);
	SPI_finish();
	KycLeaveOwner(&owner);
	return PointerGetDatum(NULL);
}
