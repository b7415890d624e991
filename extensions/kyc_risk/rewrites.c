/*
 * rewrites.c
 *		Two names scored again with one rewritten: adjacent tokens joined
 *		("abd al rahman" as one), or a token of two or three letters read
 *		as initials ("ag" as "a g"), when their token counts differ; the
 *		better pairing counts (similarity.c asks).
 *
 * A rewrite counts only if its new tokens pair: a joined one with a token
 * at least 3/4 its length (or that is it in pinyin, for a Wade-Giles
 * name: PinyinPairs()) whose end pairs with the last part joined, or with
 * its second spelling's (TailPairs()), split initials each with a word they start, but initials
 * run together against a name with too few words for them, where only
 * the first need pair: the rest are a patronymic or middle name the other
 * leaves out ("A.G. Lukashenko", "Alexander Lukashenko").
 */
#include "name_core.h"

/* What rewritten tokens r keep of t's name: how it was written, not where its hyphens were (its tokens moved). */
static void
CopyNameFlags(ScreenTokens *r, const ScreenTokens *t)
{
	r->skeletal = t->skeletal;
	r->transliterated = t->transliterated;
	r->script = t->script;
	r->company = t->company;
	r->spelled = t->spelled;
	r->pinyin = t->pinyin;
	r->whole = t->whole;
	r->han = t->han;
	r->hong_kong = t->hong_kong;
	r->syllables = t->syllables;
	r->katakana = t->katakana;
	r->ov_surname = t->ov_surname;
	r->hyphened = 0;
	r->dotted = 0;
	r->dotted_digraphs = 0;
}

/* t with the span tokens from at joined into one ("abd al aziz" as "abdalaziz"), its second spelling too. */
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
	CopyNameFlags(j, t);
	/* its second spelling joined alike (respell.c, wade_giles.c) */
	if (t->respelled && t->respelled->count == t->count)
		j->respelled = JoinAdjacent(t->respelled, at, span);
	return j;
}

/* Whether token i of t was initials with dots in the name given (ScreenDottedInitials()). */
static bool
Dotted(const ScreenTokens *t, int i)
{
	return ScreenTokenBit(t->dotted, i);
}

/* How many initials token at of t is read as (ScreenInitialLength()). */
static int
InitialsIn(const ScreenTokens *t, int at)
{
	int			n = 0;
	int			k;

	for (k = 0; k < t->len[at]; k += ScreenInitialLength(t, at, k))
		n++;
	return n;
}

/* t with token at, of two or three letters, read as initials ("ag" as "a g", InitialsIn()). */
static ScreenTokens *
SplitInitials(const ScreenTokens *t, int at)
{
	ScreenTokens *s = ScreenNewTokens(t->count + t->len[at] - 1);
	uint64		dotted = 0;
	uint64		longer = 0;
	int			i;
	int			k;

	for (i = 0; i < t->count; i++)
	{
		if (i != at)
			ScreenAddToken(s, t->token[i], t->len[i], t->rarity[i]);
		else
			for (k = 0; k < t->len[at]; k += ScreenInitialLength(t, at, k))
			{
				/*
				 * each initial of dotted ones is one written with a dot, of
				 * its letters
				 */
				if (Dotted(t, at) && s->count < 64)
				{
					dotted |= UINT64CONST(1) << s->count;
					if (ScreenInitialLength(t, at, k) > 1)
						longer |= UINT64CONST(1) << s->count;
				}
				ScreenAddToken(s, t->token[i] + k, ScreenInitialLength(t, at, k), t->rarity[i]);
			}
	}
	CopyNameFlags(s, t);
	s->dotted = dotted;
	s->dotted_digraphs = longer;
	return s;
}

/*
 * Whether the last of the tokens a join put together (tail, len bytes)
 * pairs with an end of token o, by Jaro-Winkler or by key: "abu bakr"
 * joined is "abubakr", whose "bakr" pairs with the end of "abubakar",
 * "chih chun" is "chihchun", whose "chun" keys as the end of "zhijun"; "hans georg" joined shares
 * "hans" with "hanspeter" and would score 0.87 on it, but "georg" pairs
 * with no end of it.
 */
static bool
TailPairs(const char *tail, int len, const char *o, int olen)
{
	char		tail_key[SCREEN_KEY_SIZE(SCREEN_KEY_MAX)];
	char		end_key[SCREEN_KEY_SIZE(SCREEN_KEY_MAX)];
	int			tail_keylen;
	int			k;

	if (len > SCREEN_KEY_MAX || olen > SCREEN_KEY_MAX)
		return true;			/* no such name; only a key could say */
	tail_keylen = ScreenPhoneticKey(tail, len, tail_key);
	for (k = 1; k < olen; k++)
		if (ScreenJaroWinkler(tail, len, o + k, olen - k) >= SCREEN_TOKEN_FLOOR ||
			(ScreenPhoneticKey(o + k, olen - k, end_key) == tail_keylen && tail_keylen > 0 &&
			 memcmp(tail_key, end_key, tail_keylen) == 0))
			return true;
	return false;
}

/* Whether token k of t, in Wade-Giles, is token o of other in pinyin ("shih chieh" joined, "shijie"). */
static bool
PinyinPairs(const ScreenTokens *t, int k, const ScreenTokens *other, int o)
{
	return t->respelled && t->respelled->pinyin && t->respelled->count == t->count &&
		ScreenPinyinAlike(t->respelled->token[k], t->respelled->len[k], other->token[o], other->len[o]);
}

/*
 * Whether tokens from..required-1 of the rewritten side all pair, and
 * those on to to-1 pair or stay unpaired, each with a token at least 3/4
 * as long, unless it is that token in pinyin (PinyinPairs()); a joined token (joined from parts, of which last is its last
 * part; else parts NULL) only with one whose end pairs with that part, or
 * with its second spelling (TailPairs()).
 */
static bool
RewrittenPairs(const ScreenMatch *m, bool rewritten_a, int from, int required, int to,
			   const ScreenTokens *parts, int last)
{
	const char *tail = parts ? parts->token[last] : NULL;
	const ScreenTokens *second = parts && parts->respelled && parts->respelled->count == parts->count ?
	parts->respelled : NULL;
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
		if (!other->skeletal && !t->skeletal && !PinyinPairs(t, k, other, o) &&
			(4 * other->len[o] < 3 * t->len[k] ||
			 (tail != NULL && !TailPairs(tail, parts->len[last], other->token[o], other->len[o]) &&
			  !(second && TailPairs(second->token[last], second->len[last], other->token[o], other->len[o])))))
			return false;
		if (k < required)
			paired++;
	}
	return paired == required - from;
}

/*
 * Keep the pairing of a with b rewritten as r (tokens from..to-1 new, of
 * which from..required-1 must pair) if it scores better; parts what a
 * joined token was joined from, last its last part, else NULL.
 */
static void
TryRewrite(const ScreenTokens *a, const ScreenTokens *r, bool rewritten_a, int from, int required, int to,
		   const ScreenTokens *parts, int last, ScreenMatch *best)
{
	ScreenMatch m;

	if (rewritten_a)
		ScreenScoreCanonical(r, a, &m);
	else
		ScreenScoreCanonical(a, r, &m);
	if (m.score > best->score && RewrittenPairs(&m, rewritten_a, from, required, to, parts, last))
		*best = m;
}

/*
 * Whether a token of two or three letters is shaped like initials run
 * together ("vv", "ag", "akm", "pr") rather than a name's syllable ("li",
 * "wu", "an", "ai", "ng"): one letter repeated, no vowel, or a vowel
 * and a consonant but n; not three letters with a vowel (Amr, Urs, Ulf,
 * Ahn are names); not an article ("al", "as"), nor a
 * name's abbreviation ("md", "wm").
 */
static bool
InitialsShaped(const char *t, int len)
{
	int			vowels = 0;
	int			k;

	if (len < 2 || len > 3 || ScreenHasNonAscii(t) || ScreenConnecting(t, len) || ScreenIsNameAbbreviation(t, len))
		return false;
	for (k = 0; k < len; k++)
		if (!isalpha((unsigned char) t[k]))
			return false;		/* digits are no initials */
	if (t[1] == t[0] && (len == 2 || t[2] == t[0]))
		return true;
	for (k = 0; k < len; k++)
		vowels += ScreenIsVowel(t[k]) || t[k] == 'y';
	if (vowels == 0)
		return !(t[0] == 'n' && t[1] == 'g');
	return len == 2 && vowels == 1 && ScreenIsVowel(t[0]) && t[1] != 'n';
}

/* Whether t has the token tok (len bytes). */
static bool
HasToken(const ScreenTokens *t, const char *tok, int len)
{
	int			i;

	for (i = 0; i < t->count; i++)
		if (t->len[i] == len && memcmp(t->token[i], tok, len) == 0)
			return true;
	return false;
}


/*
 * Try each initials-shaped token of s (InitialsShaped()), or initials
 * with dots (Dotted()), read as
 * initials, when o has too few words for all of them and not the token
 * itself: the first must pair,
 * the rest may be a patronymic or middle name o leaves out ("A.G.
 * Lukashenko", "Alexander Lukashenko"; "Zolotarev V.V.").
 */
static void
TryInitialsShortOfWords(const ScreenTokens *s, const ScreenTokens *o, bool s_is_a, ScreenMatch *best)
{
	int			i;

	/*
	 * a name from another script, or a skeleton, has no initials ("hsn" is
	 * Hasan), unless written with dots
	 */
	if (o->skeletal)
		return;
	for (i = 0; i < s->count; i++)
		if ((Dotted(s, i) || (!s->transliterated && !s->skeletal && InitialsShaped(s->token[i], s->len[i]))) &&
			s->count + InitialsIn(s, i) - 1 > o->count &&
			!HasToken(o, s->token[i], s->len[i]))
			TryRewrite(o, SplitInitials(s, i), s_is_a, i, i + 1, i + InitialsIn(s, i), NULL, 0, best);
}

/* Keep in *best the pairing of a and b with two or three adjacent tokens of the longer joined, if better. */
static void
TryJoins(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *best)
{
	const ScreenTokens *longer = a->count > b->count ? a : b;
	const ScreenTokens *shorter = longer == a ? b : a;
	int			span;
	int			i;

	for (span = 2; span <= 3 && span <= longer->count - shorter->count + 1; span++)
		for (i = 0; i + span <= longer->count; i++)
			TryRewrite(shorter, JoinAdjacent(longer, i, span), longer == a, i, i + 1, i + 1,
					   longer, i + span - 1, best);
}

/*
 * Keep in *match the pairing of a and b with either rewritten, if one
 * scores better: when the names have different numbers of tokens, the
 * longer one with two or three adjacent tokens joined (again, up to twice
 * more, when it is read from another script), and the shorter
 * with a token of two or three letters read as initials; either with
 * initials run together the other has too few words for.
 */
void
ScreenTryRewrites(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match)
{
	const ScreenTokens *longer = a->count > b->count ? a : b;
	const ScreenTokens *shorter = longer == a ? b : a;
	ScreenMatch best = *match;
	int			round;
	int			i;

	TryJoins(a, b, &best);

	/*
	 * a name read from Han characters, a word a syllable, may need a join for
	 * each word ("hua xin neng yuan")
	 */
	for (round = 0; round < 2; round++)
	{
		const ScreenTokens *ra = best.a_tokens;
		const ScreenTokens *rb = best.b_tokens;
		ScreenMatch next = best;

		if ((ra == a && rb == b) || ra->count == rb->count || !(ra->count > rb->count ? ra : rb)->transliterated)
			break;
		TryJoins(ra, rb, &next);
		if (next.score <= best.score)
			break;
		best = next;
	}
	for (i = 0; i < shorter->count && a->count != b->count; i++)
		if ((shorter->len[i] == 2 || shorter->len[i] == 3) && !ScreenHasNonAscii(shorter->token[i]) &&
			shorter->count + InitialsIn(shorter, i) - 1 <= longer->count)
			TryRewrite(longer, SplitInitials(shorter, i), shorter == a, i, i + InitialsIn(shorter, i),
					   i + InitialsIn(shorter, i), NULL, 0, &best);
	TryInitialsShortOfWords(a, b, true, &best);
	TryInitialsShortOfWords(b, a, false, &best);
	*match = best;
}
