/*
 * initials.c
 *		Initials written with dots: which tokens a name wrote so, and
 *		where each initial ends.
 *
 * Normalisation drops dots and runs a name's initials together ("E.A.
 * Lobanova" is "ea lobanova", "Лукашенко А.Г." "lukashenko ag"), so that
 * a token of two or three letters may be initials or a name's syllable
 * ("ea", "vi", "ka").  The name as given says which: here a token is
 * marked dotted when the name wrote it as letters each followed by a dot,
 * in any script (rewrites.c then reads it as initials).  A Cyrillic
 * letter's initial may take two Latin letters or more (Ж. zh, Е. ye, Щ.
 * shch, and as lists write them, "Zh.T."); such a token is read with those
 * letters together (ScreenInitialLength()).
 */
#include "name_core.h"

#include "mb/pg_wchar.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Initials read from one run, as normalisation writes them; more are not initials. */
#define RUN_MAX 16

/* The romanisations of Cyrillic letters of more than one Latin letter, longest first. */
static const char *const cyrillic_initials[] = {
	"shch", "zh", "kh", "ch", "sh", "ts", "ya", "ye", "yo", "yu", NULL
};

/*
 * The normalised text of the letter at p (len bytes, one code point), into
 * buf (RUN_MAX bytes); its length, or -1 if it is no letter or writes
 * more than the buffer holds.  An ASCII letter is itself, lowercase; another
 * is what normalisation makes of it alone (А a, Е ye, Щ shch).
 */
static int
InitialText(const char *p, int len, char *buf)
{
	char		letter[8];
	char	   *normalized;
	int			n;

	if (len == 1)
	{
		buf[0] = pg_ascii_tolower((unsigned char) p[0]);
		return 1;
	}
	memcpy(letter, p, len);
	letter[len] = '\0';
	/* NULL, not an error, for a letter normalisation writes as nothing (Ь) */
	normalized = ScreenNormalizeName(letter);
	if (normalized == NULL)
		return -1;
	n = strlen(normalized);
	if (n == 0 || n >= RUN_MAX || strchr(normalized, ' ') != NULL)
		n = -1;
	else
		memcpy(buf, normalized, n);
	pfree(normalized);
	return n;
}

/* The length of the letter at p (a UTF-8 code point that is a letter), or 0. */
static int
LetterAt(const char *p)
{
	UChar32		c;
	int32_t		i = 0;

	if (isalpha((unsigned char) *p))
		return 1;
	if ((unsigned char) *p < 0x80)
		return 0;
	U8_NEXT(p, i, 4, c);
	return c >= 0 && u_isalpha(c) ? i : 0;
}

/*
 * Read the dotted initials at p, a word's start, into run (RUN_MAX bytes):
 * their normalised text's length, 0 if there are fewer than two or p is
 * not initials; *end past them, *longer whether one initial's text is
 * longer than a letter.  An ASCII capital with a lowercase letter before
 * the dot is one initial ("Zh.").
 */
static int
ReadRun(const char *p, char *run, const char **end, bool *longer)
{
	int			len = 0;
	int			groups = 0;

	*longer = false;
	for (;;)
	{
		int			n = LetterAt(p);
		int			width;

		if (n == 1 && isupper((unsigned char) p[0]) && islower((unsigned char) p[1]) && p[2] == '.')
			n = 2;
		if (n == 0 || p[n] != '.')
			break;
		if (n == 2 && isascii((unsigned char) p[0]))
		{
			run[len] = pg_ascii_tolower((unsigned char) p[0]);
			run[len + 1] = p[1];
			width = 2;
		}
		else if ((width = InitialText(p, n, run + len)) < 0)
			return 0;
		if (len + width >= RUN_MAX)
			return 0;
		*longer |= width > 1;
		len += width;
		groups++;
		p += n + 1;
	}
	*end = p;
	return groups >= 2 && !isalnum((unsigned char) *p) && LetterAt(p) == 0 ? len : 0;
}

/*
 * Which of t's tokens the name given wrote as initials with dots and no
 * space ("E.A.", "Zh.T.", "А.Г."), which normalisation runs together: bit
 * i for token i; into *longer, the bits of those with an initial written
 * with more than one letter.
 */
uint64
ScreenDottedInitials(const ScreenTokens *t, const char *name, uint64 *longer)
{
	const char *c = name;
	uint64		bits = 0;

	*longer = 0;
	if (strchr(name, '.') == NULL)
		return 0;
	while (*c)
	{
		char		run[RUN_MAX * 2];
		const char *end = c;
		bool		more = false;
		int			len;
		int			i;

		/*
		 * at a word's start only: after an ASCII character that is no letter
		 * or digit
		 */
		if (LetterAt(c) == 0 || (c > name && ((unsigned char) c[-1] >= 0x80 || isalnum((unsigned char) c[-1]))))
		{
			c++;
			continue;
		}
		len = ReadRun(c, run, &end, &more);
		for (i = 0; len > 0 && i < t->count && i < 64; i++)
			if (t->len[i] == len && memcmp(t->token[i], run, len) == 0)
			{
				bits |= UINT64CONST(1) << i;
				if (more)
					*longer |= UINT64CONST(1) << i;
			}
		c = end > c ? end : c + 1;
	}
	return bits;
}

/*
 * The length of the initial at byte k of token at of t: one letter, or,
 * in a token whose initials have more (ScreenDottedInitials()), the
 * longest romanisation of a Cyrillic letter there (cyrillic_initials).
 */
int
ScreenInitialLength(const ScreenTokens *t, int at, int k)
{
	const char *const *r;

	if (!ScreenTokenBit(t->dotted_digraphs, at))
		return 1;
	for (r = cyrillic_initials; *r; r++)
	{
		int			n = strlen(*r);

		if (k + n <= t->len[at] && memcmp(t->token[at] + k, *r, n) == 0)
			return n;
	}
	return 1;
}

/* Whether token i of t is one initial written with a dot: a part of dotted initials, of its letters. */
bool
ScreenIsDottedInitial(const ScreenTokens *t, int i)
{
	return ScreenTokenBit(t->dotted, i) && ScreenInitialLength(t, i, 0) == t->len[i];
}

/*
 * Whether token i of t is one initial written with a dot (a part of
 * dotted initials, ScreenInitialLength() long) that starts word (len
 * bytes), of three letters or more: as written, or, for a Cyrillic
 * vowel's y and vowel (Е. ye, Ю. yu, Я. ya), the vowel after i or j, and
 * Е.'s e alone, as other romanisations write them (Iurii, Jurij, Elena).
 */
bool
ScreenDottedInitialOf(const ScreenTokens *t, int i, const char *word, int len)
{
	const char *s = t->token[i];
	int			n = t->len[i];

	if (!ScreenIsDottedInitial(t, i) || len < 3 || n >= len)
		return false;
	if (memcmp(s, word, n) == 0)
		return true;
	/* Е. is Elena too; Я. and Ю. are never A or U alone, but Iulia, Julia */
	return n == 2 && s[0] == 'y' &&
		((word[0] == s[1] && s[1] == 'e') || ((word[0] == 'i' || word[0] == 'j') && word[1] == s[1]));
}
