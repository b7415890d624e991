/*
 * screen.c
 *		kyc_risk.screen(): watch-list matches of a name, best first, one row
 *		per entity, with the reasons for each score.
 *
 * Candidates are the names with trigram similarity of at least
 * SCREEN_TRGM_THRESHOLD to the normalised query, or whose candidate keys
 * are SCREEN_KEY_THRESHOLD alike the query's (phonetic_similarity()), the SCREEN_CANDIDATES
 * most similar by either: from the backend's in-memory trigram index (screen_cache.c),
 * or else from the pg_trgm GIN index on watchlist_names.normalized.  Each is scored
 * in C by ScreenNameScore, then adjusted for date of birth, country and
 * weak aliases; see docs/kyc_risk_screening.md for the numbers.
 */
#include "screening.h"
#include "name_core.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/array.h"

/* Candidate generation: trigram and key similarity floors, and how many to score. */
#define SCREEN_TRGM_THRESHOLD "0.25"
#define SCREEN_KEY_THRESHOLD 0.1
#define SCREEN_CANDIDATES 200

/* Score adjustments. */
#define ADJ_DOB_EXACT 0.03
#define ADJ_DOB_YEAR 0.01
#define ADJ_DOB_MISMATCH (-0.15)
#define ADJ_COUNTRY_MATCH 0.02
#define ADJ_COUNTRY_MISMATCH (-0.05)
#define ADJ_WEAK_ALIAS (-0.05)

#define SCREEN_MAX_RESULTS 1000

/* Columns of the candidate query. */
enum
{
	CAND_ENTITY = 1, CAND_NAME, CAND_NORMALIZED, CAND_NAME_TYPE, CAND_WEAK, CAND_LIST,
	CAND_TYPE, CAND_PROGRAM, CAND_BIRTH_DATE, CAND_BIRTH_YEAR, CAND_COUNTRIES, CAND_ID
};

/* The candidate query's columns, for both ways of finding candidates. */
#define CANDIDATE_COLUMNS \
	"SELECT n.entity_id, n.name, n.normalized, n.name_type, n.weak, e.list, " \
	"       e.entity_type, e.program, e.birth_date, e.birth_year, e.countries, n.id " \
	"FROM kyc_risk.watchlist_names n " \
	"JOIN kyc_risk.watchlist_entities e ON e.id OPERATOR(pg_catalog.=) n.entity_id "

/* What the caller asked for. */
typedef struct ScreenQuery
{
	char	   *normalized;
	ScreenTokens *tokens;
	char	   *keys;			/* the tokens' phonetic keys (ScreenKeysOf) */
	bool		has_dob;
	int			dob_year;
	DateADT		dob;
	char		country[3];		/* empty when not given */
	double		threshold;
	int			max_results;
} ScreenQuery;

/* One scored candidate name. */
typedef struct ScreenHit
{
	int64		entity_id;
	int64		order;			/* candidate rank, for stable ties */
	double		score;
	char	   *list;
	char	   *entity_type;
	char	   *program;
	char	   *name;
	Jsonb	   *reasons;
} ScreenHit;

/* A float rounded to 4 decimals, the precision screen() reports. */
static double
Round4(double x)
{
	return rint(x * 10000.0) / 10000.0;
}

/* Push "key": the array of the tokens of t that paired is false for. */
static void
PushUnpaired(JsonbParseState **state, const char *key, const ScreenTokens *t, const bool *paired)
{
	int			i;

	KycJsonBegin(state, key, WJB_BEGIN_ARRAY);
	for (i = 0; i < t->count; i++)
		if (!paired[i])
			KycJsonPushText(state, NULL, pnstrdup(t->token[i], t->len[i]));
	pushJsonbValue(state, WJB_END_ARRAY, NULL);
}

/* The "dob" reason and its adjustment, from the list's date or year of birth. */
static const char *
DobVerdict(const ScreenQuery *q, HeapTuple row, TupleDesc desc, double *adj)
{
	bool		date_null;
	bool		year_null;
	Datum		date = SPI_getbinval(row, desc, CAND_BIRTH_DATE, &date_null);
	Datum		year = SPI_getbinval(row, desc, CAND_BIRTH_YEAR, &year_null);

	*adj = 0;
	if (!q->has_dob || year_null)
		return "unknown";
	if (!date_null && DatumGetDateADT(date) == q->dob)
	{
		*adj = ADJ_DOB_EXACT;
		return "exact";
	}
	if (DatumGetInt32(year) == q->dob_year)
	{
		*adj = ADJ_DOB_YEAR;
		return "year";
	}
	*adj = ADJ_DOB_MISMATCH;
	return "mismatch";
}

/* The "country" reason and its adjustment, from the list's countries. */
static const char *
CountryVerdict(const ScreenQuery *q, HeapTuple row, TupleDesc desc, double *adj)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, CAND_COUNTRIES, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	*adj = 0;
	if (q->country[0] == '\0' || isnull)
		return "unknown";
	deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n == 0)
		return "unknown";
	for (i = 0; i < n; i++)
		if (!nulls[i] && strcmp(TextDatumGetCString(elems[i]), q->country) == 0)
		{
			*adj = ADJ_COUNTRY_MATCH;
			return "match";
		}
	*adj = ADJ_COUNTRY_MISMATCH;
	return "mismatch";
}

static bool NameCouldPass(const ScreenQuery *q, const ScreenTokens *t, double *name_score,
						  ScreenMatch *m);

/* Score one candidate row; NULL when it scores below the threshold. */
static ScreenHit *
ScoreCandidate(const ScreenQuery *q, HeapTuple row, TupleDesc desc, int64 order)
{
	const ScreenTokens *qt;
	const ScreenTokens *lt;
	ScreenMatch m;
	bool		isnull;
	bool		weak = DatumGetBool(SPI_getbinval(row, desc, CAND_WEAK, &isnull));
	double		dob_adj;
	double		country_adj;
	const char *dob;
	const char *country;
	double		name_score;
	double		score;
	ScreenHit  *hit;
	JsonbParseState *reasons = NULL;
	int			i;

	if (!NameCouldPass(q, ScreenWeighedTokens(SPI_getvalue(row, desc, CAND_NORMALIZED), SPI_getvalue(row, desc, CAND_NAME)),
					   &name_score, &m))
		return NULL;			/* no adjustment could lift it */
	qt = m.a_tokens;
	lt = m.b_tokens;
	dob = DobVerdict(q, row, desc, &dob_adj);
	country = CountryVerdict(q, row, desc, &country_adj);
	score = Round4(Max(0.0, Min(1.0, name_score + dob_adj + country_adj + (weak ? ADJ_WEAK_ALIAS : 0))));
	if (score < q->threshold)
		return NULL;

	pushJsonbValue(&reasons, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushFloat(&reasons, "name_score", name_score, 4);
	KycJsonBegin(&reasons, "matched_tokens", WJB_BEGIN_ARRAY);
	for (i = 0; i < m.npairs; i++)
	{
		const ScreenPair *p = &m.pairs[i];

		KycJsonBegin(&reasons, NULL, WJB_BEGIN_OBJECT);
		KycJsonPushText(&reasons, "query", pnstrdup(qt->token[p->a], qt->len[p->a]));
		KycJsonPushText(&reasons, "list", pnstrdup(lt->token[p->b], lt->len[p->b]));
		KycJsonPushFloat(&reasons, "score", Round4(p->score), 4);
		KycJsonPushFloat(&reasons, "weight", Round4(p->weight), 4);
		KycJsonPushFloat(&reasons, "mismatch_weight", Round4(p->mismatch_weight), 4);
		pushJsonbValue(&reasons, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&reasons, WJB_END_ARRAY, NULL);
	PushUnpaired(&reasons, "unmatched_query_tokens", qt, m.a_paired);
	PushUnpaired(&reasons, "unmatched_list_tokens", lt, m.b_paired);
	KycJsonPushFloat(&reasons, "unmatched_query_weight", Round4(m.a_unpaired_weight), 4);
	KycJsonPushFloat(&reasons, "unmatched_list_weight", Round4(m.b_unpaired_weight), 4);
	KycJsonPushFloat(&reasons, "order_factor", m.order_factor, 2);
	KycJsonPushText(&reasons, "name_type", SPI_getvalue(row, desc, CAND_NAME_TYPE));
	KycJsonPushBool(&reasons, "weak_alias", weak);
	KycJsonPushText(&reasons, "dob", dob);
	KycJsonPushFloat(&reasons, "dob_adjustment", dob_adj, 2);
	KycJsonPushText(&reasons, "country", country);
	KycJsonPushFloat(&reasons, "country_adjustment", country_adj, 2);
	KycJsonPushFloat(&reasons, "weak_alias_adjustment", weak ? ADJ_WEAK_ALIAS : 0.0, 2);

	hit = palloc(sizeof(ScreenHit));
	hit->entity_id = DatumGetInt64(SPI_getbinval(row, desc, CAND_ENTITY, &isnull));
	hit->order = order;
	hit->score = score;
	hit->list = SPI_getvalue(row, desc, CAND_LIST);
	hit->entity_type = SPI_getvalue(row, desc, CAND_TYPE);
	hit->program = SPI_getvalue(row, desc, CAND_PROGRAM);
	hit->name = SPI_getvalue(row, desc, CAND_NAME);
	hit->reasons = KycJsonFinish(&reasons);
	return hit;
}

/* Hits sort best first, then by entity and candidate rank. */
static int
CompareHits(const void *x, const void *y)
{
	const ScreenHit *a = *(ScreenHit *const *) x;
	const ScreenHit *b = *(ScreenHit *const *) y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->entity_id != b->entity_id)
		return a->entity_id < b->entity_id ? -1 : 1;
	return a->order < b->order ? -1 : (a->order > b->order);
}

/* The candidate query, with pg_trgm's operator and function schema-qualified. */
static SPIPlanPtr
CandidatePlan(void)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {TEXTOID, INT4OID, TEXTOID, FLOAT8OID, TEXTOID};

	if (plan == NULL)
	{
		const char *trgm;

		if (SPI_execute("SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension x "
						"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) x.extnamespace "
						"WHERE x.extname OPERATOR(pg_catalog.=) 'pg_trgm'", true, 1) != SPI_OK_SELECT || SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("screening needs the pg_trgm extension")));
		trgm = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		KycSavedPlan(&plan,
					 psprintf(CANDIDATE_COLUMNS
							  "WHERE n.normalized OPERATOR(%s.%%) $1 "
							  "OR (pg_catalog.string_to_array(n.phonetic, ' ') OPERATOR(pg_catalog.&&) "
							  "    pg_catalog.string_to_array($5, ' ') "
							  "    AND kyc_risk.phonetic_similarity(n.phonetic, $3) OPERATOR(pg_catalog.>=) $4) "
							  "ORDER BY GREATEST(%s.similarity(n.normalized, $1), "
							  "kyc_risk.phonetic_similarity(n.phonetic, $3)) DESC, %s.similarity(n.normalized, $1) DESC, "
							  "n.id LIMIT $2",
							  trgm, trgm, trgm),
					 5, argtypes);
	}
	return plan;
}

/*
 * The candidate rows with these name ids, for candidates from the cache:
 * a few primary-key lookups whatever the ids, so planned once (planning
 * it again at every screen was a fifth of screen()'s time).
 */
static SPIPlanPtr
FetchPlan(void)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8ARRAYOID};

	return KycSavedPlanOptions(&plan, CANDIDATE_COLUMNS "WHERE n.id OPERATOR(pg_catalog.=) ANY ($1)", 1, argtypes,
							   CURSOR_OPT_GENERIC_PLAN);
}

/* The name score of a candidate's weighed tokens, and whether any adjustment could lift it to the threshold. */
static bool
NameCouldPass(const ScreenQuery *q, const ScreenTokens *t, double *name_score, ScreenMatch *m)
{
	*name_score = Round4(ScreenNameScore(q->tokens, t, m));
	return *name_score + ADJ_DOB_EXACT + ADJ_COUNTRY_MATCH >= q->threshold;
}

/*
 * Score the candidates the in-memory index finds, fetching only those
 * whose name could pass; false if the index is not in use.
 */
static bool
ScoreCachedCandidates(const ScreenQuery *q, int limit, ScreenHit ***hits, int *nhits)
{
	int64	   *ids;
	const ScreenTokens **tokens;
	int			n;
	int			i;
	Datum	   *keep;
	int			nkeep = 0;
	Datum		args[1];
	uint64		r;

	if (!ScreenCandidateIds(q->normalized, q->keys, atof(SCREEN_TRGM_THRESHOLD), SCREEN_KEY_THRESHOLD, limit,
							&ids, &tokens, &n))
		return false;
	keep = palloc(sizeof(Datum) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		double		name_score;
		ScreenMatch m;

		if (NameCouldPass(q, tokens[i], &name_score, &m))
			keep[nkeep++] = Int64GetDatum(ids[i]);
	}
	*hits = palloc(sizeof(ScreenHit *) * Max(nkeep, 1));
	*nhits = 0;
	if (nkeep == 0)
		return true;
	args[0] = PointerGetDatum(construct_array(keep, nkeep, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
											  TYPALIGN_DOUBLE));
	if (SPI_execute_plan(FetchPlan(), args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "watch-list candidate fetch failed");
	for (r = 0; r < SPI_processed; r++)
	{
		bool		isnull;
		int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, CAND_ID, &isnull));
		int			rank = 0;
		ScreenHit  *hit;

		while (rank < n && ids[rank] != id)
			rank++;				/* the candidate's place, for stable ties */
		hit = ScoreCandidate(q, SPI_tuptable->vals[r], SPI_tuptable->tupdesc, rank);
		if (hit != NULL)
			(*hits)[(*nhits)++] = hit;
	}
	return true;
}

/* Read and check screen()'s arguments. */
static void
ReadQuery(FunctionCallInfo fcinfo, ScreenQuery *q)
{
	char	   *name = ScreenCheckedName(fcinfo, 0, "name");

	memset(q, 0, sizeof(ScreenQuery));
	if (!PG_ARGISNULL(1))
	{
		int			month;
		int			day;

		q->dob = PG_GETARG_DATEADT(1);
		if (DATE_NOT_FINITE(q->dob))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("birth_date must be a finite date")));
		if (q->dob > GetSQLCurrentDate())
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("birth_date %s is in the future",
							DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(q->dob))))));
		j2date(q->dob + POSTGRES_EPOCH_JDATE, &q->dob_year, &month, &day);
		q->has_dob = true;
	}
	if (!PG_ARGISNULL(2))
	{
		char	   *country = text_to_cstring(PG_GETARG_TEXT_PP(2));

		if (strlen(country) != 2 || !isalpha((unsigned char) country[0]) ||
			!isalpha((unsigned char) country[1]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("country \"%s\" is not an ISO 3166-1 alpha-2 code", country),
					 errhint("Give two letters, such as 'GB', or null.")));
		q->country[0] = pg_ascii_toupper((unsigned char) country[0]);
		q->country[1] = pg_ascii_toupper((unsigned char) country[1]);
	}
	KycRequireArg(fcinfo, 3, "threshold");
	q->threshold = PG_GETARG_FLOAT8(3);
	if (!(q->threshold >= 0.0 && q->threshold <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("threshold must be between 0 and 1")));
	KycRequireArg(fcinfo, 4, "max_results");
	q->max_results = PG_GETARG_INT32(4);
	if (q->max_results < 1 || q->max_results > SCREEN_MAX_RESULTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_results must be between 1 and %d", SCREEN_MAX_RESULTS)));
	q->normalized = ScreenNormalize(name, false);
	q->tokens = ScreenWithReadings(ScreenTokenize(q->normalized, true), q->normalized, name);
	q->keys = ScreenKeysOf(q->tokens, true);
	ScreenWeighTokens(q->tokens);
}

PG_FUNCTION_INFO_V1(kyc_risk_screen);

/* SQL: kyc_risk.screen(name, birth_date, country, threshold, max_results). */
Datum
kyc_risk_screen(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ScreenQuery q;
	Datum		args[5];
	int			nest;
	ScreenHit **hits;
	int			nhits = 0;
	int			emitted = 0;
	int64	   *seen;
	uint64		i;

	ReadQuery(fcinfo, &q);
	InitMaterializedSRF(fcinfo, 0);

	KycSpiConnect();
	if (!ScoreCachedCandidates(&q, Max(SCREEN_CANDIDATES, 4 * q.max_results), &hits, &nhits))
	{
		/* No in-memory index: the same candidates from the GIN index. */
		args[0] = CStringGetTextDatum(q.normalized);
		args[1] = Int32GetDatum(Max(SCREEN_CANDIDATES, 4 * q.max_results));
		args[2] = CStringGetTextDatum(q.keys);
		args[3] = Float8GetDatum(SCREEN_KEY_THRESHOLD);
		args[4] = CStringGetTextDatum(ScreenLookupKeys(q.keys));
		nest = NewGUCNestLevel();
		(void) set_config_option("pg_trgm.similarity_threshold", SCREEN_TRGM_THRESHOLD,
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		if (SPI_execute_plan(CandidatePlan(), args, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "watch-list candidate query failed");
		AtEOXact_GUC(true, nest);

		hits = palloc(sizeof(ScreenHit *) * Max(SPI_processed, 1));
		for (i = 0; i < SPI_processed; i++)
		{
			ScreenHit  *hit = ScoreCandidate(&q, SPI_tuptable->vals[i], SPI_tuptable->tupdesc, i);

			if (hit != NULL)
				hits[nhits++] = hit;
		}
	}
	qsort(hits, nhits, sizeof(ScreenHit *), CompareHits);

	seen = palloc(sizeof(int64) * Max(nhits, 1));
	for (i = 0; i < nhits && emitted < q.max_results; i++)
	{
		ScreenHit  *h = hits[i];
		Datum		values[7];
		bool		nulls[7] = {false};
		int			j;

		for (j = 0; j < emitted; j++)
			if (seen[j] == h->entity_id)
				break;
		if (j < emitted)
			continue;			/* a better name of this entity came first */
		seen[emitted++] = h->entity_id;
		values[0] = Int64GetDatum(h->entity_id);
		values[1] = CStringGetTextDatum(h->list);
		values[2] = CStringGetTextDatum(h->entity_type);
		nulls[3] = h->program == NULL;
		values[3] = nulls[3] ? (Datum) 0 : CStringGetTextDatum(h->program);
		values[4] = CStringGetTextDatum(h->name);
		values[5] = Float8GetDatum(h->score);
		values[6] = JsonbPGetDatum(h->reasons);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}
