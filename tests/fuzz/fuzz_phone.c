/*
 * fuzz_phone.c
 *		The E.164 rule of applicants (kyc_onboarding/validate.c):
 *		OnboardingPhoneProblem() accepts exactly ^\+[1-9][0-9]{6,14}$.
 */
#include "fuzz.h"

#include "kyc_onboarding.h"

/* ^\+[1-9][0-9]{6,14}$, written apart from validate.c. */
static bool
IsE164(const char *s)
{
	size_t		digits = strspn(s + (s[0] == '+'), "0123456789");

	return s[0] == '+' && s[1] >= '1' && s[1] <= '9' && s[1 + digits] == '\0' &&
		digits >= 7 && digits <= 15;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *phone = FuzzText(data, size);

	if (phone != NULL)
	{
		const char *problem = OnboardingPhoneProblem(phone);

		FUZZ_CHECK((problem == NULL) == IsE164(phone), "\"%s\": %s", phone, problem ? problem : "accepted");
		FUZZ_CHECK(problem == NULL || problem[strlen(problem) - 1] == '.', "%s", problem);
	}
	FuzzFreeAll();
	return 0;
}
