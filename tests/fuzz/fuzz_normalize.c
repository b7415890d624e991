/*
 * fuzz_normalize.c
 *		Name normalisation (kyc_risk/normalize.c): any name the SQL
 *		functions accept normalises without an error to lowercase tokens
 *		separated by single spaces (ASCII, or UTF-8 letters of a script ICU
 *		could not transliterate), or to NULL when it has no letters or
 *		digits, and normalising the result changes nothing.
 */
#include "names.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *name = FuzzCheckedName((const char *) data, size);

	if (name != NULL)
	{
		/* Outside FuzzTry: an error for an accepted name is a crash. */
		char	   *normalized = ScreenNormalizeName(name);

		if (normalized != NULL)
		{
			size_t		len = strlen(normalized);
			size_t		spaces = 0;
			size_t		i;
			ScreenTokens *tokens;
			char	   *again;

			FUZZ_CHECK(len > 0 && normalized[0] != ' ' && normalized[len - 1] != ' ',
					   "\"%s\" -> \"%s\"", name, normalized);
			for (i = 0; i < len; i++)
			{
				char		c = normalized[i];

				FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char) c >= 0x80 ||
						   (c == ' ' && normalized[i + 1] != ' '),
						   "\"%s\" -> \"%s\" at byte %zu", name, normalized, i);
				spaces += c == ' ';
			}
			FUZZ_CHECK(FuzzValidUtf8(normalized, len), "\"%s\" -> invalid UTF-8", name);
			again = ScreenNormalizeName(normalized);
			FUZZ_CHECK(again != NULL && strcmp(again, normalized) == 0,
					   "\"%s\" -> \"%s\" -> \"%s\"", name, normalized, again ? again : "NULL");
			tokens = ScreenSplitTokens(normalized);

			/*
			 * Arabic particles join the next word: never more tokens than
			 * words.
			 */
			FUZZ_CHECK(tokens->count >= 1 && tokens->count <= spaces + 1, "\"%s\": %d tokens",
					   normalized, tokens->count);
		}
	}
	FuzzFreeAll();
	return 0;
}
