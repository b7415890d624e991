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

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/nbtree.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "access/relscan.h"
#include "access/table.h"
#include "catalog/partition.h"
#include "catalog/pg_inherits.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/relcache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
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
				 "SELECT block_id, prev_hash, merkle_root, first_xid::pg_catalog.text, first_entry, "
				 "       last_xid::pg_catalog.text, last_entry, entry_count, sealed_at, block_hash "
				 "FROM kyc_auditlog.blocks WHERE block_id BETWEEN $1 AND $2 ORDER BY block_id",
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
		b->malformed = !AuditHexDecode(SPI_getvalue(row, desc, 2), b->block.prev_hash) ||
			!AuditHexDecode(SPI_getvalue(row, desc, 3), b->block.merkle_root) ||
			!AuditHexDecode(SPI_getvalue(row, desc, 10), b->hash);
		b->block.first_xid = AuditParseXid8(SPI_getvalue(row, desc, 4));
		b->block.first_seq = DatumGetInt64(SPI_getbinval(row, desc, 5, &isnull));
		b->block.last_xid = AuditParseXid8(SPI_getvalue(row, desc, 6));
		b->block.last_seq = DatumGetInt64(SPI_getbinval(row, desc, 7, &isnull));
		b->block.entries = DatumGetInt64(SPI_getbinval(row, desc, 8, &isnull));
		b->block.sealed_at = DatumGetTimestampTz(SPI_getbinval(row, desc, 9, &isnull));
	}
	return blocks;
}

/* The ids of blocks from..to whose month was retired, in order. */
static int64 *
LoadRetired(int64 from, int64 to, uint64 *count)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {INT8OID, INT8OID};
	Datum		values[2] = {Int64GetDatum(from), Int64GetDatum(to)};
	int64	   *ids;
	uint64		i;

	KycSavedPlan(&plan,
				 "SELECT b.block_id FROM kyc_auditlog.blocks b WHERE b.block_id BETWEEN $1 AND $2 "
				 "AND EXISTS (SELECT FROM kyc_auditlog.retired_partitions r "
				 "            WHERE r.blocks OPERATOR(pg_catalog.@>) b.block_id) ORDER BY 1",
				 2, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "retired block scan failed");
	*count = SPI_processed;
	ids = palloc(sizeof(int64) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	}
	return ids;
}

/* Decode a stored integrity_hash (varchar) without an output function call. */
static bool
StoredHash(Datum value, bool isnull, uint8 *out)
{
	text	   *t;
	char		hex[KYC_SHA256_HEX_LEN + 1];

	if (isnull)
		return false;
	t = DatumGetTextPP(value);
	if (VARSIZE_ANY_EXHDR(t) != KYC_SHA256_HEX_LEN)
		return false;
	memcpy(hex, VARDATA_ANY(t), KYC_SHA256_HEX_LEN);
	hex[KYC_SHA256_HEX_LEN] = '\0';
	return AuditHexDecode(hex, out);
}

/* One partition of the entries table and its (xid, entry_seq) index. */
typedef struct EntryPartition
{
	Relation	table;
	Relation	index;
	TupleTableSlot *slot;
	int			xid_att;
	int			seq_att;
	int			hash_att;
	int			id_att;
} EntryPartition;

/* Every partition of the entries table, opened for index scans. */
typedef struct EntryScan
{
	int			count;
	EntryPartition *parts;
	MemoryContext row_context;	/* reset after each row's hash */
} EntryScan;

/* The table's valid btree index on exactly (xid, entry_seq), opened, or NULL. */
static Relation
OrderIndex(Relation table, int xid_att, int seq_att)
{
	ListCell   *lc;

	foreach(lc, RelationGetIndexList(table))
	{
		Relation	index = index_open(lfirst_oid(lc), AccessShareLock);
		Form_pg_index form = index->rd_index;

		if (index->rd_rel->relam == BTREE_AM_OID && form->indisvalid && form->indnkeyatts == 2 &&
			form->indkey.values[0] == xid_att && form->indkey.values[1] == seq_att &&
			RelationGetIndexPredicate(index) == NIL)
			return index;
		index_close(index, AccessShareLock);
	}
	return NULL;
}

/*
 * Open every partition of the entries table with its (xid, entry_seq)
 * index; a partition without one (made by hand) is read sequentially.
 */
static void
OpenEntries(EntryScan *es)
{
	Oid			nsp = get_namespace_oid("kyc_auditlog", false);
	Oid			parent = get_relname_relid("audit_log_entries", nsp);
	List	   *children = find_inheritance_children(parent, AccessShareLock);
	ListCell   *lc;

	es->count = 0;
	es->parts = palloc0(sizeof(EntryPartition) * Max(list_length(children), 1));
	es->row_context = AllocSetContextCreate(CurrentMemoryContext, "kyc_auditlog verify row",
											ALLOCSET_DEFAULT_SIZES);
	foreach(lc, children)
	{
		EntryPartition *p = &es->parts[es->count++];
		TupleDesc	desc;

		p->table = table_open(lfirst_oid(lc), NoLock);
		p->slot = table_slot_create(p->table, NULL);
		desc = RelationGetDescr(p->table);
		p->xid_att = SPI_fnumber(desc, "xid");
		p->seq_att = SPI_fnumber(desc, "entry_seq");
		p->index = OrderIndex(p->table, p->xid_att, p->seq_att);
		p->hash_att = SPI_fnumber(desc, "integrity_hash");
		p->id_att = SPI_fnumber(desc, "id");
	}
}

/* Close what OpenEntries opened. */
static void
CloseEntries(EntryScan *es)
{
	int			i;

	for (i = 0; i < es->count; i++)
	{
		ExecDropSingleTupleTableSlot(es->parts[i].slot);
		if (es->parts[i].index != NULL)
			index_close(es->parts[i].index, AccessShareLock);
		table_close(es->parts[i].table, AccessShareLock);
	}
	MemoryContextDelete(es->row_context);
}

/* Leaf hashes collected from a range of entries. */
typedef struct Leaves
{
	uint8		(*hashes)[KYC_SHA256_LEN];
	uint64		count;
	uint64		size;
} Leaves;

/*
 * Check the entries of one partition from (from_xid, from_seq) to (to_xid,
 * to_seq) inclusive, or, when to_xid is 0, every entry after (from_xid,
 * from_seq), in (xid, entry_seq) order, each against its stored hash;
 * append their stored hashes to leaves.  Reads the index and heap directly
 * under the active snapshot, with no SPI or per-row executor work.
 */
static void
CheckPartition(ReturnSetInfo *rsinfo, EntryScan *es, EntryPartition *p, int64 block_id,
			   uint64 from_xid, int64 from_seq, uint64 to_xid, int64 to_seq, Leaves *leaves)
{
	ScanKeyData keys[2];
	int			nkeys = 1;
	IndexScanDesc scan = NULL;
	TableScanDesc heap_scan = NULL;
	uint8		actual[KYC_SHA256_LEN];
	TupleDesc	desc = RelationGetDescr(p->table);
	TupleTableSlot *slot = p->slot;

	ScanKeyInit(&keys[0], 1, BTGreaterEqualStrategyNumber, F_XID8GE,
				FullTransactionIdGetDatum(FullTransactionIdFromU64(from_xid)));
	if (to_xid != 0)
	{
		ScanKeyInit(&keys[1], 1, BTLessEqualStrategyNumber, F_XID8LE,
					FullTransactionIdGetDatum(FullTransactionIdFromU64(to_xid)));
		nkeys = 2;
	}
	if (p->index != NULL)
	{
		scan = index_beginscan(p->table, p->index, GetActiveSnapshot(), nkeys, 0);
		index_rescan(scan, keys, nkeys, NULL, 0);
	}
	else
		heap_scan = table_beginscan(p->table, GetActiveSnapshot(), 0, NULL);
	while (scan != NULL ? index_getnext_slot(scan, ForwardScanDirection, slot) :
		   table_scan_getnextslot(heap_scan, ForwardScanDirection, slot))
	{
		bool		shouldfree;
		HeapTuple	tuple;
		uint64		xid;
		int64		seq;
		uint8	   *stored;
		MemoryContext old;

		slot_getallattrs(slot);
		xid = U64FromFullTransactionId(DatumGetFullTransactionId(slot->tts_values[p->xid_att - 1]));
		seq = DatumGetInt64(slot->tts_values[p->seq_att - 1]);
		if (xid < from_xid || (xid == from_xid && (to_xid != 0 ? seq < from_seq : seq <= from_seq)))
			continue;
		if (to_xid != 0 && (xid > to_xid || (xid == to_xid && seq > to_seq)))
		{
			if (scan != NULL)
				break;			/* the index returns the rest in order */
			continue;
		}
		if (leaves->count == leaves->size)
		{
			leaves->size *= 2;
			leaves->hashes = repalloc_huge(leaves->hashes, leaves->size * KYC_SHA256_LEN);
		}
		stored = leaves->hashes[leaves->count++];
		old = MemoryContextSwitchTo(es->row_context);
		tuple = ExecFetchSlotHeapTuple(slot, false, &shouldfree);
		AuditRowHash(tuple, desc, actual);
		if (!StoredHash(slot->tts_values[p->hash_att - 1], slot->tts_isnull[p->hash_att - 1], stored))
		{
			Report(rsinfo, block_id, slot->tts_values[p->id_att - 1], true,
				   "changed row: its integrity hash is malformed");
			memset(stored, 0, KYC_SHA256_LEN);
		}
		else if (memcmp(actual, stored, KYC_SHA256_LEN) != 0)
			Report(rsinfo, block_id, slot->tts_values[p->id_att - 1], true,
				   "changed row: its content does not match its integrity hash");
		MemoryContextSwitchTo(old);
		MemoryContextReset(es->row_context);
		CHECK_FOR_INTERRUPTS();
	}
	if (scan != NULL)
		index_endscan(scan);
	else
		table_endscan(heap_scan);
}

/*
 * Check every entry in a range, in every partition; returns the stored
 * hashes, the Merkle leaves the block was sealed over.  A sealed block
 * lies in one month, so its entries come from one partition, in order.
 */
static Leaves
CheckEntries(ReturnSetInfo *rsinfo, EntryScan *es, int64 block_id,
			 uint64 from_xid, int64 from_seq, uint64 to_xid, int64 to_seq, uint64 expected)
{
	Leaves		leaves;
	int			i;

	leaves.size = Max(expected, 1024);
	leaves.count = 0;
	leaves.hashes = palloc_extended(leaves.size * KYC_SHA256_LEN, MCXT_ALLOC_HUGE);
	for (i = 0; i < es->count; i++)
		CheckPartition(rsinfo, es, &es->parts[i], block_id, from_xid, from_seq, to_xid, to_seq, &leaves);
	return leaves;
}

/*
 * Check one block: its hash, its link, and, unless its month was retired,
 * its rows, their count and Merkle root.  Returns how many rows lie in its
 * range.
 */
static uint64
CheckBlock(ReturnSetInfo *rsinfo, EntryScan *es, StoredBlock *b, const uint8 *prev_hash, bool retired)
{
	uint8		hash[KYC_SHA256_LEN];
	uint8		root[KYC_SHA256_LEN];
	Leaves		leaves;
	uint64		n;
	int64		id = b->block.block_id;

	if (b->malformed)
	{
		Report(rsinfo, id, (Datum) 0, false, "changed block: a stored hash is malformed");
		return 0;
	}
	AuditBlockHash(&b->block, hash);
	if (memcmp(hash, b->hash, KYC_SHA256_LEN) != 0)
		Report(rsinfo, id, (Datum) 0, false, "changed block: its hash does not match its contents");
	if (prev_hash != NULL && memcmp(prev_hash, b->block.prev_hash, KYC_SHA256_LEN) != 0)
		Report(rsinfo, id, (Datum) 0, false, "broken link: it does not point to the previous block's hash");

	if (retired)
		return 0;				/* its month's partition was dropped by retention */
	leaves = CheckEntries(rsinfo, es, id, b->block.first_xid, b->block.first_seq,
						  b->block.last_xid, b->block.last_seq, b->block.entries);
	n = leaves.count;
	if (n < (uint64) b->block.entries)
		Report(rsinfo, id, (Datum) 0, false,
			   psprintf("missing rows: " UINT64_FORMAT " of " INT64_FORMAT " sealed entries remain",
						n, b->block.entries));
	else if (n > (uint64) b->block.entries)
		Report(rsinfo, id, (Datum) 0, false,
			   psprintf("inserted rows: " UINT64_FORMAT " entries where " INT64_FORMAT " were sealed",
						n, b->block.entries));
	else if (n > 0)
	{
		AuditMerkleRoot(leaves.hashes, n, root);
		if (memcmp(root, b->block.merkle_root, KYC_SHA256_LEN) != 0)
			Report(rsinfo, id, (Datum) 0, false,
				   "reordered or replaced rows: the entries do not rebuild the sealed Merkle root");
	}
	pfree(leaves.hashes);
	return n;
}

/*
 * Rows up to the last sealed entry that no block's range holds: slipped in
 * between two blocks, or before the first.  Counted through the index.
 */
static void
CheckBetweenBlocks(ReturnSetInfo *rsinfo, const StoredBlock *last, uint64 in_blocks)
{
	Oid			argtypes[2] = {XID8OID, INT8OID};
	Datum		values[2];
	bool		isnull;
	int64		total;

	values[0] = FullTransactionIdGetDatum(FullTransactionIdFromU64(last->block.last_xid));
	values[1] = Int64GetDatum(last->block.last_seq);
	if (SPI_execute_with_args("SELECT pg_catalog.count(*) FROM kyc_auditlog.audit_log_entries e "
							  "WHERE (e.xid, e.entry_seq) OPERATOR(pg_catalog.<=) ($1, $2)",
							  2, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "entry count failed");
	total = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (total > (int64) in_blocks)
		Report(rsinfo, 0, (Datum) 0, false,
			   psprintf("inserted rows: " INT64_FORMAT " entries before the last sealed one lie in no block",
						total - (int64) in_blocks));
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
				 "SELECT (d->>'block_id')::pg_catalog.int8, d->>'block_hash', b.block_hash "
				 "FROM pg_catalog.jsonb_array_elements(CASE pg_catalog.jsonb_typeof($1) "
				 "  WHEN 'array' THEN $1 ELSE pg_catalog.jsonb_build_array($1) END) d "
				 "LEFT JOIN kyc_auditlog.blocks b "
				 "  ON b.block_id OPERATOR(pg_catalog.=) (d->>'block_id')::pg_catalog.int8",
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
			continue;			/* a digest of the empty ledger: anything extends it */
		if (have == NULL)
			Report(rsinfo, DatumGetInt64(block_id), (Datum) 0, false,
				   "chain does not extend the digest: its block is missing");
		else if (strcmp(have, wanted) != 0)
			Report(rsinfo, DatumGetInt64(block_id), (Datum) 0, false,
				   "chain does not extend the digest: the block's hash differs from the digest's");
	}
}

PG_FUNCTION_INFO_V1(verify);

/*
 * SQL: kyc_auditlog.verify(digests jsonb DEFAULT NULL, from_block bigint
 * DEFAULT NULL, to_block bigint DEFAULT NULL)
 * RETURNS TABLE (block_id bigint, entry_id uuid, problem text)
 */
Datum
verify(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		from = PG_ARGISNULL(1) ? 1 : PG_GETARG_INT64(1);
	int64		to = PG_ARGISNULL(2) ? PG_INT64_MAX : PG_GETARG_INT64(2);
	StoredBlock *blocks;
	uint64		nblocks;
	uint64		i;
	uint8		prev[KYC_SHA256_LEN] = {0};
	bool		have_prev = false;
	EntryScan	es;
	uint64		in_blocks = 0;
	int64	   *retired;
	uint64		nretired;
	uint64		r = 0;

	if (from < 1 || to < from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid block range " INT64_FORMAT " to " INT64_FORMAT, from, to),
				 errhint("Blocks are numbered from 1.")));
	InitMaterializedSRF(fcinfo, 0);
	KycSpiConnect();

	/* The block before the range anchors the first link. */
	if (from > 1)
	{
		uint64		n;
		StoredBlock *before = LoadBlocks(from - 1, from - 1, &n);

		if (n == 1)
		{
			memcpy(prev, before->hash, KYC_SHA256_LEN);
			have_prev = true;
		}
	}
	else
		have_prev = true;		/* the first block links to all zeros */

	blocks = LoadBlocks(from, to, &nblocks);
	retired = LoadRetired(from, to, &nretired);
	OpenEntries(&es);
	for (i = 0; i < nblocks; i++)
	{
		if (i > 0 && blocks[i].block.block_id != blocks[i - 1].block.block_id + 1)
			Report(rsinfo, blocks[i].block.block_id, (Datum) 0, false,
				   psprintf("missing blocks: the chain jumps from block " INT64_FORMAT,
							blocks[i - 1].block.block_id));
		while (r < nretired && retired[r] < blocks[i].block.block_id)
			r++;
		in_blocks += CheckBlock(rsinfo, &es, &blocks[i], have_prev ? prev : NULL,
								r < nretired && retired[r] == blocks[i].block.block_id);
		memcpy(prev, blocks[i].hash, KYC_SHA256_LEN);
		have_prev = true;
	}

	/* Over the whole ledger, no row may lie outside every block. */
	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && nblocks > 0)
		CheckBetweenBlocks(rsinfo, &blocks[nblocks - 1], in_blocks);

	/* Entries not sealed yet are checked row by row. */
	if (PG_ARGISNULL(2))
	{
		uint64		after_xid = nblocks ? blocks[nblocks - 1].block.last_xid : 0;
		int64		after_seq = nblocks ? blocks[nblocks - 1].block.last_seq : 0;

		pfree(CheckEntries(rsinfo, &es, 0, after_xid, after_seq, 0, 0, 0).hashes);
	}
	CloseEntries(&es);
	if (!PG_ARGISNULL(0))
		CheckDigests(rsinfo, PG_GETARG_JSONB_P(0));
	SPI_finish();
	return (Datum) 0;
}
