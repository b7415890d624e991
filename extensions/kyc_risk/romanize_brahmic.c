/*
 * romanize_brahmic.c
 *		Devanagari and Khmer names in Latin letters, as romanize.c calls
 *		for a run of one of these scripts (Thai: romanize_thai.c); Bengali, Gurmukhi,
 *		Gujarati and Oriya as the Devanagari they map to letter by letter.
 *
 * Devanagari: ICU writes every consonant with its inherent a ("ramesa
 * prasada"), where Hindi and Nepali names drop it at a word's end
 * ("Ramesh Prasad"), and ISO 15919's s-acute and c where lists write sh
 * and ch.  Here each letter is written as lists spell it, the inherent a
 * only where a vowel follows in the word, or at its end after a cluster
 * that no Hindi word ends in (KeepsFinalA()); a consonant with a nukta as
 * the Perso-Arabic sound it writes (ज़ z, फ़ f).
 *
 * Khmer: ICU writes nothing, while lists follow UNGEGN, whose vowels no
 * rule recovers from the script.  Here a run is written as its consonants
 * and weak letters (khmer_vowel_letters), which skeleton.c compares with a
 * spelling's consonants, as it does Thai; a few consonants as their
 * neighbours make them sound (KhmerConsonantInContext()).
 */
#include "name_core.h"

#include "lib/stringinfo.h"

#include <unicode/uchar.h>

/* Devanagari consonants U+0915..U+0939, as lists spell them. */
static const char *const devanagari_consonants[] = {
	"k", "kh", "g", "gh", "ng", "ch", "chh", "j", "jh", "ny", "t", "th", "d", "dh", "n",
	"t", "th", "d", "dh", "n", "n", "p", "ph", "b", "bh", "m", "y", "r", "r", "l", "l", "l",
	"v", "sh", "sh", "s", "h"
};

/* Devanagari independent vowels U+0904..U+0914 and vowel signs U+093E..U+094C. */
static const char *const devanagari_vowels[] = {
	"e", "a", "a", "i", "i", "u", "u", "ri", "l", "e", "e", "e", "ai", "o", "o", "o", "au"
};
static const char *const devanagari_signs[] = {
	"a", "i", "i", "u", "u", "ri", "ri", "e", "e", "e", "ai", "o", "o", "o", "au"
};

#define DEVANAGARI_VIRAMA 0x094D
#define DEVANAGARI_NUKTA 0x093C
#define DEVANAGARI_JA 0x091C
#define DEVANAGARI_NYA 0x091E
#define DEVANAGARI_HA 0x0939
#define BENGALI_JA 0x099C
#define BENGALI_PHA 0x09AB
#define BENGALI_VIRAMA 0x09CD
#define BENGALI_NYA 0x099E

/* Whether c is a Devanagari consonant; a vowel sign (which replaces the inherent a). */
#define IS_DEVANAGARI_CONSONANT(c) ((c) >= 0x0915 && (c) <= 0x0939)
#define IS_DEVANAGARI_SIGN(c) (((c) >= 0x093E && (c) <= 0x094C) || (c) == DEVANAGARI_VIRAMA)

/*
 * Consonant c with a nukta, as lists spell it (क़ q, ज़ z, फ़ f; ड़ and ढ़ r
 * and rh within a word, Barjatya, Garhwal), or NULL for the plain one: ड़
 * and ढ़ at a word's end, which names write d and dh (राठौड़, Rathod).
 */
static const char *
NuktaConsonant(UChar c, bool word_end)
{
	if (word_end && (c == 0x0921 || c == 0x0922))
		return NULL;
	switch (c)
	{
		case 0x0921:
			return "r";
		case 0x0922:
			return "rh";
		case 0x0915:
			return "q";
		case 0x0916:
			return "kh";
		case 0x0917:
			return "gh";
		case 0x091C:
			return "z";
		case 0x092B:
			return "f";
		default:
			return NULL;
	}
}

/*
 * Whether a word that ends in consonant u[i], the last of a cluster
 * (a virama before it), keeps its inherent a, as lists write it: after a
 * cluster that ends in y, r, l, v, n, ṇ or m (Aditya, Chandra, Shukla,
 * Krishna, Purna, Dharma), or in pt or kt (Gupta, Bhakta), which no Hindi
 * word ends in.  Other clusters drop it as single consonants do:
 * Siddharth, Arvind, Prashant, Bhatt.
 */
static bool
KeepsFinalA(const UChar *u, int32_t i, int32_t from)
{
	UChar		c = u[i];

	if (i - 2 < from || u[i - 1] != DEVANAGARI_VIRAMA || !IS_DEVANAGARI_CONSONANT(u[i - 2]))
		return false;
	if (c == 0x092F || c == 0x0930 || c == 0x0932 || c == 0x0935 || c == 0x0928 || c == 0x0923 ||
		c == 0x092E || c == DEVANAGARI_NYA)
		return true;
	return c == 0x0924 && (u[i - 2] == 0x092A || u[i - 2] == 0x0915);
}

/* The unit after consonant u[i] and its nuktas, within to. */
static int32_t
AfterConsonant(const UChar *u, int32_t i, int32_t to)
{
	for (i++; i < to && u[i] == DEVANAGARI_NUKTA; i++)
		;
	return i;
}

/* Whether u[i] is a vowel: an independent one, or a vowel sign. */
#define IS_DEVANAGARI_VOWEL(c) (((c) >= 0x0904 && (c) <= 0x0914) || ((c) >= 0x093E && (c) <= 0x094C))

/*
 * Which consonants of the word u[from, to) keep their inherent a, into
 * keep[i - from]: those no sign or virama follows, at the word's end only
 * after such a cluster (KeepsFinalA()), and not where Hindi, Bengali and
 * Punjabi drop it inside a word, between a vowel and the consonant, and a
 * consonant with a vowel (schwa deletion, right to left, after Ohala):
 * अरविन्द "arvind", ইসলাম "islam", भगवंत "bhagvant"; not "kamal", whose l
 * has no vowel, nor "sanjay", whose j follows an anusvara.  As spelled, a
 * word keeps it at its end after any cluster too (खड्ग "khadga", प्रचण्ड
 * "prachanda"), but not after a single consonant, where a final a is more
 * often a feminine name's (अमित is Amit, not Amita).
 */
static void
InherentVowels(const UChar *u, int32_t from, int32_t to, bool spelled, bool *keep)
{
	int32_t		i;

	for (i = from; i < to; i++)
		if (IS_DEVANAGARI_CONSONANT(u[i]))
		{
			int32_t		next = AfterConsonant(u, i, to);

			keep[i - from] = next < to ? !IS_DEVANAGARI_SIGN(u[next]) :
				spelled ? u[i] != DEVANAGARI_HA && i > from && u[i - 1] == DEVANAGARI_VIRAMA : KeepsFinalA(u, i, from);
		}
	for (i = to - 1; i > from; i--)
	{
		int32_t		next;
		int32_t		before = i - 1;
		bool		vowel_before;
		bool		vowel_after;

		if (!IS_DEVANAGARI_CONSONANT(u[i]) || !keep[i - from] || (next = AfterConsonant(u, i, to)) >= to ||
			!IS_DEVANAGARI_CONSONANT(u[next]))
			continue;
		while (before > from && u[before] == DEVANAGARI_NUKTA)
			before--;
		vowel_before = IS_DEVANAGARI_VOWEL(u[before]) ||
			(IS_DEVANAGARI_CONSONANT(u[before]) && keep[before - from]);
		vowel_after = keep[next - from] ||
			(AfterConsonant(u, next, to) < to && IS_DEVANAGARI_VOWEL(u[AfterConsonant(u, next, to)]));
		if (vowel_before && vowel_after)
			keep[i - from] = false;
	}
}

/*
 * The names of the Latin letters as Hindi and Bengali write them, and as
 * this file reads them back: Indian and Bangladeshi names write their
 * initials so (पी चिदंबरम, P. Chidambaram; এ কে ফজলুল হক, A. K. Fazlul Huq).
 */
static const char *const letter_names[][2] = {
	{"e", "a"}, {"bi", "b"}, {"si", "c"}, {"di", "d"}, {"i", "e"}, {"eph", "f"}, {"ef", "f"},
	{"ji", "g"}, {"eich", "h"}, {"ech", "h"}, {"ai", "i"}, {"je", "j"}, {"ke", "k"}, {"el", "l"},
	{"em", "m"}, {"en", "n"}, {"o", "o"}, {"pi", "p"}, {"kyu", "q"}, {"kiu", "q"}, {"ar", "r"},
	{"es", "s"}, {"ti", "t"}, {"yu", "u"}, {"iu", "u"}, {"bhi", "v"}, {"vi", "v"}, {"dablu", "w"},
	{"dabliu", "w"}, {"eks", "x"}, {"vai", "y"}, {"oai", "y"}, {"jed", "z"}, {"zed", "z"}
};

/* The word written to out from start on as its Latin letter if it is a letter's name ("pi" as p). */
static void
LetterName(StringInfo out, int start)
{
	int			k;

	for (k = 0; k < lengthof(letter_names); k++)
		if (ScreenTokenIs(out->data + start, out->len - start, letter_names[k][0]))
		{
			out->len = start;
			appendStringInfoString(out, letter_names[k][1]);
			return;
		}
}

/*
 * Append the Devanagari run u[from, to), one word, in Latin letters: as
 * said, or as spelled, a final a kept as Sanskrit and many families'
 * spellings keep it (खड्ग "khadga", said "khadg"; InherentVowels()); a
 * Latin letter's name as the letter (LetterName()), but in the name's
 * last word, where initials do not stand and जी is the honorific ji.
 */
void
ScreenRomanizeDevanagari(StringInfo out, const UChar *u, int32_t from, int32_t to, bool spelled, bool last_word)
{
	bool	   *keep = palloc0(sizeof(bool) * Max(to - from, 1));
	int			start = out->len;
	int32_t		i;

	InherentVowels(u, from, to, spelled, keep);
	for (i = from; i < to; i++)
	{
		UChar		c = u[i];

		if (IS_DEVANAGARI_CONSONANT(c))
		{
			int32_t		next = i + 1;
			const char *nukta = next < to && u[next] == DEVANAGARI_NUKTA ? NuktaConsonant(c, next + 1 >= to) : NULL;

			/* ज्ञ as Hindi says and lists write it: gy (Gyanendra) */
			if (c == DEVANAGARI_JA && i + 2 < to && u[i + 1] == DEVANAGARI_VIRAMA && u[i + 2] == DEVANAGARI_NYA)
			{
				appendStringInfoString(out, "gy");
				i += 2;
				next = i + 1;
			}
			else
				appendStringInfoString(out, nukta ? nukta : devanagari_consonants[c - 0x0915]);
			while (next < to && u[next] == DEVANAGARI_NUKTA)
				next++;

			/*
			 * the inherent a, unless a sign follows, the word ends, or it is
			 * dropped (InherentVowels())
			 */
			if (keep[i - from])
				appendStringInfoChar(out, 'a');
		}
		else if (c >= 0x0904 && c <= 0x0914)
			appendStringInfoString(out, devanagari_vowels[c - 0x0904]);
		else if (c >= 0x093E && c <= 0x094C)
			appendStringInfoString(out, devanagari_signs[c - 0x093E]);
		else if (c == 0x0901 || c == 0x0902)
			appendStringInfoChar(out, 'n'); /* candrabindu, anusvara */
		else if (c == 0x0903)
			appendStringInfoChar(out, 'h'); /* visarga */
		else if (c >= 0x0966 && c <= 0x096F)
			appendStringInfoChar(out, '0' + (c - 0x0966));
		else if (c == 0x0964 || c == 0x0965)
			appendStringInfoChar(out, ' '); /* danda */
		/* virama, nukta and the rest: nothing */
	}
	pfree(keep);
	if (!last_word)
		LetterName(out, start);
}

/*
 * The Devanagari letter at c's place in its block, or 0: Bengali,
 * Gurmukhi, Gujarati and Oriya follow Devanagari's layout (after ISCII)
 * up to their digits; past them each has signs of its own, dropped but
 * for Gurmukhi's tippi, a nasal, and the Assamese and Oriya ra, wa, yya.
 */
static UChar
AsDevanagari(UChar c)
{
	switch (c)
	{
		case 0x09F0:
			return 0x0930;
		case 0x09F1:
		case 0x0B71:
			return 0x0935;
		case 0x0A70:
			return 0x0902;
		case 0x0B5F:
			return 0x092F;
	}
	return (c & 0x7F) <= 0x6F ? 0x0900 + (c & 0x7F) : 0;
}

/*
 * Append a Bengali, Gurmukhi, Gujarati or Oriya run u[from, to), one word,
 * as its Devanagari would be ("শেখ", "shekh"; ICU writes "sekha").  Bengali
 * khanda ta is ta and virama; Gurmukhi ੜ the ड़ it is; as spelled, Bengali
 * জ and ফ are z and f, as Arabic and Persian names have them.
 */
void
ScreenRomanizeIndic(StringInfo out, const UChar *u, int32_t from, int32_t to, bool spelled, bool last_word)
{
	UChar	   *d = palloc(sizeof(UChar) * (2 * (to - from) + 1));
	int32_t		n = 0;
	int32_t		i;

	for (i = from; i < to; i++)
	{
		if (u[i] == 0x09CE || u[i] == 0x0A5C)
		{
			d[n++] = u[i] == 0x09CE ? 0x0924 : 0x0921;
			d[n++] = u[i] == 0x09CE ? DEVANAGARI_VIRAMA : DEVANAGARI_NUKTA;
		}
		else if (spelled && (u[i] == BENGALI_PHA ||
							 (u[i] == BENGALI_JA && !(i + 2 < to && u[i + 1] == BENGALI_VIRAMA && u[i + 2] == BENGALI_NYA))))
		{
			/*
			 * as spelled, Bengali ja (not of jña, gy) and pha are the z and
			 * f of Arabic and Persian names (ফজলুল, Fazlul)
			 */
			d[n++] = AsDevanagari(u[i]);
			d[n++] = DEVANAGARI_NUKTA;
		}
		else if (AsDevanagari(u[i]) != 0)
			d[n++] = AsDevanagari(u[i]);
	}
	ScreenRomanizeDevanagari(out, d, 0, n, spelled, last_word);
	pfree(d);
}

/* Khmer consonants U+1780..U+17A2 in UNGEGN ("" for the vowel carrier អ). */
static const char *const khmer_consonants[] = {
	"k", "kh", "k", "kh", "ng", "ch", "chh", "ch", "chh", "nh", "d", "th", "d", "th", "n",
	"t", "th", "t", "th", "n", "b", "ph", "p", "ph", "m", "y", "r", "l", "w", "sh", "ss", "s",
	"h", "l", ""
};

/*
 * Khmer vowel signs U+17B6..U+17C5 as the weak letter a skeleton writes
 * (skeleton.c): y for those Latin spellings write with i or e (ិ ី េ ែ ៃ ៀ),
 * w for those written with o or u (ុ ូ ួ ោ ៅ ឿ), none for the a's and the
 * rest, which spellings write every way.  Written between consonants,
 * they also keep apart letters that would read as a digraph: សីហា is
 * "syh", Seiha, not "sh".
 */
static const char khmer_vowel_letters[] = {
	'\0', 'y', 'y', '\0', '\0', 'w', 'w', 'w', '\0', 'w', 'y', 'y', 'y', 'y', 'w', 'w'
};

#define KHMER_COENG 0x17D2
#define KHMER_MUUSIKATOAN 0x17C9

/*
 * The consonant that closes the syllable with u[i] into the next, or 0:
 * right after it, or after its bantoc (់) or a coeng (្); not one a vowel
 * sign comes before, which starts a syllable of its own (ងួត).
 */
static UChar
NextKhmerConsonant(const UChar *u, int32_t i, int32_t to)
{
	i++;
	if (i < to && (u[i] == 0x17CB || u[i] == KHMER_COENG))
		i++;
	return i < to && u[i] >= 0x1780 && u[i] <= 0x17A2 ? u[i] : 0;
}

/*
 * How UNGEGN writes consonant u[i] where the letters around it change it
 * (into *step, the code units it takes): ha with a subscript ga or ka is
 * g, with vo f, in loanwords (ហ្គ, ហ្វ); ba with muusikatoan is p (ប៉);
 * nga before a dental is n (ឡងឌី, Lundy); or NULL.
 */
static const char *
KhmerConsonantInContext(const UChar *u, int32_t i, int32_t to, int32_t *step)
{
	UChar		next;

	*step = 1;
	if (u[i] == 0x17A0 && i + 2 < to && u[i + 1] == KHMER_COENG &&
		(u[i + 2] == 0x1782 || u[i + 2] == 0x1780 || u[i + 2] == 0x179C))
	{
		*step = 3;
		return u[i + 2] == 0x179C ? "f" : "g";
	}
	if (u[i] == 0x1794 && i + 1 < to && u[i + 1] == KHMER_MUUSIKATOAN)
		return "p";
	next = NextKhmerConsonant(u, i, to);
	if (u[i] == 0x1784 && next >= 0x178A && next <= 0x1792 && next != 0x178E)
		return "n";
	return NULL;
}

/* Append the Khmer run u[from, to), one word, as its consonants and weak letters. */
void
ScreenRomanizeKhmer(StringInfo out, const UChar *u, int32_t from, int32_t to)
{
	int32_t		i;

	for (i = from; i < to; i++)
	{
		UChar		c = u[i];
		int32_t		step;
		const char *changed;

		/* a subscript consonant (after the coeng U+17D2) is said too */
		if (c >= 0x1780 && c <= 0x17A2 && (changed = KhmerConsonantInContext(u, i, to, &step)) != NULL)
		{
			appendStringInfoString(out, changed);
			i += step - 1;
		}
		else if (c >= 0x1780 && c <= 0x17A2)
			appendStringInfoString(out, khmer_consonants[c - 0x1780]);
		else if (c >= 0x17B6 && c <= 0x17C5 && khmer_vowel_letters[c - 0x17B6] != '\0')
			appendStringInfoChar(out, khmer_vowel_letters[c - 0x17B6]);
		else if (c == 0x17C6 && !(i + 1 < to && u[i + 1] == 0x1784))
			appendStringInfoChar(out, 'm'); /* nikahit, but for the ng it is
											 * before (កាំង, Kang) */
		else if (c == 0x17C7)
			appendStringInfoChar(out, 'h'); /* reahmuk */
		else if (c >= 0x17E0 && c <= 0x17E9)
			appendStringInfoChar(out, '0' + (c - 0x17E0));
	}
}

/*
 * Which of these scripts code unit c is in: 'd', 'i' (Bengali, Gurmukhi,
 * Gujarati, Oriya: Devanagari's layout), 't', 'k', 'm' (Burmese:
 * romanize_burmese.c), 's' (Sinhala: romanize_sinhala.c), or 0.
 */
char
ScreenBrahmicScript(UChar c)
{
	if (c >= 0x0D80 && c <= 0x0DFF)
		return 's';
	if (c >= 0x1000 && c <= 0x109F)
		return 'm';
	if (c >= 0x0900 && c <= 0x097F)
		return 'd';
	if (c >= 0x0980 && c <= 0x0B7F)
		return 'i';
	if (c >= 0x0E01 && c <= 0x0E5B)
		return 't';
	if (c >= 0x1780 && c <= 0x17FF)
		return 'k';
	return 0;
}
