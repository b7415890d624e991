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

char	   *kyc_actor = NULL;
char	   *kyc_request_id = NULL;

void		_PG_init(void);

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
							   NULL, NULL, NULL);
	DefineCustomStringVariable("kyc.request_id",
							   "Request id recorded in every event's headers.",
							   "When empty, PostgREST's x-request-id header is used if present.",
							   &kyc_request_id,
							   "",
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("kyc_events");
	KycDoorbellInit();
}
