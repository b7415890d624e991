/*
 * kyc_sha256.c
 *		SHA-256 through OpenSSL, with one digest context per backend.
 *
 * PostgreSQL's pg_cryptohash creates, initialises and frees an OpenSSL
 * context for every hash, which in OpenSSL 3 costs more than hashing a
 * short row; verify() hashes millions.  So the algorithm is fetched once
 * and one context is reused for the life of the backend.
 */
#include "kyc_common.h"

#include <openssl/evp.h>

static const EVP_MD *sha256_md = NULL;
static EVP_MD_CTX *sha256_ctx = NULL;

/* Raise an error for a failed OpenSSL call. */
static void
Sha256Failed(const char *step)
{
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("could not compute SHA-256 hash: %s failed", step)));
}

/* Hash len bytes of data into digest, which must hold KYC_SHA256_LEN bytes. */
void
KycSha256(const void *data, size_t len, uint8 *digest)
{
	if (sha256_ctx == NULL)
	{
		sha256_md = KYC_SHA256_MD();
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
