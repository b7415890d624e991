/*
 * seal.c
 *		kyc_auditlog.seal(): Merkle-sealed, hash-chained blocks of entries.
 *
 * Entries are sealed in (xid, entry_seq) order, and only those of
 * transactions below this database's horizon (KycDatabaseHorizon(): the
 * snapshot's xmin, less the transactions of other databases): every such
 * transaction has ended, so no entry can later appear before the sealed
 * ones, and each block covers a contiguous range.  Writers are never blocked; sealings
 * run one at a time under the 'seal' row lock of maintenance_locks.
 */
#include "kyc_auditlog.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"

/* Most entries in one block. */
#define SEAL_BLOCK_SIZE 10000

/* The last block's id, hash and last entry; false if there is none. */
static bool
LastBlock(AuditBlock *last, uint8 *hash)
{
	HeapTuple	row;
	TupleDesc	desc;
	bool		isnull;

	if (SPI_execute("SELECT block_id, block_hash, last_xid, last_entry "
					"FROM kyc_auditlog.blocks ORDER BY block_id DESC LIMIT 1", false, 1) != SPI_OK_SELECT)
		elog(ERROR, "block lookup failed");
	if (SPI_processed == 0)
		return false;
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	last->block_id = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
	if (!KycHexDecodeSha256(SPI_getvalue(row, desc, 2), hash))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("block " INT64_FORMAT " has a malformed hash", last->block_id)));
	last->last_xid = KycXid8Column(row, desc, 3);
	last->last_seq = DatumGetInt64(SPI_getbinval(row, desc, 4, &isnull));
	return true;
}

/* Fetch the next unsealed entries of ended transactions, in order. */
static uint64
NextEntries(uint64 after_xid, int64 after_seq)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[4] = {XID8OID, INT8OID, INT4OID, XID8OID};
	Datum		values[4];

	values[0] = FullTransactionIdGetDatum(FullTransactionIdFromU64(after_xid));
	values[1] = Int64GetDatum(after_seq);
	values[2] = Int32GetDatum(SEAL_BLOCK_SIZE);
	values[3] = FullTransactionIdGetDatum(KycDatabaseHorizon());
	KycSavedPlan(&plan,
				 "SELECT e, e.integrity_hash, e.xid, e.entry_seq, e.id, e.\"timestamp\" "
				 "FROM kyc_auditlog.audit_log_entries e "
				 "WHERE (e.xid, e.entry_seq) OPERATOR(pg_catalog.>) ($1, $2) "
				 "  AND e.xid OPERATOR(pg_catalog.<) $4 "
				 "ORDER BY e.xid, e.entry_seq LIMIT $3", 4, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "entry scan failed");
	return SPI_processed;
}

/* Store a block. */
static void
InsertBlock(const AuditBlock *block, const uint8 *hash)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[12] = {INT8OID, TEXTOID, TEXTOID, XID8OID, INT8OID, XID8OID, INT8OID,
	INT8OID, TIMESTAMPTZOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		values[12];
	char		prev[KYC_SHA256_HEX_LEN + 1];
	char		root[KYC_SHA256_HEX_LEN + 1];
	char		self[KYC_SHA256_HEX_LEN + 1];

	KycHexEncode(block->prev_hash, KYC_SHA256_LEN, prev);
	KycHexEncode(block->merkle_root, KYC_SHA256_LEN, root);
	KycHexEncode(hash, KYC_SHA256_LEN, self);
	values[0] = Int64GetDatum(block->block_id);
	values[1] = CStringGetTextDatum(prev);
	values[2] = CStringGetTextDatum(root);
	values[3] = FullTransactionIdGetDatum(FullTransactionIdFromU64(block->first_xid));
	values[4] = Int64GetDatum(block->first_seq);
	values[5] = FullTransactionIdGetDatum(FullTransactionIdFromU64(block->last_xid));
	values[6] = Int64GetDatum(block->last_seq);
	values[7] = Int64GetDatum(block->entries);
	values[8] = TimestampTzGetDatum(block->sealed_at);
	values[9] = CStringGetTextDatum(self);
	values[10] = TimestampTzGetDatum(block->min_entry_at);
	values[11] = TimestampTzGetDatum(block->max_entry_at);
	KycSavedPlan(&plan,
				 "INSERT INTO kyc_auditlog.blocks (block_id, prev_hash, merkle_root, first_xid, "
				 "first_entry, last_xid, last_entry, entry_count, sealed_at, block_hash, "
				 "min_entry_at, max_entry_at) "
				 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)", 12, argtypes);
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "block insert failed");
}

/*
 * How many of the first n entries of the current SPI result lie in the
 * month of the first: a block never spans two months, so that retiring a
 * month's partition retires whole blocks.
 */
static uint64
SameMonthPrefix(uint64 n)
{
	TupleDesc	desc = SPI_tuptable->tupdesc;
	bool		isnull;
	int			month = AuditMonthOf(DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0], desc, 6, &isnull)));
	uint64		i;

	for (i = 1; i < n; i++)
		if (AuditMonthOf(DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[i], desc, 6, &isnull))) != month)
			return i;
	return n;
}

/*
 * Seal one block from the first entries of the current SPI result, those
 * of one month; returns how many.  Refuses entries that do not match their
 * hash.
 */
static uint64
SealBlock(AuditBlock *block, uint64 n)
{
	uint8		(*hashes)[KYC_SHA256_LEN];
	uint8		hash[KYC_SHA256_LEN];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	uint64		i;
	bool		isnull;
	MemoryContext row_context;

	n = SameMonthPrefix(n);
	hashes = palloc(n * KYC_SHA256_LEN);
	/* Each row's encoding is freed before the next: blocks are 10,000 rows. */
	row_context = AllocSetContextCreate(CurrentMemoryContext, "kyc_auditlog seal row",
										ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < n; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		MemoryContext old = MemoryContextSwitchTo(row_context);
		bool		matches;

		AuditCompositeHash(SPI_getbinval(row, desc, 1, &isnull), hash);
		matches = KycHexDecodeSha256(SPI_getvalue(row, desc, 2), hashes[i]) &&
			memcmp(hash, hashes[i], KYC_SHA256_LEN) == 0;
		MemoryContextSwitchTo(old);
		MemoryContextReset(row_context);
		if (!matches)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("audit entry %s does not match its integrity hash",
							SPI_getvalue(row, desc, 5)),
					 errdetail("Nothing was sealed."),
					 errhint("Run kyc_auditlog.verify() to list every problem.")));
	}
	MemoryContextDelete(row_context);
	block->first_xid = KycXid8Column(SPI_tuptable->vals[0], desc, 3);
	block->first_seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], desc, 4, &isnull));
	block->last_xid = KycXid8Column(SPI_tuptable->vals[n - 1], desc, 3);
	block->last_seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[n - 1], desc, 4, &isnull));
	block->entries = n;
	block->sealed_at = GetCurrentTransactionStartTimestamp();
	block->min_entry_at = DT_NOEND;
	block->max_entry_at = DT_NOBEGIN;
	for (i = 0; i < n; i++)
	{
		TimestampTz at = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[i], desc, 6, &isnull));

		block->min_entry_at = Min(block->min_entry_at, at);
		block->max_entry_at = Max(block->max_entry_at, at);
	}
	AuditMerkleRoot(hashes, n, block->merkle_root);
	AuditBlockHash(block, hash);
	InsertBlock(block, hash);
	memcpy(block->prev_hash, hash, KYC_SHA256_LEN);
	pfree(hashes);
	return n;
}

PG_FUNCTION_INFO_V1(kyc_auditlog_seal);

/* SQL: kyc_auditlog.seal() returns bigint: entries sealed */
Datum
kyc_auditlog_seal(PG_FUNCTION_ARGS)
{
	AuditBlock	block = {0};
	int64		total = 0;
	uint64		n;

	KycSpiConnect();
	/* One sealing at a time, under a lock only the owner can take. */
	AuditLock("seal");
	/* Keep this month's and the next months' partitions ready. */
	AuditEnsurePartitions(2);
	if (LastBlock(&block, block.prev_hash))
		block.block_id++;
	else
		block.block_id = 1;		/* prev_hash stays all zero */

	while ((n = NextEntries(block.last_xid, block.last_seq)) > 0)
	{
		SPITupleTable *batch = SPI_tuptable;
		uint64		sealed = SealBlock(&block, n);

		/* The batch's rows are done with; a long backlog must not pile up. */
		SPI_freetuptable(batch);

		total += sealed;
		if (sealed == n && n < SEAL_BLOCK_SIZE)
			break;
		block.block_id++;
	}
	SPI_finish();
	PG_RETURN_INT64(total);
}
