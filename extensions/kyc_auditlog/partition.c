/*
 * partition.c
 *		Monthly partitions of audit_log_entries: created ahead of need, and
 *		retired whole once every entry is sealed and the month is older
 *		than kyc_auditlog.retention.  A retired month keeps its blocks, so
 *		the chain still verifies; retired_partitions records which blocks
 *		lost their rows, and the retirement is itself an audit entry.
 *
 * Months are calendar months in UTC, counted as year * 12 + month - 1.
 * Partitions are named audit_log_entries_YYYY_MM.  The DDL guard lets
 * through only the DDL these functions run, through RunInternalDdl().
 * Creation and retirement run one at a time under the 'partitions' row
 * lock of maintenance_locks.
 */
#include "kyc_auditlog.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

/* Set while this module runs its own DDL on audit objects. */
static bool internal_ddl = false;

/* The UTC calendar month of a finite timestamp. */
int
AuditMonthOf(TimestampTz ts)
{
	int64		day_number = ts / USECS_PER_DAY;
	int			year,
				month,
				day;

	if (ts % USECS_PER_DAY < 0)
		day_number--;
	j2date((int) (day_number + POSTGRES_EPOCH_JDATE), &year, &month, &day);
	return year * 12 + month - 1;
}

/* The partition name of a month. */
static char *
PartitionName(int month)
{
	return psprintf("audit_log_entries_%04d_%02d", month / 12, month % 12 + 1);
}

/* The first instant of a month, as an ISO literal that no DateStyle misreads. */
static char *
MonthStart(int month)
{
	return psprintf("%04d-%02d-01 00:00:00+00", month / 12, month % 12 + 1);
}

/* The month a partition name stands for, or -1 if it is not one of ours. */
static int
PartitionMonth(const char *name)
{
	int			year,
				month;
	char		tail;

	if (sscanf(name, "audit_log_entries_%4d_%2d%c", &year, &month, &tail) != 2 ||
		strlen(name) != strlen("audit_log_entries_YYYY_MM") || month < 1 || month > 12)
		return -1;
	return year * 12 + month - 1;
}

/* Run one statement of our own DDL past the guard. */
static void
RunInternalDdl(const char *sql)
{
	bool		was = internal_ddl;

	internal_ddl = true;
	PG_TRY();
	{
		if (SPI_execute(sql, false, 0) < 0)
			elog(ERROR, "audit partition DDL failed: %s", sql);
	}
	PG_FINALLY();
	{
		internal_ddl = was;
	}
	PG_END_TRY();
}

/* Create the partition of one month if it is missing; true if created. */
static bool
CreatePartition(Oid nsp, int month)
{
	char	   *name = PartitionName(month);
	const char *ident = quote_identifier(name);

	if (OidIsValid(get_relname_relid(name, nsp)))
		return false;
	RunInternalDdl(psprintf("CREATE TABLE kyc_auditlog.%s PARTITION OF kyc_auditlog.audit_log_entries "
							"FOR VALUES FROM ('%s') TO ('%s')",
							ident, MonthStart(month), MonthStart(month + 1)));

	/*
	 * The seed's key and indexes; see the install script on why per
	 * partition.
	 */
	RunInternalDdl(psprintf("ALTER TABLE kyc_auditlog.%s ADD PRIMARY KEY (id)", ident));
	RunInternalDdl(psprintf("CREATE INDEX %s ON kyc_auditlog.%s (xid, entry_seq)",
							quote_identifier(psprintf("%s_xid_seq_idx", name)), ident));
	RunInternalDdl(psprintf("CREATE INDEX %s ON kyc_auditlog.%s (case_id) WHERE case_id IS NOT NULL",
							quote_identifier(psprintf("%s_case_id_idx", name)), ident));
	RunInternalDdl(psprintf("CREATE INDEX %s ON kyc_auditlog.%s (entity_type, entity_id)",
							quote_identifier(psprintf("%s_entity_idx", name)), ident));
	RunInternalDdl(psprintf("CREATE INDEX %s ON kyc_auditlog.%s (\"timestamp\")",
							quote_identifier(psprintf("%s_timestamp_idx", name)), ident));
	/* Row triggers are cloned to partitions; statement triggers are not. */
	RunInternalDdl(psprintf("CREATE TRIGGER entry_not_truncated BEFORE TRUNCATE ON kyc_auditlog.%s "
							"FOR EACH STATEMENT EXECUTE FUNCTION kyc_auditlog.entry_immutable()",
							ident));
	return true;
}

/*
 * Create the partitions of this month and the next months_ahead months
 * that are missing; returns how many were created.  The caller is
 * connected to SPI.
 */
int
AuditEnsurePartitions(int months_ahead)
{
	Oid			nsp = get_namespace_oid("kyc_auditlog", false);
	int			now = AuditMonthOf(GetCurrentTimestamp());
	int			created = 0;
	int			month;

	/* Cheap when all exist: no lock, just catalog lookups. */
	for (month = now; month <= now + months_ahead; month++)
		if (!OidIsValid(get_relname_relid(PartitionName(month), nsp)))
			break;
	if (month > now + months_ahead)
		return 0;

	/* Concurrent callers would both see a partition missing. */
	AuditLock("partitions");
	/* Another caller may have created them while this one waited. */
	AcceptInvalidationMessages();
	for (month = now; month <= now + months_ahead; month++)
		if (CreatePartition(nsp, month))
			created++;
	return created;
}

PG_FUNCTION_INFO_V1(kyc_auditlog_ensure_partitions);

/* SQL: kyc_auditlog.ensure_partitions(months_ahead integer DEFAULT 2) returns integer */
Datum
kyc_auditlog_ensure_partitions(PG_FUNCTION_ARGS)
{
	int32		months_ahead;
	int			created;

	KycRequireArg(fcinfo, 0, "months_ahead");
	months_ahead = PG_GETARG_INT32(0);
	if (months_ahead < 0 || months_ahead > 120)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("months_ahead must be between 0 and 120, not %d", months_ahead)));
	KycSpiConnect();
	created = AuditEnsurePartitions(months_ahead);
	SPI_finish();
	PG_RETURN_INT32(created);
}

PG_FUNCTION_INFO_V1(kyc_auditlog_internal_ddl_running);

/* SQL: kyc_auditlog.internal_ddl() returns boolean; read by the DDL guard. */
Datum
kyc_auditlog_internal_ddl_running(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(internal_ddl);
}

PG_FUNCTION_INFO_V1(internal_ddl_running);

/*
 * The same, by its 0.1.0 name, the one unprefixed symbol kept: 0.1.0's DDL
 * guard, an event trigger, calls it on the first DDL of kyc_events' update
 * in auditlog_service, before kyc_auditlog's own update points it at the
 * prefixed name.  Kept while an update from 0.1.0 can run.
 */
Datum
internal_ddl_running(PG_FUNCTION_ARGS)
{
	return kyc_auditlog_internal_ddl_running(fcinfo);
}

/* Column column of a single-row SPI result, a bigint (0 if NULL). */
static int64
SpiInt64(int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, column, &isnull);

	return isnull ? 0 : DatumGetInt64(value);
}

/*
 * Refuse to retire a partition unless every entry in it is sealed into
 * blocks that hold nothing else and that verify cleanly.  Returns the
 * number of entries.  Not read-only: each query takes a new snapshot, so
 * it sees the months this call has already retired, whose blocks may
 * interleave with this month's.
 */
static int64
CheckRetirable(const char *ident, const char *name)
{
	int64		entries;
	int64		unsealed;
	int64		sealed;
	int64		problems;

	if (SPI_execute(psprintf("SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER ("
							 " WHERE l.last_xid IS NULL OR (e.xid, e.entry_seq) OPERATOR(pg_catalog.>) "
							 "(l.last_xid, l.last_entry)) FROM kyc_auditlog.%s e LEFT JOIN ("
							 " SELECT b.last_xid, b.last_entry FROM kyc_auditlog.blocks b"
							 " ORDER BY b.block_id DESC LIMIT 1) l ON true", ident), false, 0) != SPI_OK_SELECT)
		elog(ERROR, "partition count failed");
	entries = SpiInt64(1);
	unsealed = SpiInt64(2);
	if (unsealed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("partition %s has " INT64_FORMAT " unsealed entries", name, unsealed),
				 errhint("Run kyc_auditlog.seal() first.")));
	if (entries == 0)
		return 0;
	if (SPI_execute(psprintf("SELECT pg_catalog.sum(b.entry_count)::pg_catalog.int8 FROM kyc_auditlog.blocks b"
							 " JOIN kyc_auditlog.%s e ON (e.xid, e.entry_seq) OPERATOR(pg_catalog.=) "
							 "(b.first_xid, b.first_entry)", ident), false, 0) != SPI_OK_SELECT)
		elog(ERROR, "partition block count failed");
	sealed = SpiInt64(1);
	if (SPI_execute(psprintf("SELECT pg_catalog.count(*) FROM (SELECT pg_catalog.min(b.block_id) lo,"
							 " pg_catalog.max(b.block_id) hi FROM kyc_auditlog.blocks b"
							 " JOIN kyc_auditlog.%s e ON (e.xid, e.entry_seq) OPERATOR(pg_catalog.=) "
							 "(b.first_xid, b.first_entry)) r, kyc_auditlog.verify(NULL, r.lo, r.hi) v",
							 ident), false, 0) != SPI_OK_SELECT)
		elog(ERROR, "partition verification failed");
	problems = SpiInt64(1);
	if (sealed != entries || problems > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("partition %s does not verify, so it is kept", name),
				 errdetail("Its blocks seal " INT64_FORMAT " entries; it holds " INT64_FORMAT
						   "; verify() finds " INT64_FORMAT " problems in those blocks.",
						   sealed, entries, problems),
				 errhint("Run kyc_auditlog.verify() to list every problem.")));
	return entries;
}

/*
 * Record the retirement of a partition: its blocks in retired_partitions,
 * and a Critical audit entry naming who retired it.
 */
static void
RecordRetirement(const char *ident, const char *name, int month, int64 entries)
{
	Oid			argtypes[5] = {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, TEXTOID};
	Datum		values[5];

	values[0] = CStringGetTextDatum(name);
	values[1] = DirectFunctionCall3(timestamptz_in, CStringGetDatum(MonthStart(month)),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	values[2] = DirectFunctionCall3(timestamptz_in, CStringGetDatum(MonthStart(month + 1)),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	values[3] = Int64GetDatum(entries);
	values[4] = CStringGetTextDatum(GetConfigOptionByName("kyc_auditlog.retention", NULL, false));
	if (SPI_execute_with_args(psprintf(
									   "WITH retired AS ("
									   " INSERT INTO kyc_auditlog.retired_partitions (partition_name, month_start, month_end, blocks,"
									   "  entry_count, retention)"
									   " SELECT $1, $2, $3, coalesce(pg_catalog.range_agg(pg_catalog.int8range(b.block_id, b.block_id, '[]')),"
									   "  '{}'), $4, $5::pg_catalog.interval"
									   " FROM kyc_auditlog.blocks b JOIN kyc_auditlog.%s e"
									   "  ON (e.xid, e.entry_seq) OPERATOR(pg_catalog.=) (b.first_xid, b.first_entry)"
									   " RETURNING *)"
									   " INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id,"
									   "  user_role, action, description, previous_values, severity, compliance_category)"
									   " SELECT 'audit.retention', 'Partition', r.partition_name, session_user, current_user, 'Delete',"
									   "  pg_catalog.format('%%s entries of %%s to %%s retired after %%s; their blocks %%s remain',"
									   "   r.entry_count, r.month_start, r.month_end, r.retention, r.blocks),"
									   "  pg_catalog.to_jsonb(r), 'Critical', 'DataProtection' FROM retired r", ident),
							  5, argtypes, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record the retirement of %s", name);
}

PG_FUNCTION_INFO_V1(kyc_auditlog_drop_expired_partitions);

/*
 * SQL: kyc_auditlog.drop_expired_partitions() returns setof text
 *
 * Drops, oldest first, each partition whose month ended more than
 * kyc_auditlog.retention ago, once all its entries are sealed and verify.
 */
Datum
kyc_auditlog_drop_expired_partitions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	List	   *names = NIL;
	ListCell   *lc;
	int			cutoff;
	bool		cutoff_null;
	uint64		i;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	KycSpiConnect();
	/* Two retirements at once would both pick the same months. */
	AuditLock("partitions");
	/* The last month that ended before now() - retention. */
	if (SPI_execute("SELECT pg_catalog.now() OPERATOR(pg_catalog.-) "
					"pg_catalog.current_setting('kyc_auditlog.retention')::pg_catalog.interval",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_auditlog.retention");
	cutoff = AuditMonthOf(DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0],
															SPI_tuptable->tupdesc, 1, &cutoff_null)));
	if (SPI_execute("SELECT c.relname::pg_catalog.text FROM pg_catalog.pg_inherits i "
					"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.inhrelid "
					"WHERE i.inhparent OPERATOR(pg_catalog.=) 'kyc_auditlog.audit_log_entries'::pg_catalog.regclass "
					"ORDER BY 1", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list audit partitions");
	for (i = 0; i < SPI_processed; i++)
		names = lappend(names, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));

	foreach(lc, names)
	{
		char	   *name = lfirst(lc);
		int			month = PartitionMonth(name);
		const char *ident = quote_identifier(name);
		int64		entries;
		Datum		value;
		bool		isnull = false;

		/* Names sort by month; a month ends before the cutoff month starts. */
		if (month < 0)
			continue;
		if (month + 1 > cutoff)
			break;
		entries = CheckRetirable(ident, name);
		RecordRetirement(ident, name, month, entries);
		RunInternalDdl(psprintf("DROP TABLE kyc_auditlog.%s", ident));
		value = CStringGetTextDatum(name);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
	}
	SPI_finish();
	return (Datum) 0;
}
