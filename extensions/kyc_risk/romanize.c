/*
 * romanize.c
 *		Romanisation that normalize_name() does itself, before ICU, for the
 *		scripts where ICU's romanisation does not read as lists spell names.
 *
 * Korean: ICU writes a name as one word of Revised Romanisation
 * ("imyeongbag"); lists split the surname and spell it their way ("Lee
 * Myung-bak").  A run of Hangul syllables is written here as the surname
 * (the first syllable, or two for the compound surnames) in its usual list
 * spelling, then each syllable of the given name as a word, in Revised
 * Romanisation without the sound changes between syllables.
 *
 * Hebrew: ICU writes bet, kaf and pe without their soft readings, and
 * vowels no list writes.  Here each letter is its consonant: vav and yod
 * w and y (skeleton.c pairs them with the vowels they also write), bet,
 * kaf and pe after a word's first letter v, kh and f, and a word's final
 * he, a vowel, nothing ("msh" for Moshe).
 *
 * The name is first composed (NFC) and stripped of default-ignorable code
 * points, so that decomposed Hangul, or a zero-width space inside a word,
 * reads as the plain name does.
 *
 * Arabic and Persian: ICU writes alef as a vowel where lists write any
 * vowel or none.  Here each letter is its consonant, alef, hamza and ayin
 * nothing, waw and ya w and y; the article written onto its word
 * ("الخطيب") becomes a word of its own, as lists write "al-Khatib"; ta
 * marbuta is h (silent at a word's end in the phonetic key).  A Persian
 * he after a letter but alef, before the suffix "ای" that ends a word, is
 * the vowel e and nothing ("خامنه‌ای", Khamenei; "اژه‌ای", Ejei).
 *
 * Greek: ICU's UNGEGN writes γκ nk, where Greek passports (ELOT 743)
 * write gk: so does this, before ICU ("gkikas" for Γκίκας, whose English
 * spelling, Gikas, variants.c relates).
 *
 * Devanagari (and Bengali, Gurmukhi, Gujarati, Oriya) and Khmer runs go to
 * romanize_brahmic.c, Thai ones to romanize_thai.c (Thai and the Indic
 * scripts as spelled, not said, if spelled), Burmese ones to
 * romanize_burmese.c, Sinhala ones to romanize_sinhala.c, Armenian ones to
 * romanize_armenian.c.
 */
#include "name_core.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define HANGUL_FIRST 0xAC00
#define HANGUL_LAST 0xD7A3
#define MALAYALAM_VIRAMA 0x0D4D

/* Revised Romanisation of the initial, medial and final jamo of a syllable. */
static const char *const initials[19] = {
	"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"
};
static const char *const medials[21] = {
	"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
	"wi", "yu", "eu", "ui", "i"
};
static const char *const finals[28] = {
	"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
	"t", "t", "ng", "t", "t", "k", "t", "p", "t"
};

/* Korean surnames as lists usually spell them; others are romanised. */
static const struct
{
	const char *hangul;
	const char *latin;
}			surnames[] = {
	{"김", "kim"}, {"이", "lee"}, {"리", "ri"}, {"박", "park"}, {"최", "choi"}, {"정", "jung"},
	{"강", "kang"}, {"조", "cho"}, {"윤", "yoon"}, {"장", "jang"}, {"임", "lim"}, {"림", "rim"},
	{"한", "han"}, {"오", "oh"}, {"서", "seo"}, {"신", "shin"}, {"권", "kwon"}, {"황", "hwang"},
	{"안", "ahn"}, {"송", "song"}, {"류", "ryu"}, {"유", "yoo"}, {"홍", "hong"}, {"전", "jeon"},
	{"고", "ko"}, {"문", "moon"}, {"양", "yang"}, {"손", "son"}, {"배", "bae"}, {"백", "baek"},
	{"허", "heo"}, {"노", "roh"}, {"로", "ro"}, {"남", "nam"}, {"심", "shim"}, {"곽", "kwak"},
	{"성", "sung"}, {"차", "cha"}, {"주", "joo"}, {"우", "woo"}, {"구", "koo"}, {"현", "hyun"},
	{"변", "byun"}, {"남궁", "namgoong"}, {"황보", "hwangbo"}, {"제갈", "jegal"},
	{"선우", "sunwoo"}, {"독고", "dokgo"}, {"사공", "sagong"},
};

/* Append a syllable's Revised Romanisation to out. */
static void
AppendSyllable(StringInfo out, UChar32 c)
{
	int			index = c - HANGUL_FIRST;

	/*
	 * a lone vowel is spelled as names spell it: 우 "woo", 오 "oh", 이
	 * "yi"
	 */
	if (index / 588 == 11 && index % 28 == 0)
	{
		const char *medial = medials[(index % 588) / 28];

		appendStringInfoString(out, strcmp(medial, "u") == 0 ? "woo" : strcmp(medial, "o") == 0 ? "oh" :
							   strcmp(medial, "i") == 0 ? "yi" : medial);
		return;
	}
	appendStringInfoString(out, initials[index / 588]);
	appendStringInfoString(out, medials[(index % 588) / 28]);
	appendStringInfoString(out, finals[index % 28]);
}

/* How many syllables of the run (UTF-8, len bytes) its listed surname takes, and its spelling. */
static int
Surname(const char *run, int len, const char **latin)
{
	int			best = 0;
	int			k;

	*latin = NULL;
	for (k = 0; k < lengthof(surnames); k++)
	{
		int			n = strlen(surnames[k].hangul);

		if (n <= len && n > best && memcmp(run, surnames[k].hangul, n) == 0)
		{
			best = n;
			*latin = surnames[k].latin;
		}
	}
	return best / 3;			/* every syllable is three bytes in UTF-8 */
}

/*
 * Append a run of Hangul syllables u[from, to) as words.  The name's first
 * run starts with its surname: all of it if it is one syllable or a
 * compound surname ("김 정은"), else its first syllable or compound
 * surname, when the run has two to four ("김정은").  Later runs are given
 * names.
 */
static void
AppendHangulRun(StringInfo out, const UChar *u, int32_t from, int32_t to, bool first)
{
	char		utf8[64];
	int32_t		n = 0;
	const char *latin = NULL;
	int			surname = 0;
	int32_t		i;

	if (first && to - from <= 4)
	{
		UErrorCode	status = U_ZERO_ERROR;

		u_strToUTF8(utf8, sizeof(utf8), &n, u + from, to - from, &status);
		surname = U_SUCCESS(status) ? Surname(utf8, n, &latin) : 0;
		if (surname == 0)
			surname = 1;		/* not a listed surname: romanised */
	}
	appendStringInfoChar(out, ' ');
	for (i = from; i < to; i++)
	{
		if (latin != NULL && i < from + surname)
		{
			if (i == from)
				appendStringInfoString(out, latin);
		}
		else
			AppendSyllable(out, u[i]);
		if (i + 1 >= from + surname)
			appendStringInfoChar(out, ' ');
	}
}

/* Whether c is a Hebrew letter; an Arabic letter; and the letters read specially. */
#define IS_HEBREW(c) ((c) >= 0x05D0 && (c) <= 0x05EA)
#define IS_ARABIC(c) ((c) >= 0x0620 && (c) <= 0x064A)
#define HEBREW_VAV 0x05D5
#define HEBREW_YOD 0x05D9
#define ARABIC_ALEF 0x0627
#define ARABIC_LAM 0x0644
#define ARABIC_HEH 0x0647
#define IS_ARABIC_YEH(c) ((c) == 0x064A || (c) == 0x06CC)

/* Append Hebrew letter c, at position in its word, in Latin. */
static void
AppendHebrew(StringInfo out, UChar c, int position)
{
	bool		first = position == 0;

	switch (c)
	{
		case HEBREW_VAV:
			appendStringInfoString(out, first ? "v" : "w");
			break;
		case HEBREW_YOD:
			appendStringInfoString(out, "y");
			break;
		case 0x05D1:			/* bet */
			appendStringInfoString(out, first ? "b" : "v");
			break;
		case 0x05DB:			/* kaf, final kaf */
		case 0x05DA:
			appendStringInfoString(out, first ? "k" : "kh");
			break;
		case 0x05E4:			/* pe, final pe */
		case 0x05E3:
			appendStringInfoString(out, first ? "p" : "f");
			break;
		default:
			{
				/* aleph, ayin silent; the rest as ICU would, roughly */
				static const char *const letters[] = {
					"", "b", "g", "d", "h", "v", "z", "kh", "t", "y", "kh", "k", "l", "m", "m",
					"n", "n", "s", "", "f", "p", "tz", "tz", "q", "r", "sh", "t"
				};

				StaticAssertStmt(lengthof(letters) == 0x05EA - 0x05D0 + 1, "one entry a Hebrew letter");
				appendStringInfoString(out, letters[c - 0x05D0]);
			}
	}
}

/*
 * Arabic letters U+0621..U+064A as consonants: alef, hamza and ayin
 * nothing, waw w and ya y (vowels or consonants, skeleton.c pairs them
 * with either), alef maksura nothing, ta marbuta h.
 */
static const char *const arabic_letters[] = {
	"", "", "", "w", "", "y", "", "b", "h", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s",
	"sh", "s", "d", "t", "z", "", "gh", "", "", "", "", "", "", "f", "q", "k", "l", "m", "n",
	"h", "w", "", "y"
};

/* Persian letters outside that range, and marks read as nothing. */
static const struct
{
	UChar		c;
	const char *latin;
}			persian_letters[] = {
	{0x067E, "p"}, {0x0686, "ch"}, {0x0698, "zh"}, {0x06A9, "k"}, {0x06AF, "g"}, {0x06CC, "y"},
	{0x06C0, "h"}, {0x0670, ""}, {0x0671, ""},	/* superscript alef, alef
												 * wasla */
};

/* Append Arabic or Persian letter c in Latin; false if it is not one read here. */
static bool
AppendArabic(StringInfo out, UChar c)
{
	int			k;

	StaticAssertStmt(lengthof(arabic_letters) == 0x064A - 0x0621 + 1, "one entry an Arabic letter");
	if (c >= 0x0621 && c <= 0x064A)
	{
		appendStringInfoString(out, arabic_letters[c - 0x0621]);
		return true;
	}
	if (c >= 0x064B && c <= 0x0652)
		return true;			/* vowel marks */
	for (k = 0; k < lengthof(persian_letters); k++)
		if (persian_letters[k].c == c)
		{
			appendStringInfoString(out, persian_letters[k].latin);
			return true;
		}
	return false;
}

/*
 * The Cyrillic letters of Kazakh, Mongolian, Tajik, Bashkir and Azerbaijani
 * that ICU leaves as they are or drops, as those countries' English
 * spellings write them (Нұрсұлтан Nursultan, Хүрэлсүх Khurelsukh, Әлібек
 * Alibek, Раҳмон Rahmon); each capital is the letter before its small one.
 */
static const struct
{
	UChar		c;
	const char *latin;
}			turkic_cyrillic[] = {
	{0x04D9, "a"}, {0x04E9, "o"}, {0x04AF, "u"}, {0x04B1, "u"}, {0x04A3, "ng"}, {0x04BB, "h"},
	{0x04B3, "h"}, {0x04B7, "j"}, {0x04AB, "s"}, {0x04A1, "q"}, {0x04B9, "j"},
};

/* Latin for c if it is one of turkic_cyrillic (or the palochka, nothing), else NULL. */
const char *
ScreenTurkicCyrillic(UChar c)
{
	int			k;

	if (c < 0x04A0 || c > 0x04EF)
		return NULL;			/* most letters: no Cyrillic extension */
	if (c == 0x04C0 || c == 0x04CF)
		return "";
	for (k = 0; k < lengthof(turkic_cyrillic); k++)
		if (c == turkic_cyrillic[k].c || c == turkic_cyrillic[k].c - 1)
			return turkic_cyrillic[k].latin;
	return NULL;
}

/* Whether Greek letters c then next are γκ. */
static bool
GreekGk(UChar c, UChar next)
{
	return (c == 0x03B3 || c == 0x0393) && (next == 0x03BA || next == 0x039A);
}

/*
 * The name in normalisation form C, without default-ignorable code points
 * (a soft hyphen or a zero-width space must not split a Hangul run).
 */
static UChar *
Composed(const UChar *u, int32_t n, int32_t *outlen)
{
	UErrorCode	status = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
	int32_t		capacity = 2 * n + 16;
	UChar	   *composed = palloc(sizeof(UChar) * capacity);
	int32_t		len = 0;
	int32_t		i = 0;
	int32_t		kept = 0;

	if (U_SUCCESS(status))
		len = unorm2_normalize(nfc, u, n, composed, capacity, &status);
	if (status == U_BUFFER_OVERFLOW_ERROR)
	{
		/* composition rarely lengthens; len says by how much */
		capacity = len + 1;
		composed = repalloc(composed, sizeof(UChar) * capacity);
		status = U_ZERO_ERROR;
		len = unorm2_normalize(nfc, u, n, composed, capacity, &status);
	}
	if (U_FAILURE(status))
		elog(ERROR, "could not compose name: %s", u_errorName(status));
	while (i < len)
	{
		int32_t		start = i;
		UChar32		c;

		U16_NEXT(composed, i, len, c);
		if (!u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
			while (start < i)
				composed[kept++] = composed[start++];
	}
	*outlen = kept;
	return composed;
}

/* Whether s has an ASCII letter or digit, or a byte outside ASCII. */
static bool
AnyLetter(const char *s)
{
	for (; *s; s++)
		if (isalnum((unsigned char) *s) || (unsigned char) *s >= 0x80)
			return true;
	return false;
}

/*
 * The consonant a Malayalam chillu (a consonant closing a syllable,
 * written as one letter: വിജയൻ) stands for, which ICU leaves untransliterated;
 * 0 if c is none.
 */
static UChar
MalayalamChillu(UChar c)
{
	static const UChar consonants[] = {0x0D23, 0x0D28, 0x0D30, 0x0D32, 0x0D33, 0x0D15};

	if (c >= 0x0D7A && c <= 0x0D7F)
		return consonants[c - 0x0D7A];
	if (c == 0x0D54)
		return 0x0D2E;
	if (c == 0x0D55)
		return 0x0D2F;
	if (c == 0x0D56)
		return 0x0D34;
	return 0;
}

/* Whether no letter follows u[end, n): the word before end is the name's last. */
static bool
LastWord(const UChar *u, int32_t end, int32_t n)
{
	for (; end < n; end++)
		if (u_isalpha(u[end]))
			return false;
	return true;
}

/*
 * The name (UTF-16, n units) with Korean, Hebrew and the Arabic article
 * romanised as the file comment says (Thai and Indic as spelled if spelled), as
 * UTF-16; NULL when it has none of them, so the caller goes on with the
 * name as it is.
 */
UChar *
ScreenRomanize(const UChar *source, int32_t n, int32_t *outlen, bool spelled)
{
	StringInfoData out;
	UChar	   *u = Composed(source, n, &n);
	bool		any = false;
	bool		first_hangul = true;
	int			position = 0;	/* of the current letter in its word */
	int32_t		i = 0;
	UChar	   *result;
	UErrorCode	status = U_ZERO_ERROR;

	initStringInfo(&out);
	while (i < n)
	{
		UChar		c = u[i];
		UChar		next = i + 1 < n ? u[i + 1] : 0;

		if (c >= HANGUL_FIRST && c <= HANGUL_LAST)
		{
			int32_t		end = i;

			while (end < n && u[end] >= HANGUL_FIRST && u[end] <= HANGUL_LAST)
				end++;
			AppendHangulRun(&out, u, i, end, first_hangul);
			first_hangul = false;
			i = end;
			any = true;
			position = 0;
			continue;
		}
		if ((c == HEBREW_VAV || c == HEBREW_YOD) && next == c)
		{
			/* doubled vav and yod are the consonants v and y */
			appendStringInfoString(&out, c == HEBREW_VAV ? "v" : "y");
			i += 2;
			position += 2;
			any = true;
			continue;
		}
		if (c == 0x05DB && position == 0 && next == 0x05D4)
		{
			/* kaf before he ("Cohen"): q, so that the two do not read as kh */
			appendStringInfoChar(&out, 'q');
			position++;
			any = true;
		}
		else if (c == 0x05D4 && position > 0 && !IS_HEBREW(next))
		{
			/* he ending a word is a vowel ("Moshe", "Rivka") */
			position++;
			any = true;
		}
		else if (IS_HEBREW(c))
		{
			AppendHebrew(&out, c, position++);
			any = true;
		}
		else if (GreekGk(c, next))
		{
			/*
			 * γκ as Greek passports (ELOT 743) write it, where ICU writes
			 * nk
			 */
			appendStringInfoString(&out, "gk");
			any = true;
			i += 2;
			position += 2;
			continue;
		}
		else if (position == 0 && c == ARABIC_ALEF && next == ARABIC_LAM &&
				 i + 2 < n && IS_ARABIC(u[i + 2]))
		{
			appendStringInfoString(&out, "al ");	/* the article, a word of
													 * its own */
			any = true;
			i += 2;
			continue;
		}
		else if (c == ARABIC_HEH && position > 0 && u[i - 1] != ARABIC_ALEF && next == ARABIC_ALEF &&
				 i + 2 < n && IS_ARABIC_YEH(u[i + 2]) && (i + 3 == n || u[i + 3] == ' ' || u[i + 3] == '-'))
		{
			/*
			 * Persian he before the suffix -ei writes the vowel e
			 * ("خامنه‌ای", Khamenei)
			 */
			position++;
			any = true;
		}
		else if (AppendArabic(&out, c))
		{
			any = true;
			position++;
		}
		else if (ScreenTurkicCyrillic(c) != NULL)
		{
			appendStringInfoString(&out, ScreenTurkicCyrillic(c));
			any = true;
			position++;
		}
		else if (ScreenIsArmenian(c))
		{
			int32_t		end = i;

			while (end < n && ScreenIsArmenian(u[end]))
				end++;
			ScreenRomanizeArmenian(&out, u, i, end);
			any = true;
			i = end;
			position = 0;
			continue;
		}
		else if (MalayalamChillu(c) != 0)
		{
			UChar		closed[2] = {MalayalamChillu(c), MALAYALAM_VIRAMA};
			char		utf8[8];
			int32_t		len = 0;
			UErrorCode	s = U_ZERO_ERROR;

			/* the consonant under the virama, which ICU reads */
			u_strToUTF8(utf8, sizeof(utf8), &len, closed, 2, &s);
			if (U_SUCCESS(s))
				appendBinaryStringInfo(&out, utf8, len);
			any = true;
			position++;
		}
		else if (ScreenBrahmicScript(c) != 0)
		{
			char		script = ScreenBrahmicScript(c);
			int32_t		end = i;

			while (end < n && ScreenBrahmicScript(u[end]) == script)
				end++;
			if (script == 'd')
				ScreenRomanizeDevanagari(&out, u, i, end, spelled, LastWord(u, end, n));
			else if (script == 'i')
				ScreenRomanizeIndic(&out, u, i, end, spelled, LastWord(u, end, n));
			else if (script == 't' && spelled)
				ScreenSpellThai(&out, u, i, end);
			else if (script == 't')
				ScreenRomanizeThai(&out, u, i, end);
			else if (script == 'm')
				ScreenRomanizeBurmese(&out, u, i, end);
			else if (script == 's')
				ScreenRomanizeSinhala(&out, u, i, end);
			else
				ScreenRomanizeKhmer(&out, u, i, end);
			any = true;
			i = end;
			position = 0;
			continue;
		}
		else
		{
			int32_t		start = i;
			UChar32		cp;
			char		utf8[U8_MAX_LENGTH];
			int32_t		len = 0;
			UErrorCode	s = U_ZERO_ERROR;

			U16_NEXT(u, i, n, cp);
			u_strToUTF8(utf8, sizeof(utf8), &len, &u[start], i - start, &s);
			if (U_SUCCESS(s))
				appendBinaryStringInfo(&out, utf8, len);
			position = (u_isalpha(cp) || u_getCombiningClass(cp) > 0) ? position + 1 : 0;
			continue;
		}
		i++;
	}
	if (!any || !AnyLetter(out.data))
	{
		/*
		 * nothing read here, or only letters written as nothing (alef, อ):
		 * ICU's reading
		 */
		pfree(out.data);
		return NULL;
	}
	result = palloc(sizeof(UChar) * (out.len + 1));
	u_strFromUTF8(result, out.len + 1, outlen, out.data, out.len, &status);
	if (U_FAILURE(status))
		elog(ERROR, "could not romanise name: %s", u_errorName(status));
	pfree(out.data);
	return result;
}
