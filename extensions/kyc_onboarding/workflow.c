/*
 * workflow.c
 *		Automatic submission: an InProgress case whose checklist is
 *		complete and whose risk assessment is completed moves to
 *		PendingReview by itself.
 *
 * The trigger's WHEN clause fires it on the update that completes the
 * condition, whichever it is: a handler recording checklist_service's or
 * risk_service's result (whichever arrives last), or the move to
 * InProgress of a case whose results arrived earlier.  It moves the case
 * through the state machine, as the table's owner, recording the workflow
 * as the actor, so case_state_guard stamps submitted_at and case_events
 * announces case.status_changed as for any submission.  It also waits
 * until risk_service's result reflects the case's latest data (risk_sync.c).
 */
#include "kyc_onboarding.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/rel.h"


static KycColumn col_id = KYC_COLUMN("id");
static KycColumn col_case_id = KYC_COLUMN("case_id");

/* Move the case with uuid id from InProgress to PendingReview. */
static void
SubmitCase(Datum id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};

	KycSavedPlan(&plan, "UPDATE kyc_onboarding.onboarding_cases SET status = 'PendingReview' "
				 "WHERE id OPERATOR(pg_catalog.=) $1 "
				 "AND status OPERATOR(pg_catalog.=) 'InProgress' "
				 "AND checklist_status OPERATOR(pg_catalog.=) 'Completed' "
				 "AND risk_event_id IS NOT NULL "
				 "AND requires_manual_review IS NOT TRUE "
				 "AND NOT awaiting_information "
				 "AND NOT EXISTS (SELECT FROM kyc_onboarding.risk_sync s "
				 "  WHERE s.case_id OPERATOR(pg_catalog.=) onboarding_cases.case_id "
				 "  AND (s.risk_seen_xid, s.risk_seen_event_id) OPERATOR(pg_catalog.<) "
				 "      (s.data_xid, s.data_event_id))", 1, argtypes);
	if (SPI_execute_plan(plan, &id, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not submit the case");
}

/*
 * Submit the case with uuid id if it is ready, as the workflow, as owner.
 * Not while this transaction has changed its applicants: the change is
 * announced at commit, and the risk result must follow it first.
 */
static void
SubmitAsWorkflow(Oid owner_id, Datum id, const char *case_id)
{
	CaseTransitionContext saved = case_transition;
	KycOwnerScope owner;
	int			nest;

	if (case_id != NULL && RiskDataChangePending(case_id))
		return;

	/*
	 * The workflow is who acts: the events and audit entries of the
	 * submission name it, not the session that completed the condition.
	 */
	nest = NewGUCNestLevel();
	(void) set_config_option("kyc.actor", CASE_WORKFLOW_ACTOR, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	KycBecomeOwner(owner_id, &owner);
	KycSpiConnect();
	case_transition.actor = CASE_WORKFLOW_ACTOR;
	case_transition.reason = "checklist completed and risk assessment completed";
	case_transition.active = true;
	PG_TRY();
	{
		SubmitCase(id);
	}
	PG_FINALLY();
	{
		case_transition = saved;
	}
	PG_END_TRY();
	SPI_finish();
	KycLeaveOwner(&owner);
	AtEOXact_GUC(true, nest);
}

PG_FUNCTION_INFO_V1(kyc_onboarding_workflow_submit);

/*
 * Trigger: AFTER UPDATE ON onboarding_cases FOR EACH ROW WHEN the case is
 * InProgress with its checklist Completed and its risk assessed, no
 * manual review asked for, and no information requested by a reviewer.
 */
Datum
kyc_onboarding_workflow_submit(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "workflow_submit", false, true);
	Relation	rel = trigdata->tg_relation;
	bool		isnull;
	Datum		id = KycRowDatum(trigdata->tg_newtuple, RelationGetDescr(rel), &col_id, &isnull);

	SubmitAsWorkflow(rel->rd_rel->relowner, id,
					 KycRowText(trigdata->tg_newtuple, RelationGetDescr(rel), &col_case_id));
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(kyc_onboarding_submit_if_ready);

/*
 * SQL: kyc_onboarding.submit_if_ready(case_uuid uuid) RETURNS void.  For
 * the risk handler, when risk.subjects_applied makes the case's results
 * current without changing the case row, which would fire the trigger.
 */
Datum
kyc_onboarding_submit_if_ready(PG_FUNCTION_ARGS)
{
	KycRequireArg(fcinfo, 0, "case_uuid");
	SubmitAsWorkflow(KycTableOwner("kyc_onboarding", "onboarding_cases"), PG_GETARG_DATUM(0), NULL);
	PG_RETURN_VOID();
}
