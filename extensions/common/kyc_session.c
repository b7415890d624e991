/*
 * kyc_session.c
 *		Who is acting in this session, as every pgkyc extension records it.
 *
 * The actor is what the application says: kyc.actor if set, else the
 * subject of the PostgREST JWT (request.jwt.claims), else session_user.
 * Any client can set those settings, so a malformed value is ignored, and
 * reading it can never make the caller's statement fail: JSON nested more
 * than KYC_JSON_SETTING_DEPTH levels is not parsed (the parser recurses),
 * and an actor longer than KYC_ACTOR_MAX bytes is ignored, as the check
 * hook of kyc.actor refuses one.
 */
#include "kyc_common.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/guc.h"

/* Deepest nesting of a JSON setting that is parsed at all. */
#define KYC_JSON_SETTING_DEPTH 64

/* Parser state for picking one top-level scalar out of a JSON object. */
typedef struct TopLevelField
{
	const char *key;
	int			depth;
	bool		at_key;
	char	   *value;
} TopLevelField;

/* Entering an object or array: a value that is not a scalar is not wanted. */
static KYC_JSON_ACTION
EnterNested(void *state)
{
	TopLevelField *field = state;

	field->depth++;
	field->at_key = false;
	return KYC_JSON_ACTION_DONE;
}

/* Leaving an object or array. */
static KYC_JSON_ACTION
LeaveNested(void *state)
{
	((TopLevelField *) state)->depth--;
	return KYC_JSON_ACTION_DONE;
}

/* A field name: is it the wanted key, at the top level? */
static KYC_JSON_ACTION
FieldStart(void *state, char *fname, bool isnull)
{
	TopLevelField *field = state;

	field->at_key = field->depth == 1 && strcmp(fname, field->key) == 0;
	return KYC_JSON_ACTION_DONE;
}

/* A scalar: keep it if it is the wanted key's string or number value. */
static KYC_JSON_ACTION
Scalar(void *state, char *token, JsonTokenType tokentype)
{
	TopLevelField *field = state;

	if (field->at_key &&
		(tokentype == JSON_TOKEN_STRING || tokentype == JSON_TOKEN_NUMBER))
		field->value = token;
	field->at_key = false;
	return KYC_JSON_ACTION_DONE;
}

/*
 * True if the JSON text raw nests arrays and objects at most max_depth
 * deep, counting brackets outside strings.  A closing bracket too many
 * means the text is malformed, and it is refused as well.
 */
static bool
JsonDepthWithin(const char *raw, int max_depth)
{
	const char *p;
	bool		in_string = false;
	int			depth = 0;

	for (p = raw; *p; p++)
	{
		if (in_string)
		{
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				in_string = false;
		}
		else if (*p == '"')
			in_string = true;
		else if (*p == '[' || *p == '{')
		{
			if (++depth > max_depth)
				return false;
		}
		else if ((*p == ']' || *p == '}') && --depth < 0)
			return false;
	}
	return true;
}

/*
 * The text of top-level key in the JSON held by setting (such as
 * request.jwt.claims), or NULL when the setting is unset, is not a JSON
 * object, nests too deep, or lacks the key.  The lexer reports errors
 * instead of raising them, and the depth is checked before the recursive
 * parser runs, so no value of the setting can fail the caller.
 */
char *
KycJsonSettingText(const char *setting, const char *key)
{
	const char *raw = GetConfigOption(setting, true, false);
	JsonLexContext *lex;
	JsonSemAction sem = {0};
	TopLevelField field = {key, 0, false, NULL};

	if (raw == NULL || raw[0] == '\0' || !JsonDepthWithin(raw, KYC_JSON_SETTING_DEPTH))
		return NULL;
	lex = KycJsonLexer(raw, strlen(raw), true);
	sem.semstate = &field;
	sem.object_start = EnterNested;
	sem.object_end = LeaveNested;
	sem.array_start = EnterNested;
	sem.array_end = LeaveNested;
	sem.object_field_start = FieldStart;
	sem.scalar = Scalar;
	if (pg_parse_json(lex, &sem) != JSON_SUCCESS)
		return NULL;
	return field.value;
}

/* A setting's value if it is a usable actor or header: not empty, not over-long. */
const char *
KycBoundedText(const char *value)
{
	if (value == NULL || value[0] == '\0' || strlen(value) > KYC_ACTOR_MAX)
		return NULL;
	return value;
}

/* The PostgREST JWT subject, or NULL if absent, not a string or number, or over-long. */
const char *
KycJwtSubject(void)
{
	return KycBoundedText(KycJsonSettingText("request.jwt.claims", "sub"));
}

/*
 * The acting user: kyc.actor, else the PostgREST JWT subject, else
 * session_user.  An over-long kyc.actor (possible only while kyc_events
 * is not loaded, whose check hook refuses one) is ignored like a JWT one.
 */
const char *
KycSessionActor(void)
{
	const char *actor = KycBoundedText(GetConfigOption("kyc.actor", true, false));

	if (actor == NULL)
		actor = KycJwtSubject();
	if (actor == NULL)
		actor = GetUserNameFromId(GetSessionUserId(), false);
	return actor;
}
