/*
 * kunrei.c
 *		Whether a name is Japanese written in Kunrei-shiki,
 *		the romanisation Japan's government teaches, rather than the
 *		Hepburn that passports and lists use: "Tuyosi Huzita" is
 *		Tsuyoshi Fujita.
 *
 * Kunrei writes each kana by its row: si, ti, tu, hu, zi for Hepburn's
 * shi, chi, tsu, fu, ji, and sya, tyo, zyu for sha, cho, ju.  Hepburn
 * never writes those, so a name that has one, and whose every token is a
 * run of kana in Kunrei's letters (no l, no c, f, j or v, no consonant
 * closing a syllable but n or a doubled one), gets a second spelling in
 * Hepburn (respell.c).  Zi alone is no sign: Zina and Dino are Italian
 * (zi as ji would pair Zina with Gina, g and j being kin), and Nihon-shiki's
 * di and du are left out for Dina's sake.  A name of another language
 * that passes ("Matti Kuusela", "Sima Karimi") gets a reading too, which
 * pairs with the same sounds in Hepburn's letters ("Shima Karimi").
 */
#include "name_core.h"

/* Whether c starts a Kunrei syllable (k s t n h m y r w g z d b p). */
static bool
KunreiOnset(char c)
{
	return strchr("kstnhmyrwgzdbp", c) != NULL;
}

/*
 * Whether token s (len bytes) is a run of kana as Kunrei writes them:
 * vowels, a consonant with an optional y glide before a vowel, n closing a
 * syllable, or a consonant doubled (sokuon: "hattori").
 */
static bool
KunreiToken(const char *s, int len)
{
	int			i = 0;

	while (i < len)
	{
		char		c = s[i];

		if (ScreenIsVowel(c) && c != 'y')
		{
			i++;
			continue;
		}
		if (!KunreiOnset(c))
			return false;

		/*
		 * n closing a syllable: last, or before a consonant (y is a vowel
		 * here)
		 */
		if (c == 'n' && (i + 1 == len || !ScreenIsVowel(s[i + 1])))
		{
			i++;
			continue;
		}
		/* a doubled consonant, the sokuon */
		if (i + 1 < len && s[i + 1] == c && strchr("kstp", c) != NULL)
		{
			i++;
			continue;
		}
		i++;
		if (i < len && s[i] == 'y' && c != 'y' && c != 'w')
			i++;
		if (i == len || !ScreenIsVowel(s[i]) || s[i] == 'y')
			return false;
		i++;
	}
	return true;
}

/* Whether token s (len bytes) has a syllable only Kunrei writes so, zi apart (file comment). */
static bool
KunreiSign(const char *s, int len)
{
	static const char *const signs[] = {"si", "ti", "tu", "hu", "sy", "ty", "zy", NULL};
	const char *const *g;

	for (g = signs; *g; g++)
		if (ScreenContains(s, len, *g))
			return true;
	return false;
}

/* Whether the name is Japanese in Kunrei-shiki: every token kana, one a Kunrei syllable (see the file comment). */
bool
ScreenKunreiSpelling(const ScreenTokens *t)
{
	bool		sign = false;
	int			i;

	for (i = 0; i < t->count; i++)
	{
		if (!KunreiToken(t->token[i], t->len[i]))
			return false;
		sign |= KunreiSign(t->token[i], t->len[i]);
	}
	return sign;
}
