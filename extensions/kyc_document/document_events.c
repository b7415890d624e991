/*
 * document_events.c
 *		AFTER trigger that turns document changes into domain events.
 *
 * Events come from the trigger, not from the API functions, so a document
 * changed by any path (the functions, PostgREST, a plain UPDATE) is
 * announced, exactly once per change:
 *
 *	document.uploaded	a new document
 *	document.verified	status moved to Verified
 *	document.rejected	status moved to Rejected
 *	document.expired	status moved to Expired
 *
 * The aggregate is the case.  Each payload carries the case's document
 * counts per status; the events of one case are serialised by an advisory
 * lock held to commit, so under READ COMMITTED the counts of the event that
 * commits last are the case's counts.
 */
#include "kyc_document.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/numeric.h"
#include "utils/rel.h"

/*
 * Take the case's event lock until the end of the transaction: the same
 * lock as pg_advisory_xact_lock(DOC_CASE_LOCK_CLASS, hashtext(case_id)).
 */
static void
LockCase(const char *case_id)
{
	LOCKTAG		tag;
	uint32		key = DatumGetUInt32(hash_any((const unsigned char *) case_id,
											  strlen(case_id)));

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) DOC_CASE_LOCK_CLASS, key, 2);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/* The case's document counts per status, in DOC_STATUS_COUNT order. */
static void
CaseCounts(const char *case_id, int64 *counts)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	uint64		row;
	int			i;

	values[0] = CStringGetTextDatum(case_id);
	for (i = 0; i < DOC_STATUS_COUNT; i++)
		counts[i] = 0;
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "SELECT d.status, pg_catalog.count(*) FROM kyc_document.documents d "
				 "WHERE d.case_id OPERATOR(pg_catalog.=) $1 GROUP BY d.status", 1, argtypes);

	/*
	 * Not read-only: a fresh snapshot, taken after the lock, sees earlier
	 * commits.
	 */
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "document count failed");
	for (row = 0; row < SPI_processed; row++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[row];
		bool		isnull;
		int			status = DocumentStatusIndex(SPI_getvalue(tuple, SPI_tuptable->tupdesc, 1));

		if (status >= 0)
			counts[status] = DatumGetInt64(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_finish();
}

/* Push "key": n into an object. */
static void
PushCount(JsonbParseState **state, const char *key, int64 n)
{
	JsonbValue	v;

	KycJsonPushKey(state, key);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
	pushJsonbValue(state, WJB_VALUE, &v);
}

/* Push "key": a timestamptz column as an ISO 8601 string, or null. */
static void
PushTime(JsonbParseState **state, const char *key, HeapTuple tuple, TupleDesc desc,
		 KycColumn *column)
{
	bool		isnull;
	Datum		value = KycRowDatum(tuple, desc, column, &isnull);

	KycJsonPushText(state, key,
					isnull ? NULL : JsonEncodeDateTime(NULL, value, TIMESTAMPTZOID, NULL));
}

/* The event payload: the document, its previous status and the case's counts. */
static Jsonb *
DocumentPayload(HeapTuple tuple, TupleDesc desc, const char *previous, const int64 *counts)
{
	JsonbParseState *state = NULL;
	int			i;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushText(&state, "document_id", KycRowText(tuple, desc, &col_id));
	KycJsonPushText(&state, "case_id", KycRowText(tuple, desc, &col_case_id));
	KycJsonPushText(&state, "applicant_id", KycRowText(tuple, desc, &col_applicant_id));
	KycJsonPushText(&state, "document_type", KycRowText(tuple, desc, &col_document_type));
	KycJsonPushText(&state, "status", KycRowText(tuple, desc, &col_status));
	KycJsonPushText(&state, "previous_status", previous);
	KycJsonPushText(&state, "file_name", KycRowText(tuple, desc, &col_file_name));
	KycJsonPushText(&state, "sha256", KycRowText(tuple, desc, &col_sha256));
	KycJsonPushText(&state, "reviewer", KycRowText(tuple, desc, &col_reviewer));
	KycJsonPushText(&state, "reason", KycRowText(tuple, desc, &col_rejection_reason));
	PushTime(&state, "expires_at", tuple, desc, &col_expires_at);
	PushTime(&state, "occurred_at", tuple, desc, &col_updated_at);
	KycJsonPushKey(&state, "counts");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < DOC_STATUS_COUNT; i++)
		PushCount(&state, DocumentStatusName(i), counts[i]);
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

PG_FUNCTION_INFO_V1(kyc_document_events);

/* Trigger: AFTER INSERT OR UPDATE ON documents FOR EACH ROW */
Datum
kyc_document_events(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycWriteTriggerCall(fcinfo, "document_events", false);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	char	   *previous = NULL;
	char	   *status;
	char	   *case_id;
	int64		counts[DOC_STATUS_COUNT];

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		previous = KycRowText(tuple, desc, &col_status);
		tuple = trigdata->tg_newtuple;
	}
	status = KycRowText(tuple, desc, &col_status);
	if (previous != NULL && strcmp(previous, status) == 0)
		return PointerGetDatum(NULL);

	case_id = KycRowText(tuple, desc, &col_case_id);
	LockCase(case_id);
	CaseCounts(case_id, counts);
	KycEmit(DocumentEventTopic(status), case_id, DocumentPayload(tuple, desc, previous, counts));
	return PointerGetDatum(NULL);
}
