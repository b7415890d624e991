/*
 * fuzz_similarity.c
 *		Name similarity (kyc_risk/similarity.c) of two names, one per line:
 *		the score is in [0, 1], the same both ways round, 1 for a name and
 *		itself, SCREEN_ROTATION_FACTOR with its surname moved to the front
 *		(a rotation, as lists write names; 1 if that changes nothing but
 *		where a generational suffix stands, or may if two tokens have one
 *		key), and the pairing it reports
 *		pairs each token at most once.
 */
#include "names.h"

#include <math.h>

/* The tokens of a name, normalised and cut as name_similarity() does; NULL if none. */
static ScreenTokens *
Tokens(const char *data, size_t len)
{
	char	   *name = FuzzCheckedName(data, len);
	char	   *normalized = name ? ScreenNormalizeName(name) : NULL;

	/*
	 * with a Han name's Cantonese reading, which the packed copy must keep
	 * too
	 */
	return normalized ? ScreenWithCantonese(ScreenSplitTokens(normalized), name) : NULL;
}

/* t with its surname (the last token before any suffix) moved to the front, as lists write it. */
static ScreenTokens *
SurnameFirst(const ScreenTokens *t)
{
	ScreenTokens *r = ScreenNewTokens(t->count);
	int			surname = t->count - 1;
	int			i;

	while (surname > 0 && ScreenIsSuffix(t->token[surname], t->len[surname]))
		surname--;
	ScreenAddToken(r, t->token[surname], t->len[surname], t->rarity[surname]);
	for (i = 0; i < t->count; i++)
		if (i != surname)
			ScreenAddToken(r, t->token[i], t->len[i], t->rarity[i]);
	r->skeletal = t->skeletal;
	return r;
}

/* Whether two tokens of t have one key: the order may count them as one name (similarity.c's SameName()). */
static bool
SharedKey(const ScreenTokens *t)
{
	int			i;
	int			k;

	for (i = 0; i < t->count; i++)
		for (k = i + 1; k < t->count; k++)
			if (t->keylen[i] > 0 && t->keylen[i] == t->keylen[k] &&
				memcmp(t->key[i], t->key[k], t->keylen[i]) == 0)
				return true;
	return false;
}

/* Whether two token lists are the same tokens in the same order, generational suffixes aside. */
static bool
SameTokens(const ScreenTokens *a, const ScreenTokens *b)
{
	int			i = 0;
	int			k = 0;

	for (;;)
	{
		while (i < a->count && ScreenIsSuffix(a->token[i], a->len[i]))
			i++;
		while (k < b->count && ScreenIsSuffix(b->token[k], b->len[k]))
			k++;
		if (i == a->count || k == b->count)
			return i == a->count && k == b->count;
		if (a->len[i] != b->len[k] || memcmp(a->token[i], b->token[k], a->len[i]) != 0)
			return false;
		i++;
		k++;
	}
}

/* Check that m pairs tokens of its own two token lists, each at most once. */
static void
CheckPairing(const ScreenMatch *m)
{
	bool	   *a_seen = palloc0(m->a_tokens->count);
	bool	   *b_seen = palloc0(m->b_tokens->count);
	int			i;

	FUZZ_CHECK(m->npairs <= Min(m->a_tokens->count, m->b_tokens->count), "%d pairs", m->npairs);
	for (i = 0; i < m->npairs; i++)
	{
		const ScreenPair *p = &m->pairs[i];

		FUZZ_CHECK(p->a >= 0 && p->a < m->a_tokens->count && p->b >= 0 && p->b < m->b_tokens->count,
				   "pair %d is (%d, %d)", i, p->a, p->b);
		FUZZ_CHECK(!a_seen[p->a] && !b_seen[p->b], "pair %d reuses a token", i);
		FUZZ_CHECK(p->score > 0 && p->score <= 1.0, "pair %d scores %g", i, p->score);
		a_seen[p->a] = b_seen[p->b] = true;
	}
}

/* A packed copy of t, as screen_cache.c keeps it. */
static ScreenTokens *
Packed(const ScreenTokens *t)
{
	return ScreenPackTokens(t, palloc(ScreenTokensSize(t)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	const char *newline = memchr(text, '\n', size);
	size_t		alen = newline ? (size_t) (newline - text) : size;
	ScreenTokens *a = Tokens(text, alen);
	ScreenTokens *b = newline ? Tokens(newline + 1, size - alen - 1) : a;

	if (a != NULL && b != NULL)
	{
		ScreenMatch ab;
		ScreenMatch ba;
		ScreenMatch aa;
		double		score = ScreenNameScore(a, b, &ab);

		FUZZ_CHECK(score >= 0.0 && score <= 1.0 && !isnan(score), "score %g", score);
		FUZZ_CHECK(score == ab.score, "returned %g, match says %g", score, ab.score);
		FUZZ_CHECK(ScreenNameScore(b, a, &ba) == score, "%.17g one way, %.17g the other", score, ba.score);
		FUZZ_CHECK(ab.npairs == ba.npairs, "%d pairs one way, %d the other", ab.npairs, ba.npairs);
		FUZZ_CHECK(ScreenNameScore(a, a, &aa) == 1.0, "a name scores %.17g with itself", aa.score);
		{
			ScreenTokens *moved = SurnameFirst(a);
			double		expected = SameTokens(a, moved) ? 1.0 : SCREEN_ROTATION_FACTOR;

			double		got = ScreenNameScore(a, moved, &aa);

			/*
			 * tokens with one key may stand for each other, and make the move
			 * no move
			 */
			FUZZ_CHECK(got == expected || (SharedKey(a) && got == 1.0),
					   "a name scores %.17g with its surname first, not %.17g", got, expected);
		}
		CheckPairing(&ab);
		CheckPairing(&ba);
		/* the in-memory index scores packed copies: they must score the same */
		FUZZ_CHECK(ScreenNameScore(a, Packed(b), &ba) == score, "%.17g, packed %.17g", score, ba.score);
		if (a->count > 0 && b->count > 0)
		{
			double		jw = ScreenJaroWinkler(a->token[0], a->len[0], b->token[0], b->len[0]);
			double		ts = ScreenTokenScore(a, 0, b, 0);

			FUZZ_CHECK(jw >= 0.0 && jw <= 1.0 + 1e-12, "Jaro-Winkler %g", jw);
			FUZZ_CHECK(ts == ScreenTokenScore(b, 0, a, 0),
					   "token score not symmetric");
		}
	}
	FuzzFreeAll();
	return 0;
}
