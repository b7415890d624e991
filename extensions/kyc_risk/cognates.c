/*
 * cognates.c
 *		Given names and their forms in other languages: Joseph, Iosif and
 *		Yusuf; George, Georgios and Yuri; Stephen, Stepan and Etienne.
 *
 * Lists write a person's given name in the form of the list's language or
 * of the person's, and the forms of one name share too few letters for
 * any spelling rule: Iosif and Joseph score 0.52, Stepan and Stephen 0.48.
 * Two tokens in one group below are one name (token_score.c scores them
 * SCREEN_COGNATE_SCORE).  A group holds a name's forms in the languages
 * whose people lists carry most (English, French, Spanish, Portuguese,
 * Italian, German, Dutch, Polish, Czech, Russian, Ukrainian, Greek,
 * Hebrew, Arabic, Turkish), as they are written once normalised, with
 * the short forms Greek names go by (Kostas for Konstantinos, Thanos
 * for Athanasios; not Takis, which is several names'), and
 * only forms of one gender everywhere: Andrea, Daniele, Gabriele and
 * Michele, men in Italy and women elsewhere, are left out, and so are Jean
 * and Jan (women in English), Yuri (a woman in Japan), Michal and Yona
 * (women in Hebrew).
 */
#include "name_core.h"

/* The shortest and longest form. */
#define COGNATE_MIN 3
#define COGNATE_MAX 12

/* Each group's forms, one space apart. */
static const char *const cognate_groups[] = {
	"john johann johannes hans juan giovanni ioannis yiannis giannis joao ivan ioan jovan yohannes sean",
	"joseph josef jozef jose giuseppe iosif osip yosef yossef yusuf youssef yousef yusef youcef josip",
	"jacob jakob jakub jacques giacomo iacob yakov yaakov yakub yaqub yacoub jacopo",
	"peter pieter pierre pedro pietro piotr pyotr petr petro petar petros boutros butrus",
	"paul pavel pablo paolo pawel paulo pavlo pavlos boulos bulus",
	"michael michel miguel mikhail mykhailo mihail mihai michalis mikail mikael",
	"stephen steven stefan stephan stephane etienne esteban stefano stepan stefanos istvan",
	"andrew andreas andre andres andrei andrey andriy andrzej andras andrija",
	"george georg georges jorge giorgio georgios giorgos yiorgos yorgos yury yuriy jiri jerzy gyorgy jurgen jorgen yegor egor heorhiy gheorghe jurij",
	"nicholas nicolas nikolai nikolay mykola nikola nicolae nikolaos nikos",
	"alexander alexandre alejandro alessandro aleksandr oleksandr aleksander alexandros iskandar iskander",
	"benjamin binyamin beniamino veniamin benyamin",
	"catherine katherine katharina caterina catalina ekaterina yekaterina katarzyna kateryna aikaterini katerina",
	"helen helena elena yelena olena eleni helene",
	"mary maria marie mariya maryam mariam miriam marija",
	"abraham avraham ibrahim",
	"moses moshe musa moise moises",
	"solomon shlomo suleiman sulayman sulaiman suleyman salomon",
	"david dawud davud daoud dawood davit davide",
	"daniel daniil danylo danyal",
	"gabriel gavriil jibril gavril",
	"thomas tomas tomasz tommaso foma",
	"matthew matthias mateusz matteo mateo matvei matvey mathieu matej",
	"simon semyon shimon szymon",
	"elijah elias ilya ilyas elie eliyahu ilias",
	"eugene eugen eugenio eugeniusz yevgeny yevgeniy evgeny evgeniy yevhen",
	"basil vasily vasiliy vasili vasyl vassilis vasilios vasileios vasilis basilio",
	"gregory grigory grigoriy grzegorz gregor gregorio hryhoriy grigorios grigoris gregoire",
	"theodore fyodor fedor feodor teodor theodoros fedir todor",
	"aristotle aristotelis aristoteles aristote",
	"euclid euclide euclides efkleidis evklidis eukleidis",
	"homer omiros homero omero homere",
	"spyridon spiridon spyridonas spiridione spyros spiros",
	"constantine konstantinos constantin konstantin costantino constantino kostas kostis dinos",
	"athanasius athanasios afanasy afanasiy atanas thanasis thanos",
	"panagiotis panayiotis panos",
	"evangelos vangelis",
	"eleftherios lefteris",
	"stylianos stelios",
	"emmanuel emmanouil immanuel emanuele manolis",
	"charalampos charalambos haralambos babis",
	"demetrius dimitrios dimitris dmitry dmitri dmitriy dimitri dimitar",
	"hercules heracles herakles iraklis ercole",
	"eustace eustathios efstathios eustathius eustachy",
	"julia yuliya yulia julija iuliia giulia",
	"sophia sofia sofiya sophie zofia",
	"isaac itzhak yitzhak ishaq isaak",
	"samuel shmuel samuil samuele",
	"zachary zakaria zakariya zechariah zacharias",
	"jonah yunus jonas",
	"lawrence laurent lorenzo lavrenty",
	"henry henri heinrich enrique enrico henrik henryk genrikh",
	"charles karl carl carlos carlo karol karel",
	"william wilhelm guillaume guillermo guglielmo willem",
	"francis francois francisco francesco franz frantisek franciszek",
	"louis ludwig luis luigi ludovic lajos",
	"anthony antonio anton antoine antonios antoni",
	"edward eduard eduardo edoardo edouard",
	"richard ricardo riccardo ryszard",
	"vincent vincenzo vicente wincenty",
	"mark marco marcus markus marek marko marc",
	"luke luca lucas lukas luka lukasz",
	"philip philippe felipe filippo filip philipp",
	"joshua yehoshua josue",
	"jonathan yonatan",
	"margaret margarita margherita malgorzata marguerite margareta",
	"rebecca rivka rebekah rebeca",
	"rachel rahel rakhil raquel",
	"susan susanna susanne suzanne zuzanna shoshana",
	"theresa teresa therese tereza",
};

/* One form and its group; the forms in an open-addressed hash table. */
typedef struct CognateForm
{
	const char *form;			/* NULL: an empty slot */
	int			len;
	int			group;
} CognateForm;

#define COGNATE_SLOTS 1024		/* a power of two, over twice the forms */
static CognateForm cognate_slots[COGNATE_SLOTS];
static bool cognate_slots_built = false;

/* Bit k of [c]: a form starting with letter c shares a group with one starting with letter k. */
static uint32 cognate_initials[26];

/* FNV-1a hash of token t (len bytes), cut to a slot. */
static int
CognateSlot(const char *t, int len)
{
	uint32		h = 2166136261u;
	int			i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char) t[i]) * 16777619u;
	return h & (COGNATE_SLOTS - 1);
}

/* Put the groups' forms into the hash table, once per backend. */
static void
BuildCognateSlots(void)
{
	int			nforms = 0;
	int			g;
	const char *p;
	const char *q;

	for (g = 0; g < lengthof(cognate_groups); g++)
		for (p = cognate_groups[g]; *p; p++)
			if (p == cognate_groups[g] || p[-1] == ' ')
				for (q = cognate_groups[g]; *q; q++)
					if (q == cognate_groups[g] || q[-1] == ' ')
						cognate_initials[*p - 'a'] |= ((uint32) 1) << (*q - 'a');
	for (g = 0; g < lengthof(cognate_groups); g++)
		for (p = cognate_groups[g]; *p;)
		{
			int			len = strcspn(p, " ");
			int			slot = CognateSlot(p, len);

			if (++nforms > COGNATE_SLOTS / 2)
				elog(ERROR, "cognates.c lists more than %d forms", COGNATE_SLOTS / 2);
			while (cognate_slots[slot].form != NULL)
				slot = (slot + 1) & (COGNATE_SLOTS - 1);
			cognate_slots[slot].form = p;
			cognate_slots[slot].len = len;
			cognate_slots[slot].group = g;
			p += len;
			while (*p == ' ')
				p++;
		}
	cognate_slots_built = true;
}

/* The group of token t (len bytes), or -1 if it is no form of one. */
static int
CognateGroup(const char *t, int len)
{
	int			slot = CognateSlot(t, len);

	if (!cognate_slots_built)
		BuildCognateSlots();
	for (; cognate_slots[slot].form != NULL; slot = (slot + 1) & (COGNATE_SLOTS - 1))
		if (cognate_slots[slot].len == len && memcmp(cognate_slots[slot].form, t, len) == 0)
			return cognate_slots[slot].group;
	return -1;
}

/*
 * The group of token t, remembering the last token asked: similarity.c
 * scores one token of a name against each of the other's in turn.
 */
static int
CognateGroupOfFirst(const char *t, int len)
{
	static char last[COGNATE_MAX];
	static int	last_len = 0;
	static bool last_known = false;
	static int	last_group;

	if (!last_known || len != last_len || memcmp(t, last, len) != 0)
	{
		last_group = CognateGroup(t, len);
		memcpy(last, t, len);
		last_len = len;
		last_known = true;
	}
	return last_group;
}

/* Whether tokens a and b, not equal, are forms of one given name ("iosif", "joseph"). */
bool
ScreenCognates(const char *a, int alen, const char *b, int blen)
{
	int			group;

	if (alen < COGNATE_MIN || blen < COGNATE_MIN || alen > COGNATE_MAX || blen > COGNATE_MAX ||
		a[0] < 'a' || a[0] > 'z' || b[0] < 'a' || b[0] > 'z')
		return false;			/* no form is shorter or longer, nor starts so */
	if (!cognate_slots_built)
		BuildCognateSlots();
	/* most pairs start with letters no group's forms start with */
	if ((cognate_initials[a[0] - 'a'] & (((uint32) 1) << (b[0] - 'a'))) == 0)
		return false;
	group = CognateGroupOfFirst(a, alen);
	return group >= 0 && group == CognateGroup(b, blen);
}

/* Whether token t is a form of one of the given names above ("carlos", "ivan"). */
bool
ScreenIsCognateName(const char *t, int len)
{
	if (len < COGNATE_MIN || len > COGNATE_MAX || t[0] < 'a' || t[0] > 'z')
		return false;
	if (!cognate_slots_built)
		BuildCognateSlots();
	return CognateGroup(t, len) >= 0;
}
