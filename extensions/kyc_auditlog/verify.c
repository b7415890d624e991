/*
 * verify.c
 *		kyc_auditlog.verify(): recompute every row hash, Merkle root and
 *		block link, and check the chain against earlier digests.
 *
 * Every query reads the caller's snapshot (read-only SPI), so the whole
 * check sees one consistent state and blocks no writer.  Every problem is
 * reported, one row each, not just the first.
 */
#include "kyc_auditlog.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"

/* A block as stored, with its stored hash. */
typedef struct StoredBlock
{
	AuditBlock	block;
	uint8		hash[KYC_SHA256_LEN];
	bool		malformed;
} StoredBlock;

/* Add a problem row (block, entry, description) to the result. */
static void
Report(ReturnSetInfo *rsinfo, int64 block_id, Datum entry_id, bool has_entry, const char *problem)
{
	Datum		values[3];
	bool		nulls[3] = {block_id == 0, !has_entry, false};

	values[0] = Int64GetDatum(block_id);
	values[1] = entry_id;
	values[2] = CStringGetTextDatum(problem);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* The blocks from..to, in order. */
static StoredBlock *
LoadBlocks(int64 from, int64 to, uint64 *count)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8OID};
	Datum		values[2] = {Int64GetDatum(from), Int64GetDatum(to)};
	StoredBlock *blocks;
	uint64		i;

	KycSavedPlan(&plan,
				 "SELECT block_id, prev_hash, merkle_root, first_xid, first_entry, "
				 "       last_xid, last_entry, entry_count, sealed_at, block_hash, "
				 "       min_entry_at, max_entry_at "
				 "FROM kyc_auditlog.blocks "
				 "WHERE block_id OPERATOR(pg_catalog.>=) $1 AND block_id OPERATOR(pg_catalog.<=) $2 "
				 "ORDER BY block_id",
				 2, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "block scan failed");
	*count = SPI_processed;
	blocks = palloc0(sizeof(StoredBlock) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		StoredBlock *b = &blocks[i];
		bool		isnull;

		b->block.block_id = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
		b->malformed = !KycHexDecodeSha256(SPI_getvalue(row, desc, 2), b->block.prev_hash) ||
			!KycHexDecodeSha256(SPI_getvalue(row, desc, 3), b->block.merkle_root) ||
			!KycHexDecodeSha256(SPI_getvalue(row, desc, 10), b->hash);
		b->block.first_xid = KycXid8Column(row, desc, 4);
		b->block.first_seq = DatumGetInt64(SPI_getbinval(row, desc, 5, &isnull));
		b->block.last_xid = KycXid8Column(row, desc, 6);
		b->block.last_seq = DatumGetInt64(SPI_getbinval(row, desc, 7, &isnull));
		b->block.entries = DatumGetInt64(SPI_getbinval(row, desc, 8, &isnull));
		b->block.sealed_at = DatumGetTimestampTz(SPI_getbinval(row, desc, 9, &isnull));
		b->block.min_entry_at = DatumGetTimestampTz(SPI_getbinval(row, desc, 11, &isnull));
		b->block.max_entry_at = DatumGetTimestampTz(SPI_getbinval(row, desc, 12, &isnull));
	}
	return blocks;
}

/*
 * The ids of blocks from..to whose month was retired, in order.  A
 * retirement counts only if it is one the retention policy allows; rows
 * in retired_partitions are not hashed, so a superuser could otherwise add
 * one to hide deleted rows.  The block's entry times, which are hashed and
 * chained, must lie in the retired month; the month must have ended the
 * recorded retention before the recorded retirement, which is in the past;
 * that retention must be no shorter than kyc_auditlog.retention is now;
 * and the partition must really be gone.  Any other retired block is
 * reported, and its rows are checked as if it were not retired.
 */
static int64 *
LoadRetired(ReturnSetInfo *rsinfo, int64 from, int64 to, uint64 *count)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8OID};
	Datum		values[2] = {Int64GetDatum(from), Int64GetDatum(to)};
	int64	   *ids;
	uint64		i;

	KycSavedPlan(&plan,
				 "SELECT b.block_id, "
				 "  (b.min_entry_at OPERATOR(pg_catalog.>=) r.month_start) "
				 "  AND (b.max_entry_at OPERATOR(pg_catalog.<) r.month_end) "
				 "  AND (r.retired_at OPERATOR(pg_catalog.<=) pg_catalog.now()) "
				 "  AND (r.month_end OPERATOR(pg_catalog.<=) (r.retired_at OPERATOR(pg_catalog.-) r.retention)) "
				 "  AND (r.retention OPERATOR(pg_catalog.>=) "
				 "       pg_catalog.current_setting('kyc_auditlog.retention')::pg_catalog.interval) "
				 "  AND pg_catalog.to_regclass('kyc_auditlog.' OPERATOR(pg_catalog.||) "
				 "      pg_catalog.quote_ident(r.partition_name)) IS NULL "
				 "FROM kyc_auditlog.blocks b JOIN kyc_auditlog.retired_partitions r "
				 "  ON r.blocks OPERATOR(pg_catalog.@>) b.block_id "
				 "WHERE b.block_id OPERATOR(pg_catalog.>=) $1 AND b.block_id OPERATOR(pg_catalog.<=) $2 "
				 "ORDER BY 1",
				 2, argtypes);

	/*
	 * Under the latest snapshot: partitions are listed from the catalog as it
	 * is now, so a month retired after this call's snapshot was taken is
	 * gone, and its blocks must count as retired, not as missing rows.
	 */
	if (KycExecuteLatest(plan, values, NULL) != SPI_OK_SELECT)
		elog(ERROR, "retired block scan failed");
	*count = 0;
	ids = palloc(sizeof(int64) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));

		if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull)))
			ids[(*count)++] = id;
		else
			Report(rsinfo, id, (Datum) 0, false,
				   "retirement outside the retention policy: its rows are checked as if it were not retired");
	}
	return ids;
}

/* Entries sort by (xid, entry_seq): the order they were sealed in. */
static inline int
KeyCmp(uint64 a_xid, int64 a_seq, uint64 b_xid, int64 b_seq)
{
	if (a_xid != b_xid)
		return a_xid < b_xid ? -1 : 1;
	if (a_seq != b_seq)
		return a_seq < b_seq ? -1 : 1;
	return 0;
}

/* The state of one verify() call. */
typedef struct Verification
{
	ReturnSetInfo *rsinfo;
	StoredBlock *blocks;
	uint64		nblocks;
	AuditEntryOrder order;		/* the entries read, for the block walk */
	MemoryContext row_context;	/* reset after each row's hash */
	uint64		between;		/* rows in the scanned range that no block
								 * holds */
} Verification;

/* The id of the block whose range holds an entry, or 0. */
static int64
BlockOf(Verification *v, uint64 xid, int64 seq)
{
	int64		lo = 0;
	int64		hi = (int64) v->nblocks - 1;

	while (lo <= hi)
	{
		int64		mid = (lo + hi) / 2;
		AuditBlock *b = &v->blocks[mid].block;

		if (KeyCmp(xid, seq, b->first_xid, b->first_seq) < 0)
			hi = mid - 1;
		else if (KeyCmp(xid, seq, b->last_xid, b->last_seq) > 0)
			lo = mid + 1;
		else
			return b->block_id;
	}
	return 0;
}

/*
 * Read one partition sequentially under the active snapshot, checking
 * each entry from lo on (to hi, if bounded) against its stored hash, and
 * queue it for the block walk.  A sequential scan with one deform per row
 * and an ordering (verify_order.c) is far cheaper than an index scan in
 * (xid, entry_seq) order.
 */
static void
ScanPartition(Verification *v, Relation table, uint64 lo_xid, int64 lo_seq,
			  bool bounded, uint64 hi_xid, int64 hi_seq)
{
	TupleDesc	desc = RelationGetDescr(table);
	TupleTableSlot *slot = table_slot_create(table, NULL);
	TableScanDesc scan = table_beginscan(table, GetActiveSnapshot(), 0, NULL);
	int			xid_att = SPI_fnumber(desc, "xid");
	int			seq_att = SPI_fnumber(desc, "entry_seq");
	int			hash_att = SPI_fnumber(desc, "integrity_hash");
	int			id_att = SPI_fnumber(desc, "id");
	AuditRowLayout layout;

	if (xid_att < 1 || seq_att < 1 || hash_att < 1 || id_att < 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("audit partition %s lacks a column verify() reads", RelationGetRelationName(table)),
				 errhint("Partitions must have the columns of kyc_auditlog.audit_log_entries.")));
	AuditRowLayoutInit(&layout, desc);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		uint64		xid;
		int64		seq;
		uint8		actual[KYC_SHA256_LEN];
		AuditEntryRecord record;
		const char *problem = NULL;
		MemoryContext old;

		slot_getallattrs(slot);
		xid = U64FromFullTransactionId(DatumGetFullTransactionId(slot->tts_values[xid_att - 1]));
		seq = DatumGetInt64(slot->tts_values[seq_att - 1]);
		if (KeyCmp(xid, seq, lo_xid, lo_seq) < 0 ||
			(bounded && KeyCmp(xid, seq, hi_xid, hi_seq) > 0))
			continue;
		old = MemoryContextSwitchTo(v->row_context);
		AuditRowHashLayout(&layout, slot->tts_values, slot->tts_isnull, actual);
		if (!AuditStoredHash(slot->tts_values[hash_att - 1], slot->tts_isnull[hash_att - 1], record.hash))
		{
			problem = "changed row: its integrity hash is malformed";
			memset(record.hash, 0, KYC_SHA256_LEN);
		}
		else if (memcmp(actual, record.hash, KYC_SHA256_LEN) != 0)
			problem = "changed row: its content does not match its integrity hash";
		MemoryContextSwitchTo(old);
		MemoryContextReset(v->row_context);
		if (problem != NULL)
			Report(v->rsinfo, BlockOf(v, xid, seq), slot->tts_values[id_att - 1], true, problem);
		record.xid = xid;
		record.seq = seq;
		AuditOrderPut(&v->order, &record);
		CHECK_FOR_INTERRUPTS();
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
}

/* Scan every partition of the entries table. */
static void
ScanEntries(Verification *v, uint64 lo_xid, int64 lo_seq, bool bounded, uint64 hi_xid, int64 hi_seq)
{
	Oid			nsp = get_namespace_oid("kyc_auditlog", false);
	Oid			parent = get_relname_relid("audit_log_entries", nsp);
	ListCell   *lc;

	foreach(lc, find_inheritance_children(parent, AccessShareLock))
	{
		Relation	table = table_open(lfirst_oid(lc), NoLock);

		ScanPartition(v, table, lo_xid, lo_seq, bounded, hi_xid, hi_seq);
		table_close(table, AccessShareLock);
	}
}

/* Leaf hashes gathered for the block being walked. */
typedef struct Leaves
{
	uint8		(*hashes)[KYC_SHA256_LEN];
	uint64		count;
	uint64		size;
} Leaves;

/* Compare a block's rows with what it sealed: their count and Merkle root. */
static void
FinishBlock(Verification *v, StoredBlock *b, bool retired, Leaves *leaves)
{
	int64		id = b->block.block_id;
	uint64		n = leaves->count;
	uint8		root[KYC_SHA256_LEN];

	leaves->count = 0;
	if (retired || b->malformed)
		return;					/* retired: its month's partition was dropped */
	if (n < (uint64) b->block.entries)
		Report(v->rsinfo, id, (Datum) 0, false,
			   psprintf("missing rows: " UINT64_FORMAT " of " INT64_FORMAT " sealed entries remain",
						n, b->block.entries));
	else if (n > (uint64) b->block.entries)
		Report(v->rsinfo, id, (Datum) 0, false,
			   psprintf("inserted rows: " UINT64_FORMAT " entries where " INT64_FORMAT " were sealed",
						n, b->block.entries));
	else
	{
		AuditMerkleRoot(leaves->hashes, n, root);
		if (memcmp(root, b->block.merkle_root, KYC_SHA256_LEN) != 0)
			Report(v->rsinfo, id, (Datum) 0, false,
				   "reordered or replaced rows: the entries do not rebuild the sealed Merkle root");
	}
}

/*
 * Walk the sorted entries alongside the blocks: each block's rows must be
 * exactly those it sealed, in order; rows between blocks are counted, rows
 * after the last are not sealed yet.
 */
static void
WalkBlocks(Verification *v, const bool *retired)
{
	Leaves		leaves = {palloc(1024 * KYC_SHA256_LEN), 0, 1024};
	uint64		i = 0;

	AuditEntryRecord record;

	AuditOrderSort(&v->order);
	while (AuditOrderNext(&v->order, &record))
	{
		uint64		xid = record.xid;
		int64		seq = record.seq;

		while (i < v->nblocks &&
			   KeyCmp(xid, seq, v->blocks[i].block.last_xid, v->blocks[i].block.last_seq) > 0)
		{
			FinishBlock(v, &v->blocks[i], retired[i], &leaves);
			i++;
		}
		if (i == v->nblocks)
			continue;			/* not sealed yet */
		if (KeyCmp(xid, seq, v->blocks[i].block.first_xid, v->blocks[i].block.first_seq) < 0)
		{
			v->between++;
			continue;
		}
		if (leaves.count == leaves.size)
		{
			leaves.size *= 2;
			leaves.hashes = repalloc_huge(leaves.hashes, leaves.size * KYC_SHA256_LEN);
		}
		memcpy(leaves.hashes[leaves.count], record.hash, KYC_SHA256_LEN);
		leaves.count++;
		CHECK_FOR_INTERRUPTS();
	}
	for (; i < v->nblocks; i++)
		FinishBlock(v, &v->blocks[i], retired[i], &leaves);
	AuditOrderEnd(&v->order);
}

/* Check each block's own hash, its link to the one before, and gaps in ids. */
static void
CheckChain(Verification *v, const uint8 *anchor)
{
	uint64		i;

	for (i = 0; i < v->nblocks; i++)
	{
		StoredBlock *b = &v->blocks[i];
		const uint8 *prev = i > 0 ? v->blocks[i - 1].hash : anchor;
		uint8		hash[KYC_SHA256_LEN];

		if (i > 0 && b->block.block_id != v->blocks[i - 1].block.block_id + 1)
			Report(v->rsinfo, b->block.block_id, (Datum) 0, false,
				   psprintf("missing blocks: the chain jumps from block " INT64_FORMAT,
							v->blocks[i - 1].block.block_id));
		if (b->malformed)
		{
			Report(v->rsinfo, b->block.block_id, (Datum) 0, false,
				   "changed block: a stored hash is malformed");
			continue;
		}
		AuditBlockHash(&b->block, hash);
		if (memcmp(hash, b->hash, KYC_SHA256_LEN) != 0)
			Report(v->rsinfo, b->block.block_id, (Datum) 0, false,
				   "changed block: its hash does not match its contents");
		if (prev != NULL && memcmp(prev, b->block.prev_hash, KYC_SHA256_LEN) != 0)
			Report(v->rsinfo, b->block.block_id, (Datum) 0, false,
				   "broken link: it does not point to the previous block's hash");
	}
}

/*
 * With a block range and digests, check block hashes and links (not rows)
 * from the range's end up to the latest digest's block: a consistent
 * rewrite of the range's blocks would otherwise pass, since only the
 * digest block's stored hash is compared with the digest.
 */
static void
CheckChainToDigests(Verification *v, Jsonb *digests, int64 to, const uint8 *anchor)
{
	bool		found;
	int64		latest = AuditLatestDigestBlock(digests, &found);
	Verification after = {0};

	if (!found || latest <= to)
		return;
	after.rsinfo = v->rsinfo;
	after.blocks = LoadBlocks(to + 1, latest, &after.nblocks);
	CheckChain(&after, v->nblocks > 0 ? v->blocks[v->nblocks - 1].hash : anchor);
}

/* The digests argument, $1, as rows d: the one digest, or each of an array of them. */
#define DIGEST_ROWS \
	"pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof($1) OPERATOR(pg_catalog.=) 'array' " \
	"  THEN $1 ELSE pg_catalog.jsonb_build_array($1) END) d"

/* The highest block a digest (or JSON array of digests) names; *found false if none. */
int64
AuditLatestDigestBlock(Jsonb *digests, bool *found)
{
	Oid			argtypes[1] = {JSONBOID};
	Datum		values[1] = {JsonbPGetDatum(digests)};
	bool		isnull;
	Datum		latest;

	if (SPI_execute_with_args("SELECT pg_catalog.max((d OPERATOR(pg_catalog.->>) 'block_id')::pg_catalog.int8) "
							  "FROM " DIGEST_ROWS,
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "digest scan failed");
	latest = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	*found = !isnull;
	return isnull ? 0 : DatumGetInt64(latest);
}

/*
 * Refuse digests that are not digest() outputs in shape, before anything is
 * read: one digest object or a non-empty JSON array of them, each with a
 * block_id (a whole number from 0) and a block_hash (64 lowercase
 * hexadecimal digits).  Without this, an empty array checked nothing and
 * passed, and a malformed hash was reported as a chain that does not
 * extend it.  The caller is connected to SPI.
 */
static void
CheckDigestShape(Jsonb *digests)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {JSONBOID};
	Datum		values[1] = {JsonbPGetDatum(digests)};
	bool		one = !JB_ROOT_IS_ARRAY(digests);
	uint64		i;

	if (JB_ROOT_IS_SCALAR(digests) || (JB_ROOT_IS_ARRAY(digests) && JB_ROOT_COUNT(digests) == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("digests must be a digest or a non-empty JSON array of digests"),
				 errhint("Pass what kyc_auditlog.digest() returned, or an array of them.")));
	KycSavedPlan(&plan,
				 "SELECT pg_catalog.jsonb_typeof(d), "
				 "  pg_catalog.jsonb_typeof(d OPERATOR(pg_catalog.->) 'block_id') OPERATOR(pg_catalog.=) 'number' "
				 "  AND (d OPERATOR(pg_catalog.->>) 'block_id') OPERATOR(pg_catalog.~) '^[0-9]{1,18}$', "
				 "  pg_catalog.jsonb_typeof(d OPERATOR(pg_catalog.->) 'block_hash') OPERATOR(pg_catalog.=) 'string' "
				 "  AND (d OPERATOR(pg_catalog.->>) 'block_hash') OPERATOR(pg_catalog.~) '^[0-9a-f]{64}$', "
				 "  d OPERATOR(pg_catalog.?) 'block_id' AND d OPERATOR(pg_catalog.?) 'block_hash' "
				 "FROM " DIGEST_ROWS,
				 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "digest check failed");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *what = one ? pstrdup("the digest") : psprintf("digests[" UINT64_FORMAT "]", i + 1);
		char	   *type = SPI_getvalue(row, desc, 1);
		bool		isnull;

		if (strcmp(type, "object") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be a digest object, not %s", what, type),
					 errhint("Pass what kyc_auditlog.digest() returned, or an array of them.")));
		if (!DatumGetBool(SPI_getbinval(row, desc, 4, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a digest must have block_id and block_hash, and %s lacks one", what),
					 errhint("Pass what kyc_auditlog.digest() returned, or an array of them.")));
		if (!DatumGetBool(SPI_getbinval(row, desc, 2, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the block_id of %s must be a block number from 0", what)));
		if (!DatumGetBool(SPI_getbinval(row, desc, 3, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the block_hash of %s must be 64 lowercase hexadecimal digits", what)));
	}
}

/* Check the chain against earlier digests: each names a block and its hash. */
static void
CheckDigests(ReturnSetInfo *rsinfo, Jsonb *digests)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {JSONBOID};
	Datum		values[1] = {JsonbPGetDatum(digests)};
	uint64		i;

	KycSavedPlan(&plan,
				 "SELECT (d OPERATOR(pg_catalog.->>) 'block_id')::pg_catalog.int8, d OPERATOR(pg_catalog.->>) 'block_hash', b.block_hash "
				 "FROM " DIGEST_ROWS " "
				 "LEFT JOIN kyc_auditlog.blocks b "
				 "  ON b.block_id OPERATOR(pg_catalog.=) (d OPERATOR(pg_catalog.->>) 'block_id')::pg_catalog.int8",
				 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "digest check failed");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		Datum		block_id = SPI_getbinval(row, desc, 1, &isnull);
		char	   *wanted = SPI_getvalue(row, desc, 2);
		char	   *have = SPI_getvalue(row, desc, 3);

		if (isnull || wanted == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a digest must have block_id and block_hash"),
					 errhint("Pass what kyc_auditlog.digest() returned, or an array of them.")));
		if (DatumGetInt64(block_id) == 0)
			continue;			/* a digest of the empty ledger: anything
								 * extends it */
		if (have == NULL)
			Report(rsinfo, DatumGetInt64(block_id), (Datum) 0, false,
				   "chain does not extend the digest: its block is missing");
		else if (strcmp(have, wanted) != 0)
			Report(rsinfo, DatumGetInt64(block_id), (Datum) 0, false,
				   "chain does not extend the digest: the block's hash differs from the digest's");
	}
}

PG_FUNCTION_INFO_V1(kyc_auditlog_verify);

/*
 * SQL: kyc_auditlog.verify(digests jsonb DEFAULT NULL, from_block bigint
 * DEFAULT NULL, to_block bigint DEFAULT NULL)
 * RETURNS TABLE (block_id bigint, entry_id uuid, problem text)
 */
Datum
kyc_auditlog_verify(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		from = PG_ARGISNULL(1) ? 1 : PG_GETARG_INT64(1);
	int64		to = PG_ARGISNULL(2) ? PG_INT64_MAX : PG_GETARG_INT64(2);
	Verification v = {0};
	uint8		anchor[KYC_SHA256_LEN] = {0};
	bool		have_anchor = true; /* block 1 links to all zeros */
	bool	   *retired;
	int64	   *retired_ids;
	uint64		nretired;
	uint64		i;
	uint64		r = 0;

	if (from < 1 || to < from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid block range " INT64_FORMAT " to " INT64_FORMAT, from, to),
				 errhint("Blocks are numbered from 1.")));
	InitMaterializedSRF(fcinfo, 0);
	KycSpiConnect();
	if (!PG_ARGISNULL(0))
		CheckDigestShape(PG_GETARG_JSONB_P(0));
	v.rsinfo = rsinfo;
	v.row_context = AllocSetContextCreate(CurrentMemoryContext, "kyc_auditlog verify row",
										  ALLOCSET_DEFAULT_SIZES);

	/* The block before the range anchors the first link. */
	if (from > 1)
	{
		uint64		n;
		StoredBlock *before = LoadBlocks(from - 1, from - 1, &n);

		have_anchor = (n == 1);
		if (have_anchor)
			memcpy(anchor, before->hash, KYC_SHA256_LEN);
	}
	v.blocks = LoadBlocks(from, to, &v.nblocks);
	retired_ids = LoadRetired(rsinfo, from, to, &nretired);
	retired = palloc0(sizeof(bool) * Max(v.nblocks, 1));
	for (i = 0; i < v.nblocks; i++)
	{
		while (r < nretired && retired_ids[r] < v.blocks[i].block.block_id)
			r++;
		retired[i] = r < nretired && retired_ids[r] == v.blocks[i].block.block_id;
	}
	CheckChain(&v, have_anchor ? anchor : NULL);
	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(2))
		CheckChainToDigests(&v, PG_GETARG_JSONB_P(0), to, have_anchor ? anchor : NULL);

	/*
	 * The entries from the range's first block on (from the very first
	 * without a from_block), to its last block's end if to_block is given,
	 * else including those not sealed yet.
	 */
	if (v.nblocks > 0 || PG_ARGISNULL(2))
	{
		StoredBlock *first = v.nblocks > 0 && !PG_ARGISNULL(1) ? &v.blocks[0] : NULL;
		StoredBlock *last = v.nblocks > 0 ? &v.blocks[v.nblocks - 1] : NULL;

		AuditOrderBegin(&v.order);
		ScanEntries(&v, first ? first->block.first_xid : 0, first ? first->block.first_seq : 0,
					!PG_ARGISNULL(2), last ? last->block.last_xid : 0, last ? last->block.last_seq : 0);
		WalkBlocks(&v, retired);
		if (v.between > 0)
			Report(rsinfo, 0, (Datum) 0, false,
				   psprintf("inserted rows: " UINT64_FORMAT " entries before the last sealed one lie in no block",
							v.between));
	}
	MemoryContextDelete(v.row_context);
	if (!PG_ARGISNULL(0))
		CheckDigests(rsinfo, PG_GETARG_JSONB_P(0));
	SPI_finish();
	return (Datum) 0;
}
