/*
 * kyc_events.c
 *		Module entry point: GUCs and hooks of the kyc_events extension.
 *
 * kyc_events is meant to be listed in shared_preload_libraries, where the
 * relay worker will register itself; everything here also works when the
 * library is loaded on demand by CREATE EXTENSION.
 */
#include "kyc_events.h"

#include "utils/guc.h"

PG_MODULE_MAGIC;

static char *kyc_actor = NULL;
char	   *kyc_request_id = NULL;

void		_PG_init(void);

/* GUC check hook: kyc.actor must fit the columns that record it. */
static bool
CheckActor(char **newval, void **extra, GucSource source)
{
	if (*newval != NULL && strlen(*newval) > KYC_ACTOR_MAX)
	{
		GUC_check_errdetail("kyc.actor is limited to %d bytes.", KYC_ACTOR_MAX);
		return false;
	}
	return true;
}

/* Define GUCs and install the commit-time doorbell. */
void
_PG_init(void)
{
	DefineCustomStringVariable("kyc.actor",
							   "Who is acting, recorded in every event's headers.",
							   "Set it per transaction with SET LOCAL; when empty the "
							   "PostgREST JWT subject, then session_user, is used.",
							   &kyc_actor,
							   "",
							   PGC_USERSET,
							   0,
							   CheckActor, NULL, NULL);
	DefineCustomStringVariable("kyc.request_id",
							   "Request id recorded in every event's headers.",
							   "When empty, PostgREST's x-request-id header is used if present.",
							   &kyc_request_id,
							   "",
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("kyc");
	MarkGUCPrefixReserved("kyc_events");
	KycDoorbellInit();
}
