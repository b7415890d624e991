/*
 * jwt.c
 *		kyc_events.pre_request(): PostgREST's db-pre-request function.  It
 *		maps a Keycloak access token to one of pgkyc's API roles, the
 *		partner the token speaks for, and the actor every event and audit
 *		entry records.
 *
 * PostgREST has verified the token's signature and put its claims in
 * request.jwt.claims.  Keycloak lists a user's roles in
 * realm_access.roles and resource_access.<client>.roles, beside roles of
 * its own (offline_access, default-roles-...), which are ignored.  Every
 * role named kyc_... must be one of the API roles, and a top-level "role"
 * claim (PostgREST's default role claim) must be one too: a token naming
 * any other role, a superuser's for instance, is refused, never mapped.
 * Of the API roles a token holds, the most trusted is taken.
 */
#include "kyc_events.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"

/* The API roles a token may map to, least trusted first. */
static const char *const api_roles[] = {
	"kyc_anon", "kyc_partner", "kyc_reviewer", "kyc_compliance_officer", "kyc_admin",
};

#define ANON_RANK 0
#define PARTNER_RANK 1

char	   *kyc_jwt_client = NULL;
char	   *kyc_partner_id = NULL;
char	   *kyc_actor_name = NULL;

/* Refuse the request: the token does not map to an API role. */
static void
RefuseToken(const char *message, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 errhint("pgkyc's API roles are kyc_partner, kyc_reviewer, kyc_compliance_officer and kyc_admin.")));
}

/* The rank of an API role name, or -1 for another kyc_... name, -2 for a foreign one. */
static int
RoleRank(const char *name, int len)
{
	int			i;

	for (i = 0; i < lengthof(api_roles); i++)
		if (strlen(api_roles[i]) == len && strncmp(api_roles[i], name, len) == 0)
			return i;
	return (len >= 4 && strncmp(name, "kyc_", 4) == 0) ? -1 : -2;
}

/* The value at key of an object container, or NULL. */
static JsonbValue *
Member(JsonbContainer *container, const char *key)
{
	if (container == NULL || !JsonContainerIsObject(container))
		return NULL;
	return getKeyJsonValueFromContainer(container, key, strlen(key), NULL);
}

/* The container of an object or array value, or NULL. */
static JsonbContainer *
Container(JsonbValue *value)
{
	return (value != NULL && value->type == jbvBinary) ? value->val.binary.data : NULL;
}

/* Raise *best to the rank of every API role in the array roles; refuse other kyc_ roles. */
static void
RankRoles(JsonbContainer *roles, int *best)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken token;

	if (roles == NULL || !JsonContainerIsArray(roles))
		return;
	it = JsonbIteratorInit(roles);
	while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		int			rank;

		if (token != WJB_ELEM || v.type != jbvString)
			continue;
		rank = RoleRank(v.val.string.val, v.val.string.len);
		if (rank == -1)
			RefuseToken(psprintf("token role \"%.*s\" is not one of pgkyc's API roles",
								 Min(v.val.string.len, 100), v.val.string.val), NULL);
		*best = Max(*best, rank);
	}
}

/* A claim's string value, at most max bytes, or NULL if absent; refuse other types. */
static char *
StringClaim(JsonbContainer *claims, const char *key, int max)
{
	JsonbValue *v = Member(claims, key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type != jbvString || v->val.string.len == 0 || v->val.string.len > max)
		RefuseToken(psprintf("token claim \"%s\" must be a string of 1 to %d bytes", key, max), NULL);
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* Set a GUC for the rest of the transaction, as the caller cannot (PGC_SUSET). */
static void
SetLocal(const char *name, const char *value)
{
	(void) set_config_option(name, value, PGC_SUSET, PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
}

PG_FUNCTION_INFO_V1(kyc_events_pre_request);

/* SQL: kyc_events.pre_request() RETURNS void */
Datum
kyc_events_pre_request(PG_FUNCTION_ARGS)
{
	const char *raw = GetConfigOption("request.jwt.claims", true, false);
	JsonbContainer *claims;
	JsonbValue *role_claim;
	int			best = ANON_RANK;
	char	   *sub;
	char	   *partner;

	if (raw == NULL || raw[0] == '\0')
	{
		SetLocal("role", api_roles[ANON_RANK]);
		PG_RETURN_VOID();
	}
	claims = &DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(raw)))->root;
	if (!JsonContainerIsObject(claims))
		RefuseToken("the token's claims are not a JSON object", NULL);

	role_claim = Member(claims, "role");
	if (role_claim != NULL && role_claim->type != jbvNull)
	{
		int			rank = role_claim->type == jbvString ?
		RoleRank(role_claim->val.string.val, role_claim->val.string.len) : -2;

		if (rank < 0)
			RefuseToken("the token's role claim is not one of pgkyc's API roles",
						role_claim->type == jbvString ?
						psprintf("It names \"%.*s\".", Min(role_claim->val.string.len, 100),
								 role_claim->val.string.val) : NULL);
		best = Max(best, rank);
	}
	RankRoles(Container(Member(Container(Member(claims, "realm_access")), "roles")), &best);
	RankRoles(Container(Member(Container(Member(Container(Member(claims, "resource_access")),
												kyc_jwt_client)), "roles")), &best);

	sub = StringClaim(claims, "sub", KYC_ACTOR_MAX);
	partner = StringClaim(claims, "partner_id", 100);
	if (best > ANON_RANK && sub == NULL)
		RefuseToken("the token has no subject (sub claim)", "Every action is recorded with who took it.");
	if (best == PARTNER_RANK && partner == NULL)
		RefuseToken("a partner's token needs a partner_id claim",
					"A partner sees and changes only its own cases.");

	SetLocal("role", api_roles[best]);
	SetLocal("kyc.partner_id", best == PARTNER_RANK ? partner : "");
	SetLocal("kyc.actor", best > ANON_RANK ? sub : "");
	if (best > ANON_RANK)
	{
		char	   *name = StringClaim(claims, "preferred_username", KYC_ACTOR_MAX);

		SetLocal("kyc.actor_name", name ? name : sub);
	}
	else
		SetLocal("kyc.actor_name", "");
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(kyc_events_request_partner);

/*
 * SQL: kyc_events.request_partner() RETURNS text: the partner the
 * request's token speaks for (kyc.partner_id), or NULL.  The API's
 * row-level security policies compare with it, so no row matches a
 * request without a partner.
 */
Datum
kyc_events_request_partner(PG_FUNCTION_ARGS)
{
	if (kyc_partner_id == NULL || kyc_partner_id[0] == '\0')
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(kyc_partner_id));
}

PG_FUNCTION_INFO_V1(kyc_events_require_partner);

/*
 * SQL: kyc_events.require_partner(action text) RETURNS text: the request's
 * partner, or 42501 saying that only a partner's token may do action.
 */
Datum
kyc_events_require_partner(PG_FUNCTION_ARGS)
{
	const char *action = PG_ARGISNULL(0) ? "does this" : text_to_cstring(PG_GETARG_TEXT_PP(0));

	if (kyc_partner_id == NULL || kyc_partner_id[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a partner's token %s", action),
				 errhint("The token needs the kyc_partner role and a partner_id claim.")));
	PG_RETURN_TEXT_P(cstring_to_text(kyc_partner_id));
}
