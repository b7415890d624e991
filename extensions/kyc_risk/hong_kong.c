/*
 * hong_kong.c
 *		A Chinese name as Hong Kong spells it, in Cantonese (Tsang Yam-kuen,
 *		Wong Kam-sing), against the name in pinyin (Zeng Yinquan, Huang
 *		Jinxing): the same characters read in another language, which no
 *		spelling rule relates.
 *
 * Each Cantonese syllable is the reading of some characters, each with its
 * pinyin; Unihan gives both (cantonese_readings.pl --pinyin writes each
 * pair that one character has: tsang and zeng, kam and jin).  So a Hong
 * Kong token pairs with a pinyin syllable only when a common character
 * reads as both (ScreenHongKongAlike()).  Lists spell Hong Kong names loosely (Chee
 * and Chi, Hwa and Wa, Ngor and Ngo), so Hong Kong spellings compare
 * coarse (Coarse()).
 *
 * A name is in Hong Kong spelling when each of its tokens, two or more, is
 * such a syllable and one is not pinyin; tokens.c's flag hong_kong says
 * so.  A name in pinyin gets its syllables apart (jianhua is jian hua) as
 * a reading marked syllables, which scores only against a name in Hong
 * Kong spelling, times SCREEN_HONG_KONG_FACTOR (similarity.c): a
 * Cantonese syllable is many characters' reading, so Wong Kam-sing is
 * Huang Jinxing's possible spelling, and Kuang Qinzheng's too; and a pair
 * of its tokens only as one character's two readings (token_score.c).  Candidate keys: a Hong Kong
 * name's are the pinyin its syllables may be, which find a pinyin name's
 * syllables (key_similarity.c).
 */
#include "name_core.h"

#include "utils/memutils.h"

#include "cantonese_pinyin.h"

/* Room for a Hong Kong syllable, coarse: the longest, "kwong", "cheung", has six letters. */
#define HK_SIZE 8

/* A Hong Kong syllable, coarse, and the pinyin of a character it reads. */
typedef struct HongKongPinyin
{
	char		hk[HK_SIZE];
	const char *pinyin;
} HongKongPinyin;

/* The pairs, coarse, by Hong Kong syllable then pinyin, each once: built the first time one is asked for. */
static HongKongPinyin *pairs = NULL;
static int	npairs = 0;

/*
 * Token s (len bytes) as Hong Kong spellings are compared, into out
 * (HK_SIZE bytes): hw as w (Hwa), ts and tz as ch (Tsang, Chang), sh as s
 * (Shing), ee as i (Chee), oo as u, and a final h or r after a vowel
 * dropped (Wah, Ngor).
 * Its length, or -1 if it is too long to be a syllable.
 */
static int
Coarse(const char *s, int len, char *out)
{
	int			n = 0;
	int			i = 0;

	if (len >= 2 && s[0] == 'h' && s[1] == 'w')
		i = 1;
	for (; i < len; i++)
	{
		if (n + 2 >= HK_SIZE)
			return -1;
		if ((s[i] == 't' && i + 1 < len && (s[i + 1] == 's' || s[i + 1] == 'z')))
		{
			out[n++] = 'c';
			out[n++] = 'h';
			i++;
		}
		else if (s[i] == 's' && i + 1 < len && s[i + 1] == 'h')
		{
			out[n++] = 's';
			i++;
		}
		else if ((s[i] == 'e' || s[i] == 'o') && i + 1 < len && s[i + 1] == s[i])
		{
			out[n++] = s[i] == 'e' ? 'i' : 'u';
			i++;
		}
		else if (i == len - 1 && i > 0 && (s[i] == 'h' || (s[i] == 'r' && s[i - 1] == 'o')) &&
				 ScreenIsVowel(s[i - 1]))
			break;
		else
			out[n++] = s[i];
	}
	out[n] = '\0';
	return n;
}

/* Order pairs by Hong Kong syllable, then pinyin. */
static int
ComparePairs(const void *x, const void *y)
{
	const HongKongPinyin *a = x;
	const HongKongPinyin *b = y;
	int			c = strcmp(a->hk, b->hk);

	return c != 0 ? c : strcmp(a->pinyin, b->pinyin);
}

/* The pairs (see above), built once a backend. */
static const HongKongPinyin *
Pairs(void)
{
	HongKongPinyin *built;
	int			n = 0;
	int			k;

	if (pairs != NULL)
		return pairs;
	built = MemoryContextAlloc(TopMemoryContext, sizeof(HongKongPinyin) * lengthof(cantonese_pinyin));
	for (k = 0; k < lengthof(cantonese_pinyin); k++)
	{
		built[n].pinyin = cantonese_pinyin[k][1];
		if (Coarse(cantonese_pinyin[k][0], strlen(cantonese_pinyin[k][0]), built[n].hk) > 0)
			n++;
	}
	qsort(built, n, sizeof(HongKongPinyin), ComparePairs);
	npairs = 0;
	for (k = 0; k < n; k++)
		if (npairs == 0 || ComparePairs(&built[npairs - 1], &built[k]) != 0)
			built[npairs++] = built[k];
	pairs = built;
	return pairs;
}

/* The index of the first pair of Hong Kong token s (len bytes), coarse into hk; -1 if it is none's. */
static int
FirstPair(const char *s, int len, char *hk)
{
	const HongKongPinyin *p = Pairs();
	int			lo = 0;
	int			hi = npairs;

	if (Coarse(s, len, hk) <= 0)
		return -1;
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (strcmp(p[mid].hk, hk) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < npairs && strcmp(p[lo].hk, hk) == 0 ? lo : -1;
}

/* Whether Hong Kong token hk and pinyin syllable py (their lengths given) read one character. */
bool
ScreenHongKongAlike(const char *hk, int hklen, const char *py, int pylen)
{
	char		coarse[HK_SIZE];
	int			k = FirstPair(hk, hklen, coarse);

	for (; k >= 0 && k < npairs && strcmp(pairs[k].hk, coarse) == 0; k++)
		if (ScreenTokenIs(py, pylen, pairs[k].pinyin))
			return true;
	return false;
}

/* Whether the tokens, two or more, are Hong Kong syllables, one of them not pinyin (see the file comment). */
static bool
HongKongSpelled(const ScreenTokens *t)
{
	bool		not_pinyin = false;
	int			i;

	if (t->count < 2 || t->transliterated || t->skeletal)
		return false;
	for (i = 0; i < t->count; i++)
	{
		char		hk[HK_SIZE];

		if (FirstPair(t->token[i], t->len[i], hk) < 0)
			return false;
		not_pinyin |= !ScreenIsPinyin(t->token[i], t->len[i]);
	}
	return not_pinyin;
}

/*
 * The tokens' pinyin syllables apart, as a reading marked syllables, when
 * each token is pinyin and there are two or more (a Latin name, or Han
 * characters' Mandarin); NULL otherwise.
 */
static ScreenTokens *
Syllables(const ScreenTokens *t)
{
	ScreenTokens *r;
	int			(*ends)[4];
	int		   *counts;
	int			total = 0;
	int			i;
	int			k;

	if (t->count < 2 || t->skeletal || (t->transliterated && !t->han))
		return NULL;
	ends = palloc(sizeof(int[4]) * t->count);
	counts = palloc(sizeof(int) * t->count);
	for (i = 0; i < t->count; i++)
	{
		counts[i] = ScreenPinyinSyllables(t->token[i], t->len[i], ends[i]);
		if (counts[i] == 0)
		{
			pfree(ends);
			pfree(counts);
			return NULL;
		}
		total += counts[i];
	}
	r = ScreenNewTokens(total);
	for (i = 0; i < t->count; i++)
		for (k = 0; k < counts[i]; k++)
		{
			int			start = k == 0 ? 0 : ends[i][k - 1];

			ScreenAddToken(r, t->token[i] + start, ends[i][k] - start, t->rarity[i]);
		}
	r->syllables = true;
	r->transliterated = t->transliterated;
	r->script = t->script;
	pfree(ends);
	pfree(counts);
	return r;
}

/*
 * t, marked hong_kong if it is in Hong Kong spelling, or with its pinyin
 * syllables as its last reading if it is in pinyin (see the file comment).
 */
ScreenTokens *
ScreenWithHongKong(ScreenTokens *t)
{
	ScreenTokens *r;
	ScreenTokens **end;

	t->hong_kong = HongKongSpelled(t);
	if (t->hong_kong || (r = Syllables(t)) == NULL)
		return t;
	for (end = &t->reading; *end != NULL; end = &(*end)->reading)
		;
	*end = r;
	return t;
}

/*
 * Append to buf t's keys as this file pairs names: if it is in Hong Kong
 * spelling, each pinyin syllable its tokens may be (SCREEN_KEY_HONG_KONG);
 * its syllables reading's syllables (SCREEN_KEY_SYLLABLE), if it has one.
 */
void
ScreenAppendHongKongKeys(StringInfo buf, const ScreenTokens *t)
{
	const ScreenTokens *r;
	int			i;

	for (i = 0; t->hong_kong && i < t->count; i++)
	{
		char		hk[HK_SIZE];
		int			k = FirstPair(t->token[i], t->len[i], hk);

		for (; k >= 0 && k < npairs && strcmp(pairs[k].hk, hk) == 0; k++)
			ScreenAppendKey(buf, SCREEN_HONG_KONG_PREFIX, pairs[k].pinyin, strlen(pairs[k].pinyin));
	}
	for (r = t->reading; r; r = r->reading)
		for (i = 0; r->syllables && i < r->count; i++)
			ScreenAppendKey(buf, SCREEN_SYLLABLE_PREFIX, r->token[i], r->len[i]);
}
