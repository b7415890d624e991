/*
 * explain.c
 *		kyc_risk.explain(case_id): each factor of a case's assessment, with
 *		its type's weight, its share of the score (0 unless it is its type's
 *		highest) and the overrides it fired.
 */
#include "kyc_risk.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

/* The id of a case's assessment; a case without one is an error. */
static Datum
AssessmentOf(const char *case_id)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(case_id)};
	bool		isnull;
	pg_uuid_t  *id = palloc(sizeof(pg_uuid_t));

	if (SPI_execute_with_args("SELECT id FROM kyc_risk.risk_assessments "
							  "WHERE case_id OPERATOR(pg_catalog.=) $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up the risk assessment");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("case %s has no risk assessment", case_id),
				 errhint("Factors create it: kyc_risk.open_assessment(), assess_geography() and the like.")));
	memcpy(id, DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)),
		   sizeof(pg_uuid_t));
	return UUIDPGetDatum(id);
}

PG_FUNCTION_INFO_V1(kyc_risk_explain);

/*
 * SQL: kyc_risk.explain(case_id text) RETURNS TABLE (factor_id uuid, type
 * text, level text, score numeric, weight numeric, contribution numeric,
 * overrides text).  weight is the type's.  Only each type's highest factor
 * contributes; the others show 0.  The contributions add up to the score,
 * within rounding.
 */
Datum
kyc_risk_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *case_id = KycTextArg(fcinfo, 0, "case_id");
	const RiskModel *m;
	RiskResult *r;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	m = RiskCurrentModel();
	KycSpiConnect();
	r = RiskCompute(m, AssessmentOf(case_id));
	for (i = 0; i < r->nfactors; i++)
	{
		const RiskFactor *f = &r->factors[i];
		Datum		values[7];
		bool		nulls[7] = {false};

		values[0] = DirectFunctionCall1(uuid_in, CStringGetDatum(f->id));
		values[1] = CStringGetTextDatum(f->type);
		values[2] = CStringGetTextDatum(RiskLevelName(f->level));
		values[3] = RiskScoreToNumeric(f->score);
		values[4] = RiskWeightToNumeric(f->weight);
		values[5] = RiskContribution(r, f);
		nulls[6] = f->fired == NULL;
		values[6] = nulls[6] ? (Datum) 0 : CStringGetTextDatum(f->fired);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}
