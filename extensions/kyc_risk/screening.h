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

/* Token pairs scoring below this count as unpaired (see token_score.c). */
#define SCREEN_TOKEN_FLOOR 0.80

/* The score of an initial ("j") paired with a token it starts ("john"). */
#define SCREEN_INITIAL_SCORE 0.90

/* Two forms of one given name in different languages ("iosif", "joseph": cognates.c) score this. */
#define SCREEN_COGNATE_SCORE 0.90

/* Tokens with the same phonetic key score at least this, plus the rest times their score. */
#define SCREEN_KEY_SCORE 0.80

/* Tokens whose endings after a shared stem differ by this many edits are different names. */
#define SCREEN_ENDING_DISTANCE 2
#define SCREEN_ENDING_FACTOR 0.85

/* Tokens one letter apart, where that letter makes another name, lose this factor. */
#define SCREEN_LETTER_FACTOR 0.85

/* Tokens whose consonant skeletons are alike score this, less this factor times their difference. */
#define SCREEN_SKELETON_SCORE 0.95
#define SCREEN_SKELETON_SLOPE 0.45

/* Weight of surplus tokens: those only one side has, when 2+ tokens paired. */
#define SCREEN_SURPLUS_WEIGHT 0.30

/* Weight of a second surname the other name leaves out ("Caro", "Caro Quintero"), whose first pairs this well. */
#define SCREEN_SECOND_SURNAME_WEIGHT 0.10
#define SCREEN_SECOND_SURNAME_FLOOR 0.90

/*
 * An unpaired initial weighs as a word this long when the other name has a
 * token unpaired too: J. and K. are two given names, as John and Karl are.
 */
#define SCREEN_CONFLICTING_INITIAL_LENGTH 4

/* A surname's mismatch (a name's last token but suffixes) weighs this much more than other tokens'. */
#define SCREEN_SURNAME_FACTOR 1.5

/*
 * A name whose paired tokens are in an order that no list convention
 * writes scores this much of its pairing; one in another order that a
 * convention writes (the surname moved to the front), this much: the
 * same order is the stronger evidence.
 */
#define SCREEN_ORDER_FACTOR 0.80
#define SCREEN_ROTATION_FACTOR 0.97

/* A name scored as one of its other readings (cantonese.c, japanese.c) scores this much of that. */
#define SCREEN_READING_FACTOR 0.99

/*
 * A Hong Kong name scored against the pinyin of characters that read as
 * its syllables (hong_kong.c) scores this much of that: a Cantonese
 * syllable is ten or more characters' reading, so the pair is a lead
 * for an analyst, under the default threshold unless a date of birth or
 * a country supports it, not a match.
 */
#define SCREEN_HONG_KONG_FACTOR 0.84

/* Two spellings of one diphthong (glide.c: Dayf, Deif) score this much. */
#define SCREEN_DIPHTHONG_SCORE 0.95

/* A dictionary's reading of a name counts only if each of its tokens pairs with one scoring this much. */
#define SCREEN_AS_WRITTEN_FLOOR 0.95

/* A name particle ("bin", "van") weighs this much of other tokens. */
#define SCREEN_PARTICLE_FACTOR 0.3

/*
 * The scripts some rules are for: Thai and Khmer, whose names' spellings
 * may write a long vowel with an r (skeleton.c); Greek, whose μπ, ντ and
 * γκ start a word as b, d and g (variants.c).
 */
#define SCREEN_SCRIPT_THAI 't'
#define SCREEN_SCRIPT_KHMER 'k'
#define SCREEN_SCRIPT_GREEK 'g'
#define SCREEN_SCRIPT_THAI_OR_KHMER(s) ((s) == SCREEN_SCRIPT_THAI || (s) == SCREEN_SCRIPT_KHMER)

/* A normalised name cut into tokens, each with its phonetic key and weight. */
typedef struct ScreenTokens
{
	int			count;
	int			capacity;
	char	  **token;			/* not NUL-terminated: len bytes each */
	int		   *len;
	char	  **key;			/* ScreenPhoneticKey() of each token */
	int		   *keylen;
	double	   *rarity;			/* in (0, 1]: less for particles and common
								 * tokens (rarity.c) */
	bool		skeletal;		/* a token is a consonant skeleton: compare on
								 * those (skeleton.c) */
	bool		transliterated; /* written in a script other than Latin: no
								 * QWERTY slips (token_score.c) */
	char		script;			/* written in a script some rules are for:
								 * SCREEN_SCRIPT_* or 0 (normalize.c) */
	bool		company;		/* a company form was dropped: no token is a
								 * middle name (similarity.c) */
	bool		other_cyrillic; /* a reading: the name's Cyrillic read the
								 * other way (respell.c) */
	bool		spelled;		/* a respelling: a Thai or Indic name as
								 * spelled, not said (respell.c) */
	bool		pinyin;			/* a respelling: a Wade-Giles name in pinyin
								 * (wade_giles.c) */
	bool		whole;			/* a respelling that counts as a whole name
								 * only (respell.c) */
	bool		han;			/* Han characters in pinyin, a token a
								 * character (cantonese.c) */
	bool		hong_kong;		/* in Hong Kong's spelling of Cantonese
								 * (hong_kong.c) */
	bool		katakana;		/* written in katakana alone: a Western name,
								 * most likely (katakana.c) */
	bool		syllables;		/* a reading: a name in pinyin, a token a
								 * syllable, for Hong Kong names only
								 * (hong_kong.c) */
	int			family_readings;	/* a dictionary's readings of a Japanese
									 * name (japanese.c): its first
									 * family_readings tokens are the family
									 * name's, the rest the given name's, one
									 * of each scored (similarity.c); 0 in
									 * other readings */
	bool		ov_surname;		/* a token ends in -ov, -ev, -ova or -eva: a
								 * name of the former Soviet Union
								 * (token_score.c) */
	uint64		hyphened;		/* bit i: token i and i + 1 were one word,
								 * hyphened, in the name given */
	uint64		dotted;			/* bit i: token i was initials with dots in
								 * the name given ("E.A.") */
	uint64		dotted_digraphs;	/* bit i: and one of them more than a
									 * letter, a Cyrillic letter's ("Zh.T.",
									 * initials.c) */
	struct ScreenTokens *respelled; /* token i in English spelling
									 * (respell.c), or NULL */
	struct ScreenTokens *reading;	/* the whole name read another way
									 * (cantonese.c, japanese.c), whose own
									 * reading is the next way; or NULL */
} ScreenTokens;

/* One token pairing chosen by ScreenNameScore. */
typedef struct ScreenPair
{
	int			a;				/* token index in the first name */
	int			b;				/* token index in the second name */
	double		score;
	double		weight;			/* the two tokens' weights (ScreenTokenWeight) */
	double		mismatch_weight;	/* more in the denominator for a surname's
									 * shortfall */
} ScreenPair;

/* How ScreenNameScore reached its score, for screen()'s reasons. */
typedef struct ScreenMatch
{
	double		score;
	int			npairs;
	ScreenPair *pairs;			/* best first */
	bool	   *a_paired;
	bool	   *b_paired;
	double		a_unpaired_weight;	/* what the unpaired tokens weigh in the
									 * score */
	double		b_unpaired_weight;
	double		order_factor;	/* 1 in the same order, SCREEN_ROTATION_FACTOR
								 * or SCREEN_ORDER_FACTOR (similarity.c) */
	const ScreenTokens *a_tokens;	/* the tokens scored: the names given, or */
	const ScreenTokens *b_tokens;	/* one with two adjacent tokens joined */
} ScreenMatch;

/* normalize.c */
extern char *ScreenCheckedName(FunctionCallInfo fcinfo, int argno, const char *argname);
extern char *ScreenNormalize(const char *name, bool drop_company_forms);
extern bool ScreenIsCompanyForm(const char *token, int len);
extern bool ScreenIsNameLikeForm(const char *token, int len);
#define SCREEN_NAME_LIKE_FORM_MAX 4 /* the longest of those, in letters */
extern uint64 ScreenCompanyFormsVersion(void);

/* token_score.c */
extern double ScreenJaroWinkler(const char *a, int alen, const char *b, int blen);
extern int	ScreenCompareToken(const char *a, int alen, const char *b, int blen);
extern double ScreenTokenScore(const ScreenTokens *a, int i, const ScreenTokens *b, int j);

/* similarity.c */
extern double ScreenTokenWeight(const ScreenTokens *t, int i);
extern double ScreenNameScore(const ScreenTokens *a, const ScreenTokens *b, ScreenMatch *match);

/* tokens.c */
extern ScreenTokens *ScreenTokenize(const char *normalized, bool drop_company_forms);
extern Size ScreenTokensSize(const ScreenTokens *t);
extern ScreenTokens *ScreenPackTokens(const ScreenTokens *t, char *space);
extern char *ScreenWithoutCompanyForms(const char *normalized);
extern bool ScreenIsSuffix(const char *token, int len);

/* rarity.c */
extern void ScreenWeighTokens(ScreenTokens *t);
extern ScreenTokens *ScreenWeighedTokens(const char *normalized, const char *name);
extern uint64 ScreenWeightsVersion(void);


/* screen_case.c */
extern double screen_case_max_threshold;
extern uint64 RiskScreenMatches(Datum *values, const char *nulls);

/* screen_cache.c */
extern bool screen_cache_enabled;
extern int	screen_cache_max_names;
extern bool ScreenCandidateIds(const char *normalized, const char *keys, double threshold,
							   double key_threshold, int limit, int64 **ids,
							   const ScreenTokens ***tokens, int *count);

#endif							/* KYC_SCREENING_H */
