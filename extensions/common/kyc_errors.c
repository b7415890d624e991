/*
 * kyc_errors.c
 *		Argument checks that every SQL-callable function shares.
 *
 * pgkyc functions are not declared STRICT where a NULL is a caller mistake:
 * a STRICT function silently returns NULL, which hides the mistake.
 */
#include "kyc_common.h"

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
