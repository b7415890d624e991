/*
 * status.c
 *		The notification state machine, enforced by a BEFORE trigger on
 *		every INSERT and UPDATE, whoever writes:
 *
 *		(new)		-> Pending, Scheduled
 *		Scheduled	-> Pending, Cancelled
 *		Pending		-> Sending, Cancelled
 *		Sending		-> Sent, Pending (a retry or an expired lease), Failed
 *		Sent		-> Delivered
 *		Delivered, Failed, Cancelled: final
 *
 * Each change stamps its time, counts an attempt on Sending, drops the
 * lease on leaving Sending, is recorded in notification_history, and a
 * notification that becomes due rings its channel's doorbell at commit.
 */
#include "kyc_notification.h"

#include "catalog/pg_type.h"
#include "commands/async.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

static KycColumn col_id = KYC_COLUMN("id");
static KycColumn col_status = KYC_COLUMN("status");
static KycColumn col_channel = KYC_COLUMN("channel");
static KycColumn col_next_attempt_at = KYC_COLUMN("next_attempt_at");
static KycColumn col_locked_by = KYC_COLUMN("locked_by");
static KycColumn col_locked_until = KYC_COLUMN("locked_until");
static KycColumn col_attempts = KYC_COLUMN("attempts");
static KycColumn col_updated_at = KYC_COLUMN("updated_at");
static KycColumn col_sent_at = KYC_COLUMN("sent_at");
static KycColumn col_delivered_at = KYC_COLUMN("delivered_at");
static KycColumn col_failed_at = KYC_COLUMN("failed_at");
static KycColumn col_cancelled_at = KYC_COLUMN("cancelled_at");
static KycColumn col_error_message = KYC_COLUMN("error_message");
static KycColumn col_cancel_reason = KYC_COLUMN("cancel_reason");
static KycColumn col_provider_message_id = KYC_COLUMN("provider_message_id");

/* A status and the statuses it may move to, comma-separated for the hint. */
typedef struct NotifyTransition
{
	const char *from;
	const char *to;
} NotifyTransition;

static const NotifyTransition transitions[] = {
	{"Scheduled", "Pending, Cancelled"},
	{"Pending", "Sending, Cancelled"},
	{"Sending", "Sent, Pending, Failed"},
	{"Sent", "Delivered"},
	{"Delivered", ""},
	{"Failed", ""},
	{"Cancelled", ""},
};

/* The statuses from may move to, as "A, B", or "" for a final status. */
static const char *
AllowedNext(const char *from)
{
	int			i;

	for (i = 0; i < lengthof(transitions); i++)
		if (strcmp(transitions[i].from, from) == 0)
			return transitions[i].to;
	return "";
}

/* True if to is one of the ", "-separated statuses in allowed. */
static bool
ListHas(const char *allowed, const char *to)
{
	size_t		len = strlen(to);
	const char *p = allowed;

	while (*p)
	{
		size_t		item = strcspn(p, ",");

		if (item == len && strncmp(p, to, len) == 0)
			return true;
		p += item;
		p += strspn(p, ", ");
	}
	return false;
}

/* Refuse a move the state machine does not have, naming what is allowed. */
static void
CheckTransition(const char *id, const char *from, const char *to)
{
	const char *allowed = AllowedNext(from);

	if (ListHas(allowed, to))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("notification %s cannot go from %s to %s", id, from, to),
			 *allowed ? errhint("From %s a notification can go to: %s.", from, allowed)
			 : errhint("%s is final: the notification can no longer change.", from)));
}

/* Ring the doorbell of a channel: NOTIFY kyc_notification_<channel>, at commit. */
void
NotifyRingDoorbell(const char *channel)
{
	char		name[NAMEDATALEN];
	int			i;

	snprintf(name, sizeof(name), "kyc_notification_%s", channel);
	for (i = 0; name[i]; i++)
		name[i] = pg_ascii_tolower((unsigned char) name[i]);
	Async_Notify(name, NULL);
}

/* Record one state change in notification_history. */
static void
RecordChange(const char *id, const char *from, const char *to, int32 attempt,
			 const char *worker, const char *detail)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[6] = {UUIDOID, TEXTOID, TEXTOID, INT4OID, TEXTOID, TEXTOID};
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};

	values[0] = DirectFunctionCall1(uuid_in, CStringGetDatum(id));
	values[1] = from ? CStringGetTextDatum(from) : (nulls[1] = 'n', (Datum) 0);
	values[2] = CStringGetTextDatum(to);
	values[3] = Int32GetDatum(attempt);
	values[4] = worker ? CStringGetTextDatum(worker) : (nulls[4] = 'n', (Datum) 0);
	values[5] = detail ? CStringGetTextDatum(detail) : (nulls[5] = 'n', (Datum) 0);
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_notification.notification_history "
				 "(notification_id, from_status, to_status, attempt, worker, detail) "
				 "VALUES ($1, $2, $3, $4, $5, $6)", 6, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "notification history insert failed");
	SPI_finish();
}

/* The detail a change records: the error, the cancel reason, the provider's id. */
static char *
ChangeDetail(HeapTuple tuple, TupleDesc desc, const char *to)
{
	if (strcmp(to, "Cancelled") == 0)
		return KycRowText(tuple, desc, &col_cancel_reason);
	if (strcmp(to, "Sent") == 0)
		return KycRowText(tuple, desc, &col_provider_message_id);
	if (strcmp(to, "Pending") == 0 || strcmp(to, "Failed") == 0)
		return KycRowText(tuple, desc, &col_error_message);
	return NULL;
}

/* True if a Pending row is due now. */
static bool
IsDue(HeapTuple tuple, TupleDesc desc)
{
	bool		isnull;
	Datum		next = KycRowDatum(tuple, desc, &col_next_attempt_at, &isnull);

	return isnull || DatumGetTimestampTz(next) <= GetCurrentTimestamp();
}

/* The stamps and counters of entering status to (from, on UPDATE). */
static void
StampChange(KycRowChanges *changes, TupleDesc desc, HeapTuple newtuple, const char *from,
			const char *to, Datum now)
{
	bool		isnull;

	KycChangeSet(changes, desc, &col_updated_at, now, false);
	if (strcmp(to, "Sending") == 0)
		KycChangeSet(changes, desc, &col_attempts,
					 Int32GetDatum(DatumGetInt32(KycRowDatum(newtuple, desc, &col_attempts, &isnull)) + 1),
					 false);
	else if (from != NULL && strcmp(from, "Sending") == 0)
	{
		KycChangeSet(changes, desc, &col_locked_by, (Datum) 0, true);
		KycChangeSet(changes, desc, &col_locked_until, (Datum) 0, true);
	}
	if (strcmp(to, "Sent") == 0)
		KycChangeSet(changes, desc, &col_sent_at, now, false);
	else if (strcmp(to, "Delivered") == 0)
		KycChangeSet(changes, desc, &col_delivered_at, now, false);
	else if (strcmp(to, "Failed") == 0)
		KycChangeSet(changes, desc, &col_failed_at, now, false);
	else if (strcmp(to, "Cancelled") == 0)
		KycChangeSet(changes, desc, &col_cancelled_at, now, false);
}

PG_FUNCTION_INFO_V1(kyc_notification_status);

/*
 * Trigger: BEFORE INSERT OR UPDATE ON notifications FOR EACH ROW.  A new
 * row's history entry and doorbell wait for notification_created: an
 * INSERT ... ON CONFLICT DO NOTHING that loses to an existing key fires
 * BEFORE triggers for a row that is never inserted.
 */
Datum
kyc_notification_status(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "notification_status", true, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	bool		insert = TRIGGER_FIRED_BY_INSERT(trigdata->tg_event);
	HeapTuple	newtuple = insert ? trigdata->tg_trigtuple : trigdata->tg_newtuple;
	char	   *from = insert ? NULL : KycRowText(trigdata->tg_trigtuple, desc, &col_status);
	char	   *to = KycRowText(newtuple, desc, &col_status);
	Datum		now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	KycRowChanges changes = {0};
	HeapTuple	result;
	bool		isnull;

	/* BEFORE triggers run ahead of NOT NULL: refuse the NULLs used below. */
	if (to == NULL || KycRowText(newtuple, desc, &col_id) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a notification needs an id and a status")));
	if (insert && strcmp(to, "Pending") != 0 && strcmp(to, "Scheduled") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("a new notification cannot start as %s", to),
				 errhint("A new notification is Pending, or Scheduled for later: use kyc_notification.enqueue().")));
	if (insert || strcmp(from, to) == 0)
	{
		KycChangeSet(&changes, desc, &col_updated_at, now, false);
		return PointerGetDatum(KycChangeApply(newtuple, desc, &changes));
	}
	CheckTransition(KycRowText(newtuple, desc, &col_id), from, to);

	StampChange(&changes, desc, newtuple, from, to, now);
	result = KycChangeApply(newtuple, desc, &changes);
	RecordChange(KycRowText(result, desc, &col_id), from, to,
				 DatumGetInt32(KycRowDatum(result, desc, &col_attempts, &isnull)),
				 KycRowText(strcmp(to, "Sending") == 0 ? result : trigdata->tg_trigtuple, desc,
							&col_locked_by),
				 ChangeDetail(result, desc, to));
	if (strcmp(to, "Pending") == 0 && IsDue(result, desc))
		NotifyRingDoorbell(KycRowText(result, desc, &col_channel));
	return PointerGetDatum(result);
}

PG_FUNCTION_INFO_V1(kyc_notification_created);

/* Trigger: AFTER INSERT ON notifications FOR EACH ROW: the first history entry, the doorbell. */
Datum
kyc_notification_created(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "notification_created", false, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	char	   *status = KycRowText(tuple, desc, &col_status);

	RecordChange(KycRowText(tuple, desc, &col_id), NULL, status, 0, NULL, NULL);
	if (strcmp(status, "Pending") == 0 && IsDue(tuple, desc))
		NotifyRingDoorbell(KycRowText(tuple, desc, &col_channel));
	return PointerGetDatum(NULL);
}
