/*
 * kyc_auditlog.c
 *		Module entry point and the audit table's triggers: the row hash on
 *		insert, and refusal of every change afterwards.
 */
#include "kyc_auditlog.h"

#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/xid8.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

static bool audit_maintenance = false;
static char *audit_seal_interval = NULL;

void		_PG_init(void);

/* Define kyc_auditlog.maintenance, read by the DDL guard event trigger. */
void
_PG_init(void)
{
	DefineCustomBoolVariable("kyc_auditlog.maintenance",
							 "Allow ALTER and DROP of audit objects in this session; each is logged.",
							 "Only a superuser may set it, and the guard also checks session_user is one.",
							 &audit_maintenance,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomStringVariable("kyc_auditlog.seal_interval",
							   "How often kyc_auditlog.seal_every() seals.",
							   "make provision runs seal_every() from pg_cron every minute.",
							   &audit_seal_interval,
							   "10s",
							   PGC_SUSET,
							   0,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("kyc_auditlog");
}

static KycColumn col_timestamp = KYC_COLUMN("timestamp");
static KycColumn col_xid = KYC_COLUMN("xid");
static KycColumn col_integrity_hash = KYC_COLUMN("integrity_hash");
static KycColumn col_integrity_verified = KYC_COLUMN("integrity_verified");

/* Check a trigger function's calling convention. */
static TriggerData *
AuditTrigger(FunctionCallInfo fcinfo, const char *name)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be called as a trigger", name)));
	return (TriggerData *) fcinfo->context;
}

PG_FUNCTION_INFO_V1(entry_hash);

/*
 * Trigger: BEFORE INSERT ON audit_log_entries FOR EACH ROW.  The server
 * sets the time and the transaction, marks the entry unverified, and
 * stores the SHA-256 of everything as lowercase hex.  No lock is taken:
 * each row's hash depends on that row alone, so writers never wait on
 * each other; the chain is built later, by sealing.
 */
Datum
entry_hash(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = AuditTrigger(fcinfo, "entry_hash");
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	KycRowChanges changes = {0};
	HeapTuple	tuple;
	uint8		digest[KYC_SHA256_LEN];
	char		hex[KYC_SHA256_HEX_LEN + 1];

	if (!TRIGGER_FIRED_BEFORE(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("entry_hash() must be fired BEFORE INSERT ... FOR EACH ROW")));

	KycChangeSet(&changes, desc, &col_timestamp, TimestampTzGetDatum(GetCurrentTimestamp()), false);
	KycChangeSet(&changes, desc, &col_xid, FullTransactionIdGetDatum(GetTopFullTransactionId()), false);
	KycChangeSet(&changes, desc, &col_integrity_verified, BoolGetDatum(false), false);
	tuple = KycChangeApply(trigdata->tg_trigtuple, desc, &changes);

	AuditRowHash(tuple, desc, digest);
	KycHexEncode(digest, KYC_SHA256_LEN, hex);
	changes.count = 0;
	KycChangeSet(&changes, desc, &col_integrity_hash, CStringGetTextDatum(hex), false);
	return PointerGetDatum(KycChangeApply(tuple, desc, &changes));
}

PG_FUNCTION_INFO_V1(entry_immutable);

/*
 * Trigger: BEFORE UPDATE OR DELETE ... FOR EACH ROW, and BEFORE TRUNCATE
 * ... FOR EACH STATEMENT.  The audit trail is append-only, for its owner
 * too.  A superuser who disables this trigger to edit rows is caught by
 * kyc_auditlog.verify() against an earlier digest.
 */
Datum
entry_immutable(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = AuditTrigger(fcinfo, "entry_immutable");
	const char *what = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? "updated" :
		TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "deleted" : "truncated";

	const char *table = RelationGetRelationName(trigdata->tg_relation);

	ereport(ERROR,
			(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
			 errmsg("rows of kyc_auditlog.%s cannot be %s", table, what),
			 errdetail("The audit trail is append-only, for its owner too."),
			 errhint("Record a correction as a new entry.")));
	PG_RETURN_NULL();
}
