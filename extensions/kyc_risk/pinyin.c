/*
 * pinyin.c
 *		Pinyin syllables: whether a token is written in them, and whether
 *		two tokens are the same pinyin.
 *
 * A Han name is read in pinyin (normalize.c, through ICU), and a Wade-Giles
 * one respelled in it (wade_giles.c).  Pinyin has about 400 syllables,
 * and one letter apart they are another syllable, another character:
 * zou (邹) is not zhou (周), gang (刚) not guang (光).  So a pinyin token
 * pairs with another pinyin token only when the two are one
 * (ScreenPinyinAlike()), but for aspiration, which Wade-Giles without its
 * apostrophe does not write (Chang is zhang or chang, Ching jing or
 * qing), and for ü, which lists write u, v or yu.
 */
#include "name_core.h"

/* The initials, two letters before one, and "" for none. */
static const char *const initials[] = {
	"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
	"z", "c", "s", "y", "w", ""
};

/* The finals after a consonant (v for ü). */
static const char *const finals[] = {
	"a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "i", "ia", "ie",
	"iao", "iu", "ian", "in", "iang", "ing", "iong", "u", "ua", "uo", "uai", "ui", "uan", "un",
	"uang", "ue", "v", "ve"
};

/* The finals after y and w, and with no initial. */
static const char *const y_finals[] = {
	"a", "e", "ao", "ou", "an", "in", "ang", "ing", "ong", "i", "u", "ue", "uan", "un"
};
static const char *const w_finals[] = {"a", "o", "ai", "ei", "an", "en", "ang", "eng", "u"};
static const char *const bare_finals[] = {"a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "er"};

/* Whether s (len bytes) is one of the n words. */
static bool
OneOf(const char *s, int len, const char *const *words, int n)
{
	int			k;

	for (k = 0; k < n; k++)
		if (ScreenTokenIs(s, len, words[k]))
			return true;
	return false;
}

/* Whether final f (len bytes) may follow initial ini (see the finals above). */
static bool
FinalFollows(const char *ini, const char *f, int len)
{
	char		c = ini[0];
	bool		sibilant = strchr("zcsr", c) != NULL;	/* zh, ch, sh too */

	if (c == '\0')
		return OneOf(f, len, bare_finals, lengthof(bare_finals));
	if (c == 'y' && ini[1] == '\0')
		return OneOf(f, len, y_finals, lengthof(y_finals));
	if (c == 'w' && ini[1] == '\0')
		return OneOf(f, len, w_finals, lengthof(w_finals));
	if (!OneOf(f, len, finals, lengthof(finals)))
		return false;
	if (strchr("jqx", c) != NULL)
		return f[0] == 'i' || f[0] == 'u';
	/* o alone after b, p, m and f only; ong after none of them */
	if ((len == 1 && f[0] == 'o') != (strchr("bpmf", c) != NULL && len == 1 && f[0] == 'o'))
		return false;
	if (strchr("bpmf", c) != NULL && (ScreenTokenIs(f, len, "ong") || (f[0] == 'u' && len > 1)))
		return false;
	if (sibilant || strchr("gkh", c) != NULL)
		return f[0] != 'i' || (sibilant && len == 1);
	return true;
}

/*
 * Whether s (len bytes) is one to left pinyin syllables, the first of them
 * first in its token; only a token's first may start with a vowel, as
 * pinyin writes an apostrophe before one inside a word (Xi'an).
 */
static bool
Syllables(const char *s, int len, int left, bool first)
{
	int			k;

	if (len == 0)
		return true;
	if (left == 0)
		return false;
	for (k = 0; k < lengthof(initials); k++)
	{
		int			n = strlen(initials[k]);
		int			f;

		if (n > len || memcmp(s, initials[k], n) != 0 || (n == 0 && !first))
			continue;
		for (f = 1; f <= 4 && n + f <= len; f++)
			if (FinalFollows(initials[k], s + n, f) && Syllables(s + n + f, len - n - f, left - 1, false))
				return true;
	}
	return false;
}

/*
 * Syllables() that also writes where each syllable ends, from at on, into
 * ends (left places); how many syllables, or -1 if s is not so written.
 */
static int
SyllableEnds(const char *s, int len, int at, int left, bool first, int *ends)
{
	int			k;

	if (at == len)
		return 0;
	if (left == 0)
		return -1;
	for (k = 0; k < lengthof(initials); k++)
	{
		int			n = strlen(initials[k]);
		int			f;

		if (at + n > len || memcmp(s + at, initials[k], n) != 0 || (n == 0 && !first))
			continue;
		for (f = 1; f <= 4 && at + n + f <= len; f++)
		{
			int			rest;

			if (!FinalFollows(initials[k], s + at + n, f))
				continue;
			rest = SyllableEnds(s, len, at + n + f, left - 1, false, ends + 1);
			if (rest >= 0)
			{
				ends[0] = at + n + f;
				return rest + 1;
			}
		}
	}
	return -1;
}

/*
 * How many pinyin syllables token s (len bytes) is written in, four at
 * most, as Syllables() reads them, with where each ends into ends (four
 * places); 0 if it is not pinyin.
 */
int
ScreenPinyinSyllables(const char *s, int len, int *ends)
{
	int			n;

	if (len < 2 || len > 24)
		return 0;
	n = SyllableEnds(s, len, 0, 4, true, ends);
	return Max(n, 0);
}

/* Whether token s (len bytes) is written in pinyin syllables, four at most. */
bool
ScreenIsPinyin(const char *s, int len)
{
	return len >= 2 && len <= 24 && Syllables(s, len, 4, true);
}

/*
 * Token s (len bytes) into out (len bytes at most) with aspirated initials
 * as their plain ones, and ü as u; ch before i as Wade-Giles writes it, j
 * (so pinyin's chi, rare in names, pairs with ji and qi, not with zhi).
 */
static int
Unaspirated(const char *s, int len, char *out)
{
	int			n = 0;
	int			i;

	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == 'c' && i + 1 < len && s[i + 1] == 'h')
		{
			out[n++] = i + 2 < len && s[i + 2] == 'i' ? 'j' : 'z';
			if (out[n - 1] == 'j')
				i++;			/* chi as ji */
			continue;
		}
		out[n++] = c == 'q' ? 'j' : c == 'c' ? 'z' : c == 'p' ? 'b' : c == 't' ? 'd' : c == 'k' ? 'g' :
			c == 'v' ? 'u' : c;
	}
	return n;
}

/*
 * Whether tokens a and b are one in pinyin but for aspiration and ü (see
 * the file comment): z and zh, j and zh (but chi: Unaspirated()), s and sh
 * stay apart ("zhizhong", Chih-chung, is not "zhizong").
 */
bool
ScreenPinyinAlike(const char *a, int alen, const char *b, int blen)
{
	char		ua[SCREEN_KEY_MAX];
	char		ub[SCREEN_KEY_MAX];
	int			na;

	if (alen > SCREEN_KEY_MAX || blen > SCREEN_KEY_MAX)
		return false;
	na = Unaspirated(a, alen, ua);
	return na == Unaspirated(b, blen, ub) && memcmp(ua, ub, na) == 0;
}
