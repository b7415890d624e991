/*
 * case_freeze.c
 *		A submitted or decided case's applicants and addresses are frozen.
 *
 * A reviewer approves or rejects the data a case was submitted with; a
 * change to an applicant or an address of a case in PendingReview,
 * Approved or Rejected would change what was decided, so the guards of
 * applicants and addresses refuse it.  The case row is locked FOR SHARE
 * while it is checked, so a change and a concurrent submission of the
 * same case serialise: the change commits first, or sees the new status.
 */
#include "kyc_onboarding.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"

/* The owning case, by CaseKey: the case's uuid or one of its applicants' uuid. */
static const char *const case_lookup[] = {
	"SELECT c.case_id, c.status FROM kyc_onboarding.onboarding_cases c "
	"WHERE c.id OPERATOR(pg_catalog.=) $1 FOR SHARE OF c",
	"SELECT c.case_id, c.status FROM kyc_onboarding.applicants a "
	"JOIN kyc_onboarding.onboarding_cases c ON c.id OPERATOR(pg_catalog.=) a.case_uuid "
	"WHERE a.id OPERATOR(pg_catalog.=) $1 FOR SHARE OF c",
};

/*
 * Refuse a change to rel (applicants or addresses) when the case that id
 * names, directly or through its applicant, is frozen.  A case or
 * applicant that does not exist is left to the foreign keys (or is being
 * deleted by a cascade, which nothing here stops).  The session's actor is
 * recorded as an editor of the case (contributors.c).  Returns the case's
 * public id, or NULL when there is no such case.
 */
char *
OnboardingRequireCaseEditable(Relation rel, CaseKey key, Datum id)
{
	static SPIPlanPtr plans[lengthof(case_lookup)];
	int			which = (int) key;
	Oid			argtypes[1] = {UUIDOID};
	KycOwnerScope owner;
	MemoryContext caller = CurrentMemoryContext;
	char	   *case_id = NULL;
	char	   *status = NULL;

	/* As the owner: the lookup and its row lock need no right of the caller. */
	KycBecomeOwner(rel->rd_rel->relowner, &owner);
	KycSpiConnect();
	KycSavedPlan(&plans[which], case_lookup[which], 1, argtypes);
	if (SPI_execute_plan(plans[which], &id, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "case status lookup failed");
	if (SPI_processed > 0)
	{
		/* Copied out of SPI's memory, which SPI_finish() frees. */
		case_id = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0],
														   SPI_tuptable->tupdesc, 1));
		status = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0],
														  SPI_tuptable->tupdesc, 2));
		/* The session's user edits the case: it cannot approve it. */
		if (!OnboardingCaseDataFrozen(status))
			OnboardingRecordContributor(case_id, KycSessionActor(), CONTRIBUTION_EDITED);
	}
	SPI_finish();
	KycLeaveOwner(&owner);
	/* Its risk result waits for this change (risk_sync.c). */
	if (status != NULL && !OnboardingCaseDataFrozen(status))
		OnboardingNoteRiskDataChange(case_id);

	if (status != NULL && OnboardingCaseDataFrozen(status))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("case %s is %s: its applicants and addresses cannot be changed", case_id, status),
				 errdetail("Applicants and addresses are fixed once a case is submitted for review "
						   "(PendingReview) or decided (Approved, Rejected); they can change in Draft "
						   "and InProgress."),
				 errhint("%s", OnboardingCaseFrozenHint(status)),
				 errtable(rel)));
	return case_id;
}

/*
 * The uuid of the case whose public id is case_id, for an applicant
 * inserted with case_id (KYC-...) instead of case_uuid; an unknown id is an error
 * that says which id is expected.
 */
Datum
OnboardingCaseUuidByPublicId(Relation rel, const char *case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = CStringGetTextDatum(case_id);
	KycOwnerScope owner;
	bool		found;
	bool		isnull;
	Datum		id = (Datum) 0;

	KycBecomeOwner(rel->rd_rel->relowner, &owner);
	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT c.id FROM kyc_onboarding.onboarding_cases c "
				 "WHERE c.case_id OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, &value, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "case id lookup failed");
	found = SPI_processed > 0;
	if (found)
		id = SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
											 &isnull), false, 16);
	SPI_finish();
	KycLeaveOwner(&owner);
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("case \"%s\" does not exist", case_id),
				 errhint("case_id takes a case's public id as create_case() returns it, "
						 "such as KYC-20261127-0000000042."),
				 errtablecolname(rel, "case_id")));
	return id;
}
