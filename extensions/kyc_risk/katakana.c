/*
 * katakana.c
 *		A Western name written in katakana (ドナルド・トランプ) against its
 *		Latin spelling (Donald Trump).
 *
 * Japanese writes a foreign name in its own syllables: a vowel after
 * every consonant but n, r for r and l, b for v, chi and ji for ti and di,
 * n before p and b for m.  ICU romanises ドナルド・トランプ as "donarudo
 * toranpu", which spelling cannot pair with Donald Trump.  So a token of a
 * name written in katakana alone (tokens.c marks it: katakana) pairs with
 * a Latin token by consonants (KatakanaSkeleton()): vowels left out, in
 * the classes phonetic keys use (ScreenConsonantClass()), and those merged
 * that Japanese writes alike: r and l; t and ch, j; p, b, f, v and w; n
 * before p or b as m, and n before g at a token's end as n alone (Jong is
 * ジョン).  The same consonants score SCREEN_KATAKANA_SCORE, where the
 * two end alike as a woman's name or a man's (SameEnding(): Roberta is no
 * ロベルト, Robert no ロベルタ).  Its candidate
 * keys are its phonetic key read those ways, as one of many readings
 * (SCREEN_KEY_READINGS, key_similarity.c): "trnp" is also "trmp", Trump's.
 */
#include "name_core.h"

#include "miscadmin.h"

#include <unicode/utf8.h>

/* A katakana token pairs with a Latin one of the same consonants this much, when they are two or more. */
#define SCREEN_KATAKANA_SCORE 0.95

/* How many of a token's keys, read the ways Japanese writes alike, at most. */
#define KATAKANA_KEYS_MAX 16

/* Whether the UTF-8 name is katakana, with the separators Japanese writes foreign names with, a letter at least. */
bool
ScreenIsKatakanaName(const char *name)
{
	int32_t		len = strlen(name);
	int32_t		i = 0;
	bool		kana = false;

	while (i < len)
	{
		UChar32		c;

		U8_NEXT(name, i, len, c);
		if (c >= 0x30A1 && c <= 0x30FA)
			kana = true;
		else if (!(c == ' ' || c == 0x3000 || c == 0x30FB || c == 0x30FC || c == 0x00B7 || c == '=' ||
				   c == 0xFF1D || c == 0x30A0))
			return false;		/* an ill-formed sequence (c < 0) too */
	}
	return kana;
}

/* A consonant class (ScreenConsonantClass()) as Japanese writes it (see the file comment). */
static char
KatakanaClass(char cls)
{
	switch (cls)
	{
		case 'l':
			return 'r';
		case 'j':
			return 't';
		case 'f':
			return 'p';
	}
	return cls;
}

/*
 * Token s (len bytes) as consonant classes Japanese writes alike, into out
 * (len + 1 bytes at least); its length.  If english, without an r after a
 * vowel and before a consonant or at the end, which English does not say
 * and Japanese does not write (Peter ピーター, Parker パーカー), as German
 * does (Merkel メルケル).
 */
static int
KatakanaSkeleton(const char *s, int len, bool english, char *out)
{
	int			n = 0;
	int			i = 0;

	while (i < len)
	{
		int			step = 1;
		char		cls = ScreenConsonantClass(s, len, i, &step);

		i += Max(step, 1);
		if (cls == 0 || cls == 'h' || (cls == 'k' && n > 0 && out[n - 1] == 'n' && i >= len))
			continue;			/* vowels; h, which English often does not
								 * say; the g of a final ng */
		if (english && cls == 'r' && i - 2 >= 0 && ScreenIsVowel(s[i - 2]) && (i >= len || !ScreenIsVowel(s[i])))
			continue;
		cls = KatakanaClass(cls);
		if (n > 0 && out[n - 1] == 'n' && cls == 'p')
			out[n - 1] = 'm';
		if (n == 0 || out[n - 1] != cls)
			out[n++] = cls;		/* a doubled consonant (ッ) once */
	}
	out[n] = '\0';
	return n;
}

/*
 * Whether katakana token k and Latin token l (their lengths given) end
 * alike where the ending tells a woman's name from a man's (Roberta,
 * Roberto, Robert): a Latin final a or o is the katakana's too, and a
 * katakana final a, never a vowel Japanese adds, is the Latin's, or
 * English -er, -or or -ar (Peter is ピーター) (review).
 */
static bool
SameEnding(const char *k, int klen, const char *l, int llen)
{
	char		lk = k[klen - 1];
	char		ll = l[llen - 1];

	if ((ll == 'a' || ll == 'o') && lk != ll)
		return false;
	return lk != 'a' || ll == 'a' || (llen >= 2 && ll == 'r' && strchr("eoa", l[llen - 2]) != NULL);
}

/*
 * The score of token i of a, written in katakana, with token j of b, a
 * Latin one, by their consonants (see the file comment): 0 unless they
 * are the same, two or more.
 */
double
ScreenKatakanaScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j)
{
	char	   *sa;
	char	   *sb;
	int			na;
	bool		alike;

	if (!a->katakana || b->katakana || b->transliterated || a->len[i] == 0 || b->len[j] == 0)
		return 0.0;
	if (!SameEnding(a->token[i], a->len[i], b->token[j], b->len[j]))
		return 0.0;
	sa = palloc(a->len[i] + 1);
	sb = palloc(b->len[j] + 1);
	na = KatakanaSkeleton(a->token[i], a->len[i], false, sa);
	alike = na >= 2 && ((na == KatakanaSkeleton(b->token[j], b->len[j], false, sb) && memcmp(sa, sb, na) == 0) ||
						(na == KatakanaSkeleton(b->token[j], b->len[j], true, sb) && memcmp(sa, sb, na) == 0));
	pfree(sa);
	pfree(sb);
	return alike ? SCREEN_KATAKANA_SCORE : 0.0;
}

/*
 * Append key (len bytes) read with each of its classes from at on either
 * way Japanese writes it, up to *room keys: a call when there is no room
 * returns at once, so the calls are room times the key's length at most,
 * not two to the power of its alike letters (review).
 */
static void
AppendReadWays(StringInfo buf, char *key, int len, int at, int *room)
{
	static const char *const alike[] = {"rl", "tj", "pf", "nm"};
	int			k;

	if (*room <= 0)
		return;
	CHECK_FOR_INTERRUPTS();
	for (; at < len; at++)
		for (k = 0; k < lengthof(alike); k++)
			if (key[at] == alike[k][0] && (k != 3 || (at + 1 < len && key[at + 1] == 'p')))
			{
				AppendReadWays(buf, key, len, at + 1, room);
				key[at] = alike[k][1];
				AppendReadWays(buf, key, len, at + 1, room);
				key[at] = alike[k][0];
				return;
			}
	if (*room > 0)
	{
		ScreenAppendKey(buf, SCREEN_READINGS_PREFIX, key, len);
		(*room)--;
	}
}

/* Append to buf, if t is written in katakana, each token's key read the ways Japanese writes alike, as readings'. */
void
ScreenAppendKatakanaKeys(StringInfo buf, const ScreenTokens *t)
{
	int			i;

	for (i = 0; t->katakana && i < t->count; i++)
	{
		int			room = KATAKANA_KEYS_MAX;
		char	   *key;

		if (t->key[i] == NULL || t->keylen[i] < 3)
			continue;			/* shorter keys find no candidates
								 * (phonetic.c) */
		key = pnstrdup(t->key[i], t->keylen[i]);
		AppendReadWays(buf, key, t->keylen[i], 0, &room);
		pfree(key);
	}
}
