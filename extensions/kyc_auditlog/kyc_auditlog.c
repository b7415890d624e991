/*
 * kyc_auditlog.c
 *		Module entry point and the audit table's triggers: the row hash on
 *		insert, and refusal of every change afterwards; and the maintenance
 *		locks that sealing and partition DDL run under.
 */
#include "kyc_auditlog.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "catalog/partition.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/xid8.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

PG_MODULE_MAGIC;

static bool audit_maintenance = false;
static char *audit_seal_interval = NULL;
static char *audit_retention = NULL;

/* kyc_auditlog.verify_min_age, in seconds: see mark_verified(). */
int			audit_verify_min_age = 3600;

/* Set by mark_verified() while it runs its one permitted UPDATE. */
bool		audit_marking_verified = false;

void		_PG_init(void);

/*
 * GUC check hook: kyc_auditlog.retention must be an interval that is not
 * negative, or drop_expired_partitions() could retire this very month while
 * it is written.
 */
static bool
CheckRetention(char **newval, void **extra, GucSource source)
{
	return KycCheckIntervalGuc("kyc_auditlog.retention", *newval, "7 years");
}

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
	DefineCustomStringVariable("kyc_auditlog.retention",
							   "How long a month of audit entries is kept before drop_expired_partitions() may drop it.",
							   "An interval; the month must have ended this long ago.",
							   &audit_retention,
							   "7 years",
							   PGC_SUSET,
							   0,
							   CheckRetention, NULL, NULL);
	DefineCustomIntVariable("kyc_auditlog.verify_min_age",
							"How long before mark_verified() a digest must have been handed out.",
							"A digest made just before the check proves only that the ledger agrees with itself.",
							&audit_verify_min_age,
							3600, 0, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("kyc_auditlog");
}

static KycColumn col_id = KYC_COLUMN("id");
static KycColumn col_timestamp = KYC_COLUMN("timestamp");
static KycColumn col_xid = KYC_COLUMN("xid");
static KycColumn col_integrity_hash = KYC_COLUMN("integrity_hash");
static KycColumn col_integrity_verified = KYC_COLUMN("integrity_verified");


/*
 * The allowed values of the three listed columns, as their CHECK
 * constraints list them (the install script).  entry_hash() checks them
 * itself, in this order, so that an insert runs one trigger, not four.
 */
static KycColumn col_action = KYC_COLUMN("action");
static KycColumn col_compliance_category = KYC_COLUMN("compliance_category");
static KycColumn col_severity = KYC_COLUMN("severity");
static char *const allowed_action[] = {"Create", "Update", "Delete", "Approve", "Reject"};
static char *const allowed_compliance_category[] = {"KYC", "AML", "DataProtection", "Financial"};
static char *const allowed_severity[] = {"Low", "Medium", "High", "Critical"};

/* Raise 23514 (kyc_allowed.c) unless a text column's value is in its list; NULL is NOT NULL's to report. */
static void
CheckAllowed(Relation rel, const Datum *values, const bool *nulls, KycColumn *column,
			 char *const *allowed, int nallowed)
{
	int			attnum = KycAttnum(RelationGetDescr(rel), column);

	if (!nulls[attnum - 1])
		KycCheckAllowed(rel, column->name, TextDatumGetCString(values[attnum - 1]), allowed, nallowed);
}

/*
 * The entry's time: the clock's.  The row was routed to its month's
 * partition by the "timestamp" it came with, the column default unless the
 * table owner gave one, and a BEFORE trigger cannot move it.  So keep the
 * clock's time when it falls in the same month; keep the routed time when
 * a month boundary passed just between the default and this trigger; and
 * refuse any other time.
 */
static TimestampTz
EntryTime(Datum value, bool isnull)
{
	TimestampTz now = GetCurrentTimestamp();
	TimestampTz routed = DatumGetTimestampTz(value);

	if (isnull || TIMESTAMP_NOT_FINITE(routed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("audit entry timestamps are set by the server"),
				 errhint("Leave out the \"timestamp\" column.")));
	if (AuditMonthOf(routed) == AuditMonthOf(now))
		return now;
	if (routed <= now && now - routed <= ENTRY_TIME_SLACK)
		return routed;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("audit entry timestamps are set by the server"),
			 errdetail("The entry came with %s; the server clock reads %s.",
					   pstrdup(timestamptz_to_str(routed)), pstrdup(timestamptz_to_str(now))),
			 errhint("Leave out the \"timestamp\" column.")));
	return now;
}

/*
 * A version 4 uuid, as gen_random_uuid() makes it, from a backend-local
 * pool of strong random bytes: one pg_strong_random() call, about a
 * microsecond through OpenSSL, serves 64 ids instead of one.  No two ids
 * share bytes: each takes the next 16 and the pool is refilled when empty.
 */
static Datum
RandomUuid(void)
{
	static uint8 pool[64 * UUID_LEN];
	static int	used = sizeof(pool);
	pg_uuid_t  *uuid = palloc(sizeof(pg_uuid_t));

	if (used == sizeof(pool))
	{
		if (!pg_strong_random(pool, sizeof(pool)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate random values")));
		used = 0;
	}
	memcpy(uuid->data, pool + used, UUID_LEN);
	used += UUID_LEN;
	uuid->data[6] = (uuid->data[6] & 0x0f) | 0x40;	/* version 4 */
	uuid->data[8] = (uuid->data[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	return UUIDPGetDatum(uuid);
}

/* Set one column of a deformed row. */
static void
SetValue(TupleDesc desc, Datum *values, bool *nulls, KycColumn *column, Datum value)
{
	int			attnum = KycAttnum(desc, column);

	values[attnum - 1] = value;
	nulls[attnum - 1] = false;
}

PG_FUNCTION_INFO_V1(kyc_auditlog_entry_hash);

/*
 * Trigger: BEFORE INSERT ON audit_log_entries FOR EACH ROW.  Checks the
 * listed columns' values; then the server sets the id, the time and the
 * transaction, marks the entry unverified, and stores the SHA-256 of
 * everything as lowercase hex.  The row is deformed once and formed once.
 * No lock is taken: each row's hash depends on that row alone, so writers
 * never wait on each other; the chain is built later, by sealing.
 */
Datum
kyc_auditlog_entry_hash(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "entry_hash", true, true);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	int			time_attnum;
	uint8		digest[KYC_SHA256_LEN];
	char		hex[KYC_SHA256_HEX_LEN + 1];

	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("entry_hash() must be fired BEFORE INSERT ... FOR EACH ROW")));
	heap_deform_tuple(trigdata->tg_trigtuple, desc, values, nulls);
	CheckAllowed(rel, values, nulls, &col_action, allowed_action, lengthof(allowed_action));
	CheckAllowed(rel, values, nulls, &col_compliance_category, allowed_compliance_category,
				 lengthof(allowed_compliance_category));
	CheckAllowed(rel, values, nulls, &col_severity, allowed_severity, lengthof(allowed_severity));

	/* Only rows whose month has no partition are routed to the default one. */
	if (strcmp(RelationGetRelationName(rel), AUDIT_DEFAULT_PARTITION) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no audit partition holds the month of this entry"),
				 errdetail("Entries go to the partition of the server clock's month, and \"timestamp\" is set by the server."),
				 errhint("Leave out the \"timestamp\" column, and run kyc_auditlog.ensure_partitions(); seal() keeps months ahead.")));

	/* A server id keeps ids unique although the key must hold "timestamp". */
	SetValue(desc, values, nulls, &col_id, RandomUuid());
	time_attnum = KycAttnum(desc, &col_timestamp);
	SetValue(desc, values, nulls, &col_timestamp,
			 TimestampTzGetDatum(EntryTime(values[time_attnum - 1], nulls[time_attnum - 1])));
	SetValue(desc, values, nulls, &col_xid, FullTransactionIdGetDatum(GetTopFullTransactionId()));
	SetValue(desc, values, nulls, &col_integrity_verified, BoolGetDatum(false));

	AuditRowHashValues(desc, values, nulls, digest);
	KycHexEncode(digest, KYC_SHA256_LEN, hex);
	SetValue(desc, values, nulls, &col_integrity_hash, CStringGetTextDatum(hex));
	return PointerGetDatum(heap_form_tuple(desc, values, nulls));
}

/*
 * Whether an UPDATE is mark_verified() setting integrity_verified, and
 * changing nothing else.
 */
static bool
IsMarkingVerified(TriggerData *trigdata)
{
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	int			verified;
	bool		isnull;
	int			i;

	if (!audit_marking_verified || !TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		return false;
	verified = KycAttnum(desc, &col_integrity_verified);
	for (i = 1; i <= desc->natts; i++)
		if (i != verified && !TupleDescAttr(desc, i - 1)->attisdropped &&
			!KycAttrSame(trigdata->tg_trigtuple, trigdata->tg_newtuple, desc, i))
			return false;
	return DatumGetBool(heap_getattr(trigdata->tg_newtuple, verified, desc, &isnull)) && !isnull;
}

PG_FUNCTION_INFO_V1(kyc_auditlog_entry_immutable);

/*
 * Trigger: BEFORE UPDATE OR DELETE ... FOR EACH ROW, and BEFORE TRUNCATE
 * ... FOR EACH STATEMENT.  The audit trail is append-only, for its owner
 * too, except for mark_verified() setting integrity_verified.  A superuser
 * who disables this trigger to edit rows is caught by kyc_auditlog.verify()
 * against an earlier digest.
 */
Datum
kyc_auditlog_entry_immutable(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerData(fcinfo, "entry_immutable");
	const char *what;
	const char *table;

	if (IsMarkingVerified(trigdata))
		return PointerGetDatum(trigdata->tg_newtuple);
	what = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ? "updated" :
		TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "deleted" : "truncated";
	/* A partition's rows are the partitioned table's, by name too. */
	table = trigdata->tg_relation->rd_rel->relispartition ?
		get_rel_name(get_partition_parent(RelationGetRelid(trigdata->tg_relation), false)) :
		RelationGetRelationName(trigdata->tg_relation);

	ereport(ERROR,
			(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
			 errmsg("rows of kyc_auditlog.%s cannot be %s", table, what),
			 errdetail("The audit trail is append-only, for its owner too."),
			 errhint("Record a correction as a new entry.")));
	PG_RETURN_NULL();
}

/*
 * Take one of the maintenance locks ('seal' or 'partitions'): its row of
 * kyc_auditlog.maintenance_locks, locked FOR UPDATE until the transaction
 * ends.  Only the owner has rights on that table, so no other role can hold
 * it; the install script says why not an advisory lock or LOCK TABLE.  The
 * caller is connected to SPI and runs as the owner.
 */
void
AuditLock(const char *name)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(name);
	KycSavedPlan(&plan,
				 "SELECT l.lock_name FROM kyc_auditlog.maintenance_locks l "
				 "WHERE l.lock_name OPERATOR(pg_catalog.=) $1 FOR UPDATE", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not take the %s lock", name);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the row \"%s\" of kyc_auditlog.maintenance_locks is missing", name),
				 errdetail("Sealing and partition DDL lock the rows 'seal' and 'partitions' to run one at a time."),
				 errhint("A superuser may insert the row again.")));
}
