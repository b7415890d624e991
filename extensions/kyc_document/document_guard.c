/*
 * document_guard.c
 *		BEFORE trigger on kyc_document.documents: validation, the state
 *		machine (document_state.c) and the server-set columns.
 *
 * On INSERT a document must be Pending and unreviewed; its sha256 (stored
 * lowercase), size, MIME type (stored lowercase, and listed in
 * allowed_mime_types) and storage URI are checked.  On UPDATE a document's
 * content, case and server-set times are fixed, its status moves only as
 * the machine allows, and a review records its reviewer and time.  Any path
 * (the API functions, PostgREST, a plain UPDATE) meets the same rules.
 */
#include "kyc_document.h"

#include <ctype.h>

#include "access/sysattr.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/bitmapset.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

/* True when value is NULL or holds only white space. */
static bool
IsBlank(const char *value)
{
	return value == NULL || value[strspn(value, " \t\r\n")] == '\0';
}

/* How messages name a document: its file and its case. */
static char *
DocName(HeapTuple tuple, TupleDesc desc)
{
	return psprintf("document \"%s\" of case %s",
					KycRowText(tuple, desc, &col_file_name),
					KycRowText(tuple, desc, &col_case_id));
}

/* A required text column's value; NULL and blank values are refused. */
static char *
RequireText(Relation rel, HeapTuple tuple, KycColumn *column)
{
	char	   *value = KycRowText(tuple, RelationGetDescr(rel), column);

	if (value == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a document's %s must not be null", column->name),
				 errtablecolname(rel, column->name)));
	if (IsBlank(value))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("a document's %s must not be blank", column->name),
				 errtablecolname(rel, column->name)));
	return value;
}

/* The status column's value, which must be one of the four statuses. */
static char *
RequireStatus(Relation rel, HeapTuple tuple)
{
	char	   *status = RequireText(rel, tuple, &col_status);

	if (DocumentStatusIndex(status) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown document status \"%s\"", status),
				 errhint("Document statuses are " DOC_STATUS_LIST "."),
				 errtablecolname(rel, col_status.name)));
	return status;
}

/* ASCII-lowercase a palloc'd string in place and return it. */
static char *
AsciiLower(char *value)
{
	char	   *p;

	for (p = value; *p; p++)
		*p = pg_ascii_tolower((unsigned char) *p);
	return value;
}

/* Store sha256 in lowercase, refusing anything but 64 hex digits. */
static void
NormaliseSha256(Relation rel, HeapTuple tuple, KycRowChanges *changes)
{
	char	   *hex = AsciiLower(RequireText(rel, tuple, &col_sha256));
	size_t		len = strlen(hex);

	if (!KycIsSha256Hex(hex, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("sha256 must be 64 hexadecimal digits"),
				 len != KYC_SHA256_HEX_LEN ?
				 errdetail("The value has %zu characters.", len) :
				 errdetail("The value has a character that is not a hexadecimal digit."),
				 errhint("Give the file's SHA-256 digest in hex; uppercase digits are stored in lowercase."),
				 errtablecolname(rel, col_sha256.name)));
	KycChangeSet(changes, RelationGetDescr(rel), &col_sha256, CStringGetTextDatum(hex), false);
}

/* Refuse a NULL or negative size, or one above kyc_document.max_size_bytes. */
static void
CheckSize(Relation rel, HeapTuple tuple)
{
	bool		isnull;
	Datum		value = KycRowDatum(tuple, RelationGetDescr(rel), &col_size_bytes, &isnull);
	int64		size;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a document's size_bytes must not be null"),
				 errtablecolname(rel, col_size_bytes.name)));
	size = DatumGetInt64(value);
	if (size < 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("size_bytes must not be negative"),
				 errdetail("The value is %lld.", (long long) size),
				 errtablecolname(rel, col_size_bytes.name)));
	if (size > document_max_size_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("a document of %lld bytes exceeds kyc_document.max_size_bytes",
						(long long) size),
				 errdetail("The limit is %lld bytes.", (long long) document_max_size_bytes),
				 errhint("A superuser can raise the limit: ALTER DATABASE ... SET kyc_document.max_size_bytes = '50MB'."),
				 errtablecolname(rel, col_size_bytes.name)));
}

/* Store mime_type in lowercase, refusing one allowed_mime_types does not list. */
static void
NormaliseMimeType(Relation rel, HeapTuple tuple, KycRowChanges *changes)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	char	   *mime = AsciiLower(RequireText(rel, tuple, &col_mime_type));
	bool		isnull;
	Datum		listed;
	char	   *allowed;

	values[0] = CStringGetTextDatum(mime);
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "SELECT pg_catalog.bool_or(m.mime_type OPERATOR(pg_catalog.=) $1), "
				 "pg_catalog.string_agg(m.mime_type, ', ' ORDER BY m.mime_type) "
				 "FROM kyc_document.allowed_mime_types m", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "allowed MIME type lookup failed");
	listed = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull || !DatumGetBool(listed))
	{
		allowed = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("MIME type \"%s\" is not allowed for documents", mime),
				 errdetail("Allowed types: %s.", allowed ? allowed : "none"),
				 errhint("A superuser allows a type with INSERT INTO kyc_document.allowed_mime_types (mime_type, description) VALUES ('type/subtype', 'what it is')."),
				 errtablecolname(rel, col_mime_type.name)));
	}
	SPI_finish();
	KycChangeSet(changes, RelationGetDescr(rel), &col_mime_type, values[0], false);
}

/* True for an absolute URI: a scheme, a colon, then more, with no white space. */
static bool
IsAbsoluteUri(const char *uri)
{
	const char *p = uri;

	if (!isalpha((unsigned char) *p) || strpbrk(uri, " \t\r\n") != NULL)
		return false;
	while (isalnum((unsigned char) *p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return p[0] == ':' && p[1] != '\0';
}

/*
 * The longest rejection reason, file name and storage URI, in bytes: a
 * reason is a sentence (as a decision's notes), a file name what file
 * systems take, a URI what every HTTP stack does.
 */
#define DOC_REASON_MAX 2000
#define DOC_FILE_NAME_MAX 255
#define DOC_STORAGE_URI_MAX 2048

/* Refuse a text column longer than max bytes, naming it. */
static void
CheckTextLength(Relation rel, HeapTuple tuple, KycColumn *column, int max)
{
	char	   *value = KycRowText(tuple, RelationGetDescr(rel), column);

	if (value != NULL && strlen(value) > max)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s is %zu bytes long, at most %d", column->name, strlen(value), max),
				 errtablecolname(rel, column->name)));
}

/* An expiry is a finite time: -infinity would expire it at once, infinity never. */
static void
CheckExpiry(Relation rel, HeapTuple tuple)
{
	bool		isnull;
	TimestampTz expires = DatumGetTimestampTz(KycRowDatum(tuple, RelationGetDescr(rel),
														  &col_expires_at, &isnull));

	if (!isnull && TIMESTAMP_NOT_FINITE(expires))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expires_at must be a finite time, not %s",
						TIMESTAMP_IS_NOBEGIN(expires) ? "-infinity" : "infinity"),
				 errhint("Leave expires_at NULL for a document that does not expire."),
				 errtablecolname(rel, col_expires_at.name)));
}

/* Checks and stamps for a new document: Pending, unreviewed, valid content. */
static void
GuardInsert(Relation rel, HeapTuple tuple, KycRowChanges *changes)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	KycColumn  *review[] = {&col_verified_at, &col_reviewer, &col_rejection_reason};
	KycColumn  *stamps[] = {&col_uploaded_at, &col_created_at, &col_updated_at};
	char	   *value;
	bool		isnull;
	int			i;

	RequireText(rel, tuple, &col_case_id);
	/* Its value is allowed_document_type's to check, before this trigger. */
	RequireText(rel, tuple, &col_document_type);
	value = RequireStatus(rel, tuple);
	if (strcmp(value, "Pending") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("a new document must be Pending, not %s", value),
				 errhint("Register it, then use kyc_document.verify_document() or kyc_document.reject_document()."),
				 errtableconstraint(rel, "documents_status_transition")));
	for (i = 0; i < lengthof(review); i++)
	{
		KycRowDatum(tuple, desc, review[i], &isnull);
		if (!isnull)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("a new document cannot have %s set", review[i]->name),
					 errhint("%s is recorded when the document is reviewed.", review[i]->name),
					 errtablecolname(rel, review[i]->name)));
	}
	RequireText(rel, tuple, &col_file_name);
	CheckTextLength(rel, tuple, &col_file_name, DOC_FILE_NAME_MAX);
	CheckTextLength(rel, tuple, &col_storage_uri, DOC_STORAGE_URI_MAX);
	CheckExpiry(rel, tuple);
	NormaliseSha256(rel, tuple, changes);
	CheckSize(rel, tuple);
	NormaliseMimeType(rel, tuple, changes);
	if (!IsAbsoluteUri(RequireText(rel, tuple, &col_storage_uri)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("storage_uri must be an absolute URI"),
				 errhint("For example s3://bucket/key or https://host/path."),
				 errtablecolname(rel, col_storage_uri.name)));

	/*
	 * Server-set times: a client value cannot be told from the default, so it
	 * is replaced.
	 */
	for (i = 0; i < lengthof(stamps); i++)
		KycChangeSet(changes, desc, stamps[i], now, false);
	DocumentSealPii(rel, tuple, KycRowText(tuple, desc, &col_case_id), changes);
}

/* True when the UPDATE's SET list names column. */
static bool
ColumnSet(TriggerData *trigdata, TupleDesc desc, KycColumn *column)
{
	return bms_is_member(KycAttnum(desc, column) - FirstLowInvalidHeapAttributeNumber,
						 trigdata->tg_updatedcols);
}

/* True when any column other than updated_at differs between the rows. */
static bool
RowChanged(HeapTuple oldtuple, HeapTuple newtuple, TupleDesc desc)
{
	int			updated_at = KycAttnum(desc, &col_updated_at);
	int			attnum;

	for (attnum = 1; attnum <= desc->natts; attnum++)
		if (!TupleDescAttr(desc, attnum - 1)->attisdropped && attnum != updated_at &&
			!KycAttrSame(oldtuple, newtuple, desc, attnum))
			return true;
	return false;
}

/* Keep updated_at as it was: an update that changes nothing is no change. */
static void
KeepUpdatedAt(HeapTuple oldtuple, TupleDesc desc, KycRowChanges *changes)
{
	bool		isnull;
	Datum		value = KycRowDatum(oldtuple, desc, &col_updated_at, &isnull);

	KycChangeSet(changes, desc, &col_updated_at, value, isnull);
}

/* Refuse a move the machine does not allow, saying what is allowed. */
static void
RefuseTransition(Relation rel, HeapTuple oldtuple, const char *from, const char *to)
{
	const char *next = DocumentAllowedNext(from);

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s cannot move from %s to %s",
					DocName(oldtuple, RelationGetDescr(rel)), from, to),
			 next[0] == '\0' ?
			 errdetail("%s is a final state.", from) :
			 errdetail("Documents follow " DOC_MACHINE "."),
			 next[0] == '\0' ?
			 errhint("Register a new document instead.") :
			 errhint("Allowed next states from %s: %s.", from, next),
			 errtableconstraint(rel, "documents_status_transition")));
}

/*
 * Refuse verifying a document whose expires_at has passed, as it was or as
 * the same UPDATE would set it: clearing the date does not revive it.
 */
static void
CheckNotExpired(Relation rel, HeapTuple oldtuple, HeapTuple newtuple)
{
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	rows[2] = {oldtuple, newtuple};
	int			i;

	for (i = 0; i < 2; i++)
	{
		bool		isnull;
		Datum		expires = KycRowDatum(rows[i], desc, &col_expires_at, &isnull);

		if (!isnull && DatumGetTimestampTz(expires) <= GetCurrentTransactionStartTimestamp())
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("%s has expired and cannot be verified", DocName(newtuple, desc)),
					 errdetail("It expired at %s.", timestamptz_to_str(DatumGetTimestampTz(expires))),
					 errhint("Reject it, or let kyc_document.expire_documents() mark it Expired.")));
	}
}

/*
 * The reviewer of a review (a move to Verified or Rejected): the one the
 * UPDATE sets, else the session's actor.  Outside a review it cannot change.
 */
static void
SetReviewer(TriggerData *trigdata, bool review, KycRowChanges *changes)
{
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);

	if (review)
	{
		if (!ColumnSet(trigdata, desc, &col_reviewer) ||
			IsBlank(KycRowText(trigdata->tg_newtuple, desc, &col_reviewer)))
			KycChangeSet(changes, desc, &col_reviewer,
						 CStringGetTextDatum(KycSessionActor()), false);
	}
	else if (!KycRowSame(trigdata->tg_trigtuple, trigdata->tg_newtuple, desc, &col_reviewer))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("the reviewer of %s changes only when it is verified or rejected",
						DocName(trigdata->tg_trigtuple, desc)),
				 errtablecolname(rel, col_reviewer.name)));
}

/* A Rejected document needs a reason; no other status has one. */
static void
CheckRejectionReason(Relation rel, HeapTuple newtuple, const char *to)
{
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *reason = KycRowText(newtuple, desc, &col_rejection_reason);

	if (strcmp(to, "Rejected") == 0 && IsBlank(reason))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("rejecting %s needs a reason", DocName(newtuple, desc)),
				 errhint("Use kyc_document.reject_document(document_id, reason), or set rejection_reason."),
				 errtablecolname(rel, col_rejection_reason.name)));
	if (reason != NULL && strlen(reason) > DOC_REASON_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("the rejection reason of %s is %zu bytes long, at most %d",
						DocName(newtuple, desc), strlen(reason), DOC_REASON_MAX),
				 errtablecolname(rel, col_rejection_reason.name)));
	if (strcmp(to, "Rejected") != 0 && reason != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("rejection_reason is only recorded for a Rejected document"),
				 errhint("Use kyc_document.reject_document(document_id, reason)."),
				 errtablecolname(rel, col_rejection_reason.name)));
}

/* Checks and stamps for an update of an existing document. */
static void
GuardUpdate(TriggerData *trigdata, KycRowChanges *changes)
{
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	oldtuple = trigdata->tg_trigtuple;
	HeapTuple	newtuple = trigdata->tg_newtuple;
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	KycColumn  *fixed[] = {&col_id, &col_case_id, &col_document_type, &col_file_name,
		&col_mime_type, &col_size_bytes, &col_sha256, &col_storage_uri,
		&col_uploaded_at, &col_verified_at, &col_created_at, &col_document_number,
	&col_document_number_sealed};
	char	   *from = RequireStatus(rel, oldtuple);
	char	   *to;
	bool		moved;
	int			i;

	for (i = 0; i < lengthof(fixed); i++)
		if (!KycRowSame(oldtuple, newtuple, desc, fixed[i]))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("column %s of %s cannot be changed", fixed[i]->name,
							DocName(oldtuple, desc)),
					 errhint("A document's content, case and server-set times are fixed; register a new document instead."),
					 errtablecolname(rel, fixed[i]->name)));

	to = RequireStatus(rel, newtuple);
	moved = strcmp(from, to) != 0;
	if (moved && !DocumentTransitionAllowed(from, to))
		RefuseTransition(rel, oldtuple, from, to);

	/*
	 * Verifying or rejecting again is a mistake; setting Expired again is
	 * not.
	 */
	if (!moved && ColumnSet(trigdata, desc, &col_status) &&
		(strcmp(to, "Verified") == 0 || strcmp(to, "Rejected") == 0))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s is already %s", DocName(oldtuple, desc), to),
				 errhint("Allowed next states from %s: %s.", from,
						 DocumentStatusFinal(from) ? "none" : DocumentAllowedNext(from)),
				 errtableconstraint(rel, "documents_status_transition")));
	if (!moved && DocumentStatusFinal(from))
	{
		if (RowChanged(oldtuple, newtuple, desc))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("%s is %s and can no longer change", DocName(oldtuple, desc), from),
					 errdetail("%s is a final state.", from),
					 errhint("Register a new document instead."),
					 errtableconstraint(rel, "documents_status_transition")));
		KeepUpdatedAt(oldtuple, desc, changes);
		return;
	}

	if (moved && strcmp(to, "Verified") == 0)
	{
		CheckNotExpired(rel, oldtuple, newtuple);
		KycChangeSet(changes, desc, &col_verified_at, now, false);
	}
	CheckRejectionReason(rel, newtuple, to);
	SetReviewer(trigdata, moved && strcmp(to, "Expired") != 0, changes);

	/* updated_at tells when the document last changed: a no-op leaves it. */
	if (moved || RowChanged(oldtuple, newtuple, desc))
		KycChangeSet(changes, desc, &col_updated_at, now, false);
	else
		KeepUpdatedAt(oldtuple, desc, changes);
}

PG_FUNCTION_INFO_V1(kyc_document_guard);

/* Trigger: BEFORE INSERT OR UPDATE ON documents FOR EACH ROW */
Datum
kyc_document_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycWriteTriggerCall(fcinfo, "document_guard", true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	KycRowChanges changes = {0};

	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		GuardInsert(trigdata->tg_relation, trigdata->tg_trigtuple, &changes);
		return PointerGetDatum(KycChangeApply(trigdata->tg_trigtuple, desc, &changes));
	}
	GuardUpdate(trigdata, &changes);
	return PointerGetDatum(KycChangeApply(trigdata->tg_newtuple, desc, &changes));
}
