/*
 * watchlist_changes.c
 *		kyc_risk.remove_watchlist_entity(entity_id, reason): how the service
 *		role takes an entity off a watch list, with the reason recorded.
 *
 * An entity removed is one that screen_case() no longer finds, so the
 * service role may insert watch-list rows but not delete them.  This
 * function deletes as the owner of the watch lists, after recording in
 * kyc_risk.watchlist_changes the entity, its names, the reason and who
 * gave it; the audit log captures that record.  The bulk loaders run as an
 * administrator and replace lists directly (docs/kyc_risk_screening.md).
 */
#include "kyc_risk.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* Refuse a reason that is blank or longer than RISK_REASON_MAX bytes. */
static void
CheckReason(const char *reason)
{
	if (strspn(reason, " \t\r\n") == strlen(reason))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reason must not be blank"),
				 errhint("Say why the entity leaves the watch list, e.g. \"delisted by OFAC on 2025-06-13\".")));
	if (strlen(reason) > RISK_REASON_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("reason is limited to %d bytes", RISK_REASON_MAX),
				 errdetail("This one has %zu.", strlen(reason))));
}

/*
 * Record the entity and its names, then delete it (its names follow by
 * cascade).  Runs as the owner, connected to SPI; returns the record's id.
 */
static int64
RecordAndDelete(int64 entity_id, const char *reason)
{
	static SPIPlanPtr record_plan = NULL;
	static SPIPlanPtr delete_plan = NULL;
	Oid			argtypes[4] = {INT8OID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4];
	bool		isnull;
	int64		change_id;

	values[0] = Int64GetDatum(entity_id);
	values[1] = CStringGetTextDatum(reason);
	values[2] = CStringGetTextDatum(KycSessionActor());
	values[3] = CStringGetTextDatum(GetUserNameFromId(GetSessionUserId(), false));
	KycSavedPlan(&record_plan,
				 "WITH e AS (SELECT e.id, e.list, e.entity_type, e.source_id FROM kyc_risk.watchlist_entities e "
				 "           WHERE e.id OPERATOR(pg_catalog.=) $1 FOR UPDATE) "
				 "INSERT INTO kyc_risk.watchlist_changes "
				 "  (entity_id, list, entity_type, source_id, names, operation, reason, actor, db_user) "
				 "SELECT e.id, e.list, e.entity_type, e.source_id, "
				 "       ARRAY(SELECT n.name FROM kyc_risk.watchlist_names n "
				 "             WHERE n.entity_id OPERATOR(pg_catalog.=) e.id ORDER BY n.id), "
				 "       'DELETE', $2, $3, $4 "
				 "FROM e RETURNING id",
				 4, argtypes);
	if (SPI_execute_plan(record_plan, values, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not record the removal of watch-list entity " INT64_FORMAT, entity_id);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("watch-list entity " INT64_FORMAT " does not exist", entity_id),
				 errhint("Find the id in kyc_risk.watchlist_entities, or in the entity_id that screen() returns.")));
	change_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

	KycSavedPlan(&delete_plan,
				 "DELETE FROM kyc_risk.watchlist_entities WHERE id OPERATOR(pg_catalog.=) $1",
				 1, argtypes);
	if (SPI_execute_plan(delete_plan, values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not remove watch-list entity " INT64_FORMAT, entity_id);
	return change_id;
}

PG_FUNCTION_INFO_V1(kyc_risk_remove_watchlist_entity);

/*
 * SQL: kyc_risk.remove_watchlist_entity(entity_id bigint, reason text)
 * returns bigint: the id of the kyc_risk.watchlist_changes row recording
 * the removal.
 */
Datum
kyc_risk_remove_watchlist_entity(PG_FUNCTION_ARGS)
{
	int64		entity_id;
	char	   *reason;
	int64		change_id;
	KycOwnerScope owner;

	KycRequireArg(fcinfo, 0, "entity_id");
	entity_id = PG_GETARG_INT64(0);
	reason = KycTextArg(fcinfo, 1, "reason");
	CheckReason(reason);

	KycBecomeOwner(KycTableOwner("kyc_risk", "watchlist_entities"), &owner);
	KycSpiConnect();
	change_id = RecordAndDelete(entity_id, reason);
	SPI_finish();
	KycLeaveOwner(&owner);
	PG_RETURN_INT64(change_id);
}
