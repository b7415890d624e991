/*
 * limits.c
 *		Size limits of the outbox.
 *
 * An event is read whole by the relay, as text and again as jsonb, by every
 * handler and every retry: one 20 MB event took a relay worker from 48 MB
 * to 341 MB.  emit() therefore refuses payloads over
 * kyc_events.max_payload_size, and the relay bounds each batch by bytes
 * (kyc_events.max_batch_bytes) as well as by count.
 */
#include "kyc_events.h"

/* Refuse a payload larger than kyc_events.max_payload_size, before it is stored. */
void
KycCheckPayloadSize(Jsonb *payload)
{
	Size		size = VARSIZE_ANY_EXHDR(payload);

	if (size > (Size) kyc_max_payload_size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("event payload is too large"),
				 errdetail("The payload is %zu bytes; the limit is %d bytes.",
						   size, kyc_max_payload_size),
				 errhint("Keep large content out of events and send a reference to it; "
						 "a superuser can raise kyc_events.max_payload_size.")));
}
