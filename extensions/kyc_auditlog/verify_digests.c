/*
 * verify_digests.c
 *		The digests verify() is given: their shape, the blocks they name,
 *		and whether the chain still extends them.
 */
#include "kyc_auditlog.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

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
void
AuditCheckDigestShape(Jsonb *digests)
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

/*
 * Check the chain against earlier digests: each names a block and its
 * hash.  Only the digests naming blocks from..to: verify_part() reports a
 * digest in the part that holds its block.
 */
void
AuditCheckDigests(ReturnSetInfo *rsinfo, Jsonb *digests, int64 from, int64 to)
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
		if (DatumGetInt64(block_id) < from || DatumGetInt64(block_id) > to)
			continue;
		if (have == NULL)
			AuditReport(rsinfo, DatumGetInt64(block_id), (Datum) 0, false,
						"chain does not extend the digest: its block is missing");
		else if (strcmp(have, wanted) != 0)
			AuditReport(rsinfo, DatumGetInt64(block_id), (Datum) 0, false,
						"chain does not extend the digest: the block's hash differs from the digest's");
	}
}
