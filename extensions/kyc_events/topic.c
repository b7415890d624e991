/*
 * topic.c
 *		Event topics: their syntax (lowercase dotted names such as
 *		"case.created") and which extension owns them.
 *
 * A topic's first segment can belong to an extension.  Only that
 * extension's C triggers emit it (KycEventsEmitOwned()), so a consumer can
 * trust that a document.verified event means kyc_document verified a
 * document, whoever can call kyc_events.emit().
 */
#include "kyc_events.h"
#include "parse.h"

/* A first segment and the extension that owns it. */
typedef struct TopicOwner
{
	const char *segment;
	const char *extension;
} TopicOwner;

static const TopicOwner topic_owners[] = {
	{"applicant", "kyc_onboarding"},
	{"audit", "kyc_events"},	/* kyc_events.capture() */
	{"case", "kyc_onboarding"},
	{"checklist", "kyc_checklist"},
	{"document", "kyc_document"},
	{"notification", "kyc_notification"},
	{"projection", "kyc_projections"},
	{"risk", "kyc_risk"},
};

/* True for a-z, 0-9 and underscore. */
static inline bool
IsTopicChar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * Why topic is not a topic, or NULL when it is: two or more dot-separated
 * segments, each starting with a lowercase letter.  The length limit is
 * KycCheckTopic()'s.
 */
const char *
KycTopicProblem(const char *topic)
{
	const char *p;
	bool		segment_start = true;
	int			segments = 1;
	const char *problem = NULL;

	for (p = topic; *p && problem == NULL; p++)
	{
		if (segment_start)
		{
			if (*p < 'a' || *p > 'z')
				problem = "Each segment must start with a lowercase letter.";
			segment_start = false;
		}
		else if (*p == '.')
		{
			segments++;
			segment_start = true;
		}
		else if (!IsTopicChar(*p))
			problem = "Only lowercase letters, digits, underscores and dots are allowed.";
	}
	if (problem == NULL && segment_start)
		problem = topic[0] == '\0' ? "The topic is empty." : "The topic ends with a dot.";
	if (problem == NULL && segments < 2)
		problem = "A topic needs at least two dot-separated segments.";
	return problem;
}

/*
 * Raise an error unless topic is a topic (KycTopicProblem()) at most
 * KYC_TOPIC_MAX bytes long.
 */
void
KycCheckTopic(const char *topic)
{
	size_t		len = strlen(topic);
	const char *problem;

	if (len > KYC_TOPIC_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("event topic is too long"),
				 errdetail("The topic is %zu bytes; the limit is %d.", len, KYC_TOPIC_MAX)));

	problem = KycTopicProblem(topic);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid event topic \"%s\"", topic),
				 errdetail("%s", problem),
				 errhint("Topics are lowercase dotted names such as \"case.created\".")));
}

/* The extension owning topic's first segment, or NULL if no one owns it. */
const char *
KycTopicOwner(const char *topic)
{
	const char *dot = strchr(topic, '.');
	size_t		len = dot ? (size_t) (dot - topic) : strlen(topic);
	int			i;

	for (i = 0; i < lengthof(topic_owners); i++)
		if (strlen(topic_owners[i].segment) == len &&
			strncmp(topic_owners[i].segment, topic, len) == 0)
			return topic_owners[i].extension;
	return NULL;
}
