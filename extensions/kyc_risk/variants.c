/*
 * variants.c
 *		Spelling conventions that relate two tokens where their phonetic keys
 *		cannot: what one writes, the other writes otherwise, by rule.
 *
 *	- Arabic's interdentals: th and dh in Arabic romanisation are s and z in
 *	  Turkish, Persian and Urdu spelling of the same names (Uthman and
 *	  Osman, Dhiya and Ziya, Haitham and Haysam); not a th that starts a
 *	  word, which is English or Greek (Thomas).
 *	- Wade-Giles' ts and tz at a syllable's start are pinyin's c and z
 *	  (Tsai and Cai, Tzu and Zi); its syllable tzu is pinyin's zi or ci,
 *	  and ssu or szu si (Tzu-yang and Ziyang); its j before a vowel is
 *	  pinyin's r (Jung and Rong, Jen and Ren).
 *	- The Arabic article written onto a word ("alnahyan") is the word, in a
 *	  name's later tokens only: a first one is a given name (Alberto,
 *	  Elizabeth), as the article's nisba and family names are not.
 *	- Turkish and Azerbaijani c, English j, before a vowel (Cemal and Djemal,
 *	  Cavid and Javid, Recep and Rejep); and the h of such names, which
 *	  Russian writes g, at the start of a surname with a Slavic suffix
 *	  (Huseynov and Guseinov).
 *	- Azerbaijani x, a token's first letter before a, e or o, is the kh of
 *	  English and Russian spellings (Xalilov and Khalilov, Xosrov and
 *	  Khosrov); pinyin's x comes before i or u.
 *	- Arabic's waw between a and u or o, which a spelling may leave out
 *	  (Dawood and Daud, Tawoos and Taus), where the other writes au or ao.
 *	- Arabic's ya after a consonant and before a vowel, which some spellings
 *	  write i (Yehia and Yahya, Zakaria and Zakariya), where the other
 *	  writes y so.
 *	- The genitive a Mongolian patronymic takes (-iin, -giin, -yn), which
 *	  lists may leave out (Tserendorjiin and Tserendorj).
 *	- English given names abbreviated as registers and old lists write them
 *	  ("Wm." for William, "Thos." for Thomas).
 *	- Greek's γι before a vowel, which UNGEGN and passports write gi and
 *	  English-language lists y (Giannis and Yannis, Giorgos and Yorgos); and
 *	  a word's first μπ, ντ and γκ, which passports write mp, nt and gk and
 *	  lists b, d and g, as said (Ntinos and Dinos, Gkikas and Gikas), and
 *	  γκ inside a word, gk on passports, ng in lists (Pagkalos and
 *	  Pangalos); in tokens that end as Greek names do, or of names one of
 *	  which is in Greek script (GreekEnding()); candidate keys for every
 *	  such token (phonetic.c), the scorer deciding.
 *
 * token_score.c scores a token rewritten so against the other token, a
 * little below an equal token (th may be t and h: Fathi is no Fasi, yet
 * reads as one), and phonetic.c adds the rewritten forms' keys to a name's
 * candidate keys.
 */
#include "name_core.h"

/* Shortest word after a glued article: "albert" is not "al bert". */
#define ARTICLE_REST_MIN 5

/* English given names' conventional abbreviations, and the names they stand for. */
#define ABBREVIATION_MAX 5
static const struct
{
	const char *abbreviation;
	const char *name;
}			abbreviations[] = {
	{"wm", "william"}, {"thos", "thomas"}, {"chas", "charles"}, {"jas", "james"},
	{"geo", "george"}, {"robt", "robert"}, {"jno", "john"}, {"edw", "edward"},
	{"saml", "samuel"}, {"benj", "benjamin"}, {"danl", "daniel"}, {"richd", "richard"},
	{"fredk", "frederick"}, {"alexr", "alexander"}, {"jos", "joseph"}, {"hy", "henry"},
};

/* How Malaysian, Singaporean and Bangladeshi registers abbreviate Muhammad, and the key its spellings have. */
static const char *const muhammad_abbreviations[] = {"md", "mhd", "mohd", "muhd", "mohmd", NULL};
#define MUHAMMAD_KEY "mhmt"

/* Whether a token is one of the abbreviations above ("wm", "md"): a name, not initials. */
bool
ScreenIsNameAbbreviation(const char *a, int alen)
{
	int			k;

	if (ScreenTokenIn(a, alen, muhammad_abbreviations))
		return true;
	for (k = 0; k < lengthof(abbreviations); k++)
		if (ScreenTokenIs(a, alen, abbreviations[k].abbreviation))
			return true;
	return false;
}

/*
 * Whether a abbreviates b as the table writes it ("wm", "william"), or as
 * registers abbreviate Muhammad, b any of its spellings ("mohd", "mohamed").
 */
bool
ScreenAbbreviatedName(const char *a, int alen, const char *b, int blen)
{
	int			k;

	/*
	 * Muhammad's spellings start mo or mu and end in d (not Mohammadi, nor
	 * Mahameed)
	 */
	if (a[0] == 'm' && b[0] == 'm' && alen <= 5 && blen >= 6 && blen <= 9 && (b[1] == 'o' || b[1] == 'u') &&
		b[blen - 1] == 'd' && ScreenTokenIn(a, alen, muhammad_abbreviations))
	{
		char		key[SCREEN_KEY_SIZE(9)];

		return ScreenPhoneticKey(b, blen, key) == strlen(MUHAMMAD_KEY) && memcmp(key, MUHAMMAD_KEY, 4) == 0;
	}

	/*
	 * each abbreviation is at most ABBREVIATION_MAX letters and starts its
	 * name
	 */
	if (alen > ABBREVIATION_MAX || blen <= alen || a[0] != b[0])
		return false;
	for (k = 0; k < lengthof(abbreviations); k++)
		if (ScreenTokenIs(a, alen, abbreviations[k].abbreviation) && ScreenTokenIs(b, blen, abbreviations[k].name))
			return true;
	return false;
}

/*
 * Whether token a has a Turkish or Azerbaijani c, the sound English writes
 * j: a c before a vowel but y, not doubled (Italian "ricci").
 */
static bool
TurkicC(const char *a, int alen)
{
	int			i;

	for (i = 0; i + 1 < alen; i++)
		if (a[i] == 'c' && ScreenIsVowel(a[i + 1]) && a[i + 1] != 'y' && !(i > 0 && a[i - 1] == 'c'))
			return true;
	return false;
}

/* Token a with each c before a vowel but y as j, into out; its length. */
static int
WithTurkicC(const char *a, int alen, char *out)
{
	int			i;

	for (i = 0; i < alen; i++)
		out[i] = (a[i] == 'c' && i + 1 < alen && ScreenIsVowel(a[i + 1]) && a[i + 1] != 'y') ? 'j' : a[i];
	return alen;
}

/*
 * Whether token a starts with the h that Russian writes g in names from
 * other languages, in a surname with a Slavic suffix (Huseynov and
 * Guseinov, Hajiyev and Gadzhiyev; not Hill and Gill).
 */
static bool
RussianH(const char *a, int alen)
{
	return alen >= 5 && a[0] == 'h' && ScreenIsVowel(a[1]) && ScreenHasSurnameSuffix(a, alen);
}

/*
 * Whether token a has an Arabic interdental: th or dh inside the token, or
 * dh at its start; not th at its start, which is English or Greek ("Thomas").
 */
static bool
Interdental(const char *a, int alen)
{
	int			i;

	for (i = 0; i + 1 < alen; i++)
		if (a[i + 1] == 'h' && (a[i] == 'd' || (a[i] == 't' && i > 0)))
			return true;
	return false;
}

/* Token a with th as s and dh as z, into out; its length. */
static int
WithoutInterdentals(const char *a, int alen, char *out)
{
	int			n = 0;
	int			i;

	for (i = 0; i < alen; i++)
	{
		if (i + 1 < alen && a[i + 1] == 'h' && (a[i] == 't' || a[i] == 'd'))
		{
			out[n++] = a[i] == 't' ? 's' : 'z';
			i++;
		}
		else
			out[n++] = a[i];
	}
	return n;
}

/*
 * Where token a writes Arabic's ya after a consonant and before a vowel as
 * i ("yehia", "zakaria"), or 0; not in pinyin, whose i before a vowel is
 * no y (jiang, xiao).
 */
static int
YaAsI(const char *a, int alen)
{
	int			i;

	for (i = 2; i + 1 < alen; i++)
		if (a[i] == 'i' && ScreenIsVowel(a[i + 1]) && a[i + 1] != 'i' && !ScreenIsVowel(a[i - 1]) &&
			a[i - 1] != 'y')
			return ScreenIsPinyin(a, alen) ? 0 : i;
	return 0;
}

/* Whether token b writes y after a consonant and before a vowel ("yahya", "zakariya"). */
static bool
YaAsY(const char *b, int blen)
{
	int			i;

	for (i = 1; i + 1 < blen; i++)
		if (b[i] == 'y' && ScreenIsVowel(b[i + 1]) && !ScreenIsVowel(b[i - 1]))
			return true;
	return false;
}

/* Whether token a has a waw between a and u or o ("dawood"). */
static bool
GlideW(const char *a, int alen)
{
	int			i;

	for (i = 1; i + 1 < alen; i++)
		if (a[i] == 'w' && a[i - 1] == 'a' && (a[i + 1] == 'u' || a[i + 1] == 'o'))
			return true;
	return false;
}

/*
 * Token a with a waw between a and u or o left out, its oo one u, into
 * out ("dawood" as "daud", "tawoos" as "taus"); its length, or -1 if it
 * has none.
 */
static int
WithoutGlideW(const char *a, int alen, char *out)
{
	int			n = 0;
	int			i;
	bool		any = false;

	for (i = 0; i < alen; i++)
	{
		if (i > 0 && a[i - 1] == 'a' && a[i] == 'w' && i + 1 < alen && (a[i + 1] == 'u' || a[i + 1] == 'o'))
		{
			/*
			 * the waw left out; oo is u ("dawood", "daud"), a single o or u
			 * stays
			 */
			bool		oo = i + 2 < alen && a[i + 1] == 'o' && a[i + 2] == 'o';

			out[n++] = oo ? 'u' : a[i + 1];
			i += oo ? 2 : 1;
			any = true;
		}
		else
			out[n++] = a[i];
	}
	return any ? n : -1;
}

/*
 * The length of token a's stem if it ends in the genitive that Mongolian
 * patronymics take, else 0: -iin after a consonant (Tserendorjiin),
 * -giin after a vowel (Tsakhiagiin), from a stem of four letters or more;
 * -yn after a back vowel and a consonant (Batbayaryn, Erdenebatyn) from a
 * stem of six or more, since English names end in -yn too, on shorter
 * names (Carolyn, Carol; Martyn, Mart), and Ukrainian ones after a cluster
 * (Kravtsyn is not Kravets).
 */
static int
MongolianGenitive(const char *a, int alen)
{
	if (alen < 7 || a[alen - 1] != 'n')
		return 0;
	if (alen >= 8 && a[alen - 2] == 'y' && !ScreenIsVowel(a[alen - 3]) && strchr("aou", a[alen - 4]) != NULL)
		return alen - 2;
	if (alen >= 8 && memcmp(a + alen - 4, "giin", 4) == 0 && ScreenIsVowel(a[alen - 5]))
		return alen - 4;
	if (alen >= 7 && memcmp(a + alen - 3, "iin", 3) == 0 && !ScreenIsVowel(a[alen - 4]))
		return alen - 3;
	return 0;
}

/* Wade-Giles syllables of j, and their pinyin, with r: what wade_giles_j[k][0] writes, [1] does. */
static const char *const wade_giles_j[][2] = {
	{"jan", "ran"}, {"jang", "rang"}, {"jao", "rao"}, {"je", "re"}, {"jen", "ren"}, {"jeng", "reng"},
	{"jih", "ri"}, {"jou", "rou"}, {"ju", "ru"}, {"juan", "ruan"}, {"jui", "rui"}, {"jun", "run"},
	{"jung", "rong"}
};

/* The pinyin of token a if it is a Wade-Giles syllable of j ("jung", "rong"), else NULL. */
static const char *
WadeGilesJ(const char *a, int alen)
{
	int			k;

	for (k = 0; k < lengthof(wade_giles_j); k++)
		if (ScreenTokenIs(a, alen, wade_giles_j[k][0]))
			return wade_giles_j[k][1];
	return NULL;
}

/* Whether token a starts with the Wade-Giles syllable tzu, ssu or szu (pinyin zi or ci, si): 's' or 'z', else 0. */
static char
WadeGilesSibilantU(const char *a, int alen)
{
	if (alen < 3 || a[2] != 'u')
		return 0;
	if (a[0] == 't' && a[1] == 'z')
		return 'z';
	return (a[0] == 's' && (a[1] == 's' || a[1] == 'z')) ? 's' : 0;
}

/* Whether token a starts with Wade-Giles' ts or tz before a vowel ("tsai"). */
static bool
WadeGilesTs(const char *a, int alen)
{
	return alen >= 3 && a[0] == 't' && (a[1] == 's' || a[1] == 'z') && ScreenIsVowel(a[2]);
}

/* Whether token a is the Arabic article written onto a word of ARTICLE_REST_MIN letters or more. */
static bool
GluedArticle(const char *a, int alen)
{
	return alen - 2 >= ARTICLE_REST_MIN && (a[0] == 'a' || a[0] == 'e') && a[1] == 'l';
}

/*
 * Whether token a ends as Greek names do in the nominative or genitive
 * (-s, -ou), or was written in Greek script (greek): the Greek conventions
 * below are kept to such tokens, since mp, nt and gi start other names
 * (Mpanda, Ntumba, Giang) that are not Banda, Dumba or Yang.  A name
 * in Greek script is Greek whatever its ending (Ντόρα, Dora).
 */
static bool
GreekEnding(const char *a, int alen, bool greek)
{
	return greek || a[alen - 1] == 's' || (alen >= 2 && a[alen - 2] == 'o' && a[alen - 1] == 'u');
}

/* Whether token a starts with gi then a vowel, Greek's γι ("giannis"). */
static bool
GreekGi(const char *a, int alen, bool greek)
{
	return alen >= 4 && a[0] == 'g' && a[1] == 'i' && ScreenIsVowel(a[2]) && GreekEnding(a, alen, greek);
}

/* Where token a has Greek γκ inside it, written gk ("pagkalos"), or 0. */
static int
GreekMedialGk(const char *a, int alen, bool greek)
{
	int			i;

	if (alen < 5 || !GreekEnding(a, alen, greek))
		return 0;
	for (i = 1; i + 1 < alen; i++)
		if (a[i] == 'g' && a[i + 1] == 'k' && ScreenIsVowel(a[i - 1]))
			return i;
	return 0;
}

/* The stop that token a's first two letters write in Greek (mp b, nt d, gk g) before a vowel, or 0. */
static char
GreekInitialStop(const char *a, int alen, bool greek)
{
	if (alen < 4 || !ScreenIsVowel(a[2]) || !GreekEnding(a, alen, greek))
		return 0;
	if (a[0] == 'm' && a[1] == 'p')
		return 'b';
	if (a[0] == 'n' && a[1] == 't')
		return 'd';
	if (a[0] == 'g' && a[1] == 'k')
		return 'g';
	return 0;
}

/* Whether token a starts with Azerbaijani x before a vowel but i and u (pinyin's xi, xu): kh ("xalilov", "khalilov"). */
static bool
AzerbaijaniX(const char *a, int alen)
{
	return alen >= 4 && a[0] == 'x' && (a[1] == 'a' || a[1] == 'e' || a[1] == 'o');
}

/*
 * Form k (0, 1, ...) of token a (a later token of its name than the first
 * if later; written in Greek script if greek) that a convention gives it, whatever the other token, into
 * out (alen + 1 bytes at least), so that candidate keys find it (phonetic.c);
 * its length, -1 if a has no such form, -2 past the last.
 */
int
ScreenVariantForm(const char *a, int alen, int k, bool later, bool greek, char *out)
{
	switch (k)
	{
		case 0:
			return Interdental(a, alen) ? WithoutInterdentals(a, alen, out) : -1;
		case 1:
		case 2:
			if (!WadeGilesTs(a, alen))
				return -1;
			out[0] = k == 1 ? 'c' : 'z';
			memcpy(out + 1, a + 2, alen - 2);
			return alen - 1;
		case 3:
			if (!later || !GluedArticle(a, alen))
				return -1;
			memcpy(out, a + 2, alen - 2);
			return alen - 2;
		case 4:
		case 5:
			if (k == 4 ? !GreekGi(a, alen, greek) : GreekInitialStop(a, alen, greek) == 0)
				return -1;
			out[0] = k == 4 ? 'y' : GreekInitialStop(a, alen, greek);
			memcpy(out + 1, a + 2, alen - 2);
			return alen - 1;
		case 6:
			if (WadeGilesJ(a, alen) == NULL)
				return -1;
			strcpy(out, WadeGilesJ(a, alen));	/* never longer than a */
			return strlen(out);
		case 9:
			{
				int			at = GreekMedialGk(a, alen, greek);

				if (at == 0)
					return -1;
				memcpy(out, a, alen);
				out[at] = 'n';
				out[at + 1] = 'g';
				return alen;
			}
		case 10:
			return TurkicC(a, alen) ? WithTurkicC(a, alen, out) : -1;
		case 11:
			if (!RussianH(a, alen))
				return -1;
			memcpy(out, a, alen);
			out[0] = 'g';
			return alen;
		case 12:
			if (!AzerbaijaniX(a, alen))
				return -1;
			out[0] = 'k';
			out[1] = 'h';
			memcpy(out + 2, a + 1, alen - 1);
			return alen + 1;
		case 13:
			return GlideW(a, alen) ? WithoutGlideW(a, alen, out) : -1;
		case 15:
			if (YaAsI(a, alen) == 0)
				return -1;
			memcpy(out, a, alen);
			out[YaAsI(a, alen)] = 'y';
			return alen;
		case 14:
			if (MongolianGenitive(a, alen) == 0)
				return -1;
			memcpy(out, a, MongolianGenitive(a, alen));
			return MongolianGenitive(a, alen);
		case 7:
		case 8:
			/* tzu as zi (7) or ci (8); ssu and szu as si (7) */
			if (WadeGilesSibilantU(a, alen) == 0 || (k == 8 && WadeGilesSibilantU(a, alen) != 'z'))
				return -1;
			out[0] = k == 8 ? 'c' : WadeGilesSibilantU(a, alen);
			out[1] = 'i';
			memcpy(out + 2, a + 3, alen - 3);
			return alen - 1;
		default:
			return -2;
	}
}

/*
 * Token a (a later token of its name than the first if later; written in
 * Greek script if greek) rewritten by the first convention (file comment) that relates it to token b, into
 * out (alen + 1 bytes at least); its length, or -1 if none does.  Not
 * symmetric: the caller tries both ways.
 */
int
ScreenVariantSpelling(const char *a, int alen, bool later, bool greek, const char *b, int blen, char *out)
{
	/*
	 * most tokens have none: no h nor gk, no c unless b has a j or z, and
	 * start with none of ts, tz, al, el, gi, gk, mp, nt, j, ss, sz, x
	 */
	if (alen < 2 || (alen < 3 && a[0] != 'j') ||
		(a[0] != 't' && a[0] != 'a' && a[0] != 'e' && a[0] != 'j' && a[0] != 'x' && !(a[0] == 'g' && (a[1] == 'i' || a[1] == 'k')) &&
		 !(a[0] == 'm' && a[1] == 'p') && !(a[0] == 'n' && a[1] == 't') && !(a[0] == 's' && (a[1] == 's' || a[1] == 'z')) &&
		 memchr(a, 'h', alen) == NULL &&
		 (memchr(a, 'c', alen) == NULL || (memchr(b, 'j', blen) == NULL && memchr(b, 'z', blen) == NULL)) &&
		 (memchr(a, 'k', alen) == NULL || !ScreenContains(a, alen, "gk")) &&
		 (!GlideW(a, alen) || (!ScreenContains(b, blen, "au") && !ScreenContains(b, blen, "ao"))) &&
		 (blen >= alen || a[alen - 1] != 'n' || MongolianGenitive(a, alen) == 0) &&
		 (memchr(b, 'y', blen) == NULL || !YaAsY(b, blen) || YaAsI(a, alen) == 0)))
		return -1;
	/* Yehia and Yahya, Zakaria and Zakariya: only when b writes y there */
	if (memchr(b, 'y', blen) != NULL && YaAsY(b, blen) && YaAsI(a, alen) > 0)
		return ScreenVariantForm(a, alen, 15, later, greek, out);

	/*
	 * Tserendorjiin and Tserendorj: the genitive of a Mongolian patronymic,
	 * when b is shorter
	 */
	if (blen < alen && MongolianGenitive(a, alen) > 0)
		return ScreenVariantForm(a, alen, 14, later, greek, out);
	/* Dawood and Daud, Tawoos and Taus: only when b writes au or ao */
	if (GlideW(a, alen) && (ScreenContains(b, blen, "au") || ScreenContains(b, blen, "ao")))
		return ScreenVariantForm(a, alen, 13, later, greek, out);
	/* Cemal and Djemal, Cavid and Javid: only when b writes a j, and no c */
	if (memchr(a, 'c', alen) != NULL && memchr(b, 'c', blen) == NULL &&
		(memchr(b, 'j', blen) != NULL || ScreenContains(b, blen, "dzh")) && TurkicC(a, alen))
		return WithTurkicC(a, alen, out);
	/* Xalilov and Khalilov */
	if (b[0] == 'k' && blen >= 2 && b[1] == 'h' && AzerbaijaniX(a, alen))
		return ScreenVariantForm(a, alen, 12, later, greek, out);
	/* Huseynov and Guseinov */
	if (b[0] == 'g' && RussianH(a, alen))
		return ScreenVariantForm(a, alen, 11, later, greek, out);
	/* Uthman and Osman: only when b writes neither, and does write an s or z */
	if (Interdental(a, alen) && !ScreenContains(b, blen, "th") && !ScreenContains(b, blen, "dh") &&
		(memchr(b, 's', blen) != NULL || memchr(b, 'z', blen) != NULL))
		return WithoutInterdentals(a, alen, out);
	/* Jung and Rong; Tzu-yang and Ziyang */
	if (b[0] == 'r' && WadeGilesJ(a, alen) != NULL)
		return ScreenVariantForm(a, alen, 6, later, greek, out);
	if (blen >= 2 && b[1] == 'i' && WadeGilesSibilantU(a, alen) != 0 &&
		(b[0] == WadeGilesSibilantU(a, alen) || (b[0] == 'c' && WadeGilesSibilantU(a, alen) == 'z')))
		return ScreenVariantForm(a, alen, b[0] == 'c' ? 8 : 7, later, greek, out);
	/* Tsai and Cai: pinyin c or z then a vowel */
	if (WadeGilesTs(a, alen) && blen >= 2 && (b[0] == 'c' || b[0] == 'z') && ScreenIsVowel(b[1]))
		return ScreenVariantForm(a, alen, b[0] == 'c' ? 1 : 2, later, greek, out);
	/* Pagkalos and Pangalos */
	if (memchr(a, 'k', alen) != NULL && ScreenContains(b, blen, "ng") && GreekMedialGk(a, alen, greek) > 0)
		return ScreenVariantForm(a, alen, 9, later, greek, out);
	/* Giannis and Yannis; Ntinos and Dinos */
	if (b[0] == 'y' && GreekGi(a, alen, greek))
		return ScreenVariantForm(a, alen, 4, later, greek, out);
	if ((b[0] == 'b' || b[0] == 'd' || b[0] == 'g') && GreekInitialStop(a, alen, greek) == b[0])
		return ScreenVariantForm(a, alen, 5, later, greek, out);
	/* Alnahyan and Nahyan */
	if (later && GluedArticle(a, alen) && !(blen >= 2 && (b[0] == 'a' || b[0] == 'e') && b[1] == 'l'))
		return ScreenVariantForm(a, alen, 3, later, greek, out);
	return -1;
}
