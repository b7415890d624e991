/*
 * lease.c
 *		The senders' side of the queue: claim() leases due notifications,
 *		mark_sent(), mark_failed() and mark_delivered() record outcomes,
 *		cancel() withdraws one, extend_lease() keeps a slow send's lease,
 *		release() hands one back unsent, and sweep() returns expired leases
 *		and releases Scheduled rows.
 *
 * A lease is held by its worker until it ends in an outcome or another
 * worker takes the notification over after it expired.  An outcome from a
 * worker that lost its lease is refused: its row may be on its way again.
 * An outcome that arrives after the lease expired but before anyone took
 * the row over is accepted, since it records what really happened and
 * saves a second send.
 */
#include "kyc_notification.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* The statement that returns expired leases of one channel ($1), or of all. */
#define SWEEP_LEASES(where) \
	"UPDATE kyc_notification.notifications n SET " \
	"status = CASE WHEN n.retry_count OPERATOR(pg_catalog.<) n.max_retries THEN 'Pending' ELSE 'Failed' END, " \
	"retry_count = n.retry_count OPERATOR(pg_catalog.+) " \
	"  CASE WHEN n.retry_count OPERATOR(pg_catalog.<) n.max_retries THEN 1 ELSE 0 END, " \
	"next_attempt_at = pg_catalog.now(), " \
	"error_message = pg_catalog.format('the lease of worker %s expired at %s', n.locked_by, n.locked_until) " \
	"FROM (SELECT id FROM kyc_notification.notifications " \
	"      WHERE status OPERATOR(pg_catalog.=) 'Sending' " where \
	"      AND locked_until OPERATOR(pg_catalog.<) pg_catalog.now() FOR UPDATE SKIP LOCKED) e " \
	"WHERE n.id OPERATOR(pg_catalog.=) e.id"

/* The statement that releases due Scheduled rows of one channel ($1), or of all. */
#define SWEEP_SCHEDULED(where) \
	"UPDATE kyc_notification.notifications n SET status = 'Pending', next_attempt_at = n.scheduled_at " \
	"FROM (SELECT id FROM kyc_notification.notifications " \
	"      WHERE status OPERATOR(pg_catalog.=) 'Scheduled' " where \
	"      AND scheduled_at OPERATOR(pg_catalog.<=) pg_catalog.now() FOR UPDATE SKIP LOCKED) e " \
	"WHERE n.id OPERATOR(pg_catalog.=) e.id"

#define OF_CHANNEL "AND channel OPERATOR(pg_catalog.=) $1 "

/* Sweep one channel, or every channel when channel is NULL; rows moved. */
static uint64
Sweep(const char *channel)
{
	static SPIPlanPtr plans[4];
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = channel ? CStringGetTextDatum(channel) : (Datum) 0;
	int			first = channel ? 0 : 2;
	uint64		moved = 0;
	int			i;

	KycSavedPlan(&plans[0], SWEEP_LEASES(OF_CHANNEL), 1, argtypes);
	KycSavedPlan(&plans[1], SWEEP_SCHEDULED(OF_CHANNEL), 1, argtypes);
	KycSavedPlan(&plans[2], SWEEP_LEASES(""), 0, NULL);
	KycSavedPlan(&plans[3], SWEEP_SCHEDULED(""), 0, NULL);
	for (i = first; i < first + 2; i++)
	{
		if (SPI_execute_plan(plans[i], &value, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "notification sweep failed");
		moved += SPI_processed;
	}
	return moved;
}

/*
 * Refuse a lease that does not end after now and within a day, computed as
 * now() + lease the way the queue applies it: a mixed-sign interval such
 * as '100000 mons -71999999 hours' is judged by where it ends.
 */
static void
CheckLease(Interval *lease)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	TimestampTz until = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
																TimestampTzGetDatum(now),
																IntervalPGetDatum(lease)));

	if (until <= now || until > now + USECS_PER_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lease %s is out of range",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(lease)))),
				 errhint("A lease is longer than zero and at most 1 day: longer than a send takes, so that a live sender keeps it.")));
}

/* The partner's webhook secret, or NULL. */
static char *
PartnerSecret(const char *partner_id)
{
	static SPIPlanPtr plan = NULL;

	return NotifyLookupText(&plan, "SELECT webhook_secret FROM kyc_notification.partners "
							"WHERE partner_id OPERATOR(pg_catalog.=) $1", partner_id);
}

/* Plans of claim()'s statement, one per batch size recently used. */
#define CLAIM_PLANS 8
static struct
{
	int32		batch_size;
	SPIPlanPtr	plan;
}			claim_plans[CLAIM_PLANS];
static int	claim_plans_next = 0;

/*
 * The saved plan of claim()'s statement for batch_size.  The LIMIT is a
 * constant, not a parameter: with LIMIT $n the generic plan is costed for
 * a tenth of the table, so PostgreSQL re-planned every call (17% of a
 * sender's CPU) and would have JIT-compiled the generic one.
 */
static SPIPlanPtr
ClaimPlan(int32 batch_size)
{
	Oid			argtypes[4] = {TEXTOID, INT4OID, TEXTOID, INTERVALOID};
	int			i;
	int			slot = claim_plans_next;

	for (i = 0; i < CLAIM_PLANS; i++)
		if (claim_plans[i].plan != NULL && claim_plans[i].batch_size == batch_size)
			return claim_plans[i].plan;
	if (claim_plans[slot].plan != NULL)
		SPI_freeplan(claim_plans[slot].plan);
	claim_plans[slot].plan = NULL;
	claim_plans[slot].batch_size = batch_size;
	claim_plans_next = (slot + 1) % CLAIM_PLANS;
	return KycSavedPlan(&claim_plans[slot].plan, psprintf(
														  "WITH picked AS ("
														  "  SELECT id FROM kyc_notification.notifications "
														  "  WHERE status OPERATOR(pg_catalog.=) 'Pending' AND channel OPERATOR(pg_catalog.=) $1 "
														  "  AND next_attempt_at OPERATOR(pg_catalog.<=) pg_catalog.now() "
														  "  ORDER BY priority_rank, next_attempt_at LIMIT %d FOR UPDATE SKIP LOCKED), "
														  "claimed AS ("
														  "  UPDATE kyc_notification.notifications n SET status = 'Sending', locked_by = $3, "
														  "  locked_until = pg_catalog.now() OPERATOR(pg_catalog.+) $4 "
														  "  FROM picked WHERE n.id OPERATOR(pg_catalog.=) picked.id "
														  "  RETURNING n.id, n.type::pg_catalog.text, n.channel::pg_catalog.text, "
														  "  n.recipient::pg_catalog.text, n.subject::pg_catalog.text, n.content, n.content_html, "
														  "  n.priority::pg_catalog.text, n.case_id::pg_catalog.text, n.partner_id::pg_catalog.text, "
														  "  n.attempts, n.locked_until, n.priority_rank, n.next_attempt_at) "
														  "SELECT * FROM claimed ORDER BY priority_rank, next_attempt_at",
														  batch_size), 4, argtypes);
}

PG_FUNCTION_INFO_V1(kyc_notification_claim);

/* SQL: kyc_notification.claim(channel, batch_size, worker, lease) RETURNS SETOF claimed */
Datum
kyc_notification_claim(PG_FUNCTION_ARGS)
{
	SPIPlanPtr	plan;
	char	   *channel = KycTextArg(fcinfo, 0, "channel");
	int32		batch_size;
	char	   *worker = KycTextArg(fcinfo, 2, "worker");
	Interval   *lease;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[4];
	int64		signed_at = (GetCurrentTransactionStartTimestamp() / USECS_PER_SEC) +
	(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
	SPITupleTable *rows;
	uint64		claimed;
	uint64		i;

	KycRequireArg(fcinfo, 1, "batch_size");
	KycRequireArg(fcinfo, 3, "lease");
	batch_size = PG_GETARG_INT32(1);
	lease = PG_GETARG_INTERVAL_P(3);
	NotifyCheckChannel(channel);
	NotifyCheckWorker(worker);
	CheckLease(lease);
	if (batch_size < 1 || batch_size > 1000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch_size %d is out of range", batch_size),
				 errhint("Claim 1 to 1000 notifications at a time.")));

	InitMaterializedSRF(fcinfo, 0);
	KycSpiConnect();
	Sweep(channel);
	values[0] = CStringGetTextDatum(channel);
	values[1] = Int32GetDatum(batch_size);
	values[2] = CStringGetTextDatum(worker);
	values[3] = IntervalPGetDatum(lease);
	plan = ClaimPlan(batch_size);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "notification claim failed");

	rows = SPI_tuptable;
	claimed = SPI_processed;
	for (i = 0; i < claimed; i++)
	{
		HeapTuple	row = rows->vals[i];
		Datum		out[13];
		bool		nulls[13];
		char	   *partner_id = SPI_getvalue(row, rows->tupdesc, 10);
		char	   *secret = NULL;
		int			col;

		for (col = 0; col < 12; col++)
			out[col] = SPI_getbinval(row, rows->tupdesc, col + 1, &nulls[col]);
		if (strcmp(TextDatumGetCString(out[2]), "Webhook") == 0 && partner_id != NULL)
			secret = PartnerSecret(partner_id);
		nulls[12] = secret == NULL;
		out[12] = secret ? CStringGetTextDatum(NotifySignature(secret, signed_at,
															   TextDatumGetCString(out[5]))) : (Datum) 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, out, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/*
 * The row of notification id, locked: its status, worker and lease end.
 * Refuses an id that does not exist.
 */
static void
LockNotification(Datum id, char **status, char **locked_by, char **locked_until)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};

	KycSavedPlan(&plan, "SELECT status, locked_by, locked_until FROM kyc_notification.notifications "
				 "WHERE id OPERATOR(pg_catalog.=) $1 FOR UPDATE", 1, argtypes);
	if (SPI_execute_plan(plan, &id, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "notification lookup failed");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("notification %s does not exist",
						DatumGetCString(DirectFunctionCall1(uuid_out, id)))));
	*status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	*locked_by = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	*locked_until = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
}

/*
 * Refuse worker's outcome for notification id, whose UPDATE matched no
 * row, saying why: it is gone, no longer Sending, or leased to another.
 */
static void
RefuseOutcome(Datum id, const char *worker, const char *action)
{
	char	   *status;
	char	   *locked_by;
	char	   *locked_until;
	char	   *name = DatumGetCString(DirectFunctionCall1(uuid_out, id));

	LockNotification(id, &status, &locked_by, &locked_until);
	if (strcmp(status, "Sending") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("worker \"%s\" cannot %s notification %s: it is %s, not Sending", worker,
						action, name, status),
				 errdetail("Its lease ended: it expired and went back to the queue, or an outcome was recorded."),
				 errhint("Drop the message without sending it again; the queue decides who sends it now.")));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("worker \"%s\" cannot %s notification %s: worker \"%s\" holds its lease",
					worker, action, name, locked_by),
			 errdetail("The lease of worker \"%s\" runs until %s.", locked_by, locked_until),
			 errhint("Drop the message: after a lease expires, the notification belongs to whoever claims it next.")));
}

/*
 * Run an UPDATE of notification id ($1) that matches only while worker
 * ($3) holds its lease; refuse the outcome when it matched nothing.  One
 * statement: under READ COMMITTED it waits for a claim() taking the row
 * over, then re-checks the lease on the row that claim() left.
 */
static void
UpdateLeased(SPIPlanPtr plan, Datum *values, const char *nulls, const char *worker,
			 const char *action)
{
	int			rc = SPI_execute_plan(plan, values, nulls, false, 0);

	if (rc != SPI_OK_UPDATE && rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "notification update failed");
	if (SPI_processed == 0)
		RefuseOutcome(values[0], worker, action);
}

PG_FUNCTION_INFO_V1(kyc_notification_mark_sent);

/* SQL: kyc_notification.mark_sent(id uuid, worker text, provider_message_id text) */
Datum
kyc_notification_mark_sent(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {UUIDOID, TEXTOID, TEXTOID};
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	char	   *worker;

	KycRequireArg(fcinfo, 0, "id");
	worker = KycTextArg(fcinfo, 1, "worker");
	values[0] = PG_GETARG_DATUM(0);
	values[2] = CStringGetTextDatum(worker);
	if (PG_ARGISNULL(2))
		nulls[1] = 'n', values[1] = (Datum) 0;
	else
	{
		char	   *provider_id = text_to_cstring(PG_GETARG_TEXT_PP(2));

		if (strlen(provider_id) > 200)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("provider_message_id is %zu bytes long", strlen(provider_id)),
					 errhint("Give at most 200 bytes.")));
		values[1] = PG_GETARG_DATUM(2);
	}
	KycSpiConnect();
	KycSavedPlan(&plan, "UPDATE kyc_notification.notifications SET status = 'Sent', provider_message_id = $2 "
				 "WHERE id OPERATOR(pg_catalog.=) $1 AND status OPERATOR(pg_catalog.=) 'Sending' "
				 "AND locked_by OPERATOR(pg_catalog.=) $3", 3, argtypes);
	UpdateLeased(plan, values, nulls, worker, "mark_sent");
	SPI_finish();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_notification_mark_failed);

/*
 * SQL: kyc_notification.mark_failed(id uuid, worker text, error text) RETURNS text
 *
 * A retry waits a random time in [0, min(retry_cap, retry_base *
 * 2^retry_count)]: exponential backoff with full jitter, so that senders
 * failing together do not retry together.
 */
Datum
kyc_notification_mark_failed(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[5] = {UUIDOID, TEXTOID, TEXTOID, FLOAT8OID, FLOAT8OID};
	Datum		values[5];
	char	   *worker;
	char	   *error;
	char	   *status;
	MemoryContext caller = CurrentMemoryContext;

	KycRequireArg(fcinfo, 0, "id");
	worker = KycTextArg(fcinfo, 1, "worker");
	error = KycTextArg(fcinfo, 2, "error");
	if (error[strspn(error, " \t\r\n")] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("error must say what went wrong"),
				 errhint("Pass the provider's error message or status.")));
	values[0] = PG_GETARG_DATUM(0);
	values[1] = CStringGetTextDatum(NotifyClip(error, 2000));
	values[2] = CStringGetTextDatum(worker);
	values[3] = Float8GetDatum(notify_retry_base_ms / 1000.0);
	values[4] = Float8GetDatum(notify_retry_cap_ms / 1000.0);
	KycSpiConnect();
	KycSavedPlan(&plan,
				 "UPDATE kyc_notification.notifications n SET error_message = $2, "
				 "status = CASE WHEN n.retry_count OPERATOR(pg_catalog.<) n.max_retries THEN 'Pending' ELSE 'Failed' END, "
				 "retry_count = n.retry_count OPERATOR(pg_catalog.+) "
				 "  CASE WHEN n.retry_count OPERATOR(pg_catalog.<) n.max_retries THEN 1 ELSE 0 END, "
				 "next_attempt_at = CASE WHEN n.retry_count OPERATOR(pg_catalog.<) n.max_retries "
				 "  THEN pg_catalog.now() OPERATOR(pg_catalog.+) pg_catalog.make_interval(secs => "
				 "    pg_catalog.random() OPERATOR(pg_catalog.*) LEAST($5, $4 OPERATOR(pg_catalog.*) "
				 "    pg_catalog.power(2::pg_catalog.float8, LEAST(n.retry_count, 40)))) "
				 "  ELSE n.next_attempt_at END "
				 "WHERE n.id OPERATOR(pg_catalog.=) $1 AND n.status OPERATOR(pg_catalog.=) 'Sending' "
				 "AND n.locked_by OPERATOR(pg_catalog.=) $3 RETURNING n.status::pg_catalog.text",
				 5, argtypes);
	UpdateLeased(plan, values, NULL, worker, "mark_failed");
	status = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(status));
}

/* Lock id and refuse unless its status appears in allowed ("Sent or Delivered"). */
static void
RequireStatus(Datum id, const char *allowed, const char *action, const char *hint)
{
	char	   *status;
	char	   *locked_by;
	char	   *locked_until;

	LockNotification(id, &status, &locked_by, &locked_until);
	if (strstr(allowed, status) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s notification %s: it is %s", action,
						DatumGetCString(DirectFunctionCall1(uuid_out, id)), status),
				 errdetail("Only a notification that is %s can take %s.", allowed, action),
				 strcmp(status, "Sending") == 0 ?
				 errhint("Worker \"%s\" is sending it (lease until %s); wait for its outcome.", locked_by,
						 locked_until) : errhint("%s", hint)));
}

PG_FUNCTION_INFO_V1(kyc_notification_mark_delivered);

/* SQL: kyc_notification.mark_delivered(id uuid): a provider's delivery report; repeats are no-ops. */
Datum
kyc_notification_mark_delivered(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {UUIDOID};
	Datum		id;

	KycRequireArg(fcinfo, 0, "id");
	id = PG_GETARG_DATUM(0);
	KycSpiConnect();
	RequireStatus(id, "Sent or Delivered", "mark_delivered",
				  "A delivery report follows mark_sent().");
	KycSavedPlan(&plan, "UPDATE kyc_notification.notifications SET status = 'Delivered' "
				 "WHERE id OPERATOR(pg_catalog.=) $1 AND status OPERATOR(pg_catalog.=) 'Sent'",
				 1, argtypes);
	if (SPI_execute_plan(plan, &id, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "notification update failed");
	SPI_finish();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_notification_cancel);

/* SQL: kyc_notification.cancel(id uuid, reason text) */
Datum
kyc_notification_cancel(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {UUIDOID, TEXTOID};
	Datum		values[2];
	char	   *reason;

	KycRequireArg(fcinfo, 0, "id");
	reason = KycTextArg(fcinfo, 1, "reason");
	if (reason[strspn(reason, " \t\r\n")] == '\0' || strlen(reason) > 2000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reason must say why, in 1 to 2000 bytes")));
	values[0] = PG_GETARG_DATUM(0);
	values[1] = PG_GETARG_DATUM(1);
	KycSpiConnect();
	RequireStatus(values[0], "Pending or Scheduled", "cancel",
				  "It has already been sent, failed or been cancelled.");
	KycSavedPlan(&plan, "UPDATE kyc_notification.notifications SET status = 'Cancelled', "
				 "cancel_reason = $2 WHERE id OPERATOR(pg_catalog.=) $1", 2, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_UPDATE || SPI_processed != 1)
		elog(ERROR, "notification cancel failed");
	SPI_finish();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_notification_extend_lease);

/* SQL: kyc_notification.extend_lease(id uuid, worker text, lease interval) RETURNS timestamptz */
Datum
kyc_notification_extend_lease(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {UUIDOID, INTERVALOID, TEXTOID};
	Datum		values[3];
	char	   *worker;
	bool		isnull;
	Datum		until;

	KycRequireArg(fcinfo, 0, "id");
	worker = KycTextArg(fcinfo, 1, "worker");
	KycRequireArg(fcinfo, 2, "lease");
	CheckLease(PG_GETARG_INTERVAL_P(2));
	values[0] = PG_GETARG_DATUM(0);
	values[1] = PG_GETARG_DATUM(2);
	values[2] = CStringGetTextDatum(worker);
	KycSpiConnect();
	KycSavedPlan(&plan, "UPDATE kyc_notification.notifications "
				 "SET locked_until = pg_catalog.now() OPERATOR(pg_catalog.+) $2 "
				 "WHERE id OPERATOR(pg_catalog.=) $1 AND status OPERATOR(pg_catalog.=) 'Sending' "
				 "AND locked_by OPERATOR(pg_catalog.=) $3 RETURNING locked_until", 3, argtypes);
	UpdateLeased(plan, values, NULL, worker, "extend the lease of");
	/* timestamptz is passed by value: it outlives SPI_finish(). */
	until = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	SPI_finish();
	PG_RETURN_DATUM(until);
}

PG_FUNCTION_INFO_V1(kyc_notification_release);

/*
 * SQL: kyc_notification.release(id uuid, worker text): hand back a claimed
 * notification unsent (a sender shutting down), due again at once.  Unlike
 * an expired lease it counts no failed attempt.
 */
Datum
kyc_notification_release(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {UUIDOID, TEXTOID, TEXTOID};
	Datum		values[3];
	char	   *worker;

	KycRequireArg(fcinfo, 0, "id");
	worker = KycTextArg(fcinfo, 1, "worker");
	values[0] = PG_GETARG_DATUM(0);
	values[1] = (Datum) 0;
	values[2] = CStringGetTextDatum(worker);
	KycSpiConnect();
	KycSavedPlan(&plan, "UPDATE kyc_notification.notifications SET status = 'Pending', "
				 "next_attempt_at = pg_catalog.now(), "
				 "error_message = pg_catalog.format('released unsent by worker %s', locked_by) "
				 "WHERE id OPERATOR(pg_catalog.=) $1 AND status OPERATOR(pg_catalog.=) 'Sending' "
				 "AND locked_by OPERATOR(pg_catalog.=) $3", 3, argtypes);
	UpdateLeased(plan, values, NULL, worker, "release");
	SPI_finish();
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_notification_sweep);

/* SQL: kyc_notification.sweep() RETURNS integer */
Datum
kyc_notification_sweep(PG_FUNCTION_ARGS)
{
	uint64		moved;

	KycSpiConnect();
	moved = Sweep(NULL);
	SPI_finish();
	PG_RETURN_INT32((int32) Min(moved, PG_INT32_MAX));
}
