/*
 * limits.c
 *		Size limits of the outbox.
 *
 * An event is read whole by the relay, as text and again as jsonb, by every
 * handler and every retry: one 20 MB event took a relay worker from 48 MB
 * to 341 MB.  emit() therefore refuses payloads over
 * kyc_events.max_payload_size, and the relay bounds each batch by bytes
 * (kyc_events.max_batch_bytes) as well as by count.
 *
 * The limit is on the payload's JSON text, since text is what the relay
 * fetches and holds: the binary jsonb can be far smaller.  A numeric such
 * as 1e131000 takes a few bytes as jsonb and 131 kB as text, so a cap on
 * the jsonb size let a 1 MB payload become over 100 MB on the wire.  The
 * text length is counted by walking the jsonb, not by printing it, and the
 * walk stops as soon as the count passes the limit, so checking a payload
 * costs at most the limit plus one scalar, however large its text would be.
 */
#include "kyc_events.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/* Length of a string as escape_json() writes it, quotes included. */
static Size
JsonStringTextLength(const char *s, int len)
{
	Size		total = 2;
	int			i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '\\')
			total += 2;
		else if (c < ' ')
			total += 6;			/* \u00XX */
		else
			total += 1;
	}
	return total;
}

/* Length of a scalar as jsonb_out() writes it. */
static Size
JsonScalarTextLength(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return 4;
		case jbvBool:
			return v->val.boolean ? 4 : 5;
		case jbvString:
			return JsonStringTextLength(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			{
				char	   *str = DatumGetCString(DirectFunctionCall1(numeric_out,
																	  NumericGetDatum(v->val.numeric)));
				Size		len = strlen(str);

				pfree(str);
				return len;
			}
		default:
			elog(ERROR, "unexpected jsonb scalar type %d", (int) v->type);
	}
	return 0;					/* keep the compiler quiet */
}

/*
 * Length of jsonb_out(payload), the text the relay receives, counted up to
 * just past limit: once the count exceeds limit it stops and returns it.
 * jsonb_out() writes "{", "}", "[", "]" around containers (none around a
 * raw scalar), ", " between members and ": " after keys.
 */
static Size
JsonbTextLength(Jsonb *payload, Size limit)
{
	JsonbIterator *it = JsonbIteratorInit(&payload->root);
	JsonbIteratorToken token;
	JsonbValue	v;
	Size		total = 0;

	while (total <= limit && (token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		switch (token)
		{
			case WJB_BEGIN_ARRAY:
				total += v.val.array.rawScalar ? 0 : 2;
				total += v.val.array.nElems > 0 ? 2 * (Size) (v.val.array.nElems - 1) : 0;
				break;
			case WJB_BEGIN_OBJECT:
				total += 2;
				total += v.val.object.nPairs > 0 ? 2 * (Size) (v.val.object.nPairs - 1) : 0;
				break;
			case WJB_KEY:
				total += JsonScalarTextLength(&v) + 2;
				break;
			case WJB_VALUE:
			case WJB_ELEM:
				total += JsonScalarTextLength(&v);
				break;
			default:
				break;			/* ends of containers were counted at their
								 * start */
		}
		CHECK_FOR_INTERRUPTS();
	}
	return total;
}

/*
 * Refuse a payload whose JSON text is larger than
 * kyc_events.max_payload_size, before it is stored.
 */
void
KycCheckPayloadSize(Jsonb *payload)
{
	Size		size = JsonbTextLength(payload, (Size) kyc_max_payload_size);

	if (size > (Size) kyc_max_payload_size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("event payload is too large"),
				 errdetail("As JSON text, which is what the relay receives, the payload is at least "
						   "%zu bytes (%zu as jsonb); the limit is %d bytes.",
						   size, (Size) VARSIZE_ANY_EXHDR(payload), kyc_max_payload_size),
				 errhint("Keep large content out of events and send a reference to it; "
						 "a superuser can raise kyc_events.max_payload_size.")));
}
