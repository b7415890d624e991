/*
 * company_forms.c
 *		The backend's cache of kyc_risk.company_forms, and the test whether
 *		words spell one of them.
 *
 * A written-out form reaches lists in several transliterations
 * ("Otkrytoye Aktsionernoye Obshchestvo", "Otkrytoe Aktsionernoe
 * Obshchestvo"; "beschränkter", "beschraenkter").  Besides the forms as
 * written, the cache keeps the spelling skeleton (FormSkeleton) of each
 * form of two long words or more, so that one row stands for all its
 * spellings.  One long word is too little to go on: a skeleton of one word
 * could be a name's.
 */
#include "kyc_risk.h"
#include "name_core.h"

#include "catalog/namespace.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

/* Words this long or longer are folded to their skeleton; one counts if its skeleton keeps this many letters. */
#define FORM_LONG_WORD 5
#define FORM_SKELETON_MIN 3

/* The company forms, sorted, in TopMemoryContext; valid until invalidated. */
static char **company_forms = NULL;
static int	ncompany_forms = 0;

/* The skeletons of the forms of two long words or more, sorted, likewise. */
static char **form_skeletons = NULL;
static int	nform_skeletons = 0;

static bool company_forms_valid = false;
static bool company_forms_callback = false;
static Oid	company_forms_relid = InvalidOid;

/* Bumped by every invalidation: a load that overlaps one is not trusted. */
static uint64 company_forms_generation = 0;

/* Forget the cached company forms when kyc_risk.company_forms changes. */
static void
CompanyFormsInvalidate(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == company_forms_relid)
	{
		company_forms_valid = false;
		company_forms_generation++;
	}
}

/* strcmp on pointers to C strings, for qsort and bsearch. */
static int
CompareStrings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * Writes the spelling skeleton of form[0, len) to out (len + 1 bytes): a
 * word of FORM_LONG_WORD letters or more keeps its first letter and drops
 * vowels, y, j, h and g after it, the letters transliterations disagree
 * on (Ukrainian reads Russian г as h: "ohranychennoy");
 * shorter words stay as they are.  Returns how many words were folded to
 * FORM_SKELETON_MIN letters or more.
 */
static int
FormSkeleton(const char *form, int len, char *out)
{
	int			nlong = 0;
	int			i = 0;
	int			o = 0;

	while (i < len)
	{
		int			wlen = 0;
		int			k;

		while (i + wlen < len && form[i + wlen] != ' ')
			wlen++;
		if (wlen < FORM_LONG_WORD)
		{
			memcpy(out + o, form + i, wlen);
			o += wlen;
		}
		else
		{
			int			start = o;

			out[o++] = form[i];
			for (k = 1; k < wlen; k++)
				if (strchr("aeiouyjhg", form[i + k]) == NULL)
					out[o++] = form[i + k];

			/*
			 * a skeleton of two letters says too little ("yn ks" is yugen
			 * kaisha and Young Keisha)
			 */
			nlong += o - start >= FORM_SKELETON_MIN;
		}
		i += wlen;
		if (i < len)
			out[o++] = form[i++];	/* the space */
	}
	out[o] = '\0';
	return nlong;
}

/* Frees a cached array of strings. */
static void
FreeStrings(char **strings, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		pfree(strings[i]);
	if (strings)
		pfree(strings);
}

/* Read kyc_risk.company_forms into the backend's cache. */
static void
LoadCompanyForms(void)
{
	static SPIPlanPtr plan = NULL;
	MemoryContext old;
	uint64		i;
	uint64		generation;

	if (!company_forms_callback)
	{
		CacheRegisterRelcacheCallback(CompanyFormsInvalidate, (Datum) 0);
		company_forms_callback = true;
	}
	company_forms_relid = get_relname_relid("company_forms", get_namespace_oid("kyc_risk", false));
	generation = company_forms_generation;
	KycSpiConnect();

	/*
	 * The latest snapshot: an older one could miss a committed change for
	 * good.
	 */
	if (KycExecuteLatest(KycSavedPlan(&plan, "SELECT form FROM kyc_risk.company_forms", 0, NULL),
						 NULL, NULL) != SPI_OK_SELECT)
		elog(ERROR, "could not read kyc_risk.company_forms");
	old = MemoryContextSwitchTo(TopMemoryContext);
	FreeStrings(company_forms, ncompany_forms);
	FreeStrings(form_skeletons, nform_skeletons);
	company_forms = palloc(sizeof(char *) * Max(SPI_processed, 1));
	form_skeletons = palloc(sizeof(char *) * Max(SPI_processed, 1));
	ncompany_forms = 0;
	nform_skeletons = 0;
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *form = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		char	   *skeleton;

		if (form == NULL)
			continue;
		company_forms[ncompany_forms++] = pstrdup(form);
		skeleton = palloc(strlen(form) + 1);
		if (FormSkeleton(form, strlen(form), skeleton) >= 2)
			form_skeletons[nform_skeletons++] = skeleton;
		else
			pfree(skeleton);
	}
	MemoryContextSwitchTo(old);
	SPI_finish();
	qsort(company_forms, ncompany_forms, sizeof(char *), CompareStrings);
	qsort(form_skeletons, nform_skeletons, sizeof(char *), CompareStrings);
	/* read under an older snapshot in parallel mode: read again next time */
	company_forms_valid = (generation == company_forms_generation) && !IsInParallelMode();
}

/*
 * The company forms read now, loaded if need be: a number that changes
 * whenever they may change, or 0 if they are to be read again at next use,
 * so that nothing cut with them may be kept.
 */
uint64
ScreenCompanyFormsVersion(void)
{
	if (!company_forms_valid)
		LoadCompanyForms();
	return company_forms_valid ? company_forms_generation + 1 : 0;
}

/*
 * Whether normalised words (len bytes, one space apart) are a company form
 * such as "ltd", as written or, for two long words or more, in another
 * spelling of one (FormSkeleton).
 */
bool
ScreenIsCompanyForm(const char *token, int len)
{
	char		buf[64];
	char		skeleton[64];
	char	   *key = buf;

	if (!company_forms_valid)
		LoadCompanyForms();
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, token, len);
	buf[len] = '\0';
	if (bsearch(&key, company_forms, ncompany_forms, sizeof(char *), CompareStrings) != NULL)
		return true;
	if (memchr(buf, ' ', len) == NULL || FormSkeleton(buf, len, skeleton) < 2)
		return false;			/* one word has no skeleton entry */
	key = skeleton;
	return bsearch(&key, form_skeletons, nform_skeletons, sizeof(char *), CompareStrings) != NULL;
}

/*
 * Company forms that are names or words too, and so not seeded in
 * company_forms: Kazakh TOO (Too, a Kalenjin surname), Ukrainian PrAT (Prat,
 * a Catalan one) and VAT, Russian SUE (state unitary enterprise: Sue),
 * Greek A.E., E.P.E., O.E., E.E. and I.K.E. (Ae, a Korean
 * given name; Ike) and the last's English P.C., Estonian OÜ, Finnish Ky and Ay, Latvian SIA, Norwegian
 * ANS, Swedish HB and KB, German UG and eG, Croatian d.d., French SASU (a
 * Romanian surname).  Similarity counts one only against a company's name.
 */
static const char *const name_like_forms[] = {
	"too", "prat", "vat", "sue", "ae", "epe", "oe", "ee", "ike", "pc", "ou", "ky", "ay", "sia", "ans",
	"hb", "kb", "ug", "eg", "dd", "sasu", NULL
};

/* Whether a normalised token is one of name_like_forms. */
bool
ScreenIsNameLikeForm(const char *token, int len)
{
	return ScreenTokenIn(token, len, name_like_forms);
}
