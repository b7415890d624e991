/*
 * phonetic.c
 *		A consonant key for a name token, so that spellings of one name
 *		under different romanisations compare equal: "qadhafi", "gaddafi"
 *		and "kadafi" all key "ktf"; "husayn", "hussein" and "husain" key
 *		"hsn"; "tschernow" and "chernov" key "jrnf".
 *
 * Romanisations disagree most on vowels (Arabic and Hebrew script write
 * few; "myung" and "myeong" are one Korean syllable) and on consonants
 * that one language distinguishes and another does not (Arabic q, k and
 * g; Korean b and p, d and t, g and k, j and ch; German w and Russian v).
 * So the key drops vowels and maps consonants to classes:
 *
 *		p	b p				k	c k q g ck gh; x is k then s
 *		t	d t th dh		f	f v w ph
 *		j	j ch zh dj dzh cz tch tsch
 *		s	s z sh sch sz c (before e, i, y), the z of tz; at a token's start, or
 *			after an n or ng, Wade-Giles hs and pinyin x before i or u (q
 *			before i is j anywhere: "qian", "chien"; "zhiqiang", "chihchiang")
 *		h	h kh, but h after a vowel before a consonant or at the end is silent
 *
 * Korean surname families key as one, "x" and a letter (x is never a
 * class otherwise).  l, m, n and r are themselves; a doubled consonant counts once; digits and
 * letters outside ASCII (scripts ICU cannot transliterate) are kept.  The
 * Arabic "abd" followed by its article ("abdul", "abdel", "abd al") keys
 * "bd", the article's l dropped, so "abdulaziz" and "abdaziz" agree.
 */
#include "name_core.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

/* Whether c is a vowel for the key (y too: "yusuf", "iusuf"); glide.c and respell.c read vowels so too. */
bool
ScreenIsVowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Whether s[i..] starts with the string p, within len. */
static bool
StartsAt(const char *s, int len, int i, const char *p)
{
	int			n = strlen(p);

	return i + n <= len && memcmp(s + i, p, n) == 0;
}

/* How many bytes of "abd" plus its article start the token, 0 if none. */
int
ScreenAbdPrefix(const char *s, int len)
{
	int			i = (len > 0 && s[0] == 'a') ? 1 : 0;

	if (!StartsAt(s, len, i, "bd"))
		return 0;
	i += 2;
	if (i < len && ScreenIsVowel(s[i]) && i + 1 < len && s[i + 1] == 'l')
		i += 2;
	else if (i < len && s[i] == 'l')
		i++;
	else
		return i;
	while (i < len && s[i] == 'l')	/* "abdullah" */
		i++;
	/* Only as a prefix: "abdul" alone keys "bdl". */
	return i < len ? i : 0;
}

/* The class of the consonant (group) at s[i], and its length in *n; 0 for a vowel. */
char
ScreenConsonantClass(const char *s, int len, int i, int *n)
{
	char		c = s[i];
	char		next = i + 1 < len ? s[i + 1] : '\0';

	*n = 1;

	/*
	 * pinyin x and q before i or u, Wade-Giles' hs: "xu" and "hsu", "qian"
	 * and "chien"
	 */
	if (i == 0 && StartsAt(s, len, 0, "hs"))
		return (*n = 2), 's';
	if (i == 0 && (c == 'x' || c == 'q') && (next == 'i' || (c == 'x' && next == 'u')))
		return c == 'x' ? 's' : 'j';

	/*
	 * pinyin qi inside a joined given name too ("zhiqiang"), not Arabic qaf
	 * before i ("tauqir", "aqil"); x there may be ks ("alexis")
	 */
	if (c == 'q' && next == 'i' && ScreenIsPinyin(s, len))
		return 'j';

	/*
	 * and Wade-Giles hs and pinyin x there, after a syllable's n or ng
	 * ("hsianghsi", "xiangxi"; not "mohsin")
	 */
	if ((i > 0 && s[i - 1] == 'n') || (i > 1 && s[i - 2] == 'n' && s[i - 1] == 'g'))
	{
		if (c == 'h' && next == 's' && i + 2 < len && (s[i + 2] == 'i' || s[i + 2] == 'u'))
			return (*n = 2), 's';
		if (c == 'x' && (next == 'i' || next == 'u'))
			return 's';
	}
	if (StartsAt(s, len, i, "tsch"))
		return (*n = 4), 'j';
	/* BGN's dzh for Russian дж is English j ("dzhokhar", "jokhar") */
	if (StartsAt(s, len, i, "dzh"))
		return (*n = 3), 'j';

	/*
	 * the z of "tz" is the s of ts, never the zh digraph: "yitzhak" is tz
	 * then h
	 */
	if (c == 'z' && i > 0 && s[i - 1] == 't')
		return 's';
	if (StartsAt(s, len, i, "sch") || StartsAt(s, len, i, "tch"))
		return (*n = 3), c == 's' ? 's' : 'j';
	if (next == 'h' && strchr("cdgkpstz", c))
	{
		*n = 2;
		switch (c)
		{
			case 'c':
			case 'z':
				return 'j';
			case 'd':
			case 't':
				return 't';
			case 'g':
				return 'k';
			case 'k':
				return 'h';
			case 'p':
				return 'f';
			default:
				return 's';		/* sh */
		}
	}
	if (StartsAt(s, len, i, "ck") || StartsAt(s, len, i, "sz") || StartsAt(s, len, i, "cz") ||
		StartsAt(s, len, i, "dj"))
		return (*n = 2), c == 'c' ? (next == 'k' ? 'k' : 'j') : (c == 's' ? 's' : 'j');
	if (ScreenIsVowel(c))
		return 0;
	switch (c)
	{
		case 'b':
		case 'p':
			return 'p';
		case 'c':
			return (next == 'e' || next == 'i' || next == 'y') ? 's' : 'k';
		case 'g':
		case 'k':
		case 'q':
			return 'k';
		case 'x':
			return 'x';			/* "ks": the caller writes both */
		case 'd':
		case 't':
			return 't';
		case 'w':
			/* between consonants a vowel: Arabic script's waw ("pwrmnd") */
			if (i > 0 && !ScreenIsVowel(s[i - 1]) && next != '\0' && !ScreenIsVowel(next))
				return 0;
			return 'f';
		case 'f':
		case 'v':
			return 'f';
		case 'j':
			return 'j';
		case 's':
		case 'z':
			return 's';
		case 'h':

			/*
			 * silent at the end, and after a vowel unless one follows
			 * ("ahmad")
			 */
			return (next == '\0' || (i > 0 && ScreenIsVowel(s[i - 1]) && !ScreenIsVowel(next))) ? '-' : 'h';
		default:
			return c;			/* l m n r, digits */
	}
}

/*
 * Korean surnames that romanisations spell too differently for the rules
 * (이 is Lee, Yi, Rhee or Ri; 박 Park or Pak), with their own keys of two
 * bytes.  Spellings of one letter ("i", "o") are initials, never keyed,
 * and "bak" is also a given-name syllable ("myung-bak").
 */
static const struct
{
	const char *key;
	const char *spellings[8];
}			surname_families[] = {
	{"xl", {"lee", "yi", "rhee", "ri", "rhie", "ree", "li", NULL}},
	{"xp", {"park", "pak", "pahk", "bak", NULL}},
	{"xc", {"choi", "choe", "choy", "chwe", NULL}},
	{"xo", {"oh", NULL}},
	{"xa", {"ahn", "an", NULL}},
	{"xy", {"yoo", "yu", "ryu", "you", "ryoo", NULL}},
	{"xi", {"lim", "im", "rim", "yim", NULL}},
	{"xu", {"yoon", "yun", "youn", NULL}},
	{"xr", {"roh", "noh", "ro", "no", NULL}},
	{"xw", {"woo", "wu", NULL}},
};

/* The key of a Korean surname spelling, or NULL. */
static const char *
SurnameFamily(const char *s, int len)
{
	int			f;
	int			k;

	for (f = 0; f < lengthof(surname_families); f++)
		for (k = 0; surname_families[f].spellings[k]; k++)
			if (strlen(surname_families[f].spellings[k]) == len &&
				memcmp(surname_families[f].spellings[k], s, len) == 0)
				return surname_families[f].key;
	return NULL;
}

/*
 * The key of a token of len bytes into out (at least SCREEN_KEY_SIZE(len)
 * bytes: an x writes two); returns the key's length.  Bytes outside ASCII
 * are copied as they are.
 */
int
ScreenPhoneticKey(const char *s, int len, char *out)
{
	int			n = 0;
	int			i = ScreenAbdPrefix(s, len);
	char		last = '\0';	/* the class just emitted, '\0' after a vowel */
	const char *family = (len >= 2 && len <= 5) ? SurnameFamily(s, len) : NULL;

	if (family != NULL)
	{
		strcpy(out, family);
		return 2;
	}
	if (i > 0)
	{
		out[n++] = 'p';
		out[n++] = 't';
		last = 't';
	}
	while (i < len)
	{
		int			step;
		char		cls;

		if ((unsigned char) s[i] >= 0x80)
		{
			out[n++] = s[i++];
			last = '\0';
			continue;
		}
		cls = ScreenConsonantClass(s, len, i, &step);
		i += step;
		if (cls == 0)
		{
			last = '\0';
			continue;
		}
		if (cls == '-')
			continue;			/* a silent h: "abdullah", "shah" */
		if (cls == 'x')
		{
			out[n++] = 'k';
			cls = 's';
		}
		if (cls != last)
			out[n++] = cls;
		last = cls;
	}
	out[n] = '\0';
	return n;
}

/*
 * Whether a key finds candidates alone: three consonants or more, or a
 * Korean surname family's; shorter keys ("pl", "mn") are on too many names.
 */
static bool
CandidateKey(const char *key, int len)
{
	return len >= 3 || (len == 2 && key[0] == 'x');
}

/* Append a candidate key of len bytes, after its prefix, to buf, space-separated, unless too long. */
void
ScreenAppendKey(StringInfo buf, const char *prefix, const char *key, int len)
{
	if (strlen(prefix) + len >= SCREEN_KEY_MAX)
		return;
	if (buf->len > 0)
		appendStringInfoChar(buf, ' ');
	appendStringInfoString(buf, prefix);
	appendBinaryStringInfo(buf, key, len);
}

/*
 * The class of the consonant (group) at s[i] as skeletons are compared
 * (skeleton.c) and keyed (SkeletonKey()), its length in *n: "tz" and "ts"
 * one letter s (Hebrew tsadi); in a skeleton (skeletal), h and the s of
 * "sc" alone, never Wade-Giles' hs ("hsyn" is Husayn) nor German sch (Thai
 * "sch" is s then ch); and, skeleton or spelling, the t of "tch" alone,
 * not English's ch: Thai ชาติชาย is "chtchy", written Chatichai or
 * Chatchai; else ScreenConsonantClass().
 */
char
ScreenSkeletonClass(const char *s, int len, int i, bool skeletal, int *n)
{
	*n = 1;
	if (s[i] == 't' && i + 1 < len && (s[i + 1] == 'z' || s[i + 1] == 's'))
		return (*n = 2), 's';
	if (skeletal && (s[i] == 'h' || (s[i] == 's' && i + 1 < len && s[i + 1] == 'c')))
		return s[i];
	if (s[i] == 't' && i + 2 < len && s[i + 1] == 'c' && s[i + 2] == 'h')
		return 't';
	return ScreenConsonantClass(s, len, i, n);
}

/*
 * The skeleton key of a token into out (at least len + 1 bytes): its
 * consonant classes without w, y and h, which scripts without vowels
 * write as vowels, nor v, which they write as w, "tz" and "ts" as s, and
 * a class repeated across vowels once ("haddad" and "hdd" are both "t");
 * returns its length.  Consonants are read as skeleton.c reads them
 * (ScreenSkeletonClass()), and kh as k and ph as p if aspirates, as
 * against a Thai or Khmer skeleton.
 */
static int
SkeletonKey(const char *s, int len, bool skeletal, bool aspirates, char *out)
{
	int			n = 0;
	int			i = 0;

	while (i < len)
	{
		int			step = 1;
		char		cls = 0;

		if (s[i] != 'w' && s[i] != 'y' && s[i] != 'h' && s[i] != 'v' && (unsigned char) s[i] < 0x80)
			cls = ScreenSkeletonClass(s, len, i, skeletal, &step);
		if (aspirates)
			cls = ScreenThaiAspirate(s, i, step, cls);
		i += step;
		if (cls == 'x')
			cls = 'k';
		if (cls != 0 && cls != '-' && (n == 0 || out[n - 1] != cls))
			out[n++] = cls;
	}
	out[n] = '\0';
	return n;
}

/* Whether a spelling reads otherwise against a Thai or Khmer skeleton: it has such an r (ScreenLongVowelR()), kh or ph. */
static bool
ReadsOtherwiseAsThai(const ScreenTokens *t)
{
	int			i;
	int			k;

	for (i = 0; i < t->count; i++)
		for (k = 1; k < t->len[i]; k++)
			if (ScreenLongVowelR(t->token[i], t->len[i], k) ||
				(t->token[i][k] == 'h' && (t->token[i][k - 1] == 'k' || t->token[i][k - 1] == 'p')))
				return true;
	return false;
}

/* Token s (len bytes) into out, without its r's that mark a long vowel if without_r; its length. */
static int
Spelled(const char *s, int len, bool without_r, char *out)
{
	int			n = 0;
	int			i;

	for (i = 0; i < len; i++)
		if (!without_r || !ScreenLongVowelR(s, len, i))
			out[n++] = s[i];
	return n;
}

/* Append key (keylen bytes) with prefix if it has two classes or more and is not other (otherlen bytes). */
static void
AppendOtherKey(StringInfo buf, const char *prefix, const char *key, int keylen, const char *other, int otherlen)
{
	if (keylen >= 2 && (keylen != otherlen || memcmp(key, other, keylen) != 0))
		ScreenAppendKey(buf, prefix, key, keylen);
}

/*
 * Append the skeleton keys of tokens t, of two classes or more, with
 * prefix: each token's, and the whole name's ("nuon chea" as "nj").  A
 * spelling's as a Thai or Khmer name's would be read if as_thai (without
 * its r's after a vowel, ScreenLongVowelR(); kh k, ph p); a Thai or Khmer
 * skeleton's so too, where that is another key.
 */
static void
AppendSkeletonKeys(StringInfo buf, const ScreenTokens *t, const char *prefix, bool as_thai)
{
	bool		thai = t->skeletal && SCREEN_SCRIPT_THAI_OR_KHMER(t->script);
	bool		aspirates = as_thai && !t->skeletal;
	StringInfoData joined;
	char	   *key;
	char	   *token;
	char	   *other;
	int			keylen;
	int			n;
	int			i;

	initStringInfo(&joined);
	for (i = 0; i < t->count; i++)
	{
		key = palloc(3 * (t->len[i] + 1));
		other = key + t->len[i] + 1;
		token = other + t->len[i] + 1;
		n = Spelled(t->token[i], t->len[i], aspirates, token);
		keylen = SkeletonKey(token, n, t->skeletal, aspirates, key);
		if (keylen >= 2)
			ScreenAppendKey(buf, prefix, key, keylen);
		/* a Thai "khngkw" is also "kngk", as Kongkaew */
		if (thai)
			AppendOtherKey(buf, prefix, other, SkeletonKey(t->token[i], t->len[i], true, true, other), key, keylen);
		appendBinaryStringInfo(&joined, token, n);
		pfree(key);
	}
	key = palloc(2 * (joined.len + 1));
	other = key + joined.len + 1;
	keylen = SkeletonKey(joined.data, joined.len, t->skeletal, aspirates, key);
	if (t->count >= 2 && keylen >= 2)
		ScreenAppendKey(buf, prefix, key, keylen);
	if (t->count >= 2 && thai)
		AppendOtherKey(buf, prefix, other, SkeletonKey(joined.data, joined.len, true, true, other), key, keylen);
	pfree(key);
	pfree(joined.data);
}

/* Append token i's key if it finds candidates alone, else "=" and the token. */
static void
AppendTokenKey(StringInfo buf, const ScreenTokens *t, int i)
{
	if (CandidateKey(t->key[i], t->keylen[i]))
		ScreenAppendKey(buf, "", t->key[i], t->keylen[i]);
	else
		ScreenAppendKey(buf, "=", t->token[i], t->len[i]);
}

/* Append token i's key (AppendTokenKey()) as one of a dictionary's readings': SCREEN_KEY_READINGS. */
static void
AppendReadingKey(StringInfo buf, const ScreenTokens *t, int i)
{
	if (CandidateKey(t->key[i], t->keylen[i]))
		ScreenAppendKey(buf, SCREEN_READINGS_PREFIX, t->key[i], t->keylen[i]);
	else
		ScreenAppendKey(buf, SCREEN_READINGS_PREFIX "=", t->token[i], t->len[i]);
}

/*
 * Append the keys of the forms a spelling convention gives the token, a
 * later one of its name if later (variants.c); the Greek forms whatever
 * the token's script, for the other name may be in Greek's (token_score.c).
 */
static void
AppendVariantKeys(StringInfo buf, const char *token, int len, bool later)
{
	char	   *form = palloc(len + 1);
	char	   *key = palloc(SCREEN_KEY_SIZE(len + 1)); /* a form is a letter
														 * longer at most */
	int			k;
	int			n;

	for (k = 0; (n = ScreenVariantForm(token, len, k, later, true, form)) != -2; k++)
	{
		int			keylen;

		if (n <= 0)
			continue;
		keylen = ScreenPhoneticKey(form, n, key);
		if (CandidateKey(key, keylen))
			ScreenAppendKey(buf, "", key, keylen);
		else
			ScreenAppendKey(buf, "=", form, n);
	}
	pfree(form);
	pfree(key);
}

/* Whether token i of a and of b give the same candidate key (AppendTokenKey()): the same text, or key. */
static bool
SameCandidateKey(const ScreenTokens *a, const ScreenTokens *b, int i)
{
	if (a->len[i] == b->len[i] && memcmp(a->token[i], b->token[i], a->len[i]) == 0)
		return true;
	return a->key[i] != NULL && b->key[i] != NULL && a->keylen[i] == b->keylen[i] &&
		CandidateKey(a->key[i], a->keylen[i]) && memcmp(a->key[i], b->key[i], a->keylen[i]) == 0;
}

/* Append the keys of each two adjacent tokens of t joined. */
static void
AppendJoinedKeys(StringInfo buf, const ScreenTokens *t)
{
	int			i;

	for (i = 0; i + 1 < t->count; i++)
	{
		int			len = t->len[i] + t->len[i + 1];
		char	   *joined = palloc(len + 1);
		char	   *key = palloc(SCREEN_KEY_SIZE(len));
		int			keylen;

		memcpy(joined, t->token[i], t->len[i]);
		memcpy(joined + t->len[i], t->token[i + 1], t->len[i + 1]);
		keylen = ScreenPhoneticKey(joined, len, key);

		/*
		 * a name of two syllables has only this key: two consonants will do
		 * ("chu teh", "zhu de")
		 */
		if (CandidateKey(key, keylen) || (t->count == 2 && keylen == 2))
			ScreenAppendKey(buf, "", key, keylen);
		pfree(joined);
		pfree(key);
	}
}

/*
 * Append the keys of a Wade-Giles name's pinyin (wade_giles.c), a syllable
 * a token, as pinyin writes it: the given name's syllables joined ("tseng
 * shih chieh" as "zeng shijie"), each token's key and the two joined.
 */
static void
AppendPinyinKeys(StringInfo buf, const ScreenTokens *p)
{
	ScreenTokens *g = ScreenNewTokens(2);
	StringInfoData given;
	int			i;

	initStringInfo(&given);
	for (i = 1; i < p->count; i++)
		appendBinaryStringInfo(&given, p->token[i], p->len[i]);
	ScreenAddToken(g, p->token[0], p->len[0], 1.0);
	ScreenAddToken(g, given.data, given.len, 1.0);
	for (i = 0; i < g->count; i++)
		AppendTokenKey(buf, g, i);
	AppendJoinedKeys(buf, g);
	ScreenFreeTokens(g);
	pfree(given.data);
}

/*
 * Append the skeleton keys of name t, a list name's or a query's: see
 * ScreenKeysOf().  And the keys a Thai or Khmer skeleton and a spelling
 * that reads otherwise against one (ReadsOtherwiseAsThai()) find each
 * other by: the spelling's as such a name's would be read, the
 * skeleton's, a list name's and a query's of two kinds, so that they
 * find no other names.
 */
static void
AppendNameSkeletonKeys(StringInfo buf, const ScreenTokens *t, bool query)
{
	if (!query)
		AppendSkeletonKeys(buf, t, t->skeletal ? SKELETON_QUERY_PREFIX : SKELETON_LIST_PREFIX, false);
	else
	{
		AppendSkeletonKeys(buf, t, SKELETON_QUERY_PREFIX, false);
		if (t->skeletal)
			AppendSkeletonKeys(buf, t, SKELETON_LIST_PREFIX, false);
	}
	if (t->skeletal && SCREEN_SCRIPT_THAI_OR_KHMER(t->script))
		AppendSkeletonKeys(buf, t, query ? SKELETON_THAI_LIST_PREFIX : SKELETON_THAI_QUERY_PREFIX, false);
	else if (!t->skeletal && ReadsOtherwiseAsThai(t))
		AppendSkeletonKeys(buf, t, query ? SKELETON_THAI_QUERY_PREFIX : SKELETON_THAI_LIST_PREFIX, true);
}

/*
 * The candidate keys of tokens t, space-separated ("" if none): each
 * token's key if it finds candidates alone, else "=" and the token itself
 * (so that "shell" finds "shell plc"); then the key of each two adjacent
 * tokens joined (so that "hizb allah" finds "hezbollah"), of two
 * consonants too for a name of two tokens ("chu teh", "zhu de"); the keys of its
 * English spelling, if it is written in another romanisation (respell.c),
 * and of the forms spelling conventions give its tokens (variants.c); then
 * skeleton
 * keys, so that a name written as consonants (skeleton.c) and its
 * spellings find each other.  A list name's skeleton keys are "~" and the
 * key, or "^" and the key if it is written as consonants; a query's are
 * "^" and the key, and also "~" and the key if it is written as
 * consonants.  So a spelling finds written-as-consonants names, and those
 * find every name, while spellings do not find each other this way.
 */
char *
ScreenKeysOf(const ScreenTokens *t, bool query)
{
	StringInfoData buf;
	const ScreenTokens *r;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < t->count; i++)
		AppendTokenKey(&buf, t, i);

	/*
	 * a name in another romanisation is found by its English spelling's keys
	 * too, a Han name by its other readings'
	 */
	for (i = 0; t->respelled && i < t->count; i++)
		if (!SameCandidateKey(t, t->respelled, i))
			AppendTokenKey(&buf, t->respelled, i);

	/*
	 * a dictionary's many readings apart: each is one of many
	 * (key_similarity.c)
	 */
	for (r = t->reading; r; r = r->reading)
		for (i = 0; !r->syllables && i < r->count; i++)
			if (r->family_readings > 0)
				AppendReadingKey(&buf, r, i);
			else
				AppendTokenKey(&buf, r, i);

	/*
	 * and by the forms a spelling convention gives its tokens: "uthman" by
	 * "osman"
	 */
	for (i = 0; i < t->count; i++)
		AppendVariantKeys(&buf, t->token[i], t->len[i], i > 0);
	AppendJoinedKeys(&buf, t);

	/*
	 * a Hong Kong name by the pinyin its syllables may be, a pinyin name by
	 * its syllables (hong_kong.c)
	 */
	ScreenAppendHongKongKeys(&buf, t);

	/*
	 * a Western name in katakana by its keys read as Japanese writes alike
	 * (katakana.c)
	 */
	ScreenAppendKatakanaKeys(&buf, t);
	if (t->respelled && t->respelled->pinyin)
		AppendPinyinKeys(&buf, t->respelled);
	AppendNameSkeletonKeys(&buf, t, query);

	/*
	 * a Thai name's by its spelling's too (romanize_thai.c); a query's only
	 * those that find spellings, for each key more makes every name it shares
	 * one with less alike (ScreenKeySimilarity())
	 */
	if (t->respelled && t->respelled->skeletal)
		AppendSkeletonKeys(&buf, t->respelled, query ? SKELETON_LIST_PREFIX : SKELETON_QUERY_PREFIX, false);
	if (t->respelled && t->respelled->skeletal && SCREEN_SCRIPT_THAI_OR_KHMER(t->respelled->script))
		AppendSkeletonKeys(&buf, t->respelled, query ? SKELETON_THAI_LIST_PREFIX : SKELETON_THAI_QUERY_PREFIX, false);
	return buf.data;
}

/*
 * The candidate keys of a normalised name's tokens, company forms dropped,
 * with the name's other readings if it has any (cantonese.c, japanese.c,
 * from the name as given): what watchlist_names.phonetic holds, screen()'s second way to find
 * candidates, for spellings too far apart for trigrams ("moammar qadhafi"
 * and "muammar gaddafi" share few, but key alike).
 */
char *
ScreenPhoneticString(const char *normalized, const char *name)
{
	return ScreenKeysOf(ScreenWithReadings(ScreenTokenize(normalized, true), normalized, name), false);
}

PG_FUNCTION_INFO_V1(kyc_risk_phonetic_key);

/* SQL: kyc_risk.phonetic_key(name text) returns text: see ScreenPhoneticString. */
Datum
kyc_risk_phonetic_key(PG_FUNCTION_ARGS)
{
	char	   *name = ScreenCheckedName(fcinfo, 0, "name");

	PG_RETURN_TEXT_P(cstring_to_text(ScreenPhoneticString(ScreenNormalize(name, false), name)));
}
