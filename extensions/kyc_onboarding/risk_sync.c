/*
 * risk_sync.c
 *		Whether risk_service's results reflect a case's latest data.
 *
 * risk_service assesses a case from onboarding's events: case.created,
 * applicant.updated and applicant.removed, and a case.updated that changes
 * the case's type, company name or industry code.  A result that arrives
 * before risk_service has seen the latest of them reflects older data: an
 * applicant's nationality changed just before the checklist completed, say.
 * So kyc_onboarding.risk_sync keeps, per case, the outbox position
 * (xid, id) of the last such event onboarding emitted (recorded here by
 * the event triggers), and the furthest one risk_service says it has
 * applied (from risk.subjects_applied).  Positions, not ids: the relay
 * delivers in (xid, id) order, and ids are not in commit order.  Automatic
 * submission and approve() wait until the second reaches the first.
 *
 * An applicant changed in the transaction that is running is announced
 * only at its commit (applicant_events is deferred), so the guards note
 * the change here first, and a submission or an approval later in the
 * same transaction waits too.
 */
#include "kyc_onboarding.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/xid8.h"

/* Record that event_id, just emitted, carries data of case_id that risk_service assesses. */
void
OnboardingRecordRiskData(const char *case_id, int64 event_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {TEXTOID, XID8OID, INT8OID};
	Datum		values[3];
	KycOwnerScope owner;

	if (case_id == NULL)
		return;
	/* As the owner: the service role cannot write risk_sync. */
	KycBecomeOwner(KycTableOwner("kyc_onboarding", "risk_sync"), &owner);
	KycSpiConnect();
	KycSavedPlan(&plan, "INSERT INTO kyc_onboarding.risk_sync AS s (case_id, data_xid, data_event_id) "
				 "VALUES ($1, $2, $3) ON CONFLICT (case_id) DO UPDATE "
				 "SET data_xid = excluded.data_xid, data_event_id = excluded.data_event_id "
				 "WHERE (excluded.data_xid, excluded.data_event_id) OPERATOR(pg_catalog.>) "
				 "(s.data_xid, s.data_event_id)",
				 3, argtypes);
	values[0] = CStringGetTextDatum(case_id);
	values[1] = FullTransactionIdGetDatum(GetTopFullTransactionId());
	values[2] = Int64GetDatum(event_id);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record the risk data event of case %s", case_id);
	SPI_finish();
	KycLeaveOwner(&owner);
}

/* Case ids whose data this transaction changed; forgotten at its end. */
static List *changed_cases = NIL;
static bool changed_callback_registered = false;

/* Forget changed_cases at transaction end (the list is in its memory). */
static void
ForgetChangedCases(XactEvent event, void *arg)
{
	changed_cases = NIL;
}

/*
 * Note that this transaction changes the data of case_id (an applicant or
 * an address), before the deferred event that announces it.  Kept through
 * a rolled-back subtransaction: waiting for nothing is safe.
 */
void
OnboardingNoteRiskDataChange(const char *case_id)
{
	MemoryContext old;

	if (case_id == NULL || RiskDataChangePending(case_id))
		return;
	if (!changed_callback_registered)
	{
		RegisterXactCallback(ForgetChangedCases, NULL);
		changed_callback_registered = true;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	changed_cases = lappend(changed_cases, pstrdup(case_id));
	MemoryContextSwitchTo(old);
}

/* True when this transaction changed case_id's data (OnboardingNoteRiskDataChange). */
bool
RiskDataChangePending(const char *case_id)
{
	ListCell   *lc;

	foreach(lc, changed_cases)
		if (strcmp(lfirst(lc), case_id) == 0)
		return true;
	return false;
}

/*
 * The change of case_id's data is announced (applicant_events, at commit
 * or at SET CONSTRAINTS ... IMMEDIATE) and recorded in risk_sync, whose
 * position now holds the case back: no need to note it any longer.
 */
void
OnboardingForgetRiskDataChange(const char *case_id)
{
	ListCell   *lc;

	foreach(lc, changed_cases)
		if (strcmp(lfirst(lc), case_id) == 0)
	{
		changed_cases = foreach_delete_current(changed_cases, lc);
		return;
	}
}
