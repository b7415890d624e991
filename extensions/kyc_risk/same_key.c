/*
 * same_key.c
 *		Whether two tokens' phonetic keys say they are one name: a key of
 *		three consonants or more does; a shorter one only when the tokens'
 *		sounds agree but for added vowels (token_score.c asks).
 *
 * A short key says little ("hn" is Hun, Hoon, Han and Hana), so the
 * tokens' sounds decide: each consonant as its key class, each vowel as
 * it is, but the digraphs that romanisations of one vowel differ by.
 */
#include "name_core.h"

/*
 * Whether two letters stand for one sound in some romanisation: vowels a
 * and e, e and i, i and y, o and u; consonants g and j (Egyptian Arabic),
 * c and k, c and s, and q with k or g (Arabic qaf: Qasim, Kasim; Burqiba,
 * Bourguiba) or c (Albanian q and ç: Thaqi, Thaçi).
 */
bool
ScreenKinLetters(char a, char b)
{
	static const char *const kin[] = {"ae", "ei", "iy", "ou", "gj", "ck", "cs", "kq", "gq", "cq"};
	int			k;

	for (k = 0; k < lengthof(kin); k++)
		if ((a == kin[k][0] && b == kin[k][1]) || (a == kin[k][1] && b == kin[k][0]))
			return true;
	return false;
}

/*
 * Whether the shorter token's letters all appear, in order, in the longer
 * ("un" in "eun"; a vowel as its kin, ScreenKinLetters(), but a, which tells
 * Mandarin finals apart, "hsia" and "hsieh": "yasir" in "yasser"),
 * which adds no a or i of a syllable of its own, between
 * consonants or at an end beside one: "jiro" is not in "ichiro", nor
 * "kenji" in "kenichi" (an o or u may be Korean eo, which Sounds() drops:
 * "jng" is in "jong"), nor one right after a vowel paired as its kin:
 * "ho" is not in "hui" (Korean 호, 희); any vowel if skeletal (a script
 * that writes none: "rny" is in "arunee").
 */
static bool
Subsequence(const char *a, int alen, const char *b, int blen, bool skeletal)
{
	const char *s = alen <= blen ? a : b;
	const char *l = alen <= blen ? b : a;
	int			slen = Min(alen, blen);
	int			llen = Max(alen, blen);
	int			i = 0;
	int			j;
	int			kin = -2;		/* where l's last vowel paired as a kin, not
								 * the same letter (none yet) */

	for (j = 0; j < llen; j++)
	{
		if (i < slen && l[j] == s[i])
			i++;
		else if (i < slen && ScreenKinLetters(l[j], s[i]) && l[j] != 'a' && s[i] != 'a')
		{
			kin = j;
			i++;
		}
		else if (!skeletal && (l[j] == 'a' || l[j] == 'i') &&
				 ((!(j > 0 && ScreenIsVowel(l[j - 1])) && !(j + 1 < llen && ScreenIsVowel(l[j + 1]))) ||
				  kin == j - 1))
			return false;
	}
	return i == slen;
}

/*
 * A token's sounds into out (len + 1 bytes at least): each consonant as
 * its key class, each vowel as it is but the digraphs that romanisations
 * of one vowel differ by ("oo" and "ou" u, "eu" u, "ae" e, "ee" i; "eo",
 * written o or u, nothing: Korean "hoon" and "hun", "geuk" and "kuk",
 * "hyeon" and "hyun"); returns its length.  "aee" is a then "ee" (Arabic
 * "saeed", "said"), and a final "ah" or "eh" after a consonant or y is
 * a, as the Arabic ta marbuta and the Persian final he are written
 * ("haniyeh", "haniya"; not Wade-Giles "hsieh", nor a token of three
 * letters, Wade-Giles "teh" for pinyin "de"); a final "ien" is "ian"
 * (Wade-Giles "chien", "tien"; pinyin "qian", "tian").  The Arabic and
 * Persian diphthong before a consonant or at the end is "ai" however
 * written: "ay", and in tokens of five letters or more "ei" and "ey"
 * ("layla", "leila"; "ubayd", "obeid"), not shorter ones, where English
 * and German write another name so ("neil", "nail").
 */
static int
Sounds(const char *s, int len, char *out)
{
	static const char *const digraphs[][2] = {
		{"oo", "u"}, {"ou", "u"}, {"eo", ""}, {"eu", "u"}, {"ae", "e"}, {"ee", "i"}
	};
	int			n = 0;
	int			i = 0;

	while (i < len)
	{
		int			step = 1;
		int			k;
		char		cls;

		if (i == len - 2 && i > 1 && strchr("aeiou", s[i - 1]) == NULL &&
			(s[i] == 'a' || s[i] == 'e') && s[i + 1] == 'h')
		{
			out[n++] = 'a';
			break;
		}
		if (i == len - 3 && i > 0 && memcmp(s + i, "ien", 3) == 0)
		{
			out[n++] = 'i';
			out[n++] = 'a';
			out[n++] = 'n';
			break;
		}
		if (i + 1 < len && (s[i + 1] == 'y' || (s[i + 1] == 'i' && s[i] == 'e')) &&
			(s[i] == 'a' || (s[i] == 'e' && len >= 5)) && (i + 2 == len || !ScreenIsVowel(s[i + 2])))
		{
			out[n++] = 'a';
			out[n++] = 'i';
			i += 2;
			continue;
		}
		for (k = 0; k < lengthof(digraphs); k++)
			if (i + 1 < len && s[i] == digraphs[k][0][0] && s[i + 1] == digraphs[k][0][1] &&
				!(s[i] == 'a' && s[i + 1] == 'e' && i + 2 < len && s[i + 2] == 'e'))
				break;
		if (k < lengthof(digraphs))
		{
			if (digraphs[k][1][0] != '\0')
				out[n++] = digraphs[k][1][0];
			i += 2;
			continue;
		}
		cls = ScreenConsonantClass(s, len, i, &step);
		if (cls == '-')
			cls = 'h';
		out[n++] = cls == 0 ? s[i] : cls == 'x' ? 'k' : cls;
		i += step;
	}
	out[n] = '\0';
	return n;
}

/*
 * Token t of vowels and glides alone (no key) into out as McCune-Reischauer
 * writes it, where Revised Romanization writes eo and eu (ŏ and ŭ, o and u
 * without their breve): "yeo" is "yo", "eun" would be "un", "eui" "ui";
 * its length, or -1 if it has more than four letters.
 */
static int
KoreanVowels(const char *t, int len, char *out)
{
	int			n = 0;
	int			i;

	if (len > 4)
		return -1;
	for (i = 0; i < len; i++)
		if (!(t[i] == 'e' && i + 1 < len && (t[i + 1] == 'o' || t[i + 1] == 'u')))
			out[n++] = t[i];
	return n;
}

/* Whether two keyless tokens ("yo", "yeo"; "ui", "eui") are one Korean syllable in two romanisations. */
static bool
KoreanVowelsAlike(const char *a, int alen, const char *b, int blen)
{
	char		fa[4];
	char		fb[4];
	int			na = KoreanVowels(a, alen, fa);
	int			nb = KoreanVowels(b, blen, fb);

	return na > 0 && na == nb && memcmp(fa, fb, na) == 0;
}

/* Whether keyless token a is keyless b and a final h, as Wade-Giles writes pinyin's ye ("yeh"). */
static bool
WadeGilesEh(const char *a, int alen, const char *b, int blen)
{
	return alen == blen + 1 && a[blen] == 'h' && a[blen - 1] == 'e' && memcmp(a, b, blen) == 0;
}

/*
 * Whether tokens i of a and j of b have the same phonetic key, and one
 * that says enough: three consonants or more, a Korean surname family, or
 * a short key where one token's sounds (Sounds()) only add vowels to the
 * other's ("un", "eun"; "hun", "hoon"; not "li", "lu", nor "john", "jane");
 * or no key, and the two are one Korean syllable (KoreanVowelsAlike()), or
 * one is the other with Wade-Giles' final h (WadeGilesEh()).
 */
bool
ScreenSameKey(const ScreenTokens *a, int i, const ScreenTokens *b, int j)
{
	char		sa[SCREEN_KEY_MAX + 1];
	char		sb[SCREEN_KEY_MAX + 1];

	if (a->keylen[i] == 0 && b->keylen[j] == 0)
		return KoreanVowelsAlike(a->token[i], a->len[i], b->token[j], b->len[j]) ||
			WadeGilesEh(a->token[i], a->len[i], b->token[j], b->len[j]) ||
			WadeGilesEh(b->token[j], b->len[j], a->token[i], a->len[i]);
	if (a->keylen[i] != b->keylen[j] || a->keylen[i] == 0 ||
		memcmp(a->key[i], b->key[j], a->keylen[i]) != 0)
		return false;
	if (a->keylen[i] >= 3 || a->key[i][0] == 'x')
		return true;
	if (a->len[i] > SCREEN_KEY_MAX || b->len[j] > SCREEN_KEY_MAX)
		return false;
	return Subsequence(sa, Sounds(a->token[i], a->len[i], sa), sb, Sounds(b->token[j], b->len[j], sb),
					   a->skeletal || b->skeletal);
}
