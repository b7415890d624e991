/*
 * skeleton.c
 *		Consonant skeletons: comparing a name romanised from a script that
 *		writes few vowels with its usual Latin spelling.
 *
 * Arabic, Persian and Hebrew script write a name's consonants and, at
 * most, its long vowels, as alef, waw and yod or ya; romanize.c writes
 * those as consonants only ("mhmd", "msh", "ywsf"), and Khmer and Thai
 * consonants too.  Such a name (NameIsSkeletal() in tokens.c) has words without
 * vowels, which Latin-script names have not; its tokens are then also
 * compared with the other name's on their consonants:
 *
 *	- vowels (a e i o u) are left out at no cost;
 *	- w, y and an h that ends a syllable are weak, and so is, against a
 *	  Thai or Khmer skeleton, a spelling's r after a vowel (Units()): left
 *	  out at a small cost (more in a skeleton, where they are written long vowels), and
 *	  w pairs with an o, u or v, y with an i or e, as waw and yod stand
 *	  for either; the second of two vowels ("ei") is a long vowel, and
 *	  leaving it out costs too;
 *	- other consonants pair by the phonetic key's classes (phonetic.c),
 *	  close classes (d and z, which Arabic dad is in Persian; k and kh;
 *	  g and j; sh and ch; kh and ch, as Hebrew het is written) at half
 *	  cost; a consonant of the class of the one before it ("haddad") is
 *	  left out at a weak letter's cost, as Arabic script writes it once.
 *
 * The similarity is 1 minus the cheapest alignment's cost over the number
 * of consonants of the longer skeleton.  It is symmetric.
 */
#include "name_core.h"

/*
 * What leaving out costs: a weak letter of a spelling; one of a skeleton,
 * a long vowel the script writes; the second of two vowels of a spelling,
 * a long vowel that the skeleton should write.  And pairing close classes.
 */
#define WEAK_COST 0.2
#define WRITTEN_VOWEL_COST 0.4
#define LONG_VOWEL_COST 0.3
#define CLOSE_COST 0.5

/* Tokens of more than this many letters are not aligned; a letter makes two units at most (x). */
#define SKELETON_MAX_LEN 32
#define SKELETON_MAX_UNITS (2 * SKELETON_MAX_LEN)

/* A letter of a skeleton: its kind, and its consonant class or vowel. */
typedef enum
{
	UNIT_VOWEL,
	UNIT_WEAK,
	UNIT_CONSONANT
} UnitKind;

typedef struct
{
	UnitKind	kind;
	char		c;				/* the vowel, weak letter (w y h) or consonant
								 * class */
	bool		repeat;			/* a consonant of the class of the one before,
								 * vowels between; a vowel after a vowel */
} Unit;

/* A unit; not a compound literal, which pg_bsd_indent cannot parse. */
static inline Unit
MakeUnit(UnitKind kind, char c, bool repeat)
{
	Unit		unit;

	unit.kind = kind;
	unit.c = c;
	unit.repeat = repeat;
	return unit;
}

/* Whether a is a vowel letter. */
static bool
IsPlainVowel(char a)
{
	return a == 'a' || a == 'e' || a == 'i' || a == 'o' || a == 'u';
}

/*
 * Whether the r at s[i] of a spelling (len bytes) follows a vowel and comes
 * before a consonant or the end: a long vowel's mark in Thai and Khmer
 * names' spellings (Parn, Chalerm, Hor).  Units() and the candidate keys
 * (phonetic.c) read it alike.
 */
bool
ScreenLongVowelR(const char *s, int len, int i)
{
	return s[i] == 'r' && i > 0 && IsPlainVowel(s[i - 1]) && (i + 1 == len || !IsPlainVowel(s[i + 1]));
}

/* The class of consonant group s[i], step bytes long, against a Thai or Khmer skeleton: kh k, ph p; else cls. */
char
ScreenThaiAspirate(const char *s, int i, int step, char cls)
{
	return step == 2 && s[i + 1] == 'h' && (s[i] == 'k' || s[i] == 'p') ? s[i] : cls;
}

/* Whether the token is ASCII letters only, none of them a vowel (nor y, unless allow_y). */
bool
ScreenVowelless(const char *token, int len, bool allow_y)
{
	int			i;

	for (i = 0; i < len; i++)
		if (IsPlainVowel(token[i]) || !isalpha((unsigned char) token[i]) || (!allow_y && token[i] == 'y'))
			return false;
	return true;
}

/*
 * The units of a token, into units (at least 2 * len: x is two); returns how many.  In a
 * skeleton (skeletal), a weak letter is a written long vowel, and costs
 * more to leave out, and an r before n is weak (Thai names write a closing
 * ro "rn" or "n"); in a spelling, the second of two vowels ("ei", "ou")
 * is a long vowel, which a skeleton writes, and costs to leave out, and,
 * compared with a Thai or Khmer skeleton (script), an r after a vowel and
 * before a consonant or the end is weak: the mark of a long vowel, as
 * those names spell it (ปาน, Parn; เฉลิม, Chalerm; ហោ, Hor), but Thai
 * -orn, which writes ร (พร, Porn, not พล, Phon); and there,
 * on both sides, kh is k and ph p, aspirates their spellings write
 * either way (คง, Kong; ภูมิ, Phumi).
 */
static int
Units(const char *s, int len, bool skeletal, char script, Unit *units)
{
	bool		long_r = SCREEN_SCRIPT_THAI_OR_KHMER(script);
	int			n = 0;
	int			i = 0;
	char		last;

	while (i < len)
	{
		char		c = s[i];
		char		next = i + 1 < len ? s[i + 1] : '\0';
		int			step = 1;
		char		cls;

		if (IsPlainVowel(c))
		{
			bool		second = n > 0 && units[n - 1].kind == UNIT_VOWEL;

			units[n++] = MakeUnit(UNIT_VOWEL, c, second);
		}
		else if (c == 'w' || c == 'y' ||
				 (c == 'h' && (next == '\0' || (i > 0 && IsPlainVowel(s[i - 1]) && !IsPlainVowel(next)))) ||
				 (skeletal && c == 'r' && next == 'n') ||
				 (!skeletal && long_r && ScreenLongVowelR(s, len, i) &&
				  !(script == SCREEN_SCRIPT_THAI && s[i - 1] == 'o' && next == 'n')))
			units[n++] = MakeUnit(UNIT_WEAK, c, false);
		else
		{
			/*
			 * a Thai or Khmer skeleton's "sh" is s then h (สีห "shs",
			 * Sihasak): those scripts have no sh
			 */
			if (long_r && skeletal && c == 's' && next == 'h')
				cls = ScreenSkeletonClass(s, i + 1, i, skeletal, &step);
			else
				cls = ScreenSkeletonClass(s, len, i, skeletal, &step);

			/*
			 * Thai and Khmer aspirates: kh is k, ph p, as their names'
			 * spellings write them (Kongkaew, คง)
			 */
			if (long_r)
				cls = ScreenThaiAspirate(s, i, step, cls);
			if (cls == 'x')
			{
				units[n++] = MakeUnit(UNIT_CONSONANT, 'k', false);
				cls = 's';
			}
			if (cls == '-')
				cls = 'h';		/* an h the key calls silent, with a consonant
								 * after */

			/*
			 * Thai and Khmer h is no kin of k, as Hebrew het and Arabic kha
			 * are (CloseClasses())
			 */
			if (long_r && cls == 'h')
				cls = 'H';
			/* a doubled consonant ("ss", "shsh") counts once */
			if (cls != 0 &&
				!(n > 0 && units[n - 1].kind == UNIT_CONSONANT && units[n - 1].c == cls))
				units[n++] = MakeUnit(UNIT_CONSONANT, cls, false);
		}
		i += step;
	}
	/* Arabic script writes a doubled consonant once: "haddad" is "hdd" */
	for (i = 0, last = 0; i < n; i++)
		if (units[i].kind == UNIT_CONSONANT)
		{
			units[i].repeat = units[i].c == last;
			last = units[i].c;
		}
	return n;
}

/* What leaving out unit u of a skeleton (skeletal) or a spelling costs. */
static double
DropCost(Unit u, bool skeletal)
{
	switch (u.kind)
	{
		case UNIT_VOWEL:
			return u.repeat ? LONG_VOWEL_COST : 0.0;	/* repeat: the second of
														 * two */
		case UNIT_WEAK:
			return skeletal ? WRITTEN_VOWEL_COST : WEAK_COST;
		default:
			return u.repeat ? WEAK_COST : 1.0;
	}
}

/* Whether classes a and b are close (see the file comment). */
static bool
CloseClasses(char a, char b)
{
	static const char *const close[] = {"ts", "kh", "sj", "pf", "hj"};
	int			k;

	for (k = 0; k < lengthof(close); k++)
		if ((a == close[k][0] && b == close[k][1]) || (a == close[k][1] && b == close[k][0]))
			return true;
	return false;
}

/* Whether weak letter w stands for unit u (waw for o, u, v; yod for i, e; he for a, e). */
static bool
WeakPairs(char w, Unit u)
{
	if (u.kind == UNIT_WEAK)
		return u.c == w;
	if (w == 'w')
		return u.c == 'o' || u.c == 'u' || (u.kind == UNIT_CONSONANT && u.c == 'f');
	if (w == 'y')
		return u.c == 'i' || u.c == 'e';
	if (w == 'r')
		return u.kind == UNIT_CONSONANT && u.c == 'r';

	/*
	 * h ends a syllable: a consonant, or a final vowel a script writes with
	 * he or ha
	 */
	return (u.kind == UNIT_CONSONANT && (u.c == 'h' || u.c == 'H')) || u.c == 'a' || u.c == 'e';
}

/* What pairing a with b costs; more than dropping both when they cannot pair. */
static double
PairCost(Unit a, Unit b)
{
	if (a.kind == UNIT_CONSONANT && b.kind == UNIT_CONSONANT)
		return a.c == b.c ? 0.0 : CloseClasses(a.c, b.c) ? CLOSE_COST : 2.0;
	if (a.kind == UNIT_WEAK)
		return WeakPairs(a.c, b) ? 0.0 : 2.0;
	if (b.kind == UNIT_WEAK)
		return WeakPairs(b.c, a) ? 0.0 : 2.0;
	return (a.kind == UNIT_VOWEL && b.kind == UNIT_VOWEL) ? 0.0 : 2.0;
}

/* How many consonants the units have. */
static int
Consonants(const Unit *u, int n)
{
	int			count = 0;
	int			i;

	for (i = 0; i < n; i++)
		count += u[i].kind == UNIT_CONSONANT;
	return count;
}

/*
 * How many long vowels a spelling writes as "ei" or "ey" (Hossein, Zeinab,
 * Meir), which Arabic, Persian and Hebrew script write with yod or ya.  Not
 * other pairs: Thai and Khmer, whose skeletons are romanised too, write
 * "ee", "ai" and "ou" as marks the skeleton leaves out ("Boonmee", ไ).
 */
static int
LongVowels(const Unit *u, int n)
{
	int			count = 0;
	int			i;

	for (i = 1; i < n; i++)
		if (u[i - 1].kind == UNIT_VOWEL && u[i - 1].c == 'e' &&
			((u[i].kind == UNIT_VOWEL && u[i].c == 'i') || (u[i].kind == UNIT_WEAK && u[i].c == 'y')))
			count++;
	return count;
}

/* How many long vowels a skeleton writes: a yod or waw after its first letter. */
static int
WrittenVowels(const Unit *u, int n)
{
	int			count = 0;
	int			i;

	for (i = 1; i < n; i++)
		count += u[i].kind == UNIT_WEAK && (u[i].c == 'y' || u[i].c == 'w');
	return count;
}

/*
 * Whether unit k of a skeleton's n is a yod or waw after its first letter,
 * with one consonant after it at most, that a spelling (its units other,
 * n_other of them) leaves out: not a final ya when the spelling ends in
 * a, which Persian and Egyptian script write as ی or ي for alif maqsura
 * (موسی, Musa; مصطفي, Mostafa), nor a final waw, which Amr writes silent
 * (عمرو).
 */
static bool
FinalLongVowel(const Unit *u, int n, int k, const Unit *other, int n_other)
{
	if (k == n - 1 && u[k].c == 'y' && n_other > 0 && other[n_other - 1].kind == UNIT_VOWEL &&
		other[n_other - 1].c == 'a')
		return false;
	return k > 0 && u[k].kind == UNIT_WEAK &&
		((u[k].c == 'y' && k == n - 1) ||
		 ((u[k].c == 'y' || u[k].c == 'w') && k == n - 2 && u[n - 1].kind == UNIT_CONSONANT));
}

/*
 * Whether the cheapest alignment d of units a and b leaves out a long vowel
 * that the skeleton (a if a_skeletal, else b) writes as yod, ya or waw in
 * its last syllable (FinalLongVowel()): the spelling writes no vowel there,
 * so it is another name (Mansour is not منصوري, Mansouri; Hamad is not
 * حمود, Hamoud).  Earlier in a word, a yod may be a spelling's j (בנימין,
 * Benjamin) or one of two (رضایی, Rezai).  Where leaving out and pairing
 * cost alike, the pairing is taken.
 */
static bool
WrittenVowelLeftOut(double d[][SKELETON_MAX_UNITS + 1], const Unit *a, int na, const Unit *b, int nb,
					bool a_skeletal)
{
	int			i = na;
	int			j = nb;

	while (i > 0 || j > 0)
	{
		if (i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + PairCost(a[i - 1], b[j - 1]))
		{
			i--;
			j--;
		}
		else if (i > 0 && d[i][j] == d[i - 1][j] + DropCost(a[i - 1], a_skeletal))
		{
			if (a_skeletal && FinalLongVowel(a, na, i - 1, b, nb))
				return true;
			i--;
		}
		else if (j > 0)
		{
			if (!a_skeletal && FinalLongVowel(b, nb, j - 1, a, na))
				return true;
			j--;
		}
		else
			break;				/* no step matched: the forward pass's sums
								 * differ (x87) */
	}
	return false;
}

/*
 * Whether ScreenSkeletonSimilarity() could find that two tokens' long vowels
 * make them different names: the skeleton writes a yod or waw, or the
 * spelling an "ei" or "ey".  Most pairs have neither, and skip its cost.
 */
bool
ScreenLongVowelsMayDiffer(const char *a, int alen, bool askel, const char *b, int blen, bool bskel)
{
	const char *skel = askel ? a : b;
	int			slen = askel ? alen : blen;
	const char *spelling = askel ? b : a;
	int			plen = askel ? blen : alen;

	if (askel == bskel)
		return false;
	return memchr(skel, 'y', slen) != NULL || memchr(skel, 'w', slen) != NULL ||
		ScreenContains(spelling, plen, "ei") || ScreenContains(spelling, plen, "ey");
}

/*
 * The skeleton similarity of two tokens in [0, 1] (file comment); 0 without
 * consonants.  script: the skeleton's, if Thai or Khmer (Units()), else 0.
 * *another_name is set when a spelling writes more long vowels
 * than the skeleton it is compared with: Hossein is not حسن (Hassan), as
 * Hussein is not Hassan in glide.c; or fewer (WrittenVowelLeftOut()).
 */
double
ScreenSkeletonSimilarity(const char *a, int alen, bool askel, const char *b, int blen, bool bskel,
						 char script, bool *another_name)
{
	Unit		ua[SKELETON_MAX_UNITS];
	Unit		ub[SKELETON_MAX_UNITS];
	double		d[SKELETON_MAX_UNITS + 1][SKELETON_MAX_UNITS + 1];
	int			na;
	int			nb;
	int			most;
	int			i;
	int			j;

	*another_name = false;
	if (alen > SKELETON_MAX_LEN || blen > SKELETON_MAX_LEN)
		return 0.0;
	na = Units(a, alen, askel, script, ua);
	nb = Units(b, blen, bskel, script, ub);
	most = Max(Consonants(ua, na), Consonants(ub, nb));
	if (most == 0 || Min(Consonants(ua, na), Consonants(ub, nb)) == 0)
		return 0.0;
	*another_name = askel != bskel &&
		(askel ? LongVowels(ub, nb) > WrittenVowels(ua, na) : LongVowels(ua, na) > WrittenVowels(ub, nb));
	d[0][0] = 0;
	for (i = 1; i <= na; i++)
		d[i][0] = d[i - 1][0] + DropCost(ua[i - 1], askel);
	for (j = 1; j <= nb; j++)
		d[0][j] = d[0][j - 1] + DropCost(ub[j - 1], bskel);
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++)
		{
			double		best = d[i - 1][j - 1] + PairCost(ua[i - 1], ub[j - 1]);

			best = Min(best, d[i - 1][j] + DropCost(ua[i - 1], askel));
			best = Min(best, d[i][j - 1] + DropCost(ub[j - 1], bskel));
			d[i][j] = best;
		}
	if (!*another_name)
		*another_name = askel != bskel &&
			(askel ? WrittenVowelLeftOut(d, ua, na, ub, nb, true) : WrittenVowelLeftOut(d, ua, na, ub, nb, false));
	return Max(0.0, 1.0 - d[na][nb] / most);
}
