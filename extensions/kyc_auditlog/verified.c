/*
 * verified.c
 *		kyc_auditlog.mark_verified(): the one path that sets
 *		integrity_verified.
 *
 * It verifies the whole ledger and the chain against the given digests,
 * and only when nothing at all is wrong marks the sealed entries verified.
 * The immutability trigger lets that UPDATE through while the flag below
 * is set, and only if integrity_verified is the one column that changes.
 */
#include "kyc_auditlog.h"

#include "catalog/pg_type.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(mark_verified);

/* SQL: kyc_auditlog.mark_verified(digests jsonb DEFAULT NULL) returns bigint */
Datum
mark_verified(PG_FUNCTION_ARGS)
{
	Oid			argtypes[2] = {JSONBOID, INT8OID};
	Datum		values[2];
	char		nulls[2] = {PG_ARGISNULL(0) ? 'n' : ' ', ' '};
	bool		isnull;
	int64		problems;
	uint64		marked;

	values[0] = PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0);
	KycSpiConnect();

	/* Read-only, so both see the statement's snapshot: the last block verified is the bound. */
	if (SPI_execute_with_args("SELECT pg_catalog.count(*) FROM kyc_auditlog.verify($1)",
							  1, argtypes, values, nulls, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "verification failed");
	problems = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (problems > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the audit log does not verify, so no entry was marked verified"),
				 errdetail("verify() finds " INT64_FORMAT " problems.", problems),
				 errhint("Run kyc_auditlog.verify() to list them.")));
	if (SPI_execute("SELECT b.block_id FROM kyc_auditlog.blocks b ORDER BY b.block_id DESC LIMIT 1",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "block lookup failed");
	if (SPI_processed == 0)
	{
		SPI_finish();
		PG_RETURN_INT64(0);
	}
	values[1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

	audit_marking_verified = true;
	PG_TRY();
	{
		if (SPI_execute_with_args("UPDATE kyc_auditlog.audit_log_entries e SET integrity_verified = true "
								  "FROM kyc_auditlog.blocks b "
								  "WHERE b.block_id OPERATOR(pg_catalog.=) $2 AND NOT e.integrity_verified "
								  "  AND (e.xid, e.entry_seq) OPERATOR(pg_catalog.<=) (b.last_xid, b.last_entry)",
								  2, argtypes, values, nulls, false, 0) != SPI_OK_UPDATE)
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
