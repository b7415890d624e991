/*
 * wade_giles.c
 *		A second spelling, in pinyin, of a Chinese name written in
 *		Wade-Giles, as Taiwan's names mostly are: "hsieh chih yuan" is
 *		also "xie zhi yuan", "chen chien jen" "zhen jian ren".
 *
 * A name is read as Wade-Giles when each of its tokens is a Wade-Giles
 * syllable (an initial of initials[] and a final of finals[]), and one
 * shows what pinyin never writes: hs, ts, tz, ss or sz, or j before a, e,
 * o or ih (pinyin's j comes before i and u only), to start it; ih, ien, ieh, ueh, uei, ung, erh or eh
 * (after a consonant) in it.  Pinyin's z, x, q, c, r, b, d and g are no
 * Wade-Giles initial, so a name in pinyin is never read so; nor are most
 * Korean ones ("kim", "jong", "joon") and Cantonese ones ("chee",
 * "leung").
 *
 * Lists drop Wade-Giles' apostrophe, which tells ch, k, p, t and ts as in
 * pinyin's ch or q, k, p, t and c from those as in zh or j, g, b, d and
 * z.  The second spelling takes the latter, and the first, kept, reads
 * as the former ("kuo" is also "guo"; "tai", as written, is pinyin tai).
 * Like respell.c's, it never replaces the first: a token pair scores the
 * better of the two, and its keys find candidates.  But a token so
 * respelled pairs only with one that is the same pinyin but for
 * aspiration (ScreenPinyinAlike(), pinyin.c): pinyin's syllables are few, and one
 * letter apart are another name (zong, zhong; jiwei, zhiwei).
 */
#include "name_core.h"

/* Wade-Giles finals, and pinyin's. */
static const char *const finals[][2] = {
	{"a", "a"}, {"ai", "ai"}, {"an", "an"}, {"ang", "ang"}, {"ao", "ao"}, {"e", "e"}, {"eh", "e"},
	{"ei", "ei"}, {"en", "en"}, {"eng", "eng"}, {"erh", "er"}, {"i", "i"}, {"ia", "ia"},
	{"iang", "iang"}, {"iao", "iao"}, {"ieh", "ie"}, {"ien", "ian"}, {"ih", "i"}, {"in", "in"},
	{"ing", "ing"}, {"iu", "iu"}, {"iung", "iong"}, {"o", "o"}, {"ou", "ou"}, {"u", "u"},
	{"ua", "ua"}, {"uai", "uai"}, {"uan", "uan"}, {"uang", "uang"}, {"ueh", "ue"}, {"uei", "ui"},
	{"ui", "ui"}, {"un", "un"}, {"ung", "ong"}, {"uo", "uo"}
};

/* The Wade-Giles initials, two letters before one, and "" for none. */
static const char *const initials[] = {
	"ch", "hs", "sh", "ts", "tz", "ss", "sz", "j", "k", "p", "t", "m", "f", "n", "l", "h", "s",
	"y", "w", ""
};

/* The index of final s (len bytes) in finals[], or -1. */
static int
FinalOf(const char *s, int len)
{
	int			k;

	for (k = 0; k < lengthof(finals); k++)
		if (ScreenTokenIs(s, len, finals[k][0]))
			return k;
	return -1;
}

/* How a token is a Wade-Giles syllable: its initial and final. */
typedef struct
{
	const char *initial;
	int			final;			/* index in finals[] */
	bool		marked;			/* pinyin never writes it so */
} Syllable;

/* Whether token s (len bytes) is a Wade-Giles syllable, into *syl. */
static bool
ParseSyllable(const char *s, int len, Syllable *syl)
{
	int			k;

	for (k = 0; k < lengthof(initials); k++)
	{
		int			n = strlen(initials[k]);
		const char *f;

		if (n > len || memcmp(s, initials[k], n) != 0 || (syl->final = FinalOf(s + n, len - n)) < 0)
			continue;
		syl->initial = initials[k];
		f = finals[syl->final][0];
		/* hs only before i or u (ü); ss and sz only before u ("ssu") */
		if ((strcmp(syl->initial, "hs") == 0 && f[0] != 'i' && f[0] != 'u') ||
			((strcmp(syl->initial, "ss") == 0 || strcmp(syl->initial, "sz") == 0) && strcmp(f, "u") != 0))
			return false;
		syl->marked = (n == 2 && strcmp(syl->initial, "ch") != 0 && strcmp(syl->initial, "sh") != 0) ||
			(strcmp(syl->initial, "j") == 0 && (f[0] == 'a' || f[0] == 'e' || f[0] == 'o' || strcmp(f, "ih") == 0)) ||
			strcmp(f, "ih") == 0 || strcmp(f, "ien") == 0 || strcmp(f, "ieh") == 0 ||
			strcmp(f, "ueh") == 0 || strcmp(f, "uei") == 0 || strcmp(f, "ung") == 0 ||
			strcmp(f, "iung") == 0 || strcmp(f, "erh") == 0 || (strcmp(f, "eh") == 0 && n > 0);
		return true;
	}
	return false;
}

/* Append syllable syl in pinyin to buf (see the file comment). */
static void
AppendPinyin(StringInfo buf, const Syllable *syl)
{
	const char *i = syl->initial;
	const char *f = finals[syl->final][0];
	const char *pinyin_final = finals[syl->final][1];

	if (strcmp(i, "ch") == 0)
		i = (f[0] == 'i' && strcmp(f, "ih") != 0) || strcmp(f, "ueh") == 0 ? "j" : "zh";
	else if (strcmp(i, "hs") == 0)
		i = "x";
	else if (strcmp(i, "ts") == 0 || strcmp(i, "tz") == 0)
		i = "z";
	else if (strcmp(i, "ss") == 0 || strcmp(i, "sz") == 0)
		i = "s";
	else if (strcmp(i, "j") == 0)
		i = "r";
	else if (strcmp(i, "k") == 0)
		i = "g";
	else if (strcmp(i, "p") == 0)
		i = "b";
	else if (strcmp(i, "t") == 0)
		i = "d";
	appendStringInfoString(buf, i);

	/*
	 * tzu, ssu and szu are zi and si (tsu is zu); o is e after k and h (ko,
	 * ge), uo after most others (lo, luo)
	 */
	if (strcmp(f, "u") == 0 && (strcmp(syl->initial, "tz") == 0 || strcmp(syl->initial, "ss") == 0 ||
								strcmp(syl->initial, "sz") == 0))
		pinyin_final = "i";
	else if (strcmp(f, "o") == 0 && (strcmp(i, "g") == 0 || strcmp(i, "h") == 0))
		pinyin_final = "e";
	else if (strcmp(f, "o") == 0 && strchr("bpmfwy", i[0]) == NULL && i[0] != '\0')
		pinyin_final = "uo";
	else if (strcmp(i, "y") == 0 && strcmp(f, "en") == 0)
		pinyin_final = "an";
	else if (i[0] == '\0' && strcmp(f, "i") == 0)
		pinyin_final = "yi";
	appendStringInfoString(buf, pinyin_final);
}

/*
 * The name's tokens in pinyin, token i of the result token i of t, or NULL
 * when the name is not in Wade-Giles (see the file comment).
 */
ScreenTokens *
ScreenWadeGiles(const ScreenTokens *t)
{
	Syllable   *syllables;
	bool		marked = false;
	ScreenTokens *r;
	StringInfoData buf;
	int			i;

	if (t->count < 2 || t->skeletal)
		return NULL;
	syllables = palloc(sizeof(Syllable) * t->count);
	for (i = 0; i < t->count; i++)
	{
		if (!ParseSyllable(t->token[i], t->len[i], &syllables[i]))
		{
			pfree(syllables);
			return NULL;
		}
		marked |= syllables[i].marked;
	}
	if (!marked)
	{
		pfree(syllables);
		return NULL;
	}
	r = ScreenNewTokens(t->count);
	initStringInfo(&buf);
	for (i = 0; i < t->count; i++)
	{
		resetStringInfo(&buf);
		AppendPinyin(&buf, &syllables[i]);
		ScreenAddToken(r, buf.data, buf.len, t->rarity[i]);
	}
	pfree(buf.data);
	pfree(syllables);
	r->transliterated = t->transliterated;
	r->script = t->script;
	r->pinyin = true;
	return r;
}
