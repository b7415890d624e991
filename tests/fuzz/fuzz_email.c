/*
 * fuzz_email.c
 *		The email rule of applicants (kyc_onboarding/validate.c):
 *		OnboardingEmailProblem() against an independent reading of it, and each
 *		refusal naming the part of the address that is at fault.
 */
#include "fuzz.h"

#include "kyc_onboarding.h"

/* Whether c may stand unquoted in a local part: RFC 5322's atext and the dot. */
static bool
IsAtext(unsigned char c)
{
	return (c < 128 && isalnum(c)) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

/* A local part: 1 to 64 atext characters, no dot first, last or twice in a row. */
static bool
LocalPartOk(const char *s, size_t len)
{
	size_t		i;

	if (len < 1 || len > 64 || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!IsAtext((unsigned char) s[i]) || (s[i] == '.' && s[i + 1] == '.'))
			return false;
	return true;
}

/*
 * A domain: at most 253 bytes, two or more dot-separated labels of 1 to 63
 * ASCII letters, digits and hyphens, none starting or ending with a
 * hyphen, the last of two or more letters only.
 */
static bool
DomainOk(const char *s)
{
	size_t		len = strlen(s);
	int			labels = 0;
	const char *label = s;

	if (len == 0 || len > 253)
		return false;
	for (;;)
	{
		size_t		n = strcspn(label, ".");
		size_t		i;
		bool		letters = n >= 2;

		if (n < 1 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			return false;
		for (i = 0; i < n; i++)
		{
			unsigned char c = label[i];

			if (c >= 128 || !(isalnum(c) || c == '-'))
				return false;
			if (!isalpha(c))
				letters = false;
		}
		labels++;
		if (label[n] == '\0')
			return labels >= 2 && letters;
		label += n + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *email = FuzzText(data, size);

	if (email != NULL)
	{
		const char *problem = OnboardingEmailProblem(email);
		const char *at = strchr(email, '@');
		bool		one_at = at != NULL && strchr(at + 1, '@') == NULL;
		bool		local_ok = one_at && LocalPartOk(email, at - email);
		bool		domain_ok = one_at && DomainOk(at + 1);
		bool		valid = strlen(email) <= 254 && local_ok && domain_ok;

		FUZZ_CHECK((problem == NULL) == valid, "\"%s\": %s", email, problem ? problem : "accepted");
		if (problem != NULL)
		{
			FUZZ_CHECK(problem[strlen(problem) - 1] == '.', "%s", problem);
			/* A refusal blames the part at fault, and only that one. */
			if (strncmp(problem, "The part before @", 17) == 0)
				FUZZ_CHECK(one_at && !local_ok, "\"%s\": %s", email, problem);
			if (strstr(problem, "domain") != NULL || strncmp(problem, "The part after @", 16) == 0)
				FUZZ_CHECK(one_at && local_ok && !domain_ok, "\"%s\": %s", email, problem);
		}
	}
	FuzzFreeAll();
	return 0;
}
