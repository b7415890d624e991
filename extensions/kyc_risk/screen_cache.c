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
 * Each name's phonetic keys (watchlist_names.phonetic) are indexed too, as
 * trigrams of their own kind, and a name is as similar to the query as its
 * text or its keys are, whichever is more: as the GIN path's
 *   WHERE normalized % q OR phonetic % k
 *   ORDER BY greatest(similarity(normalized, q), similarity(phonetic, k))
 *
 * A statement trigger on watchlist_names invalidates the table's relcache
 * entry, in every backend at commit and in this one at once; the callback
 * here drops the index, and the next screen() rebuilds it under its own
 * snapshot.  kyc_risk.screen_cache = off, or a list longer than
 * kyc_risk.screen_cache_max_names, falls back to the GIN index.
 */
#include "screening.h"
#include "name_core.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

bool		screen_cache_enabled = true;
int			screen_cache_max_names = 500000;

/* A candidate: a name's position in the index and its similarity. */
typedef struct Candidate
{
	int32		name;
	float4		similarity;
} Candidate;

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
	int16	   *trigrams;		/* distinct trigrams per name */
	int16	   *key_trigrams;	/* distinct trigrams of its phonetic keys */
	HTAB	   *postings;		/* both kinds; KEY_TRIGRAM marks the keys' */
	int16	   *shared;			/* per name, zero between queries */
	int16	   *shared_keys;
	int32	   *touched;
	Candidate  *candidates;
} NameIndex;

/* Set in a trigram of phonetic keys, which are otherwise three bytes. */
#define KEY_TRIGRAM 0x01000000

static NameIndex *name_index = NULL;
static uint64 names_too_many = 0;	/* a list this long was refused; 0 if none */
static uint64 names_generation = 0;	/* bumped by every invalidation */
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
		MemoryContextDelete(name_index->context);
		name_index = NULL;
	}
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
 * word padded "  word ", every three consecutive bytes, or'ed with flag.
 * Returns how many.
 */
static int
NameTrigrams(const char *name, uint32 flag, uint32 **out)
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
			trgm[n++] = flag | ((uint32) (uint8) padded[0] << 16) | ((uint32) (uint8) padded[1] << 8) |
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

/* Every watch-list name's id and normalised form. */
static SPIPlanPtr
NamesPlan(void)
{
	static SPIPlanPtr plan = NULL;

	return KycSavedPlan(&plan, "SELECT id, normalized, phonetic FROM kyc_risk.watchlist_names", 0, NULL);
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
		CacheRegisterRelcacheCallback(NamesInvalidate, (Datum) 0);
		callback_registered = true;
	}
	names_relid = get_relname_relid("watchlist_names", get_namespace_oid("kyc_risk", false));
	generation = names_generation;
	KycSpiConnect();
	/*
	 * The latest snapshot, not the caller's: an older one could miss a name
	 * committed after it, and no invalidation would come to correct that.
	 * The caller still fetches candidates under its own snapshot.
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
	index->trigrams = palloc(sizeof(int16) * Max(index->count, 1));
	index->key_trigrams = palloc(sizeof(int16) * Max(index->count, 1));
	index->shared = palloc0(sizeof(int16) * Max(index->count, 1));
	index->shared_keys = palloc0(sizeof(int16) * Max(index->count, 1));
	index->touched = palloc(sizeof(int32) * Max(index->count, 1));
	index->candidates = palloc(sizeof(Candidate) * Max(index->count, 1));
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(uint32);
	ctl.entrysize = sizeof(TrigramPostings);
	ctl.hcxt = context;
	index->postings = hash_create("kyc_risk screening trigrams", 4096, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
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

/* Add name i's trigrams of text (flag: of which kind) to the postings; returns how many. */
static int
IndexTrigrams(NameIndex *index, int32 i, const char *text, uint32 flag)
{
	uint32	   *trgm;
	int			n = NameTrigrams(text, flag, &trgm);
	int			t;

	for (t = 0; t < n; t++)
	{
		bool		found;
		TrigramPostings *p = hash_search(index->postings, &trgm[t], HASH_ENTER, &found);

		if (!found)
		{
			p->count = 0;
			p->capacity = 4;
			p->names = palloc(sizeof(int32) * p->capacity);
		}
		else if (p->count == p->capacity)
		{
			p->capacity *= 2;
			p->names = repalloc(p->names, sizeof(int32) * p->capacity);
		}
		p->names[p->count++] = i;
	}
	pfree(trgm);
	return Min(n, PG_INT16_MAX);
}

/* Fill the index from the names in SPI_tuptable. */
static void
IndexNames(NameIndex *index)
{
	uint64		i;

	for (i = 0; i < index->count; i++)
	{
		bool		isnull;
		char	   *phonetic;

		index->ids[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		index->normalized[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		phonetic = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3);
		index->trigrams[i] = IndexTrigrams(index, i, index->normalized[i], 0);
		index->key_trigrams[i] = IndexTrigrams(index, i, phonetic ? phonetic : "", KEY_TRIGRAM);
		CHECK_FOR_INTERRUPTS();
	}
}

/* Most similar first; ties by id, as ORDER BY similarity DESC, id does. */
static int
CompareCandidates(const void *x, const void *y)
{
	const Candidate *a = x;
	const Candidate *b = y;

	if (a->similarity != b->similarity)
		return a->similarity > b->similarity ? -1 : 1;
	return name_index->ids[a->name] < name_index->ids[b->name] ? -1 :
		name_index->ids[a->name] > name_index->ids[b->name];
}

/*
 * The names most similar to a normalised query, at least threshold
 * similar, at most limit, best first: their ids and normalised forms,
 * copied into the caller's memory (a later invalidation frees the index).
 * Returns false when the cache is off or the list too long: the caller
 * then asks the GIN index.
 */
bool
ScreenCandidateIds(const char *normalized, double threshold, int limit, int64 **ids, char ***names,
				   int *count)
{
	uint32	   *query;
	uint32	   *keys;
	int			nq;
	int			nk;
	int			ntouched = 0;
	Candidate  *candidates;
	int			ncandidates = 0;
	int			i;

	if (!screen_cache_enabled || ScreenHasNonAscii(normalized))
		return false;
	AcceptInvalidationMessages();
	/* A list known to be too long is not read again until it or the limit changes. */
	if (name_index == NULL &&
		((names_too_many > 0 && names_too_many > (uint64) screen_cache_max_names) || !BuildIndex()))
		return false;
	nq = NameTrigrams(normalized, 0, &query);
	nk = NameTrigrams(ScreenPhoneticString(normalized), KEY_TRIGRAM, &keys);
	candidates = name_index->candidates;	/* scratch, like shared and touched */
	for (i = 0; i < nq + nk; i++)
	{
		uint32		trigram = i < nq ? query[i] : keys[i - nq];
		TrigramPostings *p = hash_search(name_index->postings, &trigram, HASH_FIND, NULL);
		int16	   *shared = i < nq ? name_index->shared : name_index->shared_keys;
		int			j;

		if (p == NULL)
			continue;
		for (j = 0; j < p->count; j++)
		{
			int32		name = p->names[j];

			if (shared[name]++ == 0 && name_index->shared[name] + name_index->shared_keys[name] == 1)
				name_index->touched[ntouched++] = name;
		}
	}
	/* No allocation between counting and this reset: the counters must end at zero. */
	for (i = 0; i < ntouched; i++)
	{
		int32		name = name_index->touched[i];
		int			shared = name_index->shared[name];
		int			shared_keys = name_index->shared_keys[name];
		float4		similarity = (float4) shared / (float4) (nq + name_index->trigrams[name] - shared);

		/* as similar as its text or its keys, whichever is more */
		if (shared_keys > 0)
			similarity = Max(similarity, (float4) shared_keys /
							 (float4) (nk + name_index->key_trigrams[name] - shared_keys));
		name_index->shared[name] = 0;
		name_index->shared_keys[name] = 0;
		/* pg_trgm compares its float4 similarity with the double threshold */
		if ((double) similarity >= threshold)
		{
			candidates[ncandidates].name = name;
			candidates[ncandidates].similarity = similarity;
			ncandidates++;
		}
	}
	qsort(candidates, ncandidates, sizeof(Candidate), CompareCandidates);
	*count = Min(ncandidates, limit);
	*ids = palloc(sizeof(int64) * Max(*count, 1));
	*names = palloc(sizeof(char *) * Max(*count, 1));
	for (i = 0; i < *count; i++)
	{
		(*ids)[i] = name_index->ids[candidates[i].name];
		(*names)[i] = pstrdup(name_index->normalized[candidates[i].name]);
	}
	return true;
}
