/*
 * screen_cache.c
 *		A backend's in-memory trigram index of the watch-list names, which
 *		screen() asks for its candidates instead of the pg_trgm GIN index.
 *
 * The GIN index must recheck every name that shares enough trigrams with
 * the query, and with common trigrams that is most of screen()'s time.
 * Here each name's distinct trigrams are counted once at load, and a
 * query adds up shared trigrams through posting lists in memory.  The
 * similarity is pg_trgm's own, |shared| / (|query| + |name| - |shared|)
 * over the distinct trigrams of words padded with two blanks before and
 * one after, so the candidates are exactly those of
 *   WHERE normalized % q ORDER BY similarity(normalized, q) DESC, id LIMIT n
 * for names made of [a-z0-9 ], which is what normalize_name() produces for
 * every script ICU transliterates.  The letters of one it cannot (Khmer)
 * stay in UTF-8, which pg_trgm counts by characters and this index by
 * bytes: a query with such letters goes to the GIN index, and a listed name
 * with them may rank a little differently here for an ASCII query.
 *
 * Each name's candidate keys (watchlist_names.phonetic) are indexed too,
 * key by key, and a name is as similar to the query as its text or its
 * keys are (shared distinct keys over all: phonetic_similarity()),
 * whichever is more: as the GIN path's
 *   WHERE normalized % q OR (keys && k AND phonetic_similarity(phonetic, k) >= kt)
 *   ORDER BY greatest(similarity(normalized, q), phonetic_similarity(phonetic, k)) DESC,
 *            similarity(normalized, q) DESC, id
 *
 * A candidate's tokens, cut and weighed as name_similarity() scores them,
 * are kept with the index from the first time it is a candidate, packed
 * in blocks (about 200 bytes a name), while the token weights and company
 * forms they were cut with stay as they are: cutting the same names again
 * for every query was half of screen()'s time.
 *
 * A statement trigger on watchlist_names invalidates the table's relcache
 * entry, in every backend at commit and in this one at once; the callback
 * here retires the index, and the next screen() rebuilds it under its own
 * snapshot.  Retired, not freed: the tokens handed out stay valid until
 * the next call, even if an invalidation arrives meanwhile.  The next
 * call, or the transaction's end, frees it.
 * kyc_risk.screen_cache = off, or a list longer than
 * kyc_risk.screen_cache_max_names, falls back to the GIN index.
 */
#include "screening.h"
#include "name_core.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "miscadmin.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

bool		screen_cache_enabled = true;
int			screen_cache_max_names = 500000;

/* A candidate: a name's position in the index and its similarity, by either way and by its text. */
typedef struct Candidate
{
	int32		name;
	float4		similarity;
	float4		text_similarity;
} Candidate;

/* How a query shares trigrams and keys with a name: counted by kind. */
enum
{
	SHARED_TRIGRAMS, SHARED_KEYS,	/* then one per ScreenKeyKind */
	SHARED_KINDS = SHARED_KEYS + SCREEN_KEY_KINDS
};

/*
 * A name's counts, together so that a query touching a name reads one
 * cache line, not six: what it has, and what it shares with the query
 * (zero between queries).
 */
typedef struct NameCounts
{
	int32		shared[SHARED_KINDS];
	int32		shared_any;		/* all of them */
	int16		trigrams;		/* distinct trigrams */
	int16		keys[SCREEN_KEY_KINDS]; /* distinct candidate keys, of each
										 * kind */
} NameCounts;

/* One trigram's posting list: the names that contain it. */
typedef struct TrigramPostings
{
	uint32		trigram;		/* hash key: three bytes */
	int32		count;
	int32		capacity;
	int32	   *names;
} TrigramPostings;

/* The index, and scratch space for one query. */
typedef struct NameIndex
{
	MemoryContext context;
	int32		count;
	int64	   *ids;
	char	  **normalized;
	char	  **names;			/* as listed, when not ASCII alone (a Han
								 * name's reading, cantonese.c), or with a
								 * hyphen or a dot (ScreenWithReadings());
								 * else NULL */
	NameCounts *counts;			/* per name */
	HTAB	   *postings;		/* by trigram */
	HTAB	   *key_postings;	/* by candidate key */
	bool		has_kind[SCREEN_KEY_KINDS]; /* a name has keys of the kind */
	int32	   *touched;
	Candidate  *candidates;

	/*
	 * candidates' tokens, as the weights and company forms of these versions
	 * cut them
	 */
	MemoryContext tokens_context;
	const ScreenTokens **tokens;	/* per name, NULL until it is a candidate */
	uint64		weights_version;
	uint64		forms_version;
	char	   *block;			/* where the next packed tokens go */
	Size		block_left;
} NameIndex;

/* Packed tokens are kept in blocks of this many bytes. */
#define TOKENS_BLOCK_SIZE (64 * 1024)

/* One candidate key's posting list: the names that have it. */
typedef struct KeyPostings
{
	char		key[SCREEN_KEY_MAX];	/* hash key */
	int32		count;
	int32		capacity;
	int32	   *names;
} KeyPostings;

static NameIndex *name_index = NULL;
static MemoryContext retired = NULL;	/* parent of the indexes invalidated
										 * since the last call */
static uint64 names_too_many = 0;	/* a list this long was refused; 0 if none */
static uint64 names_generation = 0; /* bumped by every invalidation */
static Oid	names_relid = InvalidOid;
static bool callback_registered = false;

/* Drop the index when watchlist_names changes (or every relcache entry goes). */
static void
NamesInvalidate(Datum arg, Oid relid)
{
	if (relid != InvalidOid && relid != names_relid)
		return;
	names_generation++;
	names_too_many = 0;
	if (name_index != NULL)
	{
		MemoryContextSetParent(name_index->context, retired);	/* no allocation here */
		name_index = NULL;
	}
}

/* Free the retired indexes: no call's tokens are in use between calls, nor after a transaction. */
static void
FreeRetired(void)
{
	if (retired != NULL)
		MemoryContextReset(retired);
}

/* At a transaction's end, free what it retired, even if screen() is not called again. */
static void
NamesXactEnd(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
		FreeRetired();
}

/* Trigrams in numeric order. */
static int
CompareTrigrams(const void *a, const void *b)
{
	uint32		x = *(const uint32 *) a;
	uint32		y = *(const uint32 *) b;

	return x < y ? -1 : x > y;
}

/*
 * The distinct trigrams of a normalised name, as pg_trgm makes them: each
 * word padded "  word ", every three consecutive bytes.  Returns how many.
 */
static int
NameTrigrams(const char *name, uint32 **out)
{
	int			len = strlen(name);
	uint32	   *trgm = palloc(sizeof(uint32) * (len + 3) * 2 + sizeof(uint32));
	int			n = 0;
	const char *p = name;

	while (*p)
	{
		const char *end;
		char		padded[3];
		int			wlen;
		int			i;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (end = p; *end && *end != ' '; end++)
			;
		wlen = end - p;
		/* Trigrams of "  " + word + " ": wlen + 1 of them, from position -2. */
		for (i = -2; i < wlen - 1; i++)
		{
			int			j;

			for (j = 0; j < 3; j++)
			{
				int			at = i + j;

				padded[j] = (at < 0 || at >= wlen) ? ' ' : p[at];
			}
			trgm[n++] = ((uint32) (uint8) padded[0] << 16) | ((uint32) (uint8) padded[1] << 8) |
				(uint32) (uint8) padded[2];
		}
		p = end;
	}
	/* Distinct, as pg_trgm counts them. */
	if (n > 1)
	{
		int			i;
		int			kept = 1;

		qsort(trgm, n, sizeof(uint32), CompareTrigrams);
		for (i = 1; i < n; i++)
			if (trgm[i] != trgm[kept - 1])
				trgm[kept++] = trgm[i];
		n = kept;
	}
	*out = trgm;
	return n;
}

static void IndexNames(NameIndex *index);

/* Every watch-list name's id, normalised form, candidate keys and name as listed. */
static SPIPlanPtr
NamesPlan(void)
{
	static SPIPlanPtr plan = NULL;

	return KycSavedPlan(&plan, "SELECT id, normalized, phonetic, name FROM kyc_risk.watchlist_names", 0, NULL);
}

/* Build the index from watchlist_names under the current snapshot; false if too big. */
static bool
BuildIndex(void)
{
	MemoryContext context;
	MemoryContext old;
	NameIndex  *index;
	HASHCTL		ctl;
	uint64		generation;

	if (!callback_registered)
	{
		retired = AllocSetContextCreate(TopMemoryContext, "kyc_risk retired screening names",
										ALLOCSET_SMALL_SIZES);
		CacheRegisterRelcacheCallback(NamesInvalidate, (Datum) 0);
		RegisterXactCallback(NamesXactEnd, NULL);
		callback_registered = true;
	}
	names_relid = get_relname_relid("watchlist_names", get_namespace_oid("kyc_risk", false));
	generation = names_generation;
	KycSpiConnect();

	/*
	 * The latest snapshot, not the caller's: an older one could miss a name
	 * committed after it, and no invalidation would come to correct that. The
	 * caller still fetches candidates under its own snapshot.
	 */
	if (KycExecuteLatest(NamesPlan(), NULL, NULL) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.watchlist_names");
	if (SPI_processed > (uint64) screen_cache_max_names)
	{
		names_too_many = SPI_processed;
		SPI_finish();
		return false;
	}
	context = AllocSetContextCreate(TopMemoryContext, "kyc_risk screening names", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(context);
	index = palloc0(sizeof(NameIndex));
	index->context = context;
	index->count = SPI_processed;
	index->ids = palloc(sizeof(int64) * Max(index->count, 1));
	index->normalized = palloc(sizeof(char *) * Max(index->count, 1));
	index->names = palloc(sizeof(char *) * Max(index->count, 1));
	index->counts = palloc0(sizeof(NameCounts) * Max(index->count, 1));
	index->touched = palloc(sizeof(int32) * Max(index->count, 1));
	index->candidates = palloc(sizeof(Candidate) * Max(index->count, 1));
	index->tokens_context = AllocSetContextCreate(context, "kyc_risk screening tokens", ALLOCSET_DEFAULT_SIZES);
	index->tokens = palloc0(sizeof(ScreenTokens *) * Max(index->count, 1));
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(uint32);
	ctl.entrysize = sizeof(TrigramPostings);
	ctl.hcxt = context;
	index->postings = hash_create("kyc_risk screening trigrams", 4096, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ctl.keysize = SCREEN_KEY_MAX;
	ctl.entrysize = sizeof(KeyPostings);
	index->key_postings = hash_create("kyc_risk screening keys", 4096, &ctl,
									  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	/* A cancel or an error while building frees what was built. */
	PG_TRY();
	{
		IndexNames(index);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(context);
		PG_RE_THROW();
	}
	PG_END_TRY();
	MemoryContextSwitchTo(old);
	SPI_finish();
	if (generation != names_generation)
	{
		/* The list changed while it was read: the index may miss that. */
		MemoryContextDelete(context);
		return false;
	}
	name_index = index;
	return true;
}

/* Append name i to a posting list of *count entries. */
static void
AddPosting(int32 **names, int32 *count, int32 *capacity, bool found, int32 i)
{
	if (!found)
	{
		*count = 0;
		*capacity = 4;
		*names = palloc(sizeof(int32) * *capacity);
	}
	else if (*count == *capacity)
	{
		*capacity *= 2;
		*names = repalloc(*names, sizeof(int32) * *capacity);
	}
	(*names)[(*count)++] = i;
}

/* Add name i's trigrams to the postings; returns how many. */
static int
IndexTrigrams(NameIndex *index, int32 i, const char *str)
{
	uint32	   *trgm;
	int			n = NameTrigrams(str, &trgm);
	int			t;

	for (t = 0; t < n; t++)
	{
		bool		found;
		TrigramPostings *p = hash_search(index->postings, &trgm[t], HASH_ENTER, &found);

		AddPosting(&p->names, &p->count, &p->capacity, found, i);
	}
	pfree(trgm);
	return Min(n, PG_INT16_MAX);
}

/* Add name i's n distinct candidate keys (watchlist_names.phonetic) to the postings, and count them. */
static void
IndexKeys(NameIndex *index, int32 i, char **keys, int n)
{
	int			count[SCREEN_KEY_KINDS] = {0};
	int			k;

	for (k = 0; k < n; k++)
	{
		bool		found;
		KeyPostings *p;

		count[ScreenKeyKindOf(keys[k])]++;
		if (strlen(keys[k]) >= SCREEN_KEY_MAX)
			continue;			/* phonetic_key() writes none */
		p = hash_search(index->key_postings, keys[k], HASH_ENTER, &found);
		AddPosting(&p->names, &p->count, &p->capacity, found, i);
	}
	for (k = 0; k < SCREEN_KEY_KINDS; k++)
		index->counts[i].keys[k] = Min(count[k], PG_INT16_MAX);
	for (k = 0; k < SCREEN_KEY_KINDS; k++)
		index->has_kind[k] |= count[k] > 0;
}

/*
 * Fill the index from the names in SPI_tuptable.  Each name's keys are
 * read in a scratch context: kept, they were most of the index's memory.
 */
static void
IndexNames(NameIndex *index)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext, "kyc_risk screening scratch",
												  ALLOCSET_SMALL_SIZES);
	uint64		i;

	for (i = 0; i < index->count; i++)
	{
		bool		isnull;
		char	   *phonetic;
		char	   *name;
		char	  **keys;
		int			nkeys;
		MemoryContext old;

		index->ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		index->normalized[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		index->counts[i].trigrams = IndexTrigrams(index, i, index->normalized[i]);
		old = MemoryContextSwitchTo(scratch);
		name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 4);

		/*
		 * kept only if a reading, hyphens or dotted initials could come from
		 * it: most names have none
		 */
		index->names[i] = name && (ScreenHasNonAscii(name) || strpbrk(name, "-.") != NULL) ?
			MemoryContextStrdup(index->context, name) : NULL;
		phonetic = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3);
		nkeys = ScreenDistinctKeys(phonetic ? phonetic : "", &keys);
		MemoryContextSwitchTo(old);
		IndexKeys(index, i, keys, nkeys);
		MemoryContextReset(scratch);
		CHECK_FOR_INTERRUPTS();
	}
	MemoryContextDelete(scratch);
}

/* Most similar first, then by text, then by id, as the GIN path's ORDER BY. */
static int
CompareCandidates(const void *x, const void *y)
{
	const Candidate *a = x;
	const Candidate *b = y;

	if (a->similarity != b->similarity)
		return a->similarity > b->similarity ? -1 : 1;
	if (a->text_similarity != b->text_similarity)
		return a->text_similarity > b->text_similarity ? -1 : 1;
	return name_index->ids[a->name] < name_index->ids[b->name] ? -1 :
		name_index->ids[a->name] > name_index->ids[b->name];
}

/* Forget every kept token list unless they were cut with these versions. */
static void
KeepTokensOf(NameIndex *index, uint64 weights_version, uint64 forms_version)
{
	if (index->weights_version == weights_version && index->forms_version == forms_version)
		return;
	MemoryContextReset(index->tokens_context);
	memset(index->tokens, 0, sizeof(ScreenTokens *) * Max(index->count, 1));
	index->block = NULL;
	index->block_left = 0;
	index->weights_version = weights_version;
	index->forms_version = forms_version;
}

/* Name i's weighed tokens: kept ones, or cut now (in the caller's memory) and kept if keep. */
static const ScreenTokens *
NameTokens(NameIndex *index, int32 i, bool keep)
{
	ScreenTokens *t;
	Size		size;

	if (keep && index->tokens[i] != NULL)
		return index->tokens[i];
	t = ScreenWeighedTokens(index->normalized[i], index->names[i] ? index->names[i] : "");
	if (!keep)
		return t;
	size = ScreenTokensSize(t);
	if (size > index->block_left)
	{
		if (size > TOKENS_BLOCK_SIZE / 4)
			return t;			/* a very long name is cut again each time */
		index->block = MemoryContextAlloc(index->tokens_context, TOKENS_BLOCK_SIZE);
		index->block_left = TOKENS_BLOCK_SIZE;
	}
	index->tokens[i] = ScreenPackTokens(t, index->block);
	index->block += size;
	index->block_left -= size;
	return index->tokens[i];
}

/* Count the names given as sharing one more of kind with the query, noting each first touched. */
static void
CountShared(const int32 *names, int32 count, int kind, int *ntouched)
{
	int32		j;

	for (j = 0; j < count; j++)
	{
		NameCounts *c = &name_index->counts[names[j]];

		c->shared[kind]++;
		if (c->shared_any++ == 0)
			name_index->touched[(*ntouched)++] = names[j];
	}
}

/* CountShared() for the names holding candidate key key. */
static void
CountKey(const char *key, int kind, int *ntouched)
{
	KeyPostings *p = strlen(key) < SCREEN_KEY_MAX ?
	hash_search(name_index->key_postings, key, HASH_FIND, NULL) : NULL;

	if (p != NULL)
		CountShared(p->names, p->count, kind, ntouched);
}

/*
 * CountKey() for the names that query key key finds, as
 * ScreenKeySimilarity() pairs keys (key_similarity.c): a key of a kind
 * that finds its own, names with it; of a kind that stands for one of
 * many, names with the key it finds; and of a kind that such a kind
 * finds, when the query (nk_kind counts its keys by kind) has none of
 * that kind, names with it as that kind's.  Counted as the key's kind, or
 * the kind standing for many.
 */
static void
CountKeysFound(const char *key, const int *nk_kind, int *ntouched)
{
	ScreenKeyKind own = ScreenKeyKindOf(key);
	int			finds = ScreenKeyFinds(own);
	char		other[SCREEN_KEY_MAX + 1];
	int			kind;

	if (finds == own)
		CountKey(key, SHARED_KEYS + own, ntouched);
	else if (finds >= 0)
	{
		snprintf(other, sizeof(other), "%s%s", ScreenKeyPrefix(finds), key + strlen(ScreenKeyPrefix(own)));
		CountKey(other, SHARED_KEYS + own, ntouched);
	}
	for (kind = 0; kind < SCREEN_KEY_KINDS; kind++)
		if (kind != own && ScreenKeyFinds(kind) == own && nk_kind[kind] == 0 && name_index->has_kind[kind])
		{
			snprintf(other, sizeof(other), "%s%s", ScreenKeyPrefix(kind), key + strlen(ScreenKeyPrefix(own)));
			CountKey(other, SHARED_KEYS + kind, ntouched);
		}
}

/*
 * How alike name c's keys of a kind are to the query's (nk_kind counts
 * them by kind), as ScreenKeySimilarity(): Jaccard, for a kind that finds
 * its own; for one that stands for many, held by the query or the name
 * only, ScreenManyKeysSimilarity() of the other's keys of the kind it
 * finds.
 */
static float4
KindSimilarity(const NameCounts *c, int kind, const int *nk_kind)
{
	int			shared = c->shared[SHARED_KEYS + kind];
	int			finds = ScreenKeyFinds(kind);

	if (finds == kind)
		return ScreenJaccard(shared, nk_kind[kind], c->keys[kind]);
	if (finds >= 0 && nk_kind[kind] > 0 && c->keys[kind] == 0)
		return ScreenManyKeysSimilarity(shared, c->keys[finds]);
	if (finds >= 0 && nk_kind[kind] == 0 && c->keys[kind] > 0)
		return ScreenManyKeysSimilarity(shared, nk_kind[finds]);
	return 0;
}

/*
 * The names most similar to a normalised query, by text at least
 * threshold or by candidate keys at least key_threshold,
 * similar, at most limit, best first: their ids, in the caller's memory,
 * and their weighed tokens (ScreenWeighedTokens()), valid until the next
 * call.  Returns false when the cache is off or the list too long: the
 * caller then asks the GIN index.
 */
bool
ScreenCandidateIds(const char *normalized, const char *keys, double threshold, double key_threshold, int limit,
				   int64 **ids, const ScreenTokens ***tokens, int *count)
{
	NameIndex  *index;
	uint64		weights_version;
	uint64		forms_version;
	bool		keep;
	uint32	   *query;
	char	  **key_query;
	int			nq;
	int			nk;
	int			nk_kind[SCREEN_KEY_KINDS] = {0};
	int			ntouched = 0;
	Candidate  *candidates;
	int			ncandidates = 0;
	int			i;

	AcceptInvalidationMessages();
	FreeRetired();
	if (!screen_cache_enabled || ScreenHasNonAscii(normalized))
		return false;

	/*
	 * A list known to be too long is not read again until it or the limit
	 * changes.
	 */
	if (name_index == NULL &&
		((names_too_many > 0 && names_too_many > (uint64) screen_cache_max_names) || !BuildIndex()))
		return false;
	nq = NameTrigrams(normalized, &query);
	nk = ScreenDistinctKeys(keys, &key_query);
	for (i = 0; i < nk; i++)
		nk_kind[ScreenKeyKindOf(key_query[i])]++;
	candidates = name_index->candidates;	/* scratch, like the shared counts
											 * and touched */
	for (i = 0; i < nq; i++)
	{
		TrigramPostings *p = hash_search(name_index->postings, &query[i], HASH_FIND, NULL);

		if (p != NULL)
			CountShared(p->names, p->count, SHARED_TRIGRAMS, &ntouched);
	}
	for (i = 0; i < nk; i++)
		CountKeysFound(key_query[i], nk_kind, &ntouched);

	/*
	 * No allocation between counting and this reset: the counters must end at
	 * zero.
	 */
	for (i = 0; i < ntouched; i++)
	{
		int32		name = name_index->touched[i];
		NameCounts *c = &name_index->counts[name];
		int			shared = c->shared[SHARED_TRIGRAMS];
		float4		text_similarity = (float4) shared / (float4) (nq + c->trigrams - shared);

		/* as ScreenKeySimilarity(): each kind of key apart */
		float4		key_similarity = 0;
		float4		similarity;
		int			kind;

		/* most names touched share only trigrams */
		for (kind = 0; c->shared_any > shared && kind < SCREEN_KEY_KINDS; kind++)
			if (c->shared[SHARED_KEYS + kind] > 0)
				key_similarity = Max(key_similarity, KindSimilarity(c, kind, nk_kind));
		/* as similar as its text or its keys, whichever is more */
		similarity = Max(text_similarity, key_similarity);

		memset(c->shared, 0, sizeof(c->shared));
		c->shared_any = 0;
		/* pg_trgm compares its float4 similarity with the double threshold */
		if ((double) text_similarity >= threshold || (double) key_similarity >= key_threshold)
		{
			candidates[ncandidates].name = name;
			candidates[ncandidates].similarity = similarity;
			candidates[ncandidates].text_similarity = text_similarity;
			ncandidates++;
		}
	}
	qsort(candidates, ncandidates, sizeof(Candidate), CompareCandidates);
	*count = Min(ncandidates, limit);
	*ids = palloc(sizeof(int64) * Max(*count, 1));
	*tokens = palloc(sizeof(ScreenTokens *) * Max(*count, 1));

	/*
	 * Reading the company forms or the weights may take invalidations, which
	 * retire the index (still valid here) or make the other stale: tokens are
	 * kept only if both were current at once.  Then nothing reads the catalog
	 * until the loop is done.
	 */
	index = name_index;
	forms_version = ScreenCompanyFormsVersion();
	weights_version = ScreenWeightsVersion();
	keep = forms_version != 0 && weights_version != 0 && ScreenCompanyFormsVersion() == forms_version;
	if (keep)
		KeepTokensOf(index, weights_version, forms_version);
	for (i = 0; i < *count; i++)
	{
		(*ids)[i] = index->ids[candidates[i].name];
		(*tokens)[i] = NameTokens(index, candidates[i].name, keep);
	}
	return true;
}
