/*
 * enqueue.c
 *		enqueue(): check a notification, render it from its template and
 *		queue it, once per idempotency key.
 *
 * The message is rendered here, not at claim(), so a template error (a
 * missing variable) reaches the caller that can fix it, and what a sender
 * receives is exactly what was checked.  A Webhook goes only to its
 * partner's registered URL, and only the event handler queues one: the
 * partner's secret signs it (CheckCallerRequest()).
 */
#include "kyc_notification.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* Refuse a text argument longer than max bytes, or blank. */
static void
CheckText(const char *value, const char *name, size_t max)
{
	if (value == NULL)
		return;
	if (value[strspn(value, " \t\r\n")] == '\0' || strlen(value) > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is %s", name, NotifyClip(value, 64), strlen(value) > max ? "too long" : "blank"),
				 errdetail("%s takes 1 to %zu bytes, not only spaces.", name, max)));
}

/* Refuse a value of name that is not one of allowed. */
static void
CheckOneOf(const char *value, const char *name, const char *allowed)
{
	char	   *list = pstrdup(allowed);
	char	   *item;
	char	   *save;

	for (item = strtok_r(list, ", ", &save); item; item = strtok_r(NULL, ", ", &save))
		if (strcmp(item, value) == 0)
			return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s \"%s\" is not allowed", name, value),
			 errhint("Use one of: %s.", allowed)));
}

/* Refuse a type that is not a PascalCase word such as StatusUpdate. */
static void
CheckType(const char *type)
{
	size_t		len = strlen(type);
	size_t		alnum = strspn(type, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

	if (len == 0 || len > 50 || alnum != len || type[0] < 'A' || type[0] > 'Z')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("type \"%s\" is not a notification type", type),
				 errhint("A type is a PascalCase word such as Welcome, StatusUpdate, DocumentRequest or DecisionMade.")));
}

/* Refuse a locale that is not language[-REGION], such as de or de-CH. */
static void
CheckLocaleArg(const char *locale)
{
	if (!NotifyLocaleValid(locale))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("locale \"%s\" is not a locale", NotifyClip(locale, 64)),
				 errhint("A locale is a language, optionally with a region: en, de, de-CH.")));
}

/* The id of the notification with this idempotency key, or NULL. */
static char *
ExistingId(const char *key)
{
	static SPIPlanPtr plan = NULL;

	return NotifyLookupText(&plan, "SELECT id FROM kyc_notification.notifications "
							"WHERE idempotency_key OPERATOR(pg_catalog.=) $1", key);
}

/*
 * The partner's webhook URL and locale (*url NULL if none), and whether it
 * has a secret; false if the partner has no row.
 */
static bool
PartnerSettings(const char *partner_id, char **url, char **locale, bool *has_secret)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = CStringGetTextDatum(partner_id);

	KycSavedPlan(&plan, "SELECT webhook_url, locale, webhook_secret IS NOT NULL "
				 "FROM kyc_notification.partners WHERE partner_id OPERATOR(pg_catalog.=) $1",
				 1, argtypes);
	if (SPI_execute_plan(plan, &value, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "partner lookup failed");
	if (SPI_processed != 1)
		return false;
	*url = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	*locale = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	*has_secret = strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3), "t") == 0;
	return true;
}

/* A Webhook's recipient: its partner's registered URL, once it can be signed. */
static const char *
WebhookRecipient(const char *partner_id, const char *recipient, const char *url, bool known,
				 bool has_secret)
{
	if (partner_id == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a Webhook notification needs a partner_id"),
				 errdetail("A webhook goes to its partner's registered URL, signed with the partner's secret.")));
	if (!known || url == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("partner \"%s\" has no webhook URL", partner_id),
				 errhint("Register it with kyc_notification.set_partner(partner_id, webhook_url, locale).")));
	if (!has_secret)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("partner \"%s\" has no webhook secret", partner_id),
				 errhint("Give it one with kyc_notification.rotate_webhook_secret(partner_id).")));
	if (recipient != NULL && strcmp(recipient, url) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recipient \"%s\" is not partner \"%s\"'s webhook URL", recipient, partner_id),
				 errdetail("Webhooks go only to the URL registered for the partner: %s.", url),
				 errhint("Pass NULL as the recipient, or change the URL with set_partner().")));
	return url;
}

/* Insert the rendered notification unless its key exists; returns its id as text. */
static char *
InsertNotification(NotifyRequest *req, NotifyRendered *msg, const char *recipient,
				   const char *locale)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[15] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
	TEXTOID, TEXTOID, TEXTOID, JSONBOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, BOOLOID};
	Datum		values[15];
	char		nulls[15];
	const char *texts[10] = {req->type, req->channel, recipient, msg->subject, msg->content,
	msg->content_html, req->priority, req->case_id, req->partner_id, msg->template_id};
	bool		later = !req->scheduled_null &&
	DatumGetTimestampTz(req->scheduled_at) > GetCurrentTransactionStartTimestamp();
	int			i;

	for (i = 0; i < 10; i++)
	{
		values[i] = texts[i] ? CStringGetTextDatum(texts[i]) : (Datum) 0;
		nulls[i] = texts[i] ? ' ' : 'n';
	}
	values[10] = JsonbPGetDatum(req->template_data);
	nulls[10] = ' ';
	values[11] = req->scheduled_at;
	nulls[11] = req->scheduled_null ? 'n' : ' ';
	values[12] = req->idempotency_key ? CStringGetTextDatum(req->idempotency_key) : (Datum) 0;
	nulls[12] = req->idempotency_key ? ' ' : 'n';
	values[13] = CStringGetTextDatum(locale);
	nulls[13] = ' ';
	values[14] = BoolGetDatum(later);
	nulls[14] = ' ';
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_notification.notifications (type, channel, recipient, subject, content, "
				 "content_html, priority, case_id, partner_id, template_id, template_data, scheduled_at, "
				 "idempotency_key, locale, status, next_attempt_at) "
				 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
				 "CASE WHEN $15 THEN 'Scheduled' ELSE 'Pending' END, "
				 "COALESCE($12, pg_catalog.now())) "
				 "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
				 15, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "notification insert failed");
	if (SPI_processed == 1)
		return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	/* A concurrent enqueue with the same key committed first. */
	return ExistingId(req->idempotency_key);
}

/*
 * What only the event handler may queue: webhooks, whose bodies the
 * partner's secret signs (a caller's template_data would be a forged event
 * signed as genuine), and keys in the handler's namespace (a caller taking
 * one first would make the event's notification a no-op).
 */
static void
CheckCallerRequest(NotifyRequest *req)
{
	if (strcmp(req->channel, "Webhook") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("webhooks are queued only from the workflow's events"),
				 errdetail("A webhook is signed with its partner's secret: a body from enqueue()'s caller would be signed as a genuine event."),
				 errhint("make provision subscribes kyc_notification.on_event() to the events that send webhooks.")));
	if (req->idempotency_key &&
		strncmp(req->idempotency_key, NOTIFY_EVENT_KEY_PREFIX, strlen(NOTIFY_EVENT_KEY_PREFIX)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("idempotency_key \"%s\" is in the event handler's namespace", NotifyClip(req->idempotency_key, 64)),
				 errhint("Keys that start with \"%s\" belong to notifications queued from events.",
						 NOTIFY_EVENT_KEY_PREFIX)));
}

/* Queue one notification (see the file comment); returns its uuid. */
Datum
NotifyEnqueue(NotifyRequest *req)
{
	char	   *existing;
	char	   *url = NULL;
	char	   *partner_locale = NULL;
	bool		has_secret = false;
	bool		known = false;
	const char *recipient = req->recipient;
	const char *locale;
	NotifyRendered msg;
	char	   *id;
	Datum		result;

	CheckType(req->type);
	NotifyCheckChannel(req->channel);
	CheckOneOf(req->priority, "priority", "Low, Medium, High, Critical");
	if (!JB_ROOT_IS_OBJECT(req->template_data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("template_data must be a JSON object"),
				 errhint("Pass the template's variables as an object, such as {\"case\": {\"case_id\": \"KYC-1\"}}.")));
	CheckText(req->idempotency_key, "idempotency_key", 200);
	if (req->from_caller)
		CheckCallerRequest(req);
	CheckText(req->case_id, "case_id", 40);
	CheckText(req->partner_id, "partner_id", 100);
	CheckText(req->template_id, "template_id", 100);
	if (req->locale)
		CheckLocaleArg(req->locale);

	KycSpiConnect();
	if (req->idempotency_key && (existing = ExistingId(req->idempotency_key)) != NULL)
	{
		result = SPI_datumTransfer(DirectFunctionCall1(uuid_in, CStringGetDatum(existing)), false, 16);
		SPI_finish();
		return result;
	}
	if (req->partner_id)
		known = PartnerSettings(req->partner_id, &url, &partner_locale, &has_secret);
	if (strcmp(req->channel, "Webhook") == 0)
		recipient = WebhookRecipient(req->partner_id, recipient, url, known, has_secret);
	else if (recipient == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("recipient must not be null for channel %s", req->channel)));
	NotifyCheckRecipient(req->channel, recipient);
	if (!req->scheduled_null && TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(req->scheduled_at)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scheduled_at must be a finite time"),
				 errhint("Pass NULL to send at once, or the time to send it.")));

	locale = req->locale ? req->locale : partner_locale ? partner_locale : notify_default_locale;
	if (!NotifyFindTemplate(req->template_id, req->type, req->channel, locale, &msg, req->template_data,
							req->from_caller))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 req->template_id ?
				 errmsg("template \"%s\" does not exist for type %s and channel %s", req->template_id,
						req->type, req->channel) :
				 errmsg("no template for type %s, channel %s and locale %s", req->type, req->channel, locale),
				 errhint("Add one to kyc_notification.templates (a locale such as de-CH falls back to de, then en).")));
	id = InsertNotification(req, &msg, recipient, msg.locale);
	result = SPI_datumTransfer(DirectFunctionCall1(uuid_in, CStringGetDatum(id)), false, 16);
	SPI_finish();
	return result;
}

/* The text argument argno as a C string, or NULL. */
static char *
OptionalText(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

PG_FUNCTION_INFO_V1(kyc_notification_enqueue);

/*
 * SQL: kyc_notification.enqueue(type, channel, recipient, template_id,
 * template_data, priority, case_id, partner_id, scheduled_at,
 * idempotency_key, locale) RETURNS uuid
 */
Datum
kyc_notification_enqueue(PG_FUNCTION_ARGS)
{
	NotifyRequest req;

	req.type = KycTextArg(fcinfo, 0, "type");
	req.channel = KycTextArg(fcinfo, 1, "channel");
	req.recipient = OptionalText(fcinfo, 2);
	req.template_id = OptionalText(fcinfo, 3);
	KycRequireArg(fcinfo, 4, "template_data");
	req.template_data = PG_GETARG_JSONB_P(4);
	req.priority = KycTextArg(fcinfo, 5, "priority");
	req.case_id = OptionalText(fcinfo, 6);
	req.partner_id = OptionalText(fcinfo, 7);
	req.scheduled_null = PG_ARGISNULL(8);
	req.scheduled_at = req.scheduled_null ? (Datum) 0 : PG_GETARG_DATUM(8);
	req.idempotency_key = OptionalText(fcinfo, 9);
	req.locale = OptionalText(fcinfo, 10);
	req.from_caller = true;
	PG_RETURN_DATUM(NotifyEnqueue(&req));
}
