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
 * ジョン).  The same consonants score SCREEN_KATAKANA_SCORE, and a Latin
 * token's final a or o must be the katakana's too (Roberta is no ロベルト).  Its candidate
 * keys are its phonetic key read those ways, as one of many readings
 * (SCREEN_KEY_READINGS, key_similarity.c): "trnp" is also "trmp", Trump's.
 */
#include "name_core.h"

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
 * (len + 1 bytes at least); its length.
 */
static int
KatakanaSkeleton(const char *s, int len, char *out)
{
	int			n = 0;
	int			i = 0;

	while (i < len)
	{
		int			step = 1;
		char		cls = ScreenConsonantClass(s, len, i, &step);

		i += Max(step, 1);
		if (cls == 0 || cls == 'h' || (cls == 'k' && n > 0 && out[n - 1] == 'n' && i >= len))
			continue;			/* vowels; h, which English often does not say; the g of a final ng */
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

	if (!a->katakana || b->katakana || b->transliterated)
		return 0.0;
	/* a final a or o, which tells a woman's name from a man's (Roberta, Roberto), Japanese writes too */
	if ((b->token[j][b->len[j] - 1] == 'a' || b->token[j][b->len[j] - 1] == 'o') &&
		a->token[i][a->len[i] - 1] != b->token[j][b->len[j] - 1])
		return 0.0;
	sa = palloc(a->len[i] + 1);
	sb = palloc(b->len[j] + 1);
	na = KatakanaSkeleton(a->token[i], a->len[i], sa);
	alike = na >= 2 && na == KatakanaSkeleton(b->token[j], b->len[j], sb) && memcmp(sa, sb, na) == 0;
	pfree(sa);
	pfree(sb);
	return alike ? SCREEN_KATAKANA_SCORE : 0.0;
}

/* Append key (len bytes) read with each of its classes from at on either way Japanese writes it, up to *room keys. */
static void
AppendReadWays(StringInfo buf, char *key, int len, int at, int *room)
{
	static const char *const alike[] = {"rl", "tj", "pf", "nm"};
	int			k;

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
			continue;			/* shorter keys find no candidates (phonetic.c) */
		key = pnstrdup(t->key[i], t->keylen[i]);
		AppendReadWays(buf, key, t->keylen[i], 0, &room);
		pfree(key);
	}
}
