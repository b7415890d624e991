/*
 * decisions.c
 *		A reviewer's decisions on a case: assign it, acknowledge what asks
 *		for attention, approve it (four eyes), reject it, or send it back
 *		for more information.
 *
 * Each decision is a row of kyc_onboarding.case_decisions.  Its BEFORE
 * INSERT trigger locks the case, so decisions on one case serialise,
 * checks the decision's rules, stamps what the decision saw, and applies
 * it to the case as the table's owner.  approve(), reject() and the other
 * functions insert that row; an INSERT by hand is held to the same rules,
 * and case_state_guard refuses a decision's move made any other way.
 *
 * approve() also waits until risk_service's result reflects the case's
 * latest data (risk_sync.c).
 *
 * Four eyes: a case at risk level High, or one risk_service flags for
 * manual review, needs two approvals by different reviewers; the second
 * completes it.  Whoever created, edited or submitted the case
 * (contributors.c) cannot approve it.  An approval counts for the
 * submission it was given on, and until attention reasons are
 * acknowledged: they say the case changed under the approver.
 */
#include "kyc_onboarding.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

/* Columns of case_decisions the trigger reads or stamps. */
static KycColumn col_case_id = KYC_COLUMN("case_id");
static KycColumn col_decision = KYC_COLUMN("decision");
static KycColumn col_reviewer = KYC_COLUMN("reviewer");
static KycColumn col_notes = KYC_COLUMN("notes");
static KycColumn col_decided_by = KYC_COLUMN("decided_by");
static KycColumn col_decided_at = KYC_COLUMN("decided_at");
static KycColumn col_submitted_at = KYC_COLUMN("submitted_at");
static KycColumn col_risk_level = KYC_COLUMN("risk_level");
static KycColumn col_manual_review = KYC_COLUMN("requires_manual_review");
static KycColumn col_approvals_needed = KYC_COLUMN("approvals_needed");
static KycColumn col_approval_number = KYC_COLUMN("approval_number");
static KycColumn col_acknowledged = KYC_COLUMN("acknowledged_reasons");
static KycColumn col_case_status = KYC_COLUMN("case_status");

/* The case as a decision sees it, locked until the transaction ends. */
typedef struct DecidedCase
{
	Datum		id;				/* onboarding_cases.id, a uuid */
	char	   *status;
	char	   *checklist_status;	/* NULL before any checklist result */
	bool		risk_completed;
	char	   *risk_level;
	bool		manual_review;
	Datum		attention;		/* text[] */
	int			attention_count;
	char	   *newest_attention;
	Datum		submitted_at;
	bool		submitted_null;
	int64		data_event_id;	/* risk_sync: the case's last data event */
	int64		risk_seen_event_id; /* the last one risk_service applied */
	bool		risk_behind;	/* the second is before the first, by (xid,
								 * id) */
	bool		changed_now;	/* this transaction changed the case's data */
} DecidedCase;

/* The columns DecidedCase reads, in the lock query's order. */
enum
{
	DC_ID = 1, DC_STATUS, DC_CHECKLIST, DC_RISK_DONE, DC_RISK_LEVEL, DC_MANUAL,
	DC_ATTENTION, DC_ATTENTION_COUNT, DC_NEWEST, DC_SUBMITTED_AT, DC_DATA_EVENT, DC_RISK_SEEN,
	DC_RISK_BEHIND
};

/* A text column of an SPI result row, copied to the caller's context; NULL for NULL. */
static char *
ResultText(int column, MemoryContext caller)
{
	char	   *value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column);

	return value ? MemoryContextStrdup(caller, value) : NULL;
}

/* A datum column of an SPI result row, copied out of SPI's memory. */
static Datum
ResultDatum(int column, bool *isnull)
{
	Datum		value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column, isnull);
	Form_pg_attribute att = TupleDescAttr(SPI_tuptable->tupdesc, column - 1);

	return *isnull ? (Datum) 0 : SPI_datumTransfer(value, att->attbyval, att->attlen);
}

/* What a decision did, for its row. */
typedef struct DecisionOutcome
{
	const char *case_status;	/* the case's status after it */
	int			needed;			/* approvals the case needs; 0 if not an
								 * approval */
	int			number;			/* this approval's number */
	bool		acknowledged;	/* it acknowledged the case's attention
								 * reasons */
	bool		update;			/* the case changes: */
	const char *assignee;		/* its new assigned_to, or NULL to keep */
	bool		clear_attention;	/* its attention reasons are cleared */
	bool		awaiting;		/* it now awaits information */
} DecisionOutcome;

/*
 * Lock the case case_id for a decision and read it, into memory of the
 * caller context (which outlives SPI); false when there is none.
 */
static bool
LockCase(const char *case_id, DecidedCase *c, MemoryContext caller)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = CStringGetTextDatum(case_id);
	bool		isnull;

	KycSavedPlan(&plan, "SELECT c.id, c.status, c.checklist_status, c.risk_event_id IS NOT NULL, "
				 "c.risk_level, coalesce(c.requires_manual_review, false), c.attention_reasons, "
				 "pg_catalog.cardinality(c.attention_reasons), "
				 "c.attention_reasons[pg_catalog.cardinality(c.attention_reasons)], c.submitted_at, "
				 "coalesce(s.data_event_id, 0), coalesce(s.risk_seen_event_id, 0), "
				 "coalesce((s.risk_seen_xid, s.risk_seen_event_id) OPERATOR(pg_catalog.<) "
				 "(s.data_xid, s.data_event_id), false) "
				 "FROM kyc_onboarding.onboarding_cases c "
				 "LEFT JOIN kyc_onboarding.risk_sync s ON s.case_id OPERATOR(pg_catalog.=) c.case_id "
				 "WHERE c.case_id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE OF c", 1, argtypes);
	if (SPI_execute_plan(plan, &value, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "case lookup failed");
	if (SPI_processed == 0)
		return false;
	c->id = ResultDatum(DC_ID, &isnull);
	c->status = ResultText(DC_STATUS, caller);
	c->checklist_status = ResultText(DC_CHECKLIST, caller);
	c->risk_completed = DatumGetBool(ResultDatum(DC_RISK_DONE, &isnull));
	c->risk_level = ResultText(DC_RISK_LEVEL, caller);
	c->manual_review = DatumGetBool(ResultDatum(DC_MANUAL, &isnull));
	c->attention = ResultDatum(DC_ATTENTION, &isnull);
	c->attention_count = DatumGetInt32(ResultDatum(DC_ATTENTION_COUNT, &isnull));
	c->newest_attention = ResultText(DC_NEWEST, caller);
	c->submitted_at = ResultDatum(DC_SUBMITTED_AT, &c->submitted_null);
	c->data_event_id = DatumGetInt64(ResultDatum(DC_DATA_EVENT, &isnull));
	c->risk_seen_event_id = DatumGetInt64(ResultDatum(DC_RISK_SEEN, &isnull));
	c->risk_behind = DatumGetBool(ResultDatum(DC_RISK_BEHIND, &isnull));
	c->changed_now = RiskDataChangePending(case_id);
	return true;
}

/* How the reviewer contributed to the case, as "edited and submitted"; NULL if not. */
static char *
Contributions(const char *case_id, const char *reviewer)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2];

	KycSavedPlan(&plan, "SELECT pg_catalog.string_agg(pg_catalog.lower(contribution), ' and ' "
				 "ORDER BY contribution) FROM kyc_onboarding.case_contributors "
				 "WHERE case_id OPERATOR(pg_catalog.=) $1 AND actor OPERATOR(pg_catalog.=) $2",
				 2, argtypes);
	values[0] = CStringGetTextDatum(case_id);
	values[1] = CStringGetTextDatum(reviewer);

	/*
	 * Not read-only: a fresh snapshot, taken after the case's lock was
	 * granted.
	 */
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "case contributors lookup failed");
	return ResultText(1, CurrentMemoryContext);
}

/*
 * The approvals that count for the case's current submission: given on it,
 * after the last acknowledgement.  Returns how many, and sets *mine when
 * reviewer gave one of them; *approvers lists them for messages.
 */
static int
CountingApprovals(const char *case_id, DecidedCase *c, const char *reviewer, bool *mine,
				  char **approvers)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {TEXTOID, TIMESTAMPTZOID, TEXTOID};
	Datum		values[3];
	bool		isnull;
	int			count;

	KycSavedPlan(&plan, "SELECT pg_catalog.count(DISTINCT d.reviewer)::pg_catalog.int4, "
				 "pg_catalog.bool_or(d.reviewer OPERATOR(pg_catalog.=) $3), "
				 "pg_catalog.string_agg(DISTINCT d.reviewer, ', ') "
				 "FROM kyc_onboarding.case_decisions d "
				 "WHERE d.case_id OPERATOR(pg_catalog.=) $1 AND d.decision OPERATOR(pg_catalog.=) 'Approve' "
				 "AND d.submitted_at OPERATOR(pg_catalog.=) $2 "
				 "AND d.id OPERATOR(pg_catalog.>) coalesce((SELECT pg_catalog.max(a.id) "
				 "  FROM kyc_onboarding.case_decisions a WHERE a.case_id OPERATOR(pg_catalog.=) $1 "
				 "  AND a.decision OPERATOR(pg_catalog.=) 'Acknowledge'), 0)", 3, argtypes);
	values[0] = CStringGetTextDatum(case_id);
	values[1] = c->submitted_at;
	values[2] = CStringGetTextDatum(reviewer);

	/*
	 * Not read-only: it must see an approval committed while it waited for
	 * the lock.
	 */
	if (SPI_execute_plan(plan, values, c->submitted_null ? " n " : "   ", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "case approvals lookup failed");
	count = DatumGetInt32(ResultDatum(1, &isnull));
	*mine = count > 0 && DatumGetBool(ResultDatum(2, &isnull));
	*approvers = ResultText(3, CurrentMemoryContext);
	return count;
}

/*
 * Apply a decision to the case: its new status, an assignee (or NULL to
 * keep), whether attention reasons are cleared, and whether the case now
 * awaits information.
 */
static void
UpdateCase(DecidedCase *c, const char *status, const char *assignee, bool clear_attention,
		   bool awaiting)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {UUIDOID, TEXTOID, TEXTOID, BOOLOID, BOOLOID};
	Datum		values[5];
	char		nulls[5] = "     ";

	KycSavedPlan(&plan, "UPDATE kyc_onboarding.onboarding_cases SET status = $2, "
				 "assigned_to = coalesce($3, assigned_to), "
				 "attention_reasons = CASE WHEN $4 THEN '{}'::pg_catalog.text[] ELSE attention_reasons END, "
				 "awaiting_information = awaiting_information OR $5 "
				 "WHERE id OPERATOR(pg_catalog.=) $1", 5, argtypes);
	values[0] = c->id;
	values[1] = CStringGetTextDatum(status);
	values[2] = assignee ? CStringGetTextDatum(assignee) : (Datum) 0;
	nulls[2] = assignee ? ' ' : 'n';
	values[3] = BoolGetDatum(clear_attention);
	values[4] = BoolGetDatum(awaiting);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not apply the decision to the case");
}

/* Refuse a decision that only a case under review can take. */
static void
RequireUnderReview(Relation rel, const char *case_id, DecidedCase *c, const char *decision)
{
	if (strcmp(c->status, "PendingReview") == 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("case %s is %s: only a case under review (PendingReview) can take the decision %s",
					case_id, c->status, decision),
			 strcmp(c->status, "InProgress") == 0 || strcmp(c->status, "Draft") == 0 ?
			 errhint("A case reaches PendingReview by itself when its checklist and risk assessment "
					 "complete, or when submitted with kyc_onboarding.transition(case_id, 'PendingReview').") :
			 errhint("A decided case is final."),
			 errtablecolname(rel, col_case_id.name)));
}

/* Refuse a decision without its reason (reject, request_information). */
static void
RequireReason(Relation rel, const char *case_id, const char *notes, const char *decision)
{
	if (notes != NULL && notes[strspn(notes, " \t\r\n")] != '\0')
		return;
	ereport(ERROR,
			(errcode(ERRCODE_NOT_NULL_VIOLATION),
			 errmsg("the decision %s on case %s needs a reason", decision, case_id),
			 errhint("Say why in the reason argument; the applicant's partner and the audit log see it."),
			 errtablecolname(rel, col_notes.name)));
}

/* Refuse an approval while the case lacks something; say everything it lacks. */
static void
RequireApprovable(Relation rel, const char *case_id, DecidedCase *c)
{
	StringInfoData missing;

	initStringInfo(&missing);
	if (c->checklist_status == NULL)
		appendStringInfoString(&missing, "; the checklist is not complete (no result from checklist_service yet)");
	else if (strcmp(c->checklist_status, "Completed") != 0)
		appendStringInfo(&missing, "; the checklist is not complete (checklist_service reports it %s)",
						 c->checklist_status);
	if (!c->risk_completed)
		appendStringInfoString(&missing, "; the risk assessment is not completed (no result from risk_service yet)");
	else if (c->changed_now)
		appendStringInfoString(&missing, "; the risk result does not reflect the case's data as "
							   "this transaction changed it");
	else if (c->risk_behind)
		appendStringInfo(&missing, "; the risk result does not reflect the case's latest data "
						 "(risk_service has applied its events up to " INT64_FORMAT ", not yet " INT64_FORMAT ")",
						 c->risk_seen_event_id, c->data_event_id);
	if (c->attention_count > 0)
		appendStringInfo(&missing, "; %d attention reason%s wait%s for the reviewer, the newest: %s",
						 c->attention_count, c->attention_count == 1 ? "" : "s",
						 c->attention_count == 1 ? "s" : "", c->newest_attention);
	if (missing.len == 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("case %s cannot be approved yet", case_id),
			 errdetail("Missing: %s.", missing.data + 2),
			 c->attention_count > 0 ?
			 errhint("A reviewer acknowledges attention reasons with "
					 "kyc_onboarding.acknowledge_attention(case_id, reviewer, notes), or sends the case "
					 "back with kyc_onboarding.request_information(case_id, reviewer, reason).") :
			 errhint("The relay brings checklist_service's and risk_service's results; "
					 "kyc_events.subscriptions shows how far it is."),
			 errtablecolname(rel, col_case_id.name)));
}

/* Refuse reviewer's decision (what: approve, acknowledge) on a case they worked on. */
static void
RequireOtherEyes(Relation rel, const char *case_id, const char *reviewer, const char *what)
{
	char	   *contributed = Contributions(case_id, reviewer);

	if (contributed != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("reviewer %s cannot %s case %s, which they %s", reviewer, what, case_id, contributed),
				 errdetail("Four eyes: whoever created, edited or submitted a case cannot approve it, "
						   "nor acknowledge what asks for its reviewer's attention."),
				 errhint("Another reviewer must do it."),
				 errtablecolname(rel, col_reviewer.name)));
}

/*
 * Check the four-eyes rule for reviewer's approval; returns this
 * approval's number, and sets *needed.
 */
static int
CheckFourEyes(Relation rel, const char *case_id, DecidedCase *c, const char *reviewer, int *needed)
{
	char	   *approvers;
	bool		mine;
	int			given;

	*needed = (c->risk_level && strcmp(c->risk_level, "High") == 0) || c->manual_review ? 2 : 1;
	RequireOtherEyes(rel, case_id, reviewer, "approve");
	given = CountingApprovals(case_id, c, reviewer, &mine, &approvers);
	if (mine)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("reviewer %s has already approved case %s", reviewer, case_id),
				 errdetail("Case %s needs %d approvals by different reviewers (risk level %s%s); "
						   "given so far by: %s.", case_id, *needed, c->risk_level,
						   c->manual_review ? ", manual review" : "", approvers),
				 errhint("A second, different reviewer must approve it."),
				 errtablecolname(rel, col_reviewer.name)));
	return given + 1;
}

/* Stamp on the decision row what the case was when it was decided, and the outcome. */
static void
StampDecision(TupleDesc desc, KycRowChanges *changes, DecidedCase *c, DecisionOutcome *out)
{
	KycChangeSet(changes, desc, &col_submitted_at, c->submitted_at, c->submitted_null);
	KycChangeSet(changes, desc, &col_risk_level,
				 c->risk_level ? CStringGetTextDatum(c->risk_level) : (Datum) 0, c->risk_level == NULL);
	KycChangeSet(changes, desc, &col_manual_review, BoolGetDatum(c->manual_review), false);
	KycChangeSet(changes, desc, &col_approvals_needed, Int16GetDatum(out->needed), out->needed == 0);
	KycChangeSet(changes, desc, &col_approval_number, Int16GetDatum(out->number), out->needed == 0);
	KycChangeSet(changes, desc, &col_acknowledged, c->attention, !out->acknowledged);
	KycChangeSet(changes, desc, &col_case_status, CStringGetTextDatum(out->case_status), false);
	KycChangeSet(changes, desc, &col_decided_by, CStringGetTextDatum(KycSessionActor()), false);
	KycChangeSet(changes, desc, &col_decided_at,
				 TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);
}

/* The case changes to status, and how, by out's decision. */
static void
ChangeCase(DecisionOutcome *out, const char *status, const char *assignee, bool clear_attention,
		   bool awaiting)
{
	out->update = true;
	out->case_status = status;
	out->assignee = assignee;
	out->clear_attention = clear_attention;
	out->awaiting = awaiting;
}

/* Check decision against the locked case; out says what it does. */
static void
Decide(Relation rel, const char *case_id, DecidedCase *c, const char *decision,
	   const char *reviewer, const char *notes, DecisionOutcome *out)
{
	memset(out, 0, sizeof(*out));
	out->case_status = c->status;
	if (strcmp(decision, "Assign") == 0)
	{
		if (strcmp(c->status, "Approved") == 0 || strcmp(c->status, "Rejected") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("case %s is %s: a decided case is not assigned", case_id, c->status),
					 errtablecolname(rel, col_case_id.name)));
		ChangeCase(out, c->status, reviewer, false, false);
		return;
	}
	RequireUnderReview(rel, case_id, c, decision);
	if (strcmp(decision, "Acknowledge") == 0)
	{
		if (c->attention_count == 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("case %s has no attention reason waiting", case_id),
					 errtablecolname(rel, col_case_id.name)));
		RequireOtherEyes(rel, case_id, reviewer, "acknowledge the attention reasons of");
		out->acknowledged = true;
		ChangeCase(out, c->status, NULL, true, false);
		return;
	}
	if (strcmp(decision, "Reject") == 0)
	{
		RequireReason(rel, case_id, notes, decision);
		ChangeCase(out, "Rejected", NULL, false, false);
		return;
	}
	if (strcmp(decision, "RequestInformation") == 0)
	{
		RequireReason(rel, case_id, notes, decision);
		ChangeCase(out, "InProgress", NULL, true, true);
		return;
	}
	/* Approve; the allowed_decision trigger has refused any other value. */
	RequireApprovable(rel, case_id, c);
	out->number = CheckFourEyes(rel, case_id, c, reviewer, &out->needed);
	if (out->number >= out->needed)
		ChangeCase(out, "Approved", NULL, false, false);
}

/* Apply out to the case, as the table's owner, as the reviewer's decision. */
static void
ApplyDecision(Relation rel, DecidedCase *c, DecisionOutcome *out, const char *reviewer,
			  const char *notes)
{
	CaseTransitionContext saved = case_transition;
	KycOwnerScope owner;

	KycBecomeOwner(rel->rd_rel->relowner, &owner);
	KycSpiConnect();
	case_transition.actor = reviewer;
	case_transition.reason = notes;
	case_transition.active = true;
	case_transition.decision = true;
	PG_TRY();
	{
		UpdateCase(c, out->case_status, out->assignee, out->clear_attention, out->awaiting);
	}
	PG_FINALLY();
	{
		case_transition = saved;
	}
	PG_END_TRY();
	SPI_finish();
	KycLeaveOwner(&owner);
}

/* A required text column of the new decision row; NULL is refused naming it. */
static char *
RequiredText(Relation rel, HeapTuple tuple, KycColumn *column)
{
	char	   *value = KycRowText(tuple, RelationGetDescr(rel), column);

	if (value == NULL || value[strspn(value, " \t\r\n")] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a case decision needs a %s", column->name),
				 errtablecolname(rel, column->name)));
	return value;
}

/* The longest notes (a rejection's reason, too) a decision records, in bytes. */
#define DECISION_NOTES_MAX 2000

PG_FUNCTION_INFO_V1(kyc_onboarding_decision_guard);

/*
 * Trigger: BEFORE INSERT ON case_decisions FOR EACH ROW.  An approval is
 * announced (case.approval_recorded, the stamped decision row) before the
 * case moves, so a consumer sees the approval that decided it first.
 */
Datum
kyc_onboarding_decision_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "decision_guard", true, true);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	row = trigdata->tg_trigtuple;
	char	   *case_id = RequiredText(rel, row, &col_case_id);
	char	   *decision = RequiredText(rel, row, &col_decision);
	char	   *reviewer = RequiredText(rel, row, &col_reviewer);
	char	   *notes = KycRowText(row, desc, &col_notes);
	MemoryContext caller = CurrentMemoryContext;
	KycRowChanges changes = {0};
	DecidedCase c;
	DecisionOutcome out;
	KycOwnerScope owner;
	HeapTuple	stamped;

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("decision_guard() must be fired BEFORE INSERT")));
	if (notes != NULL && strlen(notes) > DECISION_NOTES_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("the %s of the decision %s on case %s is %zu bytes long, at most %d",
						strcmp(decision, "Reject") == 0 || strcmp(decision, "RequestInformation") == 0
						? "reason" : "notes", decision, case_id, strlen(notes), DECISION_NOTES_MAX),
				 errtablecolname(rel, col_notes.name)));
	if (strcmp(decision, "Assign") != 0)
		OnboardingRequireSessionActor(reviewer, "reviewer");

	/*
	 * Under REPEATABLE READ a first approval, which writes no case row, could
	 * be missed.
	 */
	if (strcmp(decision, "Approve") == 0 && IsolationUsesXactSnapshot() && !IsolationIsSerializable())
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("approve() cannot run in a REPEATABLE READ transaction"),
				 errdetail("Four eyes counts the approvals given so far; a REPEATABLE READ snapshot could miss one committed meanwhile."),
				 errhint("Approve in a READ COMMITTED or SERIALIZABLE transaction.")));

	/* Lock and check as the owner; the lock holds until the transaction ends. */
	KycBecomeOwner(rel->rd_rel->relowner, &owner);
	KycSpiConnect();
	if (!LockCase(case_id, &c, caller))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("case \"%s\" does not exist", case_id),
				 errhint("case_id takes a case's public id as create_case() returns it, "
						 "such as KYC-20261127-0000000042."),
				 errtablecolname(rel, col_case_id.name)));
	Decide(rel, case_id, &c, decision, reviewer, notes, &out);
	SPI_finish();
	KycLeaveOwner(&owner);

	StampDecision(desc, &changes, &c, &out);
	stamped = KycChangeApply(row, desc, &changes);
	if (out.needed > 0)
		KycEmit("case.approval_recorded", case_id, KycTupleToJsonb(stamped, desc));
	if (out.update)
		ApplyDecision(rel, &c, &out, reviewer, notes);
	return PointerGetDatum(stamped);
}
