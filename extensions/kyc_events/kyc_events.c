/*
 * kyc_events.c
 *		Module entry point: GUCs and hooks of the kyc_events extension.
 *
 * kyc_events is meant to be listed in shared_preload_libraries, where the
 * relay worker will register itself; everything here also works when the
 * library is loaded on demand by CREATE EXTENSION.
 */
#include "relay.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/xid8.h"

PG_MODULE_MAGIC;

static char *kyc_actor = NULL;
char	   *kyc_request_id = NULL;
char	   *kyc_relay_databases = NULL;
int			kyc_relay_poll_interval = 1000;
int			kyc_relay_batch_size = 1000;
int			kyc_relay_max_attempts = 5;
int			kyc_relay_retry_interval = 200;
int			kyc_doorbell_interval = 2;
int			kyc_max_payload_size = 1024 * 1024;
int			kyc_relay_max_batch_bytes = 16 * 1024 * 1024;
int			kyc_relay_stall_timeout = 60000;
static char *kyc_retention = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

void		_PG_init(void);

/* Ask for the shared memory of the relay and of the doorbell throttle. */
static void
ShmemRequest(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RelayShmemRequest();
	KycDoorbellShmemRequest();
}

/* Create or attach to both. */
static void
ShmemStartup(void)
{
	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	RelayShmemInit();
	KycDoorbellShmemInit();
	LWLockRelease(AddinShmemInitLock);
}

/*
 * GUC check hook: kyc_events.retention must be an interval that is not
 * negative, or prune() would refuse to run (extensions/common/kyc_interval.c).
 */
static bool
CheckRetention(char **newval, void **extra, GucSource source)
{
	return KycCheckIntervalGuc("kyc_events.retention", *newval, "7 days");
}

/* Whether a header setting fits the columns that record it; says why not. */
static bool
HeaderSettingFits(const char *name, const char *value)
{
	if (value != NULL && strlen(value) > KYC_ACTOR_MAX)
	{
		GUC_check_errdetail("%s is limited to %d bytes.", name, KYC_ACTOR_MAX);
		return false;
	}
	return true;
}

/* GUC check hook: kyc.actor must fit the columns that record it. */
static bool
CheckActor(char **newval, void **extra, GucSource source)
{
	return HeaderSettingFits("kyc.actor", *newval);
}

/* GUC check hook: kyc.request_id has the same limit, for the same reason. */
static bool
CheckRequestId(char **newval, void **extra, GucSource source)
{
	return HeaderSettingFits("kyc.request_id", *newval);
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
							   CheckRequestId, NULL, NULL);
	DefineCustomStringVariable("kyc.partner_id",
							   "The partner the request's token speaks for, set by kyc_events.pre_request().",
							   "Empty for tokens of other roles. Only a superuser can set it otherwise.",
							   &kyc_partner_id,
							   "",
							   PGC_SUSET,
							   0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("kyc.actor_name",
							   "The display name of the request's user (preferred_username), set by kyc_events.pre_request().",
							   NULL,
							   &kyc_actor_name,
							   "",
							   PGC_SUSET,
							   0,
							   CheckActor, NULL, NULL);
	DefineCustomStringVariable("kyc.master_key_file",
							   "The file holding the master key that wraps each case's data key.",
							   "64 hex digits, readable by the server alone; kyc_events.create_master_key() writes one.",
							   &kyc_master_key_file,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("kyc_events.jwt_client",
							   "The Keycloak client whose roles (resource_access.<client>.roles) pre_request() reads.",
							   NULL,
							   &kyc_jwt_client,
							   "pgkyc",
							   PGC_SIGHUP,
							   0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("kyc_events.databases",
							   "Databases whose subscriptions the relay delivers, comma-separated.",
							   "One relay worker runs per database listed.",
							   &kyc_relay_databases,
							   "",
							   PGC_SIGHUP,
							   GUC_LIST_INPUT,
							   RelayCheckDatabases, NULL, NULL);
	DefineCustomIntVariable("kyc_events.poll_interval",
							"How often the relay polls a source even without a doorbell.",
							"A NOTIFY sent while the relay is disconnected is lost; polling bounds the delay.",
							&kyc_relay_poll_interval,
							1000, 10, 3600 * 1000,
							PGC_SIGHUP,
							GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_events.batch_size",
							"Most events the relay applies in one local transaction.",
							NULL,
							&kyc_relay_batch_size,
							1000, 1, 100000,
							PGC_SIGHUP,
							0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_events.max_batch_bytes",
							"Most payload bytes the relay reads in one batch.",
							"A batch ends after the event that reaches it, so it always holds at least one event.",
							&kyc_relay_max_batch_bytes,
							16 * 1024 * 1024, 1024, INT_MAX,
							PGC_SIGHUP,
							GUC_UNIT_BYTE,
							NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_events.max_payload_size",
							"Largest event payload emit() accepts.",
							"Measured as the JSON text the relay receives.  Only superusers can change it, "
							"so a service cannot lift its own limit.",
							&kyc_max_payload_size,
							1024 * 1024, 1024, MaxAllocSize / 2,
							PGC_SUSET,
							GUC_UNIT_BYTE,
							NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_events.max_attempts",
							"Handler failures on one event before it becomes a dead letter.",
							NULL,
							&kyc_relay_max_attempts,
							5, 1, 1000,
							PGC_SIGHUP,
							0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_events.retry_interval",
							"Delay before the first retry of a failed event; it doubles with each attempt.",
							NULL,
							&kyc_relay_retry_interval,
							200, 1, 60000,
							PGC_SIGHUP,
							GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_events.doorbell_interval",
							"How long a commit defers to a doorbell of its database that is still committing.",
							"A commit skips its NOTIFY while the last ring, younger than this, is still "
							"committing; the relay's reads after each drain deliver its events. "
							"0 rings on every emitting commit.",
							&kyc_doorbell_interval,
							2, 0, 1000,
							PGC_SUSET,
							GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_events.stall_timeout",
							"How long a subscription may have events it cannot read before it shows as stalled.",
							"Events wait while an older transaction of the source database is open; "
							"the subscription's state then names that transaction.",
							&kyc_relay_stall_timeout,
							60000, 0, INT_MAX,
							PGC_SIGHUP,
							GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomStringVariable("kyc_events.retention",
							   "How long kyc_events.prune() keeps acknowledged events.",
							   "An event is deleted only once every consumer has acknowledged it.",
							   &kyc_retention,
							   "7 days",
							   PGC_SUSET,
							   0,
							   CheckRetention, NULL, NULL);
	MarkGUCPrefixReserved("kyc");
	MarkGUCPrefixReserved("kyc_events");
	KycDoorbellInit();

	if (process_shared_preload_libraries_in_progress)
	{
		prev_shmem_request_hook = shmem_request_hook;
		shmem_request_hook = ShmemRequest;
		prev_shmem_startup_hook = shmem_startup_hook;
		shmem_startup_hook = ShmemStartup;
		RelayRegisterLauncher();
	}
}

PG_FUNCTION_INFO_V1(kyc_events_read_horizon);

/*
 * SQL: kyc_events.read_horizon() returns xid8, for read() and
 * read_blocker(): events below it are final under the current snapshot
 * (see extensions/common/kyc_horizon.c).
 */
Datum
kyc_events_read_horizon(PG_FUNCTION_ARGS)
{
	PG_RETURN_FULLTRANSACTIONID(KycDatabaseHorizon());
}
