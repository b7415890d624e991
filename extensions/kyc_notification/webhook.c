/*
 * webhook.c
 *		Partner webhook signatures, as Stripe and GitHub sign theirs.
 *
 * A webhook carries the header KYC-Signature: t=<unix time>,v1=<hex>,
 * where hex is HMAC-SHA256, keyed with the partner's secret, over
 * "<unix time>.<body>".  The receiver recomputes it with its copy of the
 * secret, compares in constant time, and rejects a t too far from its
 * clock, so that a captured webhook cannot be replayed later.
 */
#include "kyc_notification.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/pg_prng.h"
#include "utils/builtins.h"

/* Prefix of a generated secret, so a leaked one is recognisable in a scan. */
#define SECRET_PREFIX "whsec_"
#define SECRET_BYTES 32

/* The KYC-Signature value for body at signed_at, keyed with secret. */
char *
NotifySignature(const char *secret, int64 signed_at, const char *body)
{
	char	   *message = psprintf(INT64_FORMAT ".%s", signed_at, body);
	uint8		mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	char		hex[KYC_SHA256_HEX_LEN + 1];

	if (HMAC(EVP_sha256(), secret, strlen(secret), (const unsigned char *) message,
			 strlen(message), mac, &maclen) == NULL || maclen != KYC_SHA256_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute the webhook's HMAC-SHA256")));
	KycHexEncode(mac, KYC_SHA256_LEN, hex);
	return psprintf("t=" INT64_FORMAT ",v1=%s", signed_at, hex);
}

PG_FUNCTION_INFO_V1(kyc_notification_sign);

/* SQL: kyc_notification.sign(secret text, signed_at bigint, body text) RETURNS text */
Datum
kyc_notification_sign(PG_FUNCTION_ARGS)
{
	char	   *secret = KycTextArg(fcinfo, 0, "secret");
	int64		signed_at;
	char	   *body;

	KycRequireArg(fcinfo, 1, "signed_at");
	signed_at = PG_GETARG_INT64(1);
	body = KycTextArg(fcinfo, 2, "body");
	if (*secret == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("secret must not be empty")));
	/* t= is a Unix time: a negative one is no time a webhook was signed. */
	if (signed_at < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signed_at must be a Unix time, not " INT64_FORMAT, signed_at)));
	PG_RETURN_TEXT_P(cstring_to_text(NotifySignature(secret, signed_at, body)));
}

PG_FUNCTION_INFO_V1(kyc_notification_new_secret);

/* SQL: kyc_notification.new_secret() RETURNS text: whsec_ and 64 random hex digits */
Datum
kyc_notification_new_secret(PG_FUNCTION_ARGS)
{
	uint8		bytes[SECRET_BYTES];
	char		hex[SECRET_BYTES * 2 + 1];

	if (!pg_strong_random(bytes, sizeof(bytes)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random webhook secret")));
	KycHexEncode(bytes, sizeof(bytes), hex);
	PG_RETURN_TEXT_P(cstring_to_text(psprintf(SECRET_PREFIX "%s", hex)));
}
