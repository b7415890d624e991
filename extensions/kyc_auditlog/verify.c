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

#include "access/htup_details.h"
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

/*
 * The entries from (from_xid, from_seq) to (to_xid, to_seq) inclusive, or,
 * when to_xid is 0, after (from_xid, from_seq) to the end; in order.  Both
 * are range scans of the (xid, entry_seq) index.
 */
static uint64
LoadEntries(uint64 from_xid, int64 from_seq, uint64 to_xid, int64 to_seq)
{
	static SPIPlanPtr range_plan = NULL;
	static SPIPlanPtr tail_plan = NULL;
	Oid			argtypes[4] = {XID8OID, INT8OID, XID8OID, INT8OID};
	Datum		values[4];

	values[0] = FullTransactionIdGetDatum(FullTransactionIdFromU64(from_xid));
	values[1] = Int64GetDatum(from_seq);
	values[2] = FullTransactionIdGetDatum(FullTransactionIdFromU64(to_xid));
	values[3] = Int64GetDatum(to_seq);
	if (to_xid != 0)
	{
		KycSavedPlan(&range_plan,
					 "SELECT e, e.integrity_hash, e.id FROM kyc_auditlog.audit_log_entries e "
					 "WHERE (e.xid, e.entry_seq) OPERATOR(pg_catalog.>=) ($1, $2) "
					 "  AND (e.xid, e.entry_seq) OPERATOR(pg_catalog.<=) ($3, $4) "
					 "ORDER BY e.xid, e.entry_seq", 4, argtypes);
		if (SPI_execute_plan(range_plan, values, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "entry scan failed");
	}
	else
	{
		KycSavedPlan(&tail_plan,
					 "SELECT e, e.integrity_hash, e.id FROM kyc_auditlog.audit_log_entries e "
					 "WHERE (e.xid, e.entry_seq) OPERATOR(pg_catalog.>) ($1, $2) "
					 "ORDER BY e.xid, e.entry_seq", 2, argtypes);
		if (SPI_execute_plan(tail_plan, values, NULL, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "entry scan failed");
	}
	return SPI_processed;
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

/*
 * Check the entries of the current SPI result: each row against its hash;
 * returns the stored hashes, the Merkle leaves the block was sealed over.
 */
static uint8 (*CheckRows(ReturnSetInfo *rsinfo, int64 block_id, uint64 n))[KYC_SHA256_LEN]
{
	uint8		(*stored)[KYC_SHA256_LEN] = palloc(Max(n, 1) * KYC_SHA256_LEN);
	uint8		actual[KYC_SHA256_LEN];
	uint64		i;
	bool		isnull;

	for (i = 0; i < n; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Datum		id = SPI_getbinval(row, desc, 3, &isnull);

		AuditCompositeHash(SPI_getbinval(row, desc, 1, &isnull), actual);
		if (!StoredHash(SPI_getbinval(row, desc, 2, &isnull), isnull, stored[i]))
		{
			Report(rsinfo, block_id, id, true, "changed row: its integrity hash is malformed");
			memset(stored[i], 0, KYC_SHA256_LEN);
		}
		else if (memcmp(actual, stored[i], KYC_SHA256_LEN) != 0)
			Report(rsinfo, block_id, id, true, "changed row: its content does not match its integrity hash");
	}
	return stored;
}

/* Check one block: its hash, its link, its rows, their count and Merkle root. */
static void
CheckBlock(ReturnSetInfo *rsinfo, StoredBlock *b, const uint8 *prev_hash)
{
	uint8		hash[KYC_SHA256_LEN];
	uint8		root[KYC_SHA256_LEN];
	uint8		(*leaves)[KYC_SHA256_LEN];
	uint64		n;
	int64		id = b->block.block_id;

	if (b->malformed)
	{
		Report(rsinfo, id, (Datum) 0, false, "changed block: a stored hash is malformed");
		return;
	}
	AuditBlockHash(&b->block, hash);
	if (memcmp(hash, b->hash, KYC_SHA256_LEN) != 0)
		Report(rsinfo, id, (Datum) 0, false, "changed block: its hash does not match its contents");
	if (prev_hash != NULL && memcmp(prev_hash, b->block.prev_hash, KYC_SHA256_LEN) != 0)
		Report(rsinfo, id, (Datum) 0, false, "broken link: it does not point to the previous block's hash");

	n = LoadEntries(b->block.first_xid, b->block.first_seq, b->block.last_xid, b->block.last_seq);
	leaves = CheckRows(rsinfo, id, n);
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
		AuditMerkleRoot(leaves, n, root);
		if (memcmp(root, b->block.merkle_root, KYC_SHA256_LEN) != 0)
			Report(rsinfo, id, (Datum) 0, false,
				   "reordered or replaced rows: the entries do not rebuild the sealed Merkle root");
	}
	pfree(leaves);
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
	for (i = 0; i < nblocks; i++)
	{
		if (i > 0 && blocks[i].block.block_id != blocks[i - 1].block.block_id + 1)
			Report(rsinfo, blocks[i].block.block_id, (Datum) 0, false,
				   psprintf("missing blocks: the chain jumps from block " INT64_FORMAT,
							blocks[i - 1].block.block_id));
		CheckBlock(rsinfo, &blocks[i], have_prev ? prev : NULL);
		memcpy(prev, blocks[i].hash, KYC_SHA256_LEN);
		have_prev = true;
	}

	/* Entries not sealed yet are checked row by row. */
	if (PG_ARGISNULL(2))
	{
		uint64		after_xid = nblocks ? blocks[nblocks - 1].block.last_xid : 0;
		int64		after_seq = nblocks ? blocks[nblocks - 1].block.last_seq : 0;
		uint64		n = LoadEntries(after_xid, after_seq, 0, 0);

		pfree(CheckRows(rsinfo, 0, n));
	}
	if (!PG_ARGISNULL(0))
		CheckDigests(rsinfo, PG_GETARG_JSONB_P(0));
	SPI_finish();
	return (Datum) 0;
}
