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
 * company"), are dropped on request, before the particles are joined.
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
	t->skeletal = false;
	t->transliterated = false;
	t->script = 0;
	t->company = false;
	t->other_cyrillic = false;
	t->spelled = false;
	t->pinyin = false;
	t->family_readings = 0;
	t->han = false;
	t->hong_kong = false;
	t->katakana = false;
	t->syllables = false;
	t->ov_surname = false;
	t->hyphened = 0;
	t->whole = false;
	t->dotted = 0;
	t->dotted_digraphs = 0;
	t->respelled = NULL;
	t->reading = NULL;
	return t;
}

/* Free t's tokens, keys and arrays (not its respelling), and t. */
void
ScreenFreeTokens(ScreenTokens *t)
{
	int			i;

	for (i = 0; i < t->count; i++)
	{
		pfree(t->token[i]);
		if (t->key[i])
			pfree(t->key[i]);
	}
	pfree(t->token);
	pfree(t->len);
	pfree(t->key);
	pfree(t->keylen);
	pfree(t->rarity);
	pfree(t);
}

/* Append a token of len bytes (copied) with the rarity given; its key if with_key. */
static void
AddToken(ScreenTokens *t, const char *token, int len, double rarity, bool with_key)
{
	int			i = t->count;

	if (t->count >= t->capacity)
		elog(ERROR, "a name has more tokens than were allowed for");
	t->count++;
	t->token[i] = pnstrdup(token, len);
	t->len[i] = len;
	t->key[i] = NULL;
	t->keylen[i] = 0;
	if (with_key)
	{
		t->key[i] = palloc(SCREEN_KEY_SIZE(len));
		t->keylen[i] = ScreenPhoneticKey(token, len, t->key[i]);
	}
	t->rarity[i] = rarity;
}

/* Append a token of len bytes (copied), with its key and the rarity given. */
void
ScreenAddToken(ScreenTokens *t, const char *token, int len, double rarity)
{
	AddToken(t, token, len, rarity, true);
}

/*
 * Whether the token is the string s (without strlen: this runs for every
 * word against every list, and scoring asks it for every pair; the first
 * letter answers most without a call).
 */
static inline bool
TokenIs(const char *token, int len, const char *s)
{
	return len > 0 && token[0] == s[0] && strncmp(token, s, len) == 0 && s[len] == '\0';
}

/* TokenIs() for the other files (variants.c). */
bool
ScreenTokenIs(const char *token, int len, const char *s)
{
	return TokenIs(token, len, s);
}

/* Whether the token is one of the NULL-terminated words (similarity.c asks it too). */
bool
ScreenTokenIn(const char *token, int len, const char *const *words)
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

/* Connecting particles ("ibn" and "bn" are read as "bin" first), and generational suffixes. */
static const char *const particles[] = {
	"bin", "bint", "binti", "ben", "ould",
	"van", "von", "der", "den", "de", "da", "di", "del", "della", "dos", "das", "du", "la", "le",
	"jr", "junior", "sr", "senior", "ii", "iii", "iv",
	NULL
};

/*
 * Titles and honorifics that lists write before a name ("Mullah Akhtar
 * Mansour", "Maulvi Abdul Kabir", "Col. Petrenko"), dropped when two words
 * or more follow.  Not those that are also names or family names (Amir,
 * Sultan, Hafiz, Sheikh, Syed, Imam).
 */
static const char *const titles[] = {
	"mr", "mrs", "ms", "dr", "prof", "gen", "col", "maj", "capt", "lt", "sgt", "adm", "rev", "hon",
	"mullah", "mulla", "maulvi", "maulavi", "mawlawi", "moulvi", "maulana", "mawlana", "qari", "mufti",
	"haji", "hajji", "alhaj", "alhaji", "ayatollah", "hojatoleslam",
	NULL
};

/* Generational suffixes, which follow the surname ("Kadhafi Junior"). */
static const char *const suffixes[] = {
	"jr", "junior", "sr", "senior", "ii", "iii", "iv", NULL
};

/* Whether the token is a generational suffix. */
bool
ScreenIsSuffix(const char *token, int len)
{
	return ScreenTokenIn(token, len, suffixes);
}

/* A normalised name's words, as they are, without keys. */
static ScreenTokens *
SplitWords(const char *normalized)
{
	int			max = 1;
	const char *p;
	ScreenTokens *t;

	for (p = normalized; *p; p++)
		if (*p == ' ')
			max++;
	t = ScreenNewTokens(max);
	for (p = normalized; *p;)
	{
		int			len = strcspn(p, " ");

		if (len > 0)
			AddToken(t, p, len, 1.0, false);
		p += len;
		while (*p == ' ')
			p++;
	}
	return t;
}

/*
 * How many words from at spell a company form (ScreenIsCompanyForm): the
 * longest run, of up to six words (Vietnamese "cong ty trach nhiem huu
 * han"), or of up to five single letters
 * written apart ("S. A. S.", "L L C"); three at least, since two may be a
 * person's initials ("Kumar A. S.").
 */
static int
CompanyFormAt(const ScreenTokens *t, int at)
{
	char		buf[64];		/* forms are at most 63 bytes */
	char		letters[6];
	int			len = 0;
	int			found = 0;
	int			k;

	for (k = 0; k < 6 && at + k < t->count; k++)
	{
		if (len + (k > 0) + t->len[at + k] >= sizeof(buf))
			break;
		if (k > 0)
			buf[len++] = ' ';
		memcpy(buf + len, t->token[at + k], t->len[at + k]);
		len += t->len[at + k];
		if (ScreenIsCompanyForm(buf, len))
			found = k + 1;
	}
	for (k = 0; k < 5 && at + k < t->count && t->len[at + k] == 1; k++)
	{
		letters[k] = t->token[at + k][0];
		if (k >= 2 && ScreenIsCompanyForm(letters, k + 1))
			found = Max(found, k + 1);
	}
	return found;
}

/* Forms of two letters that lead a company's name: PT Bank Mandiri, AO Gazprom, AB Volvo, AS Eesti Energia, Oy Fazer. */
static const char *const leading_forms[] = {"pt", "ao", "ab", "as", "oy", NULL};

/*
 * Whether the first n words, a company form, are more likely a person's
 * initials: two letters at most, before one word of three letters or more
 * and nothing else ("A.G. Lukashenko", "A S Kumar"), and not a form that
 * leads a company's name (leading_forms).  Longer forms lead too (OOO,
 * TOV); after a comma a form comes first, and most such names have more
 * words ("ACME Holdings, S.A."): "ACME, S.A." keeps its "sa".
 */
static bool
LeadingInitials(const ScreenTokens *words, int n)
{
	int			letters = 0;
	int			k;

	if (words->count != n + 1 || words->len[n] < 3)
		return false;
	for (k = 0; k < n; k++)
		letters += words->len[k];
	return letters <= 2 && !ScreenTokenIn(words->token[0], words->len[0], leading_forms);
}

/* The words that are not company forms, nor initials that spell one; all of them if nothing else is left. */
static ScreenTokens *
DropCompanyForms(ScreenTokens *words)
{
	ScreenTokens *kept = ScreenNewTokens(words->count);
	int			i = 0;

	while (i < words->count)
	{
		int			form = CompanyFormAt(words, i);

		if (i == 0 && form > 0 && LeadingInitials(words, form))
			form = 0;

		if (form == 0)
			AddToken(kept, words->token[i], words->len[i], words->rarity[i], false);
		i += Max(form, 1);
	}
	return kept->count > 0 ? kept : words;
}

/* Whether a word connects others: an article, "abd" or "abu", a particle (similarity.c asks too). */
bool
ScreenConnecting(const char *token, int len)
{
	return ScreenTokenIn(token, len, articles) || ScreenTokenIn(token, len, prefixes) || ScreenTokenIn(token, len, particles) ||
		TokenIs(token, len, "ibn") || TokenIs(token, len, "bn");
}

/*
 * Whether a name's words (company forms dropped) are written as consonant
 * skeletons (skeleton.c): a word of three letters or more has no vowel,
 * not even y ("mhmd"; not "lynch"), or every word but the connecting ones
 * has no vowel but y, and one has two letters or more ("hsyn ly", "bd al
 * lh", "nn ch").  A Latin name with a vowelless abbreviation ("Md", "Ng")
 * is not one.
 */
static bool
NameIsSkeletal(const ScreenTokens *words)
{
	bool		all = true;
	bool		some = false;
	int			i;

	for (i = 0; i < words->count; i++)
	{
		const char *w = words->token[i];
		int			len = words->len[i];

		if (len >= 3 && ScreenVowelless(w, len, false))
			return true;
		if (ScreenConnecting(w, len))
			continue;
		if (!ScreenVowelless(w, len, true))
			all = false;
		else if (len >= 2)
			some = true;
	}
	return all && some;
}

/*
 * The words with the Arabic particles put with theirs (see the file
 * comment), each with its key; rarity SCREEN_PARTICLE_FACTOR for a
 * connecting particle.
 */
static ScreenTokens *
JoinParticles(const ScreenTokens *words)
{
	ScreenTokens *t = ScreenNewTokens(words->count);
	StringInfoData joined;
	int			n = words->count;
	bool		skeletal = NameIsSkeletal(words);
	int			i = 0;

	/*
	 * leading titles, before two words or more ("Mullah Akhtar Mansour"); not
	 * in a skeleton ("dr")
	 */
	while (!skeletal && n - i > 2 && ScreenTokenIn(words->token[i], words->len[i], titles))
		i++;
	initStringInfo(&joined);
	for (; i < n; i++)
	{
		const char *w = words->token[i];
		int			len = words->len[i];

		/* "abd al aziz", "abu bakr": one token */
		if (i + 1 < n && ScreenTokenIn(w, len, prefixes))
		{
			resetStringInfo(&joined);
			appendBinaryStringInfo(&joined, w, len);
			if (i + 2 < n && ScreenTokenIn(words->token[i + 1], words->len[i + 1], articles))
			{
				i++;
				appendBinaryStringInfo(&joined, words->token[i], words->len[i]);
			}
			i++;
			appendBinaryStringInfo(&joined, words->token[i], words->len[i]);
			ScreenAddToken(t, joined.data, joined.len, 1.0);
			continue;
		}
		/* a lone article before a word: "al assad" */
		if (i + 1 < n && (TokenIs(w, len, "al") || TokenIs(w, len, "el")))
			continue;
		if (TokenIs(w, len, "ibn") || TokenIs(w, len, "bn"))
		{
			w = "bin";
			len = 3;
		}
		ScreenAddToken(t, w, len, ScreenTokenIn(w, len, particles) ? SCREEN_PARTICLE_FACTOR : 1.0);
	}
	pfree(joined.data);
	t->skeletal = skeletal;
	return t;
}

/* Whether a token ends in -ov, -ev, -ova or -eva after three letters or more ("komilov", "aliyeva"). */
static bool
OvSurname(const char *t, int len)
{
	if (len >= 4 && t[len - 1] == 'a')
		len--;
	return len >= 5 && t[len - 1] == 'v' && (t[len - 2] == 'o' || t[len - 2] == 'e');
}

/*
 * t, with its pinyin if it is in Wade-Giles (wade_giles.c), which every
 * token shows, else its English spelling if it has one (respell.c), which
 * one token may show ("chou", French ou and ch); and marked if a token
 * ends as a surname of the former Soviet Union does (OvSurname()).
 */
static ScreenTokens *
WithRespelling(ScreenTokens *t)
{
	int			i;

	t->respelled = ScreenWadeGiles(t);
	if (t->respelled == NULL)
		t->respelled = ScreenRespell(t);
	for (i = 0; i < t->count && !t->ov_surname; i++)
		t->ov_surname = OvSurname(t->token[i], t->len[i]);
	if (t->respelled)
		t->respelled->ov_surname = t->ov_surname;
	return t;
}

/* A normalised name's tokens, the Arabic particles put with their words. */
ScreenTokens *
ScreenSplitTokens(const char *normalized)
{
	return WithRespelling(JoinParticles(SplitWords(normalized)));
}

/* A normalised name's tokens, company forms dropped first if asked (and then marked a company's). */
ScreenTokens *
ScreenTokenize(const char *normalized, bool drop_company_forms)
{
	ScreenTokens *words = SplitWords(normalized);
	ScreenTokens *kept = drop_company_forms ? DropCompanyForms(words) : words;
	ScreenTokens *t = WithRespelling(JoinParticles(kept));

	t->company = kept->count < words->count;
	return t;
}

/*
 * t, cut from normalized, with the name's tokens with its company form
 * kept as its other reading, when that form has two letters at most and
 * left one word ("Lukashenko A.G."): the letters may be a person's
 * initials, which the reading pairs (rewrites.c); "Siemens AG" scores 1
 * against Siemens without it.
 */
ScreenTokens *
ScreenWithFormInitials(ScreenTokens *t, const char *normalized)
{
	ScreenTokens *words;
	ScreenTokens *last = t;

	if (!t->company || t->skeletal || t->count != 1)
		return t;

	/*
	 * after the name's other readings, the other Cyrillic one say ("Лукашенко
	 * А.Г.")
	 */
	while (last->reading != NULL)
		last = last->reading;
	words = SplitWords(normalized);
	if (words->count == 2 && Min(words->len[0], words->len[1]) <= 2 && Max(words->len[0], words->len[1]) >= 3)
		last->reading = WithRespelling(JoinParticles(words));
	return t;
}

/* The bytes ScreenPackTokens() needs for t. */
Size
ScreenTokensSize(const ScreenTokens *t)
{
	Size		size = MAXALIGN(sizeof(ScreenTokens)) +
	MAXALIGN((sizeof(char *) * 2 + sizeof(double)) * Max(t->count, 1)) +
	MAXALIGN(sizeof(int) * 2 * Max(t->count, 1));
	int			i;

	for (i = 0; i < t->count; i++)
		size += t->len[i] + 1 + (t->key[i] ? t->keylen[i] + 1 : 0);
	size = MAXALIGN(size);
	if (t->respelled)
		size += ScreenTokensSize(t->respelled);
	return t->reading ? size + ScreenTokensSize(t->reading) : size;
}

/*
 * A copy of t in one piece, at space (ScreenTokensSize() bytes, maxaligned),
 * so that a cache keeps many without an allocation each.  It is full: no
 * token can be added to it.
 */
ScreenTokens *
ScreenPackTokens(const ScreenTokens *t, char *space)
{
	ScreenTokens *p = (ScreenTokens *) space;
	int			n = Max(t->count, 1);
	char	   *at = space + MAXALIGN(sizeof(ScreenTokens));
	int			i;

	*p = *t;
	p->capacity = t->count;
	p->token = (char **) at;
	p->key = p->token + n;
	/* 2n pointers end 8-byte aligned: the doubles may follow */
	/* cppcheck-suppress invalidPointerCast */
	p->rarity = (double *) (p->key + n);
	at += MAXALIGN((sizeof(char *) * 2 + sizeof(double)) * n);
	p->len = (int *) at;
	p->keylen = p->len + n;
	at += MAXALIGN(sizeof(int) * 2 * n);
	for (i = 0; i < t->count; i++)
	{
		p->len[i] = t->len[i];
		p->keylen[i] = t->keylen[i];
		p->rarity[i] = t->rarity[i];
		p->token[i] = at;
		memcpy(at, t->token[i], t->len[i]);
		at[t->len[i]] = '\0';
		at += t->len[i] + 1;
		p->key[i] = NULL;
		if (t->key[i])
		{
			p->key[i] = at;
			memcpy(at, t->key[i], t->keylen[i]);
			at[t->keylen[i]] = '\0';
			at += t->keylen[i] + 1;
		}
	}
	at = space + MAXALIGN(at - space);
	if (t->respelled)
	{
		p->respelled = ScreenPackTokens(t->respelled, at);
		at += ScreenTokensSize(t->respelled);
	}
	if (t->reading)
		p->reading = ScreenPackTokens(t->reading, at);
	return p;
}

/* A normalised name without its company forms, unless nothing else is left. */
char *
ScreenWithoutCompanyForms(const char *normalized)
{
	ScreenTokens *kept = DropCompanyForms(SplitWords(normalized));
	StringInfoData out;
	int			i;

	initStringInfo(&out);
	for (i = 0; i < kept->count; i++)
	{
		if (i > 0)
			appendStringInfoChar(&out, ' ');
		appendBinaryStringInfo(&out, kept->token[i], kept->len[i]);
	}
	return out.data;
}
