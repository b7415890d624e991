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

/* similarity.c */
extern ScreenTokens *ScreenSplitTokens(const char *normalized);

#endif							/* KYC_NAME_CORE_H */
