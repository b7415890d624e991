/*
 * kyc_row.c
 *		Read and rewrite columns of a trigger's row by name.
 *
 * Trigger code in pgkyc names columns rather than hard-coding attribute
 * numbers, so a column added by an upgrade script cannot shift them.
 */
#include "kyc_common.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"

/* Bumped by every relcache invalidation, so cached attnums are re-resolved after DDL. */
static uint64 column_generation = 1;
static bool column_callback_registered = false;

/* Relcache invalidation callback: forget every cached attribute number. */
static void
InvalidateColumns(Datum arg, Oid relid)
{
	column_generation++;
}

/*
 * Attribute number of column in tupdesc.  The name is looked up once and
 * cached in the KycColumn until the row type or any relation changes, so a
 * trigger's per-row cost does not include name lookups.
 */
int
KycAttnum(TupleDesc tupdesc, KycColumn *column)
{
	int			attnum;

	if (column->generation == column_generation &&
		column->typid == tupdesc->tdtypeid && OidIsValid(column->typid))
		return column->attnum;
	if (!column_callback_registered)
	{
		CacheRegisterRelcacheCallback(InvalidateColumns, (Datum) 0);
		column_callback_registered = true;
	}
	attnum = SPI_fnumber(tupdesc, column->name);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" is missing from the trigger's table", column->name),
				 errhint("The table does not have the shape this pgkyc trigger expects.")));
	column->attnum = attnum;
	column->typid = tupdesc->tdtypeid;
	column->generation = column_generation;
	return attnum;
}

/*
 * Column value as a C string in its text form, or NULL.  text and varchar
 * are detoasted directly; other types go through their output function.
 */
char *
KycRowText(HeapTuple tuple, TupleDesc tupdesc, KycColumn *column)
{
	int			attnum = KycAttnum(tupdesc, column);
	Oid			type = TupleDescAttr(tupdesc, attnum - 1)->atttypid;
	bool		isnull;
	Datum		value;

	if (type != TEXTOID && type != VARCHAROID)
		return SPI_getvalue(tuple, tupdesc, attnum);
	value = heap_getattr(tuple, attnum, tupdesc, &isnull);
	return isnull ? NULL : TextDatumGetCString(value);
}

/* Column value as a Datum; *isnull tells whether it is NULL. */
Datum
KycRowDatum(HeapTuple tuple, TupleDesc tupdesc, KycColumn *column, bool *isnull)
{
	return heap_getattr(tuple, KycAttnum(tupdesc, column), tupdesc, isnull);
}

/* True when column holds the same value in both rows. */
bool
KycRowSame(HeapTuple a, HeapTuple b, TupleDesc tupdesc, KycColumn *column)
{
	int			attnum = KycAttnum(tupdesc, column);

	return KycAttrSame(a, b, tupdesc, attnum);
}

/* True when attribute attnum holds binary-identical values in both rows. */
bool
KycAttrSame(HeapTuple a, HeapTuple b, TupleDesc tupdesc, int attnum)
{
	Form_pg_attribute att = TupleDescAttr(tupdesc, attnum - 1);
	bool		anull;
	bool		bnull;
	Datum		av = heap_getattr(a, attnum, tupdesc, &anull);
	Datum		bv = heap_getattr(b, attnum, tupdesc, &bnull);

	if (anull || bnull)
		return anull == bnull;
	return datumIsEqual(av, bv, att->attbyval, att->attlen);
}

/* Queue column := value (or NULL) in a set of changes. */
void
KycChangeSet(KycRowChanges *changes, TupleDesc tupdesc, KycColumn *column,
			 Datum value, bool isnull)
{
	if (changes->count >= KYC_MAX_ROW_CHANGES)
		elog(ERROR, "too many column changes in one trigger call");
	changes->columns[changes->count] = KycAttnum(tupdesc, column);
	changes->values[changes->count] = value;
	changes->nulls[changes->count] = isnull;
	changes->count++;
}

/* Return tuple with the queued changes applied (tuple itself if none). */
HeapTuple
KycChangeApply(HeapTuple tuple, TupleDesc tupdesc, KycRowChanges *changes)
{
	if (changes->count == 0)
		return tuple;
	return heap_modify_tuple_by_cols(tuple, tupdesc, changes->count,
									 changes->columns, changes->values,
									 changes->nulls);
}
