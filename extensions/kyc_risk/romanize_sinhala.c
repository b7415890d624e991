/*
 * romanize_sinhala.c
 *		Sinhala names in Latin letters as Sri Lankan names are spelled:
 *		මහින්ද රාජපක්ෂ is "mahinda rajapaksa".
 *
 * ICU has no Sinhala-Latin transliterator, so a Sinhala name would be
 * compared as written, and never with its Latin spelling.  Here each
 * consonant is written as names spell it (ත th, ට t, ව w, ච ch, ෂ s, the
 * prenasalised ඳ nd and ඹ mb) with its inherent a, unless a vowel sign or
 * the al-lakuna (්) follows; Sinhala says that a at a word's end too
 * (Mahinda, Sirisena), but surnames in -nayaka and -siṃha are spelled
 * -nayake and -singhe (Senanayake, Ranasinghe), as here.  Long vowels are
 * written once (රාජ raja), the anusvara ං ng, or n before a velar
 * (කුමාරතුංග "kumaratunga").
 */
#include "name_core.h"

#include "lib/stringinfo.h"

#include <unicode/uchar.h>

#define SINHALA_ANUSVARA 0x0D82
#define SINHALA_VISARGA 0x0D83
#define SINHALA_AL_LAKUNA 0x0DCA
#define SINHALA_KA 0x0D9A
#define SINHALA_HA 0x0DC4

/* Consonants U+0D9A..U+0DC6 ("" for the code points Unicode leaves unassigned). */
static const char *const sinhala_consonants[] = {
	"k", "kh", "g", "gh", "ng", "ng", "ch", "chh", "j", "jh", "ny", "gn", "nj", "t", "th",
	"d", "dh", "n", "nd", "th", "th", "d", "dh", "n", "", "nd", "p", "ph", "b", "bh",
	"m", "mb", "y", "r", "", "l", "", "", "w", "sh", "s", "s", "h", "l", "f"
};

/* Independent vowels U+0D85..U+0D96. */
static const char *const sinhala_vowels[] = {
	"a", "a", "a", "a", "i", "i", "u", "u", "ri", "ri", "li", "li", "e", "e", "ai", "o", "o", "au"
};

/* Vowel signs U+0DCF..U+0DDF ("" for U+0DD5 and U+0DD7, unassigned). */
static const char *const sinhala_signs[] = {
	"a", "a", "a", "i", "i", "u", "", "u", "", "ru", "e", "e", "ai", "o", "o", "au", "lu"
};

/* Whether c is a Sinhala consonant. */
static bool
IsSinhalaConsonant(UChar c)
{
	return c >= SINHALA_KA && c <= 0x0DC6 && sinhala_consonants[c - SINHALA_KA][0] != '\0';
}

/* Whether c is a Sinhala vowel sign, or the al-lakuna that writes no vowel. */
static bool
IsSinhalaSign(UChar c)
{
	return (c >= SINHALA_AL_LAKUNA && c <= 0x0DDF) || c == 0x0DF2 || c == 0x0DF3;
}

/* Whether c is a velar consonant, before which the anusvara is n (ක ඛ ග ඝ). */
static bool
IsSinhalaVelar(UChar c)
{
	return c >= SINHALA_KA && c <= 0x0D9D;
}

/*
 * The inherent vowel of consonant u[i], the last letter of its word:
 * e after ka and after ha that follows the anusvara (-nayake, -singhe),
 * else a.
 */
static char
FinalVowel(const UChar *u, int32_t from, int32_t i)
{
	if (u[i] == SINHALA_KA || (u[i] == SINHALA_HA && i > from && u[i - 1] == SINHALA_ANUSVARA))
		return 'e';
	return 'a';
}

/* Append the Sinhala run u[from, to), one word, in Latin letters (see the file comment). */
void
ScreenRomanizeSinhala(StringInfo out, const UChar *u, int32_t from, int32_t to)
{
	int32_t		i;

	for (i = from; i < to; i++)
	{
		UChar		c = u[i];
		UChar		next = i + 1 < to ? u[i + 1] : 0;

		if (IsSinhalaConsonant(c))
		{
			appendStringInfoString(out, sinhala_consonants[c - SINHALA_KA]);
			/* the inherent vowel, where no sign follows */
			if (!IsSinhalaSign(next))
				appendStringInfoChar(out, next == 0 ? FinalVowel(u, from, i) : 'a');
		}
		else if (c >= 0x0D85 && c <= 0x0D96)
			appendStringInfoString(out, sinhala_vowels[c - 0x0D85]);
		else if (c >= 0x0DCF && c <= 0x0DDF)
			appendStringInfoString(out, sinhala_signs[c - 0x0DCF]);
		else if (c == 0x0DF2)
			appendStringInfoString(out, "ru");
		else if (c == 0x0DF3)
			appendStringInfoString(out, "lu");
		else if (c == SINHALA_ANUSVARA)
			appendStringInfoString(out, IsSinhalaVelar(next) ? "n" : "ng");
		else if (c == SINHALA_VISARGA)
			appendStringInfoChar(out, 'h');
		else if (c >= 0x0DE6 && c <= 0x0DEF)
			appendStringInfoChar(out, '0' + (c - 0x0DE6));
	}
}
