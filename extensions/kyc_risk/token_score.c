/*
 * token_score.c
 *		The score of two tokens of two names, which similarity.c pairs
 *		into a name score.
 *
 * Token scores: equal tokens score 1; an initial ("j") paired with a token
 * it starts ("john") scores SCREEN_INITIAL_SCORE, as does an abbreviation
 * such as "ye" or "kh" (Abbreviates()); a masculine and a
 * feminine form ("ivanov", "ivanova") score 0; other tokens of one or two
 * letters must be equal or key alike; the rest score Jaro-Winkler (prefix
 * scale 0.1, up to 4 letters, boost above 0.7) times a length penalty
 * 1 - 0.2 * (1 - shorter / longer), as "ivan" is not "ivanov".  Tokens with
 * the same phonetic key (phonetic.c) score at least SCREEN_KEY_SCORE plus
 * the rest times that, unless they are one letter apart and that letter
 * makes another name (AnotherName()): then they lose SCREEN_LETTER_FACTOR.
 * Otherwise one stem with different endings loses SCREEN_ENDING_FACTOR;
 * tokens with one surname suffix score no more than their stems (endings.c
 * reads the endings).  Below SCREEN_TOKEN_FLOOR a pair does not pair.
 */
#include "name_core.h"

/* Jaro-Winkler's prefix scale, longest prefix and boost threshold. */
#define JW_PREFIX_SCALE 0.1
#define JW_PREFIX_MAX 4
#define JW_BOOST_THRESHOLD 0.7

/* A token rewritten by a spelling convention (variants.c) scores this much of its score. */
#define VARIANT_FACTOR 0.98

/* A syllable of one vowel and its spelling with a glide (SyllableSpelling()). */
#define SCREEN_SYLLABLE_SCORE 0.95

/* Two tokens of one stem with one suffix family spelled two ways score at least this. */
#define SCREEN_SUFFIX_SPELLING_SCORE 0.97

/* Token scores lose this much times the tokens' relative length difference. */
#define LENGTH_PENALTY 0.2

/* Jaro-Winkler similarity of two byte strings. */
double
ScreenJaroWinkler(const char *a, int alen, const char *b, int blen)
{
	bool		abuf[64];
	bool		bbuf[64];
	bool	   *amatch = alen <= 64 ? abuf : palloc(alen);
	bool	   *bmatch = blen <= 64 ? bbuf : palloc(blen);
	int			window = Max(Max(alen, blen) / 2 - 1, 0);
	int			matches = 0;
	int			transpositions = 0;
	int			prefix = 0;
	int			i;
	int			k;
	double		jaro;

	if (alen == 0 || blen == 0)
		return (alen == blen) ? 1.0 : 0.0;
	memset(amatch, 0, alen);
	memset(bmatch, 0, blen);
	for (i = 0; i < alen; i++)
	{
		int			lo = Max(0, i - window);
		int			hi = Min(blen - 1, i + window);
		int			j;

		for (j = lo; j <= hi; j++)
			if (!bmatch[j] && a[i] == b[j])
			{
				amatch[i] = bmatch[j] = true;
				matches++;
				break;
			}
	}
	if (matches == 0)
		return 0.0;
	for (i = 0, k = 0; i < alen; i++)
	{
		if (!amatch[i])
			continue;
		while (!bmatch[k])
			k++;
		if (a[i] != b[k])
			transpositions++;
		k++;
	}
	jaro = ((double) matches / alen + (double) matches / blen +
			(matches - transpositions / 2.0) / matches) / 3.0;
	if (jaro <= JW_BOOST_THRESHOLD)
		return jaro;
	while (prefix < Min(JW_PREFIX_MAX, Min(alen, blen)) && a[prefix] == b[prefix])
		prefix++;
	return jaro + prefix * JW_PREFIX_SCALE * (1.0 - jaro);
}

/* Byte-wise order of two tokens, shorter first on a common prefix. */
int
ScreenCompareToken(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	return c != 0 ? c : alen - blen;
}

/* Jaro-Winkler in a fixed order (it is symmetric up to tie-breaking), times the length penalty. */
static double
PenalisedJaroWinkler(const char *a, int alen, const char *b, int blen)
{
	double		s;

	if (ScreenCompareToken(a, alen, b, blen) > 0)
		s = ScreenJaroWinkler(b, blen, a, alen);
	else
		s = ScreenJaroWinkler(a, alen, b, blen);
	return s * (1.0 - LENGTH_PENALTY * (1.0 - (double) Min(alen, blen) / Max(alen, blen)));
}

/* Whether two letters are neighbours on a QWERTY keyboard (a slip of the finger). */
static bool
KeyNeighbours(char a, char b)
{
	static const char *const rows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
	int			ra = -1;
	int			rb = -1;
	int			ca = 0;
	int			cb = 0;
	int			r;

	for (r = 0; r < lengthof(rows); r++)
	{
		const char *pa = strchr(rows[r], a);
		const char *pb = strchr(rows[r], b);

		if (pa)
		{
			ra = r;
			ca = pa - rows[r];
		}
		if (pb)
		{
			rb = r;
			cb = pb - rows[r];
		}
	}
	if (ra < 0 || rb < 0)
		return false;
	if (ra == rb)
		return abs(ca - cb) == 1;
	/* each row sits half a key right of the one above */
	if (ra > rb)
		return ra - rb == 1 && (cb == ca || cb == ca + 1);
	return rb - ra == 1 && (ca == cb || ca == cb + 1);
}

/*
 * Whether tokens a and b (alen bytes), which differ in their vowel at
 * position at only, may be one name: vowels romanisations confuse
 * (ScreenKinLetters()); a first vowel ("oleksandr", "aleksandr") or a last one,
 * an ending languages write differently ("lukashenka"); Russian yo
 * written e or o after ch, sh or zh ("gorbachev", "gorbachov"); a or o
 * before a final ng, Mandarin and Cantonese ("wang", "wong"); au
 * written ou, as Bengali and Danish say it ("gautam", "goutam"; "paul",
 * "poul"); and in a name with a surname in -ov or -ev (ov_name), a and
 * o, which Uzbek and Belarusian spellings write where Russian ones write
 * the other ("komilov", "kamilov"; "gulnora karimova", "gulnara").
 */
static bool
VowelVariant(const char *a, int alen, const char *b, int at, bool ov_name)
{
	if (ScreenKinLetters(a[at], b[at]) || at == 0 || at == alen - 1)
		return true;
	if (ov_name && strchr("ao", a[at]) != NULL && strchr("ao", b[at]) != NULL)
		return true;
	if (a[at + 1] == 'u' && strchr("ao", a[at]) != NULL && strchr("ao", b[at]) != NULL)
		return true;
	if (at >= 2 && a[at - 1] == 'h' && strchr("csz", a[at - 2]) != NULL &&
		strchr("eo", a[at]) != NULL && strchr("eo", b[at]) != NULL)
		return true;
	return at == alen - 3 && a[at + 1] == 'n' && a[at + 2] == 'g' &&
		strchr("ao", a[at]) != NULL && strchr("ao", b[at]) != NULL;
}

/*
 * Whether the token longer is the token shorter (len bytes) plus a final
 * consonant, which makes another name ("min", "ming"; "becker",
 * "beckert"): not a silent h ("berg", "bergh"), a Baltic s ("ivan",
 * "ivans"), a doubled letter nor k or q after c ("frederic", "frederick";
 * "leclerc", "leclercq").
 */
static bool
AddedConsonant(const char *shorter, int len, const char *longer)
{
	char		c = longer[len];

	if (ScreenCommonPrefix(shorter, len, longer, len + 1) < len || strchr("aeiouyhsw", c) != NULL)
		return false;
	return c != shorter[len - 1] && !((c == 'k' || c == 'q') && shorter[len - 1] == 'c');
}

/*
 * Whether token a is a Gaelic surname prefix (o, mc, mac, fitz) written
 * onto token b ("oneill", "neill"): the prefix makes another surname, as
 * O'Neill is not Neill, though the phonetic keys, which drop a first
 * vowel, agree.
 */
static bool
GaelicPrefixed(const char *a, int alen, const char *b, int blen)
{
	int			n = alen - blen;

	if (blen < 4 || n < 1 || n > 4 || memcmp(a + n, b, blen) != 0)
		return false;
	return (n == 1 && a[0] == 'o') || (n == 2 && memcmp(a, "mc", 2) == 0) ||
		(n == 3 && memcmp(a, "mac", 3) == 0) || (n == 4 && memcmp(a, "fitz", 4) == 0);
}

/*
 * Whether the letter at position at of tokens a and b, of one length,
 * makes another name: two vowels no romanisation confuses ("hansen",
 * "hanson"; "karimi", "karami"), or two consonants of different classes
 * that are not neighbours on a keyboard ("weber", "weder") if slips may
 * be; if not (a name was transliterated: Федотова is not Fedorova), that
 * are not b and v or g and h, which scripts write with one letter, nor n
 * and m before b, p or m (Hepburn's ん).  A vowel
 * for a consonant is a slip or a misread letter ("maduro", "madurp";
 * "karimi", "karlmi").
 */
static bool
AnotherLetter(const char *a, const char *b, int len, int at, bool slips, bool ov_name)
{
	int			na;
	int			nb;
	char		ca = ScreenConsonantClass(a, len, at, &na);
	char		cb = ScreenConsonantClass(b, len, at, &nb);

	if (ca == 0 && cb == 0)
		return !VowelVariant(a, len, b, at, ov_name);
	if (ca == 0 || cb == 0)
		return false;

	/*
	 * "kh" and "ch", "sh" and "ch": digraphs romanisations write differently;
	 * Egyptian g for j
	 */
	if ((at + 1 < len && (a[at + 1] == 'h' || b[at + 1] == 'h')) || ScreenKinLetters(a[at], b[at]))
		return false;
	if (ca == cb)
		return false;
	if (slips)
		return !KeyNeighbours(a[at], b[at]);

	/*
	 * b and v, g and h: one letter in Greek and Hebrew (β, ב), in Ukrainian
	 * and Russian (г)
	 */
	if ((strchr("bv", a[at]) && strchr("bv", b[at])) || (strchr("gh", a[at]) && strchr("gh", b[at])))
		return false;
	/* n and m before b, p or m: Hepburn writes ん so ("sampei", "sanpei") */
	return !(strchr("mn", a[at]) && strchr("mn", b[at]) && at + 1 < len &&
			 (strchr("bpm", a[at + 1]) || strchr("bpm", b[at + 1])));
}

/*
 * Whether the token longer is the token shorter (len bytes) with one
 * consonant more inside, which makes another name when no slip can have
 * added it ("sechkin", "sechin"): not h, w or y, a doubled letter, nor
 * one that a romanisation writes in a digraph ("kh", "tch", "ts", "dzh",
 * "ck": "khabarov", "habarov").
 */
static bool
InsertedConsonant(const char *shorter, int len, const char *longer)
{
	int			p = ScreenCommonPrefix(shorter, len, longer, len + 1);
	char		c;
	char		next;

	if (p == 0 || p >= len || memcmp(shorter + p, longer + p + 1, len - p) != 0)
		return false;
	c = longer[p];
	next = longer[p + 1];		/* p < len: within the longer token */
	if (strchr("aeiouyhw", c) != NULL || next == 'h' || c == longer[p - 1] || c == next)
		return false;
	/* the first or second letter of ts, tz, tch, dz, dzh, dj, ck */
	if ((c == 't' && strchr("csz", next) != NULL) || (c == 'd' && strchr("zj", next) != NULL) ||
		(c == 'c' && next == 'k'))
		return false;
	return !(strchr("sz", c) != NULL && longer[p - 1] == 't') && !(strchr("zj", c) != NULL && longer[p - 1] == 'd') &&
		!(c == 'k' && longer[p - 1] == 'c');
}

/* Whether the letter at position at of token s (len bytes) is a consonant written alone, not in a digraph. */
static bool
PlainConsonant(const char *s, int len, int at)
{
	int			n;
	int			before = 1;

	if (ScreenConsonantClass(s, len, at, &n) == 0 || n != 1)
		return false;
	if (at > 0)
		(void) ScreenConsonantClass(s, len, at - 1, &before);
	return before == 1;
}

/*
 * Whether two tokens differ in a letter that makes another name rather
 * than a slip or a spelling: a final consonant added (AddedConsonant()),
 * or, in tokens of one length, one such letter (AnotherLetter()); in
 * tokens that differ in two, one such consonant, written alone
 * ("rotenberg" is not "rozenberh"; vowels two romanisations write
 * differently, "chiang" and "cheung", and digraphs, "chernov" and
 * "czernow", are the same name).  Two neighbours swapped are a slip
 * ("kowalski", "kowalksi").  When no slip can be (slips false: a name
 * was transliterated), neighbours on a keyboard are two letters too, and
 * a consonant more inside the token another name (InsertedConsonant()).
 */
static bool
AnotherName(const char *a, int alen, const char *b, int blen, bool slips, bool ov_name)
{
	int			at[2];
	int			n = 0;
	int			i;

	if (alen < 3 || blen < 3)
		return false;
	if (abs(alen - blen) == 1)
		return AddedConsonant(alen < blen ? a : b, Min(alen, blen), alen < blen ? b : a) ||
			(!slips && InsertedConsonant(alen < blen ? a : b, Min(alen, blen), alen < blen ? b : a));
	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (a[i] != b[i])
		{
			if (n == 2)
				return false;
			at[n++] = i;
		}
	if (n == 2 && at[1] == at[0] + 1 && a[at[0]] == b[at[1]] && a[at[1]] == b[at[0]])
		return false;
	if (n == 1)
		return AnotherLetter(a, b, alen, at[0], slips, ov_name);
	for (i = 0; i < n; i++)
		if (PlainConsonant(a, alen, at[i]) && PlainConsonant(b, blen, at[i]) &&
			AnotherLetter(a, b, alen, at[i], slips, ov_name))
			return true;
	return false;
}

/*
 * Whether token a abbreviates token b as a Cyrillic letter's romanisation
 * does ("ye" for "yelena", "kh" for "khalid", "ch" for "christos"): two
 * letters, an h after a consonant or a vowel after y, that start b, of
 * four letters or more.
 */
static bool
Abbreviates(const char *a, int alen, const char *b, int blen)
{
	if (alen != 2 || blen < 4 || memcmp(a, b, 2) != 0)
		return false;
	return (a[1] == 'h' && strchr("cksz", a[0]) != NULL) ||
		(a[0] == 'y' && strchr("aeou", a[1]) != NULL);
}

/*
 * Whether token t (len bytes), of three letters at most, is consonant c
 * with vowels around it: a skeleton writes a short word so ("an" is "n",
 * Khmer អាន, whose first letter only carries the vowel).
 */
static bool
VowelsAround(const char *t, int len, char c)
{
	int			consonants = 0;
	int			i;

	if (len < 2 || len > 3)
		return false;
	for (i = 0; i < len; i++)
		if (!ScreenIsVowel(t[i]) && (t[i] != c || ++consonants > 1))
			return false;
	return consonants == 1;
}

/* Whether token a, of two letters, is the initials of "abd" compound b ("aq", "abdulqadeer"). */
static bool
AbdInitials(const char *a, int alen, const char *b, int blen)
{
	int			p;

	if (alen != 2 || a[0] != b[0] || (p = ScreenAbdPrefix(b, blen)) == 0 || p >= blen)
		return false;
	return a[1] == b[p];
}

/* AbdCompoundScore() and SpellingScore() call each other. */
static double SpellingScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j, bool compounds);

/* Whether token i of t, one letter, was a syllable of a hyphened word ("Hyon-u"), not an initial. */
static bool
HyphenedSyllable(const ScreenTokens *t, int i)
{
	return ScreenIsVowel(t->token[i][0]) &&
		(ScreenTokenBit(t->hyphened, i - 1) || ScreenTokenBit(t->hyphened, i));
}

/*
 * Whether token s (len bytes) spells vowel v as a syllable of its own, as
 * Korean given names write 우 u "woo", 이 i "yi", 오 o "oh": a w or y
 * before it, an h after it, or it doubled ("oo" for u).
 */
static bool
SyllableSpelling(const char *s, int len, char v)
{
	int			k = 0;

	if (len < 2 || len > 4)
		return false;
	if ((s[0] == 'w' && (v == 'u' || v == 'o')) || (s[0] == 'y' && (v == 'i' || v == 'e')))
		k = 1;
	if (s[len - 1] == 'h')
		len--;
	if (k >= len || s[k] != (v == 'u' && s[k] == 'o' && k + 1 < len && s[k + 1] == 'o' ? 'o' : v))
		return false;
	/* the vowel, or "oo" for u, or the vowel doubled, and nothing else */
	return len - k == 1 || (len - k == 2 && (s[k + 1] == s[k]));
}

/* The length of a kunya's "abu" or "abou" that starts token s (len bytes), before two letters or more; else 0. */
static int
AbuPrefix(const char *s, int len)
{
	if (len >= 5 && memcmp(s, "abu", 3) == 0)
		return 3;
	return (len >= 6 && memcmp(s, "abou", 4) == 0) ? 4 : 0;
}

/*
 * The score of two "abd" compounds ("abdelkarim", "abdel hakim" joined),
 * or two "abu" ones ("abubakr", "abu hafs" joined), abu if so: the names
 * after the prefix (and abd's article), which are what tell them apart,
 * scored as tokens; the shared prefix would otherwise pair any two.
 */
static double
AbdCompoundScore(const char *a, int alen, const char *b, int blen, bool transliterated, bool abu)
{
	ScreenTokens *rest = ScreenNewTokens(2);
	int			pa = abu ? AbuPrefix(a, alen) : ScreenAbdPrefix(a, alen);
	int			pb = abu ? AbuPrefix(b, blen) : ScreenAbdPrefix(b, blen);
	double		s;

	rest->transliterated = transliterated;
	ScreenAddToken(rest, a + pa, alen - pa, 1.0);
	ScreenAddToken(rest, b + pb, blen - pb, 1.0);

	/*
	 * once: what follows is scored as it is, even if it starts with "abd"
	 * again
	 */
	s = SpellingScore(rest, 0, rest, 1, false);
	ScreenFreeTokens(rest);
	return s;
}

/*
 * The score of token i of a with token j of b by spelling, 0 when they do
 * not pair; two "abd" compounds by the names after "abd" if compounds.
 */
static double
SpellingScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j, bool compounds)
{
	const char *at = a->token[i];
	const char *bt = b->token[j];
	int			alen = a->len[i];
	int			blen = b->len[j];
	bool		same_key;
	double		s;
	int			stem_a;
	int			stem_b;
	bool		one_stem = false;

	if (alen == blen && memcmp(at, bt, alen) == 0)
		return 1.0;
	if ((alen == 1 && a->skeletal && !b->skeletal && VowelsAround(bt, blen, at[0])) ||
		(blen == 1 && b->skeletal && !a->skeletal && VowelsAround(at, alen, bt[0])))
		return SCREEN_INITIAL_SCORE;

	/*
	 * a Korean given name's syllable that is one vowel, and its spelling with
	 * a glide ("Hyon-u", "Hyun-woo")
	 */
	if ((alen == 1 && HyphenedSyllable(a, i) && SyllableSpelling(bt, blen, at[0])) ||
		(blen == 1 && HyphenedSyllable(b, j) && SyllableSpelling(at, alen, bt[0])))
		return SCREEN_SYLLABLE_SCORE;
	if (alen == 1 || blen == 1)
		return at[0] == bt[0] ? SCREEN_INITIAL_SCORE : 0.0;

	/*
	 * a Cyrillic letter's initial, with a dot, in its romanisations
	 * (initials.c: Е. for Elena)
	 */
	if ((a->dotted != 0 && ScreenDottedInitialOf(a, i, bt, blen)) || (b->dotted != 0 && ScreenDottedInitialOf(b, j, at, alen)))
		return SCREEN_INITIAL_SCORE;
	if (Abbreviates(at, alen, bt, blen) || Abbreviates(bt, blen, at, alen) ||
		ScreenAbbreviatedName(at, alen, bt, blen) || ScreenAbbreviatedName(bt, blen, at, alen))
		return SCREEN_INITIAL_SCORE;
	if (AbdInitials(at, alen, bt, blen) || AbdInitials(bt, blen, at, alen))
		return SCREEN_INITIAL_SCORE;
	if (compounds && ScreenAbdPrefix(at, alen) > 0 && ScreenAbdPrefix(bt, blen) > 0)
		return AbdCompoundScore(at, alen, bt, blen, a->transliterated || b->transliterated, false);
	if (compounds && AbuPrefix(at, alen) > 0 && AbuPrefix(bt, blen) > 0)
		return AbdCompoundScore(at, alen, bt, blen, a->transliterated || b->transliterated, true);
	same_key = ScreenSameKey(a, i, b, j);
	if ((alen <= 2 || blen <= 2) && !same_key)
		return 0.0;
	if (ScreenGenderForms(at, alen, bt, blen))
		return 0.0;
	s = PenalisedJaroWinkler(at, alen, bt, blen);

	/*
	 * only pairs that score, key alike or share three letters can share a
	 * stem: the suffix families cost
	 */
	if ((s >= SCREEN_TOKEN_FLOOR || same_key || (alen >= 3 && blen >= 3 && memcmp(at, bt, 3) == 0)) &&
		ScreenSameSuffixFamily(at, alen, bt, blen, &stem_a, &stem_b))
	{
		/*
		 * one stem, its suffix in two romanisations ("nasrallah",
		 * "nasrullah"): one name
		 */
		one_stem = stem_a == stem_b && memcmp(at, bt, stem_a) == 0;

		/*
		 * a shared surname suffix is no evidence: the stems must be alike
		 * ("grigor", "gevorg"), or a typo apart
		 */
		if ((s >= SCREEN_TOKEN_FLOOR || same_key) && !ScreenOneTypoApart(at, stem_a, bt, stem_b))
			s = Min(s, PenalisedJaroWinkler(at, stem_a, bt, stem_b));
	}
	/* a Korean surname family's spellings ("lim", "rim") are one name */

	/*
	 * a glide changes no consonant: only tokens that key alike can differ in
	 * one; nor does a Gaelic prefix
	 */
	if ((AnotherName(at, alen, bt, blen, !(a->transliterated || b->transliterated), a->ov_surname || b->ov_surname) || (same_key && ScreenGlidesDiffer(at, alen, bt, blen)) ||
		 GaelicPrefixed(at, alen, bt, blen) || GaelicPrefixed(bt, blen, at, alen)) &&
		!(same_key && a->key[i][0] == 'x'))
		s *= SCREEN_LETTER_FACTOR;
	else if (same_key)
		s = SCREEN_KEY_SCORE + (1.0 - SCREEN_KEY_SCORE) * s;
	else if (ScreenDifferentEndings(at, alen, bt, blen))
		s *= SCREEN_ENDING_FACTOR;
	if (one_stem)
		s = Max(s, SCREEN_SUFFIX_SPELLING_SCORE);
	return s >= SCREEN_TOKEN_FLOOR ? s : 0.0;
}

/*
 * The score of tokens i of a and j of b when one, rewritten by a spelling
 * convention (variants.c), keys as the other does and pairs with it, times
 * VARIANT_FACTOR; 0 when none does.  The keys must agree: "haitham" as
 * "haisam" is not "hassan".
 */
static double
VariantScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j)
{
	char		rewritten[SCREEN_KEY_MAX + 1];
	char		rewritten_key[SCREEN_KEY_SIZE(SCREEN_KEY_MAX + 1)];
	double		best = 0.0;
	int			way;

	if (a->len[i] > SCREEN_KEY_MAX || b->len[j] > SCREEN_KEY_MAX)
		return 0.0;
	for (way = 0; way < 2; way++)
	{
		const ScreenTokens *x = way == 0 ? a : b;
		const ScreenTokens *y = way == 0 ? b : a;
		int			xi = way == 0 ? i : j;
		int			yi = way == 0 ? j : i;
		int			n = ScreenVariantSpelling(x->token[xi], x->len[xi], xi > 0,
											  x->script == SCREEN_SCRIPT_GREEK || y->script == SCREEN_SCRIPT_GREEK,
											  y->token[yi], y->len[yi], rewritten);
		int			keylen;

		if (n <= 0 || y->key[yi] == NULL)
			continue;
		keylen = ScreenPhoneticKey(rewritten, n, rewritten_key);
		if (keylen == y->keylen[yi] && memcmp(rewritten_key, y->key[yi], keylen) == 0)
		{
			/*
			 * the rewritten token and the other, on the stack: this runs for
			 * many pairs
			 */
			char	   *token[2] = {rewritten, y->token[yi]};
			int			len[2] = {n, y->len[yi]};
			char	   *key[2] = {rewritten_key, y->key[yi]};
			int			keylens[2] = {keylen, keylen};
			double		rarity[2] = {1.0, 1.0};
			ScreenTokens pair = {.count = 2,.capacity = 2,.token = token,.len = len,.key = key,
				.keylen = keylens,.rarity = rarity,.skeletal = a->skeletal || b->skeletal,
			.transliterated = a->transliterated || b->transliterated,.script = a->script ? a->script : b->script};

			best = Max(best, VARIANT_FACTOR * SpellingScore(&pair, 0, &pair, 1, true));
		}
	}
	return best;
}

/*
 * The score of tokens x and y, len bytes each, as tokens of names a and b,
 * by spelling or a spelling convention (VariantScore()).
 */
static double
ConventionScore(char *x, char *y, int len, const ScreenTokens *a, const ScreenTokens *b)
{
	char		xkey[SCREEN_KEY_SIZE(SCREEN_GLIDE_MAX_LEN)];
	char		ykey[SCREEN_KEY_SIZE(SCREEN_GLIDE_MAX_LEN)];
	char	   *token[2] = {x, y};
	int			lens[2] = {len, len};
	char	   *key[2] = {xkey, ykey};
	int			keylens[2];
	double		rarity[2] = {1.0, 1.0};
	ScreenTokens pair = {.count = 2,.capacity = 2,.token = token,.len = lens,.key = key,
		.keylen = keylens,.rarity = rarity,.skeletal = a->skeletal || b->skeletal,
	.transliterated = a->transliterated || b->transliterated,.script = a->script ? a->script : b->script};

	keylens[0] = ScreenPhoneticKey(x, len, xkey);
	keylens[1] = ScreenPhoneticKey(y, len, ykey);
	return Max(SpellingScore(&pair, 0, &pair, 1, false), VariantScore(&pair, 0, &pair, 1));
}

/* Whether tokens a and b have the same vowels in order (a spelling that only writes other consonants). */
static bool
SameVowels(const char *a, int alen, const char *b, int blen)
{
	int			i = 0;
	int			j = 0;

	for (;;)
	{
		while (i < alen && !ScreenIsVowel(a[i]))
			i++;
		while (j < blen && !ScreenIsVowel(b[j]))
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (a[i++] != b[j++])
			return false;
	}
}

/*
 * Whether token i of x's respelling may score with token j of y: unless
 * the two are two genders' forms; and a name's spelling, not its sound
 * (a Thai or Indic name's), only where it writes the same vowels (Bengali
 * "fazlul", said "phajlul"), or ends as y's token does and the sound does
 * not ("khadga" is खड्ग spelled, said "khadg"), so that its vowels make no
 * other name close ("rakesha" and "rajesh").
 */
static bool
RespellingCounts(const ScreenTokens *x, int i, const ScreenTokens *y, int j)
{
	const ScreenTokens *r = x->respelled;

	if (r == NULL || r->whole || ScreenGenderForms(r->token[i], r->len[i], y->token[j], y->len[j]))
		return false;
	return !r->spelled || (!r->skeletal && SameVowels(r->token[i], r->len[i], x->token[i], x->len[i])) ||
		(r->token[i][r->len[i] - 1] == y->token[j][y->len[j] - 1] &&
		 x->token[i][x->len[i] - 1] != y->token[j][y->len[j] - 1]);
}

/*
 * Whether token i of h is Han characters' pinyin (cantonese.c marks them)
 * and token j of o a Latin token written in pinyin (pinyin.c): two such
 * pair only as one pinyin, since one letter apart is another character
 * (邹 zou is not Zhou, 刚 gang not Guang).  A Latin token in another
 * romanisation (Wong, Cheung, Tsang) pairs as before, and Han characters'
 * Cantonese reading is not so marked.
 */
static bool
HanAndPinyin(const ScreenTokens *h, int i, const ScreenTokens *o, int j)
{
	return h->han && !o->han && !o->transliterated && h->len[i] >= 2 &&
		ScreenIsPinyin(o->token[j], o->len[j]);
}

/*
 * The score of token i of r, a name's second spelling, with token j of o:
 * by spelling, but a Wade-Giles name's pinyin only when the two are one
 * pinyin (wade_giles.c).
 */
static double
RespelledScore(const ScreenTokens *r, int i, const ScreenTokens *o, int j)
{
	if (r->pinyin)
		return ScreenPinyinAlike(r->token[i], r->len[i], o->token[j], o->len[j]) ? 1.0 : 0.0;
	return SpellingScore(r, i, o, j, true);
}

/*
 * s, the score of token i of a with token j of b by their spellings, or
 * better by their consonant skeletons (skeleton.c) when either is one and
 * both tokens have two letters or more.
 */
static double
WithSkeletons(const ScreenTokens *a, int i, const ScreenTokens *b, int j, double s)
{
	double		k;
	bool		another_name;

	if (!(a->skeletal || b->skeletal) || a->len[i] < 2 || b->len[j] < 2 || s >= 1.0 ||
		(s >= SCREEN_SKELETON_SCORE && !ScreenLongVowelsMayDiffer(a->token[i], a->len[i], a->skeletal,
																  b->token[j], b->len[j], b->skeletal)))
		return s;
	k = SCREEN_SKELETON_SCORE -
		SCREEN_SKELETON_SLOPE * (1.0 - ScreenSkeletonSimilarity(a->token[i], a->len[i], a->skeletal,
																b->token[j], b->len[j], b->skeletal,
																a->skeletal && SCREEN_SCRIPT_THAI_OR_KHMER(a->script) ? a->script :
																b->skeletal && SCREEN_SCRIPT_THAI_OR_KHMER(b->script) ? b->script : 0,
																&another_name));
	if (another_name)
		k *= SCREEN_LETTER_FACTOR;

	/*
	 * no skeleton scores more, but its long vowels may say that a spelling
	 * keyed alike is another name (حمود, Hamad)
	 */
	if (s >= SCREEN_SKELETON_SCORE)
		return another_name ? s * SCREEN_LETTER_FACTOR : s;
	return Max(s, k >= SCREEN_TOKEN_FLOOR ? k : 0.0);
}

/*
 * The score of token i of a with token j of b, 0 when they do not pair:
 * see the file comment; a name in German, Polish, French or Ukrainian
 * romanisation scores with its second spelling too (respell.c), the
 * better counts.  When either name is written as consonant
 * skeletons (skeleton.c), tokens of two letters or more also pair on
 * their skeletons, and the better score counts; a Thai word as said and
 * as spelled (romanize_thai.c), the better again.  Symmetric.
 */
double
ScreenTokenScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j)
{
	double		s;
	char		ca[SCREEN_GLIDE_MAX_LEN];
	char		cb[SCREEN_GLIDE_MAX_LEN];

	/*
	 * one given name in two languages (cognates.c), of one gender: "mary" is
	 * no masculine "maria"
	 */
	bool		cognates = ScreenCognates(a->token[i], a->len[i], b->token[j], b->len[j]);

	/*
	 * a masculine and a feminine form stay apart ("martin", "martine"),
	 * whatever a second spelling says
	 */
	bool		gender = !cognates && ScreenGenderForms(a->token[i], a->len[i], b->token[j], b->len[j]);

	/*
	 * a pinyin name's syllables and a Hong Kong name's: one character's two
	 * readings, or none (hong_kong.c)
	 */
	if (a->syllables && b->hong_kong)
		return ScreenHongKongAlike(b->token[j], b->len[j], a->token[i], a->len[i]) ? 1.0 : 0.0;
	if (b->syllables && a->hong_kong)
		return ScreenHongKongAlike(a->token[i], a->len[i], b->token[j], b->len[j]) ? 1.0 : 0.0;

	/*
	 * but a name's spelling may end otherwise than its sound
	 * (RespellingCounts())
	 */
	if (gender && !(a->respelled && a->respelled->spelled) && !(b->respelled && b->respelled->spelled))
		return 0.0;

	/*
	 * a Han character's pinyin and a Latin token in pinyin are one syllable
	 * or two
	 */
	if (HanAndPinyin(a, i, b, j) || HanAndPinyin(b, j, a, i))
		return ScreenPinyinAlike(a->token[i], a->len[i], b->token[j], b->len[j]) ? 1.0 : 0.0;
	s = gender ? 0.0 : SpellingScore(a, i, b, j, true);

	/*
	 * a spelling in another romanisation scores as its English one, a name as
	 * said as spelled, if better
	 */
	if (s < 1.0 && RespellingCounts(a, i, b, j) && (!gender || a->respelled->spelled))
		s = Max(s, RespelledScore(a->respelled, i, b, j));
	if (s < 1.0 && RespellingCounts(b, j, a, i) && (!gender || b->respelled->spelled))
		s = Max(s, RespelledScore(b->respelled, j, a, i));
	if (gender)
		return s;

	/*
	 * tokens that do not pair may by a spelling convention the keys cannot
	 * see
	 */
	if (s < 1.0)
		s = Max(s, VariantScore(a, i, b, j));
	if (cognates)
		s = Max(s, SCREEN_COGNATE_SCORE);
	s = WithSkeletons(a, i, b, j, s);
	/* a skeleton's second spelling: a Thai word as spelled */
	if (s < 1.0 && a->respelled && a->respelled->skeletal)
		s = Max(s, WithSkeletons(a->respelled, i, b, j, 0.0));
	if (s < 1.0 && b->respelled && b->respelled->skeletal)
		s = Max(s, WithSkeletons(a, i, b->respelled, j, 0.0));

	/*
	 * an Arabic-origin name's ay or aw spelled two ways (glide.c), and maybe
	 * a letter by another convention
	 */
	if (s < SCREEN_DIPHTHONG_SCORE &&
		ScreenDiphthongSpellings(a->token[i], a->len[i], b->token[j], b->len[j], ca, cb))
		s = memcmp(ca, cb, a->len[i]) == 0 ? SCREEN_DIPHTHONG_SCORE :
			Max(s, SCREEN_DIPHTHONG_SCORE * ConventionScore(ca, cb, a->len[i], a, b));

	/*
	 * a Western name in katakana by its consonants, as Japanese writes them
	 * (katakana.c)
	 */
	if (s < 1.0 && (a->katakana || b->katakana))
		s = Max(s, Max(ScreenKatakanaScore(a, i, b, j), ScreenKatakanaScore(b, j, a, i)));
	return s;
}
