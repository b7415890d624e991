/*
 * glide.c
 *		Whether two spellings with one phonetic key differ in a long i or
 *		ay glide that one writes and the other has not: different names.
 *
 * The phonetic key drops vowels, so that Arabic-origin names key alike
 * however their vowels are spelled ("husayn", "hussein", "husain").  But
 * Arabic script writes a long i or an ay with ya, and a name with ya is
 * another name: Hussein (husayn) is not Hassan, Sulayman is not Salman,
 * and the -i that makes a name of origin (nisba) makes another name:
 * Nasri is not Nasser, Qasimi is not Qasim, Hamdi is not Hamid.
 *
 * So each token is read as its consonants (the key's classes) and the
 * vowels around them, in slots: before the first consonant, between two,
 * after the last.  A slot is
 *	- a glide: it has a y ("ay", "iya"), an "ai", "ei" or "ee", or it is a
 *	  final "i" ("nasri"): spellings of ya;
 *	- plain: no vowel, or a's only ("salman", "hassan"): no ya;
 *	- open: any other vowels, an i or e that may be short or long.
 * A token romanised from a script that writes no vowels ("bnm" for Thai
 * บุญมี) has open slots where it has none; a y it writes is a glide, as
 * Arabic script writes ya ("mnswry").  Two tokens with the same consonants
 * differ in a glide when a slot is a glide in one and plain in the other.  Open slots never differ: "karim"
 * and "kareem", "hamid" and "hameed" stay one name.
 */
#include "name_core.h"

/* Tokens longer than this are not read (none of the names it tells apart is). */
#define GLIDE_MAX_LEN SCREEN_GLIDE_MAX_LEN

typedef enum
{
	SLOT_PLAIN,
	SLOT_OPEN,
	SLOT_GLIDE
} SlotKind;

/* A token read as consonant classes and the slots around them. */
typedef struct
{
	int			nconsonants;
	char		consonant[GLIDE_MAX_LEN];
	SlotKind	slot[GLIDE_MAX_LEN + 1];
} GlideReading;

/*
 * The kind of a slot's vowels v (len bytes); final: the slot after the last
 * consonant; skeletal: the token writes no vowels (Thai and Khmer, romanised,
 * write none even where the name has one).
 */
static SlotKind
SlotKindOf(const char *v, int len, bool final, bool skeletal)
{
	int			i;
	bool		only_a = true;

	if (len == 0 && skeletal)
		return SLOT_OPEN;
	for (i = 0; i < len; i++)
	{
		if (v[i] == 'y')
			return SLOT_GLIDE;
		if (i + 1 < len && (v[i] == 'a' || v[i] == 'e' || v[i] == 'i') &&
			((v[i] == 'e' && v[i + 1] == 'e') || (v[i] != 'i' && v[i + 1] == 'i')))
			return SLOT_GLIDE;	/* "ee", "ai", "ei" */
		only_a &= v[i] == 'a';
	}
	if (final && len == 1 && v[0] == 'i')
		return SLOT_GLIDE;
	return only_a ? SLOT_PLAIN : SLOT_OPEN;
}

/* Read token s (len bytes) into r; false if it is too long or not letters. */
static bool
ReadGlides(const char *s, int len, GlideReading *r)
{
	char		vowels[GLIDE_MAX_LEN];
	int			nv = 0;
	int			i = 0;
	bool		skeletal;

	if (len > GLIDE_MAX_LEN)
		return false;
	skeletal = ScreenVowelless(s, len, true);
	r->nconsonants = 0;
	while (i < len)
	{
		int			step = 1;
		char		cls;

		if (!isalpha((unsigned char) s[i]))
			return false;

		/*
		 * y that starts a syllable is a consonant ("yusuf", "maryam" is "mar"
		 * "yam")
		 */
		if (s[i] == 'y' && (i == 0 || !ScreenIsVowel(s[i - 1])) && i + 1 < len && ScreenIsVowel(s[i + 1]) &&
			s[i + 1] != 'y')
			cls = 'y';
		else
			cls = ScreenIsVowel(s[i]) ? 0 : ScreenConsonantClass(s, len, i, &step);
		if (cls == 0 || cls == '-')
		{
			/*
			 * a vowel; a silent h or a w between consonants (read as a vowel)
			 * adds none
			 */
			if (ScreenIsVowel(s[i]))
				vowels[nv++] = s[i];
			else if (s[i] == 'w')
				vowels[nv++] = 'u';
		}
		else if (!(nv == 0 && r->nconsonants > 0 && r->consonant[r->nconsonants - 1] == cls))
		{
			/* a consonant, unless it doubles the one before ("hassan") */
			r->slot[r->nconsonants] = SlotKindOf(vowels, nv, false, skeletal);
			r->consonant[r->nconsonants++] = cls;
			nv = 0;
		}
		i += step;
	}
	r->slot[r->nconsonants] = SlotKindOf(vowels, nv, true, skeletal);
	return r->nconsonants > 0;
}

/* Whether tokens a and b have the same consonants and a slot that is a glide in one, plain in the other. */
bool
ScreenGlidesDiffer(const char *a, int alen, const char *b, int blen)
{
	GlideReading ra;
	GlideReading rb;
	int			k;

	if (!ReadGlides(a, alen, &ra) || !ReadGlides(b, blen, &rb) ||
		ra.nconsonants != rb.nconsonants ||
		memcmp(ra.consonant, rb.consonant, ra.nconsonants) != 0)
		return false;
	for (k = 0; k <= ra.nconsonants; k++)
		if ((ra.slot[k] == SLOT_GLIDE && rb.slot[k] == SLOT_PLAIN) ||
			(ra.slot[k] == SLOT_PLAIN && rb.slot[k] == SLOT_GLIDE))
			return true;
	return false;
}

/*
 * Token s (len bytes, GLIDE_MAX_LEN at most) into out with each diphthong
 * before a consonant or at its end written one way: ay for ai, ei and ey,
 * aw for au and ou (not English ow: Brown, Brawn); whether s wrote one as
 * ay or aw itself.
 */
static bool
Diphthongs(const char *s, int len, char *out)
{
	bool		scholarly = false;
	int			i;
	int			n = 0;

	for (i = 0; i < len; i++)
	{
		bool		closed = i + 2 == len || (i + 2 < len && !ScreenIsVowel(s[i + 2]));

		if (i + 1 < len && closed && strchr("ae", s[i]) && strchr("iy", s[i + 1]))
		{
			scholarly |= s[i] == 'a' && s[i + 1] == 'y';
			out[n++] = 'a';
			out[n++] = 'y';
			i++;
		}
		else if (i + 1 < len && closed && ((s[i] == 'a' && strchr("uw", s[i + 1])) || (s[i] == 'o' && s[i + 1] == 'u')))
		{
			scholarly |= s[i] == 'a' && s[i + 1] == 'w';
			out[n++] = 'a';
			out[n++] = 'w';
			i++;
		}
		else
			out[n++] = s[i];
	}
	return scholarly;
}

/* How many positions of a and b, len bytes each, differ. */
static int
Differences(const char *a, const char *b, int len)
{
	int			n = 0;
	int			i;

	for (i = 0; i < len; i++)
		n += a[i] != b[i];
	return n;
}

/*
 * Whether two tokens may be one Arabic-origin name whose ay or aw diphthong
 * they spell two ways, one of them as a transliteration writes it, ay or
 * aw: Dayf and Deif, Zayd and Zeid, Jawlani and Joulani (not Neil and
 * Nail, neither of which writes ay); tokens of four letters or more, not
 * pinyin (the review paired Mei with May, Lou with Law).  Each with its
 * diphthongs written one way goes to ca and cb (GLIDE_MAX_LEN bytes, not
 * terminated), which are alike, or one letter apart, that another
 * convention may account for (Aulaqi and Awlaki: q and k).
 */
bool
ScreenDiphthongSpellings(const char *a, int alen, const char *b, int blen, char *ca, char *cb)
{
	bool		scholarly;

	/*
	 * short tokens are names of their own (Kei, Kay), and so are pinyin's
	 * syllables (mei, lou)
	 */
	if (alen != blen || alen < 4 || alen > GLIDE_MAX_LEN || memcmp(a, b, alen) == 0)
		return false;
	scholarly = Diphthongs(a, alen, ca);
	scholarly |= Diphthongs(b, blen, cb);

	/*
	 * the pinyin test last: scoring asks this of most token pairs, and few
	 * get this far
	 */
	return scholarly && Differences(ca, cb, alen) <= 1 && Differences(ca, cb, alen) < Differences(a, b, alen) &&
		!ScreenIsPinyin(a, alen) && !ScreenIsPinyin(b, blen);
}
