/*
 * queries.c
 *		The frontend's two questions to the read model, each answered from
 *		indexes: kyc_projections.dashboard(partner_id) and
 *		kyc_projections.search(query); the GUC kyc_projections.review_sla;
 *		and the case_counts summary the dashboard's counts come from.
 *
 * dashboard() counts cases by status and by risk level from case_counts,
 * a few thousand rows at most (one per partner, status, risk level and
 * manual-review flag), kept by the count_change trigger in the same
 * transaction as each projection write: counting a million projections at
 * every call would read a million index entries.  Everything else it
 * reports reads a partial index in its own order (the manual-review
 * queue, the pending cases, the decisions of the last 30 days).
 *
 * search() matches a trigram (pg_trgm, GIN) index of one text per case:
 * the applicant's first and last names, e-mail, the case id and the
 * partner's reference.  pg_trgm's schema is wherever CREATE EXTENSION
 * ... CASCADE put it, so its operators are named through the schema
 * looked up at the first call.
 */
#include "kyc_projections.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

/* search(): the longest query, and the most rows returned. */
#define SEARCH_MAX_QUERY 200
#define SEARCH_MIN_QUERY 3
#define SEARCH_LIMIT "50"
/* ... ranked among at most this many matches the index gives first. */
#define SEARCH_CANDIDATES "1000"

/* dashboard(): the manual-review queue and the past-SLA list it shows. */
#define QUEUE_LIMIT "50"
#define SLA_LIMIT "10"

/*
 * The text search() matches, and the trigram index is built on: the same
 * expression in kyc_projections--0.2.0.sql, so the planner matches it.
 */
#define SEARCH_DOCUMENT \
	"(coalesce(p.applicant_first_name, '') OPERATOR(pg_catalog.||) ' ' " \
	" OPERATOR(pg_catalog.||) coalesce(p.applicant_last_name, '') OPERATOR(pg_catalog.||) ' ' " \
	" OPERATOR(pg_catalog.||) coalesce(p.applicant_email, '') OPERATOR(pg_catalog.||) ' ' " \
	" OPERATOR(pg_catalog.||) p.case_id OPERATOR(pg_catalog.||) ' ' " \
	" OPERATOR(pg_catalog.||) coalesce(p.partner_reference_id, ''))"

/* kyc_projections.review_sla: the setting's text, and its parsed value. */
typedef struct ReviewSla
{
	bool		valid;
	Interval	sla;
} ReviewSla;

static char *review_sla_setting = NULL;
static ReviewSla review_sla = {true, {0, 2, 0}};
static bool defining_gucs = false;

void		_PG_init(void);

/*
 * Parse an interval without raising an error, as interval_in does; true
 * when str is a positive interval.
 */
static bool
ParsePositiveInterval(const char *str, Interval *result)
{
	char		workbuf[256];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype = 0;
	int			dterr;
	struct pg_itm_in itm_in;

	if (str == NULL)
		return false;
	dterr = ParseDateTime(str, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeInterval(field, ftype, nf, INTERVAL_FULL_RANGE, &dtype, &itm_in);
	if (dterr == DTERR_BAD_FORMAT)
		dterr = DecodeISO8601Interval(pstrdup(str), &dtype, &itm_in);
	if (dterr != 0 || dtype != DTK_DELTA || itmin2interval(&itm_in, result) != 0)
		return false;
	return result->month >= 0 && result->day >= 0 && result->time >= 0 &&
		(result->month > 0 || result->day > 0 || result->time > 0);
}

/*
 * Check hook of kyc_projections.review_sla.  A SET of a bad value fails.
 * A value set before the library was loaded (a placeholder) is kept while
 * the GUC is defined, marked invalid, so that dashboard() fails on it
 * rather than the server silently using the default.
 */
static bool
CheckReviewSla(char **newval, void **extra, GucSource source)
{
	ReviewSla  *keep;
	Interval	sla;
	bool		valid = ParsePositiveInterval(*newval, &sla);

	if (!valid && !defining_gucs)
	{
		GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
		GUC_check_errdetail("kyc_projections.review_sla is an interval longer than zero.");
		GUC_check_errhint("For example '2 days', '36 hours' or 'P1DT12H'.");
		return false;
	}
	/* The GUC machinery frees extra with free(). */
	keep = malloc(sizeof(ReviewSla));
	if (keep == NULL)
		return false;
	keep->valid = valid;
	if (valid)
		keep->sla = sla;
	*extra = keep;
	return true;
}

/* Assign hook of kyc_projections.review_sla. */
static void
AssignReviewSla(const char *newval, void *extra)
{
	review_sla = *(ReviewSla *) extra;
}

/* Define the module's settings. */
void
_PG_init(void)
{
	defining_gucs = true;
	DefineCustomStringVariable("kyc_projections.review_sla",
							   "How long a case may wait in PendingReview before dashboard() lists it as past the SLA.",
							   "An interval longer than zero, such as '2 days'.",
							   &review_sla_setting,
							   "2 days",
							   PGC_USERSET,
							   0,
							   CheckReviewSla, AssignReviewSla, NULL);
	defining_gucs = false;
	MarkGUCPrefixReserved("kyc_projections");
}

/* The review SLA in force, or an error naming the setting. */
static Interval *
ReviewSlaInForce(void)
{
	Interval   *sla;

	if (!review_sla.valid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for parameter \"kyc_projections.review_sla\": \"%s\"",
						review_sla_setting ? review_sla_setting : ""),
				 errdetail("kyc_projections.review_sla is an interval longer than zero."),
				 errhint("SET kyc_projections.review_sla = '2 days', or RESET it.")));
	sla = palloc(sizeof(Interval));
	*sla = review_sla.sla;
	return sla;
}

/*
 * The dashboard's statement; PARTNER is the condition on a table aliased
 * c (case_counts) or p (projections).  $1 partner id, $2 the review SLA.
 */
#define DECIDED_STATUSES "'{Approved,Rejected}'::pg_catalog.text[]"
#define DASHBOARD_SQL(CPARTNER, PPARTNER) \
	"WITH counts AS (" \
	" SELECT coalesce(c.status, 'Unknown') AS status, " \
	"  coalesce(c.risk_level, 'Unassessed') AS risk_level, " \
	"  c.requires_manual_review IS TRUE " \
	"   AND c.status OPERATOR(pg_catalog.<>) ALL (" DECIDED_STATUSES ") AS in_queue, c.cases " \
	" FROM kyc_projections.case_counts c WHERE " CPARTNER " AND c.cases OPERATOR(pg_catalog.>) 0), " \
	"decisions AS (" \
	" SELECT coalesce(p.approved_at, p.rejected_at) OPERATOR(pg_catalog.-) p.submitted_at AS took " \
	" FROM kyc_projections.onboarding_case_projections p " \
	" WHERE p.status OPERATOR(pg_catalog.=) ANY (" DECIDED_STATUSES ") " \
	"  AND coalesce(p.approved_at, p.rejected_at) OPERATOR(pg_catalog.>=) " \
	"   (pg_catalog.now() OPERATOR(pg_catalog.-) '30 days'::pg_catalog.interval) " \
	"  AND " PPARTNER " AND p.submitted_at IS NOT NULL), " \
	"pending AS (" \
	" SELECT p.case_id, p.partner_id, p.risk_level, p.submitted_at, " \
	"  pg_catalog.now() OPERATOR(pg_catalog.-) p.submitted_at AS waiting " \
	" FROM kyc_projections.onboarding_case_projections p " \
	" WHERE p.status OPERATOR(pg_catalog.=) 'PendingReview' AND " PPARTNER \
	" ORDER BY p.submitted_at LIMIT " SLA_LIMIT ") " \
	"SELECT pg_catalog.jsonb_build_object(" \
	" 'partner_id', $1, " \
	" 'generated_at', pg_catalog.now(), " \
	" 'cases', (SELECT coalesce(pg_catalog.sum(cases), 0) FROM counts), " \
	" 'by_status', (SELECT coalesce(pg_catalog.jsonb_object_agg(s.status, s.n ORDER BY s.status), '{}') " \
	"  FROM (SELECT status, pg_catalog.sum(cases) AS n FROM counts GROUP BY status) s), " \
	" 'by_risk_level', (SELECT coalesce(pg_catalog.jsonb_object_agg(r.risk_level, r.n ORDER BY r.risk_level), '{}') " \
	"  FROM (SELECT risk_level, pg_catalog.sum(cases) AS n FROM counts GROUP BY risk_level) r), " \
	" 'manual_review', pg_catalog.jsonb_build_object(" \
	"  'total', (SELECT coalesce(pg_catalog.sum(cases), 0) FROM counts WHERE in_queue), " \
	"  'shown', " QUEUE_LIMIT ", " \
	"  'oldest', (SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(" \
	"    'case_id', q.case_id, 'partner_id', q.partner_id, 'status', q.status, " \
	"    'risk_level', q.risk_level, 'created_at', q.created_at) ORDER BY q.created_at, q.case_id), '[]') " \
	"   FROM (SELECT p.case_id, p.partner_id, p.status, p.risk_level, p.created_at " \
	"    FROM kyc_projections.onboarding_case_projections p " \
	"    WHERE p.requires_manual_review " \
	"     AND p.status OPERATOR(pg_catalog.<>) ALL (" DECIDED_STATUSES ") AND " PPARTNER \
	"    ORDER BY p.created_at LIMIT " QUEUE_LIMIT ") q)), " \
	" 'decision_time', (SELECT pg_catalog.jsonb_build_object(" \
	"   'window', '30 days', 'decided', pg_catalog.count(*), " \
	"   'median', pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY d.took), " \
	"   'p90', pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY d.took), " \
	"   'median_seconds', pg_catalog.round(pg_catalog.\"numeric\"(pg_catalog.date_part('epoch', " \
	"     pg_catalog.percentile_cont(0.5) WITHIN GROUP (ORDER BY d.took)))), " \
	"   'p90_seconds', pg_catalog.round(pg_catalog.\"numeric\"(pg_catalog.date_part('epoch', " \
	"     pg_catalog.percentile_cont(0.9) WITHIN GROUP (ORDER BY d.took))))) " \
	"  FROM decisions d), " \
	" 'oldest_pending', (SELECT pg_catalog.to_jsonb(o) FROM pending o ORDER BY o.submitted_at LIMIT 1), " \
	" 'past_sla', pg_catalog.jsonb_build_object(" \
	"  'sla', $2, " \
	"  'count', (SELECT pg_catalog.count(*) FROM kyc_projections.onboarding_case_projections p " \
	"   WHERE p.status OPERATOR(pg_catalog.=) 'PendingReview' AND " PPARTNER \
	"    AND p.submitted_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) $2)), " \
	"  'shown', " SLA_LIMIT ", " \
	"  'oldest', (SELECT coalesce(pg_catalog.jsonb_agg(pg_catalog.to_jsonb(l) ORDER BY l.submitted_at, l.case_id), '[]') " \
	"   FROM pending l WHERE l.submitted_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) $2))))"

/* The length of onboarding_case_projections.partner_id, varchar(100). */
#define PROJECTION_PARTNER_ID_MAX 100

PG_FUNCTION_INFO_V1(kyc_projections_dashboard);

/*
 * kyc_projections.dashboard(partner_id text DEFAULT NULL) RETURNS jsonb:
 * the state of the cases, of one partner or of all.  Two saved plans, one
 * per form, so each reads the indexes that suit it (partner first, or
 * not).
 */
Datum
kyc_projections_dashboard(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr all_plan = NULL;
	static SPIPlanPtr partner_plan = NULL;
	Oid			argtypes[2] = {TEXTOID, INTERVALOID};
	Datum		values[2];
	char		nulls[2] = {' ', ' '};
	SPIPlanPtr	plan;
	bool		isnull;
	Datum		result;

	if (PG_ARGISNULL(0))
	{
		nulls[0] = 'n';
		values[0] = (Datum) 0;
	}
	else
	{
		text	   *partner = PG_GETARG_TEXT_PP(0);
		char	   *s = text_to_cstring(partner);

		if (strspn(s, " \t\r\n") == strlen(s))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("partner_id must not be blank"),
					 errhint("Pass a partner's id, or NULL (the default) for every partner.")));

		/*
		 * Longer than the column: no partner has it, and saying so is clearer
		 * than an empty board.
		 */
		if (pg_mbstrlen(s) > PROJECTION_PARTNER_ID_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
					 errmsg("partner_id is %d characters long, at most %d",
							pg_mbstrlen(s), PROJECTION_PARTNER_ID_MAX)));
		values[0] = PointerGetDatum(partner);
	}
	values[1] = IntervalPGetDatum(ReviewSlaInForce());

	KycSpiConnect();
	if (nulls[0] == 'n')
		plan = KycSavedPlan(&all_plan, DASHBOARD_SQL("true", "true"), 2, argtypes);
	else
		plan = KycSavedPlan(&partner_plan,
							DASHBOARD_SQL("c.partner_id OPERATOR(pg_catalog.=) $1",
										  "p.partner_id OPERATOR(pg_catalog.=) $1"),
							2, argtypes);
	if (SPI_execute_plan(plan, values, nulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not compute the dashboard");
	result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "the dashboard came out NULL");
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

/* The schema pg_trgm is installed in, quoted; an error when it is not. */
static char *
TrigramSchema(void)
{
	static char *schema = NULL;
	MemoryContext old;
	bool		isnull;
	Datum		name;

	if (schema != NULL)
		return schema;
	if (SPI_execute("SELECT n.nspname FROM pg_catalog.pg_extension e "
					"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace "
					"WHERE e.extname OPERATOR(pg_catalog.=) 'pg_trgm'", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up extension pg_trgm");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("extension pg_trgm is not installed"),
				 errdetail("kyc_projections.search() matches names through pg_trgm's trigram index."),
				 errhint("CREATE EXTENSION kyc_projections CASCADE installs it.")));
	name = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	old = MemoryContextSwitchTo(TopMemoryContext);
	schema = pstrdup(quote_identifier(NameStr(*DatumGetName(name))));
	MemoryContextSwitchTo(old);
	return schema;
}

/*
 * The query, trimmed, after the checks: not NULL, not blank, at least
 * SEARCH_MIN_QUERY characters (a trigram) and at most SEARCH_MAX_QUERY.
 */
static char *
SearchQuery(FunctionCallInfo fcinfo)
{
	char	   *query;
	char	   *end;
	int			chars;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("search query must not be NULL"),
				 errhint("Give a name, an e-mail, a case id or a partner reference.")));
	query = text_to_cstring(PG_GETARG_TEXT_PP(0));
	while (*query == ' ' || *query == '\t' || *query == '\r' || *query == '\n')
		query++;
	end = query + strlen(query);
	while (end > query && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	*end = '\0';
	chars = pg_mbstrlen(query);
	if (chars == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("search query must not be blank"),
				 errhint("Give a name, an e-mail, a case id or a partner reference.")));
	if (chars < SEARCH_MIN_QUERY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("search query \"%s\" is too short", query),
				 errdetail("A query needs at least %d characters to match through the trigram index.",
						   SEARCH_MIN_QUERY),
				 errhint("Type more of the name, e-mail or id.")));
	if (chars > SEARCH_MAX_QUERY)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("search query is too long: %d characters", chars),
				 errdetail("A query has at most %d characters.", SEARCH_MAX_QUERY),
				 errhint("Search by one name, e-mail, case id or partner reference.")));
	return query;
}

/* The applicant's name as search() compares it by similarity: its trigram index's expression. */
#define SEARCH_NAME \
	"(coalesce(p.applicant_first_name, '') OPERATOR(pg_catalog.||) ' ' " \
	" OPERATOR(pg_catalog.||) coalesce(p.applicant_last_name, ''))"

/* $1 the query; $3 the query as an ILIKE pattern that matches it anywhere. */
#define SEARCH_QUERY_CTE "WITH q AS (SELECT $1 AS query, $3 AS pattern) "

/*
 * First the cases whose text contains the query (and the case of that
 * exact id), an exact match of a field first: among at most
 * SEARCH_CANDIDATES of them, so a query that matches half the table (a
 * mail domain) still answers quickly.
 */
#define SEARCH_CONTAINS_SQL \
	SEARCH_QUERY_CTE ", hits AS (" \
	" (SELECT p.id FROM kyc_projections.onboarding_case_projections p, q " \
	"  WHERE " SEARCH_DOCUMENT " OPERATOR(pg_catalog.~~*) q.pattern LIMIT " SEARCH_CANDIDATES ") " \
	" UNION " \
	" (SELECT p.id FROM kyc_projections.onboarding_case_projections p " \
	"  WHERE p.case_id OPERATOR(pg_catalog.=) $1)) " \
	"SELECT p.* FROM kyc_projections.onboarding_case_projections p " \
	" JOIN hits h ON h.id OPERATOR(pg_catalog.=) p.id, q " \
	"ORDER BY CASE " \
	"  WHEN pg_catalog.lower(p.case_id) OPERATOR(pg_catalog.=) pg_catalog.lower(q.query) " \
	"    OR pg_catalog.lower(p.applicant_email) OPERATOR(pg_catalog.=) pg_catalog.lower(q.query) " \
	"    OR pg_catalog.lower(p.partner_reference_id) OPERATOR(pg_catalog.=) pg_catalog.lower(q.query) " \
	"    OR pg_catalog.lower(" SEARCH_NAME ") OPERATOR(pg_catalog.=) pg_catalog.lower(q.query) " \
	"  THEN 0 ELSE 1 END, " \
	" pg_catalog.length(" SEARCH_DOCUMENT "), p.created_at DESC NULLS LAST, p.case_id " \
	"LIMIT $2"

/*
 * Then, when those are fewer than SEARCH_LIMIT, the cases whose
 * applicant's name is similar to the query (pg_trgm's word similarity,
 * above pg_trgm.word_similarity_threshold), most similar first.  %s is
 * pg_trgm's schema.
 */
#define SEARCH_SIMILAR_SQL \
	SEARCH_QUERY_CTE ", hits AS (" \
	" SELECT p.id FROM kyc_projections.onboarding_case_projections p, q " \
	" WHERE q.query OPERATOR(%s.<%%) " SEARCH_NAME " LIMIT " SEARCH_CANDIDATES ") " \
	"SELECT p.* FROM kyc_projections.onboarding_case_projections p " \
	" JOIN hits h ON h.id OPERATOR(pg_catalog.=) p.id, q " \
	"WHERE NOT " SEARCH_DOCUMENT " OPERATOR(pg_catalog.~~*) q.pattern " \
	"ORDER BY %s.word_similarity(q.query, " SEARCH_NAME ") DESC, p.created_at DESC NULLS LAST, p.case_id " \
	"LIMIT $2"

/*
 * Append the rows of the last SPI result to the tuplestore: p.* has the
 * table's live columns in order, the row type may have dropped ones too.
 */
static void
PutSearchRows(ReturnSetInfo *rsinfo)
{
	TupleDesc	desc = rsinfo->setDesc;
	Datum	   *row = palloc(sizeof(Datum) * desc->natts);
	bool	   *rownulls = palloc(sizeof(bool) * desc->natts);
	uint64		i;

	for (i = 0; i < SPI_processed; i++)
	{
		int			from = 1;
		int			a;

		for (a = 0; a < desc->natts; a++)
		{
			if (TupleDescAttr(desc, a)->attisdropped)
			{
				row[a] = (Datum) 0;
				rownulls[a] = true;
				continue;
			}
			row[a] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, from++, &rownulls[a]);
		}
		tuplestore_putvalues(rsinfo->setResult, desc, row, rownulls);
	}
}

PG_FUNCTION_INFO_V1(kyc_projections_search);

/*
 * kyc_projections.search(query text) RETURNS SETOF
 * onboarding_case_projections: at most SEARCH_LIMIT cases, best first.
 * First those whose applicant's first and last names, e-mail, case id or
 * partner reference contain the query, case-insensitively (an exact match
 * of one field first, then the shortest text, then the newest); then, to
 * fill up, those whose applicant's name resembles it.  Both read trigram
 * indexes.
 */
Datum
kyc_projections_search(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr contains_plan = NULL;
	static SPIPlanPtr similar_plan = NULL;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			argtypes[3] = {TEXTOID, INT8OID, TEXTOID};
	Datum		values[3];
	char	   *query = SearchQuery(fcinfo);
	int64		wanted = atoi(SEARCH_LIMIT);
	StringInfoData pattern;
	const char *c;

	/* The ILIKE pattern: the query anywhere, its \, % and _ taken literally. */
	initStringInfo(&pattern);
	appendStringInfoChar(&pattern, '%');
	for (c = query; *c; c++)
	{
		if (*c == '\\' || *c == '%' || *c == '_')
			appendStringInfoChar(&pattern, '\\');
		appendStringInfoChar(&pattern, *c);
	}
	appendStringInfoChar(&pattern, '%');

	InitMaterializedSRF(fcinfo, 0);
	values[0] = CStringGetTextDatum(query);
	values[1] = Int64GetDatum(wanted);
	values[2] = CStringGetTextDatum(pattern.data);

	KycSpiConnect();
	KycSavedPlan(&contains_plan, SEARCH_CONTAINS_SQL, 3, argtypes);
	if (SPI_execute_plan(contains_plan, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not search the projections");
	PutSearchRows(rsinfo);
	wanted -= (int64) SPI_processed;
	if (wanted > 0)
	{
		if (similar_plan == NULL)
		{
			const char *trgm = TrigramSchema();

			KycSavedPlan(&similar_plan, psprintf(SEARCH_SIMILAR_SQL, trgm, trgm), 3, argtypes);
		}
		values[1] = Int64GetDatum(wanted);
		if (SPI_execute_plan(similar_plan, values, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not search the projections by similarity");
		PutSearchRows(rsinfo);
	}
	SPI_finish();
	return (Datum) 0;
}

static KycColumn col_partner = KYC_COLUMN("partner_id");
static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_risk_level = KYC_COLUMN("risk_level");
static KycColumn col_manual = KYC_COLUMN("requires_manual_review");

/* Add delta to the case_counts row of row's partner, status, risk level and flag. */
static void
CountRow(HeapTuple row, TupleDesc desc, int delta)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {TEXTOID, TEXTOID, TEXTOID, BOOLOID, INT8OID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	KycColumn  *columns[4] = {&col_partner, &col_status, &col_risk_level, &col_manual};
	int			i;

	for (i = 0; i < 4; i++)
	{
		bool		isnull;

		values[i] = KycRowDatum(row, desc, columns[i], &isnull);
		if (isnull)
			nulls[i] = 'n';
	}
	values[4] = Int64GetDatum(delta);
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_projections.case_counts AS c "
				 " (partner_id, status, risk_level, requires_manual_review, cases) "
				 "VALUES ($1, $2, $3, $4, $5) "
				 "ON CONFLICT (partner_id, status, risk_level, requires_manual_review) "
				 "DO UPDATE SET cases = c.cases OPERATOR(pg_catalog.+) excluded.cases",
				 5, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not update kyc_projections.case_counts");
}

PG_FUNCTION_INFO_V1(kyc_projections_count_change);

/*
 * Trigger: AFTER INSERT OR UPDATE OR DELETE ON onboarding_case_projections
 * FOR EACH ROW.  Keeps case_counts: a row leaves its old group and joins
 * its new one.  Most events (checklist progress, documents) change none
 * of the four columns and cost no statement.
 */
Datum
kyc_projections_count_change(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "count_change", false, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	old = NULL;
	HeapTuple	new = NULL;

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		new = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		old = trigdata->tg_trigtuple;
	else
	{
		old = trigdata->tg_trigtuple;
		new = trigdata->tg_newtuple;
		if (KycRowSame(old, new, desc, &col_partner) && KycRowSame(old, new, desc, &col_status) &&
			KycRowSame(old, new, desc, &col_risk_level) && KycRowSame(old, new, desc, &col_manual))
			return PointerGetDatum(NULL);
	}
	KycSpiConnect();
	if (old != NULL)
		CountRow(old, desc, -1);
	if (new != NULL)
		CountRow(new, desc, 1);
	SPI_finish();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(kyc_projections_count_reset);

/* Trigger: AFTER TRUNCATE ON onboarding_case_projections: no cases, no counts. */
Datum
kyc_projections_count_reset(PG_FUNCTION_ARGS)
{
	KycTriggerCall(fcinfo, "count_reset", false, false);
	KycSpiConnect();
	if (SPI_execute("DELETE FROM kyc_projections.case_counts", false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not empty kyc_projections.case_counts");
	SPI_finish();
	return PointerGetDatum(NULL);
}
