/*
 * geography.c
 *		Factors from the model's reference tables: kyc_risk.assess_geography
 *		(country risk) and kyc_risk.assess_industry (industry risk).
 *
 * Each call keeps one factor of its kind per assessment, updating the one
 * an earlier call made, so repeating a call does not double its weight.
 * The factors are the system's (factor_rights.c): written as the table's
 * owner, and beyond the service role's reach.
 */
#include "kyc_risk.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include <unicode/uloc.h>

extern double risk_unlisted_country_score;

/* Whether code is an ISO 3166-1 alpha-2 country code, as ICU knows them. */
static bool
IsCountryCode(const char *code)
{
	const char *const *countries = uloc_getISOCountries();
	int			i;

	for (i = 0; countries[i] != NULL; i++)
		if (strcmp(countries[i], code) == 0)
			return true;
	return false;
}

/* One factor of a kind (type and source) to store for a case. */
typedef struct FactorWrite
{
	const char *case_id;
	const char *type;
	Datum		score;
	const char *description;
	const char *source;
	pg_uuid_t	id;				/* out: the factor's id */
} FactorWrite;

/*
 * Store the factor of this kind for a case's assessment, creating the
 * assessment if need be: update the system-owned one an earlier call made,
 * or add it.  Runs as the system (RiskSystemWrite).  The assessment is
 * locked first, so that two calls at once cannot both find no factor and
 * both add one.
 */
static void
UpsertFactor(void *arg)
{
	FactorWrite *w = arg;
	static SPIPlanPtr update_plan = NULL;
	static SPIPlanPtr insert_plan = NULL;
	Oid			argtypes[5] = {UUIDOID, TEXTOID, NUMERICOID, TEXTOID, TEXTOID};
	Datum		values[5];
	bool		isnull;

	values[0] = RiskLockedAssessment(w->case_id);
	values[1] = CStringGetTextDatum(w->type);
	values[2] = w->score;
	values[3] = CStringGetTextDatum(w->description);
	values[4] = CStringGetTextDatum(w->source);
	KycSavedPlan(&update_plan,
				 "UPDATE kyc_risk.risk_factors f SET score = $3, description = $4 "
				 "WHERE f.risk_assessment_id OPERATOR(pg_catalog.=) $1 AND f.system_owned "
				 "  AND f.type OPERATOR(pg_catalog.=) $2 AND f.source OPERATOR(pg_catalog.=) $5 "
				 "RETURNING f.id", 5, argtypes);
	if (SPI_execute_plan(update_plan, values, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "could not update the %s factor", w->type);
	if (SPI_processed == 0)
	{
		KycSavedPlan(&insert_plan,
					 "INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source) "
					 "VALUES ($1, $2, $3, $4, $5) RETURNING id", 5, argtypes);
		if (SPI_execute_plan(insert_plan, values, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
			elog(ERROR, "could not add the %s factor", w->type);
	}
	memcpy(&w->id, DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
		   sizeof(pg_uuid_t));
}

/* Store the factor as the system; returns its id.  The caller is connected to SPI. */
static Datum
StoreFactor(const char *case_id, const char *type, Datum score, const char *description,
			const char *source)
{
	FactorWrite *w = palloc0(sizeof(FactorWrite));

	w->case_id = case_id;
	w->type = type;
	w->score = score;
	w->description = description;
	w->source = source;
	RiskSystemWrite(UpsertFactor, w);
	return UUIDPGetDatum(&w->id);
}

/* The countries as upper-case ISO codes; anything else is refused. */
static ArrayType *
CountryCodes(ArrayType *countries)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	deconstruct_array(countries, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("countries must name at least one country")));
	for (i = 0; i < n; i++)
	{
		char	   *code = nulls[i] ? NULL : text_to_cstring(DatumGetTextPP(elems[i]));
		char	   *p;

		if (code == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("countries must not contain NULL")));
		for (p = code; *p; p++)
			*p = pg_ascii_toupper((unsigned char) *p);
		if (strlen(code) != 2 || !IsCountryCode(code))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not an ISO 3166-1 alpha-2 country code", code),
					 errhint("Use two-letter codes such as DE or IR.")));
		elems[i] = CStringGetTextDatum(code);
		CHECK_FOR_INTERRUPTS();
	}
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

static Datum StoreGeography(const char *case_id, ArrayType *codes);

PG_FUNCTION_INFO_V1(kyc_risk_assess_geography);

/*
 * SQL: kyc_risk.assess_geography(case_id text, countries text[]) returns
 * uuid.  One Geography factor scored as the riskiest of the countries,
 * from kyc_risk.country_risk; a country it does not list scores
 * kyc_risk.unlisted_country_score.
 */
Datum
kyc_risk_assess_geography(PG_FUNCTION_ARGS)
{
	char	   *case_id = KycTextArg(fcinfo, 0, "case_id");
	ArrayType  *codes;
	Datum		id;

	KycRequireArg(fcinfo, 1, "countries");
	codes = CountryCodes(PG_GETARG_ARRAYTYPE_P(1));
	KycSpiConnect();
	id = StoreGeography(case_id, codes);
	id = PointerGetDatum(SPI_datumTransfer(id, false, sizeof(pg_uuid_t)));
	SPI_finish();
	PG_RETURN_DATUM(id);
}

/*
 * Store the Geography factor of the countries (valid upper-case codes):
 * scored as the riskiest, whose description names them riskiest first.
 * The caller is connected to SPI.
 */
static Datum
StoreGeography(const char *case_id, ArrayType *codes)
{
	Oid			argtypes[2] = {TEXTARRAYOID, FLOAT8OID};
	Datum		values[2];
	StringInfoData description;
	Datum		score;
	bool		isnull;
	uint64		i;

	values[0] = PointerGetDatum(codes);
	values[1] = Float8GetDatum(risk_unlisted_country_score);
	if (SPI_execute_with_args("SELECT c.code, coalesce(r.score, $2::pg_catalog.numeric(5,2)), "
							  "       coalesce(r.list, 'not listed') "
							  "FROM (SELECT DISTINCT u.code FROM pg_catalog.unnest($1) u(code)) c "
							  "LEFT JOIN kyc_risk.country_risk r ON r.country_code OPERATOR(pg_catalog.=) c.code "
							  "ORDER BY 2 DESC, 1",
							  2, argtypes, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.country_risk");
	score = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	initStringInfo(&description);
	appendStringInfoString(&description, "Countries: ");
	for (i = 0; i < SPI_processed; i++)
		appendStringInfo(&description, "%s%s (%s, %s)", i > 0 ? ", " : "",
						 SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1),
						 SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3),
						 SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
	return StoreFactor(case_id, "Geography", score, description.data, "kyc_risk.assess_geography");
}

static bool StoreIndustry(const char *case_id, const char *code, Datum *id);

PG_FUNCTION_INFO_V1(kyc_risk_assess_industry);

/*
 * SQL: kyc_risk.assess_industry(case_id text, industry_code text) returns
 * uuid.  One Industry factor scored from kyc_risk.industry_risk.
 */
Datum
kyc_risk_assess_industry(PG_FUNCTION_ARGS)
{
	char	   *case_id = KycTextArg(fcinfo, 0, "case_id");
	char	   *code = KycTextArg(fcinfo, 1, "industry_code");
	Datum		id;

	KycSpiConnect();
	if (!StoreIndustry(case_id, code, &id))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("industry \"%s\" is not in kyc_risk.industry_risk", code),
				 errhint("SELECT industry_code FROM kyc_risk.industry_risk lists the known ones.")));
	id = PointerGetDatum(SPI_datumTransfer(id, false, sizeof(pg_uuid_t)));
	SPI_finish();
	PG_RETURN_DATUM(id);
}

/*
 * Store the Industry factor of an industry code, its id in *id; false,
 * storing nothing, for a code industry_risk does not list.  The caller is
 * connected to SPI.
 */
static bool
StoreIndustry(const char *case_id, const char *code, Datum *id)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(code)};
	bool		isnull;

	if (SPI_execute_with_args("SELECT score, pg_catalog.format('%s (%s, as of %s)', description, source, as_of) "
							  "FROM kyc_risk.industry_risk WHERE industry_code OPERATOR(pg_catalog.=) $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.industry_risk");
	if (SPI_processed == 0)
		return false;
	*id = StoreFactor(case_id, "Industry",
					  SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
					  psprintf("Industry %s: %s", code,
							   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2)),
					  "kyc_risk.assess_industry");
	return true;
}

/*
 * The workflow's Geography factor of a case: the riskiest of every
 * nationality and address country of its applicants.  A code ICU does not
 * know is left out, with a warning; with no country known, the case keeps
 * the Geography factor it has.  The caller is connected to SPI.
 */
void
RiskWorkflowGeography(const char *case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(case_id)};
	Datum	   *codes;
	int			n = 0;
	uint64		i;

	KycSavedPlan(&plan,
				 "SELECT DISTINCT pg_catalog.upper(c.code) "
				 "FROM kyc_risk.applicant_subjects s, "
				 "     pg_catalog.unnest(s.address_countries OPERATOR(pg_catalog.||) s.nationality) c(code) "
				 "WHERE s.case_id OPERATOR(pg_catalog.=) $1 AND NOT s.removed AND c.code IS NOT NULL "
				 "ORDER BY 1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the countries of case %s", case_id);
	codes = palloc(sizeof(Datum) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

		if (strlen(code) == 2 && IsCountryCode(code))
			codes[n++] = CStringGetTextDatum(code);
		else
			ereport(WARNING,
					(errmsg("case %s: \"%s\" is not an ISO 3166-1 alpha-2 country code; "
							"its Geography factor leaves it out", case_id, code)));
	}
	if (n > 0)
		(void) StoreGeography(case_id, construct_array(codes, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * The workflow's Industry factor of a case, from the industry code its
 * case events gave.  A case without one keeps the Industry factor it has;
 * a code industry_risk does not list stores nothing, with a warning: a
 * person assesses it.  The caller is connected to SPI.
 */
void
RiskWorkflowIndustry(const char *case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(case_id)};
	char	   *code;
	Datum		id;

	KycSavedPlan(&plan, "SELECT industry_code FROM kyc_risk.case_subjects "
				 "WHERE case_id OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the industry of case %s", case_id);
	code = SPI_processed > 0 ? SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1) : NULL;
	if (code != NULL && !StoreIndustry(case_id, code, &id))
		ereport(WARNING,
				(errmsg("case %s: industry \"%s\" is not in kyc_risk.industry_risk; "
						"no Industry factor is recorded", case_id, code),
				 errhint("Add the industry to kyc_risk.industry_risk, or add the case's Industry factor by hand.")));
}
