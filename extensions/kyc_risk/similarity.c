/*
 * similarity.c
 *		kyc_risk.name_similarity(): token-based Jaro-Winkler on normalised
 *		names, the score screen() ranks by.
 *
 * Token scores are token_score.c's.
 *
 * Name score: tokens pair greedily, best token score first, each token at
 * most once.  A token weighs its length times its rarity (particles less),
 * times SCREEN_SURNAME_FACTOR for a surname, the last token but suffixes.  With wa and
 * wb a pair's weights,
 *
 *		score = sum(s * (wa + wb)) / (sum(wa + wb) + unpaired)
 *
 * where unpaired is the summed weight of unpaired tokens.  When only one
 * side has unpaired tokens (a middle name, a patronymic) and at least two
 * pairs matched, those other than a surname weigh SCREEN_SURPLUS_WEIGHT of
 * theirs, unless either name has a company form: a company's extra word
 * makes another company.  Names that score below 1 are also scored with
 * tokens joined or read as initials (rewrites.c), and the best score
 * counts.  The score is symmetric: the two names are put in a
 * canonical order first, and ties between candidate pairs break on the
 * tokens' text.
 */
#include "name_core.h"

#include "utils/builtins.h"

/* A token's weight: its length times its rarity. */
double
ScreenTokenWeight(const ScreenTokens *t, int i)
{
	return t->len[i] * t->rarity[i];
}

/* Whether tokens i and i + 1 of t were one word, hyphened, in the name given. */
static bool
HyphenedToNext(const ScreenTokens *t, int i)
{
	return ScreenTokenBit(t->hyphened, i);
}

/*
 * Whether token i of t is an initial: one letter (not a digit), not a
 * syllable hyphened to another (Song-i, Jung-u), nor of a skeleton; or
 * one initial written with a dot, of its letters (initials.c: "Е.Ю." is
 * "ye" and "yu").
 */
static bool
IsInitial(const ScreenTokens *t, int i)
{
	bool		hyphened = (i > 0 && HyphenedToNext(t, i - 1)) || HyphenedToNext(t, i);

	if (ScreenIsDottedInitial(t, i))
		return true;

	/*
	 * from another script only a consonant: Hangul and pinyin have syllables
	 * of one vowel (이 i)
	 */
	return t->len[i] == 1 && isalpha((unsigned char) t->token[i][0]) && !t->skeletal && !hyphened &&
		!(t->transliterated && ScreenIsVowel(t->token[i][0]));
}

/*
 * Whether token i is its name's surname: the last of two or more but for
 * generational suffixes and initials ("Zolotarev V. V.").
 */
static bool
IsSurname(const ScreenTokens *t, int i)
{
	int			last = t->count - 1;

	while (last > 0 && (ScreenIsSuffix(t->token[last], t->len[last]) || IsInitial(t, last)))
		last--;
	return i == last && t->count > 1;
}

/* The surnames most Vietnamese have. */
static const char *const vietnamese_surnames[] = {
	"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang",
	"bui", "do", "ho", "ngo", "duong", "ly", NULL
};

/*
 * Whether t is written surname first, its last token a given name's
 * syllable: read from Han characters, or in pinyin syllables alone, or
 * led by a Korean surname (its own key, phonetic.c) or a Vietnamese one.
 */
static bool
SurnameFirst(const ScreenTokens *t)
{
	int			i;

	if (t->han || t->syllables || t->count == 0 ||
		(t->keylen[0] == 2 && t->key[0][0] == 'x') ||
		ScreenTokenIn(t->token[0], t->len[0], vietnamese_surnames))
		return true;
	for (i = 0; i < t->count; i++)
		if (!ScreenIsPinyin(t->token[i], t->len[i]))
			return false;
	return true;
}

/* The index of t's surname (IsSurname()), or -1 if it has none. */
static int
SurnameIndex(const ScreenTokens *t)
{
	int			i;

	for (i = t->count - 1; i >= 0; i--)
		if (IsSurname(t, i))
			return i;
	return -1;
}

/*
 * The index of t's surname if it is a second one that the other name
 * leaves out, else -1: unpaired, of three letters or more, not hyphened to
 * the token before it, which paired with the other name's surname
 * (SCREEN_SECOND_SURNAME_FLOOR at least: Valdivia is not Valencia) and is
 * no given name cognates.c knows ("Juan Carlos" lacks a surname), in a
 * name not written surname first (SurnameFirst(): "Zhang Wei Wei" is not
 * "Zhang Wei", nor "Kim Jong Un" "Kim Jong").  Spanish and Portuguese names
 * end with the mother's surname, which lists drop ("Rafael Caro", "Rafael
 * Caro Quintero"); Arabic ones with a grandfather's name, Russian ones
 * written surname first with the patronymic.  t_is_a: t is m's first name.
 */
static int
SecondSurname(const ScreenTokens *t, const bool *paired, const ScreenTokens *other, const ScreenMatch *m,
			  bool t_is_a)
{
	int			last = SurnameIndex(t);
	int			other_last = SurnameIndex(other);
	int			k;

	if (last < 1 || paired[last] || other_last < 0 || HyphenedToNext(t, last - 1) || t->len[last] < 3)
		return -1;
	for (k = 0; k < m->npairs; k++)
		if ((t_is_a ? m->pairs[k].a : m->pairs[k].b) == last - 1 &&
			(t_is_a ? m->pairs[k].b : m->pairs[k].a) == other_last && m->pairs[k].score >= SCREEN_SECOND_SURNAME_FLOOR)
			return SurnameFirst(t) || ScreenIsCognateName(t->token[last - 1], t->len[last - 1]) ? -1 : last;
	return -1;
}

/* Order of two token lists, to put a pair of names in canonical order. */
static int
CompareNames(const ScreenTokens *a, const ScreenTokens *b)
{
	int			i;

	for (i = 0; i < a->count && i < b->count; i++)
	{
		int			c = ScreenCompareToken(a->token[i], a->len[i], b->token[i], b->len[i]);

		if (c != 0)
			return c;
	}
	return a->count - b->count;
}

/* OrderFactor() looks for rotations of names of this many pairs at most. */
#define SCREEN_ORDER_MAX 32

/* A candidate pair, with what breaks ties between candidates. */
typedef struct Candidate
{
	ScreenPair	pair;
	double		weight;			/* the two tokens' weights */
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
		return p->weight > q->weight ? -1 : 1;
	if ((c = ScreenCompareToken(p->lo, p->lo_len, q->lo, q->lo_len)) != 0 ||
		(c = ScreenCompareToken(p->hi, p->hi_len, q->hi, q->hi_len)) != 0)
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
	bool		a_first = ScreenCompareToken(a->token[i], a->len[i], b->token[j], b->len[j]) <= 0;

	cand->pair.a = i;
	cand->pair.b = j;
	cand->pair.score = s;
	cand->weight = ScreenTokenWeight(a, i) + ScreenTokenWeight(b, j);
	cand->lo = a_first ? a->token[i] : b->token[j];
	cand->lo_len = a_first ? a->len[i] : b->len[j];
	cand->hi = a_first ? b->token[j] : a->token[i];
	cand->hi_len = a_first ? b->len[j] : a->len[i];
}

/*
 * Whether unpaired token i of t was one hyphened word with a neighbour
 * that is[] true for, and is not a particle.
 */
static bool
HyphenedWith(const ScreenTokens *t, const bool *is, int i)
{
	bool		before = i > 0 && HyphenedToNext(t, i - 1) && is[i - 1];
	bool		after = i + 1 < t->count && HyphenedToNext(t, i) && is[i + 1];

	return (before || after) && !ScreenConnecting(t->token[i], t->len[i]);
}

/*
 * The weight of t's unpaired tokens: the surname's times
 * SCREEN_SURNAME_FACTOR, and so a part of a hyphened compound whose other
 * part paired with a word (whole[]): a compound name is one name, and
 * Jean-Pierre is not Pierre; none for a part whose other part an initial
 * paired with (initial[]) when the other name has no token left over: the
 * initial stands for the compound, D. for Dong-hyun (not S. H. for it);
 * the others' times surplus; an initial (IsInitial()), when the other
 * name has a token unpaired too, as a word SCREEN_CONFLICTING_INITIAL_LENGTH long;
 * second_surname's (SecondSurname()) times SCREEN_SECOND_SURNAME_WEIGHT;
 * none for a company form that is a name too (ScreenIsNameLikeForm()),
 * first or last, when the other name (other) dropped a company form: "Olympos
 * AE" is "Olympos SA" (a name-like form on both sides proves nothing: Ike
 * Smith is not Sue Smith).
 */
static double
UnpairedWeight(const ScreenTokens *t, const bool *paired, const bool *whole, const bool *initial,
			   bool other_unpaired, const ScreenTokens *other, double surplus, int second_surname)
{
	double		w = 0;
	int			i;

	for (i = 0; i < t->count; i++)
		if (i == second_surname)
			w += ScreenTokenWeight(t, i) * SCREEN_SECOND_SURNAME_WEIGHT;
		else if (!paired[i] && (other_unpaired || !HyphenedWith(t, initial, i)) &&
				 !((i == 0 || i == t->count - 1) && t->len[i] <= SCREEN_NAME_LIKE_FORM_MAX &&
				   other->company && ScreenIsNameLikeForm(t->token[i], t->len[i])))
			w += (other_unpaired && IsInitial(t, i) ? SCREEN_CONFLICTING_INITIAL_LENGTH * t->rarity[i] : ScreenTokenWeight(t, i)) *
				(IsSurname(t, i) || HyphenedWith(t, whole, i) ? SCREEN_SURNAME_FACTOR : surplus);
	return w;
}

/* Whether t has an unpaired token. */
static bool
AnyUnpaired(const ScreenTokens *t, const bool *paired)
{
	int			i;

	for (i = 0; i < t->count; i++)
		if (!paired[i])
			return true;
	return false;
}

/*
 * Whether tokens i and k of t may stand for each other in the order: the
 * same text, or spellings of one name, keyed alike ("mohamed",
 * "mohammed"), which pairing may have crossed.
 */
static bool
SameName(const ScreenTokens *t, int i, int k)
{
	if (t->len[i] == t->len[k] && memcmp(t->token[i], t->token[k], t->len[i]) == 0)
		return true;
	return t->keylen[i] > 0 && t->keylen[i] == t->keylen[k] &&
		memcmp(t->key[i], t->key[k], t->keylen[i]) == 0;
}

/*
 * Whether a and b, of three tokens each and paired in reverse, are one
 * Vietnamese name written surname first and given name first ("nguyen van
 * thanh", "thanh van nguyen"): the middle token is a Vietnamese middle
 * name, or the first of either is one of the surnames most Vietnamese
 * have.
 */
static bool
VietnameseReverse(const ScreenTokens *a, const ScreenTokens *b)
{
	static const char *const middles[] = {"van", "thi", NULL};

	return a->count == 3 && b->count == 3 &&
		((ScreenTokenIn(a->token[1], a->len[1], middles) && ScreenTokenIn(b->token[1], b->len[1], middles)) ||
		 ScreenTokenIn(a->token[0], a->len[0], vietnamese_surnames) ||
		 ScreenTokenIn(b->token[0], b->len[0], vietnamese_surnames));
}

/*
 * Whether pairs (n, by their token in a), with the tokens of b read from
 * token cut on, round the end, stand in order; reversed: in reverse order.
 * Pairs whose tokens in a, or in b, are one name (SameName(): "v v" for
 * "vladimir vladimirovich") may stand for each other, so they are put in
 * order first.
 */
static bool
InOrder(const ScreenPair *pairs, int n, const ScreenTokens *a, const ScreenTokens *b, int cut, bool reversed)
{
	int		   *rank = palloc(sizeof(int) * n);
	bool		swapped = true;
	bool		ordered = true;
	int			i;
	int			k;

	for (i = 0; i < n; i++)
	{
		rank[i] = (pairs[i].b - cut + b->count) % b->count;
		if (reversed)
			rank[i] = -rank[i];
	}
	while (swapped)
	{
		swapped = false;
		for (i = 0; i < n; i++)
			for (k = i + 1; k < n; k++)
				if (rank[i] > rank[k] &&
					(SameName(a, pairs[i].a, pairs[k].a) || SameName(b, pairs[i].b, pairs[k].b)))
				{
					int			t = rank[i];

					rank[i] = rank[k];
					rank[k] = t;
					swapped = true;
				}
	}
	for (i = 0; i + 1 < n; i++)
		ordered &= rank[i] < rank[i + 1];
	pfree(rank);
	return ordered;
}

/*
 * What the order of m's paired tokens leaves of the score (see
 * screening.h): 1 in the same order; SCREEN_ROTATION_FACTOR in a rotation
 * of it, which is how list conventions move a surname from the back to
 * the front ("putin vladimir vladimirovich"; "garcia lopez maria elena"),
 * or, for a Vietnamese name of three, the reverse (VietnameseReverse());
 * SCREEN_ORDER_FACTOR in another order, which is another name: "salim
 * nasser hamad" is not "nasser salim hamad", nor "lopez garcia juan"
 * "juan garcia lopez".  Two tokens swapped are a rotation: "orban viktor"
 * is "viktor orban".  Generational suffixes do not count.  Symmetric: the
 * inverse of a rotation is one.  Of names with more than SCREEN_ORDER_MAX pairs, only the same order is
 * looked for; any other counts as a rotation.
 */
static double
OrderFactor(const ScreenMatch *m, const ScreenTokens *a, const ScreenTokens *b)
{
	ScreenPair	local[SCREEN_ORDER_MAX];
	ScreenPair *pairs = m->npairs <= SCREEN_ORDER_MAX ? local : palloc(sizeof(ScreenPair) * m->npairs);
	double		factor = SCREEN_ORDER_FACTOR;
	bool		increasing = true;
	int			n = 0;
	int			cut;
	int			i;

	/* by token in a (insertion sort: a name has few pairs); most are in order */
	for (i = 0; i < m->npairs; i++)
	{
		int			k = i;

		while (k > 0 && pairs[k - 1].a > m->pairs[i].a)
		{
			pairs[k] = pairs[k - 1];
			k--;
		}
		pairs[k] = m->pairs[i];
	}
	for (i = 0; i + 1 < m->npairs; i++)
		increasing &= pairs[i].b < pairs[i + 1].b;
	if (increasing)
		factor = 1.0;
	else
	{
		/* generational suffixes ("jr", "iv") stand last whatever the order */
		for (i = 0; i < m->npairs; i++)
			if (!ScreenIsSuffix(a->token[pairs[i].a], a->len[pairs[i].a]) &&
				!ScreenIsSuffix(b->token[pairs[i].b], b->len[pairs[i].b]))
				pairs[n++] = pairs[i];
		if (n < 2 || InOrder(pairs, n, a, b, 0, false))
			factor = 1.0;
		else if (n > SCREEN_ORDER_MAX)
			factor = SCREEN_ROTATION_FACTOR;
		else
		{
			for (cut = 1; cut < b->count && factor != SCREEN_ROTATION_FACTOR; cut++)
				if (InOrder(pairs, n, a, b, cut, false))
					factor = SCREEN_ROTATION_FACTOR;
			if (n == 3 && factor != SCREEN_ROTATION_FACTOR && VietnameseReverse(a, b) &&
				InOrder(pairs, n, a, b, 0, true))
				factor = SCREEN_ROTATION_FACTOR;
		}
	}
	if (pairs != local)
		pfree(pairs);
	return factor;
}

/* The greedy pairing and score of a and b in this order. */
static double
ScoreOrdered(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *m)
{
	Candidate  *cand = palloc(sizeof(Candidate) * Max(a->count * b->count, 1));
	int			ncand = 0;
	double		num = 0;
	double		den = 0;
	double		surplus;
	int			i;
	int			j;

	bool	   *a_whole;		/* token i paired with a word, not an initial */
	bool	   *b_whole;
	bool	   *a_initial;		/* token i paired with an initial */
	bool	   *b_initial;

	m->pairs = palloc(sizeof(ScreenPair) * Max(Min(a->count, b->count), 1));
	m->a_paired = palloc0(sizeof(bool) * Max(a->count, 1));
	m->b_paired = palloc0(sizeof(bool) * Max(b->count, 1));
	a_whole = palloc0(sizeof(bool) * Max(a->count, 1));
	b_whole = palloc0(sizeof(bool) * Max(b->count, 1));
	a_initial = palloc0(sizeof(bool) * Max(a->count, 1));
	b_initial = palloc0(sizeof(bool) * Max(b->count, 1));
	m->npairs = 0;
	for (i = 0; i < a->count; i++)
		for (j = 0; j < b->count; j++)
		{
			double		s = ScreenTokenScore(a, i, b, j);

			if (s > 0)
				SetCandidate(&cand[ncand++], a, i, b, j, s);
		}
	qsort(cand, ncand, sizeof(Candidate), CompareCandidates);
	for (i = 0; i < ncand; i++)
	{
		ScreenPair *p = &cand[i].pair;

		if (m->a_paired[p->a] || m->b_paired[p->b])
			continue;
		m->a_paired[p->a] = m->b_paired[p->b] = true;
		a_whole[p->a] = b->len[p->b] > 1;
		b_whole[p->b] = a->len[p->a] > 1;
		a_initial[p->a] = b->len[p->b] == 1;
		b_initial[p->b] = a->len[p->a] == 1;
		p->weight = cand[i].weight;

		/*
		 * what a surname's pair falls short of 1 counts SCREEN_SURNAME_FACTOR
		 * times
		 */
		p->mismatch_weight = (SCREEN_SURNAME_FACTOR - 1.0) * (1.0 - p->score) *
			((IsSurname(a, p->a) ? ScreenTokenWeight(a, p->a) : 0) +
			 (IsSurname(b, p->b) ? ScreenTokenWeight(b, p->b) : 0));
		m->pairs[m->npairs++] = *p;
		num += p->score * p->weight;
		den += p->weight + p->mismatch_weight;
	}
	pfree(cand);
	qsort(m->pairs, m->npairs, sizeof(ScreenPair), ComparePairs);

	/*
	 * surplus tokens: a person's, only one side has unpaired ones, and two
	 * pairs or more matched
	 */
	surplus = (!a->company && !b->company && m->npairs >= 2 &&
			   !(AnyUnpaired(a, m->a_paired) && AnyUnpaired(b, m->b_paired))) ?
		SCREEN_SURPLUS_WEIGHT : 1.0;

	/*
	 * a person's second surname, when only one name has tokens left over
	 * (SecondSurname())
	 */
	m->a_unpaired_weight = UnpairedWeight(a, m->a_paired, a_whole, a_initial, AnyUnpaired(b, m->b_paired), b, surplus,
										  surplus < 1.0 ? SecondSurname(a, m->a_paired, b, m, true) : -1);
	m->b_unpaired_weight = UnpairedWeight(b, m->b_paired, b_whole, b_initial, AnyUnpaired(a, m->a_paired), a, surplus,
										  surplus < 1.0 ? SecondSurname(b, m->b_paired, a, m, false) : -1);
	pfree(a_whole);
	pfree(b_whole);
	pfree(a_initial);
	pfree(b_initial);
	den += m->a_unpaired_weight + m->b_unpaired_weight;
	m->order_factor = OrderFactor(m, a, b);
	m->score = den > 0 ? m->order_factor * (num / den) : 0.0;
	return m->score;
}

/* The score of a and b as given, in canonical order; see the file comment. */
double
ScreenScoreCanonical(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match)
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
	match->a_unpaired_weight = swapped.b_unpaired_weight;
	match->b_unpaired_weight = swapped.a_unpaired_weight;
	match->order_factor = swapped.order_factor;
	return match->score;
}

/*
 * Name score of two token lists, in [0, 1]; match gets the pairing, or
 * that of the names rewritten (rewrites.c) if it scores better.
 */
static double
NameScore(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match)
{
	ScreenScoreCanonical(a, b, match);
	if (match->score >= 1.0 || Max(a->count, b->count) > 8)
		return match->score;
	ScreenTryRewrites(a, b, match);
	return match->score;
}

/*
 * Token i of r, from first to end, that scores best with any of other's
 * tokens but skip (ScreenTokenScore()); its partner into *partner.
 */
static int
BestReading(const ScreenTokens *r, int first, int end, const ScreenTokens *other, int skip, int *partner)
{
	double		best = -1.0;
	int			chosen = first;
	int			i;
	int			j;

	*partner = -1;
	for (i = first; i < end; i++)
		for (j = 0; j < other->count; j++)
		{
			double		score;

			if (j == skip)
				continue;
			score = ScreenTokenScore(r, i, other, j);
			if (score > best)
			{
				best = score;
				chosen = i;
				*partner = j;
			}
		}
	return chosen;
}

/*
 * The reading of two tokens that r, a dictionary's readings of a Japanese
 * name's family name and given name (japanese.c), gives when read to pair
 * with other: the family name's reading that pairs best with one of
 * other's tokens, then the given name's that pairs best with another.
 */
static ScreenTokens *
ChosenReading(const ScreenTokens *r, const ScreenTokens *other)
{
	ScreenTokens *c = palloc(sizeof(ScreenTokens));
	int			partner;
	int			family = BestReading(r, 0, r->family_readings, other, -1, &partner);
	int			given = BestReading(r, r->family_readings, r->count, other, partner, &partner);
	int			chosen[2] = {family, given};
	int			k;

	*c = *r;
	c->count = c->capacity = 2;
	c->token = palloc(sizeof(char *) * 2);
	c->len = palloc(sizeof(int) * 2);
	c->key = palloc(sizeof(char *) * 2);
	c->keylen = palloc(sizeof(int) * 2);
	c->rarity = palloc(sizeof(double) * 2);
	for (k = 0; k < 2; k++)
	{
		c->token[k] = r->token[chosen[k]];
		c->len[k] = r->len[chosen[k]];
		c->key[k] = r->key[chosen[k]];
		c->keylen[k] = r->keylen[chosen[k]];
		c->rarity[k] = r->rarity[chosen[k]];
	}
	c->family_readings = 0;
	c->hyphened = 0;
	c->respelled = NULL;
	c->reading = NULL;
	return c;
}

/*
 * Whether a match pairs each of a reading's two tokens with one scoring
 * SCREEN_AS_WRITTEN_FLOOR or more: a dictionary gives a name many
 * readings, and one only close to another name is no evidence.
 */
static bool
PairedAsWritten(const ScreenMatch *match)
{
	int			i;

	if (match->npairs < 2)
		return false;
	for (i = 0; i < match->npairs; i++)
		if (match->pairs[i].score < SCREEN_AS_WRITTEN_FLOOR)
			return false;
	return true;
}

/* Whether t has a reading other than a dictionary's or its syllables (as two Han names both have their Cantonese). */
static bool
OtherReading(const ScreenTokens *t)
{
	const ScreenTokens *r;

	for (r = t->reading; r; r = r->reading)
		if (r->family_readings == 0 && !r->syllables)
			return true;
	return false;
}

/*
 * Score a (first) against b, each of a's other readings times
 * SCREEN_READING_FACTOR (its pinyin syllables, for a Hong Kong name,
 * SCREEN_HONG_KONG_FACTOR), into match if better; a dictionary's readings as
 * the one they give to pair with b (ChosenReading()), if it pairs as
 * written (PairedAsWritten()).  When swapped, b is the first name.
 */
static void
ScoreReadings(const ScreenTokens *a, const ScreenTokens *b, bool swapped, ScreenMatch *match)
{
	const ScreenTokens *r;
	ScreenMatch other;

	for (r = a->reading; r && match->score < 1.0; r = r->reading)
	{
		const ScreenTokens *read;
		double		score;
		double		factor;

		if (r->syllables && !b->hong_kong)
			continue;			/* a pinyin name's syllables are for Hong Kong
								 * names (hong_kong.c) */
		read = r->family_readings > 0 ? ChosenReading(r, b) : r;
		score = swapped ? NameScore(b, read, &other) : NameScore(read, b, &other);
		factor = r->syllables ? SCREEN_HONG_KONG_FACTOR : SCREEN_READING_FACTOR;
		if (factor * score > match->score && (r->family_readings == 0 || PairedAsWritten(&other)))
		{
			other.score *= factor;
			*match = other;
		}
	}
}

/*
 * Score a's respelling that counts as a whole name only (respell.c: Spanish
 * j for kh) against b, with a's weights and marks, into match if better;
 * when swapped, b is the first name.  Token by token, "Juma Jan" would be
 * "Juma Khan" (juma as written, jan as "khan").
 */
static void
ScoreWholeRespelling(const ScreenTokens *a, const ScreenTokens *b, bool swapped, ScreenMatch *match)
{
	ScreenTokens *w;
	ScreenMatch m;
	double		score;

	if (a->respelled == NULL || !a->respelled->whole || a->respelled->count != a->count)
		return;
	w = palloc(sizeof(ScreenTokens));
	*w = *a;
	w->token = a->respelled->token;
	w->len = a->respelled->len;
	w->key = a->respelled->key;
	w->keylen = a->respelled->keylen;
	w->respelled = NULL;
	w->reading = NULL;
	score = swapped ? NameScore(b, w, &m) : NameScore(w, b, &m);
	if (score > match->score)
		*match = m;
}

/*
 * The name score of a and b, with how it was reached into match (see the
 * file comment); a name read other ways (its Cantonese, cantonese.c, or
 * Japanese, japanese.c) scores as each reading too, a reading as a whole,
 * times SCREEN_READING_FACTOR (which romanisation a Latin name is in is
 * not known: Wu is 吳 in Mandarin and 胡 in Cantonese), and the best
 * counts, unless the other name has such a reading too (a dictionary's
 * readings aside: a Japanese name in one word or two compares so); a
 * respelling that counts as a whole name, as a whole (ScoreWholeRespelling()).
 */
double
ScreenNameScore(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match)
{
	double		score = NameScore(a, b, match);

	ScoreWholeRespelling(a, b, false, match);
	ScoreWholeRespelling(b, a, true, match);
	score = match->score;

	/*
	 * two Han names compare by their characters' Mandarin: the readings would
	 * only add collisions; two Cyrillic names each by its other reading
	 * (Агросвіт, Агросвит)
	 */
	if (OtherReading(a) && OtherReading(b) && !a->reading->other_cyrillic && !b->reading->other_cyrillic)
		return score;
	ScoreReadings(a, b, false, match);
	ScoreReadings(b, a, true, match);
	return match->score;
}

PG_FUNCTION_INFO_V1(kyc_risk_name_similarity);

/* SQL: kyc_risk.name_similarity(a text, b text) returns float8 in [0, 1]. */
Datum
kyc_risk_name_similarity(PG_FUNCTION_ARGS)
{
	char	   *a = ScreenCheckedName(fcinfo, 0, "a");
	char	   *b = ScreenCheckedName(fcinfo, 1, "b");
	ScreenMatch match;

	char	   *an = ScreenNormalize(a, false);
	char	   *bn = ScreenNormalize(b, false);
	ScreenTokens *at = ScreenWithReadings(ScreenTokenize(an, true), an, a);
	ScreenTokens *bt = ScreenWithReadings(ScreenTokenize(bn, true), bn, b);

	ScreenWeighTokens(at);
	ScreenWeighTokens(bt);
	PG_RETURN_FLOAT8(ScreenNameScore(at, bt, &match));
}
