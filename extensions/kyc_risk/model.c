/*
 * model.c
 *		The scoring model, read from kyc_risk.factor_types, level_bands and
 *		overrides.
 *
 * The model is read once per command and kept until the next: triggers
 * call for it once per factor, and a change to the model tables is always
 * a command of its own, which advances the command counter.
 */
#include "kyc_risk.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

static MemoryContext model_context = NULL;
static RiskModel *model = NULL;
static LocalTransactionId model_lxid = InvalidLocalTransactionId;
static CommandId model_cid = InvalidCommandId;

/* A score given as numeric, in hundredths, refusing what is not 0 to 100. */
RiskScore
RiskScoreFromNumeric(Datum value)
{
	Datum		scaled;
	int64		hundredths;

	/* NaN and infinities have no hundredths: refuse them before converting. */
	if (numeric_is_nan(DatumGetNumeric(value)) || numeric_is_inf(DatumGetNumeric(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk score %s is not a number from 0 to 100",
						DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				 errhint("Scores run from 0 to 100.")));
	scaled = DirectFunctionCall2(numeric_mul, value, NumericGetDatum(int64_to_numeric(100)));
	hundredths = DatumGetInt64(DirectFunctionCall1(numeric_int8, scaled));
	if (hundredths < 0 || hundredths > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("risk score %s is out of range",
						DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				 errhint("Scores run from 0 to 100.")));
	return hundredths;
}

/* A score in hundredths as numeric with two decimals. */
Datum
RiskScoreToNumeric(RiskScore score)
{
	return NumericGetDatum(int64_div_fast_to_numeric(score, 2));
}

/* A weight in thousandths as numeric with three decimals. */
Datum
RiskWeightToNumeric(RiskWeight weight)
{
	return NumericGetDatum(int64_div_fast_to_numeric(weight, 3));
}

/* A copy in the model's context: SPI returns to its own after each query. */
static char *
ModelString(const char *value)
{
	return MemoryContextStrdup(model_context, value);
}

/* Read the factor types' weights. */
static void
LoadTypes(RiskModel *m)
{
	static SPIPlanPtr plan = NULL;
	uint64		i;

	KycSavedPlan(&plan, "SELECT type, (weight OPERATOR(pg_catalog.*) 1000)::pg_catalog.int8, required "
				 "FROM kyc_risk.factor_types ORDER BY type", 0, NULL);
	if (SPI_execute_plan(plan, NULL, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.factor_types");
	m->ntypes = Min(SPI_processed, RISK_TYPE_COUNT);
	for (i = 0; i < m->ntypes; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		bool		isnull;

		m->types[i].type = ModelString(SPI_getvalue(row, SPI_tuptable->tupdesc, 1));
		m->types[i].weight = DatumGetInt64(SPI_getbinval(row, SPI_tuptable->tupdesc, 2, &isnull));
		m->types[i].required = DatumGetBool(SPI_getbinval(row, SPI_tuptable->tupdesc, 3, &isnull));
	}
}

/* Read the factor types each case type needs. */
static void
LoadRequired(RiskModel *m)
{
	static SPIPlanPtr plan = NULL;
	uint64		i;

	KycSavedPlan(&plan, "SELECT case_type, factor_type FROM kyc_risk.required_factor_types "
				 "ORDER BY case_type, factor_type", 0, NULL);
	if (SPI_execute_plan(plan, NULL, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.required_factor_types");
	m->nrequired = SPI_processed;
	m->required = MemoryContextAllocZero(model_context, sizeof(RiskRequiredType) * Max(SPI_processed, 1));
	for (i = 0; i < m->nrequired; i++)
	{
		m->required[i].case_type = ModelString(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
		m->required[i].factor_type = ModelString(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
	}
}

/* Read the level bands, lowest first; the lowest must start at 0. */
static void
LoadBands(RiskModel *m)
{
	static SPIPlanPtr plan = NULL;
	uint64		i;
	bool		isnull;

	KycSavedPlan(&plan, "SELECT level::pg_catalog.text, (min_score OPERATOR(pg_catalog.*) 100)::pg_catalog.int8 "
				 "FROM kyc_risk.level_bands ORDER BY min_score", 0, NULL);
	if (SPI_execute_plan(plan, NULL, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.level_bands");
	if (SPI_processed == 0 ||
		DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the risk model has no level band starting at score 0"),
				 errhint("Run SELECT kyc_risk.install_defaults(), or add the bands to kyc_risk.level_bands.")));
	m->nbands = SPI_processed;
	for (i = 0; i < m->nbands; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];

		m->band_level[i] = RiskLevelParse(SPI_getvalue(row, SPI_tuptable->tupdesc, 1));
		m->band_min[i] = DatumGetInt64(SPI_getbinval(row, SPI_tuptable->tupdesc, 2, &isnull));
		if (i > 0 && m->band_level[i] < m->band_level[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("risk level bands are out of order: %s starts below %s",
							RiskLevelName(m->band_level[i - 1]), RiskLevelName(m->band_level[i])),
					 errhint("Each level's min_score in kyc_risk.level_bands must exceed the lower levels'.")));
	}
}

/* Read the enabled overrides. */
static void
LoadOverrides(RiskModel *m)
{
	static SPIPlanPtr plan = NULL;
	uint64		i;

	KycSavedPlan(&plan, "SELECT name, factor_type, factor_level::pg_catalog.text, "
				 "min_level::pg_catalog.text, manual_review "
				 "FROM kyc_risk.overrides WHERE enabled ORDER BY name", 0, NULL);
	if (SPI_execute_plan(plan, NULL, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.overrides");
	m->noverrides = SPI_processed;
	m->overrides = MemoryContextAllocZero(model_context, sizeof(RiskOverride) * Max(SPI_processed, 1));
	for (i = 0; i < m->noverrides; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		RiskOverride *o = &m->overrides[i];
		bool		isnull;

		o->name = ModelString(SPI_getvalue(row, desc, 1));
		o->factor_type = ModelString(SPI_getvalue(row, desc, 2));
		o->factor_level = RiskLevelParse(SPI_getvalue(row, desc, 3));
		o->min_level = RiskLevelParse(SPI_getvalue(row, desc, 4));
		o->manual_review = DatumGetBool(SPI_getbinval(row, desc, 5, &isnull));
	}
}

/* The model for the current command, read from the tables if need be. */
const RiskModel *
RiskCurrentModel(void)
{
	CommandId	cid = GetCurrentCommandId(false);
	RiskModel  *m;

	if (model != NULL && model_lxid == MyProc->lxid && model_cid == cid)
		return model;
	if (model_context == NULL)
		model_context = AllocSetContextCreate(TopMemoryContext, "kyc_risk model",
											  ALLOCSET_SMALL_SIZES);
	model = NULL;
	MemoryContextReset(model_context);
	m = MemoryContextAllocZero(model_context, sizeof(RiskModel));
	KycSpiConnect();
	LoadTypes(m);
	LoadRequired(m);
	LoadBands(m);
	LoadOverrides(m);
	SPI_finish();
	model = m;
	model_lxid = MyProc->lxid;
	model_cid = cid;
	return model;
}

/* The level of the band a score falls in. */
RiskLevel
RiskBand(const RiskModel *m, RiskScore score)
{
	int			i;

	for (i = m->nbands - 1; i > 0; i--)
		if (score >= m->band_min[i])
			return m->band_level[i];
	return m->band_level[0];
}

/*
 * Whether an assessment of case_type needs a factor of type to complete:
 * as required_factor_types lists for the case type, or, for an assessment
 * without a case type or a case type it does not list, as factor_types
 * marks the type required.
 */
bool
RiskTypeRequired(const RiskModel *m, const char *case_type, const char *type)
{
	bool		listed = false;
	int			i;

	for (i = 0; case_type != NULL && i < m->nrequired; i++)
	{
		if (strcmp(m->required[i].case_type, case_type) != 0)
			continue;
		listed = true;
		if (strcmp(m->required[i].factor_type, type) == 0)
			return true;
	}
	if (listed)
		return false;
	for (i = 0; i < m->ntypes; i++)
		if (strcmp(m->types[i].type, type) == 0)
			return m->types[i].required;
	return false;
}

/* Find a factor type's weight in the model; false if the model lacks the type. */
bool
RiskFindTypeWeight(const RiskModel *m, const char *type, RiskWeight *weight)
{
	int			i;

	for (i = 0; i < m->ntypes; i++)
		if (strcmp(m->types[i].type, type) == 0)
		{
			*weight = m->types[i].weight;
			return true;
		}
	return false;
}

/*
 * A factor type's weight in the model: every factor of the type has it.  A
 * type that factor_types lacks cannot be scored.
 */
RiskWeight
RiskTypeWeight(const RiskModel *m, const char *type, const char *factor_id)
{
	RiskWeight	weight;

	if (!RiskFindTypeWeight(m, type, &weight))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("risk factor type %s has no weight", type),
				 errdetail("Factor %s is of type %s, which kyc_risk.factor_types does not list.",
						   factor_id, type),
				 errhint("Add the type to kyc_risk.factor_types, or run SELECT kyc_risk.install_defaults().")));
	return weight;
}
