/*
 * romanize_armenian.c
 *		Armenian names in Latin letters as lists write them: Խաչատրյան is
 *		"khachatryan", Երվանդ "yervand".
 *
 * ICU's Armenian-Latin is a scholarly transliteration ("xačʻatryan"), whose
 * x, č, š and ž lose their marks as "x", "c", "s" and "z"; lists write
 * kh, ch, sh and zh, as BGN/PCGN and the passports' romanisation do.  Here
 * each letter is written so: ծ and ց ts, ձ dz, ղ gh, ջ j, ու u, and ե and ո
 * at a word's start ye and vo ("Yerevan", "Vorotan"); և ev.  Aspiration
 * and the apostrophes of the scholarly system are not written.
 */
#include "name_core.h"

#include "lib/stringinfo.h"

#include <unicode/uchar.h>

#define ARMENIAN_CAPITAL_FIRST 0x0531
#define ARMENIAN_CAPITAL_LAST 0x0556
#define ARMENIAN_SMALL_FIRST 0x0561
#define ARMENIAN_SMALL_LAST 0x0586
#define ARMENIAN_EV 0x0587
#define ARMENIAN_MARKS_FIRST 0x055A /* apostrophe, emphasis, question marks */
#define ARMENIAN_MARKS_LAST 0x055F
#define SMALL_ECH 0x0565
#define SMALL_VO 0x0578
#define SMALL_VEW 0x0582

/* The small letters U+0561..U+0586 in Latin. */
static const char *const letters[] = {
	"a", "b", "g", "d", "e", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h",
	"dz", "gh", "ch", "m", "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r",
	"ts", "v", "p", "k", "o", "f"
};

/* Whether c is an Armenian letter or mark read here. */
bool
ScreenIsArmenian(uint16_t c)
{
	return (c >= ARMENIAN_CAPITAL_FIRST && c <= ARMENIAN_CAPITAL_LAST) ||
		(c >= ARMENIAN_MARKS_FIRST && c <= ARMENIAN_MARKS_LAST) ||
		(c >= ARMENIAN_SMALL_FIRST && c <= ARMENIAN_EV);
}

/* Append the run u[from..to) of Armenian letters, one word, in Latin to out. */
void
ScreenRomanizeArmenian(StringInfo out, const uint16_t *u, int32_t from, int32_t to)
{
	bool		word_start = true;
	int32_t		i;

	StaticAssertStmt(lengthof(letters) == ARMENIAN_SMALL_LAST - ARMENIAN_SMALL_FIRST + 1,
					 "one entry an Armenian letter");
	for (i = from; i < to; i++)
	{
		uint16_t	c = u[i];
		uint16_t	next;

		if (c >= ARMENIAN_MARKS_FIRST && c <= ARMENIAN_MARKS_LAST)
			continue;			/* not letters: nothing */
		if (c <= ARMENIAN_CAPITAL_LAST)
			c += ARMENIAN_SMALL_FIRST - ARMENIAN_CAPITAL_FIRST;
		next = i + 1 < to ? u[i + 1] : 0;
		if (c == SMALL_VO && next == SMALL_VEW)
		{
			appendStringInfoChar(out, 'u');
			i++;
		}
		else if (c == ARMENIAN_EV)
			appendStringInfoString(out, word_start ? "yev" : "ev");
		else if (word_start && c == SMALL_ECH)
			appendStringInfoString(out, "ye");
		else if (word_start && c == SMALL_VO)
			appendStringInfoString(out, "vo");
		else
			appendStringInfoString(out, letters[c - ARMENIAN_SMALL_FIRST]);
		word_start = false;
	}
}
