/*
 * fuzz_topic.c
 *		Event topics (kyc_events/topic.c): KycTopicProblem() against an
 *		independent reading of the rule, and KycCheckTopic() raising
 *		exactly when it, or the length limit, refuses.
 */
#include "fuzz.h"

#include "kyc_events.h"
#include "parse.h"

/*
 * The rule as topic.c's comments state it, written apart from it: two or
 * more dot-separated segments, each a lowercase letter followed by
 * lowercase letters, digits and underscores.
 */
static bool
IsTopic(const char *topic)
{
	const char *p = topic;
	int			segments = 0;

	for (;;)
	{
		if (*p < 'a' || *p > 'z')
			return false;
		p++;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
			p++;
		segments++;
		if (*p == '\0')
			return segments >= 2;
		if (*p != '.')
			return false;
		p++;
	}
}

/* FuzzTry's step: the check that emit() and subscribe() make. */
static void
CheckTopic(void *arg)
{
	KycCheckTopic(arg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *topic = FuzzText(data, size);

	if (topic != NULL)
	{
		const char *problem = KycTopicProblem(topic);
		const char *owner = KycTopicOwner(topic);
		bool		valid = problem == NULL && strlen(topic) <= KYC_TOPIC_MAX;

		FUZZ_CHECK((problem == NULL) == IsTopic(topic), "\"%s\": %s", topic,
				   problem ? problem : "accepted");
		FUZZ_CHECK(problem == NULL || problem[strlen(problem) - 1] == '.', "%s", problem);
		FUZZ_CHECK(owner == NULL || strncmp(owner, "kyc_", 4) == 0, "%s", owner);
		FUZZ_CHECK(FuzzTry(CheckTopic, topic) == valid, "\"%s\": %s", topic,
				   valid ? FuzzErrorMessage() : "accepted");
	}
	FuzzFreeAll();
	return 0;
}
