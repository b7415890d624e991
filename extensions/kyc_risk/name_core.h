/*
 * name_core.h
 *		The plain C core of name screening: normalisation (normalize.c)
 *		and cutting into tokens (similarity.c), without the catalog.
 *
 * These need no backend state (company forms are read from a table, so
 * dropping them is left to ScreenNormalize() and ScreenTokenize()), and
 * tests/fuzz calls them directly, with ScreenNameScore() of screening.h.
 */
#ifndef KYC_NAME_CORE_H
#define KYC_NAME_CORE_H

#include "screening.h"

/* normalize.c */
extern char *ScreenNormalizeName(const char *name);
extern bool ScreenHasNonAscii(const char *s);

/* tokens.c */
extern ScreenTokens *ScreenNewTokens(int capacity);
extern void ScreenAddToken(ScreenTokens *t, const char *token, int len, double rarity);
extern ScreenTokens *ScreenSplitTokens(const char *normalized);

/* romanize.c (UChar is ICU's UTF-16 unit) */
extern uint16_t *ScreenRomanize(const uint16_t *u, int32_t n, int32_t *outlen);

/* phonetic.c: a token of len bytes keys in at most this many, NUL included */
#define SCREEN_KEY_SIZE(len) (2 * (len) + 3)

/* Keys this long or longer do not find candidates; a name's keys are at most SCREEN_KEYS_MAX bytes. */
#define SCREEN_KEY_MAX 64
#define SCREEN_KEYS_MAX 65536
extern int	ScreenPhoneticKey(const char *token, int len, char *out);
extern char *ScreenKeysOf(const ScreenTokens *t);
extern int	ScreenDistinctKeys(const char *keys, char ***out);
extern float4 ScreenKeySimilarity(const char *a, const char *b);
extern char *ScreenPhoneticString(const char *normalized);

#endif							/* KYC_NAME_CORE_H */
