/*
 * endings.c
 *		How two tokens end: a masculine and a feminine form of one name, one
 *		stem with different endings or surname suffixes, and what a shared
 *		surname suffix leaves to compare (token_score.c asks).
 *
 * Jaro-Winkler rewards a shared prefix, and a shared suffix pads a pair
 * too: "ivanov" and "ivanova", "petrov" and "petrovsky", "grigoryan" and
 * "gevorgyan" all score high on it, and each is two people.
 */
#include "name_core.h"

/* Whether tail is a feminine ending of a name ("a" of "ivanova", "aya" of "tolstaya"). */
static bool
FeminineTail(const char *tail, int len)
{
	return (len == 1 && tail[0] == 'a') ||
		(len == 2 && (memcmp(tail, "ya", 2) == 0 || memcmp(tail, "ia", 2) == 0 || memcmp(tail, "ne", 2) == 0 ||
					  memcmp(tail, "le", 2) == 0 || memcmp(tail, "ou", 2) == 0)) ||
		(len == 3 && (memcmp(tail, "aya", 3) == 0 || memcmp(tail, "aja", 3) == 0 ||
					  memcmp(tail, "iya", 3) == 0));
}

/* Whether tail is the masculine counterpart of a feminine one ("", "o", "iy"). */
static bool
MasculineTail(const char *tail, int len)
{
	return len == 0 ||
		(len == 1 && strchr("oiys", tail[0]) != NULL) ||
		(len == 2 && (memcmp(tail, "oy", 2) == 0 || memcmp(tail, "iy", 2) == 0 ||
					  memcmp(tail, "ij", 2) == 0 || memcmp(tail, "yi", 2) == 0 ||
					  memcmp(tail, "ii", 2) == 0 || memcmp(tail, "os", 2) == 0 ||
					  memcmp(tail, "us", 2) == 0));
}

/* Levenshtein distance of two short byte strings (at most 8 bytes each, else 9). */
static int
ShortDistance(const char *a, int alen, const char *b, int blen)
{
	int			d[9][9];
	int			i;
	int			j;

	if (alen > 8 || blen > 8)
		return 9;
	for (i = 0; i <= alen; i++)
		d[i][0] = i;
	for (j = 0; j <= blen; j++)
		d[0][j] = j;
	for (i = 1; i <= alen; i++)
		for (j = 1; j <= blen; j++)
			d[i][j] = Min(Min(d[i - 1][j] + 1, d[i][j - 1] + 1),
						  d[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
	return d[alen][blen];
}

/* The length of the common prefix of two tokens. */
int
ScreenCommonPrefix(const char *a, int alen, const char *b, int blen)
{
	int			p = 0;

	while (p < alen && p < blen && a[p] == b[p])
		p++;
	return p;
}

/*
 * Whether token longer is shorter (len bytes) and the "e" that French
 * writes on a masculine name ending in s or -al to make it feminine
 * ("louise", "denise", "pascale"); not after other endings, where an
 * Italian man's name ends so ("daniele", "simone") or French spelling
 * writes an Arabic name's -an or -in ("soufiane", "amine"), though
 * Christiane and Martine are women too.
 */
static bool
FrenchFeminineE(const char *shorter, int len, const char *longer)
{
	char		last = shorter[len - 1];
	char		before = shorter[len - 2];

	if (longer[len] != 'e' || memcmp(shorter, longer, len) != 0)
		return false;
	return last == 's' || (last == 'l' && before == 'a');
}

/*
 * Whether token longer is shorter (len bytes) with the k of the -ko that
 * ends a Japanese woman's name where a man's ends in -o, after a vowel
 * ("yukiko" and "yukio", "kazuko" and "kazuo"); not after a consonant,
 * where a Slavic name ends so ("marko").
 */
static bool
JapaneseFeminineKo(const char *shorter, int len, const char *longer)
{
	return shorter[len - 1] == 'o' && longer[len - 1] == 'k' && longer[len] == 'o' &&
		strchr("aeiu", shorter[len - 2]) != NULL && memcmp(shorter, longer, len - 1) == 0;
}

/*
 * Whether two tokens are the masculine and feminine forms of one name
 * ("ivanov" and "ivanova", "giovanni" and "giovanna", "daniel" and
 * "danielle", "louis" and "louise", "yukio" and "yukiko"): different
 * people, however alike.
 * Not "e" alone after other endings: Italian "daniele" is a man; nor
 * "-enka" and "-enko": the one surname in Belarusian and in Ukrainian or
 * Russian ("lukashenka", "lukashenko").
 */
bool
ScreenGenderForms(const char *a, int alen, const char *b, int blen)
{
	int			p = ScreenCommonPrefix(a, alen, b, blen);

	if (p < 3 || (p >= 4 && memcmp(a + p - 3, "enk", 3) == 0))
		return false;
	if (abs(alen - blen) == 1 && Min(alen, blen) >= 4 &&
		(FrenchFeminineE(alen < blen ? a : b, Min(alen, blen), alen < blen ? b : a) ||
		 JapaneseFeminineKo(alen < blen ? a : b, Min(alen, blen), alen < blen ? b : a)))
		return true;
	return (FeminineTail(a + p, alen - p) && MasculineTail(b + p, blen - p)) ||
		(FeminineTail(b + p, blen - p) && MasculineTail(a + p, alen - p));
}

/*
 * Slavic, Caucasian and Greek surname suffixes, by family (a Greek woman's
 * -ou with her father's -os, as lists write either): the spellings of one
 * suffix in different romanisations share a family, -ev's after a soft
 * consonant too ("vasilyev", "kovalyov": ё is written e).  And the second word
 * of Arabic compound names, "ad-Din" and "Allah", written onto the first
 * (Saifuddin, Nasrallah): it too says nothing of which name.
 */
#define SUFFIX(s, family) {s, sizeof(s) - 1, family}
static const struct
{
	const char *suffix;
	int			len;
	char		family;
}			surname_suffixes[] = {

	SUFFIX("enko", 'e'), SUFFIX("enka", 'e'), SUFFIX("chuk", 'c'), SUFFIX("czuk", 'c'),
	SUFFIX("yuk", 'u'), SUFFIX("iuk", 'u'), SUFFIX("juk", 'u'), SUFFIX("ovich", 'w'),
	SUFFIX("ovych", 'w'), SUFFIX("owicz", 'w'), SUFFIX("ovic", 'w'), SUFFIX("evich", 'x'),
	SUFFIX("evych", 'x'), SUFFIX("ewicz", 'x'), SUFFIX("skiy", 's'), SUFFIX("skyi", 's'),
	SUFFIX("skyy", 's'), SUFFIX("skij", 's'), SUFFIX("sky", 's'), SUFFIX("ski", 's'),
	SUFFIX("shvili", 'g'), SUFFIX("dze", 'd'), SUFFIX("yan", 'a'), SUFFIX("ian", 'a'),
	SUFFIX("ov", 'o'), SUFFIX("ow", 'o'), SUFFIX("off", 'o'), SUFFIX("ev", 'v'), SUFFIX("ew", 'v'),
	SUFFIX("yev", 'v'), SUFFIX("iev", 'v'), SUFFIX("yov", 'v'), SUFFIX("jew", 'v'),
	SUFFIX("in", 'i'), SUFFIX("yn", 'i'),
	SUFFIX("opoulos", 'p'), SUFFIX("opoulou", 'p'), SUFFIX("opulos", 'p'), SUFFIX("poulos", 'p'),
	SUFFIX("poulou", 'p'), SUFFIX("akis", 'k'), SUFFIX("akes", 'k'), SUFFIX("aki", 'k'),
	SUFFIX("akou", 'k'), SUFFIX("idis", 'j'), SUFFIX("ides", 'j'), SUFFIX("idou", 'j'),
	SUFFIX("iadis", 'j'), SUFFIX("iadou", 'j'),
	SUFFIX("uddin", 'D'), SUFFIX("uddeen", 'D'), SUFFIX("eddin", 'D'), SUFFIX("eddine", 'D'),
	SUFFIX("addin", 'D'), SUFFIX("iddin", 'D'), SUFFIX("udin", 'D'), SUFFIX("edin", 'D'),
	SUFFIX("aldin", 'D'), SUFFIX("eldin", 'D'), SUFFIX("uldin", 'D'), SUFFIX("aldeen", 'D'),
	SUFFIX("eddeen", 'D'), SUFFIX("uldeen", 'D'),
	SUFFIX("allah", 'A'), SUFFIX("ullah", 'A'), SUFFIX("ollah", 'A'), SUFFIX("ulla", 'A'),
	SUFFIX("alla", 'A'), SUFFIX("ulloh", 'A'), SUFFIX("illoh", 'A'), SUFFIX("olloh", 'A')
};

/* The family of the longest surname suffix token t ends with, leaving a stem of three letters; *stem its length. */
static char
SuffixFamily(const char *t, int len, int *stem)
{
	int			k;
	int			best = 0;
	char		family = 0;

	for (k = 0; k < lengthof(surname_suffixes); k++)
	{
		int			n = surname_suffixes[k].len;

		if (surname_suffixes[k].suffix[n - 1] == t[len - 1] && n > best && len - n >= 3 &&
			memcmp(t + len - n, surname_suffixes[k].suffix, n) == 0)
		{
			best = n;
			family = surname_suffixes[k].family;
		}
	}
	*stem = len - best;
	return family;
}

/* Whether family f is the second word of an Arabic compound name, written on. */
#define COMPOUND_FAMILY(f) ((f) == 'D' || (f) == 'A')

/*
 * Whether two tokens are one stem with two surname suffixes of different
 * families ("hnatyuk", "hnatenko"; "ivanov", "ivanin"): two families; or
 * one stem, with a compound's second word on one and another word on the
 * other ("shamsuddin", "shamshuda").
 */
static bool
DifferentSuffixes(const char *a, int alen, const char *b, int blen)
{
	int			sa;
	int			sb;
	char		fa = SuffixFamily(a, alen, &sa);
	char		fb = SuffixFamily(b, blen, &sb);

	if (COMPOUND_FAMILY(fa) && fb == 0)
		return blen >= sa + 2 && memcmp(a, b, sa) == 0;
	if (COMPOUND_FAMILY(fb) && fa == 0)
		return alen >= sb + 2 && memcmp(a, b, sb) == 0;
	return fa != 0 && fb != 0 && fa != fb && sa == sb && memcmp(a, b, sa) == 0;
}

/* Whether token t ends in a Slavic or Caucasian surname suffix after a stem of three letters ("huseynov"). */
bool
ScreenHasSurnameSuffix(const char *t, int len)
{
	int			stem;
	char		family = SuffixFamily(t, len, &stem);

	return family != 0 && !COMPOUND_FAMILY(family);
}

/*
 * Whether two tokens end in surname suffixes of one family, each after a
 * stem of three letters or more ("grigoryan", "gevorgyan"); their stems'
 * lengths into *sa and *sb.  The suffix says only where a name is from.
 */
bool
ScreenSameSuffixFamily(const char *a, int alen, const char *b, int blen, int *sa, int *sb)
{
	char		fa = SuffixFamily(a, alen, sa);

	return fa != 0 && SuffixFamily(b, blen, sb) == fa;
}

/*
 * Whether stems a and b are one typo apart or less: one edit, once "rn" is
 * read as the "m" it looks like ("usrnan", "usman"); not with more than 8 letters.
 */
bool
ScreenOneTypoApart(const char *a, int alen, const char *b, int blen)
{
	char		fa[8];
	char		fb[8];
	int			na = 0;
	int			nb = 0;
	int			i;

	if (alen > 8 || blen > 8)
		return false;
	for (i = 0; i < alen; i++)
		fa[na++] = (i + 1 < alen && a[i] == 'r' && a[i + 1] == 'n') ? (i++, 'm') : a[i];
	for (i = 0; i < blen; i++)
		fb[nb++] = (i + 1 < blen && b[i] == 'r' && b[i + 1] == 'n') ? (i++, 'm') : b[i];
	return ShortDistance(fa, na, fb, nb) <= 1;
}

/*
 * Whether two tokens are one stem with different endings ("petrov",
 * "petrovsky", "petrenko"), which Jaro-Winkler, rewarding the shared
 * prefix, would otherwise pair: all but the last two letters of the
 * shorter one are shared, and what follows differs by two edits or more,
 * a final y counting as i ("zawahry", "zawahiri" differ by one); or
 * one stem with two surname suffixes of different families
 * (DifferentSuffixes()).  A difference inside the name ("alexander",
 * "aleksandr") is not one.
 */
bool
ScreenDifferentEndings(const char *a, int alen, const char *b, int blen)
{
	int			p = ScreenCommonPrefix(a, alen, b, blen);
	char		ea[9];
	char		eb[9];

	if (p < 3)
		return false;			/* no stem in common */
	if (DifferentSuffixes(a, alen, b, blen))
		return true;
	if (p < Min(alen, blen) - 2)
		return false;
	if (alen - p > 8 || blen - p > 8)
		return true;
	/* a final y is the i it writes ("zawahry", "zawahiri") */
	memcpy(ea, a + p, alen - p);
	memcpy(eb, b + p, blen - p);
	if (alen > p && ea[alen - p - 1] == 'y')
		ea[alen - p - 1] = 'i';
	if (blen > p && eb[blen - p - 1] == 'y')
		eb[blen - p - 1] = 'i';
	return ShortDistance(ea, alen - p, eb, blen - p) >= SCREEN_ENDING_DISTANCE;
}
