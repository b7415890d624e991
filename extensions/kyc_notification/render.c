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
#include "render.h"

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

/* A NotifyLookup that collects each path into the List ** arg and renders nothing. */
static const char *
CollectVariable(void *arg, char *path, int *len)
{
	AddVariable((List **) arg, path);
	return NULL;
}

/* Check every placeholder of str and collect their paths; what names the text. */
void
NotifyScanPlaceholders(const char *str, const char *what, List **variables)
{
	StringInfoData buf;
	const char *open;

	initStringInfo(&buf);
	open = NotifyRenderPlaceholders(&buf, str, false, CollectVariable, variables);
	pfree(buf.data);
	if (open != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has a malformed placeholder at byte %d: \"%.40s\"", what,
						(int) (open - str) + 1, open),
				 errhint("A placeholder is {{name}} or {{name.field}}: letters, digits and underscores, joined by dots.")));
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

/* What JsonLookup reads: template_data, and what names the text, for errors. */
typedef struct JsonLookupArg
{
	Jsonb	   *data;
	const char *what;
} JsonLookupArg;

/* A NotifyLookup over template_data: a scalar's text, refusing anything else. */
static const char *
JsonLookup(void *arg, char *path, int *len)
{
	JsonLookupArg *lookup = arg;
	JsonbValue *value = RequireVariable(lookup->data, path, lookup->what);
	const char *str;

	switch (value->type)
	{
		case jbvNull:
			return NULL;
		case jbvString:
			*len = value->val.string.len;
			return value->val.string.val;
		case jbvNumeric:
			str = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value->val.numeric)));
			break;
		case jbvBool:
			str = value->val.boolean ? "true" : "false";
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("template_data variable \"%s\", which %s uses, is an object or array",
							path, lookup->what),
					 errhint("A placeholder in text takes a string, number or boolean: name a field inside it.")));
	}
	*len = strlen(str);
	return str;
}

/* Append str's len bytes to buf, HTML-escaped if html. */
static void
AppendEscaped(StringInfo buf, const char *str, int len, bool html)
{
	int			i;

	if (!html)
	{
		appendBinaryStringInfo(buf, str, len);
		return;
	}
	for (i = 0; i < len; i++)
	{
		switch (str[i])
		{
			case '&':
				appendStringInfoString(buf, "&amp;");
				break;
			case '<':
				appendStringInfoString(buf, "&lt;");
				break;
			case '>':
				appendStringInfoString(buf, "&gt;");
				break;
			case '"':
				appendStringInfoString(buf, "&quot;");
				break;
			case '\'':
				appendStringInfoString(buf, "&#39;");
				break;
			default:
				appendStringInfoChar(buf, str[i]);
		}
	}
}

/*
 * Append text to buf with each placeholder replaced by its value from
 * lookup, HTML-escaped if html.  Returns NULL, or the "{{" of the first
 * malformed placeholder, where it stops.
 */
const char *
NotifyRenderPlaceholders(StringInfo buf, const char *str, bool html, NotifyLookup lookup, void *arg)
{
	const char *p = str;
	const char *open;

	while ((open = strstr(p, "{{")) != NULL)
	{
		char	   *path;
		const char *end = ParsePlaceholder(open, &path);
		const char *value;
		int			len;

		if (end == NULL)
			return open;
		appendBinaryStringInfo(buf, p, open - p);
		value = lookup(arg, path, &len);
		if (value != NULL)
			AppendEscaped(buf, value, len, html);
		p = end;
	}
	appendStringInfoString(buf, p);
	return NULL;
}

/* Render str's placeholders from data; NULL stays NULL. */
char *
NotifyRenderText(const char *str, Jsonb *data, bool html, const char *what)
{
	JsonLookupArg arg = {data, what};
	StringInfoData buf;

	if (str == NULL)
		return NULL;
	initStringInfo(&buf);
	if (NotifyRenderPlaceholders(&buf, str, html, JsonLookup, &arg) != NULL)
		elog(ERROR, "%s has a malformed placeholder", what);	/* checked at insert */
	return buf.data;
}

/* The path if s is exactly one placeholder, else NULL. */
char *
NotifyWholePlaceholder(const char *s)
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
			char	   *path = NotifyWholePlaceholder(s);

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
