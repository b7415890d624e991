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
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/rel.h"

static KycKeyStore onboarding_keys = KYC_KEY_STORE("kyc_onboarding");

/* A personal-data column of applicants and the column that holds it sealed. */
typedef struct PiiColumn
{
	KycColumn	plain;
	KycColumn	sealed;
} PiiColumn;

static PiiColumn applicant_pii[] = {
	{KYC_COLUMN("date_of_birth"), KYC_COLUMN("date_of_birth_sealed")},
	{KYC_COLUMN("national_id_number"), KYC_COLUMN("national_id_number_sealed")},
};

/* The plain value as text: a date in ISO form, whatever DateStyle says. */
static char *
PlainText(HeapTuple tuple, TupleDesc desc, KycColumn *column)
{
	bool		isnull;
	Datum		value = KycRowDatum(tuple, desc, column, &isnull);
	int			year;
	int			month;
	int			day;

	if (isnull)
		return NULL;
	if (TupleDescAttr(desc, column->attnum - 1)->atttypid != DATEOID)
		return TextDatumGetCString(value);
	/* CheckBirthDate has refused infinite dates. */
	j2date(DatumGetDateADT(value) + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	return psprintf("%04d-%02d-%02d", year, month, day);
}

/* Refuse a sealed value a writer gave that is not this row's own. */
static void
CheckGivenSealed(Relation rel, PiiColumn *pii, const char *given, const char *case_id)
{
	char	   *field;
	char	   *sealed_case;

	if (KycPiiParse(given, &field, &sealed_case) &&
		strcmp(field, pii->plain.name) == 0 && strcmp(sealed_case, case_id) == 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s: not a sealed %s of case %s", pii->sealed.name, pii->plain.name, case_id),
			 errdetail("%s holds %s sealed by the applicant_guard trigger; it is not written directly.",
					   pii->sealed.name, pii->plain.name),
			 errhint("Set %s; the trigger seals it.", pii->plain.name),
			 errtablecolname(rel, pii->sealed.name)));
}

/* Refuse new personal data for a case whose data key was destroyed. */
static void
pg_attribute_noreturn()
RaiseForgotten(Relation rel, const char *case_id, const char *forgotten_at, const char *column)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("case %s was forgotten at %s: no personal data is stored for it", case_id, forgotten_at),
			 errdetail("kyc_onboarding.forget_subject() destroyed the case's data key."),
			 errtablecolname(rel, column)));
}

/*
 * For the applicant_guard trigger: seal each plain personal-data column of
 * tuple (an applicant of case_id) into its sealed column, and clear it.
 * oldtuple is the row before an UPDATE, or NULL.
 */
void
SealApplicantPii(Relation rel, HeapTuple tuple, HeapTuple oldtuple, const char *case_id,
				 KycRowChanges *changes)
{
	TupleDesc	desc = RelationGetDescr(rel);
	uint8		key[KYC_PII_KEY_LEN];
	bool		have_key = false;
	int			i;

	for (i = 0; i < lengthof(applicant_pii); i++)
	{
		PiiColumn  *pii = &applicant_pii[i];
		char	   *plain = PlainText(tuple, desc, &pii->plain);
		char	   *given = KycRowText(tuple, desc, &pii->sealed);
		char	   *forgotten_at;

		if (plain == NULL)
		{
			/* Kept as it was, cleared, or copied from the same case. */
			if (given != NULL && !(oldtuple != NULL && KycRowSame(oldtuple, tuple, desc, &pii->sealed)))
				CheckGivenSealed(rel, pii, given, case_id);
			continue;
		}
		if (!have_key &&
			!KycCaseDataKey(&onboarding_keys, case_id, true, key, &forgotten_at))
			RaiseForgotten(rel, case_id, forgotten_at, pii->plain.name);
		have_key = true;
		KycChangeSet(changes, desc, &pii->plain, (Datum) 0, true);
		KycChangeSet(changes, desc, &pii->sealed,
					 CStringGetTextDatum(KycPiiSeal(key, pii->plain.name, case_id, plain, strlen(plain))),
					 false);
	}
	explicit_bzero(key, sizeof(key));
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

PG_FUNCTION_INFO_V1(reveal);

/*
 * reveal(sealed text) returns text: the plain value of a sealed column, for
 * a caller who may read its case; NULL once the case is forgotten.
 */
Datum
reveal(PG_FUNCTION_ARGS)
{
	char	   *sealed = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *field;
	char	   *case_id;
	char	   *forgotten_at;
	char	   *plain;
	uint8		key[KYC_PII_KEY_LEN];
	int			len;

	if (!KycPiiParse(sealed, &field, &case_id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sealed is not a sealed value"),
				 errdetail("A sealed value has the form pii:v1:<field>:<case id>:<base64>."),
				 errhint("Pass a *_sealed column of kyc_onboarding.applicants.")));
	RequireReadableCase(case_id, "have its personal data revealed");
	if (!KycCaseDataKey(&onboarding_keys, case_id, false, key, &forgotten_at))
		PG_RETURN_NULL();
	plain = KycPiiOpen(key, sealed, &len);
	explicit_bzero(key, sizeof(key));
	if (plain == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the sealed %s of case %s does not open with the case's key", field, case_id),
				 errdetail("The value was altered, or sealed for another case or field.")));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(plain, len));
}

PG_FUNCTION_INFO_V1(forget_subject);

/*
 * forget_subject(case_id text) returns jsonb: erase the case's personal
 * data everywhere by destroying its data key, and announce case.forgotten
 * so that other services destroy theirs.  Idempotent.
 */
Datum
forget_subject(PG_FUNCTION_ARGS)
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
