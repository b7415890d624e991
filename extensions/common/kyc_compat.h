/*
 * kyc_compat.h
 *		The one place for PostgreSQL and OpenSSL version differences.
 *
 * pgkyc is built and tested on PostgreSQL 15 only.  Each API that differs
 * in PostgreSQL 16, 17 or 18, or between OpenSSL 1.1 and 3, is reached
 * through a guard here, so the rest of the code reads as plain PostgreSQL
 * and a port is this header's work; docs/compatibility.md lists each guard
 * with the release note it follows.  A version not yet built here fails
 * the build, saying what is missing, rather than being claimed.
 */
#ifndef KYC_COMPAT_H
#define KYC_COMPAT_H

#include "postgres.h"

#include <openssl/opensslv.h>

#include "catalog/namespace.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/guc.h"

#if PG_VERSION_NUM < 150000
#error "pgkyc needs PostgreSQL 15 or later: it uses shmem_request_hook, MarkGUCPrefixReserved() and InitMaterializedSRF()"
#elif PG_VERSION_NUM >= 190000
#error "pgkyc has not been ported to PostgreSQL 19: its API changes (pushJsonbValue() takes a JsonbInState) are not reviewed"
#elif PG_VERSION_NUM >= 170000
#error "pgkyc has not been ported to PostgreSQL 17 or 18: kyc_events/worker.c passes CreateWaitEventSet() a MemoryContext, where 17 takes a ResourceOwner; and no build has run the guards below"
#elif PG_VERSION_NUM >= 160000
#error "pgkyc has not been ported to PostgreSQL 16: the guards below follow 16's headers, but no build or test has run them"
#endif

#if OPENSSL_VERSION_NUMBER < 0x10100000L
#error "pgkyc needs OpenSSL 1.1.0 or later: it uses EVP_MD_CTX_new()"
#endif

/*
 * SHA-256 through SHA256_Init(), SHA256_Update() and SHA256_Final(): they
 * hash a 360-byte row in 80% of the time EVP_Digest*() takes with a reused
 * context, and a Merkle node in 60%, because EVP dispatches through a
 * provider at every call.  OpenSSL 3 deprecates them but builds them unless
 * configured with no-deprecated; then, and in FIPS mode, where a digest
 * must come from the FIPS provider, EVP, with SHA-256's EVP_MD fetched once
 * (OpenSSL 3 would look it up again at each EVP_DigestInit_ex() given
 * EVP_sha256()).
 */
#include <openssl/opensslconf.h>
#if defined(OPENSSL_NO_DEPRECATED_3_0)
#define KYC_SHA256_LOW_LEVEL 0
#else
#define KYC_SHA256_LOW_LEVEL 1
#endif
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#define KYC_SHA256_MD() EVP_MD_fetch(NULL, "SHA256", NULL)
/* In FIPS mode every digest must come from the provider, the FIPS module. */
#define KYC_OPENSSL_FIPS_ENABLED() EVP_default_properties_is_fips_enabled(NULL)
#else
#define KYC_SHA256_MD() EVP_sha256()
#define KYC_OPENSSL_FIPS_ENABLED() 0
#endif

/* Binary data of pg_b64_encode() and pg_b64_decode(): uint8 from 18 on. */
#if PG_VERSION_NUM >= 180000
typedef uint8 KycBase64Byte;
#else
typedef char KycBase64Byte;
#endif

/*
 * A JSON parser callback's result: from 16 on each returns a
 * JsonParseErrorType, so that it can fail softly.  Declare callbacks as
 * KYC_JSON_ACTION and end them with return KYC_JSON_ACTION_DONE.
 */
#if PG_VERSION_NUM >= 160000
#define KYC_JSON_ACTION JsonParseErrorType
#define KYC_JSON_ACTION_DONE JSON_SUCCESS
#else
#define KYC_JSON_ACTION void
#define KYC_JSON_ACTION_DONE
#endif

/* A JSON lexer over len bytes of json, in the database encoding; 17 added a first argument. */
static inline JsonLexContext *
KycJsonLexer(const char *json, size_t len, bool need_escapes)
{
#if PG_VERSION_NUM >= 170000
	return makeJsonLexContextCstringLen(NULL, json, len, GetDatabaseEncoding(), need_escapes);
#else
	return makeJsonLexContextCstringLen((char *) json, len, GetDatabaseEncoding(), need_escapes);
#endif
}

/*
 * Look names up in pg_catalog only (and relations and types in pg_temp
 * after it) until KycPopCatalogSearchPath(nest).  Up to 16 by an override
 * search path, which costs nothing; 17 removed PushOverrideSearchPath(), so
 * there the search_path GUC is saved and set, as PostgreSQL 17 does for
 * maintenance commands ("pg_catalog, pg_temp").
 */
static inline int
KycPushCatalogSearchPath(void)
{
#if PG_VERSION_NUM >= 170000
	int			nest = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nest;
#else
	static OverrideSearchPath catalog_only = {NIL, true, false, 0};

	PushOverrideSearchPath(&catalog_only);
	return 0;
#endif
}

/* Restore the search path KycPushCatalogSearchPath() replaced. */
static inline void
KycPopCatalogSearchPath(int nest)
{
#if PG_VERSION_NUM >= 170000
	AtEOXact_GUC(true, nest);
#else
	PopOverrideSearchPath();
#endif
}

#endif							/* KYC_COMPAT_H */
