/*
 * pii.c
 *		A document's number sealed at rest, opened for those who may read
 *		its case, and erased when onboarding forgets the case.
 *
 * As in onboarding (kyc_onboarding/pii.c): writers give document_number in
 * the clear; document_guard seals it into document_number_sealed under the
 * case's data key, kept here in kyc_document.case_keys, and stores NULL.
 * When onboarding's forget_subject() emits case.forgotten, the relay calls
 * on_case_forgotten(), which destroys this database's key for the case.
 */
#include "kyc_document.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

static KycKeyStore document_keys = KYC_KEY_STORE("kyc_document");

/* The personal-data column of documents and its sealed twin. */
static KycPiiColumn document_pii[] = {
	{KYC_COLUMN("document_number"), KYC_COLUMN("document_number_sealed")},
};

/* For the document_guard trigger: seal a new document's number. */
void
DocumentSealPii(Relation rel, HeapTuple tuple, const char *case_id, KycRowChanges *changes)
{
	KycSealColumns(&document_keys, rel, tuple, NULL, case_id, document_pii,
				   lengthof(document_pii), changes);
}

/* reveal()'s check: the caller reads a document of the case (row-level security included). */
static void
RequireReadableCase(const char *case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(case_id)};

	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT 1 FROM kyc_document.documents "
				 "WHERE case_id OPERATOR(pg_catalog.=) $1 LIMIT 1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "document lookup failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("case %s does not exist", case_id),
				 errdetail("Only a document you may read can have its number revealed.")));
	SPI_finish();
}

PG_FUNCTION_INFO_V1(kyc_document_reveal);

/*
 * reveal(sealed text) returns text: a sealed document number in the clear,
 * for a caller who may read the case's documents; NULL once it is forgotten.
 */
Datum
kyc_document_reveal(PG_FUNCTION_ARGS)
{
	return KycRevealSealed(&document_keys, fcinfo, RequireReadableCase);
}

PG_FUNCTION_INFO_V1(kyc_document_on_case_forgotten);

/*
 * SQL: kyc_document.on_case_forgotten(e kyc_events.event) RETURNS void:
 * destroy the data key of the case onboarding forgot.  Idempotent.
 */
Datum
kyc_document_on_case_forgotten(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Datum		event;
	Oid			event_type;
	char	   *case_id;

	KycRequireArg(fcinfo, 0, "e");
	event = PG_GETARG_DATUM(0);
	event_type = HeapTupleHeaderGetTypeId(PG_GETARG_HEAPTUPLEHEADER(0));

	KycSpiConnect();
	KycRequireDelivery(event_type, event, fcinfo->flinfo->fn_oid, "{case.forgotten}");
	KycSavedPlan(&plan, "SELECT ($1).payload OPERATOR(pg_catalog.->>) 'case_id', ($1).topic, "
				 "($1).id::pg_catalog.text, ($1).source", 1, &event_type);
	if (SPI_execute_plan(plan, &event, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "event case_id lookup failed");
	case_id = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (case_id == NULL || case_id[strspn(case_id, " \t\r\n")] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s event %s of %s has no case_id",
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2),
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3),
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4)),
				 errhint("Fix the emitter, then replay the dead letter with kyc_events.replay_dead_letter(id).")));
	KycShredCaseKey(&document_keys, case_id, "case.forgotten");
	SPI_finish();
	PG_RETURN_VOID();
}
