/*
 * event_handlers.c
 *		on_event(): the relay's handler that turns the workflow's events
 *		into notifications, for the applicant's e-mail and the partner's
 *		webhook.
 *
 *	case.created		Welcome; the e-mail waits for the applicant's address
 *	case.status_changed	StatusUpdate, or DecisionMade for Approved and Rejected
 *	document.rejected	DocumentRequest, with the reason
 *	applicant.updated	keeps the applicant's contact (role Applicant)
 *	applicant.removed	forgets it
 *
 * Each notification's idempotency key is its event and channel,
 * "event:<source>:<id>:<channel>", a namespace enqueue()'s callers may not
 * use: a redelivered event queues nothing new.  Only this handler queues
 * webhooks.  onboarding's
 * case.created is followed by applicant.updated, so a Welcome e-mail is
 * queued by whichever of the two comes second.  A document.rejected
 * that arrives before its case or its applicant's address (two relays, two
 * sources) is parked, and handled again as each arrives.
 */
#include "kyc_notification.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#define HANDLED_TOPICS \
	"{case.created,case.status_changed,document.rejected,applicant.updated,applicant.removed}"

/* One delivered event. */
typedef struct NotifyEvent
{
	char	   *source;
	int64		id;
	char	   *topic;
	char	   *case_id;
	Jsonb	   *payload;
} NotifyEvent;

/* What a case's notifications are built from (CaseData()). */
typedef struct CaseData
{
	char	   *partner_id;
	char	   *email;
	bool		partner_webhook;
	Jsonb	   *data;
} CaseData;

/* Read the event's fields; an event without a case_id is an error. */
static void
ReadEvent(Oid event_type, Datum event, NotifyEvent *e)
{
	static SPIPlanPtr plan = NULL;
	HeapTuple	row;
	TupleDesc	desc;
	bool		isnull;

	KycSavedPlan(&plan, "SELECT ($1).source, ($1).id, ($1).topic, "
				 "($1).payload OPERATOR(pg_catalog.->>) 'case_id', "
				 "COALESCE(($1).payload, '{}'::pg_catalog.jsonb)", 1, &event_type);
	if (SPI_execute_plan(plan, &event, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "event lookup failed");
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	e->source = SPI_getvalue(row, desc, 1);
	e->id = DatumGetInt64(SPI_getbinval(row, desc, 2, &isnull));
	e->topic = SPI_getvalue(row, desc, 3);
	e->case_id = SPI_getvalue(row, desc, 4);
	e->payload = DatumGetJsonbPCopy(SPI_getbinval(row, desc, 5, &isnull));
	if (e->case_id == NULL && strcmp(e->topic, "applicant.removed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s event %lld of %s has no case_id", e->topic, (long long) e->id, e->source),
				 errdetail("The payload's \"case_id\" names the case the notification is about."),
				 errhint("Fix the emitter, then replay the dead letter with kyc_events.replay_dead_letter(id).")));
}

/* Run a saved statement with ($1 payload, $2 case_id, $3 topic, $4 event key), expecting a result code. */
static void
RunWithEvent(SPIPlanPtr *plan, const char *sql, NotifyEvent *e, int expected)
{
	Oid			argtypes[4] = {JSONBOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};

	values[0] = JsonbPGetDatum(e->payload);
	values[1] = e->case_id ? CStringGetTextDatum(e->case_id) : (nulls[1] = 'n', (Datum) 0);
	values[2] = CStringGetTextDatum(e->topic);
	values[3] = CStringGetTextDatum(psprintf("%s:%lld", e->source, (long long) e->id));
	KycSavedPlan(plan, sql, 4, argtypes);
	if (SPI_execute_plan(*plan, values, nulls, false, 0) != expected)
		elog(ERROR, "%s handling failed", e->topic);
}

/* What notifications about case_id are built from; false if the case is unknown. */
static bool
FetchCaseData(const char *case_id, const char *event_key, const char *topic, Jsonb *extra,
			  CaseData *out)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[4] = {TEXTOID, TEXTOID, TEXTOID, JSONBOID};
	Datum		values[4] = {CStringGetTextDatum(case_id), CStringGetTextDatum(event_key),
	CStringGetTextDatum(topic), JsonbPGetDatum(extra)};
	HeapTuple	row;
	TupleDesc	desc;
	bool		isnull;

	KycSavedPlan(&plan,
				 "SELECT c.partner_id, k.email, "
				 " EXISTS (SELECT FROM kyc_notification.partners p "
				 "         WHERE p.partner_id OPERATOR(pg_catalog.=) c.partner_id "
				 "         AND p.webhook_url IS NOT NULL AND p.webhook_secret IS NOT NULL), "
				 " pg_catalog.jsonb_build_object("
				 "  'event', pg_catalog.jsonb_build_object('id', pg_catalog.split_part($2, ':', 2)::pg_catalog.int8, 'topic', $3), "
				 "  'case', pg_catalog.jsonb_build_object('case_id', c.case_id, 'type', c.case_type, "
				 "          'status', c.status, 'partner_reference_id', c.partner_reference_id) "
				 "          OPERATOR(pg_catalog.||) COALESCE($4 OPERATOR(pg_catalog.->) 'case', '{}'), "
				 "  'partner', pg_catalog.jsonb_build_object('partner_id', c.partner_id, 'name', c.partner_name), "
				 "  'applicant', pg_catalog.jsonb_build_object('first_name', k.first_name, 'last_name', k.last_name)) "
				 " OPERATOR(pg_catalog.||) ($4 OPERATOR(pg_catalog.-) 'case') "
				 "FROM kyc_notification.cases c LEFT JOIN kyc_notification.contacts k "
				 "  ON k.case_id OPERATOR(pg_catalog.=) c.case_id "
				 "WHERE c.case_id OPERATOR(pg_catalog.=) $1",
				 4, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "case lookup failed");
	if (SPI_processed != 1)
		return false;
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	out->partner_id = SPI_getvalue(row, desc, 1);
	out->email = SPI_getvalue(row, desc, 2);
	out->partner_webhook = DatumGetBool(SPI_getbinval(row, desc, 3, &isnull));
	out->data = DatumGetJsonbPCopy(SPI_getbinval(row, desc, 4, &isnull));
	return true;
}

/* Queue type for the case on one channel, keyed "<event key>:<channel>". */
static void
Send(const char *type, const char *channel, const char *recipient, const char *case_id,
	 CaseData *cd, const char *event_key, const char *priority)
{
	NotifyRequest req = {0};

	req.type = type;
	req.channel = channel;
	req.recipient = recipient;
	req.template_data = cd->data;
	req.priority = priority;
	req.case_id = case_id;
	req.partner_id = cd->partner_id;
	req.scheduled_null = true;
	req.idempotency_key = psprintf(NOTIFY_EVENT_KEY_PREFIX "%s:%s", event_key, channel);
	req.from_caller = false;
	NotifyEnqueue(&req);
}

/* Queue type to the applicant's e-mail and the partner's webhook, those that exist. */
static void
SendBoth(const char *type, const char *case_id, const char *event_key, const char *topic,
		 Jsonb *extra, const char *priority)
{
	CaseData	cd;

	if (!FetchCaseData(case_id, event_key, topic, extra, &cd))
		return;
	if (cd.email != NULL)
		Send(type, "Email", cd.email, case_id, &cd, event_key, priority);
	if (cd.partner_webhook)
		Send(type, "Webhook", NULL, case_id, &cd, event_key, priority);
}

/*
 * The Welcome e-mail of case_id, once its case.created and its applicant's
 * address have both arrived, and only once.
 */
static void
SendWelcomeEmail(const char *case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = CStringGetTextDatum(case_id);
	char	   *created_event;
	CaseData	cd;

	KycSavedPlan(&plan,
				 "UPDATE kyc_notification.cases c SET welcomed_at = pg_catalog.now() "
				 "FROM kyc_notification.contacts k "
				 "WHERE c.case_id OPERATOR(pg_catalog.=) $1 AND k.case_id OPERATOR(pg_catalog.=) c.case_id "
				 "AND c.welcomed_at IS NULL AND c.created_event IS NOT NULL AND k.email IS NOT NULL "
				 "RETURNING c.created_event", 1, argtypes);
	if (SPI_execute_plan(plan, &value, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "welcome lookup failed");
	if (SPI_processed != 1)
		return;
	created_event = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (FetchCaseData(case_id, created_event, "case.created", KycJsonEmptyObject(), &cd))
		Send("Welcome", "Email", cd.email, case_id, &cd, created_event, "Medium");
}

/* The payload's fields a template takes beyond the case row: {"case": ..., "document": ...}. */
static Jsonb *
EventExtra(NotifyEvent *e)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {JSONBOID, TEXTOID};
	Datum		values[2] = {JsonbPGetDatum(e->payload), CStringGetTextDatum(e->topic)};
	bool		isnull;

	KycSavedPlan(&plan,
				 "SELECT CASE $2 "
				 " WHEN 'case.status_changed' THEN pg_catalog.jsonb_build_object('case', "
				 "   pg_catalog.jsonb_build_object('from_status', $1 OPERATOR(pg_catalog.->>) 'from_status', "
				 "   'status_reason', $1 OPERATOR(pg_catalog.->>) 'status_reason')) "
				 " WHEN 'document.rejected' THEN pg_catalog.jsonb_build_object('document', "
				 "   pg_catalog.jsonb_build_object('document_id', $1 OPERATOR(pg_catalog.->>) 'document_id', "
				 "   'document_type', $1 OPERATOR(pg_catalog.->>) 'document_type', "
				 "   'reason', $1 OPERATOR(pg_catalog.->>) 'reason')) "
				 " ELSE '{}'::pg_catalog.jsonb END", 2, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "event payload read failed");
	return DatumGetJsonbPCopy(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * document.rejected: DocumentRequest to what is known now.  Until the case
 * and its applicant's address are known (the event came before them), the
 * event stays parked and is handled again as each arrives; the keys keep
 * a channel from being sent twice.
 */
static void
OnDocumentRejected(NotifyEvent *e, bool parked)
{
	static SPIPlanPtr park = NULL;
	static SPIPlanPtr unpark = NULL;
	char	   *key = psprintf("%s:%lld", e->source, (long long) e->id);
	CaseData	cd;
	bool		done = false;

	if (FetchCaseData(e->case_id, key, e->topic, EventExtra(e), &cd))
	{
		if (cd.partner_webhook)
			Send("DocumentRequest", "Webhook", NULL, e->case_id, &cd, key, "High");
		if (cd.email != NULL)
			Send("DocumentRequest", "Email", cd.email, e->case_id, &cd, key, "High");
		done = cd.email != NULL;
	}
	if (done && parked)
		RunWithEvent(&unpark, "DELETE FROM kyc_notification.parked_events "
					 "WHERE source OPERATOR(pg_catalog.=) pg_catalog.split_part($4, ':', 1) "
					 "AND event_id OPERATOR(pg_catalog.=) pg_catalog.split_part($4, ':', 2)::pg_catalog.int8",
					 e, SPI_OK_DELETE);
	else if (!done && !parked)
		RunWithEvent(&park,
					 "INSERT INTO kyc_notification.parked_events (source, event_id, case_id, topic, payload) "
					 "VALUES (pg_catalog.split_part($4, ':', 1), pg_catalog.split_part($4, ':', 2)::pg_catalog.int8, "
					 "$2, $3, $1) ON CONFLICT DO NOTHING", e, SPI_OK_INSERT);
}

/* Handle again the events parked for case_id, now that more of it is known. */
static void
ReleaseParked(const char *case_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = CStringGetTextDatum(case_id);
	SPITupleTable *rows;
	uint64		n;
	uint64		i;
	bool		isnull;

	KycSavedPlan(&plan, "SELECT source, event_id, topic, payload FROM kyc_notification.parked_events "
				 "WHERE case_id OPERATOR(pg_catalog.=) $1 ORDER BY received_at, event_id FOR UPDATE",
				 1, argtypes);
	if (SPI_execute_plan(plan, &value, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "parked events lookup failed");
	rows = SPI_tuptable;
	n = SPI_processed;
	for (i = 0; i < n; i++)
	{
		NotifyEvent e;

		e.source = SPI_getvalue(rows->vals[i], rows->tupdesc, 1);
		e.id = DatumGetInt64(SPI_getbinval(rows->vals[i], rows->tupdesc, 2, &isnull));
		e.topic = SPI_getvalue(rows->vals[i], rows->tupdesc, 3);
		e.payload = DatumGetJsonbPCopy(SPI_getbinval(rows->vals[i], rows->tupdesc, 4, &isnull));
		e.case_id = pstrdup(case_id);
		OnDocumentRejected(&e, true);
	}
}

/* case.created and case.status_changed: keep the case, then notify. */
static void
OnCaseEvent(NotifyEvent *e)
{
	static SPIPlanPtr keep = NULL;
	char	   *key = psprintf("%s:%lld", e->source, (long long) e->id);
	char	   *status;
	bool		created = strcmp(e->topic, "case.created") == 0;

	RunWithEvent(&keep,
				 "INSERT INTO kyc_notification.cases AS c (case_id, case_type, status, partner_id, "
				 "partner_name, partner_reference_id, created_event) "
				 "VALUES ($2, $1 OPERATOR(pg_catalog.->>) 'type', $1 OPERATOR(pg_catalog.->>) 'status', "
				 "$1 OPERATOR(pg_catalog.->>) 'partner_id', $1 OPERATOR(pg_catalog.->>) 'partner_name', "
				 "$1 OPERATOR(pg_catalog.->>) 'partner_reference_id', "
				 "CASE WHEN $3 OPERATOR(pg_catalog.=) 'case.created' THEN $4 END) "
				 "ON CONFLICT (case_id) DO UPDATE SET case_type = excluded.case_type, status = excluded.status, "
				 "partner_id = excluded.partner_id, partner_name = excluded.partner_name, "
				 "partner_reference_id = excluded.partner_reference_id, "
				 "created_event = COALESCE(c.created_event, excluded.created_event), "
				 "updated_at = pg_catalog.now() RETURNING status", e, SPI_OK_INSERT_RETURNING);
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (created)
	{
		CaseData	cd;

		if (FetchCaseData(e->case_id, key, e->topic, KycJsonEmptyObject(), &cd) && cd.partner_webhook)
			Send("Welcome", "Webhook", NULL, e->case_id, &cd, key, "Medium");
		SendWelcomeEmail(e->case_id);
		ReleaseParked(e->case_id);
	}
	else if (status && (strcmp(status, "Approved") == 0 || strcmp(status, "Rejected") == 0))
		SendBoth("DecisionMade", e->case_id, key, e->topic, EventExtra(e), "High");
	else
		SendBoth("StatusUpdate", e->case_id, key, e->topic, EventExtra(e), "Medium");
}

/* applicant.updated and applicant.removed: the case's contact. */
static void
OnApplicantEvent(NotifyEvent *e)
{
	static SPIPlanPtr keep = NULL;
	static SPIPlanPtr forget = NULL;

	if (strcmp(e->topic, "applicant.removed") == 0)
	{
		RunWithEvent(&forget,
					 "DELETE FROM kyc_notification.contacts WHERE applicant_id OPERATOR(pg_catalog.=) "
					 "($1 OPERATOR(pg_catalog.->>) 'applicant_id')::pg_catalog.uuid", e, SPI_OK_DELETE);
		return;
	}
	RunWithEvent(&keep,
				 "INSERT INTO kyc_notification.contacts AS k (case_id, applicant_id, first_name, last_name, "
				 "email, phone_number) "
				 "SELECT $2, ($1 OPERATOR(pg_catalog.->>) 'applicant_id')::pg_catalog.uuid, "
				 "$1 OPERATOR(pg_catalog.->>) 'first_name', $1 OPERATOR(pg_catalog.->>) 'last_name', "
				 "$1 OPERATOR(pg_catalog.->>) 'email', $1 OPERATOR(pg_catalog.->>) 'phone_number' "
				 "WHERE COALESCE($1 OPERATOR(pg_catalog.->>) 'role', 'Applicant') "
				 "OPERATOR(pg_catalog.=) 'Applicant' "
				 "ON CONFLICT (case_id) DO UPDATE SET applicant_id = excluded.applicant_id, "
				 "first_name = excluded.first_name, last_name = excluded.last_name, email = excluded.email, "
				 "phone_number = excluded.phone_number, updated_at = pg_catalog.now()",
				 e, SPI_OK_INSERT);
	if (SPI_processed == 1)
	{
		SendWelcomeEmail(e->case_id);
		ReleaseParked(e->case_id);
	}
}

PG_FUNCTION_INFO_V1(kyc_notification_on_event);

/* SQL: kyc_notification.on_event(e kyc_events.event) RETURNS void */
Datum
kyc_notification_on_event(PG_FUNCTION_ARGS)
{
	Datum		event;
	Oid			event_type;
	NotifyEvent e;

	KycRequireArg(fcinfo, 0, "e");
	event = PG_GETARG_DATUM(0);
	event_type = HeapTupleHeaderGetTypeId(PG_GETARG_HEAPTUPLEHEADER(0));
	KycSpiConnect();
	KycRequireDelivery(event_type, event, fcinfo->flinfo->fn_oid, HANDLED_TOPICS);
	ReadEvent(event_type, event, &e);
	if (strncmp(e.topic, "case.", 5) == 0)
		OnCaseEvent(&e);
	else if (strncmp(e.topic, "applicant.", 10) == 0)
		OnApplicantEvent(&e);
	else
		OnDocumentRejected(&e, false);
	SPI_finish();
	PG_RETURN_VOID();
}
