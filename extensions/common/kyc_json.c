/*
 * kyc_json.c
 *		Small jsonb helpers for building event payloads.
 *
 * Every payload is built as jsonb values pushed with pushJsonbValue, never
 * printed as text and parsed again: a string is then always a string,
 * whatever quotes or backslashes it holds.  A pushed string or numeric is
 * not copied until KycJsonFinish(), so it must live until then: never a
 * buffer that is reused or on the stack of a function that returns first.
 */
#include "kyc_common.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/numeric.h"
#include "utils/xid8.h"

/*
 * Turn a table row into a jsonb object keyed by column name.
 *
 * row_to_json reads the row type from the tuple header, so no expression
 * context is needed; jsonb_in then gives the canonical jsonb form of
 * PostgreSQL's own, always valid, JSON.
 */
Jsonb *
KycTupleToJsonb(HeapTuple tuple, TupleDesc tupdesc)
{
	Datum		row = heap_copy_tuple_as_datum(tuple, tupdesc);
	Datum		json = DirectFunctionCall1(row_to_json, row);

	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(text_to_cstring(DatumGetTextPP(json)))));
}

/* Push an object key; the next push is its value. */
void
KycJsonPushKey(JsonbParseState **state, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &k);
}

/* Push "key": v into an object, or v into an array when key is NULL. */
static void
PushScalar(JsonbParseState **state, const char *key, JsonbValue *v)
{
	if (key != NULL)
		KycJsonPushKey(state, key);
	pushJsonbValue(state, key != NULL ? WJB_VALUE : WJB_ELEM, v);
}

/* Push "key": value (a string, or null for NULL); no key: an array element. */
void
KycJsonPushText(JsonbParseState **state, const char *key, const char *value)
{
	JsonbValue	v;

	if (value == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = (char *) value;
		v.val.string.len = strlen(value);
	}
	PushScalar(state, key, &v);
}

/* Push "key": a numeric, keeping its scale (42.50 stays 42.50). */
void
KycJsonPushNumeric(JsonbParseState **state, const char *key, Numeric value)
{
	JsonbValue	v = {.type = jbvNumeric,.val.numeric = value};

	PushScalar(state, key, &v);
}

/*
 * Push "key": the number spelled by digits, read by numeric_in as jsonb_in
 * reads a JSON number, so that its scale is the spelling's.
 */
void
KycJsonPushDecimal(JsonbParseState **state, const char *key, const char *digits)
{
	KycJsonPushNumeric(state, key,
					   DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(digits),
														   ObjectIdGetDatum(InvalidOid),
														   Int32GetDatum(-1))));
}

/* Push "key": an integer. */
void
KycJsonPushInt64(JsonbParseState **state, const char *key, int64 value)
{
	KycJsonPushNumeric(state, key, int64_to_numeric(value));
}

/* Push "key": a finite double as printf's "%.Nf" spells it, with N decimals. */
void
KycJsonPushFloat(JsonbParseState **state, const char *key, double value, int decimals)
{
	char		digits[400];	/* DBL_MAX with %f is 309 digits before the
								 * point */

	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s is not a finite number, which JSON needs", key != NULL ? key : "a value")));
	snprintf(digits, sizeof(digits), "%.*f", decimals, value);
	KycJsonPushDecimal(state, key, digits);
}

/* Push "key": true or false. */
void
KycJsonPushBool(JsonbParseState **state, const char *key, bool value)
{
	JsonbValue	v = {.type = jbvBool,.val.boolean = value};

	PushScalar(state, key, &v);
}

/*
 * Push "key": a column of an SPI result row, read as binary: a number for
 * integer, numeric and xid8 columns (keeping a numeric's scale), true or
 * false for boolean, null for NULL, and any other type as its text.
 */
void
KycJsonPushColumn(JsonbParseState **state, const char *key, HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, column, &isnull);

	if (isnull)
	{
		KycJsonPushText(state, key, NULL);
		return;
	}
	switch (SPI_gettypeid(desc, column))
	{
		case INT2OID:
			KycJsonPushInt64(state, key, DatumGetInt16(value));
			break;
		case INT4OID:
			KycJsonPushInt64(state, key, DatumGetInt32(value));
			break;
		case INT8OID:
			KycJsonPushInt64(state, key, DatumGetInt64(value));
			break;
		case NUMERICOID:
			KycJsonPushNumeric(state, key, DatumGetNumeric(value));
			break;
		case XID8OID:
			/* Unsigned 64 bits: may not fit int64. */
			KycJsonPushDecimal(state, key,
							   psprintf(UINT64_FORMAT, U64FromFullTransactionId(DatumGetFullTransactionId(value))));
			break;
		case BOOLOID:
			KycJsonPushBool(state, key, DatumGetBool(value));
			break;
		default:
			KycJsonPushText(state, key, SPI_getvalue(row, desc, column));
			break;
	}
}

/* Open an object or array (WJB_BEGIN_OBJECT or WJB_BEGIN_ARRAY) as key's value, or as an element. */
void
KycJsonBegin(JsonbParseState **state, const char *key, JsonbIteratorToken token)
{
	if (key != NULL)
		KycJsonPushKey(state, key);
	pushJsonbValue(state, token, NULL);
}

/* Close the outermost object and return the jsonb it makes. */
Jsonb *
KycJsonFinish(JsonbParseState **state)
{
	return JsonbValueToJsonb(pushJsonbValue(state, WJB_END_OBJECT, NULL));
}

/* An empty object, {}. */
Jsonb *
KycJsonEmptyObject(void)
{
	JsonbParseState *state = NULL;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	return KycJsonFinish(&state);
}

/* Return a || b for two jsonb objects: keys of b win. */
Jsonb *
KycJsonbConcat(Jsonb *a, Jsonb *b)
{
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
											  JsonbPGetDatum(a), JsonbPGetDatum(b)));
}
