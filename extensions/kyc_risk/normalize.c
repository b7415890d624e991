/*
 * normalize.c
 *		kyc_risk.normalize_name(): names in any script to lowercase Latin
 *		ASCII tokens, the form screening compares.
 *
 * Steps: ICU's "Any-Latin; Latin-ASCII" transliteration (BGN for Russian, or
 * Ukrainian for a name with a letter only Ukrainian or Belarusian has); one comma folds
 * "SURNAME, Given" into "Given SURNAME"; letters and digits are kept and
 * lowercased, those of a script ICU could not transliterate as they are;
 * apostrophes, dots, marks and Latin letters Latin-ASCII leaves (ǝ) are
 * dropped in place ("O'Brien" is "obrien",
 * "S.A." is "sa"); everything else separates tokens.  Company forms (company_forms.c) are
 * dropped on request.
 */
#include "kyc_risk.h"
#include "name_core.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/inval.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

/*
 * The ICU transforms names go through: Any-Latin, with the BGN/PCGN
 * romanisation of Russian Cyrillic and the UNGEGN one of Greek first, as
 * English-language lists spell those names ("Khrushchev", not "Hruscev");
 * a name with a letter that Russian lacks and Ukrainian or Belarusian
 * has (і ї є ґ ў) is read as Ukrainian instead, where г is h and и y
 * ("Serhiy", "Yevhen"; Belarusian ў and э are Any-Latin's u and e).  The
 * middle dot BGN writes to keep letters apart ("lukash·enka" for
 * Лукашэнка) is removed before Greek-Latin, which reads it as the Greek
 * ano teleia and writes a colon that would cut the name in two.
 */
#define SCREEN_TRANSFORM "Russian-Latin/BGN; [\\u00B7] Remove; Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII"
#define SCREEN_TRANSFORM_UKRAINIAN "Ukrainian-Latin/BGN; [\\u00B7] Remove; Greek-Latin/UNGEGN; Any-Latin; Latin-ASCII"

/* Opened on first use, kept for the backend's life: the Russian reading, the Ukrainian one. */
static UTransliterator *transliterators[2] = {NULL, NULL};

/* The backend's transliterator for a name, Ukrainian if so, opened the first time it is needed. */
static UTransliterator *
Transliterator(bool ukrainian)
{
	const char *transform = ukrainian ? SCREEN_TRANSFORM_UKRAINIAN : SCREEN_TRANSFORM;

	if (transliterators[ukrainian] == NULL)
	{
		UChar		id[Max(sizeof(SCREEN_TRANSFORM), sizeof(SCREEN_TRANSFORM_UKRAINIAN))];
		UParseError parse_error;
		UErrorCode	status = U_ZERO_ERROR;
		UTransliterator *opened;

		u_uastrcpy(id, transform);
		opened = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &parse_error, &status);
		if (U_FAILURE(status))
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not open the ICU transliterator \"%s\": %s",
							transform, u_errorName(status))));
		transliterators[ukrainian] = opened;
	}
	return transliterators[ukrainian];
}

/*
 * Whether the UTF-16 text has a Cyrillic letter of Ukrainian or Belarusian
 * that Russian lacks, and none of Kazakh and the like, which write і too
 * (ScreenTurkicCyrillic()).
 */
static bool
HasUkrainianLetter(const UChar *u, int32_t n)
{
	bool		ukrainian = false;
	int32_t		i;

	for (i = 0; i < n; i++)
		if (ScreenTurkicCyrillic(u[i]) != NULL || u[i] == 0x049B || u[i] == 0x0493)
			return false;		/* and Kazakh қ, ғ */
	for (i = 0; i < n && !ukrainian; i++)
		switch (u[i])
		{
			case 0x0404:		/* Є є */
			case 0x0454:
			case 0x0406:		/* І і */
			case 0x0456:
			case 0x0407:		/* Ї ї */
			case 0x0457:
			case 0x0490:		/* Ґ ґ */
			case 0x0491:
			case 0x040E:		/* Ў ў */
			case 0x045E:
				ukrainian = true;
		}
	return ukrainian;
}

/*
 * A UTF-8 name as UTF-16, romanised (romanize.c) then transliterated to
 * Latin ASCII; its Cyrillic read as Ukrainian when it has a letter only
 * Ukrainian or Belarusian has, as Russian otherwise, or the other way
 * round, and its Thai and Indic as spelled, if other_reading; *ulen gets
 * its length.
 */
static UChar *
Transliterate(const char *name, int32_t *ulen, bool other_reading)
{
	char	   *japanese = ScreenReadJapanese(name = ScreenCommonKanji(name));
	int32_t		len;
	UChar	   *source;
	UChar	   *romanized;
	int32_t		n;
	int32_t		capacity;
	bool		ukrainian;
	UErrorCode	status = U_ZERO_ERROR;

	/* a Japanese name in katakana: ICU reads kanji as Mandarin (japanese.c) */
	if (japanese != NULL)
		name = japanese;
	len = strlen(name);
	source = palloc(sizeof(UChar) * (len + 1));
	u_strFromUTF8(source, len + 1, &n, name, len, &status);
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("could not read name \"%s\" as UTF-8: %s", name, u_errorName(status))));
	ukrainian = HasUkrainianLetter(source, n) != other_reading;
	romanized = ScreenRomanize(source, n, &n, other_reading);
	if (romanized != NULL)
		source = romanized;
	capacity = 2 * n + 64;
	for (;;)
	{
		UChar	   *u = palloc(sizeof(UChar) * capacity);
		int32_t		ulen_now = n;
		int32_t		limit = n;

		status = U_ZERO_ERROR;
		memcpy(u, source, sizeof(UChar) * n);
		utrans_transUChars(Transliterator(ukrainian), u, &ulen_now, capacity, 0, &limit, &status);
		if (status == U_BUFFER_OVERFLOW_ERROR && capacity < 64 * n + 1024)
		{
			pfree(u);
			capacity *= 4;
			continue;
		}
		if (U_FAILURE(status))
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not transliterate name \"%s\": %s", name, u_errorName(status))));
		*ulen = ulen_now;
		return u;
	}
}

/* Whether c is a letter of the Latin script (one Latin-ASCII leaves, as ǝ). */
static bool
IsLatin(UChar32 c)
{
	UErrorCode	status = U_ZERO_ERROR;

	return uscript_getScript(c, &status) == USCRIPT_LATIN && U_SUCCESS(status);
}

/* What normalisation does with a character. */
typedef enum CharKind
{
	CHAR_SEPARATOR,				/* ends a token */
	CHAR_DROPPED,				/* dropped in place: joins its neighbours */
	CHAR_ASCII,					/* an ASCII letter or digit, kept lowercased */
	CHAR_KEPT					/* a letter or digit of a script ICU left */
} CharKind;

/* The kind of c; Latin letters Latin-ASCII left (ǝ) are kept if keep_latin. */
static CharKind
KindOf(UChar32 c, bool keep_latin)
{
	int32_t		category = u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY_MASK);

	if (c < 128)
		return isalnum(c) ? CHAR_ASCII :
			(c == '\'' || c == '.' || c == '`') ? CHAR_DROPPED : CHAR_SEPARATOR;

	/*
	 * marks, modifier letters, and format characters (joiners: Persian writes
	 * one inside names)
	 */
	if (category & (U_GC_M_MASK | U_GC_LM_MASK | U_GC_CF_MASK) || c == 0x00B7)
		return CHAR_DROPPED;
	if (category & U_GC_L_MASK)
		return (keep_latin || !IsLatin(c)) ? CHAR_KEPT : CHAR_DROPPED;
	return (category & U_GC_ND_MASK) ? CHAR_KEPT : CHAR_SEPARATOR;
}

/*
 * Append u[from, to) as lowercase tokens, separated by single spaces: ASCII
 * letters and digits, and the letters and digits of a script ICU could not
 * transliterate (Khmer, say), lowercased in UTF-8, so that such a name is
 * compared as it is written rather than refused.  Where ASCII meets such a
 * script inside a token, a space: ICU puts one there when it sees the
 * result again, and normalising a second time must change nothing.
 */
static void
EmitSegment(StringInfo out, const UChar *u, int32_t from, int32_t to, bool keep_latin)
{
	int32_t		i = from;
	CharKind	last = CHAR_ASCII;

	while (i < to)
	{
		UChar32		c;
		CharKind	kind;
		bool		token_open;

		U16_NEXT(u, i, to, c);
		kind = KindOf(c, keep_latin);
		token_open = out->len > 0 && out->data[out->len - 1] != ' ';
		if (kind == CHAR_DROPPED)
			continue;
		if (kind == CHAR_SEPARATOR || (token_open && kind != last))
		{
			if (token_open)
				appendStringInfoChar(out, ' ');
			if (kind == CHAR_SEPARATOR)
				continue;
		}
		if (kind == CHAR_ASCII)
			appendStringInfoChar(out, (char) pg_ascii_tolower((unsigned char) c));
		else
		{
			uint8_t		utf8[U8_MAX_LENGTH];
			int32_t		n = 0;

			U8_APPEND_UNSAFE(utf8, n, u_tolower(c));
			appendBinaryStringInfo(out, (char *) utf8, n);
		}
		last = kind;
	}
}

/* Check text argument argno as a name, and return it as a C string. */
char *
ScreenCheckedName(FunctionCallInfo fcinfo, int argno, const char *argname)
{
	text	   *t;
	const char *data;
	int			len;
	int			i;

	KycRequireArg(fcinfo, argno, argname);
	t = PG_GETARG_TEXT_PP(argno);
	data = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	if (!pg_verifymbstr(data, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("%s is not valid %s", argname, GetDatabaseEncodingName()),
				 errhint("Send names in the client encoding you declared.")));
	if (pg_mbstrlen_with_len(data, len) > SCREEN_NAME_MAX_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s is longer than %d characters", argname, SCREEN_NAME_MAX_CHARS)));
	for (i = 0; i < len; i++)
		if (!scanner_isspace(data[i]))
			break;
	if (i == len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", argname)));
	return text_to_cstring(t);
}

/*
 * Whether u[from, to) is a surname in capitals: letters, all capitals, two
 * or more, and not initials: no dot ("A.G."), and a vowel if it has three
 * letters or fewer ("JR", "PJ"; not "KIM", "LI").
 */
static bool
CapitalWord(const UChar *u, int32_t from, int32_t to)
{
	int			letters = 0;
	bool		vowel = false;
	int32_t		i;

	for (i = from; i < to; i++)
		if (u[i] == '.')
			return false;
		else if (u_isalpha(u[i]))
		{
			if (!u_isupper(u[i]))
				return false;
			letters++;
			vowel |= u[i] < 0x80 && strchr("AEIOUY", u[i]) != NULL;
		}
	return letters >= 2 && (vowel || letters > 3);
}

/*
 * Where the surname ends when the name starts with it in capitals and the
 * rest is not ("PUTIN Vladimir", "KIM Dong-hyun", "DE LA CRUZ Juan"), as
 * lists write it: the end of the last capital word; else -1.
 */
static int32_t
CapitalSurnameEnd(const UChar *u, int32_t n)
{
	int32_t		end = -1;
	int32_t		i = 0;
	bool		rest = false;
	bool		lower = false;

	while (i < n)
	{
		int32_t		start;

		while (i < n && u_isspace(u[i]))
			i++;
		start = i;
		while (i < n && !u_isspace(u[i]))
			i++;
		if (start == i)
			break;
		if (CapitalWord(u, start, i))
		{
			if (rest)
				return -1;		/* capitals after the given names: not a
								 * surname first */
			end = i;
		}
		else if (end < 0)
			return -1;			/* it starts with no capital word */
		else
		{
			int32_t		k;

			rest = true;
			for (k = start; k < i; k++)
				lower |= u_islower(u[k]);
		}
	}

	/*
	 * given names after it, in small letters: not a name all in capitals
	 * ("ACME CO. LTD.")
	 */
	return rest && lower ? end : -1;
}

/*
 * The company forms that lists write after a comma ("CIMEX, S.A.",
 * "Acme, Inc."), normalised.  A fixed list, not company_forms: what the
 * name is does not depend on a table (normalize_name() without
 * drop_company_forms reads none).
 */
static const char *const comma_forms[] = {
	"sa", "inc", "ltd", "llc", "llp", "lp", "co", "corp", "plc", "ag", "nv", "bv", "sl", "srl", "spa",
	"gmbh", "sas", "sarl", "ab", "as", "asa", "oy", "oyj", "kk", "jsc", "pjsc", "ojsc", "cjsc", "ooo",
	"oao", "zao", "pao", "ltda", "sac", "sa de cv", "sab de cv", "s de rl de cv", "limited",
	"incorporated", "company", "corporation", NULL
};

/* Whether u[from, to), emitted, is a company form alone ("S.A.", "Ltd."): comma_forms. */
static bool
CompanyFormSegment(const UChar *u, int32_t from, int32_t to, bool keep_latin)
{
	StringInfoData segment;
	bool		form = false;
	int			k;

	initStringInfo(&segment);
	EmitSegment(&segment, u, from, to, keep_latin);
	while (segment.len > 0 && segment.data[segment.len - 1] == ' ')
		segment.data[--segment.len] = '\0';
	for (k = 0; comma_forms[k] != NULL && !form; k++)
		form = strcmp(segment.data, comma_forms[k]) == 0;
	pfree(segment.data);
	return form;
}

/*
 * Emit the name's tokens into out, trim the end.  One comma folds
 * "SURNAME, Given" to "Given SURNAME", unless what follows it is a
 * company form ("CIMEX, S.A."), and a surname first in capitals before
 * given names that are not ("SURNAME Given") folds the same way.
 */
static void
EmitName(StringInfo out, const UChar *u, int32_t n, bool keep_latin)
{
	int32_t		comma = -1;
	int			commas = 0;
	int32_t		i;

	for (i = 0; i < n; i++)
		if (u[i] == ',')
		{
			comma = i;
			commas++;
		}
	if (commas == 1 && CompanyFormSegment(u, comma + 1, n, keep_latin))
		commas = 0;				/* a company's name and its form: no surname
								 * to fold */
	else if (commas == 0)
	{
		comma = CapitalSurnameEnd(u, n);
		commas = comma >= 0 ? 1 : 0;
	}
	if (commas == 1)
	{
		EmitSegment(out, u, comma + 1, n, keep_latin);
		if (out->len > 0 && out->data[out->len - 1] != ' ')
			appendStringInfoChar(out, ' ');
		EmitSegment(out, u, 0, comma, keep_latin);
	}
	else
		EmitSegment(out, u, 0, n, keep_latin);
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
}

/* One pass of normalisation, Cyrillic read the other way and Thai and Indic as spelled if other_reading: see ScreenNormalizeName(). */
static char *
NormalizeOnce(const char *name, bool other_reading)
{
	int32_t		n;
	UChar	   *u = Transliterate(name, &n, other_reading);
	StringInfoData out;

	initStringInfo(&out);
	EmitName(&out, u, n, false);

	/*
	 * A name of nothing but Latin letters Latin-ASCII leaves ("Ǝ") keeps
	 * them.
	 */
	if (out.len == 0)
		EmitName(&out, u, n, true);
	pfree(u);
	if (out.len == 0)
	{
		pfree(out.data);
		return NULL;
	}
	return out.data;
}

/* Whether the UTF-8 name has a character outside ASCII for which is(c) holds. */
static bool
HasCharacter(const char *name, bool (*is) (UChar32 c))
{
	int32_t		len = strlen(name);
	int32_t		i = 0;

	while (i < len)
	{
		UChar32		c;

		if ((unsigned char) name[i] < 0x80)
		{
			i++;
			continue;
		}
		U8_NEXT(name, i, len, c);
		if (is(c))
			return true;
	}
	return false;
}

/* Whether c is a letter of a script other than Latin. */
static bool
IsNonLatinLetter(UChar32 c)
{
	return c >= 0x0370 && u_isalpha(c) && !IsLatin(c);
}

/* Whether c is Thai. */
static bool
IsThai(UChar32 c)
{
	return c >= 0x0E00 && c <= 0x0E7F;
}

/* Whether c is Khmer. */
static bool
IsKhmer(UChar32 c)
{
	return c >= 0x1780 && c <= 0x17FF;
}

/* Whether c is a Greek letter. */
static bool
IsGreek(UChar32 c)
{
	return (c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF);
}

/* Whether the UTF-8 name has a letter of a script other than Latin (Cyrillic, Han, Arabic, ...). */
bool
ScreenHasNonLatinLetter(const char *name)
{
	return HasCharacter(name, IsNonLatinLetter);
}

/* The script of the name that some rules are for (SCREEN_SCRIPT_*), or 0. */
char
ScreenScriptOf(const char *name)
{
	if (HasCharacter(name, IsThai))
		return SCREEN_SCRIPT_THAI;
	if (HasCharacter(name, IsKhmer))
		return SCREEN_SCRIPT_KHMER;
	if (HasCharacter(name, IsGreek))
		return SCREEN_SCRIPT_GREEK;
	return 0;
}

/* Whether s has a byte outside ASCII. */
bool
ScreenHasNonAscii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s >= 0x80)
			return true;
	return false;
}

/* ScreenNormalizeName(), its Cyrillic read the other way and Thai and Indic as spelled if other_reading (Transliterate()). */
static char *
NormalizeAs(const char *name, bool other_reading)
{
	char	   *result = NormalizeOnce(name, other_reading);
	int			pass;

	for (pass = 0; pass < 4 && result != NULL && ScreenHasNonAscii(result); pass++)
	{
		char	   *again = NormalizeOnce(result, other_reading);

		if (again == NULL || strcmp(again, result) == 0)
			break;
		result = again;
	}
	return result;
}

/*
 * The normalised form of a name (see the file comment), company forms
 * kept; NULL if it has no letters or digits.  A result that keeps letters
 * ICU could not transliterate is normalised again until it no longer
 * changes (ICU may split such a run when it sees it again, as it does Han
 * characters), so that a normalised name normalises to itself.
 */
char *
ScreenNormalizeName(const char *name)
{
	return NormalizeAs(name, false);
}

/*
 * The normalised form of a name with its Cyrillic read the other way:
 * as Ukrainian when it has no letter only Ukrainian or Belarusian has
 * (such names written with the letters Russian shares: Сяргей is
 * "siarhei", not "sergey"), as Russian when it has one (lists spell
 * Ukrainian names the Russian way too: Агросвіт "agrosvit", not
 * "ahrosvit"); and its Thai and Indic scripts as spelled, not as said
 * (ScreenHasSpelledScript()).  NULL if the name has no Cyrillic letter nor
 * one of those scripts', or no letters or digits.
 */
char *
ScreenNormalizeOtherReading(const char *name)
{
	const unsigned char *c;

	/* Cyrillic's letters (U+0400 to U+04FF) start with these bytes in UTF-8 */
	for (c = (const unsigned char *) name; *c; c++)
		if (*c >= 0xD0 && *c <= 0xD3)
			return NormalizeAs(name, true);
	return ScreenHasSpelledScript(name) ? NormalizeAs(name, true) : NULL;
}

/*
 * Whether the UTF-8 name has a letter of a script that names are spelled
 * otherwise than said (romanize_thai.c, romanize_brahmic.c): Thai (U+0E00
 * to U+0E7F: E0 B8 80 to E0 B9 BF), Devanagari, Bengali, Gurmukhi,
 * Gujarati or Oriya (U+0900 to U+0B7F: E0 A4 80 to E0 AD BF).
 */
bool
ScreenHasSpelledScript(const char *name)
{
	const unsigned char *c;

	for (c = (const unsigned char *) name; *c; c++)
		if (c[0] == 0xE0 && ((c[1] >= 0xB8 && c[1] <= 0xB9) || (c[1] >= 0xA4 && c[1] <= 0xAD)))
			return true;
	return false;
}

/* The normalised form of a checked name; see the file comment. */
char *
ScreenNormalize(const char *name, bool drop_company_forms)
{
	char	   *normalized = ScreenNormalizeName(name);

	if (normalized == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("name \"%s\" has no letters or digits", name),
				 errdetail("Normalisation keeps letters and digits, and separates tokens at anything else.")));
	return drop_company_forms ? ScreenWithoutCompanyForms(normalized) : normalized;
}

PG_FUNCTION_INFO_V1(kyc_risk_normalize_name);

/* SQL: kyc_risk.normalize_name(name text, drop_company_forms boolean default false). */
Datum
kyc_risk_normalize_name(PG_FUNCTION_ARGS)
{
	char	   *name = ScreenCheckedName(fcinfo, 0, "name");

	KycRequireArg(fcinfo, 1, "drop_company_forms");
	PG_RETURN_TEXT_P(cstring_to_text(ScreenNormalize(name, PG_GETARG_BOOL(1))));
}

PG_FUNCTION_INFO_V1(kyc_risk_cached_table_changed);

/*
 * Trigger: AFTER ... FOR EACH STATEMENT on a table that backends cache
 * (company_forms, watchlist_names).  Invalidates its relcache entry: every
 * backend drops its copy when this commits, and this one at once.
 */
Datum
kyc_risk_cached_table_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = KycTriggerCall(fcinfo, "cached_table_changed", false, false);

	RiskRequireTable(trigdata, "cached_table_changed", "company_forms", "watchlist_names");
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
