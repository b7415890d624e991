/*
 * risk_sync.c
 *		Whether risk_service's results reflect a case's latest data.
 *
 * risk_service assesses a case from onboarding's events: case.created,
 * applicant.updated and applicant.removed, and a case.updated that changes
 * the case's type, company name or industry code.  A result that arrives
 * before risk_service has seen the latest of them reflects older data: an
 * applicant's nationality changed just before the checklist completed, say.
 * So kyc_onboarding.risk_sync keeps, per case, the id of the last such
 * event onboarding emitted (data_event_id, recorded here by the event
 * triggers), and the highest one risk_service says it has applied
 * (risk_seen_event_id, from risk.subjects_applied).  Automatic submission
 * and approve() wait until the second reaches the first.
 */
#include "kyc_onboarding.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

/* Record that event_id, just emitted, carries data of case_id that risk_service assesses. */
void
RecordRiskData(const char *case_id, int64 event_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {TEXTOID, INT8OID};
	Datum		values[2];
	KycOwnerScope owner;

	if (case_id == NULL)
		return;
	/* As the owner: the service role cannot write risk_sync. */
	KycBecomeOwner(KycTableOwner("kyc_onboarding", "risk_sync"), &owner);
	KycSpiConnect();
	KycSavedPlan(&plan, "INSERT INTO kyc_onboarding.risk_sync AS s (case_id, data_event_id) "
				 "VALUES ($1, $2) ON CONFLICT (case_id) DO UPDATE "
				 "SET data_event_id = GREATEST(s.data_event_id, excluded.data_event_id)",
				 2, argtypes);
	values[0] = CStringGetTextDatum(case_id);
	values[1] = Int64GetDatum(event_id);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record the risk data event of case %s", case_id);
	SPI_finish();
	KycLeaveOwner(&owner);
}
