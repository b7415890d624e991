/*
 * respell.c
 *		Latin spellings of Russian and Arabic names in the German, Polish or
 *		French convention, respelled as English-language lists write them.
 *
 * Lists in English romanise Russian names one way ("Yevgeniy Zhukov",
 * "Yuri Shevchuk"), German, Polish and French sources another ("Jewgeni
 * Schukow", "Siergiej Czernow", "Iouri Chevtchouk"); French also spells
 * Maghrebi Arabic names ("Rachid", "Youssef").  When a name's words show
 * one of those conventions, normalisation respells every word of it in
 * English but its company forms (ScreenRespellName() in tokens.c), so
 * that the name is found, scores and keys as its English spelling does.  Which convention a name follows is
 * read from letter groups English spelling does not use:
 * - Polish: "cz", or "sz" with a w ("Czernow", "Szewczuk");
 * - German: a Russian ending spelled with w or j ("-ow", "-owa", "-ew",
 *   "-ewa", "-owski", "-slaw", "-ij": "Schukow", "Jakowlew"), or "schtsch";
 * - French: "tch" ("Serguei Tchernov"), or "ou" with a Slavic ending
 *   ("Ioulia Timochenko"); not "ou" alone, which Greek and Japanese
 *   romanisations write too.
 * Respelling removes what it detects, so that words respelled are
 * English and stay as they are.
 */
#include "name_core.h"

#include "lib/stringinfo.h"

/* One letter group of a convention and its English spelling. */
typedef struct Respelling
{
	const char *from;
	const char *to;
} Respelling;

/* Longest groups first: each table is tried in order at every position. */
static const Respelling polish[] = {
	{"szcz", "shch"}, {"cz", "ch"}, {"sz", "sh"}, {"rz", "zh"}, {"ch", "kh"},
	{"w", "v"}, {"j", "y"}, {NULL, NULL}
};
static const Respelling german[] = {
	{"schtsch", "shch"}, {"tsch", "ch"}, {"sch", "sh"}, {"ch", "kh"},
	{"w", "v"}, {"j", "y"}, {NULL, NULL}
};
static const Respelling french[] = {
	{"ch", "sh"}, {"gue", "ge"}, {"gui", "gi"}, {NULL, NULL}
};

/* Whether the word w (len bytes) contains the string p. */
static bool
Contains(const char *w, int len, const char *p)
{
	int			n = strlen(p);
	int			i;

	for (i = 0; i + n <= len; i++)
		if (w[i] == p[0] && memcmp(w + i, p, n) == 0)
			return true;
	return false;
}

/* Whether the word w (len bytes) ends with the string tail. */
static bool
EndsWith(const char *w, int len, const char *tail)
{
	int			n = strlen(tail);

	return len >= n && memcmp(w + len - n, tail, n) == 0;
}

/* Russian endings as German spells them ("-ow", "-ewa", "-owski", "-slaw", "-ij"). */
static const char *const german_endings[] = {
	"ow", "owa", "ew", "ewa", "owski", "ewski", "owska", "ewska", "owskaja", "ewskaja",
	"owitsch", "ewitsch", "owna", "ewna", "slaw", "slawa", "ij", NULL
};

/* Slavic endings as French spells them ("-ov", "-enko", "-ine"). */
static const char *const slavic_endings[] = {
	"ov", "ova", "ev", "eva", "enko", "ine", "ski", "sky", "ska", NULL
};

/* Whether the word (len bytes), of four letters or more, ends with one of the NULL-terminated endings. */
static bool
EndsWithAny(const char *w, int len, const char *const *endings)
{
	if (len < 4)
		return false;
	for (; *endings; endings++)
		if (EndsWith(w, len, *endings))
			return true;
	return false;
}

/*
 * Whether the normalised name may follow a convention other than English:
 * each needs a w, a j, "cz", "tch" or "ou", which most names lack.
 */
bool
ScreenMaySpellForeign(const char *s)
{
	return strchr(s, 'w') || strchr(s, 'j') || strstr(s, "cz") || strstr(s, "tch") || strstr(s, "ou");
}

/*
 * Which convention the words but those skipped are spelled in (a
 * SCREEN_CONVENTION): German
 * needs a Russian ending or "schtsch", as German words of a company's
 * name ("maschinenbau") have "sch" too.
 */
int
ScreenConvention(const ScreenTokens *words, const bool *skip)
{
	bool		polish_cz = false;
	bool		polish_sz = false;
	bool		any_w = false;
	bool		german = false;
	bool		french = false;
	bool		french_ou = false;
	bool		slavic = false;
	int			i;

	for (i = 0; i < words->count; i++)
	{
		const char *w = words->token[i];
		int			len = words->len[i];

		if (skip[i])
			continue;
		polish_cz |= Contains(w, len, "cz");
		polish_sz |= Contains(w, len, "sz");
		any_w |= memchr(w, 'w', len) != NULL;
		german |= EndsWithAny(w, len, german_endings) || Contains(w, len, "schtsch");
		french |= Contains(w, len, "tch");
		french_ou |= Contains(w, len, "ou");
		slavic |= EndsWithAny(w, len, slavic_endings);
	}
	if (polish_cz || (polish_sz && any_w))
		return SCREEN_CONVENTION_POLISH;
	if (german)
		return SCREEN_CONVENTION_GERMAN;
	if (french || (french_ou && slavic))
		return SCREEN_CONVENTION_FRENCH;
	return SCREEN_CONVENTION_ENGLISH;
}

/* Whether c is a vowel. */
static bool
Vowel(char c)
{
	return c != '\0' && strchr("aeiou", c) != NULL;
}

/*
 * Append the respelling of s[i..] that starts there to out and return
 * its length in s, or 0 if none does.  Besides the table: German z before
 * w, or between a vowel or n and a vowel or the end, is ts ("Zwetkowa",
 * "Kusnezow"; a z that starts a word may be Polish z: "Zubkow"); Polish ie
 * after a consonant is e ("Siergiej"); French i starting a word before a
 * vowel is y ("Iouri").
 */
static int
RespellAt(StringInfo out, const char *s, int i, int c, const Respelling *table)
{
	bool		word_start = i == 0 || s[i - 1] == ' ';
	int			run = 0;
	int			k;

	if (c == SCREEN_CONVENTION_GERMAN && s[i] == 'z' &&
		(s[i + 1] == 'w' || (!word_start && (Vowel(s[i - 1]) || s[i - 1] == 'n') &&
							 (Vowel(s[i + 1]) || s[i + 1] == '\0'))))
	{
		appendStringInfoString(out, "ts");
		return 1;
	}
	if (c == SCREEN_CONVENTION_POLISH && s[i] == 'i' && s[i + 1] == 'e' && !word_start && !Vowel(s[i - 1]))
		return 1;				/* the e follows */
	if (c == SCREEN_CONVENTION_FRENCH && s[i] == 'i' && word_start && Vowel(s[i + 1]))
	{
		appendStringInfoChar(out, 'y');
		return 1;
	}
	/* French "ou" and "tch" with the letter before doubled: as one, or they would come back */
	while (c == SCREEN_CONVENTION_FRENCH && (s[i] == 'o' || s[i] == 't') && s[i + run] == s[i])
		run++;
	if (run > 0 && ((s[i] == 'o' && s[i + run] == 'u') ||
					(s[i] == 't' && s[i + run] == 'c' && s[i + run + 1] == 'h')))
	{
		appendStringInfoString(out, s[i] == 'o' ? "u" : "ch");
		return run + (s[i] == 'o' ? 1 : 2);
	}
	for (k = 0; table[k].from; k++)
	{
		int			n = strlen(table[k].from);

		if (strncmp(s + i, table[k].from, n) == 0)
		{
			appendStringInfoString(out, table[k].to);
			return n;
		}
	}
	return 0;
}

/*
 * The word w (len bytes) respelled in convention c, palloc'd and
 * NUL-terminated; as it is if of two letters or fewer, an abbreviation
 * that keeps its letters ("ch" for "christos").
 */
char *
ScreenRespellWord(const char *w, int len, int c)
{
	const Respelling *table = c == SCREEN_CONVENTION_POLISH ? polish :
		c == SCREEN_CONVENTION_GERMAN ? german : french;
	char	   *s = pnstrdup(w, len);
	StringInfoData out;
	int			i = 0;

	if (len <= 2)
		return s;
	initStringInfo(&out);
	while (s[i])
	{
		int			n = RespellAt(&out, s, i, c, table);

		if (n == 0)
			appendStringInfoChar(&out, s[i++]);
		else
			i += n;
	}
	pfree(s);
	return out.data;
}
