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

/* Entries read from the cursor at a time. */
#define FETCH_SIZE 1000

/* A block being built: its entries' stored hashes, its range and times. */
typedef struct BlockBuilder
{
	AuditBlock	block;
	uint8		(*hashes)[KYC_SHA256_LEN];	/* SEAL_BLOCK_SIZE of them */
	uint64		count;
	int			month;			/* of its entries: one month per block */
	AuditRowLayout layout;
	MemoryContext row_context;	/* reset after each entry's hash */
} BlockBuilder;

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

/*
 * The columns NextEntries() reads, by position: the hashed ones, by name
 * (AuditRowLayout), and the stored hash last.  Not the whole row as one
 * composite value, which the executor would form, flatten and copy for
 * every entry, to be deformed again.
 */
#define ENTRY_ID 1
#define ENTRY_SEQ 2
#define ENTRY_XID 3
#define ENTRY_TIMESTAMP 14
#define ENTRY_HASH 20
#define ENTRY_COLUMNS 20

/*
 * A cursor over the unsealed entries of ended transactions, in order:
 * read FETCH_SIZE at a time, so that a backlog of millions is never held
 * in memory at once.
 */
static Portal
OpenEntries(uint64 after_xid, int64 after_seq)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[3] = {XID8OID, INT8OID, XID8OID};
	Datum		values[3];

	values[0] = FullTransactionIdGetDatum(FullTransactionIdFromU64(after_xid));
	values[1] = Int64GetDatum(after_seq);
	values[2] = FullTransactionIdGetDatum(KycDatabaseHorizon());
	KycSavedPlan(&plan,
				 "SELECT e.id, e.entry_seq, e.xid, e.event_type, e.entity_type, e.entity_id, e.case_id, "
				 "  e.user_id, e.user_role, e.action, e.description, e.previous_values, e.new_values, "
				 "  e.\"timestamp\", e.ip_address, e.user_agent, e.session_id, e.severity, "
				 "  e.compliance_category, e.integrity_hash "
				 "FROM kyc_auditlog.audit_log_entries e "
				 "WHERE (e.xid, e.entry_seq) OPERATOR(pg_catalog.>) ($1, $2) "
				 "  AND e.xid OPERATOR(pg_catalog.<) $3 "
				 "ORDER BY e.xid, e.entry_seq", 3, argtypes);
	return SPI_cursor_open(NULL, plan, values, NULL, false);
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

/* Seal the block built so far, if it has entries, and start the next. */
static void
FinishBlock(BlockBuilder *b)
{
	uint8		hash[KYC_SHA256_LEN];

	if (b->count == 0)
		return;
	b->block.entries = b->count;
	b->block.sealed_at = GetCurrentTransactionStartTimestamp();
	AuditMerkleRoot(b->hashes, b->count, b->block.merkle_root);
	AuditBlockHash(&b->block, hash);
	InsertBlock(&b->block, hash);
	memcpy(b->block.prev_hash, hash, KYC_SHA256_LEN);
	b->block.block_id++;
	b->count = 0;
}

/*
 * Add an entry, deformed once, to the block being built; a full block, or
 * one of another month, is sealed first, so that retiring a month's
 * partition retires whole blocks.  Refuses an entry that does not match
 * its hash.
 */
static void
AddEntry(BlockBuilder *b, HeapTuple row, TupleDesc desc)
{
	Datum		values[ENTRY_COLUMNS];
	bool		nulls[ENTRY_COLUMNS];
	uint8		hash[KYC_SHA256_LEN];
	TimestampTz at;
	uint64		xid;
	int			month;
	MemoryContext old;
	bool		matches;

	heap_deform_tuple(row, desc, values, nulls);
	at = DatumGetTimestampTz(values[ENTRY_TIMESTAMP - 1]);
	month = AuditMonthOf(at);
	if (b->count == SEAL_BLOCK_SIZE || (b->count > 0 && month != b->month))
		FinishBlock(b);
	old = MemoryContextSwitchTo(b->row_context);
	AuditRowHashLayout(&b->layout, values, nulls, hash);
	matches = AuditStoredHash(values[ENTRY_HASH - 1], nulls[ENTRY_HASH - 1], b->hashes[b->count]) &&
		memcmp(hash, b->hashes[b->count], KYC_SHA256_LEN) == 0;
	MemoryContextSwitchTo(old);
	MemoryContextReset(b->row_context);
	if (!matches)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("audit entry %s does not match its integrity hash",
						SPI_getvalue(row, desc, ENTRY_ID)),
				 errdetail("Nothing was sealed."),
				 errhint("Run kyc_auditlog.verify() to list every problem.")));
	xid = U64FromFullTransactionId(DatumGetFullTransactionId(values[ENTRY_XID - 1]));
	if (b->count == 0)
	{
		b->month = month;
		b->block.first_xid = xid;
		b->block.first_seq = DatumGetInt64(values[ENTRY_SEQ - 1]);
		b->block.min_entry_at = at;
		b->block.max_entry_at = at;
	}
	b->block.last_xid = xid;
	b->block.last_seq = DatumGetInt64(values[ENTRY_SEQ - 1]);
	b->block.min_entry_at = Min(b->block.min_entry_at, at);
	b->block.max_entry_at = Max(b->block.max_entry_at, at);
	b->count++;
}

PG_FUNCTION_INFO_V1(kyc_auditlog_seal);

/* SQL: kyc_auditlog.seal() returns bigint: entries sealed */
Datum
kyc_auditlog_seal(PG_FUNCTION_ARGS)
{
	BlockBuilder b = {0};
	int64		total = 0;
	Portal		entries;

	KycSpiConnect();
	/* One sealing at a time, under a lock only the owner can take. */
	AuditLock("seal");
	/* Keep this month's and the next months' partitions ready. */
	AuditEnsurePartitions(2);
	if (LastBlock(&b.block, b.block.prev_hash))
		b.block.block_id++;
	else
		b.block.block_id = 1;	/* prev_hash stays all zero */
	b.hashes = palloc(SEAL_BLOCK_SIZE * KYC_SHA256_LEN);
	b.row_context = AllocSetContextCreate(CurrentMemoryContext, "kyc_auditlog seal row",
										  ALLOCSET_DEFAULT_SIZES);

	entries = OpenEntries(b.block.last_xid, b.block.last_seq);
	for (;;)
	{
		SPITupleTable *batch;
		uint64		n;
		uint64		i;

		SPI_cursor_fetch(entries, true, FETCH_SIZE);
		/* Sealing a block runs SPI too: keep this batch's own pointers. */
		batch = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		if (total == 0)
			AuditRowLayoutInit(&b.layout, batch->tupdesc);
		Assert(batch->tupdesc->natts == ENTRY_COLUMNS);
		for (i = 0; i < n; i++)
			AddEntry(&b, batch->vals[i], batch->tupdesc);
		total += n;
		SPI_freetuptable(batch);
	}
	FinishBlock(&b);
	SPI_cursor_close(entries);
	SPI_finish();
	PG_RETURN_INT64(total);
}
