/*
 * kyc_json.c
 *		Small jsonb helpers for building event payloads.
 */
#include "kyc_common.h"

#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/json.h"

/*
 * Turn a table row into a jsonb object keyed by column name.
 *
 * row_to_json reads the row type from the tuple header, so no expression
 * context is needed; jsonb_in then gives the canonical jsonb form.
 */
Jsonb *
KycTupleToJsonb(HeapTuple tuple, TupleDesc tupdesc)
{
	Datum		row = heap_copy_tuple_as_datum(tuple, tupdesc);
	Datum		json = DirectFunctionCall1(row_to_json, row);
	char	   *str = text_to_cstring(DatumGetTextPP(json));

	return KycJsonbFromCString(str);
}

/* Parse a JSON document into jsonb. */
Jsonb *
KycJsonbFromCString(const char *json)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
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

/* Push "key": value into an object, or value into an array when key is NULL. */
void
KycJsonPushText(JsonbParseState **state, const char *key, const char *value)
{
	JsonbValue	v;

	if (key != NULL)
		KycJsonPushKey(state, key);
	if (value == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = (char *) value;
		v.val.string.len = strlen(value);
	}
	pushJsonbValue(state, key != NULL ? WJB_VALUE : WJB_ELEM, &v);
}

/* Return a || b for two jsonb objects: keys of b win. */
Jsonb *
KycJsonbConcat(Jsonb *a, Jsonb *b)
{
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
											  JsonbPGetDatum(a), JsonbPGetDatum(b)));
}
