/*
 * pii.c
 *		An applicant's personal data sealed at rest, opened for those who may
 *		read its case, and erased by destroying the case's key.
 *
 * Writers set date_of_birth and national_id_number as plain columns; the
 * applicant_guard trigger seals each into its *_sealed column under the
 * case's data key (common/kyc_pii.c) and stores NULL in the plain one.  So
 * the row, its events, the projections and the audit log hold ciphertext
 * only.  reveal() opens a sealed value for a caller who can read the case;
 * forget_subject() destroys the case's key, and every copy of every sealed
 * value of the case becomes unreadable, while the audit chain, which hashed
 * the ciphertext, still verifies.
 */
#include "kyc_onboarding.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"

static KycKeyStore onboarding_keys = KYC_KEY_STORE("kyc_onboarding");

/* The personal-data columns of applicants, each with its sealed twin. */
static KycPiiColumn applicant_pii[] = {
	{KYC_COLUMN("date_of_birth"), KYC_COLUMN("date_of_birth_sealed")},
	{KYC_COLUMN("national_id_number"), KYC_COLUMN("national_id_number_sealed")},
};

/*
 * For the applicant_guard trigger: seal the applicant's personal data
 * (common/kyc_pii_columns.c).  oldtuple is the row before an UPDATE, or NULL.
 */
void
OnboardingSealApplicantPii(Relation rel, HeapTuple tuple, HeapTuple oldtuple, const char *case_id,
						   KycRowChanges *changes)
{
	KycSealColumns(&onboarding_keys, rel, tuple, oldtuple, case_id, applicant_pii,
				   lengthof(applicant_pii), changes);
}

/* Refuse unless the calling role may read case_id (its row-level security included). */
static void
RequireReadableCase(const char *case_id, const char *action)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(case_id)};

	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT 1 FROM kyc_onboarding.onboarding_cases "
				 "WHERE case_id OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "case lookup failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("case %s does not exist", case_id),
				 errdetail("Only a case you may read can %s.", action)));
	SPI_finish();
}

/* reveal()'s check: the caller reads the case. */
static void
RequireRevealableCase(const char *case_id)
{
	RequireReadableCase(case_id, "have its personal data revealed");
}

PG_FUNCTION_INFO_V1(kyc_onboarding_reveal);

/*
 * reveal(sealed text) returns text: the plain value of a sealed column, for
 * a caller who may read its case; NULL once the case is forgotten.
 */
Datum
kyc_onboarding_reveal(PG_FUNCTION_ARGS)
{
	return KycRevealSealed(&onboarding_keys, fcinfo, RequireRevealableCase);
}

PG_FUNCTION_INFO_V1(kyc_onboarding_forget_subject);

/*
 * forget_subject(case_id text) returns jsonb: erase the case's personal
 * data everywhere by destroying its data key, and announce case.forgotten
 * so that other services destroy theirs.  Idempotent.
 */
Datum
kyc_onboarding_forget_subject(PG_FUNCTION_ARGS)
{
	char	   *case_id = KycTextArg(fcinfo, 0, "case_id");
	const char *actor = KycSessionActor();
	char	   *forgotten_at;
	JsonbParseState *state = NULL;
	Jsonb	   *payload;

	RequireReadableCase(case_id, "be forgotten");
	forgotten_at = KycShredCaseKey(&onboarding_keys, case_id, actor);
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "case_id", case_id);
	KycJsonPushText(&state, "forgotten_at", forgotten_at);
	KycJsonPushText(&state, "requested_by", actor);
	payload = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
	KycEmit("case.forgotten", case_id, payload);
	PG_RETURN_JSONB_P(payload);
}
