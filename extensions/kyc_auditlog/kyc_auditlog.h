/*
 * kyc_auditlog.h
 *		Internal declarations of the kyc_auditlog extension.
 */
#ifndef KYC_AUDITLOG_H
#define KYC_AUDITLOG_H

#include "kyc_common.h"

#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "nodes/execnodes.h"

#include "row_encoding.h"

/* Version tag that starts every canonical encoding; bump if it changes. */
#define AUDIT_ENCODING_V1 "kyc_auditlog/row/v1"

/* Version tag that starts every block hash. */
#define AUDIT_BLOCK_V1 "kyc_auditlog/block/v1"

/* A sealed block, as hashed. */
typedef struct AuditBlock
{
	int64		block_id;
	uint8		prev_hash[KYC_SHA256_LEN];
	uint8		merkle_root[KYC_SHA256_LEN];
	uint64		first_xid;
	int64		first_seq;
	uint64		last_xid;
	int64		last_seq;
	int64		entries;
	TimestampTz sealed_at;
	TimestampTz min_entry_at;	/* earliest and latest "timestamp" of its
								 * entries */
	TimestampTz max_entry_at;
} AuditBlock;

/* A routed entry time may trail the clock across a month boundary by this much. */
#define ENTRY_TIME_SLACK (60 * USECS_PER_SEC)

/* The partition that catches rows no month holds; it stays empty. */
#define AUDIT_DEFAULT_PARTITION "audit_log_entries_default"

/* kyc_auditlog.c */
extern bool audit_marking_verified;
extern int	audit_verify_min_age;
extern void AuditLock(const char *name);

/* partition.c */
extern int	AuditMonthOf(TimestampTz ts);
extern int	AuditEnsurePartitions(int months_ahead);

/* row_hash.c */

/* Where each column encoding v1 hashes is in a row type, and how it is encoded. */
typedef struct AuditRowLayout
{
	int			index[AUDIT_HASHED_COLUMNS];	/* attnum - 1 */
	Oid			type[AUDIT_HASHED_COLUMNS];
	char		tag[AUDIT_HASHED_COLUMNS];
} AuditRowLayout;

extern void AuditRowLayoutInit(AuditRowLayout *layout, TupleDesc desc);
extern void AuditRowEncodeLayout(const AuditRowLayout *layout, const Datum *values, const bool *nulls,
								 StringInfo buf);
extern void AuditRowHashLayout(const AuditRowLayout *layout, const Datum *values, const bool *nulls,
							   uint8 *digest);
extern void AuditRowHashValues(TupleDesc desc, const Datum *values, const bool *nulls, uint8 *digest);
extern void AuditCompositeHash(Datum composite, uint8 *digest);
extern void AuditRowEncode(TupleDesc desc, const Datum *values, const bool *nulls, StringInfo buf);
extern void AuditCompositeEncode(Datum composite, StringInfo buf);
extern bool AuditStoredHash(Datum value, bool isnull, uint8 *out);

/* row_json.c */
extern void AuditJsonbText(StringInfo buf, const Jsonb *jb);

/* seal.c */

/* verify.c */
extern void AuditReport(ReturnSetInfo *rsinfo, int64 block_id, Datum entry_id, bool has_entry,
						const char *problem);

/* verify_digests.c */
extern int64 AuditLatestDigestBlock(Jsonb *digests, bool *found);
extern void AuditCheckDigestShape(Jsonb *digests);
extern void AuditCheckDigests(ReturnSetInfo *rsinfo, Jsonb *digests, int64 from, int64 to);

/* Entries order by (xid, entry_seq): the order they are sealed in. */
static inline int
AuditKeyCmp(uint64 a_xid, int64 a_seq, uint64 b_xid, int64 b_seq)
{
	if (a_xid != b_xid)
		return a_xid < b_xid ? -1 : 1;
	if (a_seq != b_seq)
		return a_seq < b_seq ? -1 : 1;
	return 0;
}

/* verify_order.c: one entry as verify() walks it, and the walk's order. */
typedef struct AuditEntryRecord
{
	uint64		xid;
	int64		seq;
	uint8		hash[KYC_SHA256_LEN];	/* the stored integrity_hash */
} AuditEntryRecord;

typedef struct AuditEntryOrder
{
	AuditEntryRecord *records;	/* in memory, or NULL once spilled */
	uint64		count;
	uint64		size;
	uint64		limit;			/* records maintenance_work_mem holds */
	bool		sorted;			/* put in order so far */
	uint64		next;			/* the next to read */
	struct Tuplesortstate *sort;	/* once spilled */
	struct TupleTableSlot *slot;
} AuditEntryOrder;

extern void AuditOrderBegin(AuditEntryOrder *order);
extern void AuditOrderPut(AuditEntryOrder *order, const AuditEntryRecord *record);
extern void AuditOrderSort(AuditEntryOrder *order);
extern bool AuditOrderNext(AuditEntryOrder *order, AuditEntryRecord *record);
extern void AuditOrderEnd(AuditEntryOrder *order);

/* merkle.c */
extern void AuditMerkleRoot(uint8 (*hashes)[KYC_SHA256_LEN], int n, uint8 *root);
extern void AuditBlockHash(const AuditBlock *block, uint8 *out);

#endif							/* KYC_AUDITLOG_H */
