/*
 * fuzz_render.c
 *		Template rendering (kyc_notification/render.c).  The input is a
 *		template, then optionally a NUL byte and the text every variable
 *		holds.  A variable named null is a JSON null and one under absent
 *		is missing.
 *
 * Properties: a malformed placeholder is found at a "{{" whatever the
 * values; rendering adds exactly each value's bytes, HTML-escaped in HTML,
 * so no value adds a < > " or '; a missing variable is an error; a text
 * that is one whole placeholder renders as exactly its value.
 */
#include "fuzz.h"

#include "render.h"

/* The values every variable takes unless the input says otherwise: all five specials. */
#define DEFAULT_VALUE "<a href=\"x\">Tom & Jerry's</a>"

/* What the harness's NotifyLookup answers with, and what it saw. */
typedef struct Values
{
	const char *value;			/* every variable's value */
	bool		strict;			/* raise for a missing variable, as
								 * templates.c does */
	int			lookups;
	int			valued;			/* lookups that returned a value */
	bool		missing;		/* a variable under absent was looked up */
	char	   *last_path;
	const char *text;			/* the template, for RenderStrict() */
}			Values;

/* Whether path is one or more identifiers joined by dots, as the parser promises. */
static bool
IsDottedPath(const char *path)
{
	const char *p = path;

	for (;;)
	{
		if (!(isalpha((unsigned char) *p) || *p == '_'))
			return false;
		while (isalnum((unsigned char) *p) || *p == '_')
			p++;
		if (*p == '\0')
			return true;
		if (*p++ != '.')
			return false;
	}
}

/* The harness's NotifyLookup: see the file comment. */
static const char *
Lookup(void *arg, char *path, int *len)
{
	Values	   *v = arg;

	FUZZ_CHECK(IsDottedPath(path), "path \"%s\"", path);
	v->lookups++;
	v->last_path = path;
	if (strncmp(path, "absent", 6) == 0 && (path[6] == '\0' || path[6] == '.'))
	{
		v->missing = true;
		if (v->strict)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("template_data has no variable \"%s\"", path)));
		return NULL;
	}
	if (strcmp(path, "null") == 0)
		return NULL;
	v->valued++;
	*len = strlen(v->value);
	return v->value;
}

/* Render text into a fresh buffer; *open gets NotifyRenderPlaceholders()'s answer. */
static StringInfo
Render(const char *text, bool html, Values * v, const char **open)
{
	StringInfo	buf = makeStringInfo();

	*open = NotifyRenderPlaceholders(buf, text, html, Lookup, v);
	return buf;
}

/* How many times c occurs in s. */
static int
Count(const char *s, char c)
{
	int			n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* The length of s HTML-escaped as render.c escapes it. */
static size_t
EscapedLength(const char *s)
{
	size_t		n = 0;

	for (; *s; s++)
		n += *s == '&' ? 5 : *s == '<' || *s == '>' ? 4 : *s == '"' ? 6 : *s == '\'' ? 5 : 1;
	return n;
}

/* FuzzTry's step: a strict render, which must raise for a missing variable. */
static void
RenderStrict(void *arg)
{
	Values	   *v = arg;
	const char *open;

	Render(v->text, false, v, &open);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char	   *text = FuzzText(data, nul ? (size_t) (nul - data) : size);
	char	   *value = nul ? FuzzText(nul + 1, size - (nul - data) - 1) : NULL;
	Values		empty = {""};
	Values		plain = {value ? value : DEFAULT_VALUE};
	Values		html = plain;
	Values		strict = {plain.value, true};
	const char *open_literal;
	const char *open_plain;
	const char *open_html;
	StringInfo	literal = Render(text, false, &empty, &open_literal);
	StringInfo	out_plain = Render(text, false, &plain, &open_plain);
	StringInfo	out_html = Render(text, true, &html, &open_html);
	char	   *whole = NotifyWholePlaceholder(text);
	size_t		vlen = strlen(plain.value);
	const char *specials = "<>\"'";
	const char *c;

	FUZZ_CHECK(open_literal == open_plain && open_plain == open_html, "malformed placeholder moves with values");
	if (open_plain != NULL)
	{
		FUZZ_CHECK(open_plain >= text &&strncmp(open_plain, "{{", 2) == 0, "malformed at \"%.10s\"", open_plain);
		FUZZ_CHECK(whole == NULL, "a malformed text is a whole placeholder");
		FuzzFreeAll();
		return 0;
	}
	FUZZ_CHECK(out_plain->len == literal->len + plain.valued * vlen, "plain: %d bytes", out_plain->len);
	FUZZ_CHECK(out_html->len == literal->len + html.valued * EscapedLength(plain.value), "html: %d bytes", out_html->len);
	for (c = specials; *c; c++)
		FUZZ_CHECK(Count(out_html->data, *c) == Count(literal->data, *c), "a value added a %c in HTML", *c);
	strict.text = text;

	FUZZ_CHECK(FuzzTry(RenderStrict, &strict) == !plain.missing, "strict render: %s",
			   plain.missing ? "no error for a missing variable" : FuzzErrorMessage());
	if (whole != NULL)
	{
		FUZZ_CHECK(plain.lookups == 1 && strcmp(whole, plain.last_path) == 0, "whole placeholder \"%s\"", whole);
		FUZZ_CHECK(strcmp(out_plain->data, plain.valued ? plain.value : "") == 0,
				   "whole placeholder renders as \"%s\"", out_plain->data);
	}
	FuzzFreeAll();
	return 0;
}
