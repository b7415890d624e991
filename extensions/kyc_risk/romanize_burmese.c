/*
 * romanize_burmese.c
 *		Burmese names in Latin letters as lists write them, one word per
 *		syllable: မင်းအောင်လှိုင် is "min aung hlaing".
 *
 * ICU's Myanmar-Latin is MLCTS-like ("mang:aung lhuing"), which no list
 * writes, and Burmese writes no space between the syllables of a name,
 * where lists write each as a word.  Here a syllable is its initial
 * consonant (as the usual romanisation of names spells it: သ th, ဆ s, ထ
 * ht, ဖ hp, ရ y), its medials (ျ and ြ y, or ch after ခ; ွ w; ှ an h
 * before, or sh with ယ and ရ), and its rhyme: the vowel signs with the final consonant under
 * the asat, as names spell them (ောင် aung, ိုင် aing, ိန် ein, ုန် and
 * ွန် un, ည် i).  Tone marks are not written.
 */
#include "name_core.h"

#include "lib/stringinfo.h"

#include <unicode/uchar.h>

#define MYANMAR_FIRST_CONSONANT 0x1000
#define MYANMAR_LAST_CONSONANT 0x1021
#define ASAT 0x103A
#define DOT_BELOW 0x1037
#define VIRAMA 0x1039
#define MEDIAL_YA 0x103B
#define MEDIAL_RA 0x103C
#define MEDIAL_WA 0x103D
#define MEDIAL_HA 0x103E

/* The consonants U+1000..U+1021 as initials; အ carries a vowel and is nothing. */
static const char *const initials[] = {
	"k", "kh", "g", "g", "ng", "s", "s", "z", "z", "ny", "ny", "t", "ht", "d", "d", "n",
	"t", "ht", "d", "d", "n", "p", "hp", "b", "b", "m", "y", "y", "l", "w", "th", "h",
	"l", ""
};

/* The vowel signs of a syllable, as flags. */
#define V_AA	0x01			/* ာ ါ */
#define V_I		0x02			/* ိ ီ */
#define V_U		0x04			/* ု ူ */
#define V_E		0x08			/* ေ */
#define V_AI	0x10			/* ဲ */
#define V_ANUSVARA 0x20			/* ံ */

/* The vowel flag of sign c, 0 if it is not one. */
static int
VowelFlag(UChar c)
{
	switch (c)
	{
		case 0x102B:
		case 0x102C:
			return V_AA;
		case 0x102D:
		case 0x102E:
			return V_I;
		case 0x102F:
		case 0x1030:
			return V_U;
		case 0x1031:
			return V_E;
		case 0x1032:
			return V_AI;
		case 0x1036:
			return V_ANUSVARA;
	}
	return 0;
}

/* The rhyme of vowels v with final consonant f (0 if none) and medial w (wa). */
static const char *
Rhyme(int v, UChar f, bool wa)
{
	bool		o = (v & V_E) && (v & V_AA);	/* ော */
	bool		ui = (v & V_I) && (v & V_U);	/* ို */

	switch (f)
	{
		case 0:
			if (o)
				return "aw";
			if (ui)
				return "o";
			if (v & V_ANUSVARA)
				return (v & V_U) ? "oun" : (v & V_I) ? "ein" : wa ? "un" : "an";
			if (v & V_I)
				return "i";
			if (v & V_U)
				return "u";
			if (v & (V_E | V_AI))
				return "e";
			return wa ? "wa" : "a";
		case 0x1004:			/* င် */
			return o ? "aung" : ui ? "aing" : wa ? "win" : "in";
		case 0x100A:			/* ည် */
			return wa ? "we" : "i";
		case 0x1009:			/* ဉ် */
			return "in";
		case 0x1014:			/* န် */
		case 0x1019:			/* မ် */
		case 0x100F:			/* ဏ် */
			return (v & V_I) ? "ein" : (v & V_U) ? (f == 0x1019 ? "oun" : "on") : wa ? "un" : "an";
		case 0x1010:			/* တ် */
		case 0x1015:			/* ပ် */
		case 0x100B:			/* ဋ် */
			return (v & V_I) ? "eik" : (v & V_U) ? "ok" : wa ? "ut" : "at";
		case 0x1000:			/* က် */
			return o ? "auk" : ui ? "aik" : "et";
		case 0x1005:			/* စ် */
			return "it";
		case 0x101A:			/* ယ် */
			return "e";
	}
	return "a";
}

/* Whether the consonant u[i] is a final: the asat follows, after a tone's dot below if any. */
static bool
IsFinal(const UChar *u, int32_t i, int32_t to)
{
	if (i + 1 < to && u[i + 1] == DOT_BELOW)
		i++;
	return i + 1 < to && u[i + 1] == ASAT;
}

/* Append one syllable u[from, to), starting at its initial, and a space. */
static void
AppendSyllable(StringInfo out, const UChar *u, int32_t from, int32_t to)
{
	UChar		initial = u[from];
	const char *consonant = (initial >= MYANMAR_FIRST_CONSONANT && initial <= MYANMAR_LAST_CONSONANT) ?
	initials[initial - MYANMAR_FIRST_CONSONANT] : "";
	bool		ya = false;
	bool		wa = false;
	bool		ha = false;
	int			v = 0;
	UChar		final = 0;
	int32_t		i;

	for (i = from + 1; i < to; i++)
	{
		UChar		c = u[i];

		if (c == MEDIAL_YA || c == MEDIAL_RA)
			ya = true;
		else if (c == MEDIAL_WA)
			wa = true;
		else if (c == MEDIAL_HA)
			ha = true;
		else if (VowelFlag(c))
			v |= VowelFlag(c);
		else if (c >= MYANMAR_FIRST_CONSONANT && c <= MYANMAR_LAST_CONSONANT && IsFinal(u, i, to))
			final = c;
	}

	/*
	 * independent vowels: ဥ and ဦ u (the honorific "U"), ဧ e, ဣ and ဤ
	 * i, ဩ aw
	 */
	if (initial == 0x1025 || initial == 0x1026)
		appendStringInfoString(out, "u");
	else if (initial == 0x1027)
		appendStringInfoString(out, "e");
	else if (initial == 0x1023 || initial == 0x1024)
		appendStringInfoString(out, "i");
	else if (initial == 0x1029 || initial == 0x102A)
		appendStringInfoString(out, "aw");
	else
	{
		if (ha && (initial == 0x101A || initial == 0x101B))
			consonant = "sh";	/* ယှ, ရှ */
		else if (ha)
			appendStringInfoChar(out, 'h');
		if (ya && (initial == 0x1001 || initial == 0x1002))
			appendStringInfoString(out, initial == 0x1001 ? "ch" : "gy");
		else
		{
			appendStringInfoString(out, consonant);
			if (ya)
				appendStringInfoChar(out, 'y');
		}

		/*
		 * a wa before a vowel with no final is w ("swe"); with a final it
		 * shapes the rhyme
		 */
		if (wa && final == 0 && v != 0 && !(v & V_ANUSVARA))
			appendStringInfoChar(out, 'w');
		appendStringInfoString(out, Rhyme(v, final, wa));
	}
	appendStringInfoChar(out, ' ');
}

/* Whether u[i] starts a syllable: a consonant that is no final (asat) nor stacked (virama). */
static bool
StartsSyllable(const UChar *u, int32_t i, int32_t to, int32_t from)
{
	UChar		c = u[i];

	if (c >= 0x1023 && c <= 0x102A && c != 0x1028)
		return true;			/* an independent vowel */
	if (c < MYANMAR_FIRST_CONSONANT || c > MYANMAR_LAST_CONSONANT)
		return false;
	if (IsFinal(u, i, to) || (i + 1 < to && u[i + 1] == VIRAMA))
		return false;
	return !(i > from && u[i - 1] == VIRAMA);
}

/* Append the Burmese run u[from, to), each syllable a word. */
void
ScreenRomanizeBurmese(StringInfo out, const UChar *u, int32_t from, int32_t to)
{
	int32_t		start = -1;
	int32_t		i;

	for (i = from; i < to; i++)
	{
		bool		digit = u[i] >= 0x1040 && u[i] <= 0x1049;

		if (StartsSyllable(u, i, to, from) || digit)
		{
			if (start >= 0)
				AppendSyllable(out, u, start, i);
			start = digit ? -1 : i;
		}
		/* Burmese digits as ASCII digits, a word of their own */
		if (digit)
		{
			appendStringInfoChar(out, '0' + (u[i] - 0x1040));
			if (i + 1 >= to || u[i + 1] < 0x1040 || u[i + 1] > 0x1049)
				appendStringInfoChar(out, ' ');
		}
	}
	if (start >= 0)
		AppendSyllable(out, u, start, to);
}
