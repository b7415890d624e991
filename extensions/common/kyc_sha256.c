/*
 * kyc_sha256.c
 *		SHA-256 through OpenSSL, at the speed of its block function.
 *
 * verify() and seal() hash millions of rows and Merkle nodes of a few
 * hundred bytes or less, where the cost of a call, not of the bytes,
 * decides the speed.  PostgreSQL's pg_cryptohash creates, initialises and
 * frees an OpenSSL context for every hash; EVP with a reused context still
 * dispatches through a provider at every call.  So the low-level
 * functions, with the context on the stack, where OpenSSL has them
 * (KYC_SHA256_LOW_LEVEL, kyc_compat.h).  In FIPS mode every digest must
 * come from the FIPS provider, so there, as where OpenSSL lacks them, EVP,
 * with one context per backend.  The choice is made at the first hash.
 */

/* Before any OpenSSL header: the low-level functions are used on purpose. */
#define OPENSSL_SUPPRESS_DEPRECATED

#include "kyc_common.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

static EVP_MD *sha256_md = NULL;
static EVP_MD_CTX *sha256_ctx = NULL;

#if KYC_SHA256_LOW_LEVEL
/* Whether hashing goes through EVP: -1 until the first hash decides. */
static int	sha256_through_evp = -1;
#endif

/* Raise an error for a failed OpenSSL call. */
static void
Sha256Failed(const char *step)
{
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("could not compute SHA-256 hash: %s failed", step)));
}

/* Hash through EVP, with SHA-256 fetched and a context made once per backend. */
static void
Sha256Evp(const void *data, size_t len, uint8 *digest)
{
	if (sha256_ctx == NULL)
	{
		if (sha256_md == NULL)
			sha256_md = (EVP_MD *) KYC_SHA256_MD();
		if (sha256_md == NULL)
			Sha256Failed("fetching SHA-256");
		sha256_ctx = EVP_MD_CTX_new();
		if (sha256_ctx == NULL)
			Sha256Failed("EVP_MD_CTX_new");
	}
	if (EVP_DigestInit_ex(sha256_ctx, sha256_md, NULL) != 1)
		Sha256Failed("EVP_DigestInit_ex");
	if (EVP_DigestUpdate(sha256_ctx, data, len) != 1)
		Sha256Failed("EVP_DigestUpdate");
	if (EVP_DigestFinal_ex(sha256_ctx, digest, NULL) != 1)
		Sha256Failed("EVP_DigestFinal_ex");
}

/* Hash len bytes of data into digest, which must hold KYC_SHA256_LEN bytes. */
void
KycSha256(const void *data, size_t len, uint8 *digest)
{
#if KYC_SHA256_LOW_LEVEL
	SHA256_CTX	ctx;

	if (sha256_through_evp < 0)
		sha256_through_evp = KYC_OPENSSL_FIPS_ENABLED() ? 1 : 0;
	if (!sha256_through_evp)
	{
		if (SHA256_Init(&ctx) != 1)
			Sha256Failed("SHA256_Init");
		if (SHA256_Update(&ctx, data, len) != 1)
			Sha256Failed("SHA256_Update");
		if (SHA256_Final(digest, &ctx) != 1)
			Sha256Failed("SHA256_Final");
		return;
	}
#endif
	Sha256Evp(data, len, digest);
}
