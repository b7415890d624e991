/*
 * kyc_sha256.c
 *		SHA-256 through PostgreSQL's own cryptohash API.
 *
 * pg_cryptohash uses OpenSSL when the server was built with it, so there is
 * one audited implementation in the process rather than a private copy.
 */
#include "kyc_common.h"

#include "common/cryptohash.h"

/* Hash len bytes of data into digest, which must hold KYC_SHA256_LEN bytes. */
void
KycSha256(const void *data, size_t len, uint8 *digest)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL ||
		pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, data, len) < 0 ||
		pg_cryptohash_final(ctx, digest, KYC_SHA256_LEN) < 0)
	{
		const char *why = ctx ? pg_cryptohash_error(ctx) : "out of memory";

		pg_cryptohash_free(ctx);
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute SHA-256 hash: %s", why)));
	}
	pg_cryptohash_free(ctx);
}

/* Write bytes as lowercase hex into hex, which must hold 2 * len + 1 bytes. */
void
KycHexEncode(const uint8 *bytes, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t		i;

	for (i = 0; i < len; i++)
	{
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 0x0f];
	}
	hex[2 * len] = '\0';
}

/* True when text is exactly 64 lowercase hex digits. */
bool
KycIsSha256Hex(const char *text, size_t len)
{
	size_t		i;

	if (len != KYC_SHA256_HEX_LEN)
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = text[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}
