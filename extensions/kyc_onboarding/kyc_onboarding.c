/*
 * kyc_onboarding.c
 *		Module entry point and helpers shared by the onboarding triggers.
 */
#include "kyc_onboarding.h"

#include "utils/guc.h"
#include "utils/rel.h"

PG_MODULE_MAGIC;

/* Trigger: names the column, the value and the allowed list (kyc_allowed.c). */
KYC_ALLOWED_VALUES_TRIGGER(kyc_onboarding_allowed_values);

/* Trigger: a child row keeps its parent's public case id (kyc_parent_case.c). */
KYC_INHERIT_CASE_ID_TRIGGER(kyc_onboarding_inherit_case_id);

CaseTransitionContext case_transition = {false, NULL, NULL, false};


/*
 * Refuse claimed as who acts (a reviewer, transition()'s actor) when the
 * session names its own actor (kyc.actor, or the PostgREST JWT subject)
 * and it is someone else: such a session acts only as that actor.  argname
 * names the argument in the message.
 */
void
OnboardingRequireSessionActor(const char *claimed, const char *argname)
{
	const char *actor = KycBoundedText(GetConfigOption("kyc.actor", true, false));

	if (actor == NULL)
		actor = KycJwtSubject();
	if (actor == NULL || claimed == NULL || strcmp(actor, claimed) == 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("%s %s is not this session's actor %s", argname, claimed, actor),
			 errdetail("A session that names its actor (kyc.actor or its token's subject) acts only as that actor."),
			 errhint("Pass %s => '%s', or act from that person's own session.", argname, actor)));
}
