/*
 * transition.c
 *		kyc_onboarding.transition(): move a case through the state machine.
 *
 * The state machine itself lives in the BEFORE trigger (case_state.c), so a
 * plain UPDATE is held to the same rules.  transition() adds who and why:
 * it hands the actor and reason to the trigger for the one UPDATE it runs.
 */
#include "kyc_onboarding.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

/* Optional text argument: NULL for SQL NULL or a blank string. */
static char *
OptionalText(FunctionCallInfo fcinfo, int argno)
{
	char	   *value;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return NULL;
	value = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	return value[strspn(value, " \t\r\n")] == '\0' ? NULL : value;
}

/* Run the UPDATE and return the case row, or raise "no such case". */
static Datum
UpdateStatus(const char *case_id, const char *new_status)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	bool		isnull;
	Datum		row;

	KycSavedPlan(&plan, "UPDATE kyc_onboarding.onboarding_cases AS c SET status = $2 "
				 "WHERE case_id OPERATOR(pg_catalog.=) $1 RETURNING c", 2, argtypes);
	values[0] = CStringGetTextDatum(case_id);
	values[1] = CStringGetTextDatum(new_status);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "case update failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("case \"%s\" does not exist", case_id)));
	row = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return SPI_datumTransfer(row, false, -1);
}

/* The longest reason a transition records (status_reason), in bytes. */
#define TRANSITION_REASON_MAX 2000

PG_FUNCTION_INFO_V1(kyc_onboarding_transition);

/*
 * SQL: kyc_onboarding.transition(case_id text, new_status text,
 *		actor text DEFAULT NULL, reason text DEFAULT NULL)
 *		RETURNS kyc_onboarding.onboarding_cases
 */
Datum
kyc_onboarding_transition(PG_FUNCTION_ARGS)
{
	char	   *case_id = KycTextArg(fcinfo, 0, "case_id");
	char	   *new_status = KycTextArg(fcinfo, 1, "new_status");
	char	   *actor;
	char	   *reason;
	Datum		row;

	if (!OnboardingCaseStatusKnown(new_status))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown case status \"%s\"", new_status),
				 errhint("Case statuses are Draft, InProgress, PendingReview, Approved and Rejected.")));

	actor = OptionalText(fcinfo, 2);
	/* status_changed_by names who submitted: the four-eyes rule relies on it. */
	OnboardingRequireSessionActor(actor, "actor");
	if (actor != NULL && strlen(actor) > KYC_ACTOR_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("actor is too long"),
				 errdetail("The actor is %zu bytes; the limit is %d.", strlen(actor), KYC_ACTOR_MAX)));

	reason = OptionalText(fcinfo, 3);
	if (reason != NULL && strlen(reason) > TRANSITION_REASON_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("reason is too long"),
				 errdetail("The reason is %zu bytes; the limit is %d.", strlen(reason), TRANSITION_REASON_MAX)));

	KycSpiConnect();
	case_transition.actor = actor;
	case_transition.reason = reason;
	case_transition.active = true;
	PG_TRY();
	{
		row = UpdateStatus(case_id, new_status);
	}
	PG_FINALLY();
	{
		case_transition.active = false;
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_DATUM(row);
}
