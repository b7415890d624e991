/*
 * case_state.c
 *		The onboarding case state machine, enforced by a BEFORE trigger.
 *
 *		Draft -> InProgress -> PendingReview -> Approved | Rejected
 *		PendingReview -> InProgress (request_information)
 *
 * A decision, that is a move out of PendingReview, is made only by a
 * reviewer's decision (decisions.c: approve(), reject(),
 * request_information()), which checks its rules first; the trigger
 * refuses the same move made any other way.
 *
 * The trigger also stamps the lifecycle timestamps from the server clock,
 * so no client can backdate a submission or an approval, and freezes what a
 * reviewer decides on (type and partner) once the case is submitted.
 */
#include "kyc_onboarding.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

/* Columns of onboarding_cases the trigger reads or sets. */
static KycColumn col_id = KYC_COLUMN("id");
static KycColumn col_case_id = KYC_COLUMN("case_id");
static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_created_at = KYC_COLUMN("created_at");
static KycColumn col_updated_at = KYC_COLUMN("updated_at");
static KycColumn col_submitted_at = KYC_COLUMN("submitted_at");
static KycColumn col_approved_at = KYC_COLUMN("approved_at");
static KycColumn col_rejected_at = KYC_COLUMN("rejected_at");
static KycColumn col_assigned_to = KYC_COLUMN("assigned_to");
static KycColumn col_assigned_at = KYC_COLUMN("assigned_at");
static KycColumn col_status_changed_by = KYC_COLUMN("status_changed_by");
static KycColumn col_status_reason = KYC_COLUMN("status_reason");
static KycColumn col_type = KYC_COLUMN("type");
static KycColumn col_partner_id = KYC_COLUMN("partner_id");
static KycColumn col_partner_reference_id = KYC_COLUMN("partner_reference_id");
static KycColumn col_company_name = KYC_COLUMN("company_name");
static KycColumn col_industry_code = KYC_COLUMN("industry_code");

/*
 * Columns only the workflow's handlers set (on_checklist_event,
 * on_risk_event), by UPDATE: a new case starts without them, whoever
 * inserts it, and attention_reasons starts empty.
 */
static KycColumn col_attention_reasons = KYC_COLUMN("attention_reasons");
static KycColumn col_awaiting_information = KYC_COLUMN("awaiting_information");
static KycColumn handler_columns[] = {
	KYC_COLUMN("risk_level"), KYC_COLUMN("risk_score"), KYC_COLUMN("checklist_status"),
	KYC_COLUMN("requires_manual_review"), KYC_COLUMN("checklist_event_id"),
	KYC_COLUMN("risk_event_id"),
};

#define CASE_MAX_NEXT 3

typedef struct CaseState
{
	const char *status;
	const char *next[CASE_MAX_NEXT];	/* allowed next states, NULL-padded */
	const char *next_list;		/* the same, for messages */
	KycColumn  *stamp;			/* timestamp column set on entry, or NULL */
	bool		frozen;			/* submitted or decided: its data is fixed */
} CaseState;

static const CaseState case_states[] = {
	{"Draft", {"InProgress", NULL, NULL}, "InProgress", NULL, false},
	{"InProgress", {"PendingReview", NULL, NULL}, "PendingReview", NULL, false},
	{"PendingReview", {"Approved", "Rejected", "InProgress"}, "Approved, Rejected, InProgress",
	&col_submitted_at, true},
	{"Approved", {NULL, NULL, NULL}, "", &col_approved_at, true},
	{"Rejected", {NULL, NULL, NULL}, "", &col_rejected_at, true},
};

/* Look up a state by name; NULL for a status the machine does not know. */
static const CaseState *
FindState(const char *status)
{
	int			i;

	for (i = 0; i < lengthof(case_states); i++)
		if (strcmp(case_states[i].status, status) == 0)
			return &case_states[i];
	return NULL;
}

/* True for one of the five case statuses. */
bool
OnboardingCaseStatusKnown(const char *status)
{
	return FindState(status) != NULL;
}

/* True when a case in status is under review or decided, so its data is fixed. */
bool
OnboardingCaseDataFrozen(const char *status)
{
	const CaseState *state = FindState(status);

	return state != NULL && state->frozen;
}

/* What may still change in a case of status whose data is frozen, for hints. */
const char *
OnboardingCaseFrozenHint(const char *status)
{
	if (strcmp(status, "PendingReview") == 0)
		return "A case under review keeps the data its reviewer sees: a reviewer can send it "
			"back with kyc_onboarding.request_information(case_id, reviewer, reason), which "
			"moves it to InProgress, where it can change.";
	return "A decided case is final: open a new case for the corrected data.";
}

/* Allowed next states of from, as "A, B"; "" for a final or unknown state. */
const char *
OnboardingCaseAllowedNext(const char *from)
{
	const CaseState *state = FindState(from);

	return state ? state->next_list : "";
}

/* True when the machine allows from -> to; exact names only. */
bool
OnboardingCaseTransitionAllowed(const char *from, const char *to)
{
	const CaseState *state = FindState(from);
	int			i;

	if (state == NULL)
		return false;
	for (i = 0; i < CASE_MAX_NEXT; i++)
		if (state->next[i] != NULL && strcmp(state->next[i], to) == 0)
			return true;
	return false;
}

/* The status column's value; a NULL status is refused before anything else. */
static char *
RequireStatus(Relation rel, HeapTuple tuple)
{
	char	   *status = KycRowText(tuple, RelationGetDescr(rel), &col_status);

	if (status == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a case's status cannot be null"),
				 errhint("Case statuses are Draft, InProgress, PendingReview, Approved and Rejected."),
				 errtablecolname(rel, col_status.name)));
	return status;
}

/* Reject a move the machine does not allow, listing what is allowed. */
static void
CheckTransition(Relation rel, HeapTuple oldtuple, const char *from, const char *to)
{
	const char *next = OnboardingCaseAllowedNext(from);
	const char *case_id;

	if (OnboardingCaseTransitionAllowed(from, to))
		return;
	case_id = KycRowText(oldtuple, RelationGetDescr(rel), &col_case_id);
	if (next[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("case %s cannot move from %s to %s", case_id, from, to),
				 errdetail("%s is a final state.", from),
				 errhint("No further transitions are allowed; open a new case instead."),
				 errtableconstraint(rel, "onboarding_cases_status_transition")));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("case %s cannot move from %s to %s", case_id, from, to),
			 errdetail("Cases follow Draft -> InProgress -> PendingReview -> Approved or Rejected; "
					   "a reviewer may send a case under review back to InProgress."),
			 errhint("Allowed next states from %s: %s.", from, next),
			 errtableconstraint(rel, "onboarding_cases_status_transition")));
}

/* The decision function that makes the move from -> to, or NULL for any path. */
static const char *
DecisionFunction(const char *from, const char *to)
{
	if (strcmp(to, "Approved") == 0)
		return "kyc_onboarding.approve(case_id, reviewer, notes)";
	if (strcmp(to, "Rejected") == 0)
		return "kyc_onboarding.reject(case_id, reviewer, reason)";
	if (strcmp(from, "PendingReview") == 0)
		return "kyc_onboarding.request_information(case_id, reviewer, reason)";
	return NULL;
}

/*
 * Refuse a decision made other than by a decision function: approve()
 * checks the checklist, the risk result and four eyes, which a plain
 * UPDATE or transition() would skip.
 */
static void
RequireDecision(Relation rel, HeapTuple oldtuple, const char *from, const char *to)
{
	const char *function = DecisionFunction(from, to);

	if (function == NULL || case_transition.decision)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("case %s can move from %s to %s only by a reviewer's decision",
					KycRowText(oldtuple, RelationGetDescr(rel), &col_case_id), from, to),
			 errdetail("A decision checks its rules first: the checklist, the risk result, "
					   "attention reasons and four eyes."),
			 errhint("Use %s.", function),
			 errtableconstraint(rel, "onboarding_cases_status_transition")));
}

/* Refuse a change to what the reviewer decides on, once the case is submitted. */
static void
CheckFrozenColumns(Relation rel, HeapTuple oldtuple, HeapTuple newtuple, const char *status)
{
	TupleDesc	desc = RelationGetDescr(rel);
	KycColumn  *frozen[] = {&col_type, &col_partner_id, &col_partner_reference_id,
	&col_company_name, &col_industry_code};
	int			i;

	for (i = 0; i < lengthof(frozen); i++)
		if (!KycRowSame(oldtuple, newtuple, desc, frozen[i]))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("column %s of case %s cannot be changed while it is %s", frozen[i]->name,
							KycRowText(oldtuple, desc, &col_case_id), status),
					 errdetail("type, partner_id, partner_reference_id, company_name and industry_code "
							   "are fixed once a case is submitted for review (PendingReview, "
							   "Approved, Rejected)."),
					 errhint("%s", OnboardingCaseFrozenHint(status)),
					 errtablecolname(rel, frozen[i]->name)));
}

/* Keep column as it was in oldtuple: clients may not set it directly. */
static void
KeepColumn(KycRowChanges *changes, HeapTuple oldtuple, TupleDesc desc, KycColumn *column)
{
	bool		isnull;
	Datum		value = KycRowDatum(oldtuple, desc, column, &isnull);

	KycChangeSet(changes, desc, column, value, isnull);
}

/* Record who made the status change, and why if transition() was told. */
static void
SetChangedBy(KycRowChanges *changes, TupleDesc desc)
{
	const char *actor = case_transition.active && case_transition.actor ?
	case_transition.actor : KycSessionActor();
	const char *reason = case_transition.active ? case_transition.reason : NULL;

	KycChangeSet(changes, desc, &col_status_changed_by, CStringGetTextDatum(actor), false);
	KycChangeSet(changes, desc, &col_status_reason,
				 reason ? CStringGetTextDatum(reason) : (Datum) 0, reason == NULL);
}

/* Stamps for a new case: it starts as a Draft with no lifecycle times. */
static void
StampInsert(Relation rel, HeapTuple tuple, TupleDesc desc, KycRowChanges *changes)
{
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	char	   *status = RequireStatus(rel, tuple);
	char	   *partner_id;
	bool		unassigned;
	int			i;

	if (strcmp(status, "Draft") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("a new case must start in status Draft, not %s", status),
				 errhint("Create the case as Draft, then move it with kyc_onboarding.transition()."),
				 errtableconstraint(rel, "onboarding_cases_status_transition")));

	partner_id = KycRowText(tuple, desc, &col_partner_id);
	if (partner_id != NULL)
		OnboardingRequirePartner(rel, partner_id);
	for (i = 0; i < lengthof(handler_columns); i++)
		KycChangeSet(changes, desc, &handler_columns[i], (Datum) 0, true);
	KycChangeSet(changes, desc, &col_attention_reasons,
				 PointerGetDatum(construct_empty_array(TEXTOID)), false);
	KycChangeSet(changes, desc, &col_awaiting_information, BoolGetDatum(false), false);
	KycChangeSet(changes, desc, &col_created_at, now, false);
	KycChangeSet(changes, desc, &col_updated_at, now, false);
	KycChangeSet(changes, desc, &col_submitted_at, (Datum) 0, true);
	KycChangeSet(changes, desc, &col_approved_at, (Datum) 0, true);
	KycChangeSet(changes, desc, &col_rejected_at, (Datum) 0, true);
	KycRowDatum(tuple, desc, &col_assigned_to, &unassigned);
	KycChangeSet(changes, desc, &col_assigned_at, now, unassigned);
	SetChangedBy(changes, desc);
}

/* Checks and stamps for an update of an existing case. */
static void
StampUpdate(Relation rel, HeapTuple oldtuple, HeapTuple newtuple, TupleDesc desc,
			KycRowChanges *changes)
{
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	char	   *from = RequireStatus(rel, oldtuple);
	char	   *to = RequireStatus(rel, newtuple);
	KycColumn  *entered_stamp = NULL;

	/*
	 * type too: it chose the case's checklist and risk model in other
	 * services.
	 */
	KycColumn  *immutable[] = {&col_id, &col_case_id, &col_created_at, &col_type};
	KycColumn  *stamped[] = {&col_submitted_at, &col_approved_at, &col_rejected_at};
	bool		unassigned;
	int			i;

	for (i = 0; i < lengthof(immutable); i++)
		if (!KycRowSame(oldtuple, newtuple, desc, immutable[i]))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("column %s of case %s cannot be changed", immutable[i]->name,
							KycRowText(oldtuple, desc, &col_case_id)),
					 immutable[i] == &col_type ?
					 errhint("A case's type chose its checklist and its risk model; open a new case of the right type.") : 0,
					 errtablecolname(rel, immutable[i]->name)));
	if (OnboardingCaseDataFrozen(from))
		CheckFrozenColumns(rel, oldtuple, newtuple, from);
	if (!KycRowSame(oldtuple, newtuple, desc, &col_partner_id) &&
		KycRowText(newtuple, desc, &col_partner_id) != NULL)
		OnboardingRequirePartner(rel, KycRowText(newtuple, desc, &col_partner_id));

	if (case_transition.active && !case_transition.decision && strcmp(from, to) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("case %s is already in status %s",
						KycRowText(oldtuple, desc, &col_case_id), to),
				 errhint("Allowed next states from %s: %s.", from,
						 OnboardingCaseAllowedNext(from)[0] ? OnboardingCaseAllowedNext(from) : "none"),
				 errtableconstraint(rel, "onboarding_cases_status_transition")));
	if (strcmp(from, to) != 0)
	{
		CheckTransition(rel, oldtuple, from, to);
		RequireDecision(rel, oldtuple, from, to);
		/* A submission answers any request for information. */
		if (strcmp(to, "PendingReview") == 0)
			KycChangeSet(changes, desc, &col_awaiting_information, BoolGetDatum(false), false);
		entered_stamp = FindState(to)->stamp;
		SetChangedBy(changes, desc);
	}
	else
	{
		KeepColumn(changes, oldtuple, desc, &col_status_changed_by);
		KeepColumn(changes, oldtuple, desc, &col_status_reason);
	}

	/* Lifecycle stamps only ever come from this trigger. */
	for (i = 0; i < lengthof(stamped); i++)
	{
		if (stamped[i] == entered_stamp)
			KycChangeSet(changes, desc, stamped[i], now, false);
		else
			KeepColumn(changes, oldtuple, desc, stamped[i]);
	}

	if (KycRowSame(oldtuple, newtuple, desc, &col_assigned_to))
		KeepColumn(changes, oldtuple, desc, &col_assigned_at);
	else
	{
		KycRowDatum(newtuple, desc, &col_assigned_to, &unassigned);
		KycChangeSet(changes, desc, &col_assigned_at, now, unassigned);
	}
	KycChangeSet(changes, desc, &col_updated_at, now, false);
}

PG_FUNCTION_INFO_V1(kyc_onboarding_case_state_guard);

/* Trigger: BEFORE INSERT OR UPDATE ON onboarding_cases FOR EACH ROW */
Datum
kyc_onboarding_case_state_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "case_state_guard", true, true);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	KycRowChanges changes = {0};

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		StampInsert(rel, trigdata->tg_trigtuple, desc, &changes);
		return PointerGetDatum(KycChangeApply(trigdata->tg_trigtuple, desc, &changes));
	}
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		StampUpdate(rel, trigdata->tg_trigtuple, trigdata->tg_newtuple, desc, &changes);
		return PointerGetDatum(KycChangeApply(trigdata->tg_newtuple, desc, &changes));
	}
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("case_state_guard() must be fired for INSERT or UPDATE")));
	PG_RETURN_NULL();
}
