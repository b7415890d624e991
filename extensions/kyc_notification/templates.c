/*
 * templates.c
 *		Notification templates: checked when written, found for a
 *		notification with locale fallback, rendered with its data.
 *
 * Each channel has its parts: Email a subject and a text body, with an
 * optional HTML body; SMS a text body; Push and InApp a text body and an
 * optional title (subject); Webhook a JSON object.  A locale such as
 * de-CH falls back to de, then to en.
 */
#include "kyc_notification.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

static KycColumn col_template_id = KYC_COLUMN("template_id");
static KycColumn col_channel = KYC_COLUMN("channel");
static KycColumn col_subject = KYC_COLUMN("subject");
static KycColumn col_body_text = KYC_COLUMN("body_text");
static KycColumn col_body_html = KYC_COLUMN("body_html");
static KycColumn col_body_json = KYC_COLUMN("body_json");
static KycColumn col_variables = KYC_COLUMN("variables");
static KycColumn col_updated_at = KYC_COLUMN("updated_at");

/* Refuse a template part its channel needs but lacks, or has but cannot use. */
static void
RequirePart(const char *id, const char *channel, const char *part, bool present, bool wanted)
{
	if (present == wanted)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("template %s %s %s", id, wanted ? "lacks" : "cannot have", part),
			 errdetail("A %s template has %s.", channel,
					   strcmp(channel, "Email") == 0 ? "a subject and body_text, and may have body_html" :
					   strcmp(channel, "Webhook") == 0 ? "body_json, a JSON object, and nothing else" :
					   strcmp(channel, "SMS") == 0 ? "body_text and nothing else" :
					   "body_text, and may have a subject as its title")));
}

/* The text[] of a list of C strings. */
static Datum
TextArray(List *items)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(list_length(items), 1));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, items)
		elems[n++] = CStringGetTextDatum((char *) lfirst(lc));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(kyc_notification_template_check);

/* Trigger: BEFORE INSERT OR UPDATE ON templates FOR EACH ROW */
Datum
kyc_notification_template_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "template_check", true, true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	HeapTuple	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
	trigdata->tg_newtuple : trigdata->tg_trigtuple;
	char	   *id = KycRowText(tuple, desc, &col_template_id);
	char	   *channel = KycRowText(tuple, desc, &col_channel);
	char	   *subject = KycRowText(tuple, desc, &col_subject);
	char	   *body_text = KycRowText(tuple, desc, &col_body_text);
	char	   *body_html = KycRowText(tuple, desc, &col_body_html);
	bool		json_null;
	Datum		body_json = KycRowDatum(tuple, desc, &col_body_json, &json_null);
	bool		webhook;
	bool		email;
	List	   *variables = NIL;
	KycRowChanges changes = {0};

	/* BEFORE triggers run ahead of NOT NULL: refuse the NULLs used below. */
	if (id == NULL || channel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a template needs a template_id and a channel")));
	webhook = strcmp(channel, "Webhook") == 0;
	email = strcmp(channel, "Email") == 0;
	RequirePart(id, channel, "body_json", !json_null, webhook);
	RequirePart(id, channel, "body_text", body_text != NULL, !webhook);
	if (!email)
		RequirePart(id, channel, "body_html", body_html != NULL, false);
	if (email || webhook || strcmp(channel, "SMS") == 0)
		RequirePart(id, channel, "a subject", subject != NULL, email);
	if (webhook && !JB_ROOT_IS_OBJECT(DatumGetJsonbP(body_json)))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("template %s: body_json must be a JSON object", id)));

	if (subject)
		NotifyScanPlaceholders(subject, psprintf("template %s's subject", id), &variables);
	if (body_text)
		NotifyScanPlaceholders(body_text, psprintf("template %s's body_text", id), &variables);
	if (body_html)
		NotifyScanPlaceholders(body_html, psprintf("template %s's body_html", id), &variables);
	if (webhook)
		NotifyScanJsonPlaceholders(DatumGetJsonbP(body_json), psprintf("template %s's body_json", id),
								   &variables);
	KycChangeSet(&changes, desc, &col_variables, TextArray(variables), false);
	KycChangeSet(&changes, desc, &col_updated_at,
				 TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);
	return PointerGetDatum(KycChangeApply(tuple, desc, &changes));
}

/*
 * Refuse a rendered subject with a control character: an e-mail sender
 * puts it in a header, where CR LF from template_data would add headers
 * (Bcc: ...).
 */
static void
CheckSubject(const char *subject, const char *what)
{
	const char *p;

	if (subject == NULL)
		return;
	for (p = subject; *p; p++)
		if ((unsigned char) *p < 0x20 || *p == 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the subject %s renders holds a control character (byte 0x%02x)", what,
							(unsigned char) *p),
					 errdetail("A subject goes into a message header, where a line break would start a new header."),
					 errhint("Remove line breaks and control characters from the template_data values the subject uses.")));
}

/* Refuse a top-level key of data that no template of type uses: a misspelling. */
static void
CheckDataKeys(const char *type, Jsonb *data)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {TEXTOID, JSONBOID};
	Datum		values[2] = {CStringGetTextDatum(type), JsonbPGetDatum(data)};

	KycSavedPlan(&plan,
				 "SELECT k, (SELECT pg_catalog.string_agg(DISTINCT pg_catalog.split_part(v, '.', 1), ', ') "
				 "          FROM kyc_notification.templates t, pg_catalog.unnest(t.variables) v "
				 "          WHERE t.type OPERATOR(pg_catalog.=) $1) "
				 "FROM pg_catalog.jsonb_object_keys($2) k "
				 "WHERE NOT EXISTS (SELECT FROM kyc_notification.templates t, pg_catalog.unnest(t.variables) v "
				 "  WHERE t.type OPERATOR(pg_catalog.=) $1 "
				 "  AND pg_catalog.split_part(v, '.', 1) OPERATOR(pg_catalog.=) k) LIMIT 1",
				 2, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "template_data key check failed");
	if (SPI_processed == 1)
	{
		char	   *known = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("template_data key \"%s\" is used by no %s template",
						SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), type),
				 errhint("The %s templates use: %s.", type, known ? known : "no variables")));
	}
}

/*
 * Find the template for a notification (template_id, or type, channel and
 * locale with fallback) and render it with data into *out.  Returns false
 * if there is none.  With check_keys, a top-level key of data that no
 * template of the type uses is refused as a misspelling; the event
 * handlers pass all they know instead.  The caller is connected to SPI.
 */
bool
NotifyFindTemplate(const char *template_id, const char *type, const char *channel,
				   const char *locale, NotifyRendered *out, Jsonb *data, bool check_keys)
{
	static SPIPlanPtr by_id = NULL;
	static SPIPlanPtr by_locale = NULL;
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];
	HeapTuple	row;
	TupleDesc	desc;
	char	   *what;
	bool		isnull;
	Datum		body_json;

	if (template_id != NULL)
	{
		values[0] = CStringGetTextDatum(template_id);
		values[1] = CStringGetTextDatum(type);
		values[2] = CStringGetTextDatum(channel);
		KycSavedPlan(&by_id,
					 "SELECT template_id, subject, body_text, body_html, body_json, locale FROM kyc_notification.templates "
					 "WHERE template_id OPERATOR(pg_catalog.=) $1 AND type OPERATOR(pg_catalog.=) $2 "
					 "AND channel OPERATOR(pg_catalog.=) $3", 3, argtypes);
		if (SPI_execute_plan(by_id, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "template lookup failed");
	}
	else
	{
		values[0] = CStringGetTextDatum(type);
		values[1] = CStringGetTextDatum(channel);
		values[2] = CStringGetTextDatum(locale);
		KycSavedPlan(&by_locale,
					 "SELECT template_id, subject, body_text, body_html, body_json, locale FROM kyc_notification.templates "
					 "WHERE type OPERATOR(pg_catalog.=) $1 AND channel OPERATOR(pg_catalog.=) $2 "
					 "AND locale OPERATOR(pg_catalog.=) ANY (ARRAY[$3, pg_catalog.split_part($3, '-', 1), 'en']) "
					 "ORDER BY locale OPERATOR(pg_catalog.=) $3 DESC, "
					 "locale OPERATOR(pg_catalog.=) pg_catalog.split_part($3, '-', 1) DESC LIMIT 1",
					 3, argtypes);
		if (SPI_execute_plan(by_locale, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "template lookup failed");
	}
	if (SPI_processed != 1)
		return false;
	row = SPI_copytuple(SPI_tuptable->vals[0]);
	desc = SPI_tuptable->tupdesc;

	if (check_keys)
		CheckDataKeys(type, data);
	out->template_id = SPI_getvalue(row, desc, 1);
	out->locale = SPI_getvalue(row, desc, 6);
	what = psprintf("template %s", out->template_id);
	out->subject = NotifyRenderText(SPI_getvalue(row, desc, 2), data, false, what);
	CheckSubject(out->subject, what);
	body_json = SPI_getbinval(row, desc, 5, &isnull);
	if (!isnull)
		out->content = JsonbToCString(NULL, &NotifyRenderJson(DatumGetJsonbP(body_json), data, what)->root, 0);
	else
		out->content = NotifyRenderText(SPI_getvalue(row, desc, 3), data, false, what);
	out->content_html = NotifyRenderText(SPI_getvalue(row, desc, 4), data, true, what);
	return true;
}

PG_FUNCTION_INFO_V1(kyc_notification_render);

/* SQL: kyc_notification.render(template_id text, template_data jsonb, OUT subject, OUT content, OUT content_html) */
Datum
kyc_notification_render(PG_FUNCTION_ARGS)
{
	char	   *template_id = KycTextArg(fcinfo, 0, "template_id");
	Jsonb	   *data;
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		value;
	char	   *type;
	char	   *channel;
	NotifyRendered out;
	TupleDesc	desc;
	Datum		result[3];
	bool		nulls[3];
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext oldcxt;
	HeapTuple	tuple;

	KycRequireArg(fcinfo, 1, "template_data");
	data = PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(data) || JB_ROOT_IS_SCALAR(data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("template_data must be a JSON object")));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "render() must return a record");
	desc = BlessTupleDesc(desc);
	value = CStringGetTextDatum(template_id);
	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT type, channel FROM kyc_notification.templates "
				 "WHERE template_id OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, &value, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "template lookup failed");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("template \"%s\" does not exist", template_id)));
	type = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	channel = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	NotifyFindTemplate(template_id, type, channel, NULL, &out, data, true);
	/* The result outlives SPI's memory: build it in the caller's. */
	oldcxt = MemoryContextSwitchTo(caller);
	result[0] = out.subject ? CStringGetTextDatum(out.subject) : (Datum) 0;
	result[1] = CStringGetTextDatum(out.content);
	result[2] = out.content_html ? CStringGetTextDatum(out.content_html) : (Datum) 0;
	nulls[0] = out.subject == NULL;
	nulls[1] = false;
	nulls[2] = out.content_html == NULL;
	tuple = heap_form_tuple(desc, result, nulls);
	MemoryContextSwitchTo(oldcxt);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}
