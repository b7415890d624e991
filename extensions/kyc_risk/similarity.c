/*
 * similarity.c
 *		kyc_risk.name_similarity(): token-based Jaro-Winkler on normalised
 *		names, the score screen() ranks by.
 *
 * Token scores: equal tokens score 1; an initial ("j") paired with a token
 * it starts ("john") scores SCREEN_INITIAL_SCORE; other tokens of one or two
 * letters must be equal; the rest score Jaro-Winkler (prefix scale 0.1, up
 * to 4 letters, boost above 0.7) times a length penalty
 * 1 - 0.2 * (1 - shorter / longer), as "ivan" is not "ivanov", and count
 * as unpaired below SCREEN_TOKEN_FLOOR.
 *
 * Name score: tokens pair greedily, best token score first, each token at
 * most once.  With la and lb the lengths of a pair's tokens,
 *
 *		score = sum(s * (la + lb)) / (sum(la + lb) + unpaired)
 *
 * where unpaired is the summed length of unpaired tokens.  When only one
 * side has unpaired tokens (a middle name, a patronymic) and at least two
 * pairs matched, they weigh SCREEN_SURPLUS_WEIGHT; otherwise they weigh 1.
 * When the names have different numbers of tokens and score below 1, the
 * longer one is also scored with each two adjacent tokens joined ("abdul
 * rahman" as "abdulrahman", pinyin "jin ping" as "jinping"); the best
 * score counts, if the joined token pairs with one at least 3/4 its
 * length.  Token order does not matter, but for which tokens are adjacent,
 * and the score is symmetric: the two names are put in a canonical order
 * first, and ties between candidate pairs break on the tokens' text.
 */
#include "name_core.h"

#include "utils/builtins.h"

/* Jaro-Winkler's prefix scale, longest prefix and boost threshold. */
#define JW_PREFIX_SCALE 0.1
#define JW_PREFIX_MAX 4
#define JW_BOOST_THRESHOLD 0.7

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
static int
CompareToken(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	return c != 0 ? c : alen - blen;
}

/* The score of one token pair, 0 when they do not pair; see the file comment. */
double
ScreenTokenScore(const char *a, int alen, const char *b, int blen)
{
	double		s;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 1.0;
	if (alen == 1 || blen == 1)
		return a[0] == b[0] ? SCREEN_INITIAL_SCORE : 0.0;
	if (alen <= 2 || blen <= 2)
		return 0.0;
	/* Jaro-Winkler is symmetric up to tie-breaking; fix the order. */
	if (CompareToken(a, alen, b, blen) > 0)
		s = ScreenJaroWinkler(b, blen, a, alen);
	else
		s = ScreenJaroWinkler(a, alen, b, blen);
	s *= 1.0 - LENGTH_PENALTY * (1.0 - (double) Min(alen, blen) / Max(alen, blen));
	return s >= SCREEN_TOKEN_FLOOR ? s : 0.0;
}

/* A normalised name's tokens, all of them. */
ScreenTokens *
ScreenSplitTokens(const char *normalized)
{
	ScreenTokens *t = palloc(sizeof(ScreenTokens));
	int			max = 1;
	char	   *p;

	t->text = pstrdup(normalized);
	for (p = t->text; *p; p++)
		if (*p == ' ')
			max++;
	t->token = palloc(sizeof(char *) * max);
	t->len = palloc(sizeof(int) * max);
	t->count = 0;
	for (p = t->text; *p;)
	{
		int			len = strcspn(p, " ");

		if (len > 0)
		{
			t->token[t->count] = p;
			t->len[t->count++] = len;
		}
		p += len;
		if (*p == ' ')
			*p++ = '\0';
	}
	return t;
}

/* A normalised name's tokens, company forms dropped if asked. */
ScreenTokens *
ScreenTokenize(const char *normalized, bool drop_company_forms)
{
	ScreenTokens *t = ScreenSplitTokens(normalized);
	int			kept = 0;
	int			i;

	if (!drop_company_forms)
		return t;
	for (i = 0; i < t->count; i++)
		if (!ScreenIsCompanyForm(t->token[i], t->len[i]))
		{
			t->token[kept] = t->token[i];
			t->len[kept++] = t->len[i];
		}
	if (kept > 0)				/* a name that is all company forms stays whole */
		t->count = kept;
	return t;
}

/* Order of two token lists, to put a pair of names in canonical order. */
static int
CompareNames(const ScreenTokens *a, const ScreenTokens *b)
{
	int			i;

	for (i = 0; i < a->count && i < b->count; i++)
	{
		int			c = CompareToken(a->token[i], a->len[i], b->token[i], b->len[i]);

		if (c != 0)
			return c;
	}
	return a->count - b->count;
}

/* A candidate pair, with what breaks ties between candidates. */
typedef struct Candidate
{
	ScreenPair	pair;
	int			weight;			/* la + lb */
	const char *lo;				/* its two tokens, the lesser first */
	int			lo_len;
	const char *hi;
	int			hi_len;
} Candidate;

/*
 * Candidate pairs sort best first.  Ties (an initial starts two tokens) go
 * to the longer pair, which scores the name higher, then by the tokens'
 * text: never by position, or the score would depend on token order ("j
 * kumar singh" against "jai jaswant singh" and "jaswant jai singh").
 * Positions decide only between pairs of the same two texts, which changes
 * nothing.
 */
static int
CompareCandidates(const void *x, const void *y)
{
	const Candidate *p = x;
	const Candidate *q = y;
	int			c;

	if (p->pair.score != q->pair.score)
		return p->pair.score > q->pair.score ? -1 : 1;
	if (p->weight != q->weight)
		return q->weight - p->weight;
	if ((c = CompareToken(p->lo, p->lo_len, q->lo, q->lo_len)) != 0 ||
		(c = CompareToken(p->hi, p->hi_len, q->hi, q->hi_len)) != 0)
		return c;
	if (p->pair.a != q->pair.a)
		return p->pair.a - q->pair.a;
	return p->pair.b - q->pair.b;
}

/* Chosen pairs are reported best first, ties in the names' own order. */
static int
ComparePairs(const void *x, const void *y)
{
	const ScreenPair *p = x;
	const ScreenPair *q = y;

	if (p->score != q->score)
		return p->score > q->score ? -1 : 1;
	if (p->a != q->a)
		return p->a - q->a;
	return p->b - q->b;
}

/* Make cand the candidate pairing token i of a with token j of b, scoring s. */
static void
SetCandidate(Candidate *cand, const ScreenTokens *a, int i, const ScreenTokens *b, int j, double s)
{
	bool		a_first = CompareToken(a->token[i], a->len[i], b->token[j], b->len[j]) <= 0;

	cand->pair.a = i;
	cand->pair.b = j;
	cand->pair.score = s;
	cand->weight = a->len[i] + b->len[j];
	cand->lo = a_first ? a->token[i] : b->token[j];
	cand->lo_len = a_first ? a->len[i] : b->len[j];
	cand->hi = a_first ? b->token[j] : a->token[i];
	cand->hi_len = a_first ? b->len[j] : a->len[i];
}

/* The greedy pairing and score of a and b in this order. */
static double
ScoreOrdered(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *m)
{
	Candidate  *cand = palloc(sizeof(Candidate) * Max(a->count * b->count, 1));
	int			ncand = 0;
	double		num = 0;
	double		den = 0;
	double		a_left = 0;
	double		b_left = 0;
	double		surplus;
	int			i;
	int			j;

	m->pairs = palloc(sizeof(ScreenPair) * Max(Min(a->count, b->count), 1));
	m->a_paired = palloc0(sizeof(bool) * Max(a->count, 1));
	m->b_paired = palloc0(sizeof(bool) * Max(b->count, 1));
	m->npairs = 0;
	for (i = 0; i < a->count; i++)
		for (j = 0; j < b->count; j++)
		{
			double		s = ScreenTokenScore(a->token[i], a->len[i], b->token[j], b->len[j]);

			if (s > 0)
				SetCandidate(&cand[ncand++], a, i, b, j, s);
		}
	qsort(cand, ncand, sizeof(Candidate), CompareCandidates);
	for (i = 0; i < ncand; i++)
	{
		ScreenPair *p = &cand[i].pair;
		int			weight;

		if (m->a_paired[p->a] || m->b_paired[p->b])
			continue;
		m->a_paired[p->a] = m->b_paired[p->b] = true;
		m->pairs[m->npairs++] = *p;
		weight = a->len[p->a] + b->len[p->b];
		num += p->score * weight;
		den += weight;
	}
	pfree(cand);
	qsort(m->pairs, m->npairs, sizeof(ScreenPair), ComparePairs);
	for (i = 0; i < a->count; i++)
		if (!m->a_paired[i])
			a_left += a->len[i];
	for (j = 0; j < b->count; j++)
		if (!m->b_paired[j])
			b_left += b->len[j];
	surplus = (m->npairs >= 2 && (a_left == 0 || b_left == 0)) ? SCREEN_SURPLUS_WEIGHT : 1.0;
	den += surplus * (a_left + b_left);
	m->score = den > 0 ? num / den : 0.0;
	return m->score;
}

/* The score of a and b as given, in canonical order; see the file comment. */
static double
ScoreCanonical(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match)
{
	ScreenMatch swapped;
	int			i;

	match->a_tokens = a;
	match->b_tokens = b;
	if (CompareNames(a, b) <= 0)
		return ScoreOrdered(a, b, match);
	ScoreOrdered(b, a, &swapped);
	match->score = swapped.score;
	match->npairs = swapped.npairs;
	match->pairs = swapped.pairs;
	for (i = 0; i < swapped.npairs; i++)
	{
		int			t = match->pairs[i].a;

		match->pairs[i].a = match->pairs[i].b;
		match->pairs[i].b = t;
	}
	match->a_paired = swapped.b_paired;
	match->b_paired = swapped.a_paired;
	return match->score;
}

/* t with tokens at and at + 1 joined into one. */
static ScreenTokens *
JoinAdjacent(const ScreenTokens *t, int at)
{
	ScreenTokens *j = palloc(sizeof(ScreenTokens));
	int			i;

	j->text = NULL;
	j->count = t->count - 1;
	j->token = palloc(sizeof(char *) * j->count);
	j->len = palloc(sizeof(int) * j->count);
	for (i = 0; i < j->count; i++)
	{
		int			from = i <= at ? i : i + 1;

		j->token[i] = t->token[from];
		j->len[i] = t->len[from];
	}
	j->token[at] = psprintf("%.*s%.*s", t->len[at], t->token[at], t->len[at + 1], t->token[at + 1]);
	j->len[at] = t->len[at] + t->len[at + 1];
	return j;
}

/* Whether token at of the joined side pairs with a token at least 3/4 its length. */
static bool
JoinedPairs(const ScreenMatch *m, bool joined_a, int at)
{
	int			i;

	for (i = 0; i < m->npairs; i++)
	{
		const ScreenPair *p = &m->pairs[i];
		int			joined_len = joined_a ? m->a_tokens->len[p->a] : m->b_tokens->len[p->b];
		int			other_len = joined_a ? m->b_tokens->len[p->b] : m->a_tokens->len[p->a];

		if ((joined_a ? p->a : p->b) == at)
			return 4 * other_len >= 3 * joined_len;
	}
	return false;
}

/* Name score of two token lists, in [0, 1]; match gets the pairing. */
double
ScreenNameScore(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match)
{
	const ScreenTokens *longer = a->count > b->count ? a : b;
	int			i;

	ScoreCanonical(a, b, match);
	if (match->score >= 1.0 || a->count == b->count || longer->count > 8)
		return match->score;
	for (i = 0; i + 1 < longer->count; i++)
	{
		ScreenTokens *joined = JoinAdjacent(longer, i);
		ScreenMatch m;

		if (longer == a)
			ScoreCanonical(joined, b, &m);
		else
			ScoreCanonical(a, joined, &m);
		if (m.score > match->score && JoinedPairs(&m, longer == a, i))
			*match = m;
	}
	return match->score;
}

PG_FUNCTION_INFO_V1(name_similarity);

/* SQL: kyc_risk.name_similarity(a text, b text) returns float8 in [0, 1]. */
Datum
name_similarity(PG_FUNCTION_ARGS)
{
	char	   *a = ScreenCheckedName(fcinfo, 0, "a");
	char	   *b = ScreenCheckedName(fcinfo, 1, "b");
	ScreenMatch match;

	PG_RETURN_FLOAT8(ScreenNameScore(ScreenTokenize(ScreenNormalize(a, false), true),
									 ScreenTokenize(ScreenNormalize(b, false), true),
									 &match));
}
