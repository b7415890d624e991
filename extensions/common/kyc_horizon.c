/*
 * kyc_horizon.c
 *		The horizon of this database: the xid below which every row a
 *		transaction stamps with its xid (an outbox event, an audit entry) is
 *		final under the active snapshot.
 *
 * kyc_events.read() returns only events whose xid is below the horizon, and
 * kyc_auditlog.seal() seals only entries below it, in (xid, id) order, so
 * that no row can later appear before those already passed.  The
 * snapshot's xmin would do, but it is cluster-wide: an open transaction
 * with an xid in ANY database of the cluster (BEGIN; SELECT txid_current();
 * left open, or a PREPARE TRANSACTION) would hold back every outbox and
 * audit log of the cluster.
 *
 * The horizon is therefore computed per database, from the active snapshot:
 * the least of its xmax, our own top-level xid if any, and every xid the
 * snapshot saw running whose transaction may belong to this database.  Why
 * that is safe: a transaction writes rows only in the database its backend
 * is connected to, and a prepared transaction stays in the database it was
 * prepared in (COMMIT PREPARED refuses to run anywhere else).  So a
 * transaction of another database never writes here, and waiting for it is
 * pointless.  Every row of a transaction of this database running at the
 * snapshot is at or above the horizon; every later transaction has an xid at
 * or above xmax.  Below the horizon, then, every xid that can own a row here
 * had ended when the snapshot was taken, and the snapshot sees all its rows,
 * or none if it aborted.  A horizon taken under an earlier snapshot than the
 * scan's is only lower, so still safe.
 *
 * Which database a running xid belongs to comes from the PGPROC of the
 * backend running it, or from pg_prepared_xact() for a prepared transaction.
 * Anything uncertain counts as this database's: an xid that no backend and
 * no prepared transaction holds any more (it ended after the snapshot, so
 * its events may be committed yet invisible to us), and every xid of a
 * snapshot taken during recovery.
 */
#include "postgres.h"

#include "kyc_common.h"

#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "storage/procarray.h"
#include "utils/snapmgr.h"
#include "utils/xid8.h"

/*
 * The full xid of a 32-bit xid of a snapshot, given the next full xid: the
 * snapshot's xids are at most one epoch behind it (as xid8funcs.c's
 * widen_snapshot_xid, which is static).
 */
static FullTransactionId
WidenSnapshotXid(TransactionId xid, FullTransactionId next)
{
	uint32		epoch = EpochFromFullTransactionId(next);

	if (!TransactionIdIsNormal(xid))
		return FullTransactionIdFromEpochAndXid(0, xid);
	if (xid > XidFromFullTransactionId(next))
		epoch--;
	return FullTransactionIdFromEpochAndXid(epoch, xid);
}

/*
 * The database of prepared transaction xid, from pg_prepared_xact(), or
 * InvalidOid if xid is not (or no longer) a prepared transaction.
 */
static Oid
PreparedTransactionDatabase(TransactionId xid)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {XIDOID};
	Datum		values[1] = {TransactionIdGetDatum(xid)};
	Oid			database = InvalidOid;
	bool		isnull;

	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT p.dbid FROM pg_catalog.pg_prepared_xact() p "
				 "WHERE p.transaction OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "prepared transaction lookup failed");
	if (SPI_processed > 0)
		database = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return database;
}

/*
 * Whether xid, running when the snapshot was taken, may have written to this
 * database.  A backend running it is looked up by xid twice around reading
 * its database: a process that holds xid both times held it in between (an
 * xid never passes to another backend), and a backend never changes
 * database, so what was read is xid's database, not that of a backend that
 * took over the PGPROC after xid ended.  A prepared transaction has no
 * backend (pid 0): its database comes from pg_prepared_xact().  An
 * autovacuum worker's transaction (an automatic ANALYZE takes an xid) runs
 * no trigger and writes neither events nor audit entries, so it never holds
 * the horizon back: it made a sealing return 0 and the next 1 at random.
 */
static bool
MayWriteThisDatabase(TransactionId xid)
{
	int			pid = BackendXidGetPid(xid);
	PGPROC	   *proc;
	Oid			database;
	bool		autovacuum;

	if (pid == 0)
	{
		database = PreparedTransactionDatabase(xid);
		return !OidIsValid(database) || database == MyDatabaseId;
	}
	proc = BackendPidGetProc(pid);
	if (proc == NULL)
		return true;
	database = proc->databaseId;
	autovacuum = (proc->statusFlags & PROC_IS_AUTOVACUUM) != 0;
	if (BackendXidGetPid(xid) != pid)
		return true;
	return database == MyDatabaseId && !autovacuum;
}

/* The horizon of this database under the active snapshot (see above). */
FullTransactionId
KycDatabaseHorizon(void)
{
	Snapshot	snapshot;
	TransactionId horizon;
	TransactionId own = GetTopTransactionIdIfAny();
	uint32		i;

	/* A procedure between transactions has no active snapshot: take one. */
	snapshot = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	if (snapshot->takenDuringRecovery)
		horizon = snapshot->xmin;	/* xip is empty; subxip mixes everything */
	else
	{
		horizon = snapshot->xmax;
		for (i = 0; i < snapshot->xcnt; i++)
		{
			TransactionId xid = snapshot->xip[i];

			if (TransactionIdPrecedes(xid, horizon) && MayWriteThisDatabase(xid))
				horizon = xid;
		}
		if (TransactionIdIsNormal(own) && TransactionIdPrecedes(own, horizon))
			horizon = own;
	}
	return WidenSnapshotXid(horizon, ReadNextFullTransactionId());
}
