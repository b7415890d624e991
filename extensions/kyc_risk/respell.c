/*
 * respell.c
 *		A second spelling of a name written in German, Polish or French
 *		romanisation of Russian, in the English (BGN/PCGN) one that lists
 *		use: "jewgeni schukow" is also "yevgeni shukov", "iouri
 *		chevtchouk" also "yuri shevchuk"; and of a Ukrainian or Belarusian
 *		name, in the reading its Cyrillic gets as Russian: "halyna melnyk"
 *		is also "galina melnik", which Галина Мельник reads as.
 *
 * Each language writes the Cyrillic letters with its own: German w for в,
 * j for й and the y of я, е, ю, z for ц, sch for ш and ж, tsch for ч, ch
 * for х, s for з between vowels; Polish w, j, cz, sz, rz, ch; French ou
 * for у, ch for ш, tch for ч, j for ж, an i before a vowel for the y.  No
 * rule tells such a spelling from an English name ("Andrew", "Mitchell"),
 * so the second spelling never replaces the first: a token pair scores
 * the better of the two (token_score.c), and the second spelling's keys
 * find candidates too (phonetic.c).  A name gets one only when one of its
 * tokens shows the convention: German sch or a Russian ending in w
 * ("schukow", "jakowlew"); Polish cz, sz or rz (not rzh: "serzh"),
 * -owski or -ewski, or -ij after a consonant ("jewgienij"), where ie
 * after a consonant is е and y after ż, sz or cz и ("prigożyn"); Dutch
 * tsj, zj, or sj before a consonant or at a token's end ("chroesjtsjov":
 * tsj ch, sj sh, zj zh, ch kh, oe u, j y); Somali, a long vowel written
 * twice (aa, ii, uu) with x after a vowel or starting a token, or c for
 * ʿayn starting one ("cabdullaahi yuusuf": x h, every c, which Somali
 * writes for ʿayn only, left out, a long vowel once);
 * French tch, dj or a final -ine ("zine", Zayn), or ou with ch, j, c for s,
 * gu before e or i, or an ending in -off, -ov, -ev ("ousmanov") or -oui
 * (Arabic names as French writes them: "zarqaoui", ou before a vowel w,
 * "bourguiba"), or ch with c for s ("cherif belkacem"); Ukrainian and Belarusian a surname
 * ending (-enko, -enka, -chuk, -yuk, -iuk, -yk, -ych, -skyi, -skyy) or
 * "hn" starting a token ("hnatiuk").  Cyrillic without the
 * letters only Ukrainian and Belarusian have reads as Russian, g for г
 * and i for и (normalize.c), so their Latin spellings, with h and y, are
 * respelled that way: h g, y between consonants i, ia iu ie ya yu ye.
 * And Indonesian names in the spelling before 1972, shown by tj, or oe
 * with dj, sj or nj ("Tjahjo", "Soedjatmoko"): tj c, dj j, j y, nj ny, sj
 * sy, ch kh, oe u.  And Japanese names in Kunrei-shiki (kunrei.c): si
 * shi, ti chi, tu tsu, hu fu, zi ji, sy sh, ty ch, zy j
 * ("tuyosi huzita" is "tsuyoshi fujita").  And Spanish spellings of Russian and Arabic names,
 * shown by two j's or more and no kh, not French ("Mijail Tijonov",
 * "Jalid Jairi"): j kh; one j may be English's, so this second spelling
 * counts only as a whole name (similarity.c), not token by token.
 *
 * A háček is gone once a name is normalised (č is c), so a name written
 * with one, as Czech, Slovak, Serbian, Croatian and ISO 9 write Russian
 * ("Chruščov", "Gorbačov", "Šojgu"), is respelled from the name as given
 * (ScreenWithHacekSpelling()): č and ć ch, š sh, ž zh, and the letters
 * those write Cyrillic with, ch kh, c ts, j y, ë yo.
 */
#include "name_core.h"

#include <unicode/utf8.h>

/* The romanisations read here, in the order a name is tried for them. */
typedef enum
{
	RESPELL_NONE,
	RESPELL_GERMAN,
	RESPELL_POLISH,
	RESPELL_FRENCH,
	RESPELL_DUTCH,
	RESPELL_SOMALI,
	RESPELL_UKRAINIAN,
	RESPELL_INDONESIAN,
	RESPELL_KUNREI,
	RESPELL_SPANISH
} Convention;

/* A rewrite: from, at a position, becomes to. */
typedef struct
{
	const char *from;
	const char *to;
} Rewrite;

/* Longest first at each position; what a rewrite writes is not read again. */
static const Rewrite german[] = {
	{"schtsch", "shch"}, {"tsch", "ch"}, {"sch", "sh"}, {"ch", "kh"}, {"ss", "s"},
	{"w", "v"}, {"j", "y"}, {"z", "ts"}, {NULL, NULL}
};
static const Rewrite polish[] = {
	{"szcz", "shch"}, {"cz", "ch"}, {"sz", "sh"}, {"rz", "zh"}, {"ch", "kh"},
	{"w", "v"}, {"j", "y"}, {NULL, NULL}
};
static const Rewrite french[] = {
	{"tch", "ch"}, {"ch", "sh"}, {"ou", "u"}, {"dj", "j"}, {"j", "zh"}, {"ss", "s"},
	{"gui", "gi"}, {"gue", "ge"}, {NULL, NULL}
};

/* Dutch: tsj ч, sj ш, zj ж, ch х, oe у, j й. */
static const Rewrite dutch[] = {
	{"tsj", "ch"}, {"sj", "sh"}, {"zj", "zh"}, {"ch", "kh"}, {"oe", "u"}, {"j", "y"}, {NULL, NULL}
};

/* Somali: x ḥ, dh as it is; c (ʿayn) and the second of a doubled vowel are rules in RespellToken(). */
static const Rewrite somali[] = {
	{"dh", "dh"}, {"sh", "sh"}, {"kh", "kh"}, {"x", "h"}, {NULL, NULL}
};

/* Indonesian before 1972 (the Dutch-based spelling): tj c, dj j, j y, nj ny, sj sy, ch kh, oe u. */
static const Rewrite indonesian[] = {
	{"tj", "c"}, {"dj", "j"}, {"nj", "ny"}, {"sj", "sy"}, {"ch", "kh"}, {"oe", "u"}, {"j", "y"},
	{NULL, NULL}
};

/* Kunrei-shiki: a kana's row letter where Hepburn writes its sound (kunrei.c). */
static const Rewrite kunrei[] = {
	{"sya", "sha"}, {"syu", "shu"}, {"syo", "sho"}, {"tya", "cha"}, {"tyu", "chu"}, {"tyo", "cho"},
	{"zya", "ja"}, {"zyu", "ju"}, {"zyo", "jo"},
	{"si", "shi"}, {"ti", "chi"}, {"tu", "tsu"}, {"hu", "fu"}, {"zi", "ji"},
	{NULL, NULL}
};

/* Spanish: j for х and Arabic kh, sch for щ. */
static const Rewrite spanish[] = {
	{"sch", "shch"}, {"j", "kh"}, {NULL, NULL}
};

/* Ukrainian and Belarusian: h for г, ia iu ie for я ю є, y for и (a rule in RespellToken()). */
static const Rewrite ukrainian[] = {
	{"shch", "shch"}, {"kh", "kh"}, {"zh", "zh"}, {"sh", "sh"}, {"ch", "ch"},
	{"h", "g"}, {"ia", "ya"}, {"iu", "yu"}, {"ie", "ye"}, {NULL, NULL}
};

/* Whether token t (len bytes) contains s (variants.c asks too). */
bool
ScreenContains(const char *t, int len, const char *s)
{
	int			n = strlen(s);
	int			i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(t + i, s, n) == 0)
			return true;
	return false;
}

/* Whether token t (len bytes), of more than the ending and two letters, ends with s. */
static bool
EndsWith(const char *t, int len, const char *s)
{
	int			n = strlen(s);

	return len >= n + 2 && memcmp(t + len - n, s, n) == 0;
}

/* Whether token t (len bytes) ends with one of endings (NULL-terminated), EndsWith() each. */
static bool
EndsWithAny(const char *t, int len, const char *const *endings)
{
	const char *const *e;

	for (e = endings; *e; e++)
		if (EndsWith(t, len, *e))
			return true;
	return false;
}

/* Whether a token has a Russian ending as German writes it, with w ("petrow", "jakowlewa", "iwanowitsch"). */
static bool
GermanEnding(const char *t, int len)
{
	static const char *const endings[] = {"ow", "owa", "ew", "ewa", "owitsch", "ewitsch", "owna", "ewna", NULL};

	return EndsWithAny(t, len, endings);
}

/*
 * Whether a token shows Ukrainian or Belarusian romanisation: a surname
 * ending, or "hn" starting it ("hnatiuk").  Not h after r or l: "gerhard",
 * "farhad" and "wilhelm" have it too, and John Hill is not John Gill.
 */
static bool
UkrainianToken(const char *t, int len)
{
	static const char *const endings[] = {"enko", "enka", "chuk", "yuk", "iuk", "yk", "ych", "skyi", "skyy", NULL};

	return EndsWithAny(t, len, endings) || (len > 3 && memcmp(t, "hn", 2) == 0);
}

/* Whether token s has French c, an s before e or i (not after s: "scene"), as in "belkacem", "youcef". */
static bool
FrenchC(const char *s, int len)
{
	int			i;

	for (i = 0; i + 1 < len; i++)
		if (s[i] == 'c' && (s[i + 1] == 'e' || s[i + 1] == 'i') && !(i > 0 && s[i - 1] == 's'))
			return true;
	return false;
}

/* Whether token t (len bytes) ends in Polish -ij for Russian -ий after a consonant ("jewgienij", "siergiej"). */
static bool
PolishIj(const char *t, int len)
{
	return len >= 4 && EndsWith(t, len, "ij") && !ScreenIsVowel(t[len - 3]);
}

/* Whether token t (len bytes) has a Dutch sj for ш: before a consonant or at its end. */
static bool
DutchSj(const char *t, int len)
{
	int			i;

	for (i = 0; i + 1 < len; i++)
		if (t[i] == 's' && t[i + 1] == 'j' && (i + 2 == len || !ScreenIsVowel(t[i + 2])))
			return true;
	return false;
}

/*
 * Whether the name shows Somali spelling: a long vowel written twice, aa,
 * ii or uu (Maxamuud, Yuusuf), which English does not write, and x after a
 * vowel or starting a token before a, u or i (Maxamed, Axmed, Xasan) or c
 * for ʿayn starting a token before a vowel and a consonant (Cabdi,
 * Cumar), which it does (Maxwell, Calvin: the review paired Calvin Reed
 * with Alvin Reed when any two signs were enough, ee and oo among them).
 */
static bool
SomaliSpelling(const ScreenTokens *t)
{
	bool		x = false;
	bool		ayn = false;
	bool		doubled = false;
	int			i;
	int			k;

	for (i = 0; i < t->count; i++)
	{
		const char *s = t->token[i];
		int			len = t->len[i];

		for (k = 0; k + 1 < len; k++)
		{
			x |= s[k] == 'x' && ScreenIsVowel(s[k + 1]) && (k > 0 ? ScreenIsVowel(s[k - 1]) : strchr("aui", s[1]) != NULL);
			x |= s[k + 1] == 'x' && ScreenIsVowel(s[k]) && k + 2 < len && !ScreenIsVowel(s[k + 2]);
			doubled |= s[k] == s[k + 1] && strchr("aiu", s[k]) != NULL;
		}
		ayn |= len >= 3 && s[0] == 'c' && strchr("aiou", s[1]) != NULL && !ScreenIsVowel(s[2]) && s[2] != 'h';
	}
	return doubled && (x || ayn);
}

/*
 * Whether token s (len bytes) starts with j before a consonant, which
 * neither English nor German writes ("jruschov", "jvostov"), but for
 * Indian jh and jw ("jwala"); inside a token German writes й so
 * ("sajzew", Zaitsev).  Maghrebi and Levantine names write ج so too
 * (Jlassi, Jreissati), so the caller asks for a Russian ending as well.
 */
static bool
ConsonantJ(const char *s, int len)
{
	return len > 2 && s[0] == 'j' && !ScreenIsVowel(s[1]) && strchr("jhw", s[1]) == NULL;
}

/* Whether token t (len bytes) ends as Russian surnames do (-ov, -ev, -ova, -eva, -sky, -ski, -skiy, -enko, -ich). */
static bool
RussianEnding(const char *t, int len)
{
	static const char *const endings[] = {"ov", "ev", "ova", "eva", "sky", "ski", "skiy", "enko", "ich", NULL};

	return EndsWithAny(t, len, endings);
}

/* Whether the name has a token ConsonantJ() and one RussianEnding(). */
static bool
RussianConsonantJ(const ScreenTokens *t)
{
	bool		j = false;
	bool		russian = false;
	int			i;

	for (i = 0; i < t->count; i++)
	{
		j |= ConsonantJ(t->token[i], t->len[i]);
		russian |= RussianEnding(t->token[i], t->len[i]);
	}
	return j && russian;
}

/*
 * Whether the name shows Spanish spelling of a Russian or Arabic name: j
 * (not dj, nor jj, nor a token's last letter; not in the token jan, nor
 * in one that starts with j before a consonant, as Maghrebi names write
 * ج: Jalil Jlassi is not Khalil Jlassi) twice or more, and no kh
 * ("mijail tijonov", "ajmed zajarov").  One j is
 * English's as often (Majid, Jalil, which Khalil is not), but not before
 * a consonant starting a token in a Russian name (russian_j, as
 * RussianConsonantJ() says: "jruschov"), which no English j is.
 */
static bool
SpanishSpelling(const ScreenTokens *t, bool russian_j)
{
	int			j = 0;
	int			i;
	int			k;

	for (i = 0; i < t->count; i++)
	{
		const char *s = t->token[i];
		int			len = t->len[i];

		if (ScreenContains(s, len, "kh"))
			return false;

		/*
		 * Jan, a word of Afghan and Pakistani names (Mohammad Jan), is no
		 * sign, nor Maghrebi j before a consonant (Jlassi)
		 */
		if ((len == 3 && memcmp(s, "jan", 3) == 0) || ConsonantJ(s, len))
			continue;
		for (k = 0; k + 1 < len; k++)
			j += s[k] == 'j' && s[k + 1] != 'j' && !(k > 0 && (s[k - 1] == 'd' || s[k - 1] == 'j'));
	}
	return j >= 2 || russian_j;
}

/* Which romanisation the name's tokens show (see the file comment). */
static Convention
ConventionOf(const ScreenTokens *t)
{
	bool		ou = false;
	bool		oe = false;
	bool		ch = false;
	bool		french_c = false;
	bool		french_other = false;
	bool		mute_e = false;
	bool		spanish_j = RussianConsonantJ(t);
	int			i;

	/*
	 * German sch, unless a j before a consonant says Spanish, whose sch is щ
	 * ("jruschov")
	 */
	for (i = 0; !spanish_j && i < t->count; i++)
		if (ScreenContains(t->token[i], t->len[i], "sch") || GermanEnding(t->token[i], t->len[i]))
			return RESPELL_GERMAN;
	for (i = 0; i < t->count; i++)
		if (ScreenContains(t->token[i], t->len[i], "cz") || ScreenContains(t->token[i], t->len[i], "sz") ||
			(ScreenContains(t->token[i], t->len[i], "rz") && !ScreenContains(t->token[i], t->len[i], "rzh")) ||
			EndsWith(t->token[i], t->len[i], "owski") ||
			EndsWith(t->token[i], t->len[i], "ewski") || PolishIj(t->token[i], t->len[i]))
			return RESPELL_POLISH;

	/*
	 * Dutch: tsj or zj, or sj before a consonant or at the end
	 * ("chroesjtsjov"); Indonesian's sj is before a vowel
	 */
	for (i = 0; i < t->count; i++)
		if (ScreenContains(t->token[i], t->len[i], "tsj") || ScreenContains(t->token[i], t->len[i], "zj") ||
			DutchSj(t->token[i], t->len[i]))
			return RESPELL_DUTCH;
	if (SomaliSpelling(t))
		return RESPELL_SOMALI;

	/*
	 * Indonesian's old spelling: tj, or oe with dj, sj or nj ("tjahjo",
	 * "soedjatmoko")
	 */
	for (i = 0; i < t->count; i++)
		oe |= ScreenContains(t->token[i], t->len[i], "oe");
	for (i = 0; i < t->count; i++)
		if ((ScreenContains(t->token[i], t->len[i], "tj") && !ScreenContains(t->token[i], t->len[i], "stj")) ||
			(oe && (ScreenContains(t->token[i], t->len[i], "dj") || ScreenContains(t->token[i], t->len[i], "sj") ||
					ScreenContains(t->token[i], t->len[i], "nj"))))
			return RESPELL_INDONESIAN;
	if (ScreenKunreiSpelling(t))
		return RESPELL_KUNREI;
	for (i = 0; i < t->count; i++)
	{
		const char *s = t->token[i];
		int			len = t->len[i];

		if (ScreenContains(s, len, "tch") || ScreenContains(s, len, "dj"))
			return RESPELL_FRENCH;

		/*
		 * a final -ine, whose e French leaves mute ("zine", "abidine"),
		 * unless the name shows another
		 */
		mute_e |= len >= 4 && memcmp(s + len - 3, "ine", 3) == 0;
		ou |= ScreenContains(s, len, "ou");
		ch |= ScreenContains(s, len, "ch");
		french_c |= FrenchC(s, len);
		french_other |= ScreenContains(s, len, "ch") || ScreenContains(s, len, "j") ||
			EndsWith(s, len, "ine") || EndsWith(s, len, "off") || EndsWith(s, len, "oui") ||
			EndsWith(s, len, "ov") || EndsWith(s, len, "ev") || FrenchC(s, len) ||
			ScreenContains(s, len, "gui") || ScreenContains(s, len, "gue");
	}

	/*
	 * Maghrebi names as French writes them: ch with c for s ("cherif
	 * belkacem")
	 */
	if ((ou && french_other) || (ch && french_c))
		return RESPELL_FRENCH;
	if (SpanishSpelling(t, spanish_j))
		return RESPELL_SPANISH;
	for (i = 0; i < t->count; i++)
		if (UkrainianToken(t->token[i], t->len[i]))
			return RESPELL_UKRAINIAN;
	return mute_e ? RESPELL_FRENCH : RESPELL_NONE;
}

/* Token s (len bytes) respelled by rules, with the convention's own context rules, into buf. */
static void
RespellToken(const char *s, int len, Convention c, const Rewrite *rules, StringInfo buf)
{
	int			i = 0;

	resetStringInfo(buf);
	while (i < len)
	{
		const Rewrite *r;
		bool		between = i > 0 && i + 1 < len && ScreenIsVowel(s[i - 1]) && ScreenIsVowel(s[i + 1]);

		/* German s between vowels is з: "kasakow" is "kazakov" */
		if (c == RESPELL_GERMAN && s[i] == 's' && between)
		{
			appendStringInfoChar(buf, 'z');
			i++;
			continue;
		}

		/*
		 * Ukrainian y between consonants is и, i in Russian: "melnyk" is
		 * "melnik"; -yi, -yy are -iy
		 */
		if (c == RESPELL_UKRAINIAN && s[i] == 'y' && i > 0 && !ScreenIsVowel(s[i - 1]) &&
			((i + 1 < len && !ScreenIsVowel(s[i + 1])) || i == len - 1))
		{
			appendStringInfoChar(buf, 'i');
			i++;
			continue;
		}
		if (c == RESPELL_UKRAINIAN && i == len - 2 && s[i] == 'y' && (s[i + 1] == 'i' || s[i + 1] == 'y'))
		{
			appendStringInfoString(buf, "iy");
			break;
		}

		/*
		 * Somali c is ʿayn, which English leaves out (Cabdi, Abdi); a
		 * doubled vowel is a long one, written once
		 */
		if (c == RESPELL_SOMALI && ((s[i] == 'c' && !(i + 1 < len && s[i + 1] == 'h')) ||
									(i > 0 && s[i] == s[i - 1] && strchr("aeiou", s[i]) != NULL)))
		{
			i++;
			continue;
		}

		/*
		 * Polish ie after a consonant is е ("jewgienij" is "yevgeniy"), and
		 * y after ż, sz or cz и ("prigozyn")
		 */
		if (c == RESPELL_POLISH && i > 0 && !ScreenIsVowel(s[i - 1]) && s[i] == 'i' && i + 1 < len && s[i + 1] == 'e')
		{
			appendStringInfoChar(buf, 'e');
			i += 2;
			continue;
		}
		if (c == RESPELL_POLISH && i > 0 && s[i - 1] == 'z' && s[i] == 'y')
		{
			appendStringInfoChar(buf, 'i');
			i++;
			continue;
		}

		/*
		 * French i before a vowel at a word's start is the y: "iouri" is
		 * "yuri"
		 */
		if (c == RESPELL_FRENCH && i == 0 && s[0] == 'i' && len > 1 && ScreenIsVowel(s[1]))
		{
			appendStringInfoChar(buf, 'y');
			i++;
			continue;
		}
		/* French ou before a vowel is w: "zarqaoui" is "zarqawi" */
		if (c == RESPELL_FRENCH && i + 2 < len && s[i] == 'o' && s[i + 1] == 'u' && ScreenIsVowel(s[i + 2]))
		{
			appendStringInfoChar(buf, 'w');
			i += 2;
			continue;
		}
		/* French -ine and -off are -in and -ov: "poutine", "romanoff" */
		if (c == RESPELL_FRENCH && i == len - 3 && (memcmp(s + i, "ine", 3) == 0 || memcmp(s + i, "off", 3) == 0))
		{
			appendBinaryStringInfo(buf, s + i, 1);
			appendStringInfoChar(buf, s[i] == 'i' ? 'n' : 'v');
			break;
		}
		for (r = rules; r->from; r++)
		{
			int			n = strlen(r->from);

			if (n <= len - i && memcmp(s + i, r->from, n) == 0)
				break;
		}
		if (r->from)
		{
			appendStringInfoString(buf, r->to);
			i += strlen(r->from);
		}
		else
			appendStringInfoChar(buf, s[i++]);
	}
}

/*
 * The name's tokens in their English spelling, or NULL when the name shows
 * no convention read here or its respelling changes nothing.  Token i of
 * the result is token i of t respelled.
 */
ScreenTokens *
ScreenRespell(const ScreenTokens *t)
{
	Convention	c = ConventionOf(t);
	const Rewrite *rules = c == RESPELL_GERMAN ? german : c == RESPELL_POLISH ? polish :
	c == RESPELL_FRENCH ? french : c == RESPELL_DUTCH ? dutch : c == RESPELL_SOMALI ? somali :
	c == RESPELL_INDONESIAN ? indonesian : c == RESPELL_KUNREI ? kunrei : c == RESPELL_SPANISH ? spanish : ukrainian;
	ScreenTokens *r;
	StringInfoData buf;
	bool		changed = false;
	int			i;

	/* a name written as consonants (skeleton.c) is no romanisation of these */
	if (c == RESPELL_NONE || t->skeletal)
		return NULL;
	r = ScreenNewTokens(t->count);
	initStringInfo(&buf);
	for (i = 0; i < t->count; i++)
	{
		RespellToken(t->token[i], t->len[i], c, rules, &buf);
		changed |= buf.len != t->len[i] || memcmp(buf.data, t->token[i], buf.len) != 0;
		ScreenAddToken(r, buf.data, buf.len, t->rarity[i]);
	}
	pfree(buf.data);
	r->skeletal = t->skeletal;
	r->script = t->script;

	/*
	 * one j may be English's, and a name of another language may pass as
	 * Kunrei ("sima", which is not "shima"): these count only if the whole
	 * name pairs so (similarity.c)
	 */
	r->whole = c == RESPELL_SPANISH || c == RESPELL_KUNREI;

	/*
	 * Somali writes Arabic names, whose short vowels lists spell as they hear
	 * them (Maxamed, Mohamed)
	 */
	r->transliterated = t->transliterated || c == RESPELL_SOMALI;
	return changed ? r : NULL;
}

/* Whether a and b are the same tokens. */
static bool
SameTokens(const ScreenTokens *a, const ScreenTokens *b)
{
	int			i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (a->len[i] != b->len[i] || memcmp(a->token[i], b->token[i], a->len[i]) != 0)
			return false;
	return true;
}

/* How the háček conventions write a letter (see the file comment), or NULL for as it is. */
static const char *
HacekLetter(UChar32 c)
{
	switch (c)
	{
		case 0x010C:			/* Č */
		case 0x010D:
		case 0x0106:			/* Ć */
		case 0x0107:
			return "ch";
		case 0x0160:			/* Š */
		case 0x0161:
			return "sh";
		case 0x017D:			/* Ž */
		case 0x017E:
			return "zh";
		case 0x00CB:			/* Ë */
		case 0x00EB:
			return "yo";
		case 'c':
		case 'C':
			return "ts";
		case 'j':
		case 'J':
			return "y";
	}
	return NULL;
}

/*
 * t, cut from the name given, with its English spelling as its respelling
 * when the name is written with a háček (see the file comment), in place
 * of one a convention read from the normalised name gave it (Polish -ij,
 * French ch: "Jurij Čajka", "Anton Čechov"), not of Wade-Giles' pinyin; t
 * as it was otherwise.
 */
ScreenTokens *
ScreenWithHacekSpelling(ScreenTokens *t, const char *name)
{
	StringInfoData spelled;
	int32_t		len = strlen(name);
	int32_t		i = 0;
	bool		hacek = false;
	ScreenTokens *r;

	if ((t->respelled != NULL && t->respelled->pinyin) || t->skeletal || t->count == 0)
		return t;
	initStringInfo(&spelled);
	while (i < len)
	{
		int32_t		start = i;
		UChar32		c;
		const char *as;

		U8_NEXT(name, i, len, c);
		hacek |= c == 0x010C || c == 0x010D || c == 0x0160 || c == 0x0161 || c == 0x017D || c == 0x017E;
		/* the ch of Czech is х: kh */
		if ((c == 'c' || c == 'C') && i < len && (name[i] == 'h' || name[i] == 'H'))
		{
			appendStringInfoString(&spelled, "kh");
			i++;
			continue;
		}
		if ((as = HacekLetter(c)) != NULL)
			appendStringInfoString(&spelled, as);
		else
			appendBinaryStringInfo(&spelled, name + start, i - start);	/* an ill-formed
																		 * sequence too */
	}

	/*
	 * the háček says how the name is written; a convention guessed from the
	 * normalised name does not
	 */
	if (hacek && (r = ScreenTokenize(ScreenNormalize(spelled.data, false), true))->count == t->count)
	{
		r->transliterated = t->transliterated;
		r->script = t->script;
		if (t->respelled != NULL)
			ScreenFreeTokens(t->respelled);
		t->respelled = r;
	}
	pfree(spelled.data);
	return t;
}

/*
 * t, cut from the name given, with the name's Cyrillic read the other way
 * (Ukrainian for Russian, Russian for Ukrainian: normalize.c) as its other
 * reading, when that reads otherwise: a Belarusian or Ukrainian name
 * written with the letters Russian shares reads as Russian, Сяргей as
 * "syargey", which lists write "Siarhei"; a Ukrainian one, Агросвіт
 * "ahrosvit", is often spelled the Russian way, "agrosvit".  The reading
 * is a whole name (similarity.c), and its keys find candidates.
 *
 * A Thai or Indic name's other reading is its spelling (romanize_thai.c,
 * romanize_brahmic.c), word by word: ชินวัตร, said "chnwt", spelled
 * "chnwtr", Shinawatra; खड्ग, said "khadg", spelled "khadga".  Each word
 * scores as said or as spelled, whichever is better, for a family may
 * spell one word of its name and say another (สมัคร สุนทรเวช is "Samak
 * Sundaravej"), so the spelling is t's respelling (token_score.c).
 */
ScreenTokens *
ScreenWithOtherReading(ScreenTokens *t, const char *name)
{
	char	   *normalized;
	ScreenTokens *r;

	if (t->reading != NULL || t->count == 0 || (normalized = ScreenNormalizeOtherReading(name)) == NULL)
		return t;
	r = ScreenTokenize(normalized, true);
	if (r->count == 0 || SameTokens(r, t))
		ScreenFreeTokens(r);
	else if (!ScreenHasSpelledScript(name))
	{
		r->other_cyrillic = true;
		t->reading = r;
	}
	else if (t->respelled == NULL && r->count == t->count)
	{
		r->spelled = true;
		t->respelled = r;
	}
	else
		ScreenFreeTokens(r);
	return t;
}
