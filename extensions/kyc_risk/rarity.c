/*
 * rarity.c
 *		How much a token weighs in name scores, by how rare it is on the
 *		loaded watch lists: "mohammed", "ali" or "ivan" count for less than
 *		a rare surname.
 *
 * kyc_risk.refresh_token_weights() counts, for each token, the watch-list
 * names that have it (tokens as name_similarity() cuts them, company forms
 * kept), and writes to kyc_risk.token_weights the tokens that weigh less
 * than 1:
 *
 *		weight = max(RARITY_FLOOR, ln(names in all / names with it) / ln(RARITY_SCALE))
 *
 * so a token on at most one name in RARITY_SCALE weighs 1.  With fewer
 * than RARITY_MIN_NAMES names on the lists, every token weighs 1: too few
 * to tell.  The administrator refreshes after loading lists (the loaders
 * do); names the service role adds count only from the next refresh, so
 * it cannot make a token look common to weaken a screen.
 *
 * A backend reads token_weights into a hash on first use, and again after
 * a refresh, which invalidates the table's relcache entry.
 */
#include "kyc_risk.h"
#include "name_core.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include <math.h>

#define RARITY_FLOOR 0.3
#define RARITY_SCALE 1000.0
#define RARITY_MIN_NAMES 1000

/* Tokens this long or longer are not weighed: they weigh 1. */
#define RARITY_KEY_MAX 64

/* One token's count or weight in a hash. */
typedef struct TokenEntry
{
	char		token[RARITY_KEY_MAX];	/* hash key, NUL-padded */
	int64		names;
	double		weight;
} TokenEntry;

static HTAB *weights = NULL;
static MemoryContext weights_context = NULL;
static bool weights_stale = false;	/* read in parallel mode: read again next
									 * time */
static uint64 weights_generation = 0;	/* bumped by every invalidation */
static Oid	weights_relid = InvalidOid;
static bool callback_registered = false;

/* Drop the weights when token_weights changes (or every relcache entry goes). */
static void
WeightsInvalidate(Datum arg, Oid relid)
{
	if (relid != InvalidOid && relid != weights_relid)
		return;
	weights_generation++;
	if (weights_context != NULL)
	{
		MemoryContextDelete(weights_context);
		weights_context = NULL;
		weights = NULL;
	}
}

/* A hash of TokenEntry by token, in context. */
static HTAB *
TokenHash(const char *name, long size, MemoryContext context)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = RARITY_KEY_MAX;
	ctl.entrysize = sizeof(TokenEntry);
	ctl.hcxt = context;
	return hash_create(name, Max(size, 16), &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

/* The entry of a token of len bytes, NULL if it is too long to weigh; entered if enter. */
static TokenEntry *
TokenLookup(HTAB *hash, const char *token, int len, bool enter)
{
	char		key[RARITY_KEY_MAX];
	bool		found;
	TokenEntry *entry;

	if (len >= RARITY_KEY_MAX)
		return NULL;
	memset(key, 0, sizeof(key));
	memcpy(key, token, len);
	entry = hash_search(hash, key, enter ? HASH_ENTER : HASH_FIND, &found);
	if (entry != NULL && !found)
	{
		entry->names = 0;
		entry->weight = 1.0;
	}
	return entry;
}

/* Read kyc_risk.token_weights into the backend's hash. */
static void
LoadWeights(void)
{
	static SPIPlanPtr plan = NULL;
	uint64		generation;
	uint64		i;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(WeightsInvalidate, (Datum) 0);
		callback_registered = true;
	}
	WeightsInvalidate((Datum) 0, InvalidOid);	/* drop a stale hash */
	weights_stale = IsInParallelMode();
	weights_relid = get_relname_relid("token_weights", get_namespace_oid("kyc_risk", false));
	generation = weights_generation;
	KycSpiConnect();

	/*
	 * The latest snapshot: an older one could miss a committed refresh for
	 * good.
	 */
	if (KycExecuteLatest(KycSavedPlan(&plan, "SELECT token, weight FROM kyc_risk.token_weights", 0, NULL),
						 NULL, NULL) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.token_weights");
	weights_context = AllocSetContextCreate(TopMemoryContext, "kyc_risk token weights",
											ALLOCSET_SMALL_SIZES);
	weights = TokenHash("kyc_risk token weights", SPI_processed, weights_context);
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		char	   *token = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		Datum		weight = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull);
		TokenEntry *entry = token ? TokenLookup(weights, token, strlen(token), true) : NULL;

		if (entry != NULL && !isnull)
			entry->weight = DatumGetFloat8(weight);
	}
	SPI_finish();
	if (generation != weights_generation)
		weights_stale = true;	/* refreshed while read: read again next time */
}

/* Multiply each token's rarity by its weight on the loaded watch lists; its other readings' too. */
void
ScreenWeighTokens(ScreenTokens *t)
{
	int			i;

	if (weights == NULL || weights_stale)
		LoadWeights();
	for (i = 0; i < t->count; i++)
	{
		TokenEntry *entry = TokenLookup(weights, t->token[i], t->len[i], false);

		if (entry != NULL)
			t->rarity[i] *= entry->weight;
	}
	if (t->reading)
		ScreenWeighTokens(t->reading);
}

/*
 * A normalised name's tokens, company forms dropped, with the other
 * readings of the name as listed if it has any (ScreenWithReadings()), each weighed.
 */
ScreenTokens *
ScreenWeighedTokens(const char *normalized, const char *name)
{
	ScreenTokens *t = ScreenWithReadings(ScreenTokenize(normalized, true), normalized, name);

	ScreenWeighTokens(t);
	return t;
}

/*
 * The weights read now, loaded if need be: a number that changes whenever
 * they may change, or 0 if they are to be read again at next use (read in
 * parallel mode, or refreshed while read), so that nothing weighed with
 * them may be kept.
 */
uint64
ScreenWeightsVersion(void)
{
	if (weights == NULL || weights_stale)
		LoadWeights();
	return weights_stale ? 0 : weights_generation;
}

/* Count each distinct token of every listed name into counts; returns how many names. */
static int64
CountTokens(HTAB *counts)
{
	uint64		i;

	if (SPI_execute("SELECT normalized FROM kyc_risk.watchlist_names", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.watchlist_names");
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *normalized = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		ScreenTokens *t = ScreenSplitTokens(normalized ? normalized : "");
		int			k;
		int			j;

		for (k = 0; k < t->count; k++)
		{
			TokenEntry *entry;

			for (j = 0; j < k; j++)
				if (t->len[j] == t->len[k] && memcmp(t->token[j], t->token[k], t->len[k]) == 0)
					break;
			if (j < k)
				continue;		/* a token twice in one name counts once */
			entry = TokenLookup(counts, t->token[k], t->len[k], true);
			if (entry != NULL)
				entry->names++;
		}
		CHECK_FOR_INTERRUPTS();
	}
	return SPI_processed;
}

PG_FUNCTION_INFO_V1(kyc_risk_refresh_token_weights);

/*
 * SQL: kyc_risk.refresh_token_weights() returns bigint: token_weights
 * rewritten from the names on the lists now; returns how many tokens weigh
 * less than 1.  Run by the administrator; see the file comment.
 */
Datum
kyc_risk_refresh_token_weights(PG_FUNCTION_ARGS)
{
	MemoryContext counting = AllocSetContextCreate(CurrentMemoryContext, "kyc_risk token counts",
												   ALLOCSET_DEFAULT_SIZES);
	MemoryContext old;
	HTAB	   *counts;
	int64		total;
	HASH_SEQ_STATUS scan;
	TokenEntry *entry;
	Datum	   *tokens;
	Datum	   *names;
	Datum	   *values;
	int			n = 0;
	Oid			argtypes[3] = {TEXTARRAYOID, INT8ARRAYOID, FLOAT8ARRAYOID};
	Datum		args[3];

	KycSpiConnect();
	old = MemoryContextSwitchTo(counting);
	counts = TokenHash("kyc_risk token counts", 1024, counting);
	total = CountTokens(counts);
	MemoryContextSwitchTo(old);
	tokens = palloc(sizeof(Datum) * Max(hash_get_num_entries(counts), 1));
	names = palloc(sizeof(Datum) * Max(hash_get_num_entries(counts), 1));
	values = palloc(sizeof(Datum) * Max(hash_get_num_entries(counts), 1));
	hash_seq_init(&scan, counts);
	while ((entry = hash_seq_search(&scan)) != NULL)
	{
		double		weight = Max(RARITY_FLOOR, log((double) total / entry->names) / log(RARITY_SCALE));

		if (total < RARITY_MIN_NAMES || weight >= 1.0)
			continue;
		tokens[n] = CStringGetTextDatum(entry->token);
		names[n] = Int64GetDatum(entry->names);
		values[n++] = Float8GetDatum(weight);
	}
	args[0] = PointerGetDatum(construct_array(tokens, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(names, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[2] = PointerGetDatum(construct_array(values, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	if (SPI_execute("DELETE FROM kyc_risk.token_weights", false, 0) != SPI_OK_DELETE ||
		SPI_execute_with_args("INSERT INTO kyc_risk.token_weights (token, names, weight) "
							  "SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
							  "pg_catalog.unnest($3))",
							  3, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write kyc_risk.token_weights");
	SPI_finish();
	MemoryContextDelete(counting);
	/* every backend reads the weights again, this one at once */
	CacheInvalidateRelcacheByRelid(get_relname_relid("token_weights", get_namespace_oid("kyc_risk", false)));
	PG_RETURN_INT64(n);
}
