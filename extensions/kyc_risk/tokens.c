/*
 * tokens.c
 *		A normalised name cut into the tokens name_similarity() pairs, each
 *		with its phonetic key (phonetic.c) and its weight.
 *
 * Arabic name particles are put with the word they belong to, as lists
 * write them both ways: "abd al aziz", "abdul aziz" and "abdulaziz" are
 * one token, as are "abu bakr" and "abubakr"; a lone article ("al", "el")
 * before a word is dropped ("bashar al assad" is "bashar assad"); "ibn" is
 * "bin".  Company forms, one word or several ("limited liability
 * company"), are dropped on request, as are runs of single letters that
 * spell one ("s a").
 */
#include "name_core.h"

/* An empty token list with room for capacity tokens. */
ScreenTokens *
ScreenNewTokens(int capacity)
{
	ScreenTokens *t = palloc(sizeof(ScreenTokens));

	capacity = Max(capacity, 1);
	t->count = 0;
	t->capacity = capacity;
	t->token = palloc(sizeof(char *) * capacity);
	t->len = palloc(sizeof(int) * capacity);
	t->key = palloc(sizeof(char *) * capacity);
	t->keylen = palloc(sizeof(int) * capacity);
	t->rarity = palloc(sizeof(double) * capacity);
	return t;
}

/* Append a token of len bytes (copied), with its key and the rarity given. */
void
ScreenAddToken(ScreenTokens *t, const char *token, int len, double rarity)
{
	int			i = t->count++;

	Assert(t->count <= t->capacity);
	t->token[i] = pnstrdup(token, len);
	t->len[i] = len;
	t->key[i] = palloc(len + 1);
	t->keylen[i] = ScreenPhoneticKey(token, len, t->key[i]);
	t->rarity[i] = rarity;
}

/* Whether the token is the string s. */
static bool
TokenIs(const char *token, int len, const char *s)
{
	return len == strlen(s) && memcmp(token, s, len) == 0;
}

/* Whether the token is one of the NULL-terminated words. */
static bool
TokenIn(const char *token, int len, const char *const *words)
{
	for (; *words; words++)
		if (TokenIs(token, len, *words))
			return true;
	return false;
}

/* The Arabic article, as lists write it (sun letters assimilate: "ar rahman"). */
static const char *const articles[] = {
	"al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an", "ud", "ur", "us", "uz", NULL
};

/* Words that join the next: "abd" (servant of) and "abu" (father of). */
static const char *const prefixes[] = {
	"abd", "bd", "abdul", "abdel", "abdal", "abdol", "abu", "abou", "bu", NULL
};

/* Connecting particles, which weigh SCREEN_PARTICLE_FACTOR of other tokens. */
static const char *const particles[] = {
	"bin", "bint", "binti", "ben", "bn", "ould", "ibn",
	"van", "von", "der", "den", "de", "da", "di", "del", "della", "dos", "das", "du", "la", "le",
	NULL
};

/* Whether the token is a connecting particle (see particles[]). */
static bool
IsParticle(const char *token, int len)
{
	return TokenIn(token, len, particles);
}

/*
 * A normalised name's tokens, the Arabic particles put with their words
 * (see the file comment).  Rarity is 1, but SCREEN_PARTICLE_FACTOR for a
 * connecting particle.
 */
ScreenTokens *
ScreenSplitTokens(const char *normalized)
{
	int			max = 1;
	const char **word;
	int		   *wlen;
	int			n = 0;
	const char *p;
	ScreenTokens *t;
	StringInfoData joined;
	int			i;

	for (p = normalized; *p; p++)
		if (*p == ' ')
			max++;
	word = palloc(sizeof(char *) * max);
	wlen = palloc(sizeof(int) * max);
	for (p = normalized; *p;)
	{
		int			len = strcspn(p, " ");

		if (len > 0)
		{
			word[n] = p;
			wlen[n++] = len;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	t = ScreenNewTokens(n);
	initStringInfo(&joined);
	for (i = 0; i < n; i++)
	{
		const char *w = word[i];
		int			len = wlen[i];

		/* "abd al aziz", "abu bakr": one token */
		if (i + 1 < n && TokenIn(w, len, prefixes))
		{
			resetStringInfo(&joined);
			appendBinaryStringInfo(&joined, w, len);
			if (i + 2 < n && TokenIn(word[i + 1], wlen[i + 1], articles))
			{
				i++;
				appendBinaryStringInfo(&joined, word[i], wlen[i]);
			}
			i++;
			appendBinaryStringInfo(&joined, word[i], wlen[i]);
			ScreenAddToken(t, joined.data, joined.len, 1.0);
			continue;
		}
		/* a lone article before a word: "al assad" */
		if (i + 1 < n && TokenIn(w, len, articles) && (TokenIs(w, len, "al") || TokenIs(w, len, "el")))
			continue;
		if (TokenIs(w, len, "ibn") || TokenIs(w, len, "bn"))
		{
			w = "bin";
			len = 3;
		}
		ScreenAddToken(t, w, len, IsParticle(w, len) ? SCREEN_PARTICLE_FACTOR : 1.0);
	}
	pfree(joined.data);
	return t;
}

/*
 * How many tokens from at spell a company form (ScreenIsCompanyForm), the
 * longest such run of up to four tokens, or of up to six single letters.
 */
static int
CompanyFormAt(const ScreenTokens *t, int at)
{
	StringInfoData buf;
	int			found = 0;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < 4 && at + k < t->count; k++)
	{
		if (k > 0)
			appendStringInfoChar(&buf, ' ');
		appendBinaryStringInfo(&buf, t->token[at + k], t->len[at + k]);
		if (ScreenIsCompanyForm(buf.data, buf.len))
			found = k + 1;
	}
	resetStringInfo(&buf);
	for (k = 0; k < 6 && at + k < t->count && t->len[at + k] == 1; k++)
	{
		appendStringInfoChar(&buf, t->token[at + k][0]);
		if (k > 0 && ScreenIsCompanyForm(buf.data, buf.len))
			found = Max(found, k + 1);
	}
	pfree(buf.data);
	return found;
}

/* A normalised name's tokens, company forms dropped if asked. */
ScreenTokens *
ScreenTokenize(const char *normalized, bool drop_company_forms)
{
	ScreenTokens *all = ScreenSplitTokens(normalized);
	ScreenTokens *kept;
	int			i;

	if (!drop_company_forms)
		kept = all;
	else
	{
		kept = ScreenNewTokens(all->count);
		for (i = 0; i < all->count;)
		{
			int			form = CompanyFormAt(all, i);

			if (form > 0)
			{
				i += form;
				continue;
			}
			ScreenAddToken(kept, all->token[i], all->len[i], all->rarity[i]);
			i++;
		}
		if (kept->count == 0)	/* a name that is all company forms stays whole */
			kept = all;
	}
	return kept;
}
