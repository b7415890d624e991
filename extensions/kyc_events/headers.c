/*
 * headers.c
 *		Who and where an event came from, recorded as its jsonb headers.
 *
 * Headers are taken from the session, never from emit()'s arguments, so a
 * caller cannot claim to be another database user.  The actor is what the
 * application says (kyc.actor, or the PostgREST JWT subject); session_user
 * and current_user are what PostgreSQL knows.  Text a client chooses (the
 * JWT subject, the request id) is at most KYC_ACTOR_MAX bytes: longer
 * settings are refused (kyc.actor, kyc.request_id) or ignored (PostgREST's).
 */
#include "kyc_events.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"

/* Add "key": "value" to the headers; NULL or empty values are left out. */
static void
PushTextPair(JsonbParseState **state, const char *key, const char *value)
{
	if (value != NULL && value[0] != '\0')
		KycJsonPushText(state, key, value);
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
	const char *request_id = KycBoundedText(kyc_request_id);

	if (request_id == NULL)
		request_id = KycBoundedText(KycJsonSettingText("request.headers", "x-request-id"));

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	PushTextPair(&state, "actor", KycSessionActor());
	PushTextPair(&state, "session_user", GetUserNameFromId(GetSessionUserId(), false));
	PushTextPair(&state, "current_user", GetUserNameFromId(GetUserId(), false));
	PushTextPair(&state, "jwt_sub", KycJwtSubject());
	PushTextPair(&state, "request_id", request_id);
	PushTextPair(&state, "application_name", application_name);
	PushTextPair(&state, "client_addr", ClientAddress());
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}

PG_FUNCTION_INFO_V1(kyc_events_current_headers);

/* SQL: kyc_events.current_headers() returns jsonb */
Datum
kyc_events_current_headers(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(KycCurrentHeaders());
}
