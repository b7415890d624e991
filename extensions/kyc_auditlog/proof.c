/*
 * proof.c
 *		kyc_auditlog.proof(entry_id): a Merkle inclusion proof of an entry,
 *		and the block chain from its block to the latest, as jsonb.
 *
 * kyc-audit-verify checks it against a digest with no database: the entry's
 * row hash folds up the path to the block's Merkle root, the block's fields
 * hash to its block hash, and each later block links to the one before,
 * up to the digest's block.
 */
#include "kyc_auditlog.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

/* Push "key": a timestamptz column as microseconds since 2000-01-01 UTC, as it is hashed. */
static void
PushMicroseconds(JsonbParseState **state, const char *key, HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;

	KycJsonPushInt64(state, key, DatumGetTimestampTz(SPI_getbinval(row, desc, column, &isnull)));
}

/* Push "key": a block (BLOCK_COLUMNS from column at); no key: an array element. */
static void
PushBlock(JsonbParseState **state, const char *key, HeapTuple row, TupleDesc desc, int at)
{
	KycJsonBegin(state, key, WJB_BEGIN_OBJECT);
	KycJsonPushColumn(state, "block_id", row, desc, at);
	KycJsonPushColumn(state, "prev_hash", row, desc, at + 1);
	KycJsonPushColumn(state, "merkle_root", row, desc, at + 2);
	KycJsonPushColumn(state, "first_xid", row, desc, at + 3);
	KycJsonPushColumn(state, "first_entry", row, desc, at + 4);
	KycJsonPushColumn(state, "last_xid", row, desc, at + 5);
	KycJsonPushColumn(state, "last_entry", row, desc, at + 6);
	KycJsonPushColumn(state, "entry_count", row, desc, at + 7);
	PushMicroseconds(state, "sealed_at_us", row, desc, at + 8);
	KycJsonPushColumn(state, "block_hash", row, desc, at + 9);
	PushMicroseconds(state, "min_entry_at_us", row, desc, at + 10);
	PushMicroseconds(state, "max_entry_at_us", row, desc, at + 11);
	pushJsonbValue(state, WJB_END_OBJECT, NULL);
}

#define BLOCK_COLUMNS \
	"b.block_id, b.prev_hash, b.merkle_root, b.first_xid, b.first_entry, b.last_xid, " \
	"b.last_entry, b.entry_count, b.sealed_at, b.block_hash, b.min_entry_at, b.max_entry_at"

#define BLOCK_COLUMN_COUNT 12

/*
 * Push the entry's (column at) canonical encoding in hex, which hashes to
 * row_hash: kyc-audit-verify decodes and shows the entry from these very
 * bytes, so the proof ties the entry's id and content to the leaf.  No
 * separate readable copy is included: nothing would bind it to the hash.
 */
static void
PushEntry(JsonbParseState **state, HeapTuple row, TupleDesc desc, int at)
{
	StringInfoData encoding;
	char	   *hex;
	bool		isnull;

	initStringInfo(&encoding);
	AuditCompositeEncode(SPI_getbinval(row, desc, at, &isnull), &encoding);
	hex = palloc(2 * encoding.len + 1);
	KycHexEncode((uint8 *) encoding.data, encoding.len, hex);
	KycJsonPushText(state, "encoding", hex);
}

/* Push "path": the Merkle path of leaf index in leaves[0..n), as steps. */
static void
PushPath(JsonbParseState **state, uint8 (*level)[KYC_SHA256_LEN], uint64 n, uint64 index)
{
	uint64		i;

	KycJsonBegin(state, "path", WJB_BEGIN_ARRAY);
	for (i = 0; i < n; i++)
	{
		uint8		node[1 + KYC_SHA256_LEN];

		node[0] = 0x00;
		memcpy(node + 1, level[i], KYC_SHA256_LEN);
		KycSha256(node, sizeof(node), level[i]);
	}
	while (n > 1)
	{
		uint64		up = 0;
		uint64		sibling = index ^ 1;

		if (sibling < n)
		{
			/*
			 * Its own copy: a pushed string is read when the document is
			 * finished.
			 */
			char	   *hex = palloc(KYC_SHA256_HEX_LEN + 1);

			KycHexEncode(level[sibling], KYC_SHA256_LEN, hex);
			KycJsonBegin(state, NULL, WJB_BEGIN_OBJECT);
			KycJsonPushText(state, "side", sibling < index ? "left" : "right");
			KycJsonPushText(state, "hash", hex);
			pushJsonbValue(state, WJB_END_OBJECT, NULL);
		}
		for (i = 0; i < n; i += 2)
		{
			if (i + 1 < n)
			{
				uint8		pair[1 + 2 * KYC_SHA256_LEN];

				pair[0] = 0x01;
				memcpy(pair + 1, level[i], KYC_SHA256_LEN);
				memcpy(pair + 1 + KYC_SHA256_LEN, level[i + 1], KYC_SHA256_LEN);
				KycSha256(pair, sizeof(pair), level[up]);
			}
			else
				memmove(level[up], level[i], KYC_SHA256_LEN);
			up++;
		}
		n = up;
		index /= 2;
	}
	pushJsonbValue(state, WJB_END_ARRAY, NULL);
}

PG_FUNCTION_INFO_V1(kyc_auditlog_proof);

/* SQL: kyc_auditlog.proof(entry_id uuid) returns jsonb */
Datum
kyc_auditlog_proof(PG_FUNCTION_ARGS)
{
	Oid			argtypes[1] = {UUIDOID};
	Datum		values[1];
	JsonbParseState *state = NULL;
	int64		block_id;
	uint8		(*leaves)[KYC_SHA256_LEN];
	uint64		n;
	uint64		i;
	uint64		index = 0;
	int64		entry_seq;
	uint64		j;
	bool		isnull;
	Jsonb	   *result;

	KycRequireArg(fcinfo, 0, "entry_id");
	values[0] = PG_GETARG_DATUM(0);
	KycSpiConnect();

	/* The entry and its block. */
	if (SPI_execute_with_args("SELECT e.integrity_hash, e.entry_seq, " BLOCK_COLUMNS ", e "
							  "FROM kyc_auditlog.audit_log_entries e JOIN kyc_auditlog.blocks b "
							  "  ON (e.xid, e.entry_seq) OPERATOR(pg_catalog.>=) (b.first_xid, b.first_entry) "
							  " AND (e.xid, e.entry_seq) OPERATOR(pg_catalog.<=) (b.last_xid, b.last_entry) "
							  "WHERE e.id OPERATOR(pg_catalog.=) $1",
							  1, argtypes, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "entry lookup failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("entry %s does not exist or is not sealed yet",
						DatumGetCString(DirectFunctionCall1(uuid_out, values[0]))),
				 errhint("Entries are sealed by kyc_auditlog.seal().")));
	entry_seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	block_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	KycJsonPushInt64(&state, "version", 1);
	KycJsonPushText(&state, "entry_id", DatumGetCString(DirectFunctionCall1(uuid_out, values[0])));
	KycJsonPushInt64(&state, "entry_seq", entry_seq);
	KycJsonPushText(&state, "row_hash", SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	PushEntry(&state, SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3 + BLOCK_COLUMN_COUNT);
	PushBlock(&state, "block", SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);

	/* The block's leaves, to build the path. */
	values[0] = Int64GetDatum(block_id);
	argtypes[0] = INT8OID;
	if (SPI_execute_with_args("SELECT e.integrity_hash, e.entry_seq "
							  "FROM kyc_auditlog.audit_log_entries e JOIN kyc_auditlog.blocks b "
							  "  ON (e.xid, e.entry_seq) OPERATOR(pg_catalog.>=) (b.first_xid, b.first_entry) "
							  " AND (e.xid, e.entry_seq) OPERATOR(pg_catalog.<=) (b.last_xid, b.last_entry) "
							  "WHERE b.block_id OPERATOR(pg_catalog.=) $1 ORDER BY e.xid, e.entry_seq",
							  1, argtypes, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "block scan failed");
	n = SPI_processed;
	leaves = palloc(Max(n, 1) * KYC_SHA256_LEN);
	for (i = 0; i < n; i++)
	{
		if (!KycHexDecodeSha256(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1), leaves[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("block " INT64_FORMAT " holds a malformed hash", block_id),
					 errhint("Run kyc_auditlog.verify().")));
		if (DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull)) == entry_seq)
			index = i;
	}
	PushPath(&state, leaves, n, index);

	/* The chain from the entry's block to the latest. */
	if (SPI_execute_with_args("SELECT " BLOCK_COLUMNS " FROM kyc_auditlog.blocks b "
							  "WHERE b.block_id OPERATOR(pg_catalog.>) $1 ORDER BY b.block_id",
							  1, argtypes, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "chain scan failed");
	KycJsonBegin(&state, "chain", WJB_BEGIN_ARRAY);
	for (j = 0; j < SPI_processed; j++)
		PushBlock(&state, NULL, SPI_tuptable->vals[j], SPI_tuptable->tupdesc, 1);
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	result = DatumGetJsonbP(SPI_datumTransfer(JsonbPGetDatum(KycJsonFinish(&state)), false, -1));
	SPI_finish();
	PG_RETURN_JSONB_P(result);
}
