/*
 * names.c
 *		Names as kyc_risk's SQL functions accept them, for the name harnesses.
 */
#include "names.h"

/*
 * len bytes of data as a name that ScreenCheckedName() would accept
 * (UTF-8, at most SCREEN_NAME_MAX_CHARS characters, not blank), palloc'd;
 * NULL if it would refuse it.
 */
char *
FuzzCheckedName(const char *data, size_t len)
{
	size_t		chars = 0;
	bool		blank = true;
	size_t		i;

	if (!FuzzValidUtf8(data, len))
		return NULL;
	for (i = 0; i < len; i++)
	{
		chars += ((unsigned char) data[i] & 0xC0) != 0x80;
		/* scanner_isspace()'s five */
		blank &= strchr(" \t\n\r\f", data[i]) != NULL;
	}
	if (chars > SCREEN_NAME_MAX_CHARS || blank)
		return NULL;
	return pnstrdup(data, len);
}
