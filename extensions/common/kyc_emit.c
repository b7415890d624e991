/*
 * kyc_emit.c
 *		The outbox emit call of an extension's C triggers.
 *
 * There is exactly one implementation of emit, in kyc_events.so.  Topics
 * belong to extensions (case.* to kyc_onboarding, document.* to
 * kyc_document, ...), and the SQL function kyc_events.emit() refuses them,
 * so an extension's triggers call kyc_events.so's KycEventsEmitOwned()
 * directly, naming themselves.  The outbox insert, the security switch and
 * the one-doorbell-per-transaction state all stay in kyc_events.so.
 * KycEmit() in kyc_common.h passes the calling extension's name, which
 * pgkyc.mk sets as KYC_EXTENSION_NAME.
 */
#include "kyc_common.h"

#include "fmgr.h"

/* KycEventsEmitOwned() in kyc_events.so, found once per backend. */
static KycEmitOwnedFunc emit_owned = NULL;

/* Append one event of a topic owner owns to this database's outbox; returns its id. */
int64
KycEmitAs(const char *owner, const char *topic, const char *aggregate_id, Jsonb *payload)
{
	/* A loaded library is never unloaded, so the pointer stays valid. */
	if (emit_owned == NULL)
		emit_owned = (KycEmitOwnedFunc)
			load_external_function("$libdir/kyc_events", "KycEventsEmitOwned", true, NULL);
	return emit_owned(owner, topic, aggregate_id, payload);
}
