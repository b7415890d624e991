/*
 * kyc_owner.c
 *		Acting as a table's owner inside a trigger, safely.
 *
 * Some triggers write what the session may not (a checklist's counts, an
 * assessment's score) and so run as the owner of the table.  The session
 * chooses its search_path, and a saved plan is re-analysed under the
 * current one: an operator or function the session put earlier on the path
 * would run with the owner's rights.  So while acting as the owner, name
 * lookup sees pg_catalog alone, and the operation is security-restricted,
 * as PostgreSQL does for maintenance commands run as a table's owner.
 *
 * On PostgreSQL 15 the path is pushed as an override, not set through the
 * search_path GUC: row triggers do this per row, and the GUC's save, assign
 * and restore cost about 35 microseconds a time (kyc_compat.h).
 */
#include "kyc_common.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

/* Act as owner, with name lookup in pg_catalog only, until KycLeaveOwner(). */
void
KycBecomeOwner(Oid owner, KycOwnerScope *scope)
{
	GetUserIdAndSecContext(&scope->saved_user, &scope->saved_context);
	SetUserIdAndSecContext(owner, scope->saved_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	scope->search_path_nest = KycPushCatalogSearchPath();
}

/* Back to the session's user and search path; an error undoes both anyway. */
void
KycLeaveOwner(KycOwnerScope *scope)
{
	KycPopCatalogSearchPath(scope->search_path_nest);
	SetUserIdAndSecContext(scope->saved_user, scope->saved_context);
}

/* The owner of schema.table, for code that writes it as its owner. */
Oid
KycTableOwner(const char *schema, const char *table)
{
	Oid			relid = get_relname_relid(table, get_namespace_oid(schema, false));
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation %s.%s does not exist", schema, table),
				 errhint("Reinstall the %s extension.", schema)));
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

/*
 * Run a saved one-column plan as owner and return its first row's value as
 * text, in the caller's memory context, or NULL if there is none.  Not
 * read-only: a fresh snapshot sees rows written earlier in the same
 * function, such as a parent inserted just before its child.
 */
char *
KycOwnerLookupText(Oid owner, SPIPlanPtr plan, Datum *values, const char *what)
{
	MemoryContext caller = CurrentMemoryContext;
	KycOwnerScope scope;
	char	   *result = NULL;

	KycSpiConnect();
	KycBecomeOwner(owner, &scope);
	if (SPI_execute_plan(plan, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read %s", what);
	if (SPI_processed == 1)
	{
		char	   *str = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (str != NULL)
			result = MemoryContextStrdup(caller, str);
	}
	KycLeaveOwner(&scope);
	SPI_finish();
	return result;
}
