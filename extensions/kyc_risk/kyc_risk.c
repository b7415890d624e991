/*
 * kyc_risk.c
 *		Module entry point, the names of the risk levels,
 *		kyc_risk.risk_level(score), and the check that a trigger function
 *		fires on its own table.
 */
#include "kyc_risk.h"
#include "screening.h"

#include "catalog/namespace.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"

PG_MODULE_MAGIC;

/* Trigger: names the column, the value and the allowed list (kyc_allowed.c). */
KYC_ALLOWED_VALUES_TRIGGER(kyc_risk_allowed_values);

/* Trigger: a child row keeps its parent's public case id (kyc_parent_case.c). */
KYC_INHERIT_CASE_ID_TRIGGER(kyc_risk_inherit_case_id);

void		_PG_init(void);

/* Read by assess_geography() for a country on no list. */
double		risk_unlisted_country_score = 10;

/* Refuse a kyc_risk.change_reason longer than RISK_REASON_MAX bytes. */
static bool
CheckChangeReason(char **newval, void **extra, GucSource source)
{
	if (*newval != NULL && strlen(*newval) > RISK_REASON_MAX)
	{
		GUC_check_errdetail("kyc_risk.change_reason is limited to %d bytes; this one has %zu.",
							RISK_REASON_MAX, strlen(*newval));
		return false;
	}
	return true;
}

/* Define the module's settings. */
void
_PG_init(void)
{
	DefineCustomStringVariable("kyc_risk.change_reason",
							   "Why this transaction changes risk factors; a person's INSERT, UPDATE or DELETE needs one.",
							   "Set it with SET LOCAL.  kyc_risk.factor_changes records it with each factor changed.",
							   &risk_change_reason,
							   "",
							   PGC_USERSET,
							   0,
							   CheckChangeReason, NULL, NULL);
	DefineCustomRealVariable("kyc_risk.unlisted_country_score",
							 "Geography score of a country that kyc_risk.country_risk does not list.",
							 NULL,
							 &risk_unlisted_country_score,
							 10, 0, 100,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomRealVariable("kyc_risk.screen_case_max_threshold",
							 "Highest threshold screen_case() accepts: a caller may screen more strictly for recall, never less.",
							 "A higher threshold misses near matches, which screen_case() would then not record.",
							 &screen_case_max_threshold,
							 0.85, 0, 1,
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

PG_FUNCTION_INFO_V1(kyc_risk_level);

/* SQL: kyc_risk.risk_level(score numeric) returns text: the score's band. */
Datum
kyc_risk_level(PG_FUNCTION_ARGS)
{
	RiskScore	score;

	KycRequireArg(fcinfo, 0, "score");
	score = RiskScoreFromNumeric(PG_GETARG_DATUM(0));
	PG_RETURN_TEXT_P(cstring_to_text(RiskLevelName(RiskBand(RiskCurrentModel(), score))));
}

/*
 * Refuse a trigger call on any table but kyc_risk.table (or kyc_risk.other,
 * if given): the function was attached to a table it was not written for.
 */
void
RiskRequireTable(TriggerData *trigdata, const char *function, const char *table, const char *other)
{
	Relation	rel = trigdata->tg_relation;
	const char *name = RelationGetRelationName(rel);

	if (RelationGetNamespace(rel) == get_namespace_oid("kyc_risk", true) &&
		(strcmp(name, table) == 0 || (other != NULL && strcmp(name, other) == 0)))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("%s() is a trigger of kyc_risk.%s%s%s only", function, table,
					other != NULL ? " and kyc_risk." : "", other != NULL ? other : ""),
			 errdetail("It was fired on %s.",
					   quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)), name)),
			 errhint("kyc_risk's trigger functions serve kyc_risk's own tables; do not attach them elsewhere.")));
}
