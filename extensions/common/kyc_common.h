/*
 * kyc_common.h
 *		C helpers shared by every pgkyc extension.
 *
 * The code behind these declarations is linked statically into each
 * extension from libkyccommon.a, so it is written once and never copied.
 */
#ifndef KYC_COMPAT_COMMON_H
#define KYC_COMPAT_COMMON_H

#include "kyc_compat.h"

#include "access/htup.h"
#include "access/transam.h"
#include "access/tupdesc.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/jsonb.h"

#define KYC_SHA256_LEN 32
#define KYC_SHA256_HEX_LEN 64

/* Longest topic and aggregate id the outbox accepts, in bytes. */
#define KYC_TOPIC_MAX 100
#define KYC_AGGREGATE_ID_MAX 200

/*
 * Longest actor name (kyc.actor, the JWT subject, transition()'s actor),
 * and longest text header of an event (request id), in bytes.
 */
#define KYC_ACTOR_MAX 200

/* kyc_sha256.c */
extern void KycSha256(const void *data, size_t len, uint8 *digest);

/* kyc_hex.c */
extern void KycHexEncode(const uint8 *bytes, size_t len, char *hex);
extern bool KycIsSha256Hex(const char *text, size_t len);
extern bool KycHexDecodeSha256(const char *hex, uint8 *out);

/* kyc_errors.c */
extern void KycRequireArg(FunctionCallInfo fcinfo, int argno, const char *argname);
extern char *KycTextArg(FunctionCallInfo fcinfo, int argno, const char *argname);
#define KYC_QUOTED_MAX 64
extern char *KycQuoted(const char *value);

/* kyc_allowed.c */
struct RelationData;
extern void KycCheckAllowed(struct RelationData *rel, const char *column, const char *value,
							char *const *allowed, int nallowed);
extern Datum KycAllowedValuesTrigger(FunctionCallInfo fcinfo);

/*
 * Define the extension's allowed_values() trigger function, as C symbol
 * name (its SQL declaration is in the install script), once per extension.
 */
#define KYC_ALLOWED_VALUES_TRIGGER(name) \
PG_FUNCTION_INFO_V1(name); \
Datum name(PG_FUNCTION_ARGS) { return KycAllowedValuesTrigger(fcinfo); } \
extern Datum name(PG_FUNCTION_ARGS)

/* kyc_parent_case.c */
extern Datum KycInheritCaseIdTrigger(FunctionCallInfo fcinfo);

/*
 * Define the extension's inherit_case_id() trigger function, as C symbol
 * name (its SQL declaration is in the install script), once per extension.
 */
#define KYC_INHERIT_CASE_ID_TRIGGER(name) \
PG_FUNCTION_INFO_V1(name); \
Datum name(PG_FUNCTION_ARGS) { return KycInheritCaseIdTrigger(fcinfo); } \
extern Datum name(PG_FUNCTION_ARGS)

/* kyc_json.c */
extern Jsonb *KycTupleToJsonb(HeapTuple tuple, TupleDesc tupdesc);
extern void KycJsonPushKey(JsonbParseState **state, const char *key);
extern void KycJsonPushText(JsonbParseState **state, const char *key, const char *value);
extern void KycJsonPushNumeric(JsonbParseState **state, const char *key, Numeric value);
extern void KycJsonPushDecimal(JsonbParseState **state, const char *key, const char *digits);
extern void KycJsonPushInt64(JsonbParseState **state, const char *key, int64 value);
extern void KycJsonPushFloat(JsonbParseState **state, const char *key, double value, int decimals);
extern void KycJsonPushBool(JsonbParseState **state, const char *key, bool value);
extern void KycJsonPushColumn(JsonbParseState **state, const char *key, HeapTuple row, TupleDesc desc,
							  int column);
extern void KycJsonBegin(JsonbParseState **state, const char *key, JsonbIteratorToken token);
extern Jsonb *KycJsonFinish(JsonbParseState **state);
extern Jsonb *KycJsonEmptyObject(void);
extern Jsonb *KycJsonbConcat(Jsonb *a, Jsonb *b);

/* kyc_row.c */
#define KYC_MAX_ROW_CHANGES 16

typedef struct KycRowChanges
{
	int			count;
	int			columns[KYC_MAX_ROW_CHANGES];
	Datum		values[KYC_MAX_ROW_CHANGES];
	bool		nulls[KYC_MAX_ROW_CHANGES];
} KycRowChanges;

/* A column a trigger uses, by name, with its attribute number cached. */
typedef struct KycColumn
{
	const char *name;
	Oid			typid;			/* row type the cache is for */
	uint64		generation;
	int			attnum;
} KycColumn;

#define KYC_COLUMN(name) {(name), InvalidOid, 0, 0}

extern int	KycAttnum(TupleDesc tupdesc, KycColumn *column);
extern char *KycRowText(HeapTuple tuple, TupleDesc tupdesc, KycColumn *column);
extern Datum KycRowDatum(HeapTuple tuple, TupleDesc tupdesc, KycColumn *column, bool *isnull);
extern bool KycRowSame(HeapTuple a, HeapTuple b, TupleDesc tupdesc, KycColumn *column);
extern bool KycAttrSame(HeapTuple a, HeapTuple b, TupleDesc tupdesc, int attnum);
extern void KycChangeSet(KycRowChanges *changes, TupleDesc tupdesc, KycColumn *column,
						 Datum value, bool isnull);
extern HeapTuple KycChangeApply(HeapTuple tuple, TupleDesc tupdesc, KycRowChanges *changes);

/* kyc_trigger.c */
struct TriggerData;
extern struct TriggerData *KycTriggerData(FunctionCallInfo fcinfo, const char *name);
extern struct TriggerData *KycTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before, bool row);
extern struct TriggerData *KycAnyTableTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before, bool row);
extern struct TriggerData *KycWriteTriggerCall(FunctionCallInfo fcinfo, const char *name, bool before);

/* kyc_owner.c */
typedef struct KycOwnerScope
{
	Oid			saved_user;
	int			saved_context;
	int			search_path_nest;	/* for KycPopCatalogSearchPath() */
} KycOwnerScope;

extern void KycBecomeOwner(Oid owner, KycOwnerScope *scope);
extern void KycLeaveOwner(KycOwnerScope *scope);
extern Oid	KycTableOwner(const char *schema, const char *table);
extern char *KycOwnerLookupText(Oid owner, SPIPlanPtr plan, Datum *values, const char *what);

/* kyc_horizon.c */
extern FullTransactionId KycDatabaseHorizon(void);

/* kyc_spi.c */
extern SPIPlanPtr KycSavedPlan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes);
extern SPIPlanPtr KycSavedPlanOptions(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes,
									  int cursor_options);
extern int	KycExecuteLatest(SPIPlanPtr plan, Datum *values, const char *nulls);
extern void KycSpiConnect(void);
extern uint64 KycXid8Column(HeapTuple row, TupleDesc desc, int column);
extern void KycRequireDelivery(Oid event_type, Datum event, Oid handler, const char *topics);

/* kyc_pii.c: personal data sealed under per-case data keys */
#define KYC_PII_KEY_LEN 32
extern bytea *KycPiiNewWrappedKey(const char *case_id);
extern void KycPiiUnwrapKey(const char *case_id, bytea *wrapped, uint8 *key);
extern char *KycPiiSeal(const uint8 *key, const char *field, const char *case_id,
						const char *plain, int len);
extern bool KycPiiParse(const char *sealed, char **field, char **case_id);
extern char *KycPiiOpen(const uint8 *key, const char *sealed, int *len);
extern void KycPiiCheckMasterKey(void);

/* kyc_pii_keys.c: a database's <schema>.case_keys, with its saved plans */
typedef struct KycKeyStore
{
	const char *schema;
	SPIPlanPtr	select_plan;
	SPIPlanPtr	insert_plan;
	SPIPlanPtr	shred_plan;
} KycKeyStore;
#define KYC_KEY_STORE(schema) {(schema), NULL, NULL, NULL}
extern bool KycCaseDataKey(KycKeyStore *store, const char *case_id, bool create, uint8 *key,
						   char **forgotten_at);
extern char *KycShredCaseKey(KycKeyStore *store, const char *case_id, const char *actor);

/* kyc_pii_columns.c: a plain personal-data column and its sealed twin */
typedef struct KycPiiColumn
{
	KycColumn	plain;
	KycColumn	sealed;
} KycPiiColumn;
struct RelationData;
extern void KycSealColumns(KycKeyStore *store, struct RelationData *rel, HeapTuple tuple,
						   HeapTuple oldtuple, const char *case_id, KycPiiColumn *columns,
						   int ncolumns, KycRowChanges *changes);
extern Datum KycRevealSealed(KycKeyStore *store, FunctionCallInfo fcinfo,
							 void (*require_readable) (const char *case_id));

/* kyc_session.c */
extern char *KycJsonSettingText(const char *setting, const char *key);
extern const char *KycBoundedText(const char *value);
extern const char *KycJwtSubject(void);
extern const char *KycSessionActor(void);

/* kyc_interval.c */
extern bool KycCheckIntervalGuc(const char *name, const char *value, const char *example);

/* kyc_emit.c; kyc_events.so's KycEventsEmitOwned() has this signature. */
typedef int64 (*KycEmitOwnedFunc) (const char *owner, const char *topic,
								   const char *aggregate_id, Jsonb *payload);
extern int64 KycEmitAs(const char *owner, const char *topic, const char *aggregate_id,
					   Jsonb *payload);

/*
 * Emit an event of a topic this extension owns.  pgkyc.mk defines
 * KYC_EXTENSION_NAME as the extension being built (its MODULE_big).
 */
#ifdef KYC_EXTENSION_NAME
#define KycEmit(topic, aggregate_id, payload) \
	KycEmitAs(KYC_EXTENSION_NAME, (topic), (aggregate_id), (payload))
#endif

#endif							/* KYC_COMPAT_COMMON_H */
