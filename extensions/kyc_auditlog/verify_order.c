/*
 * verify_order.c
 *		The entries verify() has read, put in (xid, entry_seq) order for
 *		its walk alongside the blocks.
 *
 * A partition is read sequentially, in the order its rows were written,
 * which is the sealing order but where transactions overlapped.  So each
 * entry's record, 48 bytes, goes into an array, which is sorted only if a
 * record came out of order, and then by a sort specialised for it.  Past
 * maintenance_work_mem the records go to a tuplesort instead, which spills
 * to disk: the ledger is not bounded by memory.
 */
#include "kyc_auditlog.h"

#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/tuplesort.h"

/* Columns of a spilled record: xid, entry_seq, then the stored hash as 4 words. */
#define SORT_COLUMNS 6

/* Records order by (xid, entry_seq): the order they were sealed in. */
static inline int
RecordCmp(const AuditEntryRecord *a, const AuditEntryRecord *b)
{
	return AuditKeyCmp(a->xid, a->seq, b->xid, b->seq);
}

#define ST_SORT SortRecords
#define ST_ELEMENT_TYPE AuditEntryRecord
#define ST_COMPARE(a, b) RecordCmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* Start with an empty array, bounded by maintenance_work_mem. */
void
AuditOrderBegin(AuditEntryOrder *order)
{
	memset(order, 0, sizeof(*order));
	order->size = 1024;
	order->records = palloc(sizeof(AuditEntryRecord) * order->size);
	order->sorted = true;
	order->limit = Max((uint64) maintenance_work_mem * 1024 / sizeof(AuditEntryRecord), order->size);
}

/*
 * Move the records to a tuplesort, which keeps to maintenance_work_mem and
 * spills beyond it.  The array is freed once its records are in the sort:
 * for that moment the two together may hold up to twice
 * maintenance_work_mem.
 */
static void
Spill(AuditEntryOrder *order)
{
	TupleDesc	desc = CreateTemplateTupleDesc(SORT_COLUMNS);
	AttrNumber	keys[2] = {1, 2};
	Oid			operators[2] = {Int8LessOperator, Int8LessOperator};
	Oid			collations[2] = {InvalidOid, InvalidOid};
	bool		nulls_first[2] = {false, false};
	uint64		i;
	int			c;

	for (c = 1; c <= SORT_COLUMNS; c++)
		TupleDescInitEntry(desc, c, NULL, INT8OID, -1, 0);
	order->sort = tuplesort_begin_heap(desc, 2, keys, operators, collations, nulls_first,
									   maintenance_work_mem, NULL, TUPLESORT_NONE);
	order->slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	for (i = 0; i < order->count; i++)
		AuditOrderPut(order, &order->records[i]);
	pfree(order->records);
	order->records = NULL;
	order->count = 0;
}

/* Queue one entry's record. */
void
AuditOrderPut(AuditEntryOrder *order, const AuditEntryRecord *record)
{
	TupleTableSlot *slot = order->slot;
	int			w;

	if (order->sort == NULL)
	{
		if (order->count == order->size && order->size < order->limit)
		{
			order->size = Min(order->size * 2, order->limit);
			order->records = repalloc_huge(order->records, sizeof(AuditEntryRecord) * order->size);
		}
		if (order->count < order->size)
		{
			if (order->count > 0 && RecordCmp(&order->records[order->count - 1], record) > 0)
				order->sorted = false;
			order->records[order->count++] = *record;
			return;
		}
		Spill(order);
		slot = order->slot;
	}
	ExecClearTuple(slot);
	slot->tts_values[0] = Int64GetDatum((int64) record->xid);
	slot->tts_values[1] = Int64GetDatum(record->seq);
	for (w = 0; w < 4; w++)
	{
		int64		word;

		memcpy(&word, record->hash + 8 * w, 8);
		slot->tts_values[2 + w] = Int64GetDatum(word);
	}
	memset(slot->tts_isnull, 0, sizeof(bool) * SORT_COLUMNS);
	ExecStoreVirtualTuple(slot);
	tuplesort_puttupleslot(order->sort, slot);
}

/* Every record is in: put them in order. */
void
AuditOrderSort(AuditEntryOrder *order)
{
	if (order->sort != NULL)
		tuplesort_performsort(order->sort);
	else if (!order->sorted)
		SortRecords(order->records, order->count);
	order->next = 0;
}

/* The next record in order into *record; false after the last. */
bool
AuditOrderNext(AuditEntryOrder *order, AuditEntryRecord *record)
{
	TupleTableSlot *slot = order->slot;
	int			w;

	if (order->sort == NULL)
	{
		if (order->next == order->count)
			return false;
		*record = order->records[order->next++];
		return true;
	}
	if (!tuplesort_gettupleslot(order->sort, true, false, slot, NULL))
		return false;
	slot_getallattrs(slot);
	record->xid = (uint64) DatumGetInt64(slot->tts_values[0]);
	record->seq = DatumGetInt64(slot->tts_values[1]);
	for (w = 0; w < 4; w++)
	{
		int64		word = DatumGetInt64(slot->tts_values[2 + w]);

		memcpy(record->hash + 8 * w, &word, 8);
	}
	return true;
}

/* Free what the records took. */
void
AuditOrderEnd(AuditEntryOrder *order)
{
	if (order->sort != NULL)
	{
		tuplesort_end(order->sort);
		ExecDropSingleTupleTableSlot(order->slot);
	}
	else
		pfree(order->records);
}
