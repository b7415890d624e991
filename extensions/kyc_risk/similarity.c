/*
 * similarity.c
 *		kyc_risk.name_similarity(): token-based Jaro-Winkler on normalised
 *		names, the score screen() ranks by.
 *
 * Token scores: equal tokens score 1; an initial ("j") paired with a token
 * it starts ("john") scores SCREEN_INITIAL_SCORE, as does an abbreviation
 * such as "ye" or "kh" (Abbreviates()); a masculine and a
 * feminine form ("ivanov", "ivanova") score 0; other tokens of one or two
 * letters must be equal or key alike; the rest score Jaro-Winkler (prefix
 * scale 0.1, up to 4 letters, boost above 0.7) times a length penalty
 * 1 - 0.2 * (1 - shorter / longer), as "ivan" is not "ivanov".  Tokens with
 * the same phonetic key (phonetic.c) score at least SCREEN_KEY_SCORE plus
 * the rest times that; otherwise one stem with different endings loses
 * SCREEN_ENDING_FACTOR.  Below SCREEN_TOKEN_FLOOR a pair does not pair.
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
 * theirs.  When the names have different numbers of tokens and score
 * below 1, the longer one is also scored with two or three adjacent
 * tokens joined ("abd al rahman" as one), and the shorter with a token of
 * two or three letters read as initials ("ag" as "a g"); the best score
 * counts, if the new tokens pair, a joined one with a token at least 3/4
 * its length.  The score is symmetric: the two names are put in a
 * canonical order first, and ties between candidate pairs break on the
 * tokens' text.
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

/* Whether tail is a feminine ending of a name ("a" of "ivanova", "aya" of "tolstaya"). */
static bool
FeminineTail(const char *tail, int len)
{
	return (len == 1 && tail[0] == 'a') ||
		(len == 2 && (memcmp(tail, "ya", 2) == 0 || memcmp(tail, "ne", 2) == 0 ||
					  memcmp(tail, "le", 2) == 0 || memcmp(tail, "ou", 2) == 0)) ||
		(len == 3 && (memcmp(tail, "aya", 3) == 0 || memcmp(tail, "aja", 3) == 0));
}

/* Whether tail is the masculine counterpart of a feminine one ("", "o", "iy"). */
static bool
MasculineTail(const char *tail, int len)
{
	return len == 0 ||
		(len == 1 && strchr("oiys", tail[0]) != NULL) ||
		(len == 2 && (memcmp(tail, "oy", 2) == 0 || memcmp(tail, "iy", 2) == 0 ||
					  memcmp(tail, "ij", 2) == 0 || memcmp(tail, "yi", 2) == 0 ||
					  memcmp(tail, "ii", 2) == 0 || memcmp(tail, "os", 2) == 0 ||
					  memcmp(tail, "us", 2) == 0));
}

/* Levenshtein distance of two short byte strings (at most 8 bytes each, else 9). */
static int
ShortDistance(const char *a, int alen, const char *b, int blen)
{
	int			d[9][9];
	int			i;
	int			j;

	if (alen > 8 || blen > 8)
		return 9;
	for (i = 0; i <= alen; i++)
		d[i][0] = i;
	for (j = 0; j <= blen; j++)
		d[0][j] = j;
	for (i = 1; i <= alen; i++)
		for (j = 1; j <= blen; j++)
			d[i][j] = Min(Min(d[i - 1][j] + 1, d[i][j - 1] + 1),
						  d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
	return d[alen][blen];
}

/* The length of the common prefix of two tokens. */
static int
CommonPrefix(const char *a, int alen, const char *b, int blen)
{
	int			p = 0;

	while (p < alen && p < blen && a[p] == b[p])
		p++;
	return p;
}

/*
 * Whether two tokens are the masculine and feminine forms of one name
 * ("ivanov" and "ivanova", "giovanni" and "giovanna", "daniel" and
 * "danielle"): different people, however alike.  Not "e" alone: Italian
 * "daniele" is a man.
 */
static bool
GenderForms(const char *a, int alen, const char *b, int blen)
{
	int			p = CommonPrefix(a, alen, b, blen);

	if (p < 3)
		return false;
	return (FeminineTail(a + p, alen - p) && MasculineTail(b + p, blen - p)) ||
		(FeminineTail(b + p, blen - p) && MasculineTail(a + p, alen - p));
}

/*
 * Whether two tokens are one stem with different endings ("petrov",
 * "petrovsky", "petrenko"), which Jaro-Winkler, rewarding the shared
 * prefix, would otherwise pair: all but the last two letters of the
 * shorter one are shared, and what follows differs by two edits or more.
 * A difference inside the name ("alexander", "aleksandr") is not one.
 */
static bool
DifferentEndings(const char *a, int alen, const char *b, int blen)
{
	int			p = CommonPrefix(a, alen, b, blen);

	return p >= 3 && p >= Min(alen, blen) - 2 &&
		ShortDistance(a + p, alen - p, b + p, blen - p) >= SCREEN_ENDING_DISTANCE;
}

/* Whether the shorter token's letters all appear, in order, in the longer ("un" in "eun"). */
static bool
Subsequence(const char *a, int alen, const char *b, int blen)
{
	const char *s = alen <= blen ? a : b;
	const char *l = alen <= blen ? b : a;
	int			slen = Min(alen, blen);
	int			llen = Max(alen, blen);
	int			i = 0;
	int			j;

	for (j = 0; j < llen && i < slen; j++)
		if (l[j] == s[i])
			i++;
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
 * ("haniyeh", "haniya"; not Wade-Giles "hsieh"); a final "ien" is "ian"
 * (Wade-Giles "chien", "tien"; pinyin "qian", "tian").
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

		if (i == len - 2 && i > 0 && strchr("aeiou", s[i - 1]) == NULL &&
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
 * Whether tokens i of a and j of b have the same phonetic key, and one
 * that says enough: three consonants or more, a Korean surname family, or
 * a short key where one token's sounds (Sounds()) only add vowels to the
 * other's ("un", "eun"; "hun", "hoon"; not "li", "lu", nor "john", "jane").
 */
static bool
SameKey(const ScreenTokens *a, int i, const ScreenTokens *b, int j)
{
	char		sa[SCREEN_KEY_MAX + 1];
	char		sb[SCREEN_KEY_MAX + 1];

	if (a->keylen[i] != b->keylen[j] || a->keylen[i] == 0 ||
		memcmp(a->key[i], b->key[j], a->keylen[i]) != 0)
		return false;
	if (a->keylen[i] >= 3 || a->key[i][0] == 'x')
		return true;
	if (a->len[i] > SCREEN_KEY_MAX || b->len[j] > SCREEN_KEY_MAX)
		return false;
	return Subsequence(sa, Sounds(a->token[i], a->len[i], sa), sb, Sounds(b->token[j], b->len[j], sb));
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
 * The score of two "abd" compounds ("abdelkarim", "abdel hakim" joined):
 * the names after "abd" and its article, which are what tell them apart,
 * scored as tokens; the shared prefix would otherwise pair any two.
 */
static double SpellingScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j, bool compounds);

static double
AbdCompoundScore(const char *a, int alen, const char *b, int blen)
{
	ScreenTokens *rest = ScreenNewTokens(2);
	int			pa = ScreenAbdPrefix(a, alen);
	int			pb = ScreenAbdPrefix(b, blen);
	double		s;

	ScreenAddToken(rest, a + pa, alen - pa, 1.0);
	ScreenAddToken(rest, b + pb, blen - pb, 1.0);
	/* once: what follows is scored as it is, even if it starts with "abd" again */
	s = SpellingScore(rest, 0, rest, 1, false);
	pfree(rest->token[0]);
	pfree(rest->token[1]);
	pfree(rest->key[0]);
	pfree(rest->key[1]);
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

	if (alen == blen && memcmp(at, bt, alen) == 0)
		return 1.0;
	if (alen == 1 || blen == 1)
		return at[0] == bt[0] ? SCREEN_INITIAL_SCORE : 0.0;
	if (Abbreviates(at, alen, bt, blen) || Abbreviates(bt, blen, at, alen))
		return SCREEN_INITIAL_SCORE;
	if (compounds && ScreenAbdPrefix(at, alen) > 0 && ScreenAbdPrefix(bt, blen) > 0)
		return AbdCompoundScore(at, alen, bt, blen);
	same_key = SameKey(a, i, b, j);
	if ((alen <= 2 || blen <= 2) && !same_key)
		return 0.0;
	if (GenderForms(at, alen, bt, blen))
		return 0.0;
	/* Jaro-Winkler is symmetric up to tie-breaking; fix the order. */
	if (CompareToken(at, alen, bt, blen) > 0)
		s = ScreenJaroWinkler(bt, blen, at, alen);
	else
		s = ScreenJaroWinkler(at, alen, bt, blen);
	s *= 1.0 - LENGTH_PENALTY * (1.0 - (double) Min(alen, blen) / Max(alen, blen));
	if (same_key)
		s = SCREEN_KEY_SCORE + (1.0 - SCREEN_KEY_SCORE) * s;
	else if (DifferentEndings(at, alen, bt, blen))
		s *= SCREEN_ENDING_FACTOR;
	return s >= SCREEN_TOKEN_FLOOR ? s : 0.0;
}

/*
 * The score of token i of a with token j of b, 0 when they do not pair:
 * see the file comment.  When either name is written as consonant
 * skeletons (skeleton.c), tokens of two letters or more also pair on
 * their skeletons, and the better score counts.  Symmetric.
 */
double
ScreenTokenScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j)
{
	double		s = SpellingScore(a, i, b, j, true);
	double		k;

	if (s >= SCREEN_SKELETON_SCORE || !(a->skeletal || b->skeletal) || a->len[i] < 2 || b->len[j] < 2)
		return s;				/* no skeleton scores more */
	k = SCREEN_SKELETON_SCORE -
		SCREEN_SKELETON_SLOPE * (1.0 - ScreenSkeletonSimilarity(a->token[i], a->len[i], a->skeletal,
														 b->token[j], b->len[j], b->skeletal));
	return Max(s, k >= SCREEN_TOKEN_FLOOR ? k : 0.0);
}

/* A token's weight: its length times its rarity. */
double
ScreenTokenWeight(const ScreenTokens *t, int i)
{
	return t->len[i] * t->rarity[i];
}

/* Whether token i is its name's surname: the last of two or more but for generational suffixes. */
static bool
IsSurname(const ScreenTokens *t, int i)
{
	int			last = t->count - 1;

	while (last > 0 && ScreenIsSuffix(t->token[last], t->len[last]))
		last--;
	return i == last && t->count > 1;
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
	cand->weight = ScreenTokenWeight(a, i) + ScreenTokenWeight(b, j);
	cand->lo = a_first ? a->token[i] : b->token[j];
	cand->lo_len = a_first ? a->len[i] : b->len[j];
	cand->hi = a_first ? b->token[j] : a->token[i];
	cand->hi_len = a_first ? b->len[j] : a->len[i];
}

/*
 * The weight of t's unpaired tokens: the surname's times
 * SCREEN_SURNAME_FACTOR, the others' times surplus.
 */
static double
UnpairedWeight(const ScreenTokens *t, const bool *paired, double surplus)
{
	double		w = 0;
	int			i;

	for (i = 0; i < t->count; i++)
		if (!paired[i])
			w += ScreenTokenWeight(t, i) * (IsSurname(t, i) ? SCREEN_SURNAME_FACTOR : surplus);
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

	m->pairs = palloc(sizeof(ScreenPair) * Max(Min(a->count, b->count), 1));
	m->a_paired = palloc0(sizeof(bool) * Max(a->count, 1));
	m->b_paired = palloc0(sizeof(bool) * Max(b->count, 1));
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
		p->weight = cand[i].weight;
		/* what a surname's pair falls short of 1 counts SCREEN_SURNAME_FACTOR times */
		p->mismatch_weight = (SCREEN_SURNAME_FACTOR - 1.0) * (1.0 - p->score) *
			((IsSurname(a, p->a) ? ScreenTokenWeight(a, p->a) : 0) +
			 (IsSurname(b, p->b) ? ScreenTokenWeight(b, p->b) : 0));
		m->pairs[m->npairs++] = *p;
		num += p->score * p->weight;
		den += p->weight + p->mismatch_weight;
	}
	pfree(cand);
	qsort(m->pairs, m->npairs, sizeof(ScreenPair), ComparePairs);
	/* surplus tokens: only one side has unpaired ones, and two pairs or more matched */
	surplus = (m->npairs >= 2 && !(AnyUnpaired(a, m->a_paired) && AnyUnpaired(b, m->b_paired))) ?
		SCREEN_SURPLUS_WEIGHT : 1.0;
	m->a_unpaired_weight = UnpairedWeight(a, m->a_paired, surplus);
	m->b_unpaired_weight = UnpairedWeight(b, m->b_paired, surplus);
	den += m->a_unpaired_weight + m->b_unpaired_weight;
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
	match->a_unpaired_weight = swapped.b_unpaired_weight;
	match->b_unpaired_weight = swapped.a_unpaired_weight;
	return match->score;
}

/* t with the span tokens from at joined into one ("abd al aziz" as "abdalaziz"). */
static ScreenTokens *
JoinAdjacent(const ScreenTokens *t, int at, int span)
{
	ScreenTokens *j = ScreenNewTokens(t->count - span + 1);
	StringInfoData buf;
	double		rarity = 0;
	int			i;

	initStringInfo(&buf);
	for (i = at; i < at + span; i++)
	{
		appendBinaryStringInfo(&buf, t->token[i], t->len[i]);
		rarity = Max(rarity, t->rarity[i]);
	}
	for (i = 0; i < t->count; i++)
	{
		if (i == at)
			ScreenAddToken(j, buf.data, buf.len, rarity);
		else if (i < at || i >= at + span)
			ScreenAddToken(j, t->token[i], t->len[i], t->rarity[i]);
	}
	j->skeletal = t->skeletal;
	return j;
}

/* t with token at, of two or three letters, read as initials ("ag" as "a g"). */
static ScreenTokens *
SplitInitials(const ScreenTokens *t, int at)
{
	ScreenTokens *s = ScreenNewTokens(t->count + t->len[at] - 1);
	int			i;
	int			k;

	for (i = 0; i < t->count; i++)
	{
		if (i != at)
			ScreenAddToken(s, t->token[i], t->len[i], t->rarity[i]);
		else
			for (k = 0; k < t->len[at]; k++)
				ScreenAddToken(s, t->token[i] + k, 1, t->rarity[i]);
	}
	s->skeletal = t->skeletal;
	return s;
}

/* Whether tokens from..to-1 of the rewritten side all pair, each with a token at least 3/4 as long. */
static bool
RewrittenPairs(const ScreenMatch *m, bool rewritten_a, int from, int to)
{
	const ScreenTokens *t = rewritten_a ? m->a_tokens : m->b_tokens;
	const ScreenTokens *other = rewritten_a ? m->b_tokens : m->a_tokens;
	int			paired = 0;
	int			i;

	for (i = 0; i < m->npairs; i++)
	{
		int			k = rewritten_a ? m->pairs[i].a : m->pairs[i].b;
		int			o = rewritten_a ? m->pairs[i].b : m->pairs[i].a;

		if (k < from || k >= to)
			continue;
		if (4 * other->len[o] < 3 * t->len[k] && !other->skeletal && !t->skeletal)
			return false;
		paired++;
	}
	return paired == to - from;
}

/* Keep the pairing of a with b rewritten as r (tokens from..to-1 new) if it scores better. */
static void
TryRewrite(const ScreenTokens *a, const ScreenTokens *r, bool rewritten_a, int from, int to,
		   ScreenMatch *best)
{
	ScreenMatch m;

	if (rewritten_a)
		ScoreCanonical(r, a, &m);
	else
		ScoreCanonical(a, r, &m);
	if (m.score > best->score && RewrittenPairs(&m, rewritten_a, from, to))
		*best = m;
}

/*
 * Name score of two token lists, in [0, 1]; match gets the pairing.  When
 * the names have different numbers of tokens, the longer one is also
 * scored with two or three adjacent tokens joined, and the shorter with a
 * token of two or three letters read as initials; the best score counts.
 */
double
ScreenNameScore(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match)
{
	const ScreenTokens *longer = a->count > b->count ? a : b;
	const ScreenTokens *shorter = longer == a ? b : a;
	ScreenMatch best;
	int			span;
	int			i;

	ScoreCanonical(a, b, match);
	if (match->score >= 1.0 || a->count == b->count || longer->count > 8)
		return match->score;
	best = *match;
	for (span = 2; span <= 3 && span <= longer->count - shorter->count + 1; span++)
		for (i = 0; i + span <= longer->count; i++)
			TryRewrite(shorter, JoinAdjacent(longer, i, span), longer == a, i, i + 1, &best);
	for (i = 0; i < shorter->count; i++)
		if ((shorter->len[i] == 2 || shorter->len[i] == 3) && !ScreenHasNonAscii(shorter->token[i]) &&
			shorter->count + shorter->len[i] - 1 <= longer->count)
			TryRewrite(longer, SplitInitials(shorter, i), shorter == a, i, i + shorter->len[i], &best);
	*match = best;
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

	ScreenTokens *at = ScreenTokenize(ScreenNormalize(a, false), true);
	ScreenTokens *bt = ScreenTokenize(ScreenNormalize(b, false), true);

	ScreenWeighTokens(at);
	ScreenWeighTokens(bt);
	PG_RETURN_FLOAT8(ScreenNameScore(at, bt, &match));
}
