/*
 * verified.c
 *		kyc_auditlog.mark_verified(): the one path that sets
 *		integrity_verified.
 *
 * It verifies the whole ledger and the chain against the given digests,
 * and only when nothing at all is wrong marks verified the sealed entries
 * that those digests cover.  Without a digest kept outside the database,
 * "verified" would only mean "consistent with itself", so one is required,
 * and it must be one that digest() handed out at least
 * kyc_auditlog.verify_min_age before: a digest made on the spot says
 * nothing the ledger does not already say about itself.  Only kyc_auditor
 * members may call it (grants.sql).  The immutability trigger lets that
 * UPDATE through while the flag below is set, and only if
 * integrity_verified is the one column that changes.
 */
#include "kyc_auditlog.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

/*
 * Refuse digests that digest() did not hand out, or handed out less than
 * kyc_auditlog.verify_min_age ago: each must equal a row of
 * kyc_auditlog.digests, which only digest() and superusers write.
 */
static void
RequireRecordedDigests(Datum digests)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[2] = {JSONBOID, INT4OID};
	Datum		values[2];
	uint64		i;

	values[0] = digests;
	values[1] = Int32GetDatum(audit_verify_min_age);
	KycSavedPlan(&plan,
				 "SELECT g.digest OPERATOR(pg_catalog.->>) 'block_id', "
				 "  pg_catalog.min(d.created_at)::pg_catalog.text, "
				 "  pg_catalog.min(d.created_at) OPERATOR(pg_catalog.<=) (pg_catalog.now() "
				 "    OPERATOR(pg_catalog.-) pg_catalog.make_interval(secs => $2)) "
				 "FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof($1) "
				 "  OPERATOR(pg_catalog.=) 'array' THEN $1 ELSE pg_catalog.jsonb_build_array($1) END) "
				 "  WITH ORDINALITY g(digest, n) "
				 "LEFT JOIN kyc_auditlog.digests d ON d.digest OPERATOR(pg_catalog.=) g.digest "
				 "GROUP BY g.n, g.digest ORDER BY g.n", 2, argtypes);
	/* Not read-only: a digest() call in the same statement must be seen. */
	if (SPI_execute_plan(plan, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "digest lookup failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no digest was given"),
				 errhint("Pass the output of an earlier kyc_auditlog.digest(), or a JSON array of them.")));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *block = SPI_getvalue(row, desc, 1);
		char	   *handed_out = SPI_getvalue(row, desc, 2);
		bool		isnull;
		bool		old_enough;

		if (handed_out == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the digest of block %s was not handed out by kyc_auditlog.digest()",
							block ? block : "(none)"),
					 errdetail("Only a digest recorded in kyc_auditlog.digests, unchanged, can vouch for the ledger."),
					 errhint("Pass a digest() output exactly as it was kept.")));
		old_enough = DatumGetBool(SPI_getbinval(row, desc, 3, &isnull));
		if (!old_enough)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the digest of block %s was handed out at %s, less than kyc_auditlog.verify_min_age (%d s) ago",
							block ? block : "(none)", handed_out, audit_verify_min_age),
					 errdetail("A digest made just before the check proves only that the ledger agrees with itself."),
					 errhint("Verify against a digest kept outside the database since then, once it is old enough.")));
	}
}

PG_FUNCTION_INFO_V1(kyc_auditlog_mark_verified);

/* SQL: kyc_auditlog.mark_verified(digests jsonb) returns bigint */
Datum
kyc_auditlog_mark_verified(PG_FUNCTION_ARGS)
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
	RequireRecordedDigests(values[0]);

	/*
	 * Read-only, so both see the statement's snapshot: the last block
	 * verified is the bound.
	 */
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
