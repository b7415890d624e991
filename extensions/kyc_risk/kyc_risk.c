/*
 * kyc_risk.c
 *		Module entry point, the names of the risk levels, and
 *		kyc_risk.risk_level(score).
 */
#include "kyc_risk.h"
#include "screening.h"

#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/numeric.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Read by assess_geography() for a country on no list. */
double		risk_unlisted_country_score = 10;

/* Define the module's settings. */
void
_PG_init(void)
{
	DefineCustomRealVariable("kyc_risk.unlisted_country_score",
							 "Geography score of a country that kyc_risk.country_risk does not list.",
							 NULL,
							 &risk_unlisted_country_score,
							 10, 0, 100,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("kyc_risk.screen_cache",
							 "Let screen() find candidates in a per-backend in-memory trigram index.",
							 "Off: the pg_trgm GIN index, which finds the same candidates, more slowly.",
							 &screen_cache_enabled,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_risk.screen_cache_max_names",
							"Most watch-list names screen() indexes in memory; longer lists use the GIN index.",
							NULL,
							&screen_cache_max_names,
							500000, 0, INT_MAX,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("kyc_risk");
}

static const char *const level_names[RISK_LEVEL_COUNT] = {
	"Low", "MediumLow", "Medium", "MediumHigh", "High"
};

/* The seed's spelling of a level. */
const char *
RiskLevelName(RiskLevel level)
{
	return level_names[level];
}

/* A level from its name; the domain kyc_risk.level_name admits no other. */
RiskLevel
RiskLevelParse(const char *name)
{
	int			i;

	for (i = 0; i < RISK_LEVEL_COUNT; i++)
		if (strcmp(name, level_names[i]) == 0)
			return (RiskLevel) i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("\"%s\" is not a risk level", name),
			 errhint("Levels are Low, MediumLow, Medium, MediumHigh and High.")));
	return RISK_LOW;
}

/* A score in hundredths as text, e.g. 4250 as "42.50". */
char *
RiskScoreText(RiskScore score)
{
	return psprintf(INT64_FORMAT ".%02d", score / 100, (int) (score % 100));
}

PG_FUNCTION_INFO_V1(risk_level);

/* SQL: kyc_risk.risk_level(score numeric) returns text: the score's band. */
Datum
risk_level(PG_FUNCTION_ARGS)
{
	RiskScore	score;

	KycRequireArg(fcinfo, 0, "score");
	score = RiskScoreFromNumeric(PG_GETARG_DATUM(0));
	PG_RETURN_TEXT_P(cstring_to_text(RiskLevelName(RiskBand(RiskCurrentModel(), score))));
}
