/*
 * scoring.c
 *		The weighted score of an assessment, and the triggers on
 *		kyc_risk.risk_factors that keep each assessment's score, level and
 *		status current.
 *
 * Each factor type present is scored by its highest factor, the riskiest
 * evidence of that dimension; then
 * score = sum(max_t * weight_t) / sum(weight_t) over the types present,
 * with each type's weight from kyc_risk.factor_types.  More factors of a
 * type can raise its score, never lower it, and no writer chooses a
 * weight.  The level is the score's band, raised to the minimum of every
 * override a factor fires.  Sums are exact: scores in hundredths, weights
 * in thousandths; the quotient is rounded half up to hundredths.
 */
#include "kyc_risk.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/uuid.h"

/*
 * While true, the factor triggers leave rescoring to RiskRecompute(): the
 * workflow writes a case's factors, then rescores once (workflow.c).
 */
static bool recompute_deferred = false;

/* Defer the factor triggers' rescoring, or stop deferring it. */
void
RiskDeferRecompute(bool defer)
{
	recompute_deferred = defer;
}

/* Read an assessment's factors, each with its type's weight. */
static void
LoadFactors(const RiskModel *m, Datum assessment_id, RiskResult *r)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};
	Datum		values[1] = {assessment_id};
	uint64		i;

	KycSavedPlan(&plan,
				 "SELECT f.id::pg_catalog.text, f.type, f.level::pg_catalog.text, "
				 "       (f.score OPERATOR(pg_catalog.*) 100)::pg_catalog.int8 "
				 "FROM kyc_risk.risk_factors f WHERE f.risk_assessment_id OPERATOR(pg_catalog.=) $1 "
				 "ORDER BY f.created_at, f.id", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read risk factors");
	r->nfactors = SPI_processed;
	r->factors = palloc0(sizeof(RiskFactor) * Max(SPI_processed, 1));
	for (i = 0; i < r->nfactors; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		RiskFactor *f = &r->factors[i];
		bool		isnull;
		char	   *level;

		f->id = SPI_getvalue(row, desc, 1);
		f->type = SPI_getvalue(row, desc, 2);
		level = SPI_getvalue(row, desc, 3);
		f->score = DatumGetInt64(SPI_getbinval(row, desc, 4, &isnull));
		f->level = level != NULL ? RiskLevelParse(level) : RiskBand(m, f->score);
		f->weight = RiskTypeWeight(m, f->type, f->id);
	}
}

/*
 * Raise the level to every override the factors fire, noting which.  A
 * factor fires an override at the higher of its stated level and its
 * score's band.
 */
static void
ApplyOverrides(const RiskModel *m, RiskResult *r)
{
	int			i;
	int			j;

	for (i = 0; i < m->noverrides; i++)
	{
		const RiskOverride *o = &m->overrides[i];
		bool		fired = false;

		for (j = 0; j < r->nfactors; j++)
		{
			RiskFactor *f = &r->factors[j];

			/*
			 * The higher of the stated level and the score's: no dodging by a
			 * stated Low.
			 */
			if (strcmp(f->type, o->factor_type) != 0 ||
				Max(f->level, RiskBand(m, f->score)) < o->factor_level)
				continue;
			fired = true;
			f->fired = f->fired ? psprintf("%s, %s", f->fired, o->name) : pstrdup(o->name);
		}
		if (!fired)
			continue;
		r->overrides = lappend(r->overrides, o->name);
		if (r->level < o->min_level)
			r->level = o->min_level;
		r->manual_review |= o->manual_review;
	}
}

/* numerator / weight, in hundredths, rounded half up: exact for the sums here. */
static RiskScore
WeightedScore(int128 numerator, RiskWeight weight)
{
	return (RiskScore) ((2 * numerator + weight) / (2 * (int128) weight));
}

/*
 * Mark each type's highest factor as the one that counts; of equal scores,
 * the first in the factors' order (created_at, id).  Every factor's type is
 * in the model: LoadFactors() refused any other.
 */
static void
MarkCounted(const RiskModel *m, RiskResult *r)
{
	int			t;
	int			i;

	for (t = 0; t < m->ntypes; t++)
	{
		RiskFactor *best = NULL;

		for (i = 0; i < r->nfactors; i++)
		{
			RiskFactor *f = &r->factors[i];

			if (strcmp(f->type, m->types[t].type) == 0 && (best == NULL || f->score > best->score))
				best = f;
		}
		if (best != NULL)
			best->counts = true;
	}
}

/* The case type of an assessment, or NULL; *found says whether it exists. */
static char *
CaseTypeOf(Datum assessment_id, bool *found)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};

	KycSavedPlan(&plan, "SELECT case_type FROM kyc_risk.risk_assessments "
				 "WHERE id OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, &assessment_id, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the case type of the risk assessment");
	*found = SPI_processed > 0;
	return *found ? SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1) : NULL;
}

/*
 * What the model makes of an assessment's factors.  Complete means every
 * factor type its case type requires is present (RiskTypeRequired).  The
 * caller is connected to SPI.
 */
RiskResult *
RiskCompute(const RiskModel *m, Datum assessment_id)
{
	RiskResult *r = palloc0(sizeof(RiskResult));
	char	   *case_type;
	bool		found;
	int128		weighted = 0;
	int			i;
	int			j;

	LoadFactors(m, assessment_id, r);
	MarkCounted(m, r);
	for (i = 0; i < r->nfactors; i++)
	{
		if (!r->factors[i].counts)
			continue;
		weighted += (int128) r->factors[i].score * r->factors[i].weight;
		r->total_weight += r->factors[i].weight;
	}
	r->score = r->total_weight > 0 ? WeightedScore(weighted, r->total_weight) : 0;
	r->level = RiskBand(m, r->score);
	ApplyOverrides(m, r);

	r->complete = true;
	case_type = CaseTypeOf(assessment_id, &found);
	for (i = 0; i < m->ntypes && r->complete; i++)
	{
		bool		present = false;

		if (!RiskTypeRequired(m, case_type, m->types[i].type))
			continue;
		for (j = 0; j < r->nfactors && !present; j++)
			present = strcmp(r->factors[j].type, m->types[i].type) == 0;
		r->complete = present;
	}
	return r;
}

/*
 * A factor's share of the score, in score points, as numeric: 0 for a
 * factor that is not its type's highest.
 */
Datum
RiskContribution(const RiskResult *r, const RiskFactor *f)
{
	if (r->total_weight == 0 || !f->counts)
		return RiskScoreToNumeric(0);
	return RiskScoreToNumeric(WeightedScore((int128) f->score * f->weight, r->total_weight));
}

/* The override names as a text[] datum. */
static Datum
OverrideArray(List *names)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(list_length(names), 1));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, names)
		elems[n++] = CStringGetTextDatum(lfirst(lc));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* The override names joined by commas, as array_to_string() joins them. */
static char *
OverrideList(List *names)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, names)
		appendStringInfo(&buf, "%s%s", lc == list_head(names) ? "" : ",", (char *) lfirst(lc));
	return buf.data;
}

/* The event payload: case, level, score, overrides and every factor. */
static Jsonb *
AssessmentPayload(const RiskResult *r, const char *case_id, const char *assessment_id,
				  const char *case_type, int64 result_seq)
{
	JsonbParseState *state = NULL;
	ListCell   *lc;
	int			i;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "case_id", case_id);
	KycJsonPushText(&state, "case_type", case_type);
	KycJsonPushInt64(&state, "result_seq", result_seq);
	KycJsonPushText(&state, "assessment_id", assessment_id);
	KycJsonPushText(&state, "level", RiskLevelName(r->level));
	KycJsonPushNumeric(&state, "score", DatumGetNumeric(RiskScoreToNumeric(r->score)));
	KycJsonPushBool(&state, "manual_review", r->manual_review);
	KycJsonBegin(&state, "overrides", WJB_BEGIN_ARRAY);
	foreach(lc, r->overrides)
		KycJsonPushText(&state, NULL, lfirst(lc));
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	KycJsonBegin(&state, "factors", WJB_BEGIN_ARRAY);
	for (i = 0; i < r->nfactors; i++)
	{
		const RiskFactor *f = &r->factors[i];

		KycJsonBegin(&state, NULL, WJB_BEGIN_OBJECT);
		KycJsonPushText(&state, "id", f->id);
		KycJsonPushText(&state, "type", f->type);
		KycJsonPushText(&state, "level", RiskLevelName(f->level));
		KycJsonPushNumeric(&state, "score", DatumGetNumeric(RiskScoreToNumeric(f->score)));
		KycJsonPushNumeric(&state, "weight", DatumGetNumeric(RiskWeightToNumeric(f->weight)));
		KycJsonPushNumeric(&state, "contribution", DatumGetNumeric(RiskContribution(r, f)));
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	return KycJsonFinish(&state);
}

/*
 * Recompute one assessment and store the result if it changed.  The row is
 * locked first, so that factors written by a transaction that committed
 * while this one waited are read: concurrent writers cannot lose each
 * other's factors.  NO KEY UPDATE, like the UPDATE that follows: it does
 * not conflict with the KEY SHARE locks that the factors' foreign-key
 * checks hold, which FOR UPDATE would deadlock against.  Completes the assessment, with its event, once every
 * required factor type is present.
 */
static void
RecomputeAssessment(const RiskModel *m, Datum assessment_id)
{
	static SPIPlanPtr lock_plan = NULL;
	static SPIPlanPtr update_plan = NULL;
	Oid			lock_types[1] = {UUIDOID};
	Oid			update_types[7] = {UUIDOID, NUMERICOID, TEXTOID, BOOLOID, TEXTARRAYOID, BOOLOID, BOOLOID};
	Datum		values[7];
	HeapTuple	row;
	TupleDesc	desc;
	bool		isnull;
	char	   *case_id;
	char	   *status;
	RiskScore	old_score;
	RiskLevel	old_level;
	bool		old_review;
	char	   *old_overrides;
	RiskResult *r;
	bool		completes;
	const char *topic = NULL;

	values[0] = assessment_id;
	KycSavedPlan(&lock_plan,
				 "SELECT case_id::pg_catalog.text, status, (risk_score OPERATOR(pg_catalog.*) 100)::pg_catalog.int8, "
				 "       overall_risk_level::pg_catalog.text, manual_review, "
				 "       pg_catalog.array_to_string(overrides, ',') "
				 "FROM kyc_risk.risk_assessments WHERE id OPERATOR(pg_catalog.=) $1 FOR NO KEY UPDATE",
				 1, lock_types);
	if (SPI_execute_plan(lock_plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the risk assessment");
	if (SPI_processed == 0)
		return;					/* deleted, factors and all */
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	case_id = SPI_getvalue(row, desc, 1);
	status = SPI_getvalue(row, desc, 2);
	old_score = DatumGetInt64(SPI_getbinval(row, desc, 3, &isnull));
	old_level = RiskLevelParse(SPI_getvalue(row, desc, 4));
	old_review = DatumGetBool(SPI_getbinval(row, desc, 5, &isnull));
	old_overrides = SPI_getvalue(row, desc, 6);

	r = RiskCompute(m, assessment_id);
	completes = strcmp(status, "InProgress") == 0 && r->complete;
	if (!completes && r->score == old_score && r->level == old_level && r->manual_review == old_review &&
		strcmp(old_overrides, OverrideList(r->overrides)) == 0)
		return;

	/* Every later change of result of a completed assessment is announced. */
	if (completes)
		topic = "risk.assessment_completed";
	else if (strcmp(status, "Completed") == 0 &&
			 (r->score != old_score || r->level != old_level || r->manual_review != old_review))
		topic = "risk.assessment_rescored";

	values[1] = RiskScoreToNumeric(r->score);
	values[2] = CStringGetTextDatum(RiskLevelName(r->level));
	values[3] = BoolGetDatum(r->manual_review);
	values[4] = OverrideArray(r->overrides);
	values[5] = BoolGetDatum(completes);
	values[6] = BoolGetDatum(topic != NULL);
	KycSavedPlan(&update_plan,
				 "UPDATE kyc_risk.risk_assessments SET risk_score = $2, overall_risk_level = $3, "
				 "  manual_review = $4, overrides = $5, updated_at = pg_catalog.now(), "
				 "  status = CASE WHEN $6 THEN 'Completed' ELSE status END, "
				 "  completed_at = CASE WHEN $6 THEN pg_catalog.now() ELSE completed_at END, "
				 "  result_seq = result_seq OPERATOR(pg_catalog.+) CASE WHEN $7 THEN 1 ELSE 0 END "
				 "WHERE id OPERATOR(pg_catalog.=) $1 "
				 "RETURNING case_type, result_seq",
				 7, update_types);
	if (SPI_execute_plan(update_plan, values, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "could not update the risk assessment");

	if (topic != NULL)
		KycEmit(topic, case_id,
				AssessmentPayload(r, case_id,
								  DatumGetCString(DirectFunctionCall1(uuid_out, assessment_id)),
								  SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
								  DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2,
															  &isnull))));
}

/*
 * Rescore one assessment now, as the owner of risk_factors, as the factor
 * triggers do: for the workflow, once its deferred writes are done.
 */
void
RiskRecompute(Datum assessment_id)
{
	const RiskModel *m = RiskCurrentModel();
	KycOwnerScope owner;

	KycBecomeOwner(KycTableOwner("kyc_risk", "risk_factors"), &owner);
	KycSpiConnect();
	RecomputeAssessment(m, assessment_id);
	SPI_finish();
	KycLeaveOwner(&owner);
}

/* Add the assessment ids of a transition table's rows to ids. */
static List *
CollectAssessments(List *ids, Tuplestorestate *rows, Relation rel)
{
	TupleTableSlot *slot;
	int			attnum = SPI_fnumber(RelationGetDescr(rel), "risk_assessment_id");

	if (rows == NULL)
		return ids;
	slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		bool		isnull;
		Datum		id = slot_getattr(slot, attnum, &isnull);
		pg_uuid_t  *copy = palloc(sizeof(pg_uuid_t));

		memcpy(copy, DatumGetUUIDP(id), sizeof(pg_uuid_t));
		ids = lappend(ids, copy);
	}
	ExecDropSingleTupleTableSlot(slot);
	return ids;
}

/* Every assessment's id: after a TRUNCATE of the factors, all have none. */
static List *
AllAssessments(void)
{
	List	   *ids = NIL;
	pg_uuid_t  *copies;
	uint64		n;
	uint64		i;

	KycSpiConnect();
	if (SPI_execute("SELECT id FROM kyc_risk.risk_assessments", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list risk assessments");
	n = SPI_processed;
	copies = SPI_palloc(sizeof(pg_uuid_t) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		bool		isnull;

		memcpy(&copies[i], DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)),
			   sizeof(pg_uuid_t));
	}
	SPI_finish();
	for (i = 0; i < n; i++)
		ids = lappend(ids, &copies[i]);
	return ids;
}

/* Order uuids bytewise, so that assessments are locked in one order. */
static int
UuidCompare(const ListCell *a, const ListCell *b)
{
	return memcmp(lfirst(a), lfirst(b), sizeof(pg_uuid_t));
}

PG_FUNCTION_INFO_V1(kyc_risk_factors_changed);

/*
 * Trigger: AFTER INSERT, UPDATE or DELETE ON risk_factors FOR EACH
 * STATEMENT, with transition tables, and AFTER TRUNCATE.  Applies the
 * rules of who may change factors (factor_rights.c), then recomputes each
 * assessment the statement touched, once, and no other.  Recomputes as the
 * table's owner, with name lookup in pg_catalog only, so the service needs
 * no right to write scores itself.
 */
Datum
kyc_risk_factors_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "factors_changed", false, false);
	List	   *ids = NIL;
	ListCell   *lc;
	const RiskModel *m;
	KycOwnerScope owner;
	pg_uuid_t  *prev = NULL;

	RiskRequireTable(trigdata, "factors_changed", "risk_factors", NULL);
	RiskGuardFactorChange(trigdata);
	if (recompute_deferred)
		return PointerGetDatum(NULL);	/* the workflow rescores once, after */
	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
		ids = AllAssessments();
	else
	{
		ids = CollectAssessments(ids, trigdata->tg_newtable, trigdata->tg_relation);
		ids = CollectAssessments(ids, trigdata->tg_oldtable, trigdata->tg_relation);
	}
	if (ids == NIL)
		return PointerGetDatum(NULL);
	list_sort(ids, UuidCompare);

	m = RiskCurrentModel();
	KycBecomeOwner(trigdata->tg_relation->rd_rel->relowner, &owner);
	KycSpiConnect();
	foreach(lc, ids)
	{
		pg_uuid_t  *id = lfirst(lc);

		if (prev != NULL && memcmp(prev, id, sizeof(pg_uuid_t)) == 0)
			continue;
		RecomputeAssessment(m, UUIDPGetDatum(id));
		prev = id;
	}
	SPI_finish();
	KycLeaveOwner(&owner);
	return PointerGetDatum(NULL);
}

/*
 * Queue a factor's weight: its type's, always.  A weight the writer gives,
 * or changes, must be that one: no writer weighs its own evidence.
 */
static void
SetTypeWeight(TriggerData *trigdata, HeapTuple tuple, TupleDesc desc, KycRowChanges *changes)
{
	static KycColumn col_weight = KYC_COLUMN("weight");
	static KycColumn col_type = KYC_COLUMN("type");
	char	   *type = KycRowText(tuple, desc, &col_type);
	RiskWeight	weight;
	Datum		given;
	bool		isnull;

	/*
	 * No type, or none the model knows: constraints or the scoring refuse the
	 * row.
	 */
	if (type == NULL || !RiskFindTypeWeight(RiskCurrentModel(), type, &weight))
		return;
	given = KycRowDatum(tuple, desc, &col_weight, &isnull);
	if (!isnull && (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ||
					!KycRowSame(trigdata->tg_trigtuple, tuple, desc, &col_weight)) &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, given, RiskWeightToNumeric(weight))) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("risk factor weight %s is not the weight of type %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, given)), type),
				 errdetail("Every %s factor weighs %s, the type's weight in kyc_risk.factor_types.",
						   type, DatumGetCString(DirectFunctionCall1(numeric_out, RiskWeightToNumeric(weight)))),
				 errhint("Leave weight out; the owner of kyc_risk.factor_types sets the types' weights.")));
	KycChangeSet(changes, desc, &col_weight, RiskWeightToNumeric(weight), false);
}

PG_FUNCTION_INFO_V1(kyc_risk_factor_level);

/*
 * Trigger: BEFORE INSERT OR UPDATE ON risk_factors FOR EACH ROW.  A factor
 * given a level keeps it; one without follows its score through the level
 * bands, now and after each change of score.  weight is set to the type's,
 * and system_owned is stamped here too (factor_rights.c).
 */
Datum
kyc_risk_factor_level(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycWriteTriggerCall(fcinfo, "factor_level", true);
	static KycColumn col_level = KYC_COLUMN("level");
	static KycColumn col_explicit = KYC_COLUMN("level_explicit");
	static KycColumn col_score = KYC_COLUMN("score");
	TupleDesc	desc;
	HeapTuple	tuple;
	KycRowChanges changes = {0};
	bool		isnull;
	bool		explicit;

	RiskRequireTable(trigdata, "factor_level", "risk_factors", NULL);
	desc = RelationGetDescr(trigdata->tg_relation);
	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? trigdata->tg_newtuple : trigdata->tg_trigtuple;
	RiskStampFactor(trigdata, tuple, desc, &changes);
	SetTypeWeight(trigdata, tuple, desc, &changes);
	(void) KycRowDatum(tuple, desc, &col_level, &isnull);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ||
		!KycRowSame(trigdata->tg_trigtuple, tuple, desc, &col_level))
		explicit = !isnull;		/* the writer set the level, or cleared it */
	else
		explicit = DatumGetBool(KycRowDatum(trigdata->tg_trigtuple, desc, &col_explicit, &isnull));

	KycChangeSet(&changes, desc, &col_explicit, BoolGetDatum(explicit), false);
	if (!explicit)
	{
		Datum		value = KycRowDatum(tuple, desc, &col_score, &isnull);
		RiskScore	score;

		/*
		 * Constraints are checked after BEFORE triggers: refuse a NULL score
		 * here.
		 */
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("risk factor score must not be null"),
					 errhint("Scores run from 0 to 100.")));
		score = RiskScoreFromNumeric(value);

		KycChangeSet(&changes, desc, &col_level,
					 CStringGetTextDatum(RiskLevelName(RiskBand(RiskCurrentModel(), score))), false);
	}
	return PointerGetDatum(KycChangeApply(tuple, desc, &changes));
}

PG_FUNCTION_INFO_V1(kyc_risk_assessment_result);

/*
 * SQL: kyc_risk.assessment_result(assessment_id uuid) returns record
 * (score numeric, level text, manual_review boolean, overrides text[],
 * complete boolean): what the model makes of the factors now, writing
 * nothing.  rescore_open_assessments() applies it set-based.
 */
Datum
kyc_risk_assessment_result(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[5];
	bool		nulls[5] = {false};
	const RiskModel *m;
	RiskResult *r;
	HeapTuple	result;
	bool		found;

	KycRequireArg(fcinfo, 0, "assessment_id");
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "assessment_result() must return a record");
	m = RiskCurrentModel();
	KycSpiConnect();
	/* Without its row, the model would score it as one with no factors. */
	(void) CaseTypeOf(PG_GETARG_DATUM(0), &found);
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("risk assessment %s does not exist",
						DatumGetCString(DirectFunctionCall1(uuid_out, PG_GETARG_DATUM(0))))));
	r = RiskCompute(m, PG_GETARG_DATUM(0));
	values[0] = RiskScoreToNumeric(r->score);
	values[1] = CStringGetTextDatum(RiskLevelName(r->level));
	values[2] = BoolGetDatum(r->manual_review);
	values[3] = OverrideArray(r->overrides);
	values[4] = BoolGetDatum(r->complete);
	result = heap_form_tuple(BlessTupleDesc(desc), values, nulls);
	result = SPI_copytuple(result);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
}
