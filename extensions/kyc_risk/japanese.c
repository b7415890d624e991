/*
 * japanese.c
 *		Japanese names read in katakana, by MeCab with the IPA dictionary,
 *		before ICU romanises them.
 *
 * ICU reads kanji as Mandarin: 山田 太郎 comes out "shan tian tai lang",
 * where lists write "Yamada Taro".  A kanji's reading depends on the word
 * it is in, which only a dictionary knows, so a Japanese name goes through
 * MeCab (Debian's libmecab2 and mecab-ipadic-utf8), and each word it knows
 * is replaced by its reading: ヤマダ タロウ.  A word it does not know stays
 * as written, for ICU.
 *
 * A name is Japanese when it has kana, or kanji in two words, the first
 * of two kanji or more: Japanese writes a space between family and given
 * name (安倍 晋三), and most Japanese family names have two kanji, most
 * Chinese ones one (温 家宝, from separate fields, is Chinese).  Kanji in
 * one word, or after a family name of one kanji (林 太郎), read as
 * Mandarin, and those MeCab reads as a Japanese person's name get their
 * Japanese reading as another reading, scored as the Cantonese one is
 * (cantonese.c): ScreenWithJapanese().
 *
 * Lists write long vowels without their macron (Taro, Sato, Ono), so a
 * reading's long vowels are written once: ウ after an o or u sound, オ
 * after an o sound, and the long-vowel mark, are dropped (タロウ is タロ).
 */
#include "name_core.h"

#include <mecab.h>
#include <unicode/utf8.h>

/* Where Debian's mecab-ipadic-utf8 puts the dictionary; an empty resource file. */
#define MECAB_ARGS "-r /dev/null -d /var/lib/mecab/dic/ipadic-utf8"

/* The IPA dictionary's feature field with a word's reading, in katakana. */
#define READING_FIELD 7

/* Its fields saying that a word is a person's name (人名), and which part: a family name (姓). */
#define PERSON_FIELD 2
#define PERSON_NAME "\u4eba\u540d"
#define NAME_KIND_FIELD 3
#define NAME_KIND_FAMILY "\u59d3"

/* The backend's MeCab, opened the first time a Japanese name comes; failed: it could not be. */
static mecab_t *mecab = NULL;
static bool mecab_failed = false;

/* Whether c is hiragana or katakana (full or half width). */
static bool
IsKana(UChar32 c)
{
	return (c >= 0x3041 && c <= 0x30FF && c != 0x30FB) || (c >= 0x31F0 && c <= 0x31FF) ||
		(c >= 0xFF66 && c <= 0xFF9F);
}

/* Whether c is a Han character (kanji). */
static bool
IsKanji(UChar32 c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
		(c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) || c == 0x3005;
}

/*
 * Kanji that Japanese names write in a variant form outside the common
 * character sets, which neither MeCab's dictionary nor ENAMDICT has, and
 * the form they have: 髙橋 is 高橋, 山﨑 山崎.
 */
static const UChar32 variant_kanji[][2] = {
	{0x9AD9, 0x9AD8},			/* 髙 高 */
	{0xFA11, 0x5D0E},			/* 﨑 崎 */
	{0x5D5C, 0x5D0E},			/* 嵜 崎 */
	{0x20BB7, 0x5409},			/* 𠮷 吉 */
	{0xFA10, 0x585A},			/* 塚 塚 */
	{0x6801, 0x67F3},			/* 栁 柳 */
	{0x6FF5, 0x6D5C},			/* 濵 浜 */
};

/* The UTF-8 name with its variant kanji (variant_kanji) in their common form; the name itself if it has none. */
const char *
ScreenCommonKanji(const char *name)
{
	StringInfoData out;
	int32_t		len = strlen(name);
	int32_t		i = 0;
	bool		changed = false;

	while (i < len && (unsigned char) name[i] < 0x80)
		i++;
	if (i == len)
		return name;			/* ASCII, as most names are */
	initStringInfo(&out);
	appendBinaryStringInfo(&out, name, i);
	while (i < len)
	{
		int32_t		start = i;
		UChar32		c;
		int			k;

		U8_NEXT(name, i, len, c);
		for (k = 0; k < lengthof(variant_kanji) && c != variant_kanji[k][0]; k++)
			;
		if (k < lengthof(variant_kanji))
		{
			char		utf8[U8_MAX_LENGTH];
			int32_t		n = 0;

			U8_APPEND_UNSAFE(utf8, n, variant_kanji[k][1]); /* a valid code point,
															 * in room for any */
			appendBinaryStringInfo(&out, utf8, n);
			changed = true;
		}
		else
			appendBinaryStringInfo(&out, name + start, i - start);	/* an ill-formed
																	 * sequence too */
	}
	if (!changed)
	{
		pfree(out.data);
		return name;
	}
	return out.data;
}

/* The company forms only Japanese writes: kabushiki, yugen and godo kaisha. */
static const char *const japanese_forms[] = {"株式会社", "有限会社", "合同会社", NULL};

/*
 * The name with a space each side of its Japanese company forms, so that
 * MeCab's reading puts the form apart ("株式会社東洋商事" is read as
 * "kabushikigaisha toyoshoji"); the name itself if it has none.
 */
static const char *
SpacedForms(const char *name)
{
	StringInfoData out;
	const char *p = name;

	initStringInfo(&out);
	while (*p)
	{
		int			k;

		for (k = 0; japanese_forms[k] != NULL; k++)
			if (strncmp(p, japanese_forms[k], strlen(japanese_forms[k])) == 0)
				break;
		if (japanese_forms[k] == NULL)
		{
			appendStringInfoChar(&out, *p++);
			continue;
		}
		appendStringInfo(&out, " %s ", japanese_forms[k]);
		p += strlen(japanese_forms[k]);
	}
	return out.data;
}

/*
 * Whether the UTF-8 name is Japanese: kana, kanji in two words (see the
 * file comment), or a company form only Japanese writes (japanese_forms).
 */
static bool
IsJapanese(const char *name)
{
	int32_t		len = strlen(name);
	int32_t		i = 0;
	bool		after_kanji = false;	/* the last character but spaces was a
										 * kanji */
	bool		space = false;	/* a space came since */
	int			family = 0;		/* kanji in the word before the space */
	int			k;

	for (k = 0; japanese_forms[k] != NULL; k++)
		if (strstr(name, japanese_forms[k]) != NULL)
			return true;

	while (i < len)
	{
		UChar32		c;

		U8_NEXT(name, i, len, c);
		if (c < 0)
			return false;
		if (IsKana(c))
			return true;
		if (c == ' ' || c == 0x3000)
		{
			space = true;
			continue;
		}
		if (IsKanji(c) && after_kanji && space && family >= 2)
			return true;
		family = IsKanji(c) ? (space ? 1 : family + 1) : 0;
		after_kanji = IsKanji(c);
		space = false;
	}
	return false;
}

/* The backend's MeCab, or NULL (with a warning, once) when it cannot be opened. */
static mecab_t *
MeCab(void)
{
	if (mecab == NULL && !mecab_failed)
	{
		mecab = mecab_new2(MECAB_ARGS);
		if (mecab == NULL)
		{
			mecab_failed = true;
			ereport(WARNING,
					(errcode(ERRCODE_UNDEFINED_FILE),
					 errmsg("could not open MeCab with \"%s\": %s", MECAB_ARGS, mecab_strerror(NULL)),
					 errdetail("Japanese names are read as Mandarin."),
					 errhint("Install Debian's mecab-ipadic-utf8.")));
		}
	}
	return mecab;
}

/* Field n (from 0) of a comma-separated feature string, into out; false if it has none or "*". */
static bool
FeatureField(const char *feature, int n, StringInfo out)
{
	const char *p = feature;
	int			len;

	while (n-- > 0)
	{
		p = strchr(p, ',');
		if (p == NULL)
			return false;
		p++;
	}
	len = strcspn(p, ",");
	if (len == 0 || (len == 1 && p[0] == '*'))
		return false;
	resetStringInfo(out);
	appendBinaryStringInfo(out, p, len);
	return true;
}

/* The vowel a katakana syllable ends in ('o', 'u', or 0 for others and non-kana). */
static char
KanaVowel(UChar32 c)
{
	static const UChar32 o_row[] = {0x30AA, 0x30A9, 0x30B3, 0x30B4, 0x30BD, 0x30BE, 0x30C8, 0x30C9,
	0x30CE, 0x30DB, 0x30DC, 0x30DD, 0x30E2, 0x30E8, 0x30E7, 0x30ED, 0x30F2};
	static const UChar32 u_row[] = {0x30A6, 0x30A5, 0x30AF, 0x30B0, 0x30B9, 0x30BA, 0x30C4, 0x30C5,
	0x30CC, 0x30D5, 0x30D6, 0x30D7, 0x30E0, 0x30E6, 0x30E5, 0x30EB, 0x30F4};
	int			k;

	for (k = 0; k < lengthof(o_row); k++)
		if (c == o_row[k])
			return 'o';
	for (k = 0; k < lengthof(u_row); k++)
		if (c == u_row[k])
			return 'u';
	return 0;
}

/*
 * Append reading r (len bytes) to out, its kana long vowels written once
 * (see the file comment); *last_kana is the kana before it in its word
 * (MeCab may cut たろう into たろ and う), and gets the last one.
 */
static void
AppendReading(StringInfo out, const char *r, int len, UChar32 *last_kana)
{
	int32_t		i = 0;
	UChar32		last = *last_kana;

	while (i < len)
	{
		int32_t		start = i;
		UChar32		c;
		char		v = KanaVowel(last);

		U8_NEXT(r, i, len, c);
		/* hiragana (a word MeCab does not know) as its katakana */
		if (c >= 0x3041 && c <= 0x3096)
			c += 0x60;
		if (c == 0x30FC || (c == 0x30A6 && v != 0) || (c == 0x30AA && v == 'o'))
			continue;			/* ー; ウ after o or u; オ after o */
		appendBinaryStringInfo(out, r + start, i - start);
		last = c;
	}
	*last_kana = last;
}

/* Whether MeCab's node is a normal one whose feature field n is value (FeatureField()'s buffer in buf). */
static bool
NodeIs(const mecab_node_t *node, int n, const char *value, StringInfo buf)
{
	return node->stat == MECAB_NOR_NODE && FeatureField(node->feature, n, buf) && strcmp(buf->data, value) == 0;
}

/* How many characters the UTF-8 bytes s[0, len) hold. */
static int
Characters(const char *s, int len)
{
	int			n = 0;
	int			i;

	for (i = 0; i < len; i++)
		n += ((unsigned char) s[i] & 0xC0) != 0x80;
	return n;
}

/*
 * How many morae a katakana reading has that its romanisation writes: not
 * a small kana (ャ), ン, ー, nor a ウ or オ that lengthens the vowel before.
 */
static int
Morae(const char *r, int len)
{
	int32_t		i = 0;
	int			n = 0;
	UChar32		last = 0;

	while (i < len)
	{
		UChar32		c;
		char		v = KanaVowel(last);

		U8_NEXT(r, i, len, c);
		if (!(c == 0x30F3 || c == 0x30FC || c == 0x30E3 || c == 0x30E5 || c == 0x30E7 || c == 0x30C3 ||
			  (c == 0x30A6 && v != 0) || (c == 0x30AA && v == 'o')))
			n++;
		last = c;
	}
	return n;
}

/* Whether a reading (UTF-8 katakana) ends in ン after a mora: 菅 カン, Kan. */
static bool
EndsInN(const char *r, int len)
{
	return len >= 6 && memcmp(r + len - 3, "\u30f3", 3) == 0;
}

/*
 * Whether MeCab reads the name as a Japanese person's: a family name it
 * knows, then given names it knows.  A family name of one kanji must read
 * in two morae or more, as Japanese ones do in their kun reading (林
 * Hayashi, 森 Mori), or in one and n (菅 Kan): MeCab reads Chinese ones
 * too, in one (王 Ō), which would pair 王健 with Ken Oda; those in one and
 * n (陳 Chin, 孫 Son) pass, and get a Japanese reading if MeCab knows the
 * given name, an alias more.
 */
static bool
KnownJapaneseName(const mecab_node_t *node, StringInfo buf)
{
	bool		first = true;

	for (; node; node = node->next)
	{
		if (node->stat != MECAB_NOR_NODE && node->stat != MECAB_UNK_NODE)
			continue;
		if (!NodeIs(node, PERSON_FIELD, PERSON_NAME, buf))
			return false;
		if (first && !NodeIs(node, NAME_KIND_FIELD, NAME_KIND_FAMILY, buf))
			return false;
		if (first && Characters(node->surface, node->length) < 2 &&
			!(FeatureField(node->feature, READING_FIELD, buf) &&
			  (Morae(buf->data, buf->len) >= 2 || EndsInN(buf->data, buf->len))))
			return false;
		first = false;
	}
	return !first;
}

/*
 * The name with each word MeCab knows replaced by its reading, in
 * katakana, words apart where the name has white space.  When known_only,
 * a family name ends a word too, and a name that is not a Japanese
 * person's as MeCab knows them (KnownJapaneseName()) has no reading: NULL.
 */
static char *
ReadWithMeCab(mecab_t *m, const char *name, bool known_only)
{
	const mecab_node_t *node;
	StringInfoData out;
	StringInfoData field;
	UChar32		last_kana = 0;
	bool		after_family = false;

	node = mecab_sparse_tonode(m, name);
	if (node == NULL && known_only)
		return NULL;			/* another reading only: the name keeps its
								 * Mandarin */
	if (node == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("MeCab could not read name \"%s\": %s", name, mecab_strerror(m))));
	initStringInfo(&out);
	initStringInfo(&field);
	if (known_only && !KnownJapaneseName(node, &field))
	{
		pfree(field.data);
		pfree(out.data);
		return NULL;
	}
	for (; node; node = node->next)
	{
		if (node->stat != MECAB_NOR_NODE && node->stat != MECAB_UNK_NODE)
			continue;
		/* MeCab skips white space: rlength counts it before the word */
		if ((node->rlength > node->length || after_family) && out.len > 0)
		{
			appendStringInfoChar(&out, ' ');
			last_kana = 0;
		}
		if (node->stat == MECAB_NOR_NODE && FeatureField(node->feature, READING_FIELD, &field))
			AppendReading(&out, field.data, field.len, &last_kana);
		else
			AppendReading(&out, node->surface, node->length, &last_kana);	/* kana it does not know
																			 * too */
		after_family = known_only && NodeIs(node, NAME_KIND_FIELD, NAME_KIND_FAMILY, &field);
	}
	pfree(field.data);
	return out.data;
}

/*
 * The name with each Japanese word MeCab knows replaced by its reading, in
 * katakana; NULL when the name is not Japanese or MeCab cannot be opened.
 */
char *
ScreenReadJapanese(const char *name)
{
	mecab_t    *m;

	if (!IsJapanese(name) || (m = MeCab()) == NULL)
		return NULL;
	return ReadWithMeCab(m, SpacedForms(name), false);
}

/* Whether the UTF-8 name is kanji and separators only, a kanji at least. */
static bool
KanjiOnly(const char *name)
{
	int32_t		len = strlen(name);
	int32_t		i = 0;
	bool		kanji = false;

	while (i < len)
	{
		UChar32		c;

		U8_NEXT(name, i, len, c);
		if (IsKanji(c))
			kanji = true;
		else if (c != ' ' && c != 0x3000)
			return false;		/* an ill-formed sequence (c < 0) too */
	}
	return kanji;
}

/*
 * How many readings of a word the dictionary gives, at most: common names
 * have 10 or so, but a given name of one kanji 50 (和 is Kazu, Yasushi,
 * Nodoka, ...), and a cap that cut them would drop those late in the
 * dictionary's (kana) order.
 */
#define WORD_READINGS_MAX 64

/* Whether t has a token of len bytes that is token, from its token first on. */
static bool
HasToken(const ScreenTokens *t, int first, const char *token, int len)
{
	int			i;

	for (i = first; i < t->count; i++)
		if (t->len[i] == len && memcmp(t->token[i], token, len) == 0)
			return true;
	return false;
}

/*
 * Add to r the readings that the dictionary (japanese_names.c) gives the
 * word (len bytes of UTF-8 kanji) as a name of these kinds, normalised,
 * each once; a family name of one kanji only in two morae or more, or one
 * and n, as KnownJapaneseName() asks of MeCab's.  How many it added.
 */
static int
AddDictionaryReadingsOf(ScreenTokens *r, const char *word, int len, int kinds)
{
	char	   *readings[WORD_READINGS_MAX];
	int			count = ScreenJapaneseNameReadings(word, len, kinds, readings, WORD_READINGS_MAX);
	int			before = r->count;
	int			i;
	StringInfoData kana;

	initStringInfo(&kana);
	for (i = 0; i < count; i++)
	{
		UChar32		last_kana = 0;
		char	   *normalized;

		resetStringInfo(&kana);
		AppendReading(&kana, readings[i], strlen(readings[i]), &last_kana);
		if (kinds == JAPANESE_FAMILY && Characters(word, len) == 1 &&
			Morae(kana.data, kana.len) < 2 && !EndsInN(kana.data, kana.len))
			continue;
		normalized = ScreenNormalize(kana.data, false);
		/* a reading is one word; one that normalises otherwise is left out */
		if (normalized[0] != '\0' && strchr(normalized, ' ') == NULL &&
			!HasToken(r, before, normalized, strlen(normalized)))
			ScreenAddToken(r, normalized, strlen(normalized), 1.0);
	}
	pfree(kana.data);
	return r->count - before;
}

/*
 * Add to t's readings one of the dictionary's readings of a family name
 * and a given name (words of UTF-8 kanji): the family name's readings,
 * then the given name's, one of each chosen when scored (similarity.c).
 */
static void
AddFamilyGiven(ScreenTokens *t, const char *family, int flen, const char *given, int glen)
{
	ScreenTokens *r = ScreenNewTokens(2 * WORD_READINGS_MAX);
	ScreenTokens **end;

	r->family_readings = AddDictionaryReadingsOf(r, family, flen, JAPANESE_FAMILY);
	if (r->family_readings == 0 || AddDictionaryReadingsOf(r, given, glen, JAPANESE_GIVEN) == 0)
	{
		ScreenFreeTokens(r);
		return;
	}
	for (end = &t->reading; *end != NULL; end = &(*end)->reading)
		;
	*end = r;
}

/* The name (kanji and spaces) with its words one ASCII space apart, the ideographic space (U+3000) too. */
static char *
SingleSpaced(const char *name)
{
	StringInfoData out;
	int32_t		len = strlen(name);
	int32_t		i = 0;
	bool		space = false;

	initStringInfo(&out);
	while (i < len)
	{
		int32_t		start = i;
		UChar32		c;

		U8_NEXT(name, i, len, c);
		if (c == ' ' || c == 0x3000)
		{
			space = out.len > 0;
			continue;
		}
		if (space)
			appendStringInfoChar(&out, ' ');
		space = false;
		appendBinaryStringInfo(&out, name + start, i - start);
	}
	return out.data;
}

/*
 * Add to t, cut from the name given (kanji and spaces), the name's
 * readings as a Japanese person's, from the dictionary: a family name then
 * a given name, in two words, or in one cut after its second kanji or a
 * later one (a family name of one kanji in one word, 温家宝, is Chinese).
 */
static void
AddDictionaryReadings(ScreenTokens *t, const char *name)
{
	const char *space = strchr(name, ' ');
	int32_t		len = strlen(name);
	int32_t		cut = 0;
	int			k = 0;

	if (space != NULL)
	{
		if (strchr(space + 1, ' ') == NULL)
			AddFamilyGiven(t, name, space - name, space + 1, strlen(space + 1));
		return;
	}
	while (cut < len)
	{
		UChar32		c;

		U8_NEXT(name, cut, len, c);
		if (++k >= 2 && cut < len)
			AddFamilyGiven(t, name, cut, name + cut, len - cut);
	}
}

/*
 * t, cut from the name given, with the name's readings as a Japanese
 * person's when the name is kanji alone: MeCab's when the name reads as
 * Mandarin (IsJapanese() could not tell: 松田優作 in one word, 林 久美子
 * with a family name of one kanji) and MeCab reads it as a Japanese
 * person's name (KnownJapaneseName()), its family name apart; then the
 * dictionary's (AddDictionaryReadings()).  t as it was otherwise.
 * The readings' tokens are not weighed yet.
 */
ScreenTokens *
ScreenWithJapanese(ScreenTokens *t, const char *name)
{
	mecab_t    *m;
	char	   *kana;
	char	   *spaced;
	ScreenTokens *r;
	ScreenTokens **end;

	name = ScreenCommonKanji(name);
	if (t->skeletal || t->count == 0 || !KanjiOnly(name))
		return t;
	if (!IsJapanese(name) && (m = MeCab()) != NULL && (kana = ReadWithMeCab(m, name, true)) != NULL &&
		(r = ScreenTokenize(ScreenNormalize(kana, false), true))->count > 0)
	{
		for (end = &t->reading; *end != NULL; end = &(*end)->reading)
			;
		*end = r;
	}
	spaced = SingleSpaced(name);
	AddDictionaryReadings(t, spaced);
	pfree(spaced);
	return t;
}
