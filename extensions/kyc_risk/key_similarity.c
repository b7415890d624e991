/*
 * key_similarity.c
 *		How alike two names' candidate keys are, as phonetic.c writes them:
 *		screen()'s second way to find candidates, in the GIN index
 *		(phonetic_similarity()) and in the in-memory one (screen_cache.c).
 *
 * Keys are of kinds (ScreenKeyKind), each told by its prefix.  Most kinds
 * compare with their own: shared distinct keys over all (Jaccard), each
 * kind apart, so that a query written as consonants, which has skeleton
 * keys of both kinds, is not half as alike a name as one written
 * otherwise, of whose keys only one kind can match.
 *
 * Two kinds stand for one of many: a dictionary's readings of a Japanese
 * name (japanese.c), and the pinyin syllables a Hong Kong name's may be
 * (hong_kong.c).  Their keys find another kind's, one that a name has
 * (its plain keys; a pinyin name's syllables), never their own, and count
 * as if they were as many as those they find: a name is one reading of
 * its many (ScreenManyKeysSimilarity()).
 */
#include "name_core.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

/* Each kind's prefix, and the kind its keys find: their own, another's, or none (-1). */
static const struct
{
	const char *prefix;
	int			finds;
}			kinds[SCREEN_KEY_KINDS] = {
	[SCREEN_KEY_PLAIN] = {"", SCREEN_KEY_PLAIN},
	[SCREEN_KEY_LIST_SKELETON] = {SKELETON_LIST_PREFIX, SCREEN_KEY_LIST_SKELETON},
	[SCREEN_KEY_QUERY_SKELETON] = {SKELETON_QUERY_PREFIX, SCREEN_KEY_QUERY_SKELETON},
	[SCREEN_KEY_READINGS] = {SCREEN_READINGS_PREFIX, SCREEN_KEY_PLAIN},
	[SCREEN_KEY_HONG_KONG] = {SCREEN_HONG_KONG_PREFIX, SCREEN_KEY_SYLLABLE},
	[SCREEN_KEY_SYLLABLE] = {SCREEN_SYLLABLE_PREFIX, -1},
	[SCREEN_KEY_LIST_THAI] = {SKELETON_THAI_LIST_PREFIX, SCREEN_KEY_LIST_THAI},
	[SCREEN_KEY_QUERY_THAI] = {SKELETON_THAI_QUERY_PREFIX, SCREEN_KEY_QUERY_THAI},
};

/* The kind of a candidate key, by its prefix. */
ScreenKeyKind
ScreenKeyKindOf(const char *key)
{
	int			k;

	for (k = 1; k < SCREEN_KEY_KINDS; k++)
		if (key[0] == kinds[k].prefix[0])
			return (ScreenKeyKind) k;
	return SCREEN_KEY_PLAIN;
}

/* The kind that keys of this kind find (see the file comment), or -1 for none. */
int
ScreenKeyFinds(ScreenKeyKind kind)
{
	return kinds[kind].finds;
}

/* The prefix of keys of this kind. */
const char *
ScreenKeyPrefix(ScreenKeyKind kind)
{
	return kinds[kind].prefix;
}

/* strcmp on pointers to C strings, for qsort and bsearch. */
static int
CompareKeys(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The distinct space-separated keys of keys, sorted (a copy, cut up); returns how many. */
int
ScreenDistinctKeys(const char *keys, char ***out)
{
	char	   *copy = pstrdup(keys);
	char	  **distinct = palloc(sizeof(char *) * (strlen(keys) / 2 + 1));
	int			n = 0;
	int			kept = 0;
	char	   *p;
	char	   *save = NULL;
	int			i;

	for (p = strtok_r(copy, " ", &save); p != NULL; p = strtok_r(NULL, " ", &save))
		distinct[n++] = p;
	qsort(distinct, n, sizeof(char *), CompareKeys);
	for (i = 0; i < n; i++)
		if (kept == 0 || strcmp(distinct[kept - 1], distinct[i]) != 0)
			distinct[kept++] = distinct[i];
	*out = distinct;
	return kept;
}

/* Shared over all (Jaccard), 0 when there are none. */
float4
ScreenJaccard(int shared, int na, int nb)
{
	return (na + nb - shared) > 0 ? (float4) shared / (float4) (na + nb - shared) : 0;
}

/*
 * How alike a name with keys of a kind that stands for one of many is to
 * one with found keys of the kind they find, shared of those: as if the
 * first had as many as the second (Jaccard of found and found).
 */
float4
ScreenManyKeysSimilarity(int shared, int found)
{
	/*
	 * keys given by hand may share more than found: never more alike than
	 * alike
	 */
	return ScreenJaccard(Min(shared, found), found, found);
}

/*
 * Key key with the prefix of kind instead of its own, into out
 * (SCREEN_KEY_MAX + 1 bytes); false, out empty, if that is SCREEN_KEY_MAX
 * bytes or longer, a key that finds nothing (phonetic.c writes none).
 */
static bool
Reprefixed(const char *key, ScreenKeyKind kind, char *out)
{
	int			n = snprintf(out, SCREEN_KEY_MAX + 1, "%s%s", kinds[kind].prefix,
							 key + strlen(kinds[ScreenKeyKindOf(key)].prefix));

	if (n < SCREEN_KEY_MAX)
		return true;
	out[0] = '\0';
	return false;
}

/* How many of sorted keys a's of kind many find one of sorted keys b (ScreenKeyFinds()). */
static int
SharedFound(char **a, int na, ScreenKeyKind many, char **b, int nb)
{
	int			shared = 0;
	int			i;

	for (i = 0; i < na; i++)
	{
		char		found[SCREEN_KEY_MAX + 1];
		const char *key = found;

		if (ScreenKeyKindOf(a[i]) != many || !Reprefixed(a[i], kinds[many].finds, found))
			continue;
		if (bsearch(&key, b, nb, sizeof(char *), CompareKeys) != NULL)
			shared++;
	}
	return shared;
}

/*
 * The keys that find the names sharing a key with keys (a name's, as
 * ScreenKeysOf() writes them) in watchlist_names.phonetic, as
 * ScreenKeySimilarity() pairs them: keys, and those of a kind standing for
 * one of many as the keys they find, and if it has none of such a kind,
 * the keys that kind finds as that kind's.
 */
char *
ScreenLookupKeys(const char *keys)
{
	char	  **k;
	int			n = ScreenDistinctKeys(keys, &k);
	int			count[SCREEN_KEY_KINDS] = {0};
	StringInfoData out;
	int			i;
	int			kind;

	for (i = 0; i < n; i++)
		count[ScreenKeyKindOf(k[i])]++;
	initStringInfo(&out);
	appendStringInfoString(&out, keys);
	for (i = 0; i < n; i++)
	{
		ScreenKeyKind own = ScreenKeyKindOf(k[i]);
		char		other[SCREEN_KEY_MAX + 1];

		if (kinds[own].finds >= 0 && kinds[own].finds != own && Reprefixed(k[i], kinds[own].finds, other))
			appendStringInfo(&out, " %s", other);
		for (kind = 0; kind < SCREEN_KEY_KINDS; kind++)
			if (kinds[kind].finds == own && kind != own && count[kind] == 0 && Reprefixed(k[i], kind, other))
				appendStringInfo(&out, " %s", other);
	}
	return out.data;
}

/*
 * How alike two key strings are (see the file comment): for each kind
 * that finds its own, Jaccard of that kind's keys; for each that finds
 * another's, held by one name only, ScreenManyKeysSimilarity() of what it
 * finds in the other; the most alike.
 */
float4
ScreenKeySimilarity(const char *a, const char *b)
{
	char	  **ak;
	char	  **bk;
	int			na = ScreenDistinctKeys(a, &ak);
	int			nb = ScreenDistinctKeys(b, &bk);
	int			shared[SCREEN_KEY_KINDS] = {0};
	int			count_a[SCREEN_KEY_KINDS] = {0};
	int			count_b[SCREEN_KEY_KINDS] = {0};
	float4		best = 0;
	int			i = 0;
	int			j = 0;
	int			kind;

	for (i = 0; i < na; i++)
		count_a[ScreenKeyKindOf(ak[i])]++;
	for (j = 0; j < nb; j++)
		count_b[ScreenKeyKindOf(bk[j])]++;
	i = j = 0;
	while (i < na && j < nb)
	{
		int			c = strcmp(ak[i], bk[j]);

		if (c == 0)
			shared[ScreenKeyKindOf(ak[i])]++;
		i += (c <= 0);
		j += (c >= 0);
	}
	for (kind = 0; kind < SCREEN_KEY_KINDS; kind++)
	{
		int			finds = kinds[kind].finds;

		if (finds == kind)
			best = Max(best, ScreenJaccard(shared[kind], count_a[kind], count_b[kind]));
		else if (finds >= 0 && count_a[kind] > 0 && count_b[kind] == 0)
			best = Max(best, ScreenManyKeysSimilarity(SharedFound(ak, na, kind, bk, nb), count_b[finds]));
		else if (finds >= 0 && count_b[kind] > 0 && count_a[kind] == 0)
			best = Max(best, ScreenManyKeysSimilarity(SharedFound(bk, nb, kind, ak, na), count_a[finds]));
	}
	return best;
}

/*
 * Argument argno of phonetic_similarity(), keys as phonetic_key() writes
 * them: at most SCREEN_KEYS_MAX bytes, which the keys of the longest name
 * never reach, so that comparing them stays cheap.
 */
static char *
CheckedKeys(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	text	   *t;

	KycRequireArg(fcinfo, argno, argname);
	t = PG_GETARG_TEXT_PP(argno);
	if (VARSIZE_ANY_EXHDR(t) > SCREEN_KEYS_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s is longer than %d bytes", argname, SCREEN_KEYS_MAX),
				 errdetail("It is %d bytes long.", (int) VARSIZE_ANY_EXHDR(t)),
				 errhint("Give keys as kyc_risk.phonetic_key() writes them.")));
	return text_to_cstring(t);
}

PG_FUNCTION_INFO_V1(kyc_risk_phonetic_similarity);

/*
 * SQL: kyc_risk.phonetic_similarity(a text, b text) returns real: how alike
 * two names' keys are, as phonetic_key() writes them; see ScreenKeySimilarity.
 */
Datum
kyc_risk_phonetic_similarity(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT4(ScreenKeySimilarity(CheckedKeys(fcinfo, 0, "a"), CheckedKeys(fcinfo, 1, "b")));
}
