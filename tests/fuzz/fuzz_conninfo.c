/*
 * fuzz_conninfo.c
 *		Source connection strings (kyc_events/conninfo.c).  What libpq
 *		parses, RelayMaskConninfo() rewrites so that libpq parses it back
 *		to the same values, with every secret (libpq's dispchar "*") shown
 *		as ******** at every depth of dbname nesting it shows, and deeper
 *		nesting hidden whole; the text grows by at most a constant factor;
 *		masking twice changes nothing; RelayConninfoUsable() accepts what
 *		libpq parses and sets something.
 */
#include "fuzz.h"

#include "libpq-fe.h"
#include "parse.h"

/* Whether a dbname value is a connection string, as conninfo.c decides it. */
static bool
IsConnectionString(const char *value)
{
	return strchr(value, '=') != NULL || strncmp(value, "postgresql://", 13) == 0 ||
		strncmp(value, "postgres://", 11) == 0;
}

/* FuzzTry's step: mask a conninfo. */
typedef struct Mask
{
	const char *conninfo;
	char	   *masked;
}			Mask;

/* Mask m->conninfo into m->masked. */
static void
MaskStep(void *arg)
{
	Mask	   *m = arg;

	m->masked = RelayMaskConninfo(m->conninfo);
}

/*
 * Check masked against the options libpq parsed from the original, which
 * is nested depth deep: each value is kept, but a secret, which is masked,
 * and a dbname that is a connection string, which is masked in turn (and
 * checked so, recursively) or, too deep, hidden.
 */
static void
CheckMasked(const char *conninfo, PQconninfoOption *original, const char *masked, int depth)
{
	char	   *error = NULL;
	PQconninfoOption *again = PQconninfoParse(masked, &error);
	PQconninfoOption *o;
	PQconninfoOption *m;

	FUZZ_CHECK(again != NULL, "\"%s\" masks to \"%s\", which libpq cannot parse: %s",
			   conninfo, masked, error ? error : "");
	for (o = original, m = again; o->keyword != NULL; o++, m++)
	{
		FUZZ_CHECK(m->keyword != NULL && strcmp(o->keyword, m->keyword) == 0, "option lists differ");
		if (o->val == NULL)
			FUZZ_CHECK(m->val == NULL, "\"%s\": masking set %s", conninfo, m->keyword);
		else if (strchr(o->dispchar, '*') != NULL)
			FUZZ_CHECK(m->val != NULL && strcmp(m->val, MASKED_SECRET) == 0,
					   "\"%s\": %s shown as \"%s\"", conninfo, o->keyword, m->val ? m->val : "NULL");
		else if (strcmp(o->keyword, "dbname") == 0 && IsConnectionString(o->val))
		{
			PQconninfoOption *nested = depth < MASKED_CONNINFO_DEPTH ? PQconninfoParse(o->val, NULL) : NULL;
			const char *shown = depth < MASKED_CONNINFO_DEPTH ? UNPARSABLE_CONNINFO : NESTED_CONNINFO;

			FUZZ_CHECK(m->val != NULL, "dbname lost");
			if (nested == NULL)
				FUZZ_CHECK(strcmp(m->val, shown) == 0, "\"%s\": dbname shown as \"%s\"", conninfo, m->val);
			else
			{
				CheckMasked(o->val, nested, m->val, depth + 1);
				PQconninfoFree(nested);
			}
		}
		else
			FUZZ_CHECK(m->val != NULL && strcmp(o->val, m->val) == 0, "\"%s\": %s \"%s\" shown as \"%s\"",
					   conninfo, o->keyword, o->val, m->val ? m->val : "NULL");
	}
	PQconninfoFree(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *conninfo = FuzzText(data, size);

	if (conninfo != NULL)
	{
		PQconninfoOption *options = PQconninfoParse(conninfo, NULL);
		Mask		once = {conninfo};
		Mask		twice;
		char	   *error = NULL;
		bool		usable = RelayConninfoUsable(conninfo, &error);
		bool		any = false;
		PQconninfoOption *o;

		FUZZ_CHECK(FuzzTry(MaskStep, &once), "masking \"%s\" raised: %s", conninfo, FuzzErrorMessage());

		/*
		 * Quoting may double the text at each level of nesting it shows, and
		 * no more.
		 */
		FUZZ_CHECK(once.masked == NULL || strlen(once.masked) <= 32 * size + 1024,
				   "\"%s\" (%zu bytes) masks to %zu bytes", conninfo, size, strlen(once.masked));
		FUZZ_CHECK((once.masked == NULL) == (options == NULL), "\"%s\": masked %s, parsed %s", conninfo,
				   once.masked ? "" : "NULL", options ? "" : "NULL");
		FUZZ_CHECK((error != NULL) == (options == NULL), "\"%s\": usable error \"%s\"", conninfo,
				   error ? error : "NULL");
		if (options != NULL)
		{
			for (o = options; o->keyword != NULL; o++)
				any |= o->val != NULL;
			FUZZ_CHECK(usable == any, "\"%s\": usable %d, sets something %d", conninfo, usable, any);
			CheckMasked(conninfo, options, once.masked, 0);
			twice.conninfo = once.masked;
			FUZZ_CHECK(FuzzTry(MaskStep, &twice), "masking \"%s\" raised: %s", once.masked, FuzzErrorMessage());
			FUZZ_CHECK(twice.masked != NULL && strcmp(twice.masked, once.masked) == 0,
					   "\"%s\" masks to \"%s\", then to \"%s\"", conninfo, once.masked,
					   twice.masked ? twice.masked : "NULL");
			PQconninfoFree(options);
		}
	}
	FuzzFreeAll();
	return 0;
}
