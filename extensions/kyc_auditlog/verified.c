/*
 * verified.c
 *		kyc_auditlog.mark_verified(): the one path that sets
 *		integrity_verified.
 *
 * It verifies the whole ledger and the chain against the given digests,
 * and only when nothing at all is wrong marks verified the sealed entries
 * that those digests cover.  Without a digest kept outside the database,
 * "verified" would only mean "consistent with itself", so one is required.
 * The immutability trigger lets that UPDATE through while the flag below
 * is set, and only if integrity_verified is the one column that changes.
 */
#include "kyc_auditlog.h"

#include "catalog/pg_type.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(mark_verified);

/* SQL: kyc_auditlog.mark_verified(digests jsonb) returns bigint */
Datum
mark_verified(PG_FUNCTION_ARGS)
{
	Oid			argtypes[2] = {JSONBOID, INT8OID};
	Datum		values[2];
	bool		isnull;
	bool		found;
	int64		problems;
	uint64		marked;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("mark_verified() needs the digests to verify against"),
				 errdetail("Entries are marked verified only up to a block that a digest kept outside the database names."),
				 errhint("Pass the output of an earlier kyc_auditlog.digest(), or a JSON array of them.")));
	values[0] = PG_GETARG_DATUM(0);
	KycSpiConnect();

	/* Read-only, so both see the statement's snapshot: the last block verified is the bound. */
	if (SPI_execute_with_args("SELECT pg_catalog.count(*) FROM kyc_auditlog.verify($1)",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "verification failed");
	problems = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (problems > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the audit log does not verify, so no entry was marked verified"),
				 errdetail("verify() finds " INT64_FORMAT " problems.", problems),
				 errhint("Run kyc_auditlog.verify() to list them.")));
	/* verify() has checked that each digest's block exists with its hash. */
	values[1] = Int64GetDatum(AuditLatestDigestBlock(DatumGetJsonbP(values[0]), &found));
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the digests given name no block"),
				 errhint("Pass the output of an earlier kyc_auditlog.digest(), or a JSON array of them.")));

	audit_marking_verified = true;
	PG_TRY();
	{
		if (SPI_execute_with_args("UPDATE kyc_auditlog.audit_log_entries e SET integrity_verified = true "
								  "FROM kyc_auditlog.blocks b "
								  "WHERE b.block_id OPERATOR(pg_catalog.=) $2 AND NOT e.integrity_verified "
								  "  AND (e.xid, e.entry_seq) OPERATOR(pg_catalog.<=) (b.last_xid, b.last_entry)",
								  2, argtypes, values, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not mark entries verified");
		marked = SPI_processed;
	}
	PG_FINALLY();
	{
		audit_marking_verified = false;
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_INT64((int64) marked);
}
