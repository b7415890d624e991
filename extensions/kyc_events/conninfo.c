/*
 * conninfo.c
 *		Source connection strings: checked when a subscription is made, and
 *		shown with their secrets masked.
 *
 * Both go through libpq's own parser, PQconninfoParse(), so what is checked
 * and masked is exactly what libpq will use: key=value pairs with any
 * quoting, and URIs, where a password may sit in the authority
 * (postgresql://user:secret@host/db) or in a percent-encoded parameter
 * (?pass%77ord=secret).  Regular expressions over the text miss some of
 * these; the parser does not.
 */
#include "relay.h"
#include "parse.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

/* Parse conninfo with libpq; NULL with *error set (palloc'd) if it cannot. */
static PQconninfoOption *
ParseConninfo(const char *conninfo, char **error)
{
	char	   *message = NULL;
	PQconninfoOption *options = PQconninfoParse(conninfo, &message);

	*error = NULL;
	if (options == NULL)
	{
		*error = message ? pchomp(message) : pstrdup("out of memory");
		if (message)
			PQfreemem(message);
	}
	return options;
}

/*
 * Whether libpq parses conninfo and it sets something (else libpq would
 * connect wherever the server's environment points): false with *error
 * set (palloc'd) if libpq cannot parse it, false with *error NULL if it
 * sets nothing.
 */
bool
RelayConninfoUsable(const char *conninfo, char **error)
{
	PQconninfoOption *options = ParseConninfo(conninfo, error);
	PQconninfoOption *option;
	bool		any = false;

	if (options == NULL)
		return false;
	for (option = options; option->keyword != NULL; option++)
		any |= option->val != NULL;
	PQconninfoFree(options);
	return any;
}

/* Refuse a source that RelayConninfoUsable() refuses. */
void
RelayCheckConninfo(const char *conninfo)
{
	char	   *error;

	if (RelayConninfoUsable(conninfo, &error))
		return;
	if (error != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid source connection string"),
				 errdetail_internal("%s", error),
				 errhint("Use a libpq connection string, such as 'service=onboarding' or "
						 "'host=db1 dbname=onboarding user=kyc_relay'.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("source connection string \"%s\" sets nothing", conninfo),
			 errhint("Name the source database, such as 'service=onboarding' or "
					 "'host=db1 dbname=onboarding user=kyc_relay'.")));
}

/* Append a conninfo value, quoted when libpq would otherwise misread it. */
static void
AppendConninfoValue(StringInfo buf, const char *value)
{
	const char *p;
	bool		quote = value[0] == '\0';

	for (p = value; *p && !quote; p++)
		quote = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
			*p == '\f' || *p == '\v' || *p == '\'' || *p == '\\';
	if (!quote)
	{
		appendStringInfoString(buf, value);
		return;
	}
	appendStringInfoChar(buf, '\'');
	for (p = value; *p; p++)
	{
		if (*p == '\'' || *p == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, *p);
	}
	appendStringInfoChar(buf, '\'');
}

/* True when a dbname value is itself a connection string, which could hold secrets. */
static bool
IsConnectionString(const char *value)
{
	return strchr(value, '=') != NULL || strncmp(value, "postgresql://", 13) == 0 ||
		strncmp(value, "postgres://", 11) == 0;
}

/*
 * conninfo as keyword=value pairs, with the value of every option libpq
 * treats as secret (dispchar "*": password, sslpassword) masked; NULL if
 * libpq cannot parse it.  A dbname that is itself a connection string
 * (libpq expands the first one) is masked in turn, and so is one nested in
 * it, down to MASKED_CONNINFO_DEPTH: libpq would not expand those, but they
 * still hold whatever secrets were written into them.  Deeper ones are
 * hidden whole, since each level quotes the one inside it and so may
 * double its length: "dbname=dbname=...postgresql://h/d" would otherwise
 * show as text exponentially longer than itself.  depth is conninfo's.
 */
static char *
MaskConninfo(const char *conninfo, int depth)
{
	char	   *error;
	PQconninfoOption *volatile options = ParseConninfo(conninfo, &error);
	StringInfoData buf;

	if (options == NULL)
		return NULL;
	initStringInfo(&buf);
	PG_TRY();
	{
		PQconninfoOption *option;

		for (option = options; option->keyword != NULL; option++)
		{
			const char *value = option->val;

			if (value == NULL)
				continue;
			if (strchr(option->dispchar, '*') != NULL)
				value = MASKED_SECRET;
			else if (strcmp(option->keyword, "dbname") == 0 && IsConnectionString(value))
			{
				if (depth >= MASKED_CONNINFO_DEPTH)
					value = NESTED_CONNINFO;
				else if ((value = MaskConninfo(value, depth + 1)) == NULL)
					value = UNPARSABLE_CONNINFO;
			}
			if (buf.len > 0)
				appendStringInfoChar(&buf, ' ');
			appendStringInfo(&buf, "%s=", option->keyword);
			AppendConninfoValue(&buf, value);
		}
	}
	PG_FINALLY();
	{
		PQconninfoFree(options);
	}
	PG_END_TRY();
	return buf.data;
}

/* conninfo with its secrets masked (MaskConninfo()); NULL if libpq cannot parse it. */
char *
RelayMaskConninfo(const char *conninfo)
{
	return MaskConninfo(conninfo, 0);
}

PG_FUNCTION_INFO_V1(kyc_events_masked_conninfo);

/*
 * SQL: kyc_events.masked_conninfo(conninfo text) returns text, for the
 * subscriptions view: the connection string with secrets masked, or
 * "(unparsable conninfo)".
 */
Datum
kyc_events_masked_conninfo(PG_FUNCTION_ARGS)
{
	char	   *masked = RelayMaskConninfo(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	PG_RETURN_TEXT_P(cstring_to_text(masked ? masked : UNPARSABLE_CONNINFO));
}
