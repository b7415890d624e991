/*
 * screening.h
 *		Internal declarations of the screening side of kyc_risk: name
 *		normalisation, name similarity and watch-list screening.
 */
#ifndef KYC_SCREENING_H
#define KYC_SCREENING_H

#include "kyc_common.h"

/* Longest name screening accepts, in characters. */
#define SCREEN_NAME_MAX_CHARS 1000

/* Token pairs scoring below this count as unpaired (see similarity.c). */
#define SCREEN_TOKEN_FLOOR 0.80

/* The score of an initial ("j") paired with a token it starts ("john"). */
#define SCREEN_INITIAL_SCORE 0.80

/* Weight of surplus tokens: those only one side has, when 2+ tokens paired. */
#define SCREEN_SURPLUS_WEIGHT 0.30

/* A normalised name cut into tokens; the tokens point into text. */
typedef struct ScreenTokens
{
	char	   *text;			/* the normalised name, NUL-separated tokens */
	int			count;
	char	  **token;
	int		   *len;
} ScreenTokens;

/* One token pairing chosen by ScreenNameScore. */
typedef struct ScreenPair
{
	int			a;				/* token index in the first name */
	int			b;				/* token index in the second name */
	double		score;
} ScreenPair;

/* How ScreenNameScore reached its score, for screen()'s reasons. */
typedef struct ScreenMatch
{
	double		score;
	int			npairs;
	ScreenPair *pairs;			/* best first */
	bool	   *a_paired;
	bool	   *b_paired;
	const ScreenTokens *a_tokens;	/* the tokens scored: the names given, or */
	const ScreenTokens *b_tokens;	/* one with two adjacent tokens joined */
} ScreenMatch;

/* normalize.c */
extern char *ScreenCheckedName(FunctionCallInfo fcinfo, int argno, const char *argname);
extern char *ScreenNormalize(const char *name, bool drop_company_forms);
extern bool ScreenIsCompanyForm(const char *token, int len);

/* similarity.c */
extern double ScreenJaroWinkler(const char *a, int alen, const char *b, int blen);
extern double ScreenTokenScore(const char *a, int alen, const char *b, int blen);
extern ScreenTokens *ScreenTokenize(const char *normalized, bool drop_company_forms);
extern double ScreenNameScore(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match);

/* screen_case.c */
extern double screen_case_max_threshold;
extern uint64 RiskScreenMatches(Datum *values, const char *nulls);

/* screen_cache.c */
extern bool screen_cache_enabled;
extern int	screen_cache_max_names;
extern bool ScreenCandidateIds(const char *normalized, double threshold, int limit, int64 **ids,
							   char ***names, int *count);

#endif							/* KYC_SCREENING_H */
