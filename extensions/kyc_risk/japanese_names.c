/*
 * japanese_names.c
 *		The readings a Japanese name's words may have, from ENAMDICT, the
 *		Electronic Dictionary Research and Development Group's dictionary of
 *		Japanese proper names (Debian's enamdict).
 *
 * A kanji name's reading cannot be worked out from its characters: 浩史
 * is Hiroshi, Koji or Hirofumi, as its bearer says.  MeCab knows one
 * reading of a word, or none (那津男 Natsuo), so a list's "Hiroshi" would
 * miss 浩史 read Koji.  ENAMDICT has every reading its editors have seen a
 * name take, each with its kind: a family name (s), a given name (g, m,
 * f), or unclassified (u).  Its file is sorted by its entries' bytes, in
 * EUC-JP, so it is mapped once a backend and searched in place: the
 * operating system's page cache holds one copy for every backend.
 */
#include "name_core.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>

/* Where Debian's enamdict puts the dictionary. */
#define ENAMDICT_PATH "/usr/share/edict/enamdict"

/* The longest word looked up, in bytes of UTF-8: a name's word is a few kanji. */
#define WORD_MAX 64

/* The dictionary, mapped; failed: it could not be, and a warning said so. */
static const char *dictionary = NULL;
static size_t dictionary_size = 0;
static bool dictionary_failed = false;

/* The dictionary mapped, or NULL (with a warning, once) when it cannot be. */
static const char *
Dictionary(void)
{
	int			fd;
	struct stat st;
	void	   *map;

	if (dictionary != NULL || dictionary_failed)
		return dictionary;
	dictionary_failed = true;
	fd = open(ENAMDICT_PATH, O_RDONLY | PG_BINARY, 0);
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0 ||
		(map = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0)) == MAP_FAILED)
	{
		int			save_errno = errno;

		if (fd >= 0)
			close(fd);
		errno = save_errno;
		ereport(WARNING,
				(errcode_for_file_access(),
				 errmsg("could not map Japanese names dictionary \"%s\": %m", ENAMDICT_PATH),
				 errdetail("Kanji names are read only as MeCab reads them."),
				 errhint("Install Debian's enamdict.")));
		return NULL;
	}
	close(fd);
	dictionary = map;
	dictionary_size = st.st_size;
	dictionary_failed = false;
	return dictionary;
}

/* UTF-8 s (len bytes) in the encoding named, into out (cap bytes); its length, or -1 if any character has none. */
static int
Convert(const char *encoding_to, const char *encoding_from, const char *s, int len, char *out, int cap)
{
	UErrorCode	status = U_ZERO_ERROR;
	int32_t		n;
	int			i;

	n = ucnv_convert(encoding_to, encoding_from, out, cap, s, len, &status);
	if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING || n >= cap)
		return -1;
	/* a character the encoding has not is substituted: ASCII SUB or '?' */
	for (i = 0; i < n; i++)
		if (out[i] == 0x1A || out[i] == '?')
			return -1;
	return n;
}

/* The offset of the line after the one holding offset at (the dictionary's size after the last). */
static size_t
NextLine(size_t at)
{
	const char *nl = memchr(dictionary + at, '\n', dictionary_size - at);

	return nl ? (size_t) (nl - dictionary) + 1 : dictionary_size;
}

/* How the key (an entry's first field, to its space) of the line at offset compares with key. */
static int
CompareKey(size_t line, const char *key, int keylen)
{
	const char *p = dictionary + line;
	size_t		left = dictionary_size - line;
	const char *space = memchr(p, ' ', Min(left, (size_t) WORD_MAX * 2));
	int			len = space ? space - p : (int) Min(left, (size_t) WORD_MAX * 2);
	int			c = memcmp(p, key, Min(len, keylen));

	return c != 0 ? c : len - keylen;
}

/*
 * The offset of the first line whose key is key, or the dictionary's size:
 * a binary search over offsets, each moved to the line after it, then a
 * scan of the few lines left between the two bounds.
 */
static size_t
FindKey(const char *key, int keylen)
{
	size_t		lo = 0;			/* a line before key's, or the file's first */
	size_t		hi = dictionary_size;	/* key's first line, a line after it,
										 * or the end */
	size_t		line;

	while (hi - lo > 1)
	{
		size_t		mid = NextLine(lo + (hi - lo) / 2);

		if (mid >= hi)
			break;
		if (CompareKey(mid, key, keylen) < 0)
			lo = mid;
		else
			hi = mid;
	}
	for (line = lo; line < hi && CompareKey(line, key, keylen) < 0; line = NextLine(line))
		;
	return line < dictionary_size && CompareKey(line, key, keylen) == 0 ? line : dictionary_size;
}

/* The kind (JAPANESE_FAMILY, JAPANESE_GIVEN) that an entry's kind letter says, or 0. */
static int
KindOf(char letter)
{
	switch (letter)
	{
		case 's':
			return JAPANESE_FAMILY;
		case 'g':
		case 'm':
		case 'f':
			return JAPANESE_GIVEN;
		case 'u':
			return JAPANESE_FAMILY | JAPANESE_GIVEN;
	}
	return 0;
}

/* The kinds an entry's "/(s,g)" says, from p, its line's end at end: its one-letter kinds' (KindOf()). */
static int
EntryKinds(const char *p, const char *end)
{
	int			kinds = 0;

	if (end - p < 3 || p[0] != '/' || p[1] != '(')
		return 0;
	for (p += 2; p < end && *p != ')';)
	{
		const char *start = p;

		while (p < end && *p != ',' && *p != ')')
			p++;
		if (p - start == 1)
			kinds |= KindOf(*start);
		if (p < end && *p == ',')
			p++;
	}
	return kinds;
}

/*
 * The readings (hiragana, UTF-8, palloc'd) that the dictionary gives word
 * (len bytes of UTF-8 kanji) as a name of any of kinds, into readings, up
 * to max of them, in the dictionary's order; how many.  None when the
 * dictionary cannot be mapped or the word has a character EUC-JP has not.
 */
int
ScreenJapaneseNameReadings(const char *word, int len, int kinds, char **readings, int max)
{
	char		key[WORD_MAX * 2];
	int			keylen;
	size_t		line;
	int			n = 0;

	if (len <= 0 || len > WORD_MAX || Dictionary() == NULL ||
		(keylen = Convert("EUC-JP", "UTF-8", word, len, key, sizeof(key))) <= 0)
		return 0;
	for (line = FindKey(key, keylen); line < dictionary_size && n < max &&
		 CompareKey(line, key, keylen) == 0; line = NextLine(line))
	{
		const char *p = dictionary + line + keylen;
		const char *end = dictionary + NextLine(line);
		const char *close;
		char		reading[WORD_MAX * 2];
		int			rlen;

		/* "KEY [READING] /(KINDS) ..."; an entry of kana alone has no reading */
		if (end - p < 4 || p[0] != ' ' || p[1] != '[' ||
			(close = memchr(p, ']', end - p)) == NULL || close - p - 2 > WORD_MAX ||
			!(EntryKinds(close + 2, end) & kinds))
			continue;
		rlen = Convert("UTF-8", "EUC-JP", p + 2, close - p - 2, reading, sizeof(reading));
		if (rlen > 0)
			readings[n++] = pnstrdup(reading, rlen);
	}
	return n;
}
