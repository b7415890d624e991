/*
 * kyc_row.c
 *		Read and rewrite columns of a trigger's row by name.
 *
 * Trigger code in pgkyc names columns rather than hard-coding attribute
 * numbers, so a column added by an upgrade script cannot shift them.
 */
#include "kyc_common.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"

/* Attribute number of column name, or an error naming the table's shape. */
int
KycAttnum(TupleDesc tupdesc, const char *name)
{
	int			attnum = SPI_fnumber(tupdesc, name);

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" is missing from the trigger's table", name),
				 errhint("The table does not have the shape this pgkyc trigger expects.")));
	return attnum;
}

/* Column value as a C string in its text form, or NULL. */
char *
KycRowText(HeapTuple tuple, TupleDesc tupdesc, const char *name)
{
	return SPI_getvalue(tuple, tupdesc, KycAttnum(tupdesc, name));
}

/* Column value as a Datum; *isnull tells whether it is NULL. */
Datum
KycRowDatum(HeapTuple tuple, TupleDesc tupdesc, const char *name, bool *isnull)
{
	return heap_getattr(tuple, KycAttnum(tupdesc, name), tupdesc, isnull);
}

/* True when column name holds the same value in both rows. */
bool
KycRowSame(HeapTuple a, HeapTuple b, TupleDesc tupdesc, const char *name)
{
	int			attnum = KycAttnum(tupdesc, name);

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

/* Queue column name := value (or NULL) in a set of changes. */
void
KycChangeSet(KycRowChanges *changes, TupleDesc tupdesc, const char *name,
			 Datum value, bool isnull)
{
	if (changes->count >= KYC_MAX_ROW_CHANGES)
		elog(ERROR, "too many column changes in one trigger call");
	changes->columns[changes->count] = KycAttnum(tupdesc, name);
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
