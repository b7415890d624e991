/*
 * romanize_thai.c
 *		Thai names in Latin letters, two ways, as romanize.c calls for a
 *		run of Thai.
 *
 * ICU writes ISO 11940 ("thuexk"), while lists follow RTGS or the spelling
 * a family chose, whose vowels no rule recovers from the script.  So a run
 * is written as its consonants only, and skeleton.c compares such a token
 * with a spelling's consonants.
 *
 * As said (ScreenRomanizeThai()): a consonant closing a syllable with its
 * final sound (ล: n; จ, ส: t; ร: "rn", as names write it "porn" where RTGS
 * has "phon"), a silenced one (under ์) left out, a doubled one once, ho
 * nam (ห leading a sonorant) left out, and พ as the p it is, not RTGS's ph.
 *
 * As spelled (ScreenSpellThai()), the name's other reading: many families
 * spell their name letter by letter, as its Pali or Sanskrit source is,
 * silent letters included: ชินวัตร is "Shinawatra", said chinnawat;
 * กิตติขจร "Kittikachorn", said kittikhachon; ศิลปอาชา "Silpa-archa".  Here
 * every consonant is its letter's first sound, wherever it stands, and
 * the silenced ones are kept.
 */
#include "name_core.h"

#include "lib/stringinfo.h"

#include <unicode/uchar.h>

/* Thai consonants U+0E01..U+0E2E in RTGS: starting a syllable, and closing one ("" for อ). */
static const char *const thai_initial[] = {
	"k", "kh", "kh", "kh", "kh", "kh", "ng", "ch", "ch", "ch", "s", "ch", "y", "d", "t", "th",
	"th", "th", "n", "d", "t", "th", "th", "th", "n", "b", "p", "p", "f", "p", "f", "p", "m",
	"y", "r", "rue", "l", "lue", "w", "s", "s", "s", "h", "l", "", "h"
};
static const char *const thai_final[] = {
	"k", "k", "k", "k", "k", "k", "ng", "t", "t", "t", "t", "t", "n", "t", "t", "t",
	"t", "t", "n", "t", "t", "t", "t", "t", "n", "p", "p", "p", "p", "p", "p", "p", "m",
	"y", "rn", "rue", "n", "lue", "w", "t", "t", "t", "h", "n", "", "h"
};

#define THAI_RO 0x0E23
#define THAI_LO 0x0E25
#define THAI_WO 0x0E27
#define THAI_PHO_PHAN 0x0E1E
#define THAI_O_ANG 0x0E2D
#define THAI_SARA_AM 0x0E33
#define THAI_HO_HIP 0x0E2B
#define THAI_THANTHAKHAT 0x0E4C
#define IS_THAI_CONSONANT(c) ((c) >= 0x0E01 && (c) <= 0x0E2E)
#define IS_THAI_LEADING_VOWEL(c) ((c) >= 0x0E40 && (c) <= 0x0E44)
#define IS_THAI_TONE(c) ((c) >= 0x0E47 && (c) <= 0x0E4B)
#define IS_THAI_VOWEL_SIGN(c) ((c) >= 0x0E30 && (c) <= 0x0E3A)

/* The index of the next letter after i in u[.., to) that is not a tone mark. */
static int32_t
NextThai(const UChar *u, int32_t i, int32_t to)
{
	i++;
	while (i < to && IS_THAI_TONE(u[i]))
		i++;
	return i;
}

/*
 * Whether the Thai consonant at i closes its syllable: it follows a vowel
 * or a consonant of its syllable, and a consonant or the word's end comes
 * next, but not as the second of a cluster (ร, ล, ว before a vowel).
 */
static bool
ThaiFinal(const UChar *u, int32_t i, int32_t from, int32_t to)
{
	int32_t		next = NextThai(u, i, to);

	if (i == from || IS_THAI_LEADING_VOWEL(u[i - 1]))
		return false;
	if (next >= to)
		return true;

	/*
	 * after a vowel sign, before a vowel that starts the next syllable
	 * (บุญเรือง: ญ closes บุญ)
	 */
	if (IS_THAI_LEADING_VOWEL(u[next]))
		return IS_THAI_VOWEL_SIGN(u[i - 1]);
	if (!IS_THAI_CONSONANT(u[next]))
		return false;

	/*
	 * after a consonant, before o ang that a consonant or the word's end
	 * follows, it starts a syllable of vowel o (ชอบ)
	 */
	if (u[next] == THAI_O_ANG && IS_THAI_CONSONANT(u[i - 1]) &&
		(NextThai(u, next, to) >= to || IS_THAI_CONSONANT(u[NextThai(u, next, to)])))
		return false;
	if (u[next] == THAI_RO || u[next] == THAI_LO || u[next] == THAI_WO)
	{
		int32_t		after = NextThai(u, next, to);

		/*
		 * after a consonant, before a ro that ends the word, it starts a
		 * syllable that ro closes (ขจร, khachon)
		 */
		if (u[next] == THAI_RO && after >= to && IS_THAI_CONSONANT(u[i - 1]))
			return false;

		return !(after < to && !IS_THAI_CONSONANT(u[after]) && !IS_THAI_LEADING_VOWEL(u[after]));
	}
	return true;
}

/* Whether Thai consonant c is a sonorant that ho nam (ห) may lead: ง ญ น ม ย ร ล ว. */
static bool
ThaiSonorant(UChar c)
{
	return c == 0x0E07 || c == 0x0E0D || c == 0x0E19 || c == 0x0E21 || c == 0x0E22 ||
		c == THAI_RO || c == THAI_LO || c == THAI_WO;
}

/*
 * Whether ห at i leads the sonorant after it (ho nam), silent: not before
 * a wo that is the vowel ua, a consonant after it (หวน is huan).
 */
static bool
HoNam(const UChar *u, int32_t i, int32_t to)
{
	int32_t		next = NextThai(u, i, to);

	if (next >= to || !ThaiSonorant(u[next]))
		return false;
	return !(u[next] == THAI_WO && NextThai(u, next, to) < to && IS_THAI_CONSONANT(u[NextThai(u, next, to)]));
}

/* Whether the Thai letter before i, tone marks skipped, is mai han-akat (ั), a short a that a consonant must close. */
static bool
AfterHanAkat(const UChar *u, int32_t i, int32_t from)
{
	while (--i >= from && IS_THAI_TONE(u[i]))
		;
	return i >= from && u[i] == 0x0E31;
}

/*
 * Append the Thai run u[from, to), one word, as its consonants.  A syllable
 * closes with one consonant: one right after the consonant that closes a
 * mai han-akat's syllable (ั), before a silenced letter, is silent too
 * (ลักษณ์ is "lk", lak; จันทร์ "chn", chan).  Not after one that ThaiFinal()
 * only guesses closes a syllable: สมพงษ์ is "smpng", Somphong, and อนุพงษ์
 * "nphng", Anuphong.
 */
void
ScreenRomanizeThai(StringInfo out, const UChar *u, int32_t from, int32_t to)
{
	int			last = -1;		/* where the last consonant starts in out */
	bool		last_final = false; /* it closes a mai han-akat's syllable */
	int			after_final = -1;	/* where it starts, if it comes right
									 * after one that closes a syllable */
	int			before = -1;	/* after_final of the consonant right before
								 * it */
	int32_t		i;

	for (i = from; i < to; i++)
	{
		UChar		c = u[i];

		if (c == THAI_RO && i + 1 < to && u[i + 1] == THAI_RO)
		{
			last = out->len;
			last_final = true;
			before = after_final = -1;
			appendStringInfoChar(out, 'n'); /* ro han: "an" */
			i++;
		}
		else if (c == THAI_HO_HIP && !ThaiFinal(u, i, from, to) && HoNam(u, i, to))
			continue;			/* ho nam: a silent h that gives the sonorant
								 * after it its tone */
		else if (IS_THAI_CONSONANT(c))
		{
			bool		final = ThaiFinal(u, i, from, to);

			/*
			 * a letter doubled across syllables is written once, as names
			 * spell it (เวชชา "vejja")
			 */
			if (final && NextThai(u, i, to) < to && u[NextThai(u, i, to)] == c)
				continue;

			/*
			 * ro closing a syllable after a short vowel and consonant is
			 * silent ("mitr" is mit), but in พร, porn
			 */
			if (final && c == THAI_RO && IS_THAI_CONSONANT(u[i - 1]) && u[i - 1] != THAI_PHO_PHAN && i - 2 >= from &&
				(u[i - 2] == 0x0E31 || u[i - 2] == 0x0E34 || u[i - 2] == 0x0E38))
				continue;
			before = i > from && IS_THAI_CONSONANT(u[i - 1]) ? after_final : -1;
			after_final = last_final && i > from && IS_THAI_CONSONANT(u[i - 1]) ? out->len : -1;
			last = out->len;
			last_final = final && AfterHanAkat(u, i, from);
			appendStringInfoString(out, final ? thai_final[c - 0x0E01] : thai_initial[c - 0x0E01]);
		}
		else if (c == THAI_SARA_AM)
			appendStringInfoChar(out, 'm'); /* sara am */
		else if (c == THAI_THANTHAKHAT && last >= 0)
		{
			/*
			 * the consonant it marks is silent, and one right before it that
			 * follows a closing one
			 */
			out->len = before >= 0 ? before : last;
			out->data[out->len] = '\0';
			last = before = after_final = -1;
			last_final = false;
		}
		else if (c >= 0x0E50 && c <= 0x0E59)
			appendStringInfoChar(out, '0' + (c - 0x0E50));
	}
}

/* Thai consonants U+0E01..U+0E2E as spelled (see the file comment): the first sound, ฤ and ฦ r and l. */
static const char *const thai_spelled[] = {
	"k", "kh", "kh", "kh", "kh", "kh", "ng", "ch", "ch", "ch", "s", "ch", "y", "d", "t", "th",
	"th", "th", "n", "d", "t", "th", "th", "th", "n", "b", "p", "p", "f", "p", "f", "p", "m",
	"y", "r", "r", "l", "l", "w", "s", "s", "s", "h", "l", "", "h"
};

/*
 * Append the Thai run u[from, to), one word, as spelled: each consonant
 * its first sound, silenced ones too, but ho nam (ห leading a sonorant)
 * and ro han (รร, "an") as said.
 */
void
ScreenSpellThai(StringInfo out, const UChar *u, int32_t from, int32_t to)
{
	int32_t		i;

	for (i = from; i < to; i++)
	{
		UChar		c = u[i];

		if (c == THAI_RO && i + 1 < to && u[i + 1] == THAI_RO)
		{
			appendStringInfoChar(out, 'n');
			i++;
		}
		else if (c == THAI_HO_HIP && !ThaiFinal(u, i, from, to) && HoNam(u, i, to))
			continue;
		else if (IS_THAI_CONSONANT(c))
			appendStringInfoString(out, thai_spelled[c - 0x0E01]);
		else if (c == THAI_SARA_AM)
			appendStringInfoChar(out, 'm');
		else if (c >= 0x0E50 && c <= 0x0E59)
			appendStringInfoChar(out, '0' + (c - 0x0E50));
	}
}
