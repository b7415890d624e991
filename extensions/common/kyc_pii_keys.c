/*
 * kyc_pii_keys.c
 *		Per-case data keys, kept wrapped in <schema>.case_keys, and their
 *		destruction.
 *
 * Only the table's owner reads or writes case_keys; the code here acts as
 * that owner (kyc_owner.c), so a service role seals and opens personal data
 * without ever holding a key.  A row whose wrapped_key is NULL is a case
 * forgotten by crypto-shredding: its sealed values can no longer be opened
 * anywhere, and no new ones are sealed for it.
 */
#include "kyc_common.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

/*
 * Look up case_id's key row as the table's owner, connected to SPI; false
 * when there is none.  What it returns is allocated in caller, the context
 * of the function that connected, which outlives SPI_finish().
 */
static bool
FetchKeyRow(KycKeyStore *store, Oid owner, const char *case_id, bool create,
			MemoryContext caller, bytea **wrapped, char **shredded_at)
{
	Oid			argtypes[2] = {TEXTOID, BYTEAOID};
	Datum		values[2];
	KycOwnerScope scope;
	bool		found;
	int			ret;

	if (store->select_plan == NULL)
	{
		char	   *sql = psprintf("SELECT wrapped_key, shredded_at::pg_catalog.text FROM %s.case_keys "
								   "WHERE case_id OPERATOR(pg_catalog.=) $1", store->schema);

		KycSavedPlan(&store->select_plan, sql, 1, argtypes);
		sql = psprintf("INSERT INTO %s.case_keys AS k (case_id, wrapped_key) VALUES ($1, $2) "
					   "ON CONFLICT (case_id) DO UPDATE SET case_id = k.case_id "
					   "RETURNING k.wrapped_key, k.shredded_at::pg_catalog.text", store->schema);
		KycSavedPlan(&store->insert_plan, sql, 2, argtypes);
	}
	values[0] = CStringGetTextDatum(case_id);
	KycBecomeOwner(owner, &scope);
	ret = SPI_execute_plan(store->select_plan, values, NULL, false, 1);
	if (ret == SPI_OK_SELECT && SPI_processed == 0 && create)
	{
		/* Losing a race to another sealer returns the winner's key. */
		values[1] = PointerGetDatum(KycPiiNewWrappedKey(case_id));
		ret = SPI_execute_plan(store->insert_plan, values, NULL, false, 1);
	}
	if (ret != SPI_OK_SELECT && ret != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not read the data key of case %s", case_id);
	found = SPI_processed > 0;
	if (found)
	{
		HeapTuple	row = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		Datum		key = SPI_getbinval(row, desc, 1, &isnull);
		MemoryContext spi = MemoryContextSwitchTo(caller);

		*wrapped = isnull ? NULL : DatumGetByteaPCopy(key);
		*shredded_at = SPI_getvalue(row, desc, 2);
		MemoryContextSwitchTo(spi);
	}
	KycLeaveOwner(&scope);
	return found;
}

/*
 * Fill key with case_id's data key, creating it when create and the case
 * has none.  Returns false when there is no key: never created (and not
 * create), or destroyed, in which case *forgotten_at says when.
 */
bool
KycCaseDataKey(KycKeyStore *store, const char *case_id, bool create, uint8 *key,
			   char **forgotten_at)
{
	Oid			owner = KycTableOwner(store->schema, "case_keys");
	MemoryContext caller = CurrentMemoryContext;
	bytea	   *wrapped = NULL;
	char	   *shredded_at = NULL;
	bool		found;

	KycSpiConnect();
	found = FetchKeyRow(store, owner, case_id, create, caller, &wrapped, &shredded_at);
	SPI_finish();
	*forgotten_at = shredded_at;
	if (!found || wrapped == NULL)
		return false;
	KycPiiUnwrapKey(case_id, wrapped, key);
	return true;
}

/*
 * Destroy case_id's data key, or record that it has none, so that nothing
 * sealed for it opens again and nothing new is sealed.  Returns when the
 * case was forgotten: now, or the first time.
 */
char *
KycShredCaseKey(KycKeyStore *store, const char *case_id, const char *actor)
{
	static const char *sql_format =
	"INSERT INTO %s.case_keys AS k (case_id, wrapped_key, shredded_at, shredded_by) "
	"VALUES ($1, NULL, pg_catalog.now(), $2) "
	"ON CONFLICT (case_id) DO UPDATE SET wrapped_key = NULL, "
	"  shredded_at = COALESCE(k.shredded_at, excluded.shredded_at), "
	"  shredded_by = COALESCE(k.shredded_by, excluded.shredded_by) "
	"RETURNING k.shredded_at::pg_catalog.text";
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2] = {CStringGetTextDatum(case_id), CStringGetTextDatum(actor)};
	Oid			owner = KycTableOwner(store->schema, "case_keys");
	KycOwnerScope scope;
	MemoryContext caller = CurrentMemoryContext;
	char	   *when;

	KycSpiConnect();
	KycSavedPlan(&store->shred_plan, psprintf(sql_format, store->schema), 2, argtypes);
	KycBecomeOwner(owner, &scope);
	if (SPI_execute_plan(store->shred_plan, values, NULL, false, 1) != SPI_OK_INSERT_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "could not destroy the data key of case %s", case_id);
	when = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	KycLeaveOwner(&scope);
	SPI_finish();
	return when;
}
