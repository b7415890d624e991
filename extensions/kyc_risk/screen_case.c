/*
 * screen_case.c
 *		kyc_risk.screen_case(): screen a case's party, and record each match
 *		as a system-owned risk factor of the case's open assessment.
 *
 * The matches are read as the caller; they are recorded as the system
 * (factor_rights.c), so that the service role can neither lower nor remove
 * them afterwards.  A match is PEP when its list is 'PEP' (in any case) or
 * its entity type is 'pep', and Sanctions otherwise.
 */
#include "kyc_risk.h"
#include "screening.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

/* kyc_risk.screen_case_max_threshold: the highest threshold a caller may pass. */
double		screen_case_max_threshold = 0.85;

/* The matches of one call, read before anything is written. */
typedef struct CaseMatches
{
	const char *case_id;
	SPITupleTable *matches;		/* type, score, description, source */
	uint64		count;
	int			created;		/* out: the factors recorded */
} CaseMatches;

/* Record the matches not recorded yet; runs as the system. */
static void
RecordMatches(void *arg)
{
	CaseMatches *c = arg;
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {UUIDOID, TEXTOID, NUMERICOID, TEXTOID, TEXTOID};
	Datum		values[5];
	uint64		i;

	/* One screen_case() of a case at a time: two would both record a match. */
	values[0] = RiskLockedAssessment(c->case_id);
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source) "
				 "SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS ("
				 "  SELECT FROM kyc_risk.risk_factors f "
				 "  WHERE f.risk_assessment_id OPERATOR(pg_catalog.=) $1 AND f.system_owned "
				 "    AND f.source OPERATOR(pg_catalog.=) $5 AND f.description OPERATOR(pg_catalog.=) $4)",
				 5, argtypes);
	for (i = 0; i < c->count; i++)
	{
		bool		isnull;
		int			col;

		for (col = 1; col <= 4; col++)
			values[col] = SPI_getbinval(c->matches->vals[i], c->matches->tupdesc, col, &isnull);
		if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not record a screening match of case %s", c->case_id);
		c->created += SPI_processed;
	}
}

/*
 * Screen one name (values: name, birth date, country, threshold, with
 * nulls as SPI takes them): its matches in SPI_tuptable, each as (type,
 * score 0-100, description, source), riskiest first; returns how many.
 * PEP when the list is 'PEP' or the entity type 'pep', else Sanctions.
 * The caller is connected to SPI.
 */
uint64
RiskScreenMatches(Datum *values, const char *nulls)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[4] = {TEXTOID, DATEOID, TEXTOID, FLOAT8OID};

	KycSavedPlan(&plan,
				 "SELECT f.type, pg_catalog.round((100 OPERATOR(pg_catalog.*) s.score)::pg_catalog.numeric, 2), "
				 "       pg_catalog.format('%s match: %s entity %s (%s%s) matched as \"%s\", score %s', "
				 "                         f.type, s.list, s.entity_id, s.entity_type, "
				 "                         COALESCE(', ' OPERATOR(pg_catalog.||) s.program, ''), s.matched_name, "
				 "                         pg_catalog.round(s.score::pg_catalog.numeric, 4)), "
				 "       pg_catalog.left('screening:' OPERATOR(pg_catalog.||) s.list, 200) "
				 "FROM kyc_risk.screen($1, $2, $3, $4, 1000) s, "
				 "     LATERAL (SELECT CASE WHEN pg_catalog.upper(s.list) OPERATOR(pg_catalog.=) 'PEP' "
				 "                            OR s.entity_type OPERATOR(pg_catalog.=) 'pep' "
				 "                          THEN 'PEP' ELSE 'Sanctions' END AS type) f "
				 "ORDER BY s.score DESC, s.entity_id",
				 4, argtypes);
	if (SPI_execute_plan(plan, values, nulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not screen a name");
	return SPI_processed;
}

PG_FUNCTION_INFO_V1(kyc_risk_screen_case);

/*
 * SQL: kyc_risk.screen_case(case_id text, name text, birth_date date,
 * country text, threshold float8) returns integer: the factors created.
 * A match already recorded (same source and description) is not recorded
 * again; with no match, nothing is written, not even an assessment.  The
 * threshold defaults to kyc_risk.screen_case_max_threshold, and may not
 * exceed it.
 */
Datum
kyc_risk_screen_case(PG_FUNCTION_ARGS)
{
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	CaseMatches c = {0};
	int			i;

	c.case_id = KycTextArg(fcinfo, 0, "case_id");
	if (strspn(c.case_id, " ") == strlen(c.case_id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("case_id must not be empty"),
				 errhint("Give the case's id, as kyc_risk.open_assessment() takes it.")));
	/* As open_assessment() would refuse it, also when nothing matches. */
	if (pg_mbstrlen(c.case_id) > RISK_CASE_ID_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("case_id is longer than %d characters", RISK_CASE_ID_MAX)));
	(void) ScreenCheckedName(fcinfo, 1, "name");

	/*
	 * screen() checks the threshold's range; the cap is screen_case()'s own,
	 * and its default.
	 */
	if (!PG_ARGISNULL(4) && PG_GETARG_FLOAT8(4) > screen_case_max_threshold)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("screen_case() threshold %g is above kyc_risk.screen_case_max_threshold, %g",
						PG_GETARG_FLOAT8(4), screen_case_max_threshold),
				 errdetail("A stricter threshold would miss near matches that screening must record."),
				 errhint("Pass a threshold from 0 to %g, or leave it out; a superuser sets the cap.",
						 screen_case_max_threshold)));
	for (i = 0; i < 4; i++)
	{
		nulls[i] = PG_ARGISNULL(i + 1) ? 'n' : ' ';
		values[i] = PG_ARGISNULL(i + 1) ? (Datum) 0 : PG_GETARG_DATUM(i + 1);
	}
	if (PG_ARGISNULL(4))
	{
		nulls[3] = ' ';
		values[3] = Float8GetDatum(screen_case_max_threshold);	/* the default: the cap */
	}

	KycSpiConnect();
	c.count = RiskScreenMatches(values, nulls);
	c.matches = SPI_tuptable;
	if (c.count > 0)
		RiskSystemWrite(RecordMatches, &c);
	SPI_finish();
	PG_RETURN_INT32(c.created);
}
