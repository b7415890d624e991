/*
 * document_api.c
 *		register_document(), verify_document() and reject_document().
 *
 * The rules live in the triggers (document_guard.c) and the events in
 * document_events.c, so these functions only name their arguments' faults
 * and run one parameterised statement each, with the caller's rights.
 */
#include "kyc_document.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#define REGISTER_NARGS 10
/* documents.case_id is varchar(40). */
#define DOC_CASE_ID_MAX 40

PG_FUNCTION_INFO_V1(kyc_document_register_document);

/*
 * SQL: kyc_document.register_document(case_id text, document_type text,
 *		file_name text, mime_type text, size_bytes bigint, sha256 text,
 *		storage_uri text, applicant_id uuid DEFAULT NULL,
 *		expires_at timestamptz DEFAULT NULL,
 *		document_number text DEFAULT NULL) RETURNS uuid
 */
Datum
kyc_document_register_document(PG_FUNCTION_ARGS)
{
	static const char *const required[] = {"case_id", "document_type", "file_name",
	"mime_type", "size_bytes", "sha256", "storage_uri"};
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[REGISTER_NARGS] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID,
	TEXTOID, TEXTOID, UUIDOID, TIMESTAMPTZOID, TEXTOID};
	Datum		values[REGISTER_NARGS];
	char		nulls[REGISTER_NARGS];
	bool		isnull;
	Datum		id;
	int			i;

	if (PG_NARGS() != REGISTER_NARGS)
		elog(ERROR, "register_document() takes %d arguments", REGISTER_NARGS);
	for (i = 0; i < REGISTER_NARGS; i++)
	{
		if (i < lengthof(required))
			KycRequireArg(fcinfo, i, required[i]);
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
	}
	/* The column is varchar(40), whose own error names no column. */
	if (pg_mbstrlen(TextDatumGetCString(values[0])) > DOC_CASE_ID_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("case_id is %d characters long, at most %d",
						pg_mbstrlen(TextDatumGetCString(values[0])), DOC_CASE_ID_MAX)));

	KycSpiConnect();
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_document.documents (case_id, document_type, file_name, "
				 "mime_type, size_bytes, sha256, storage_uri, applicant_id, expires_at, document_number) "
				 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
				 REGISTER_NARGS, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 1) != SPI_OK_INSERT_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "document insert failed");
	id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	id = SPI_datumTransfer(id, false, UUID_LEN);
	SPI_finish();
	PG_RETURN_DATUM(id);
}

/* The reviewer argument; the session's actor when it is NULL or blank. */
static const char *
ReviewerArg(FunctionCallInfo fcinfo, int argno)
{
	char	   *reviewer;

	if (PG_ARGISNULL(argno))
		return KycSessionActor();
	reviewer = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (reviewer[strspn(reviewer, " \t\r\n")] == '\0')
		return KycSessionActor();
	if (strlen(reviewer) > KYC_ACTOR_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("reviewer is too long"),
				 errdetail("The reviewer is %zu bytes; the limit is %d.", strlen(reviewer),
						   KYC_ACTOR_MAX)));
	return reviewer;
}

/*
 * Move one document to status, recording the reviewer and, for Rejected,
 * the reason; the trigger checks the move and the event follows from it.
 */
static void
ReviewDocument(Datum document_id, const char *status, const char *reviewer,
			   const char *reason)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[4] = {UUIDOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', reason ? ' ' : 'n'};

	values[0] = document_id;
	values[1] = CStringGetTextDatum(status);
	values[2] = CStringGetTextDatum(reviewer);
	values[3] = reason ? CStringGetTextDatum(reason) : (Datum) 0;
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "UPDATE kyc_document.documents SET status = $2, reviewer = $3, "
				 "rejection_reason = $4 WHERE id OPERATOR(pg_catalog.=) $1",
				 4, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "document update failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("document %s does not exist",
						DatumGetCString(DirectFunctionCall1(uuid_out, document_id)))));
	SPI_finish();
}

PG_FUNCTION_INFO_V1(kyc_document_verify_document);

/* SQL: kyc_document.verify_document(document_id uuid, reviewer text DEFAULT NULL) RETURNS void */
Datum
kyc_document_verify_document(PG_FUNCTION_ARGS)
{
	KycRequireArg(fcinfo, 0, "document_id");
	ReviewDocument(PG_GETARG_DATUM(0), "Verified", ReviewerArg(fcinfo, 1), NULL);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_document_reject_document);

/*
 * SQL: kyc_document.reject_document(document_id uuid, reason text,
 *		reviewer text DEFAULT NULL) RETURNS void
 */
Datum
kyc_document_reject_document(PG_FUNCTION_ARGS)
{
	char	   *reason;

	KycRequireArg(fcinfo, 0, "document_id");
	reason = KycTextArg(fcinfo, 1, "reason");
	ReviewDocument(PG_GETARG_DATUM(0), "Rejected", ReviewerArg(fcinfo, 2), reason);
	PG_RETURN_VOID();
}
