/*
 * kyc_owner.c
 *		Acting as a table's owner inside a trigger, safely.
 *
 * Some triggers write what the session may not (a checklist's counts, an
 * assessment's score) and so run as the owner of the table.  The session
 * chooses its search_path, and a saved plan is re-analysed under the
 * current one: an operator or function the session put earlier on the path
 * would run with the owner's rights.  So while acting as the owner, the
 * search_path is pinned to pg_catalog and the operation is restricted, as
 * PostgreSQL does for maintenance commands run as a table's owner.
 */
#include "kyc_common.h"

#include "miscadmin.h"
#include "utils/guc.h"

/* Act as owner, with search_path pinned, until KycLeaveOwner(). */
void
KycBecomeOwner(Oid owner, KycOwnerScope *scope)
{
	GetUserIdAndSecContext(&scope->saved_user, &scope->saved_context);
	SetUserIdAndSecContext(owner, scope->saved_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	scope->guc_nest = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
}

/* Back to the session's user and search_path; an error undoes both anyway. */
void
KycLeaveOwner(KycOwnerScope *scope)
{
	AtEOXact_GUC(true, scope->guc_nest);
	SetUserIdAndSecContext(scope->saved_user, scope->saved_context);
}
