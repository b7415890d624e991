/*
 * name_core.h
 *		The plain C core of name screening: normalisation (normalize.c)
 *		and cutting into tokens (tokens.c), without the catalog.
 *
 * These need no backend state (company forms are read from a table, so
 * dropping them is left to ScreenNormalize() and ScreenTokenize()), and
 * tests/fuzz calls them directly, with ScreenNameScore() of screening.h.
 */
#ifndef KYC_NAME_CORE_H
#define KYC_NAME_CORE_H

#include "screening.h"

#include "lib/stringinfo.h"

/* normalize.c */
extern char *ScreenNormalizeName(const char *name);
extern char *ScreenNormalizeOtherReading(const char *name);
extern bool ScreenHasSpelledScript(const char *name);
extern bool ScreenHasNonAscii(const char *s);
extern bool ScreenHasNonLatinLetter(const char *name);
extern char ScreenScriptOf(const char *name);

/* tokens.c */
extern ScreenTokens *ScreenNewTokens(int capacity);
extern void ScreenAddToken(ScreenTokens *t, const char *token, int len, double rarity);
extern ScreenTokens *ScreenSplitTokens(const char *normalized);
extern bool ScreenTokenIn(const char *token, int len, const char *const *words);
extern bool ScreenTokenIs(const char *token, int len, const char *s);
extern void ScreenFreeTokens(ScreenTokens *t);
extern bool ScreenConnecting(const char *token, int len);

/* romanize.c (UChar is ICU's UTF-16 unit) */
extern uint16_t *ScreenRomanize(const uint16_t *u, int32_t n, int32_t *outlen, bool spelled);

/* romanize_brahmic.c: a run of one script's letters, one word, appended to out */
extern char ScreenBrahmicScript(uint16_t c);
extern void ScreenRomanizeDevanagari(StringInfo out, const uint16_t *u, int32_t from, int32_t to, bool spelled, bool last_word);
extern const char *ScreenTurkicCyrillic(uint16_t c);
extern void ScreenRomanizeIndic(StringInfo out, const uint16_t *u, int32_t from, int32_t to, bool spelled, bool last_word);
extern void ScreenRomanizeKhmer(StringInfo out, const uint16_t *u, int32_t from, int32_t to);

/* romanize_thai.c: a Thai run, one word, as said and as spelled, appended to out */
extern void ScreenRomanizeThai(StringInfo out, const uint16_t *u, int32_t from, int32_t to);
extern void ScreenSpellThai(StringInfo out, const uint16_t *u, int32_t from, int32_t to);

/* romanize_burmese.c: a Burmese run, each syllable a word, appended to out */
extern void ScreenRomanizeBurmese(StringInfo out, const uint16_t *u, int32_t from, int32_t to);

/* romanize_sinhala.c: a Sinhala run, one word, appended to out */
extern void ScreenRomanizeSinhala(StringInfo out, const uint16_t *u, int32_t from, int32_t to);

/* romanize_armenian.c: an Armenian run, one word, appended to out */
extern bool ScreenIsArmenian(uint16_t c);
extern void ScreenRomanizeArmenian(StringInfo out, const uint16_t *u, int32_t from, int32_t to);

/* phonetic.c: a token of len bytes keys in at most this many, NUL included */
#define SCREEN_KEY_SIZE(len) (2 * (len) + 3)

/* Keys this long or longer do not find candidates; a name's keys are at most SCREEN_KEYS_MAX bytes. */
#define SCREEN_KEY_MAX 64
#define SCREEN_KEYS_MAX 65536
extern int	ScreenPhoneticKey(const char *token, int len, char *out);
extern char *ScreenKeysOf(const ScreenTokens *t, bool query);
extern void ScreenAppendKey(StringInfo buf, const char *prefix, const char *key, int len);
extern char *ScreenPhoneticString(const char *normalized, const char *name);

/* key_similarity.c: the kinds of candidate key, told by a prefix, and how alike keys are */
typedef enum ScreenKeyKind
{
	SCREEN_KEY_PLAIN,
	SCREEN_KEY_LIST_SKELETON,	/* "~": a spelling's skeleton, which names
								 * written as consonants find */
	SCREEN_KEY_QUERY_SKELETON,	/* "^": a skeleton that finds names written as
								 * consonants */
	SCREEN_KEY_READINGS,		/* "%": one of a dictionary's readings
								 * (japanese.c), which finds plain keys */
	SCREEN_KEY_HONG_KONG,		/* "&": a pinyin syllable a Hong Kong one may
								 * be (hong_kong.c), which finds syllables */
	SCREEN_KEY_SYLLABLE,		/* "$": a pinyin name's syllable, which only
								 * those find */
	SCREEN_KEY_LIST_THAI,		/* "<": a spelling's skeleton read as a Thai
								 * or Khmer name's (no r after a vowel, kh k,
								 * ph p), and a Thai or Khmer query's */
	SCREEN_KEY_QUERY_THAI,		/* ">": the same, of a query's spelling and a
								 * Thai or Khmer list name */
	SCREEN_KEY_KINDS
} ScreenKeyKind;
#define SKELETON_LIST_PREFIX "~"
#define SKELETON_QUERY_PREFIX "^"
#define SCREEN_READINGS_PREFIX "%"
#define SCREEN_HONG_KONG_PREFIX "&"
#define SCREEN_SYLLABLE_PREFIX "$"
#define SKELETON_THAI_LIST_PREFIX "<"
#define SKELETON_THAI_QUERY_PREFIX ">"
extern ScreenKeyKind ScreenKeyKindOf(const char *key);
extern int	ScreenKeyFinds(ScreenKeyKind kind);
extern const char *ScreenKeyPrefix(ScreenKeyKind kind);
extern float4 ScreenManyKeysSimilarity(int shared, int found);
extern char *ScreenLookupKeys(const char *keys);
extern float4 ScreenJaccard(int shared, int na, int nb);
extern int	ScreenDistinctKeys(const char *keys, char ***out);
extern float4 ScreenKeySimilarity(const char *a, const char *b);
extern char ScreenSkeletonClass(const char *s, int len, int i, bool skeletal, int *n);
extern char ScreenConsonantClass(const char *s, int len, int i, int *n);
extern bool ScreenIsVowel(char c);
extern int	ScreenAbdPrefix(const char *s, int len);

/* skeleton.c */
extern bool ScreenVowelless(const char *token, int len, bool allow_y);
extern bool ScreenLongVowelR(const char *s, int len, int i);
extern char ScreenThaiAspirate(const char *s, int i, int step, char cls);
extern bool ScreenLongVowelsMayDiffer(const char *a, int alen, bool askel, const char *b, int blen, bool bskel);
extern double ScreenSkeletonSimilarity(const char *a, int alen, bool askel, const char *b, int blen, bool bskel, char script,
									   bool *another_name);

/* japanese.c: a Japanese name with the words MeCab knows in katakana, or NULL */
extern char *ScreenReadJapanese(const char *name);
extern const char *ScreenCommonKanji(const char *name);
extern ScreenTokens *ScreenWithJapanese(ScreenTokens *t, const char *name);

/* hong_kong.c: Hong Kong names against pinyin ones */
extern ScreenTokens *ScreenWithHongKong(ScreenTokens *t);
extern bool ScreenHongKongAlike(const char *hk, int hklen, const char *py, int pylen);
extern void ScreenAppendHongKongKeys(StringInfo buf, const ScreenTokens *t);

/* katakana.c: Western names in katakana against Latin ones */
extern bool ScreenIsKatakanaName(const char *name);
extern double ScreenKatakanaScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j);
extern void ScreenAppendKatakanaKeys(StringInfo buf, const ScreenTokens *t);

/* japanese_names.c: a word's readings as a Japanese name of these kinds */
#define JAPANESE_FAMILY 0x01
#define JAPANESE_GIVEN 0x02
extern int	ScreenJapaneseNameReadings(const char *word, int len, int kinds, char **readings, int max);

/* endings.c */
extern int	ScreenCommonPrefix(const char *a, int alen, const char *b, int blen);
extern bool ScreenGenderForms(const char *a, int alen, const char *b, int blen);
extern bool ScreenSameSuffixFamily(const char *a, int alen, const char *b, int blen, int *sa, int *sb);
extern bool ScreenHasSurnameSuffix(const char *t, int len);
extern bool ScreenOneTypoApart(const char *a, int alen, const char *b, int blen);
extern bool ScreenDifferentEndings(const char *a, int alen, const char *b, int blen);

/* variants.c */
extern bool ScreenAbbreviatedName(const char *a, int alen, const char *b, int blen);
extern bool ScreenIsNameAbbreviation(const char *a, int alen);
extern bool ScreenCognates(const char *a, int alen, const char *b, int blen);
extern bool ScreenIsCognateName(const char *t, int len);

/* similarity.c and rewrites.c */
extern double ScreenScoreCanonical(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match);
extern void ScreenTryRewrites(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match);

/* Whether bit i of a token mask (hyphened, dotted) is set; masks hold 64 tokens. */
static inline bool
ScreenTokenBit(uint64 bits, int i)
{
	return i >= 0 && i < 64 && (bits & (UINT64CONST(1) << i)) != 0;
}

/* initials.c */
extern bool ScreenIsDottedInitial(const ScreenTokens *t, int i);
extern uint64 ScreenDottedInitials(const ScreenTokens *t, const char *name, uint64 *longer);
extern int	ScreenInitialLength(const ScreenTokens *t, int at, int k);
extern bool ScreenDottedInitialOf(const ScreenTokens *t, int i, const char *word, int len);

/* same_key.c */
extern bool ScreenKinLetters(char a, char b);
extern bool ScreenSameKey(const ScreenTokens *a, int i, const ScreenTokens *b, int j);
extern int	ScreenVariantSpelling(const char *a, int alen, bool later, bool greek, const char *b, int blen, char *out);
extern int	ScreenVariantForm(const char *a, int alen, int k, bool later, bool greek, char *out);

/* cantonese.c */
extern ScreenTokens *ScreenWithCantonese(ScreenTokens *t, const char *name);
extern ScreenTokens *ScreenWithReadings(ScreenTokens *t, const char *normalized, const char *name);

/* respell.c */
extern ScreenTokens *ScreenRespell(const ScreenTokens *t);

/* kunrei.c */
extern bool ScreenKunreiSpelling(const ScreenTokens *t);

/* wade_giles.c */
extern ScreenTokens *ScreenWadeGiles(const ScreenTokens *t);

/* pinyin.c */
extern bool ScreenIsPinyin(const char *s, int len);
extern int	ScreenPinyinSyllables(const char *s, int len, int *ends);
extern bool ScreenPinyinAlike(const char *a, int alen, const char *b, int blen);

/* respell.c and tokens.c: a name's other readings */
extern ScreenTokens *ScreenWithOtherReading(ScreenTokens *t, const char *name);
extern ScreenTokens *ScreenWithHacekSpelling(ScreenTokens *t, const char *name);
extern ScreenTokens *ScreenWithFormInitials(ScreenTokens *t, const char *normalized);
extern bool ScreenContains(const char *t, int len, const char *s);

/* glide.c: tokens longer than SCREEN_GLIDE_MAX_LEN are not read */
#define SCREEN_GLIDE_MAX_LEN 32
extern bool ScreenDiphthongSpellings(const char *a, int alen, const char *b, int blen, char *ca, char *cb);
extern bool ScreenGlidesDiffer(const char *a, int alen, const char *b, int blen);

#endif							/* KYC_NAME_CORE_H */
