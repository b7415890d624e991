/*
 * delivery.c
 *		What the relay is delivering right now, so a handler can refuse
 *		any other call.
 *
 * A handler such as kyc_auditlog.record_event() writes what an event says:
 * an audit entry, a completed checklist item.  Called directly with a
 * hand-made kyc_events.event it would write whatever its caller invents,
 * so it first calls kyc_events.require_delivery(), which passes only while
 * the relay (worker, relay_once() or replay_dead_letter()) is calling that
 * very handler with that very event, of a topic the handler handles.  The
 * relay marks the call with KycDeliveryBegin() and KycDeliveryEnd(); no SQL
 * can set that state.
 */
#include "kyc_events.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/regproc.h"

/* The handler the relay is calling and the event it passed, if any. */
static Oid	delivering_handler = InvalidOid;
static HeapTupleHeader delivering_event = NULL;

/* The relay is about to call handler with event (a kyc_events.event). */
void
KycDeliveryBegin(Oid handler, Datum event)
{
	delivering_handler = handler;
	delivering_event = DatumGetHeapTupleHeader(event);
}

/* The handler returned or failed. */
void
KycDeliveryEnd(void)
{
	delivering_handler = InvalidOid;
	delivering_event = NULL;
}

/* Attribute attno of a kyc_events.event value, which has no NULL identity fields. */
static Datum
EventField(HeapTupleHeader event, int attno)
{
	bool		isnull;
	Datum		value = GetAttributeByNum(event, attno, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the event passed to a handler lacks its source, id, xid or topic")));
	return value;
}

/* Whether a and b are the same event: same source, id and xid. */
static bool
SameEvent(HeapTupleHeader a, HeapTupleHeader b)
{
	return DatumGetInt64(EventField(a, 2)) == DatumGetInt64(EventField(b, 2)) &&
		DatumGetUInt64(EventField(a, 3)) == DatumGetUInt64(EventField(b, 3)) &&
		strcmp(TextDatumGetCString(EventField(a, 1)), TextDatumGetCString(EventField(b, 1))) == 0;
}

/* Whether topic is one of the texts in topics. */
static bool
TopicListed(const char *topic, ArrayType *topics)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	deconstruct_array(topics, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
		if (!nulls[i] && strcmp(TextDatumGetCString(elems[i]), topic) == 0)
			return true;
	return false;
}

PG_FUNCTION_INFO_V1(kyc_events_require_delivery);

/* SQL: kyc_events.require_delivery(e kyc_events.event, handler regprocedure, topics text[]) */
Datum
kyc_events_require_delivery(PG_FUNCTION_ARGS)
{
	HeapTupleHeader event;
	Oid			handler;
	char	   *handler_name;
	char	   *topic;

	KycRequireArg(fcinfo, 0, "event");
	KycRequireArg(fcinfo, 1, "handler");
	KycRequireArg(fcinfo, 2, "topics");
	event = PG_GETARG_HEAPTUPLEHEADER(0);
	handler = PG_GETARG_OID(1);
	handler_name = format_procedure(handler);

	if (delivering_event == NULL || delivering_handler != handler)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s runs only when the relay delivers an event to it", handler_name),
				 errdetail("No subscription with this handler is being applied."),
				 errhint("Subscribe it with kyc_events.subscribe(); it cannot be called directly.")));
	if (!SameEvent(event, delivering_event))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s was passed an event the relay is not delivering", handler_name),
				 errdetail("The relay is delivering event " INT64_FORMAT " of %s.",
						   DatumGetInt64(EventField(delivering_event, 2)),
						   TextDatumGetCString(EventField(delivering_event, 1)))));

	topic = TextDatumGetCString(EventField(event, 4));
	if (!TopicListed(topic, PG_GETARG_ARRAYTYPE_P(2)))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s does not handle event topic \"%s\"", handler_name, topic),
				 errdetail("It handles %s.", OidOutputFunctionCall(F_ARRAY_OUT, PG_GETARG_DATUM(2))),
				 errhint("Subscribe it to those topics only.")));
	PG_RETURN_VOID();
}
