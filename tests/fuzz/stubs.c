/*
 * stubs.c
 *		The backend functions and variables that the fuzzed source files
 *		name only in their fmgr wrappers, triggers and SPI code, which no
 *		harness calls.
 *
 * The fuzz build links no backend, so these stand in for them to satisfy
 * the linker.  Each aborts, naming itself: a plain C core that starts to
 * call one of them fails its harness at once, rather than a backend
 * function running without a backend.  No PostgreSQL header is included,
 * so the prototypes need not match.  A new backend call in one of these
 * files' wrappers shows as an undefined reference when building tests/fuzz:
 * add it here.
 */
#include <stdio.h>
#include <stdlib.h>

/* Define name as a function that aborts. */
#define STUB(name) \
	void name(void); \
	void name(void) \
	{ \
		fprintf(stderr, "the fuzz build called the backend's %s(), which it does not have\n", #name); \
		abort(); \
	}

/* Variables: never read, since only stubbed code reads them. */
unsigned long SPI_processed;
void	   *SPI_tuptable;

/* fmgr and text, in every file's wrappers */
STUB(pg_detoast_datum)
STUB(pg_detoast_datum_packed)
STUB(cstring_to_text)
STUB(text_to_cstring)
STUB(DirectFunctionCall1Coll)

/* extensions/common */
STUB(KycAttnum)
STUB(SPI_fnumber)
STUB(KycChangeSet)
STUB(KycExecuteLatest)
STUB(KycHexDecodeSha256)
STUB(KycHexEncode)
STUB(KycRequireArg)
STUB(KycRowText)
STUB(KycSavedPlan)
STUB(KycSha256)
STUB(KycSpiConnect)
STUB(KycTriggerCall)

/* SPI, catalog and cache: company forms (company_forms.c), countries (validate.c) */
STUB(SPI_execute_plan)
STUB(SPI_finish)
STUB(SPI_getvalue)
STUB(CacheInvalidateRelcacheByRelid)
STUB(CacheRegisterRelcacheCallback)
STUB(get_namespace_oid)
STUB(get_relname_relid)
STUB(RiskRequireTable)
STUB(ScreenWeighTokens)
STUB(IsInParallelMode)
STUB(errtablecolname)

/* encodings: ScreenCheckedName() (normalize.c) */
STUB(GetDatabaseEncodingName)
STUB(pg_mbstrlen_with_len)
STUB(pg_verifymbstr)
STUB(scanner_isspace)

/* jsonb, lists and numerics: render.c's lookup in template_data */
STUB(getKeyJsonValueFromContainer)
STUB(JsonbIteratorInit)
STUB(JsonbIteratorNext)
STUB(JsonbToCString)
STUB(AuditJsonbText)
STUB(JsonbValueToJsonb)
STUB(lappend)
STUB(numeric_out)
STUB(pushJsonbValue)

/* tuples: row_hash.c's reading of a row */
STUB(DatumGetHeapTupleHeader)
STUB(DecrTupleDescRefCount)
STUB(format_type_be)
STUB(heap_deform_tuple)
STUB(lookup_rowtype_tupdesc)
