/*
 * workflow.c
 *		kyc_risk.on_onboarding_event(): the relay's handler of onboarding's
 *		case.created, case.updated, applicant.updated and applicant.removed.
 *
 * apply_onboarding_event() (workflow.sql) keeps the subjects: the case's
 * type, company name and industry, and each applicant's names, birth date,
 * nationality and address countries, each guarded by the id of the last
 * event applied.  When they change, the case's automated factors are
 * recomputed, as the system (factor_rights.c):
 *
 *	Geography	the riskiest of every nationality and address country of
 *				every applicant (geography.c);
 *	Sanctions,	every name screened: each applicant's first and last name
 *	PEP			and aliases, and the company name of a case that is not an
 *				Individual.  Each match is a factor; a type with no match
 *				gets one factor scored 0 that says what was screened.  The
 *				handler's earlier screening factors are replaced, never
 *				duplicated; factors anyone else wrote stay;
 *	Industry	from the case's industry code, when it has one (geography.c).
 *
 * The assessment is rescored once, after all of it (scoring.c), and
 * risk.screening_completed is emitted.  Last, whether anything changed or
 * not, risk.subjects_applied says the case's results now reflect the
 * event: onboarding waits for it before it submits or approves a case
 * whose data changed.
 */
#include "kyc_risk.h"
#include "screening.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/json.h"
#include "utils/uuid.h"

/* The source of the handler's screening factors. */
#define WORKFLOW_SCREENING_SOURCE "kyc_risk.on_onboarding_event"

/* The case's screening: what was screened, and the factors it makes. */
typedef struct CaseScreening
{
	const char *case_id;
	List	   *names;			/* char *, each name screened */
	int			nrows;
	int			capacity;
	Datum	   *types;			/* text: Sanctions or PEP */
	Datum	   *scores;			/* numeric */
	Datum	   *descriptions;	/* text */
	int			hits;			/* the rows that are matches */
	Datum		assessment_id;	/* out: the case's assessment */
} CaseScreening;

/* Add one factor to the screening's result. */
static void
AddRow(CaseScreening *s, const char *type, Datum score, const char *description)
{
	if (s->nrows == s->capacity)
	{
		s->capacity = Max(16, s->capacity * 2);
		if (s->types == NULL)
		{
			s->types = palloc(sizeof(Datum) * s->capacity);
			s->scores = palloc(sizeof(Datum) * s->capacity);
			s->descriptions = palloc(sizeof(Datum) * s->capacity);
		}
		else
		{
			s->types = repalloc(s->types, sizeof(Datum) * s->capacity);
			s->scores = repalloc(s->scores, sizeof(Datum) * s->capacity);
			s->descriptions = repalloc(s->descriptions, sizeof(Datum) * s->capacity);
		}
	}
	s->types[s->nrows] = CStringGetTextDatum(type);
	s->scores[s->nrows] = score;
	s->descriptions[s->nrows] = CStringGetTextDatum(description);
	s->nrows++;
}

/* The names screened, quoted and joined, for a clear result's description. */
static char *
QuotedNames(List *names)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, names)
	{
		if (lc != list_head(names))
			appendStringInfoString(&buf, ", ");
		escape_json(&buf, lfirst(lc));
	}
	return buf.data;
}

/*
 * Screen every known name of the case, as screen() takes it: at most
 * 1,000 characters, with a finite birth date.  Returns false, screening
 * nothing, while the case has no applicant.  The caller is connected to
 * SPI.
 */
static bool
ScreenCase(CaseScreening *s)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(s->case_id)};
	SPITupleTable *names;
	uint64		nnames;
	uint64		i;
	bool		matched[2] = {false, false};	/* Sanctions, PEP */
	int			t;

	KycSavedPlan(&plan,
				 "SELECT pg_catalog.left(n.name, 1000), "
				 "       CASE WHEN pg_catalog.isfinite(n.birth_date) THEN n.birth_date END, n.country FROM ("
				 "  SELECT pg_catalog.btrim(pg_catalog.concat_ws(' ', s.first_name, s.last_name)) AS name, "
				 "         s.date_of_birth AS birth_date, s.nationality AS country, 1 AS k, s.applicant_id AS o "
				 "  FROM kyc_risk.applicant_subjects s "
				 "  WHERE s.case_id OPERATOR(pg_catalog.=) $1 AND NOT s.removed "
				 "  UNION ALL "
				 "  SELECT pg_catalog.btrim(a.alias), s.date_of_birth, s.nationality, 2, s.applicant_id "
				 "  FROM kyc_risk.applicant_subjects s, pg_catalog.unnest(s.aliases) a(alias) "
				 "  WHERE s.case_id OPERATOR(pg_catalog.=) $1 AND NOT s.removed "
				 "  UNION ALL "
				 "  SELECT pg_catalog.btrim(c.company_name), NULL, NULL, 0, '' "
				 "  FROM kyc_risk.case_subjects c "
				 "  WHERE c.case_id OPERATOR(pg_catalog.=) $1 AND c.company_name IS NOT NULL "
				 "    AND c.case_type IS DISTINCT FROM 'Individual' "
				 "    AND EXISTS (SELECT FROM kyc_risk.applicant_subjects s "
				 "                WHERE s.case_id OPERATOR(pg_catalog.=) $1 AND NOT s.removed)"
				 ") n WHERE n.name OPERATOR(pg_catalog.<>) '' ORDER BY n.k, n.o, n.name",
				 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the subjects of case %s", s->case_id);
	names = SPI_tuptable;
	nnames = SPI_processed;
	if (nnames == 0)
		return false;

	for (i = 0; i < nnames; i++)
	{
		HeapTuple	row = names->vals[i];
		char	   *name = SPI_getvalue(row, names->tupdesc, 1);
		Datum		args[4];
		char		nulls[4] = {' ', 'n', 'n', ' '};
		bool		isnull;
		uint64		m;
		uint64		nmatches;

		s->names = lappend(s->names, name);
		args[0] = CStringGetTextDatum(name);
		args[1] = SPI_getbinval(row, names->tupdesc, 2, &isnull);
		nulls[1] = isnull ? 'n' : ' ';
		args[2] = SPI_getbinval(row, names->tupdesc, 3, &isnull);
		nulls[2] = isnull ? 'n' : ' ';
		args[3] = Float8GetDatum(screen_case_max_threshold);
		nmatches = RiskScreenMatches(args, nulls);
		for (m = 0; m < nmatches; m++)
		{
			HeapTuple	match = SPI_tuptable->vals[m];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			char	   *type = SPI_getvalue(match, desc, 1);

			matched[strcmp(type, "PEP") == 0] = true;
			AddRow(s, type, datumCopy(SPI_getbinval(match, desc, 2, &isnull), false, -1),
				   psprintf("%s; screened name \"%s\"", SPI_getvalue(match, desc, 3), name));
			s->hits++;
		}
	}
	/* A type with no match: one factor, scored 0, saying what was screened. */
	for (t = 0; t < 2; t++)
		if (!matched[t])
			AddRow(s, t == 0 ? "Sanctions" : "PEP", RiskScoreToNumeric(0),
				   psprintf("No %s match for the %d name(s) screened at threshold %g: %s",
							t == 0 ? "sanctions" : "PEP", list_length(s->names),
							screen_case_max_threshold, QuotedNames(s->names)));
	return true;
}

/* An array of n text or numeric datums. */
static Datum
DatumArray(Datum *values, int n, Oid type)
{
	return PointerGetDatum(construct_array(values, n, type, -1, false, TYPALIGN_INT));
}

/*
 * Replace the handler's screening factors of the case with the screening's
 * result: remove those it no longer finds, add those it finds anew, keep
 * the rest.  Runs as the system (RiskSystemWrite).
 */
static void
ReplaceScreeningFactors(void *arg)
{
	CaseScreening *s = arg;
	static SPIPlanPtr delete_plan = NULL;
	static SPIPlanPtr insert_plan = NULL;
	Oid			argtypes[5] = {UUIDOID, TEXTARRAYOID, NUMERICARRAYOID, TEXTARRAYOID, TEXTOID};
	Datum		values[5];

	s->assessment_id = RiskLockedAssessment(s->case_id);
	values[0] = s->assessment_id;
	values[1] = DatumArray(s->types, s->nrows, TEXTOID);
	values[2] = DatumArray(s->scores, s->nrows, NUMERICOID);
	values[3] = DatumArray(s->descriptions, s->nrows, TEXTOID);
	values[4] = CStringGetTextDatum(WORKFLOW_SCREENING_SOURCE);
	KycSavedPlan(&delete_plan,
				 "DELETE FROM kyc_risk.risk_factors f "
				 "WHERE f.risk_assessment_id OPERATOR(pg_catalog.=) $1 AND f.system_owned "
				 "  AND f.source OPERATOR(pg_catalog.=) $5 AND NOT EXISTS ("
				 "    SELECT FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4)) "
				 "      AS u(t, s, d) "
				 "    WHERE u.t OPERATOR(pg_catalog.=) f.type AND u.s OPERATOR(pg_catalog.=) f.score "
				 "      AND u.d OPERATOR(pg_catalog.=) f.description)",
				 5, argtypes);
	if (SPI_execute_plan(delete_plan, values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not remove the screening factors of case %s", s->case_id);
	KycSavedPlan(&insert_plan,
				 "INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score, description, source) "
				 "SELECT DISTINCT $1, u.t, u.s, u.d, $5 "
				 "FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4)) AS u(t, s, d) "
				 "WHERE NOT EXISTS (SELECT FROM kyc_risk.risk_factors f "
				 "  WHERE f.risk_assessment_id OPERATOR(pg_catalog.=) $1 AND f.system_owned "
				 "    AND f.source OPERATOR(pg_catalog.=) $5 AND f.type OPERATOR(pg_catalog.=) u.t "
				 "    AND f.score OPERATOR(pg_catalog.=) u.s AND f.description OPERATOR(pg_catalog.=) u.d)",
				 5, argtypes);
	if (SPI_execute_plan(insert_plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record the screening factors of case %s", s->case_id);
}

/* risk.screening_completed: what was screened, and how many matches. */
static void
EmitScreening(const CaseScreening *s)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};
	JsonbParseState *state = NULL;
	ListCell   *lc;

	KycSavedPlan(&plan,
				 "UPDATE kyc_risk.risk_assessments SET result_seq = result_seq OPERATOR(pg_catalog.+) 1 "
				 "WHERE id OPERATOR(pg_catalog.=) $1 RETURNING result_seq::pg_catalog.text",
				 1, argtypes);
	if (SPI_execute_plan(plan, (Datum *) &s->assessment_id, NULL, false, 0) != SPI_OK_UPDATE_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "could not number the screening result of case %s", s->case_id);
	KycJsonBegin(&state, NULL, WJB_BEGIN_OBJECT);
	KycJsonPushText(&state, "case_id", s->case_id);
	KycJsonPushText(&state, "assessment_id", DatumGetCString(DirectFunctionCall1(uuid_out, s->assessment_id)));
	KycJsonBegin(&state, "names", WJB_BEGIN_ARRAY);
	foreach(lc, s->names)
		KycJsonPushText(&state, NULL, lfirst(lc));
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	KycJsonPushInt64(&state, "hits", s->hits);
	KycJsonPushDecimal(&state, "result_seq", SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	KycEmit("risk.screening_completed", s->case_id, KycJsonFinish(&state));
}

/*
 * The case's assessment, locked, or false if it has none: an assessment an
 * administrator erased, even while this waited for its lock, is not opened
 * again by the case's later removals.
 */
static bool
ExistingAssessment(const char *case_id, Datum *assessment_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(case_id)};
	bool		isnull;

	KycSavedPlan(&plan, "SELECT a.id FROM kyc_risk.risk_assessments a "
				 "WHERE a.case_id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the assessment of case %s", case_id);
	if (SPI_processed == 0)
		return false;
	*assessment_id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return true;
}

/* Apply the event to the subjects; the case to reassess, or NULL. */
static char *
ApplyEvent(Oid event_type, Datum event)
{
	static SPIPlanPtr plan = NULL;

	KycSavedPlan(&plan, "SELECT kyc_risk.apply_onboarding_event($1)", 1, &event_type);
	if (SPI_execute_plan(plan, &event, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "kyc_risk.apply_onboarding_event() failed");
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * risk.subjects_applied for the event, when it is one that can change the
 * assessment (kyc_risk.subjects_applied_payload()).  Emitted for a repeated
 * or stale event too: onboarding keeps the highest event id it is told.
 */
static void
EmitSubjectsApplied(Oid event_type, Datum event)
{
	static SPIPlanPtr plan = NULL;
	bool		isnull;
	Datum		payload;

	KycSavedPlan(&plan, "SELECT p, p OPERATOR(pg_catalog.->>) 'case_id' "
				 "FROM kyc_risk.subjects_applied_payload($1) p", 1, &event_type);
	if (SPI_execute_plan(plan, &event, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "kyc_risk.subjects_applied_payload() failed");
	payload = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		KycEmit("risk.subjects_applied", SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2),
				DatumGetJsonbP(payload));
}

PG_FUNCTION_INFO_V1(kyc_risk_on_onboarding_event);

/* SQL: kyc_risk.on_onboarding_event(e kyc_events.event) RETURNS void */
Datum
kyc_risk_on_onboarding_event(PG_FUNCTION_ARGS)
{
	Datum		event;
	Oid			event_type;
	CaseScreening *s = palloc0(sizeof(CaseScreening));
	bool		screened = false;

	KycRequireArg(fcinfo, 0, "e");
	event = PG_GETARG_DATUM(0);
	event_type = HeapTupleHeaderGetTypeId(PG_GETARG_HEAPTUPLEHEADER(0));

	KycSpiConnect();
	KycRequireDelivery(event_type, event, fcinfo->flinfo->fn_oid,
					   "{case.created,case.updated,applicant.updated,applicant.removed}");
	s->case_id = ApplyEvent(event_type, event);
	if (s->case_id == NULL || !ExistingAssessment(s->case_id, &s->assessment_id))
	{
		EmitSubjectsApplied(event_type, event);
		SPI_finish();
		PG_RETURN_VOID();
	}

	/* Every factor first, then one rescore: one result per event. */
	RiskDeferRecompute(true);
	PG_TRY();
	{
		RiskWorkflowGeography(s->case_id);
		screened = ScreenCase(s);
		if (screened)
			RiskSystemWrite(ReplaceScreeningFactors, s);
		RiskWorkflowIndustry(s->case_id);
	}
	PG_FINALLY();
	{
		RiskDeferRecompute(false);
	}
	PG_END_TRY();
	RiskRecompute(s->assessment_id);
	if (screened)
		EmitScreening(s);
	EmitSubjectsApplied(event_type, event);
	SPI_finish();
	PG_RETURN_VOID();
}
