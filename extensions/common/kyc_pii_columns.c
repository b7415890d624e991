/*
 * kyc_pii_columns.c
 *		Sealing a row's personal-data columns in a BEFORE trigger, and
 *		opening a sealed value for a caller who may read its case.
 *
 * A table with personal data pairs each plain column with a sealed one.
 * Writers set the plain column; the table's trigger calls KycSealColumns(),
 * which seals it (kyc_pii.c) under the case's key (kyc_pii_keys.c) and
 * stores NULL in the plain column.  So the row, its events and the audit
 * log hold only ciphertext.
 */
#include "kyc_common.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/rel.h"

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
	if (DATE_NOT_FINITE(DatumGetDateADT(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite date", column->name)));
	j2date(DatumGetDateADT(value) + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	return psprintf("%04d-%02d-%02d", year, month, day);
}

/*
 * Refuse a sealed value a writer gave: only the trigger writes one.  A
 * value copied from another row of the same case would open (it names the
 * same case and field), and so would an older value of the same row: both
 * would silently change what the row says.  A restore runs in replica mode,
 * without this trigger, and so keeps its sealed values.
 */
static void
RefuseGivenSealed(Relation rel, KycPiiColumn *pii, const char *case_id)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s of case %s is written by a trigger, not directly", pii->sealed.name, case_id),
			 errdetail("%s holds %s sealed at rest; a writer sets %s, or sets %s to NULL to clear it.",
					   pii->sealed.name, pii->plain.name, pii->plain.name, pii->sealed.name),
			 errhint("Set %s; the trigger seals it.", pii->plain.name),
			 errtablecolname(rel, pii->sealed.name)));
}

/*
 * For a BEFORE trigger: seal each plain column of tuple (a row of case_id)
 * into its sealed column, and clear it.  oldtuple is the row before an
 * UPDATE, or NULL.  A writer may leave a sealed column as it was or set it
 * to NULL, never write one.
 */
void
KycSealColumns(KycKeyStore *store, Relation rel, HeapTuple tuple, HeapTuple oldtuple,
			   const char *case_id, KycPiiColumn *columns, int ncolumns, KycRowChanges *changes)
{
	TupleDesc	desc = RelationGetDescr(rel);
	uint8		key[KYC_PII_KEY_LEN];
	bool		have_key = false;
	int			i;

	for (i = 0; i < ncolumns; i++)
	{
		KycPiiColumn *pii = &columns[i];
		char	   *plain = PlainText(tuple, desc, &pii->plain);
		char	   *given = KycRowText(tuple, desc, &pii->sealed);
		char	   *forgotten_at;

		if (given != NULL && !(oldtuple != NULL && KycRowSame(oldtuple, tuple, desc, &pii->sealed)))
			RefuseGivenSealed(rel, pii, case_id);
		if (plain == NULL)
			continue;
		if (!have_key && !KycCaseDataKey(store, case_id, true, key, &forgotten_at))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("case %s was forgotten at %s: no personal data is stored for it",
							case_id, forgotten_at),
					 errdetail("kyc_onboarding.forget_subject() destroyed the case's data key."),
					 errtablecolname(rel, pii->plain.name)));
		have_key = true;
		KycChangeSet(changes, desc, &pii->plain, (Datum) 0, true);
		KycChangeSet(changes, desc, &pii->sealed,
					 CStringGetTextDatum(KycPiiSeal(key, pii->plain.name, case_id, plain, strlen(plain))),
					 false);
	}
	explicit_bzero(key, sizeof(key));
}

/*
 * The body of a reveal(sealed text) function: the plain value, after
 * require_readable(case_id) has let the caller read the case, or NULL once
 * the case is forgotten.
 */
Datum
KycRevealSealed(KycKeyStore *store, FunctionCallInfo fcinfo, void (*require_readable) (const char *case_id))
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
				 errhint("Pass a *_sealed column.")));
	require_readable(case_id);
	if (!KycCaseDataKey(store, case_id, false, key, &forgotten_at))
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
