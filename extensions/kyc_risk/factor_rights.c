/*
 * factor_rights.c
 *		Who may change kyc_risk.risk_factors, and the record of why.
 *
 * Factors have two kinds of writer.  The system: screen_case(),
 * assess_geography() and assess_industry() write through RiskSystemWrite(),
 * as the owner of the table, and what they write is system_owned.  And
 * people: the service role or a human, writing the table directly.
 *
 * - A person who does not own the table cannot update or delete a
 *   system-owned factor, nor truncate the table: the service role cannot
 *   lower a screening hit.
 * - No person can make a factor system-owned, or give one a source that
 *   names a system writer ("screening:...", "kyc_risk....").
 * - A person's INSERT, UPDATE, DELETE or TRUNCATE needs a reason,
 *   kyc_risk.change_reason: a manual factor is evidence, and says why it
 *   was added.  Each adds a row per factor to kyc_risk.factor_changes,
 *   which the audit log captures beside the factors themselves.
 *
 * The system is recognised by a flag that only RiskSystemWrite() sets, for
 * the span of its write: no setting or role a session controls can fake it.
 */
#include "kyc_risk.h"

#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/uuid.h"

/* kyc_risk.change_reason: why a person changes factors. */
char	   *risk_change_reason = NULL;

/* How deep this backend is in RiskSystemWrite(); 0 outside. */
static int	system_writes = 0;

/* Sources that name a system writer, which a person may not claim. */
static const char *const reserved_sources[] = {"screening:", "kyc_risk."};

/*
 * Run write(arg) as the system: as the owner of risk_factors, with name
 * lookup in pg_catalog only, and with the factors it writes system-owned.
 * An error ends the span as surely as a return.
 */
void
RiskSystemWrite(RiskWriteFn write, void *arg)
{
	KycOwnerScope owner;

	KycBecomeOwner(KycTableOwner("kyc_risk", "risk_factors"), &owner);
	system_writes++;
	PG_TRY();
	{
		write(arg);
	}
	PG_FINALLY();
	{
		system_writes--;
	}
	PG_END_TRY();
	KycLeaveOwner(&owner);
}

/*
 * The id of a case's open assessment, created if need be, and locked FOR
 * NO KEY UPDATE: two system writes to one case take turns, so neither
 * misses a factor the other just added.  The caller is connected to SPI.
 */
Datum
RiskLockedAssessment(const char *case_id)
{
	static SPIPlanPtr open_plan = NULL;
	static SPIPlanPtr lock_plan = NULL;
	Oid			open_types[1] = {TEXTOID};
	Oid			lock_types[1] = {UUIDOID};
	Datum		values[1] = {CStringGetTextDatum(case_id)};
	bool		isnull;

	KycSavedPlan(&open_plan, "SELECT kyc_risk.open_assessment($1)", 1, open_types);
	if (SPI_execute_plan(open_plan, values, NULL, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not open the risk assessment of case %s", case_id);
	values[0] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	/* A statement of its own, so that it sees an assessment just created. */
	KycSavedPlan(&lock_plan,
				 "SELECT FROM kyc_risk.risk_assessments a WHERE a.id OPERATOR(pg_catalog.=) $1 "
				 "FOR NO KEY UPDATE", 1, lock_types);
	if (SPI_execute_plan(lock_plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the risk assessment of case %s", case_id);
	return values[0];
}

/* Whether a source names one of the system's writers. */
static bool
ReservedSource(const char *source)
{
	int			i;

	for (i = 0; i < lengthof(reserved_sources); i++)
		if (strncmp(source, reserved_sources[i], strlen(reserved_sources[i])) == 0)
			return true;
	return false;
}

/*
 * For the BEFORE INSERT OR UPDATE row trigger: queue system_owned, which
 * the system's writes set and nothing clears, and refuse a person's factor
 * whose source claims a system writer.
 */
void
RiskStampFactor(TriggerData *trigdata, HeapTuple tuple, TupleDesc desc, KycRowChanges *changes)
{
	static KycColumn col_system = KYC_COLUMN("system_owned");
	static KycColumn col_source = KYC_COLUMN("source");
	bool		system_owned = system_writes > 0;
	bool		isnull;
	char	   *source;

	if (!system_owned && TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		system_owned = DatumGetBool(KycRowDatum(trigdata->tg_trigtuple, desc, &col_system, &isnull));
	KycChangeSet(changes, desc, &col_system, BoolGetDatum(system_owned), false);
	if (system_owned)
		return;
	source = KycRowText(tuple, desc, &col_source);
	if (source != NULL && ReservedSource(source))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("risk factor source \"%s\" is reserved for kyc_risk's own writers", source),
				 errdetail("Sources starting with \"%s\" or \"%s\" mark the factors that screen_case(), "
						   "assess_geography() and assess_industry() write.",
						   reserved_sources[0], reserved_sources[1]),
				 errhint("Give the factor another source, or call those functions.")));
}

/* The reason kyc_risk.change_reason gives, or NULL if it is blank. */
static const char *
CurrentReason(void)
{
	const char *p;

	if (risk_change_reason == NULL)
		return NULL;
	for (p = risk_change_reason; *p; p++)
		if (!isspace((unsigned char) *p))
			return risk_change_reason;
	return NULL;
}

/* The factors of a transition table: their ids, assessments' and cases' ids. */
typedef struct ChangedFactors
{
	int			count;
	Datum	   *factor_ids;
	Datum	   *assessment_ids;
	Datum	   *case_ids;
} ChangedFactors;

/* A copy of a uuid datum, which outlives the slot it came from. */
static Datum
CopyUuid(Datum value)
{
	pg_uuid_t  *copy = palloc(sizeof(pg_uuid_t));

	memcpy(copy, DatumGetUUIDP(value), sizeof(pg_uuid_t));
	return UUIDPGetDatum(copy);
}

/*
 * Read the factors of a transition table.  A person who does not own the
 * table (guard_system) is refused the first system-owned one.
 */
static void
ReadChanged(Tuplestorestate *rows, Relation rel, const char *operation, bool guard_system,
			ChangedFactors *out)
{
	TupleDesc	desc = RelationGetDescr(rel);
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	int			att_id = SPI_fnumber(desc, "id");
	int			att_assessment = SPI_fnumber(desc, "risk_assessment_id");
	int			att_system = SPI_fnumber(desc, "system_owned");
	int			att_case = SPI_fnumber(desc, "case_id");
	int			capacity = 16;
	bool		isnull;

	out->count = 0;
	out->factor_ids = palloc(sizeof(Datum) * capacity);
	out->assessment_ids = palloc(sizeof(Datum) * capacity);
	out->case_ids = palloc(sizeof(Datum) * capacity);
	tuplestore_rescan(rows);
	while (tuplestore_gettupleslot(rows, true, false, slot))
	{
		Datum		id = slot_getattr(slot, att_id, &isnull);

		if (guard_system && DatumGetBool(slot_getattr(slot, att_system, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to %s risk factor %s", operation,
							DatumGetCString(DirectFunctionCall1(uuid_out, id))),
					 errdetail("The factor is system-owned: screen_case(), assess_geography() or "
							   "assess_industry() wrote it, and only they or the owner of "
							   "kyc_risk.risk_factors may change it."),
					 errhint("Rerun the function that wrote it; an administrator may correct it, "
							 "giving kyc_risk.change_reason.")));
		if (out->count == capacity)
		{
			capacity *= 2;
			out->factor_ids = repalloc(out->factor_ids, sizeof(Datum) * capacity);
			out->assessment_ids = repalloc(out->assessment_ids, sizeof(Datum) * capacity);
			out->case_ids = repalloc(out->case_ids, sizeof(Datum) * capacity);
		}
		out->factor_ids[out->count] = CopyUuid(id);
		out->assessment_ids[out->count] = CopyUuid(slot_getattr(slot, att_assessment, &isnull));
		/* Kept by the factor_case_id trigger, so never NULL. */
		out->case_ids[out->count] = PointerGetDatum(PG_DETOAST_DATUM_COPY(slot_getattr(slot, att_case, &isnull)));
		out->count++;
	}
	ExecDropSingleTupleTableSlot(slot);
}

/* An array of n values; n = 0 makes an array of one NULL, for TRUNCATE. */
static Datum
ValueArray(Datum *values, int n, Oid type, int16 len, bool byval, char align)
{
	bool		null = true;
	int			dims[1] = {Max(n, 1)};
	int			lbs[1] = {1};
	Datum		none = (Datum) 0;

	return PointerGetDatum(construct_md_array(n > 0 ? values : &none, n > 0 ? NULL : &null, 1, dims, lbs,
											  type, len, byval, align));
}

/* Add one kyc_risk.factor_changes row per factor, as the table's owner. */
static void
LogChange(Relation rel, const char *operation, ChangedFactors *factors, const char *reason)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[7] = {UUIDARRAYOID, UUIDARRAYOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID};
	Datum		values[7];
	KycOwnerScope owner;

	values[0] = ValueArray(factors->factor_ids, factors->count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR);
	values[1] = ValueArray(factors->assessment_ids, factors->count, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR);
	values[6] = ValueArray(factors->case_ids, factors->count, TEXTOID, -1, false, TYPALIGN_INT);
	values[2] = CStringGetTextDatum(operation);
	values[3] = CStringGetTextDatum(reason);
	values[4] = CStringGetTextDatum(KycSessionActor());
	values[5] = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
	KycBecomeOwner(rel->rd_rel->relowner, &owner);
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_risk.factor_changes "
				 "  (factor_id, risk_assessment_id, operation, reason, actor, db_user, case_id) "
				 "SELECT u.f, u.a, $3, $4, $5, $6, u.c "
				 "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($7)) "
				 "AS u(f, a, c)",
				 7, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record the change of risk factors");
	SPI_finish();
	KycLeaveOwner(&owner);
}

/*
 * For the AFTER ... FOR EACH STATEMENT triggers: apply the rules above to a
 * person's statement, and log it.  The system's writes pass untouched.
 */
void
RiskGuardFactorChange(TriggerData *trigdata)
{
	TriggerEvent event = trigdata->tg_event;
	Relation	rel = trigdata->tg_relation;
	bool		is_owner;
	const char *reason;
	const char *operation;
	Tuplestorestate *rows = NULL;
	ChangedFactors factors = {0};

	if (system_writes > 0)
		return;
	reason = CurrentReason();
	if (TRIGGER_FIRED_BY_INSERT(event))
	{
		operation = "INSERT";
		rows = trigdata->tg_newtable;
	}
	else if (TRIGGER_FIRED_BY_UPDATE(event))
	{
		operation = "UPDATE";
		rows = trigdata->tg_oldtable;
	}
	else if (TRIGGER_FIRED_BY_DELETE(event))
	{
		operation = "DELETE";
		rows = trigdata->tg_oldtable;
	}
	else
		operation = "TRUNCATE";

	is_owner = pg_class_ownercheck(RelationGetRelid(rel), GetUserId());
	if (rows != NULL)
	{
		ReadChanged(rows, rel, operation, !is_owner, &factors);
		if (factors.count == 0)
			return;				/* the statement changed no factor */
	}
	else if (!is_owner)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to truncate kyc_risk.risk_factors"),
				 errdetail("The table holds system-owned factors, which only the owner may remove.")));
	if (reason == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("a person's %s of risk factors needs a reason", operation),
				 factors.count > 0 ?
				 errdetail("kyc_risk.change_reason is empty, and the %s changes %d factor(s), %s first.",
						   operation, factors.count,
						   DatumGetCString(DirectFunctionCall1(uuid_out, factors.factor_ids[0]))) :
				 errdetail("kyc_risk.change_reason is empty."),
				 errhint("SET LOCAL kyc_risk.change_reason = '<why>' in the same transaction, "
						 "then repeat the %s.", operation)));
	LogChange(rel, operation, &factors, reason);
}
