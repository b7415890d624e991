/*
 * render.c
 *		{{placeholder}} rendering, in C, from a notification's template_data.
 *
 * A placeholder is {{path}}, spaces allowed inside the braces, where path
 * is one or more names joined by dots: {{case.case_id}} reads
 * template_data->'case'->'case_id'.  A variable that template_data lacks
 * is an error that names it, so no message goes out with a hole in it.  A
 * present JSON null renders as nothing.  In HTML, values are escaped; in a
 * Webhook's JSON body, a string that is exactly one placeholder takes the
 * value with its JSON type, and any other string has values spliced in.
 */
#include "kyc_notification.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/* Length of the identifier at p: [A-Za-z_][A-Za-z0-9_]*, or 0. */
static size_t
IdentLength(const char *p)
{
	size_t		n = 0;

	if (!(isalpha((unsigned char) p[0]) || p[0] == '_'))
		return 0;
	while (isalnum((unsigned char) p[n]) || p[n] == '_')
		n++;
	return n;
}

/*
 * Parse the placeholder opening at *p ("{{"): set *path (palloc'd) and
 * return the byte after its "}}", or NULL if it is malformed.
 */
static const char *
ParsePlaceholder(const char *p, char **path)
{
	const char *start;
	size_t		n;

	p += 2;
	p += strspn(p, " ");
	start = p;
	for (;;)
	{
		if ((n = IdentLength(p)) == 0)
			return NULL;
		p += n;
		if (*p != '.')
			break;
		p++;
	}
	*path = pnstrdup(start, p - start);
	p += strspn(p, " ");
	return strncmp(p, "}}", 2) == 0 ? p + 2 : NULL;
}

/* Append path to *variables unless it is there. */
static void
AddVariable(List **variables, char *path)
{
	ListCell   *lc;

	foreach(lc, *variables)
		if (strcmp((char *) lfirst(lc), path) == 0)
			return;
	*variables = lappend(*variables, path);
}

/* Check every placeholder of text and collect their paths; what names the text. */
void
NotifyScanPlaceholders(const char *text, const char *what, List **variables)
{
	const char *p = text;
	const char *open;

	while ((open = strstr(p, "{{")) != NULL)
	{
		char	   *path;
		const char *end = ParsePlaceholder(open, &path);

		if (end == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has a malformed placeholder at byte %d: \"%.40s\"", what,
							(int) (open - text) + 1, open),
					 errhint("A placeholder is {{name}} or {{name.field}}: letters, digits and underscores, joined by dots.")));
		AddVariable(variables, path);
		p = end;
	}
}

/* Collect the placeholders of every string of a Webhook's JSON body. */
void
NotifyScanJsonPlaceholders(Jsonb *body, const char *what, List **variables)
{
	JsonbIterator *it = JsonbIteratorInit(&body->root);
	JsonbValue	v;
	JsonbIteratorToken token;

	while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if (v.type != jbvString || (token != WJB_VALUE && token != WJB_ELEM && token != WJB_KEY))
			continue;
		if (token == WJB_KEY)
		{
			if (strstr(pnstrdup(v.val.string.val, v.val.string.len), "{{") != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s has a placeholder in a key: \"%.*s\"", what,
								v.val.string.len, v.val.string.val),
						 errhint("Placeholders go in string values; keys are fixed.")));
			continue;
		}
		NotifyScanPlaceholders(pnstrdup(v.val.string.val, v.val.string.len), what, variables);
	}
}

/* The value at a dotted path of data, or NULL if a name along it is missing. */
static JsonbValue *
LookupPath(Jsonb *data, const char *path)
{
	JsonbContainer *container = &data->root;
	JsonbValue *value = NULL;
	const char *p = path;

	for (;;)
	{
		size_t		len = strcspn(p, ".");

		if (!JsonContainerIsObject(container))
			return NULL;
		value = getKeyJsonValueFromContainer(container, p, len, NULL);
		if (value == NULL)
			return NULL;
		p += len;
		if (*p == '\0')
			return value;
		p++;
		if (value->type != jbvBinary)
			return NULL;
		container = value->val.binary.data;
	}
}

/* The value of path in data, refusing a missing variable by name. */
static JsonbValue *
RequireVariable(Jsonb *data, const char *path, const char *what)
{
	JsonbValue *value = LookupPath(data, path);

	if (value == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("template_data has no variable \"%s\", which %s uses", path, what),
				 errdetail("A notification is never sent with a hole in it."),
				 errhint("Add \"%s\" to template_data (a JSON null renders as nothing).", path)));
	return value;
}

/* Append a scalar's text to buf, HTML-escaped if html. */
static void
AppendScalar(StringInfo buf, JsonbValue *value, const char *path, const char *what, bool html)
{
	const char *text;
	int			len;
	int			i;

	switch (value->type)
	{
		case jbvNull:
			return;
		case jbvString:
			text = value->val.string.val;
			len = value->val.string.len;
			break;
		case jbvNumeric:
			text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value->val.numeric)));
			len = strlen(text);
			break;
		case jbvBool:
			text = value->val.boolean ? "true" : "false";
			len = strlen(text);
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("template_data variable \"%s\", which %s uses, is an object or array", path, what),
					 errhint("A placeholder in text takes a string, number or boolean: name a field inside it.")));
	}
	if (!html)
	{
		appendBinaryStringInfo(buf, text, len);
		return;
	}
	for (i = 0; i < len; i++)
	{
		switch (text[i])
		{
			case '&': appendStringInfoString(buf, "&amp;"); break;
			case '<': appendStringInfoString(buf, "&lt;"); break;
			case '>': appendStringInfoString(buf, "&gt;"); break;
			case '"': appendStringInfoString(buf, "&quot;"); break;
			case '\'': appendStringInfoString(buf, "&#39;"); break;
			default: appendStringInfoChar(buf, text[i]);
		}
	}
}

/* Render text's placeholders from data; NULL stays NULL. */
char *
NotifyRenderText(const char *text, Jsonb *data, bool html, const char *what)
{
	StringInfoData buf;
	const char *p = text;
	const char *open;

	if (text == NULL)
		return NULL;
	initStringInfo(&buf);
	while ((open = strstr(p, "{{")) != NULL)
	{
		char	   *path;
		const char *end = ParsePlaceholder(open, &path);

		if (end == NULL)
			elog(ERROR, "%s has a malformed placeholder", what);	/* checked at insert */
		appendBinaryStringInfo(&buf, p, open - p);
		AppendScalar(&buf, RequireVariable(data, path, what), path, what, html);
		p = end;
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/* The path if s is exactly one placeholder, else NULL. */
static char *
WholePlaceholder(const char *s)
{
	char	   *path;
	const char *end;

	if (strncmp(s, "{{", 2) != 0 || (end = ParsePlaceholder(s, &path)) == NULL || *end != '\0')
		return NULL;
	return path;
}

/* Render a Webhook's JSON body: each string value rendered, keys kept. */
Jsonb *
NotifyRenderJson(Jsonb *body, Jsonb *data, const char *what)
{
	JsonbIterator *it = JsonbIteratorInit(&body->root);
	JsonbParseState *state = NULL;
	JsonbValue *result = NULL;
	JsonbValue	v;
	JsonbIteratorToken token;

	while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if ((token == WJB_VALUE || token == WJB_ELEM) && v.type == jbvString)
		{
			char	   *s = pnstrdup(v.val.string.val, v.val.string.len);
			char	   *path = WholePlaceholder(s);

			if (path != NULL)
			{
				result = pushJsonbValue(&state, token, RequireVariable(data, path, what));
				continue;
			}
			s = NotifyRenderText(s, data, false, what);
			v.val.string.val = s;
			v.val.string.len = strlen(s);
		}
		result = pushJsonbValue(&state, token, token < WJB_BEGIN_ARRAY ? &v : NULL);
	}
	return JsonbValueToJsonb(result);
}
