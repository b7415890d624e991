/*
 * cantonese.c
 *		A Chinese name's Cantonese reading, as Hong Kong spells names, for its
 *		second spelling: 劉志強 is "liu zhi qiang" and also "lau chi keung".
 *
 * Normalisation reads Han characters in Mandarin (ICU's Han-Latin), which is
 * how mainland names are listed.  Hong Kong and Macau names, and many of
 * the overseas Chinese, are listed in Cantonese (Lau Chi-keung, Cheung
 * Kai-shek), which no rule recovers from the Mandarin.  So a name written
 * in Han characters alone gets each character's Cantonese reading (Unihan's
 * kCantonese, spelled by cantonese_readings.pl) as its other reading, which
 * similarity.c scores as a whole name, the better of the two counting, and
 * whose keys are candidate keys.  As a whole: tokens of the two readings
 * must not mix, or Wang (王) would pair with the Cantonese Wong of 黄 (Huang)
 * and Lei with its Mandarin.  The reading comes from the name as given, not
 * its normalised form: callers pass both.  A character with no reading, or
 * a name read otherwise (Japanese by MeCab: another number of tokens),
 * gets none.
 */
#include "name_core.h"

#include <unicode/utf8.h>

#include "cantonese_readings.h"

/* Whether c separates the words of a Han name: a space, hyphen or dot, ASCII or CJK. */
static bool
Separator(UChar32 c)
{
	return c == ' ' || c == '-' || c == '.' || c == 0x00B7 || c == 0x30FB || c == 0x3000 || c == 0x3001;
}

/* Character c's Cantonese reading, or NULL if it has none. */
static const char *
Reading(UChar32 c)
{
	int			low = 0;
	int			high = lengthof(cantonese_characters) - 1;

	StaticAssertStmt(lengthof(cantonese_characters) == lengthof(cantonese_reading),
					 "one reading a character");
	if (c < 0 || c > PG_UINT16_MAX)
		return NULL;
	while (low <= high)
	{
		int			mid = (low + high) / 2;

		if (cantonese_characters[mid] == c)
			return cantonese_syllables[cantonese_reading[mid]];
		if (cantonese_characters[mid] < c)
			low = mid + 1;
		else
			high = mid - 1;
	}
	return NULL;
}

/*
 * t, cut from the name given, with the name's Cantonese reading as its
 * other reading, and marked Han (token_score.c), when the name is Han
 * characters and separators only, one token a character; t as it was
 * otherwise, or when it has one already.
 * The reading's tokens are not weighed yet (ScreenWeighTokens() does).
 */
ScreenTokens *
ScreenWithCantonese(ScreenTokens *t, const char *name)
{
	int32_t		len = strlen(name);
	int32_t		i = 0;
	ScreenTokens *r;

	if (t->reading != NULL || t->skeletal || t->count == 0)
		return t;
	/* a name of ASCII only, the most, has no Han character */
	while (i < len && (unsigned char) name[i] < 0x80)
		i++;
	if (i == len)
		return t;
	r = ScreenNewTokens(t->count);
	i = 0;
	while (i < len)
	{
		UChar32		c;
		const char *reading;

		U8_NEXT(name, i, len, c);
		if (c == ',' || c == 0xFF0C)
		{
			ScreenFreeTokens(r);
			return t;			/* normalisation turns a name around a comma;
								 * the reading would not follow */
		}
		if (Separator(c))
			continue;
		reading = Reading(c);	/* none for an ill-formed sequence (c < 0)
								 * either */
		if (reading == NULL || r->count == t->count)
		{
			ScreenFreeTokens(r);
			return t;			/* not Han alone, or more characters than
								 * tokens */
		}
		ScreenAddToken(r, reading, strlen(reading), 1.0);
	}
	if (r->count != t->count)
	{
		ScreenFreeTokens(r);
		return t;
	}
	t->reading = r;
	t->han = true;
	return t;
}

/*
 * Which of t's tokens the name given, if ASCII, wrote as one word with the
 * next, hyphened ("jean-pierre"): bit i for tokens i and i + 1.
 */
static uint64
Hyphened(const ScreenTokens *t, const char *name)
{
	StringInfoData lower;
	StringInfoData pair;
	uint64		bits = 0;
	const char *c;
	int			i;

	if (strchr(name, '-') == NULL || ScreenHasNonAscii(name))
		return 0;
	initStringInfo(&lower);

	/*
	 * as normalisation reads it: lowercase, apostrophes and dots dropped in
	 * place
	 */
	for (c = name; *c; c++)
		if (*c != '\'' && *c != '.' && *c != '`')
			appendStringInfoChar(&lower, pg_ascii_tolower((unsigned char) *c));
	initStringInfo(&pair);
	for (i = 0; i + 1 < t->count && i < 63; i++)
	{
		const char *at;

		resetStringInfo(&pair);
		appendBinaryStringInfo(&pair, t->token[i], t->len[i]);
		appendStringInfoChar(&pair, '-');
		appendBinaryStringInfo(&pair, t->token[i + 1], t->len[i + 1]);
		/* a whole word's pair: not inside a longer word */
		for (at = strstr(lower.data, pair.data); at != NULL; at = strstr(at + 1, pair.data))
			if ((at == lower.data || !isalnum((unsigned char) at[-1])) && !isalnum((unsigned char) at[pair.len]))
			{
				bits |= UINT64CONST(1) << i;
				break;
			}
	}
	pfree(lower.data);
	pfree(pair.data);
	return bits;
}

/*
 * t, cut from the name given (normalized, company forms kept), with the
 * name's other readings, Cantonese, Japanese, the other Cyrillic, or its
 * company form as initials (tokens.c), where it has them, and its pinyin
 * syllables or Hong Kong mark (hong_kong.c); t and its
 * readings marked transliterated if the name has a letter of a script
 * other than Latin.
 */
ScreenTokens *
ScreenWithReadings(ScreenTokens *t, const char *normalized, const char *name)
{
	bool		transliterated = ScreenHasNonLatinLetter(name);
	char		script = transliterated ? ScreenScriptOf(name) : 0;
	ScreenTokens *r;

	t = ScreenWithOtherReading(ScreenWithJapanese(ScreenWithCantonese(ScreenWithHacekSpelling(t, name), name), name), name);
	t->hyphened = Hyphened(t, name);
	t->dotted = ScreenDottedInitials(t, name, &t->dotted_digraphs);
	t->katakana = ScreenIsKatakanaName(name);
	for (r = t; r != NULL; r = r->reading)
	{
		r->transliterated = transliterated;
		r->script = script;
		r->company = t->company;
		if (r->respelled)
		{
			r->respelled->transliterated |= transliterated; /* a Somali respelling
															 * is, already
															 * (respell.c) */
			r->respelled->script = script;
		}
	}

	/*
	 * a Latin name's form of two letters may be initials, and so may another
	 * script's written with dots: read with it kept, as a person's
	 */
	if ((t->reading == NULL && !transliterated) ||
		(transliterated && strchr(name, '.') != NULL && (t->reading == NULL || t->reading->other_cyrillic)))
	{
		t = ScreenWithFormInitials(t, normalized);
		for (r = t->reading; r != NULL; r = r->reading)
			if (r->reading == NULL)
			{
				r->transliterated = transliterated;
				r->script = script;
				r->dotted = ScreenDottedInitials(r, name, &r->dotted_digraphs);
			}
	}

	/*
	 * a name in pinyin with its syllables apart, for names in Hong Kong
	 * spelling
	 */
	return ScreenWithHongKong(t);
}
