/*
 * applicant_guard.c
 *		BEFORE triggers that validate applicants and addresses.
 *
 * The rules run in the database so every client, PostgREST included, gets
 * the same checks and the same clear errors.  Neither row moves to another
 * case, and neither changes once its case is submitted (case_freeze.c).
 */
#include "kyc_onboarding.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

/* Columns of applicants and addresses the guards read or set. */
static KycColumn applicant_case_uuid = KYC_COLUMN("case_uuid");
static KycColumn applicant_case_id = KYC_COLUMN("case_id");
static KycColumn applicant_created_at = KYC_COLUMN("created_at");
static KycColumn applicant_updated_at = KYC_COLUMN("updated_at");
static KycColumn applicant_email = KYC_COLUMN("email");
static KycColumn applicant_phone = KYC_COLUMN("phone_number");
static KycColumn applicant_birth_date = KYC_COLUMN("date_of_birth");
static KycColumn applicant_nationality = KYC_COLUMN("nationality");
static KycColumn applicant_aliases = KYC_COLUMN("aliases");

/*
 * Aliases a person may carry, and how long each: every alias is screened,
 * and the screening of a case travels in one event, so the list is bounded.
 */
#define APPLICANT_MAX_ALIASES 20
#define APPLICANT_MAX_ALIAS_LEN 200
static KycColumn address_id = KYC_COLUMN("id");
static KycColumn address_applicant_id = KYC_COLUMN("applicant_id");
static KycColumn address_is_primary = KYC_COLUMN("is_primary");
static KycColumn address_country = KYC_COLUMN("country");

/* Raise problem (if any) as a check violation on column. */
static void
RaiseFieldProblem(Relation rel, KycColumn *column, const char *value,
				  const char *problem, const char *hint)
{
	if (problem == NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("invalid %s \"%s\"", column->name, value),
			 errdetail("%s", problem),
			 errhint("%s", hint),
			 errtablecolname(rel, column->name)));
}

/*
 * A date of birth must be a real, past date.  The error says which way it
 * is wrong, not the date: a date of birth is personal data, and errors
 * reach the server log and API clients.
 */
static void
CheckBirthDate(Relation rel, HeapTuple tuple)
{
	bool		isnull;
	DateADT		dob = DatumGetDateADT(KycRowDatum(tuple, RelationGetDescr(rel),
												  &applicant_birth_date, &isnull));
	DateADT		earliest = date2j(1900, 1, 1) - POSTGRES_EPOCH_JDATE;

	if (isnull || (dob < GetSQLCurrentDate() && dob >= earliest))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("invalid date_of_birth: %s",
					DATE_NOT_FINITE(dob) ? "not a finite date" :
					dob >= GetSQLCurrentDate() ? "today or in the future" : "before 1900-01-01"),
			 errdetail("A date of birth must be in the past and not before 1900-01-01."),
			 errtablecolname(rel, "date_of_birth")));
}

/* Keep created_at and the owning case fixed; stamp updated_at. */
static void
StampApplicant(TriggerData *trigdata, KycRowChanges *changes)
{
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		KycChangeSet(changes, desc, &applicant_created_at, now, false);
	else
	{
		bool		isnull;
		Datum		created_at;

		if (!KycRowSame(trigdata->tg_trigtuple, trigdata->tg_newtuple, desc, &applicant_case_uuid))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("an applicant cannot be moved to another case"),
					 errtablecolname(rel, applicant_case_uuid.name)));
		created_at = KycRowDatum(trigdata->tg_trigtuple, desc, &applicant_created_at, &isnull);
		KycChangeSet(changes, desc, &applicant_created_at, created_at, isnull);
	}
	KycChangeSet(changes, desc, &applicant_updated_at, now, false);
}

/* Refuse the change when the case that column of row names is frozen. */
static void
RequireRowEditable(Relation rel, HeapTuple row, KycColumn *column, CaseKey key)
{
	bool		isnull;
	Datum		id = KycRowDatum(row, RelationGetDescr(rel), column, &isnull);

	/* A NULL key is left to the NOT NULL constraint that follows. */
	if (!isnull)
		OnboardingRequireCaseEditable(rel, key, id);
}

/*
 * Keep case_id, the case's public id, in step with case_uuid, and refuse the
 * change if that case is frozen.  An INSERT may name its case by case_id
 * alone; one that gives both must give the same case.  Returns the case's
 * public id, or NULL when the row names no case that exists.
 */
static char *
KeepCaseId(TriggerData *trigdata, HeapTuple tuple, KycRowChanges *changes)
{
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *public_given = KycRowText(tuple, desc, &applicant_case_id);
	bool		isnull;
	Datum		case_uuid = KycRowDatum(trigdata->tg_trigtuple, desc, &applicant_case_uuid, &isnull);
	char	   *public_id;

	if (isnull && public_given != NULL && TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		case_uuid = OnboardingCaseUuidByPublicId(rel, public_given);
		isnull = false;
		KycChangeSet(changes, desc, &applicant_case_uuid, case_uuid, false);
	}
	/* A NULL key is left to the NOT NULL constraint that follows. */
	if (isnull)
		return NULL;
	public_id = OnboardingRequireCaseEditable(rel, CASE_BY_ID, case_uuid);
	if (public_id == NULL)
		return NULL;			/* no such case: the foreign key reports it */
	if (public_given != NULL && strcmp(public_given, public_id) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("case_id \"%s\" does not match case_uuid, which is case %s", public_given, public_id),
				 errdetail("case_id is the public id of the case that case_uuid names; it is kept by a trigger."),
				 errhint("Give case_id (KYC-...) or case_uuid, not both; an applicant never moves to another case."),
				 errtablecolname(rel, applicant_case_id.name)));
	KycChangeSet(changes, desc, &applicant_case_id, CStringGetTextDatum(public_id), false);
	return public_id;
}

/* The row a BEFORE INSERT OR UPDATE trigger is about to write. */
static HeapTuple
NewRow(TriggerData *trigdata)
{
	return TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
}

/* At most APPLICANT_MAX_ALIASES aliases, each non-blank and not too long. */
static void
CheckAliases(Relation rel, HeapTuple tuple)
{
	bool		isnull;
	Datum		value = KycRowDatum(tuple, RelationGetDescr(rel), &applicant_aliases, &isnull);
	Datum	   *aliases;
	bool	   *nulls;
	int			count;
	int			i;

	if (isnull)
		return;					/* the NOT NULL constraint reports it */
	deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false, TYPALIGN_INT, &aliases, &nulls, &count);
	if (count > APPLICANT_MAX_ALIASES)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("an applicant may have at most %d aliases, not %d", APPLICANT_MAX_ALIASES, count),
				 errdetail("Every alias is screened against the watch lists, and a case's screening is one event."),
				 errhint("Keep the names the person is known by; drop spellings the screening already matches."),
				 errtablecolname(rel, applicant_aliases.name)));
	for (i = 0; i < count; i++)
	{
		char	   *alias;
		int			len;

		if (nulls[i])
			continue;			/* the CHECK constraint reports it */
		alias = TextDatumGetCString(aliases[i]);
		len = pg_mbstrlen(alias);
		if (len > APPLICANT_MAX_ALIAS_LEN || strspn(alias, " \t\n\r") == strlen(alias))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("invalid aliases[%d]: %s", i + 1,
							len > APPLICANT_MAX_ALIAS_LEN ? "too long" : "blank"),
					 errdetail("An alias is a name of 1 to %d characters; this one has %d.",
							   APPLICANT_MAX_ALIAS_LEN, len),
					 errtablecolname(rel, applicant_aliases.name)));
	}
}

PG_FUNCTION_INFO_V1(kyc_onboarding_applicant_guard);

/* Trigger: BEFORE INSERT OR UPDATE ON applicants FOR EACH ROW */
Datum
kyc_onboarding_applicant_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "applicant_guard", true, true);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = NewRow(trigdata);
	KycRowChanges changes = {0};
	char	   *email = KycRowText(tuple, desc, &applicant_email);
	char	   *phone = KycRowText(tuple, desc, &applicant_phone);
	char	   *case_id;

	/* The row as it was (or is inserted): its case must still be editable. */
	case_id = KeepCaseId(trigdata, tuple, &changes);
	if (email != NULL)
		RaiseFieldProblem(rel, &applicant_email, email, OnboardingEmailProblem(email),
						  "Use an address such as name@example.com.");
	if (phone != NULL)
		RaiseFieldProblem(rel, &applicant_phone, phone, OnboardingPhoneProblem(phone),
						  "Use E.164 format: + and country code, then the number, as in +447911123456.");
	CheckBirthDate(rel, tuple);
	CheckAliases(rel, tuple);
	OnboardingCheckCountryColumn(rel, tuple, &applicant_nationality, &changes);
	if (case_id != NULL)
		OnboardingSealApplicantPii(rel, tuple, TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
								   trigdata->tg_trigtuple : NULL, case_id, &changes);
	StampApplicant(trigdata, &changes);
	return PointerGetDatum(KycChangeApply(tuple, desc, &changes));
}

/* Refuse a second primary address with a clear error; the index is the final guard. */
static void
CheckSinglePrimary(Relation rel, HeapTuple tuple)
{
	static SPIPlanPtr plan = NULL;
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			argtypes[2] = {UUIDOID, UUIDOID};
	Datum		values[2];
	bool		isnull;
	bool		primary = DatumGetBool(KycRowDatum(tuple, desc, &address_is_primary, &isnull));

	if (isnull || !primary)
		return;
	/* A NULL key is left to the NOT NULL constraints that follow. */
	values[0] = KycRowDatum(tuple, desc, &address_applicant_id, &isnull);
	if (isnull)
		return;
	values[1] = KycRowDatum(tuple, desc, &address_id, &isnull);
	if (isnull)
		return;

	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT 1 FROM kyc_onboarding.addresses "
				 "WHERE applicant_id OPERATOR(pg_catalog.=) $1 AND is_primary "
				 "AND id OPERATOR(pg_catalog.<>) $2", 2, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "primary address lookup failed");
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("applicant %s already has a primary address",
						KycRowText(tuple, desc, &address_applicant_id)),
				 errdetail("An applicant has at most one primary address."),
				 errhint("Set is_primary = false on the current primary address first."),
				 errtableconstraint(rel, "addresses_one_primary_per_applicant")));
	SPI_finish();
}

PG_FUNCTION_INFO_V1(kyc_onboarding_address_guard);

/* Trigger: BEFORE INSERT OR UPDATE OR DELETE ON addresses FOR EACH ROW */
Datum
kyc_onboarding_address_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "address_guard", true, true);
	Relation	rel = trigdata->tg_relation;
	HeapTuple	tuple = NewRow(trigdata);
	KycRowChanges changes = {0};

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
		!KycRowSame(trigdata->tg_trigtuple, tuple, RelationGetDescr(rel), &address_applicant_id))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("an address cannot be moved to another applicant"),
				 errdetail("Address %s belongs to applicant %s.",
						   KycRowText(tuple, RelationGetDescr(rel), &address_id),
						   KycRowText(trigdata->tg_trigtuple, RelationGetDescr(rel), &address_applicant_id)),
				 errhint("Delete it and insert a new address for the other applicant."),
				 errtablecolname(rel, address_applicant_id.name)));

	/*
	 * The row as it was (or is inserted, or deleted): its case must be
	 * editable.
	 */
	RequireRowEditable(rel, trigdata->tg_trigtuple, &address_applicant_id, CASE_BY_APPLICANT);
	if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		return PointerGetDatum(trigdata->tg_trigtuple);

	OnboardingCheckCountryColumn(rel, tuple, &address_country, &changes);
	CheckSinglePrimary(rel, tuple);
	return PointerGetDatum(KycChangeApply(tuple, RelationGetDescr(rel), &changes));
}
