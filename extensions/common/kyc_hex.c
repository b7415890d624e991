/*
 * kyc_hex.c
 *		Lowercase hex: the text form of every stored SHA-256 hash.
 */
#include "kyc_common.h"

#include "utils/builtins.h"

/* Write bytes as lowercase hex into hex, which must hold 2 * len + 1 bytes. */
void
KycHexEncode(const uint8 *bytes, size_t len, char *hex)
{
	hex[hex_encode((const char *) bytes, len, hex)] = '\0';
}

/* True when str is exactly 64 lowercase hex digits. */
bool
KycIsSha256Hex(const char *str, size_t len)
{
	size_t		i;

	if (len != KYC_SHA256_HEX_LEN)
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = str[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/* One more than each byte's value as a lowercase hex digit; 0 if it is none. */
static const uint8 hex_value_plus_one[256] = {
	['0'] = 1,['1'] = 2,['2'] = 3,['3'] = 4,['4'] = 5,
	['5'] = 6,['6'] = 7,['7'] = 8,['8'] = 9,['9'] = 10,
	['a'] = 11,['b'] = 12,['c'] = 13,['d'] = 14,['e'] = 15,['f'] = 16,
};

/*
 * Decode 64 lowercase hex digits into 32 bytes; false if hex is not that.
 * Not hex_decode(), which raises an error and takes uppercase: verify()
 * counts malformed hashes, decodes one per row, and random digits defeat
 * branch prediction, so one table lookup per digit and one check at the end.
 */
bool
KycHexDecodeSha256(const char *hex, uint8 *out)
{
	int			bad = 0;
	int			i;

	if (hex == NULL)
		return false;
	for (i = 0; i < KYC_SHA256_LEN; i++)
	{
		int			hi = hex_value_plus_one[(uint8) hex[2 * i]] - 1;
		int			lo;

		if (hi < 0)
			return false;		/* also stops at a terminating NUL */
		lo = hex_value_plus_one[(uint8) hex[2 * i + 1]] - 1;
		bad |= lo;
		out[i] = (uint8) (hi << 4 | lo);
		if (bad < 0)
			return false;		/* also stops at a terminating NUL */
	}
	return bad >= 0 && hex[2 * KYC_SHA256_LEN] == '\0';
}
