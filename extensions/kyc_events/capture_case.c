/*
 * capture_case.c
 *		The public case id (KYC-...) of a captured row, for its audit entry.
 *
 * kyc_events.capture_case_path says, per captured table, how a row reaches
 * its case: a column holding the public id, or a column referencing a
 * parent table's key, the parent reaching the case by its own path.  Each
 * table's path becomes one saved, parameterised plan whose text is built
 * from catalog identifiers only (quote_identifier, never row data), read
 * and run as the catalog's owner.  A table without a path falls back to a
 * column case_id, if it has one.
 *
 * Paths are cached per backend and dropped on any relcache invalidation;
 * kyc_events.capture() replaces the table's trigger, which sends one.
 */
#include "kyc_events.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

/* Parents followed at most: more is a loop in the catalog. */
#define KYC_CASE_PATH_MAX_HOPS 8

typedef struct CasePath
{
	Oid			relid;			/* hash key: the captured table */
	bool		valid;			/* loaded completely */
	Oid			owner;			/* the catalog's owner, who runs the lookup */
	AttrNumber	attnum;			/* the row's column that leads to the case; 0:
								 * none */
	SPIPlanPtr	plan;			/* parents' lookup, $1 the column; NULL: it is
								 * the id */
} CasePath;

static HTAB *case_paths = NULL;
static bool case_paths_stale = false;

/* Any relcache invalidation may be a new path: forget them all, lazily. */
static void
CasePathsInvalidate(Datum arg, Oid relid)
{
	case_paths_stale = true;
}

/* The cache, created on first use and emptied after an invalidation. */
static HTAB *
CasePaths(void)
{
	HASHCTL		ctl;

	if (case_paths != NULL && case_paths_stale)
	{
		HASH_SEQ_STATUS status;
		CasePath   *entry;

		hash_seq_init(&status, case_paths);
		while ((entry = hash_seq_search(&status)) != NULL)
			if (entry->plan != NULL)
				SPI_freeplan(entry->plan);
		hash_destroy(case_paths);
		case_paths = NULL;
	}
	if (case_paths == NULL)
	{
		static bool registered = false;

		if (!registered)
			CacheRegisterRelcacheCallback(CasePathsInvalidate, (Datum) 0);
		registered = true;
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(CasePath);
		case_paths = hash_create("kyc_events case paths", 16, &ctl, HASH_ELEM | HASH_BLOBS);
		case_paths_stale = false;
	}
	return case_paths;
}

/* The catalog row of relid: true and its fields if there is one. */
static bool
ReadPath(Oid relid, char **column, Oid *parent, char **parent_key)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(relid)};
	bool		isnull;
	HeapTuple	row;
	TupleDesc	desc;

	KycSavedPlan(&plan,
				 "SELECT case_column::pg_catalog.text, parent::pg_catalog.oid, parent_key::pg_catalog.text "
				 "FROM kyc_events.capture_case_path "
				 "WHERE target::pg_catalog.oid OPERATOR(pg_catalog.=) $1", 1, argtypes);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_events.capture_case_path");
	if (SPI_processed == 0)
		return false;
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	*column = SPI_getvalue(row, desc, 1);
	*parent = DatumGetObjectId(SPI_getbinval(row, desc, 2, &isnull));
	if (isnull)
		*parent = InvalidOid;
	*parent_key = SPI_getvalue(row, desc, 3);
	return true;
}

/* A table's schema-qualified, quoted name, from its oid. */
static char *
QualifiedName(Oid relid)
{
	char	   *name = get_rel_name(relid);

	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("kyc_events.capture_case_path names a table that no longer exists (oid %u)", relid),
				 errhint("Capture the tables again with kyc_events.capture().")));
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
}

/*
 * Fill entry for rel: the column, and for a path through parents the plan
 * SELECT tN.case::text FROM p1 t1, ... WHERE t1.key = $1 AND t2.key = t1.col ...
 */
static void
LoadPath(Relation rel, CasePath *entry)
{
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *column;
	Oid			parent;
	char	   *key;
	StringInfoData from;
	StringInfoData where;
	Oid			argtype;
	int			hop;

	entry->attnum = 0;
	entry->plan = NULL;
	if (!ReadPath(RelationGetRelid(rel), &column, &parent, &key))
	{
		entry->attnum = Max(SPI_fnumber(desc, "case_id"), 0);
		return;
	}
	entry->attnum = SPI_fnumber(desc, column);
	if (entry->attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("case path of %s names column %s, which it does not have",
						RelationGetRelationName(rel), column),
				 errhint("Capture the table again with kyc_events.capture().")));
	if (!OidIsValid(parent))
		return;
	argtype = TupleDescAttr(desc, entry->attnum - 1)->atttypid;
	initStringInfo(&from);
	initStringInfo(&where);
	appendStringInfo(&where, "t1.%s OPERATOR(pg_catalog.=) $1", quote_identifier(key));
	for (hop = 1; OidIsValid(parent); hop++)
	{
		Oid			from_rel = parent;

		if (hop > KYC_CASE_PATH_MAX_HOPS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_RECURSION),
					 errmsg("case path of %s has more than %d parents", RelationGetRelationName(rel),
							KYC_CASE_PATH_MAX_HOPS),
					 errhint("kyc_events.capture_case_path has a loop.")));
		appendStringInfo(&from, "%s%s t%d", hop > 1 ? ", " : "", QualifiedName(from_rel), hop);
		if (!ReadPath(from_rel, &column, &parent, &key))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("case path of %s leads to %s, which has no case path",
							RelationGetRelationName(rel), get_rel_name(from_rel)),
					 errhint("Capture %s with its case path.", get_rel_name(from_rel))));
		if (OidIsValid(parent))
			appendStringInfo(&where, " AND t%d.%s OPERATOR(pg_catalog.=) t%d.%s",
							 hop + 1, quote_identifier(key), hop, quote_identifier(column));
	}
	KycSavedPlan(&entry->plan,
				 psprintf("SELECT t%d.%s::pg_catalog.text FROM %s WHERE %s",
						  hop - 1, quote_identifier(column), from.data, where.data),
				 1, &argtype);
}

/* The public case id of a captured row of rel, or NULL if none is known. */
char *
KycCaptureCaseId(Relation rel, HeapTuple row)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			relid = RelationGetRelid(rel);
	CasePath   *entry;
	bool		found;
	bool		isnull;
	Datum		value;
	KycOwnerScope scope;

	entry = hash_search(CasePaths(), &relid, HASH_ENTER, &found);
	if (!found || !entry->valid)
	{
		entry->valid = false;
		entry->plan = NULL;
		entry->owner = KycTableOwner("kyc_events", "capture_case_path");
		KycSpiConnect();
		KycBecomeOwner(entry->owner, &scope);
		LoadPath(rel, entry);
		KycLeaveOwner(&scope);
		SPI_finish();
		entry->valid = true;
	}
	if (entry->attnum == 0)
		return NULL;
	if (entry->plan == NULL)
		return SPI_getvalue(row, desc, entry->attnum);
	value = SPI_getbinval(row, desc, entry->attnum, &isnull);
	if (isnull)
		return NULL;
	return KycOwnerLookupText(entry->owner, entry->plan, &value, "the case of a captured row");
}
