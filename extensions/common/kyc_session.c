/*
 * kyc_session.c
 *		Who is acting in this session, as every pgkyc extension records it.
 *
 * The actor is what the application says: kyc.actor if set, else the
 * subject of the PostgREST JWT (request.jwt.claims), else session_user.
 * Any client can set those settings, so a malformed value is ignored, and
 * reading it can never make the caller's statement fail.
 */
#include "kyc_common.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/guc.h"

/* Parser state for picking one top-level scalar out of a JSON object. */
typedef struct TopLevelField
{
	const char *key;
	int			depth;
	bool		at_key;
	char	   *value;
} TopLevelField;

/* Entering an object or array: a value that is not a scalar is not wanted. */
static void
EnterNested(void *state)
{
	TopLevelField *field = state;

	field->depth++;
	field->at_key = false;
}

/* Leaving an object or array. */
static void
LeaveNested(void *state)
{
	((TopLevelField *) state)->depth--;
}

/* A field name: is it the wanted key, at the top level? */
static void
FieldStart(void *state, char *fname, bool isnull)
{
	TopLevelField *field = state;

	field->at_key = field->depth == 1 && strcmp(fname, field->key) == 0;
}

/* A scalar: keep it if it is the wanted key's string or number value. */
static void
Scalar(void *state, char *token, JsonTokenType tokentype)
{
	TopLevelField *field = state;

	if (field->at_key &&
		(tokentype == JSON_TOKEN_STRING || tokentype == JSON_TOKEN_NUMBER))
		field->value = token;
	field->at_key = false;
}

/*
 * The text of top-level key in the JSON held by setting (such as
 * request.jwt.claims), or NULL when the setting is unset, is not a JSON
 * object, or lacks the key.  The lexer reports errors instead of raising
 * them, so no value of the setting can fail the caller.
 */
char *
KycJsonSettingText(const char *setting, const char *key)
{
	const char *raw = GetConfigOption(setting, true, false);
	JsonLexContext *lex;
	JsonSemAction sem = {0};
	TopLevelField field = {key, 0, false, NULL};

	if (raw == NULL || raw[0] == '\0')
		return NULL;
	lex = makeJsonLexContextCstringLen((char *) raw, strlen(raw), GetDatabaseEncoding(), true);
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

/* The acting user: kyc.actor, else the PostgREST JWT subject, else session_user. */
const char *
KycSessionActor(void)
{
	const char *actor = GetConfigOption("kyc.actor", true, false);
	char	   *jwt_sub;

	if (actor != NULL && actor[0] != '\0')
		return actor;
	jwt_sub = KycJsonSettingText("request.jwt.claims", "sub");
	if (jwt_sub != NULL && jwt_sub[0] != '\0')
		return jwt_sub;
	return GetUserNameFromId(GetSessionUserId(), false);
}
