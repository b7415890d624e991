/*
 * headers.c
 *		Who and where an event came from, recorded as its jsonb headers.
 *
 * Headers are taken from the session, never from emit()'s arguments, so a
 * caller cannot claim to be another database user.  The actor is what the
 * application says (kyc.actor, or the PostgREST JWT subject); session_user
 * and current_user are what PostgreSQL knows.
 */
#include "kyc_events.h"

#include "miscadmin.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"

/* Add "key": "value" to the headers; NULL or empty values are left out. */
static void
PushTextPair(JsonbParseState **state, const char *key, const char *value)
{
	if (value != NULL && value[0] != '\0')
		KycJsonPushText(state, key, value);
}

/* Read a JSON-valued setting such as request.jwt.claims; NULL if unset or not JSON. */
static Jsonb *
JsonSetting(const char *name)
{
	const char *raw = GetConfigOption(name, true, false);
	JsonLexContext *lex;

	if (raw == NULL || raw[0] == '\0')
		return NULL;
	/* Any client can set these; a malformed value is ignored, not fatal. */
	lex = makeJsonLexContextCstringLen((char *) raw, strlen(raw),
									   GetDatabaseEncoding(), false);
	if (pg_parse_json(lex, &nullSemAction) != JSON_SUCCESS)
		return NULL;
	return KycJsonbFromCString(raw);
}

/*
 * The client's IP address as text, or NULL for Unix-socket connections.
 * Called through fmgr because libpq-be.h drags in GSSAPI headers.
 */
static char *
ClientAddress(void)
{
	LOCAL_FCINFO(fcinfo, 0);
	Datum		addr;

	InitFunctionCallInfoData(*fcinfo, NULL, 0, InvalidOid, NULL, NULL);
	addr = inet_client_addr(fcinfo);
	if (fcinfo->isnull)
		return NULL;
	return DatumGetCString(DirectFunctionCall1(inet_out, addr));
}

/* Build the headers object for an event emitted now, in this session. */
Jsonb *
KycCurrentHeaders(void)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;
	Jsonb	   *claims = JsonSetting("request.jwt.claims");
	Jsonb	   *request_headers = NULL;
	char	   *jwt_sub = claims ? KycJsonbGetText(claims, "sub") : NULL;
	const char *actor = kyc_actor;
	const char *request_id = kyc_request_id;
	const char *session_user = GetUserNameFromId(GetSessionUserId(), false);

	if (request_id == NULL || request_id[0] == '\0')
	{
		request_headers = JsonSetting("request.headers");
		request_id = request_headers ? KycJsonbGetText(request_headers, "x-request-id") : NULL;
	}
	if (actor == NULL || actor[0] == '\0')
		actor = jwt_sub ? jwt_sub : session_user;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	PushTextPair(&state, "actor", actor);
	PushTextPair(&state, "session_user", session_user);
	PushTextPair(&state, "current_user", GetUserNameFromId(GetUserId(), false));
	PushTextPair(&state, "jwt_sub", jwt_sub);
	PushTextPair(&state, "request_id", request_id);
	PushTextPair(&state, "application_name", application_name);
	PushTextPair(&state, "client_addr", ClientAddress());
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}

PG_FUNCTION_INFO_V1(current_headers);

/* SQL: kyc_events.current_headers() returns jsonb */
Datum
current_headers(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(KycCurrentHeaders());
}
