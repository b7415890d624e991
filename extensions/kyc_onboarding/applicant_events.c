/*
 * applicant_events.c
 *		applicant.updated: one snapshot of an applicant per change, deduplicated.
 *
 * Fired as a deferred constraint trigger on applicants and addresses, so it
 * runs at commit and sees the transaction's final state.  An applicant with
 * its addresses written in one transaction yields one event, not one per
 * row: each firing builds the applicant's snapshot and skips it when an
 * identical snapshot was already emitted in this transaction.  Skipping only
 * identical content means no change can be lost; a rolled-back
 * subtransaction forgets everything, which can only add a duplicate.
 *
 *	applicant.updated	the applicant, its case id, its primary address and
 *						all its addresses
 *	applicant.removed	the applicant was deleted
 *
 * Each is recorded in risk_sync: risk_service assesses the case by it.
 */
#include "kyc_onboarding.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/uuid.h"

/* Columns the trigger reads, on applicants or on addresses. */
static KycColumn applicant_id_col = KYC_COLUMN("id");
static KycColumn applicant_case_col = KYC_COLUMN("case_uuid");
static KycColumn address_applicant_col = KYC_COLUMN("applicant_id");

typedef struct EmittedSnapshot
{
	pg_uuid_t	applicant_id;	/* hash key */
	uint8		digest[KYC_SHA256_LEN];
} EmittedSnapshot;

static HTAB *emitted = NULL;
static bool callbacks_registered = false;

/* Forget emitted snapshots at transaction end and on subtransaction abort. */
static void
ForgetOnXactEnd(XactEvent event, void *arg)
{
	emitted = NULL;				/* memory goes with TopTransactionContext */
}

/* See ForgetOnXactEnd. */
static void
ForgetOnSubXactAbort(SubXactEvent event, SubTransactionId mySubid,
					 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		emitted = NULL;
}

/* This transaction's table of emitted snapshots. */
static HTAB *
EmittedTable(void)
{
	HASHCTL		ctl;

	if (!callbacks_registered)
	{
		RegisterXactCallback(ForgetOnXactEnd, NULL);
		RegisterSubXactCallback(ForgetOnSubXactAbort, NULL);
		callbacks_registered = true;
	}
	if (emitted == NULL)
	{
		ctl.keysize = sizeof(pg_uuid_t);
		ctl.entrysize = sizeof(EmittedSnapshot);
		ctl.hcxt = TopTransactionContext;
		emitted = hash_create("kyc_onboarding emitted applicant snapshots", 16, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	return emitted;
}

/* True (and remembered) when this snapshot differs from the last one emitted. */
static bool
SnapshotIsNew(pg_uuid_t *applicant_id, Jsonb *snapshot)
{
	uint8		digest[KYC_SHA256_LEN];
	bool		found;
	EmittedSnapshot *entry;

	/* jsonb's binary form is canonical: equal documents have equal bytes. */
	KycSha256(VARDATA(snapshot), VARSIZE(snapshot) - VARHDRSZ, digest);
	entry = hash_search(EmittedTable(), applicant_id, HASH_ENTER, &found);
	if (found && memcmp(entry->digest, digest, KYC_SHA256_LEN) == 0)
		return false;
	memcpy(entry->digest, digest, KYC_SHA256_LEN);
	return true;
}

/*
 * Build the applicant's snapshot.  The queries here and below run with
 * read_only = false so they take a fresh snapshot after a command counter
 * increment: fired early by SET CONSTRAINTS ... IMMEDIATE, they must still
 * see the statement that fired them.
 *
 * The snapshot is the applicant row (with its role and aliases), with
 * case_id as the case's text id, its primary address, and every address
 * (type, city, country, is_primary and the rest), primary first, as jsonb
 * built by the server.  Returns false when the applicant is gone.
 */
static bool
FetchSnapshot(Datum applicant_id, char **case_id, Jsonb **snapshot)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};
	bool		found;
	bool		isnull;

	KycSavedPlan(&plan, "SELECT c.case_id, pg_catalog.to_jsonb(a) OPERATOR(pg_catalog.||) "
				 " pg_catalog.jsonb_build_object("
				 "  'applicant_id', a.id, 'case_id', c.case_id, 'case_uuid', c.id,"
				 "  'primary_address', (SELECT pg_catalog.to_jsonb(ad) "
				 "    FROM kyc_onboarding.addresses ad "
				 "    WHERE ad.applicant_id OPERATOR(pg_catalog.=) a.id AND ad.is_primary),"
				 "  'address_count', (SELECT pg_catalog.count(*) "
				 "    FROM kyc_onboarding.addresses ad "
				 "    WHERE ad.applicant_id OPERATOR(pg_catalog.=) a.id),"
				 "  'addresses', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.to_jsonb(ad) "
				 "      ORDER BY ad.is_primary DESC, ad.type, ad.city, ad.id), "
				 "      '[]'::pg_catalog.jsonb) "
				 "    FROM kyc_onboarding.addresses ad "
				 "    WHERE ad.applicant_id OPERATOR(pg_catalog.=) a.id)) "
				 "FROM kyc_onboarding.applicants a "
				 "JOIN kyc_onboarding.onboarding_cases c ON c.id OPERATOR(pg_catalog.=) a.case_uuid "
				 "WHERE a.id OPERATOR(pg_catalog.=) $1",
				 1, argtypes);
	if (SPI_execute_plan(plan, &applicant_id, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "applicant snapshot query failed");
	found = SPI_processed > 0;
	if (found)
	{
		*case_id = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		*snapshot = DatumGetJsonbPCopy(SPI_getbinval(SPI_tuptable->vals[0],
													 SPI_tuptable->tupdesc, 2, &isnull));
	}
	return found;
}

/* Text id of the case with uuid case_uuid, or NULL if it is gone too. */
static char *
CaseIdOf(Datum case_uuid)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};

	KycSavedPlan(&plan, "SELECT case_id FROM kyc_onboarding.onboarding_cases "
				 "WHERE id OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, &case_uuid, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "case lookup failed");
	return SPI_processed > 0 ?
		SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1) : NULL;
}

/* Announce a deleted applicant, under its case id when the case still exists. */
static void
EmitRemoved(HeapTuple oldtuple, TupleDesc desc)
{
	bool		isnull;
	char	   *case_id = CaseIdOf(KycRowDatum(oldtuple, desc, &applicant_case_col, &isnull));
	char	   *applicant_id = KycRowText(oldtuple, desc, &applicant_id_col);
	JsonbParseState *state = NULL;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "applicant_id", applicant_id);
	KycJsonPushText(&state, "case_id", case_id);
	KycJsonPushText(&state, "case_uuid", KycRowText(oldtuple, desc, &applicant_case_col));
	OnboardingRecordRiskData(case_id, KycEmit("applicant.removed", case_id ? case_id : applicant_id,
											  JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL))));
}

PG_FUNCTION_INFO_V1(kyc_onboarding_applicant_events);

/*
 * Trigger: AFTER INSERT OR UPDATE OR DELETE ON applicants or addresses,
 * as a DEFERRABLE INITIALLY DEFERRED constraint trigger, FOR EACH ROW.
 */
Datum
kyc_onboarding_applicant_events(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "applicant_events", false, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	bool		on_applicants = SPI_fnumber(desc, "applicant_id") <= 0;
	HeapTuple	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
	trigdata->tg_newtuple : trigdata->tg_trigtuple;
	bool		isnull;
	Datum		applicant_id = KycRowDatum(tuple, desc, on_applicants ?
										   &applicant_id_col : &address_applicant_col, &isnull);
	char	   *case_id;
	Jsonb	   *snapshot;

	KycSpiConnect();
	if (FetchSnapshot(applicant_id, &case_id, &snapshot))
	{
		if (SnapshotIsNew(DatumGetUUIDP(applicant_id), snapshot))
			OnboardingRecordRiskData(case_id, KycEmit("applicant.updated", case_id, snapshot));
		/* Announced now or before: risk_sync holds the case back from here. */
		OnboardingForgetRiskDataChange(case_id);
	}
	else if (on_applicants && TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		EmitRemoved(tuple, desc);
	SPI_finish();
	return PointerGetDatum(NULL);
}
