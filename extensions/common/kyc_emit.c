/*
 * kyc_emit.c
 *		The outbox emit call, for extensions other than kyc_events.
 *
 * There is exactly one implementation of emit: kyc_events.emit().  Other
 * extensions call it through the function manager, so the outbox insert,
 * the security switch and the one-doorbell-per-transaction state all live
 * in kyc_events.so and are never duplicated.
 */
#include "kyc_common.h"

#include "utils/builtins.h"

#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

static Oid	emit_oid = InvalidOid;
static FmgrInfo emit_flinfo;
static bool emit_callback_registered = false;

/* Forget the cached function whenever pg_proc changes (DROP/CREATE EXTENSION). */
static void
InvalidateEmitFunction(Datum arg, int cacheid, uint32 hashvalue)
{
	emit_oid = InvalidOid;
}

/* Find kyc_events.emit(text, text, jsonb) and cache its call info. */
static void
LookupEmitFunction(void)
{
	Oid			argtypes[3] = {TEXTOID, TEXTOID, JSONBOID};
	List	   *name = list_make2(makeString("kyc_events"), makeString("emit"));
	Oid			oid;

	if (!emit_callback_registered)
	{
		CacheRegisterSyscacheCallback(PROCOID, InvalidateEmitFunction, (Datum) 0);
		emit_callback_registered = true;
	}
	oid = LookupFuncName(name, 3, argtypes, true);
	if (!OidIsValid(oid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function kyc_events.emit(text, text, jsonb) does not exist"),
				 errhint("Install the kyc_events extension in this database.")));
	fmgr_info_cxt(oid, &emit_flinfo, TopMemoryContext);
	emit_oid = oid;
}

/* Append one event to this database's outbox; returns the outbox id. */
int64
KycEmit(const char *topic, const char *aggregate_id, Jsonb *payload)
{
	Datum		id;

	if (!OidIsValid(emit_oid))
		LookupEmitFunction();
	id = FunctionCall3(&emit_flinfo,
					   CStringGetTextDatum(topic),
					   CStringGetTextDatum(aggregate_id),
					   JsonbPGetDatum(payload));
	return DatumGetInt64(id);
}
