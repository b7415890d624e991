/*
 * kyc_errors.c
 *		Argument checks that every SQL-callable function shares.
 *
 * pgkyc functions are not declared STRICT where a NULL is a caller mistake:
 * a STRICT function silently returns NULL, which hides the mistake.
 */
#include "kyc_common.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

/* Raise a clear error when argument argno is NULL. */
void
KycRequireArg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", argname)));
}

/* Return text argument argno as a C string, refusing NULL. */
char *
KycTextArg(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	KycRequireArg(fcinfo, argno, argname);
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/*
 * A value as an error message quotes it: at most KYC_QUOTED_MAX bytes, cut
 * at a character's end, with "..." when cut, so that a 100,000-character
 * input does not become a 100,000-character log line.
 */
char *
KycQuoted(const char *value)
{
	int			len = strlen(value);
	int			keep;

	if (len <= KYC_QUOTED_MAX)
		return pstrdup(value);
	keep = pg_mbcliplen(value, len, KYC_QUOTED_MAX);
	return psprintf("%.*s...", keep, value);
}
