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

/* Add a problem row (block, entry, description) to the result; block 0 is NULL. */
void
AuditReport(ReturnSetInfo *rsinfo, int64 block_id, Datum entry_id, bool has_entry, const char *problem)
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
			AuditReport(rsinfo, id, (Datum) 0, false,
						"retirement outside the retention policy: its rows are checked as if it were not retired");
	}
	return ids;
}

/* The state of one verify() call. */
typedef struct Verification
{
	ReturnSetInfo *rsinfo;
	StoredBlock *blocks;
	uint64		nblocks;
	AuditEntryOrder order;		/* the entries read, for the block walk */
	MemoryContext row_context;	/* reset after each row's hash */

	/*
	 * The entries this call reads: from lo (after it, if lo_after), to hi if
	 * bounded.
	 */
	uint64		lo_xid;
	int64		lo_seq;
	bool		lo_after;
	bool		bounded;
	uint64		hi_xid;
	int64		hi_seq;
	uint64	   *gaps;			/* per block: rows just before it that no
								 * block holds */
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

		if (AuditKeyCmp(xid, seq, b->first_xid, b->first_seq) < 0)
			hi = mid - 1;
		else if (AuditKeyCmp(xid, seq, b->last_xid, b->last_seq) > 0)
			lo = mid + 1;
		else
			return b->block_id;
	}
	return 0;
}

/*
 * Read one partition sequentially under the active snapshot, checking
 * each entry in the call's bounds against its stored hash, and
 * queue it for the block walk.  A sequential scan with one deform per row
 * and an ordering (verify_order.c) is far cheaper than an index scan in
 * (xid, entry_seq) order.
 */
static void
ScanPartition(Verification *v, Relation table)
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

		/*
		 * The position first: an entry outside the bounds is not deformed
		 * further.
		 */
		slot_getsomeattrs(slot, Max(xid_att, seq_att));
		xid = U64FromFullTransactionId(DatumGetFullTransactionId(slot->tts_values[xid_att - 1]));
		seq = DatumGetInt64(slot->tts_values[seq_att - 1]);
		if (AuditKeyCmp(xid, seq, v->lo_xid, v->lo_seq) < (v->lo_after ? 1 : 0) ||
			(v->bounded && AuditKeyCmp(xid, seq, v->hi_xid, v->hi_seq) > 0))
			continue;
		slot_getallattrs(slot);
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
			AuditReport(v->rsinfo, BlockOf(v, xid, seq), slot->tts_values[id_att - 1], true, problem);
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
ScanEntries(Verification *v)
{
	Oid			nsp = get_namespace_oid("kyc_auditlog", false);
	Oid			parent = get_relname_relid("audit_log_entries", nsp);
	ListCell   *lc;

	foreach(lc, find_inheritance_children(parent, AccessShareLock))
	{
		Relation	table = table_open(lfirst_oid(lc), NoLock);

		ScanPartition(v, table);
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
		AuditReport(v->rsinfo, id, (Datum) 0, false,
					psprintf("missing rows: " UINT64_FORMAT " of " INT64_FORMAT " sealed entries remain",
							 n, b->block.entries));
	else if (n > (uint64) b->block.entries)
		AuditReport(v->rsinfo, id, (Datum) 0, false,
					psprintf("inserted rows: " UINT64_FORMAT " entries where " INT64_FORMAT " were sealed",
							 n, b->block.entries));
	else
	{
		AuditMerkleRoot(leaves->hashes, n, root);
		if (memcmp(root, b->block.merkle_root, KYC_SHA256_LEN) != 0)
			AuditReport(v->rsinfo, id, (Datum) 0, false,
						"reordered or replaced rows: the entries do not rebuild the sealed Merkle root");
	}
}

/*
 * Walk the sorted entries alongside the blocks: each block's rows must be
 * exactly those it sealed, in order; rows between blocks are counted and
 * reported with the block after them; rows after the last are not sealed
 * yet.
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
			   AuditKeyCmp(xid, seq, v->blocks[i].block.last_xid, v->blocks[i].block.last_seq) > 0)
		{
			FinishBlock(v, &v->blocks[i], retired[i], &leaves);
			i++;
		}
		if (i == v->nblocks)
			continue;			/* not sealed yet */
		if (AuditKeyCmp(xid, seq, v->blocks[i].block.first_xid, v->blocks[i].block.first_seq) < 0)
		{
			v->gaps[i]++;
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
	for (i = 0; i < v->nblocks; i++)
		if (v->gaps[i] > 0)
			AuditReport(v->rsinfo, v->blocks[i].block.block_id, (Datum) 0, false,
						psprintf("inserted rows: " UINT64_FORMAT " entries just before this block lie in no block",
								 v->gaps[i]));
}

/*
 * Check each block's own hash, its link to the one before, and gaps in ids;
 * the first block's link and id against the anchor, block anchor_id, if
 * there is one.
 */
static void
CheckChain(Verification *v, const uint8 *anchor, int64 anchor_id)
{
	uint64		i;

	for (i = 0; i < v->nblocks; i++)
	{
		StoredBlock *b = &v->blocks[i];
		const uint8 *prev = i > 0 ? v->blocks[i - 1].hash : anchor;
		int64		prev_id = i > 0 ? v->blocks[i - 1].block.block_id : anchor_id;
		uint8		hash[KYC_SHA256_LEN];

		if (prev_id > 0 && b->block.block_id != prev_id + 1)
			AuditReport(v->rsinfo, b->block.block_id, (Datum) 0, false,
						psprintf("missing blocks: the chain jumps from block " INT64_FORMAT, prev_id));
		if (b->malformed)
		{
			AuditReport(v->rsinfo, b->block.block_id, (Datum) 0, false,
						"changed block: a stored hash is malformed");
			continue;
		}
		AuditBlockHash(&b->block, hash);
		if (memcmp(hash, b->hash, KYC_SHA256_LEN) != 0)
			AuditReport(v->rsinfo, b->block.block_id, (Datum) 0, false,
						"changed block: its hash does not match its contents");
		if (prev != NULL && memcmp(prev, b->block.prev_hash, KYC_SHA256_LEN) != 0)
			AuditReport(v->rsinfo, b->block.block_id, (Datum) 0, false,
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
	CheckChain(&after, v->nblocks > 0 ? v->blocks[v->nblocks - 1].hash : anchor,
			   v->nblocks > 0 ? v->blocks[v->nblocks - 1].block.block_id : 0);
}

/* What one call checks: a range of blocks, and the entries and digests that are its. */
typedef struct VerifyScope
{
	int64		from;			/* blocks from..to */
	int64		to;
	bool		whole;			/* verify() without from_block: entries from
								 * the very first */
	bool		part;			/* verify_part(): entries after the last block
								 * before from, the chain from it */
	bool		to_end;			/* and entries after block to: those of later
								 * blocks, and those not sealed yet */
	bool		chain_to_digests;	/* check the chain past to, up to the
									 * digests */
} VerifyScope;

/* The last block before block from, if any. */
static bool
BlockBefore(int64 from, StoredBlock *before)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(from)};
	uint64		n;
	StoredBlock *found;

	KycSavedPlan(&plan,
				 "SELECT pg_catalog.max(block_id) FROM kyc_auditlog.blocks WHERE block_id OPERATOR(pg_catalog.<) $1",
				 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "block lookup failed");
	if (SPI_processed != 1)
		return false;
	{
		bool		isnull;
		Datum		id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (isnull)
			return false;
		found = LoadBlocks(DatumGetInt64(id), DatumGetInt64(id), &n);
	}
	if (n != 1)
		return false;
	*before = *found;
	return true;
}

/* Check what scope holds: blocks, chain, entries, and the digests naming its blocks. */
static void
RunVerification(ReturnSetInfo *rsinfo, Jsonb *digests, const VerifyScope *scope)
{
	Verification v = {0};
	StoredBlock before = {0};
	bool		have_before = false;
	uint8		anchor[KYC_SHA256_LEN] = {0};
	bool		have_anchor = true; /* block 1 links to all zeros */
	int64		anchor_id = 0;
	bool	   *retired;
	int64	   *retired_ids;
	uint64		nretired;
	uint64		i;
	uint64		r = 0;

	if (digests != NULL)
		AuditCheckDigestShape(digests);
	v.rsinfo = rsinfo;
	v.row_context = AllocSetContextCreate(CurrentMemoryContext, "kyc_auditlog verify row",
										  ALLOCSET_DEFAULT_SIZES);

	/*
	 * The block before the range anchors the first link: block from - 1 for
	 * verify(), the last one there is for a part, which so also reports a
	 * jump over missing blocks into its range.
	 */
	if (scope->part)
		have_before = BlockBefore(scope->from, &before);
	else if (scope->from > 1)
	{
		uint64		n;
		StoredBlock *found = LoadBlocks(scope->from - 1, scope->from - 1, &n);

		have_before = (n == 1);
		if (have_before)
			before = *found;
	}
	if (have_before)
	{
		memcpy(anchor, before.hash, KYC_SHA256_LEN);
		anchor_id = before.block.block_id;
	}
	else
	{
		/*
		 * No block before: the range starts the chain, whose first block
		 * links to all zeros.  For a part that holds even when blocks below
		 * its range are gone: verify() anchors the first block there is to
		 * zeros too, and reports the link.
		 */
		have_anchor = scope->part || scope->from == 1;
	}
	v.blocks = LoadBlocks(scope->from, scope->to, &v.nblocks);
	retired_ids = LoadRetired(rsinfo, scope->from, scope->to, &nretired);
	retired = palloc0(sizeof(bool) * Max(v.nblocks, 1));
	for (i = 0; i < v.nblocks; i++)
	{
		while (r < nretired && retired_ids[r] < v.blocks[i].block.block_id)
			r++;
		retired[i] = r < nretired && retired_ids[r] == v.blocks[i].block.block_id;
	}
	CheckChain(&v, have_anchor ? anchor : NULL, anchor_id);
	if (digests != NULL && scope->chain_to_digests)
		CheckChainToDigests(&v, digests, scope->to, have_anchor ? anchor : NULL);

	/*
	 * The entries: from the very first (verify() without from_block), after
	 * the block before (a part: rows just before its first block are its), or
	 * from the range's first block; to the range's last block, or on through
	 * the entries not sealed yet.
	 */
	if (v.nblocks > 0 || scope->to_end)
	{
		/* From the very first: below every key, negative entry_seq too. */
		v.lo_xid = 0;
		v.lo_seq = PG_INT64_MIN;
		if (scope->part && have_before)
		{
			v.lo_xid = before.block.last_xid;
			v.lo_seq = before.block.last_seq;
			v.lo_after = true;
		}
		else if (!scope->whole && !scope->part && v.nblocks > 0)
		{
			v.lo_xid = v.blocks[0].block.first_xid;
			v.lo_seq = v.blocks[0].block.first_seq;
		}
		v.bounded = !scope->to_end;
		if (v.bounded)
		{
			v.hi_xid = v.blocks[v.nblocks - 1].block.last_xid;
			v.hi_seq = v.blocks[v.nblocks - 1].block.last_seq;
		}
		v.gaps = palloc0(sizeof(uint64) * Max(v.nblocks, 1));
		AuditOrderBegin(&v.order);
		ScanEntries(&v);
		WalkBlocks(&v, retired);
	}
	MemoryContextDelete(v.row_context);
	/* A part reports the digests naming its blocks; verify() every digest. */
	if (digests != NULL)
		AuditCheckDigests(rsinfo, digests, scope->part ? scope->from : 0,
						  scope->part ? scope->to : PG_INT64_MAX);
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
	VerifyScope scope = {0};

	scope.from = PG_ARGISNULL(1) ? 1 : PG_GETARG_INT64(1);
	scope.to = PG_ARGISNULL(2) ? PG_INT64_MAX : PG_GETARG_INT64(2);
	if (scope.from < 1 || scope.to < scope.from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid block range " INT64_FORMAT " to " INT64_FORMAT, scope.from, scope.to),
				 errhint("Blocks are numbered from 1.")));
	scope.whole = PG_ARGISNULL(1);
	scope.to_end = PG_ARGISNULL(2);
	scope.chain_to_digests = !PG_ARGISNULL(0) && !PG_ARGISNULL(2);
	InitMaterializedSRF(fcinfo, 0);
	KycSpiConnect();
	RunVerification((ReturnSetInfo *) fcinfo->resultinfo, PG_ARGISNULL(0) ? NULL : PG_GETARG_JSONB_P(0),
					&scope);
	SPI_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(kyc_auditlog_verify_part);

/*
 * SQL: kyc_auditlog.verify_part(part integer, parts integer, through_block
 * bigint, digests jsonb DEFAULT NULL)
 * RETURNS TABLE (block_id bigint, entry_id uuid, problem text)
 *
 * Part part of parts of verify(digests), for as many sessions at once:
 * blocks 1..through_block are split into parts ranges of consecutive ids,
 * and the last part goes on past through_block, through the entries not
 * sealed yet.  A part checks its blocks, their links from the last block
 * before them, the entries after that block up to its last block's end,
 * and the digests naming its blocks; together the parts check everything
 * verify(digests) does, once, with the same reports, whatever is sealed
 * meanwhile.
 */
Datum
kyc_auditlog_verify_part(PG_FUNCTION_ARGS)
{
	VerifyScope scope = {0};
	int32		part;
	int32		parts;
	int64		through;

	KycRequireArg(fcinfo, 0, "part");
	KycRequireArg(fcinfo, 1, "parts");
	KycRequireArg(fcinfo, 2, "through_block");
	part = PG_GETARG_INT32(0);
	parts = PG_GETARG_INT32(1);
	through = PG_GETARG_INT64(2);
	if (parts < 1 || parts > 1024)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parts must be from 1 to 1024, not %d", parts)));
	if (part < 1 || part > parts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("part must be from 1 to parts (%d), not %d", parts, part)));
	if (through < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("through_block must be 0 or more, not " INT64_FORMAT, through),
				 errhint("Pass the highest block_id of kyc_auditlog.blocks, read once for all the parts.")));

	/*
	 * Block counts as even as they go: the first through % parts parts get
	 * one more.
	 */
	scope.from = (part - 1) * (through / parts) + Min(part - 1, through % parts) + 1;
	scope.to = part == parts ? PG_INT64_MAX : part * (through / parts) + Min(part, through % parts);
	scope.whole = (part == 1);
	scope.part = true;
	scope.to_end = (part == parts);
	InitMaterializedSRF(fcinfo, 0);
	KycSpiConnect();
	if (scope.from <= scope.to)
		RunVerification((ReturnSetInfo *) fcinfo->resultinfo, PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3),
						&scope);
	else if (!PG_ARGISNULL(3))
		AuditCheckDigestShape(PG_GETARG_JSONB_P(3));
	SPI_finish();
	return (Datum) 0;
}
