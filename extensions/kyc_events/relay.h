/*
 * relay.h
 *		The relay: delivering outbox events of source databases to local
 *		subscription handlers, exactly once in effect, in commit order.
 */
#ifndef KYC_RELAY_H
#define KYC_RELAY_H

#include "kyc_events.h"

#include "libpq-fe.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

/* GUCs, defined in kyc_events.c */
extern char *kyc_relay_databases;
extern int	kyc_relay_poll_interval;
extern int	kyc_relay_batch_size;
extern int	kyc_relay_max_batch_bytes;
extern int	kyc_relay_max_attempts;
extern int	kyc_relay_retry_interval;
extern int	kyc_doorbell_interval;
extern int	kyc_relay_stall_timeout;

/* A position in a source's outbox: events are ordered by (xid, id). */
typedef struct RelayPosition
{
	uint64		xid;
	int64		id;
} RelayPosition;

/* What one RelayBatch call did. */
typedef struct RelayResult
{
	bool		found;			/* the subscription exists and is enabled */
	int			processed;		/* events the cursor moved past */
	int			applied;		/* of those, handed to the handler */
	int64		bytes;			/* payload bytes read */
	RelayPosition position;		/* cursor after the batch */
	RelayPosition failed;		/* event whose handler raised, if it raised */
} RelayResult;

/* What status.c keeps of a subscription between lag measurements. */
typedef struct RelayLag
{
	TimestampTz measure_at;		/* the next measurement */
	TimestampTz waiting_since;	/* since when it has had a backlog it could
								 * not read; 0 if it has not */
	bool		stalled;		/* its state says stalled */
} RelayLag;

/* A subscription as the relay worker tracks it between batches. */
typedef struct RelaySub
{
	char	   *name;
	char	   *consumer;
	char	   *topics;			/* text[] in text form, for backlog() */
	int			attempts;		/* failures of the event at the head */
	RelayPosition failed;		/* that event */
	char	   *error;			/* and its last error */
	TimestampTz retry_at;
	RelayLag	lag;			/* lag measurements and stall reports */
	RelayPosition ack;			/* applied, to acknowledge at the source */
	TimestampTz ack_at;			/* when; 0 if nothing waits */
} RelaySub;

/* A source database and the subscriptions reading it. */
typedef struct RelaySource
{
	char	   *conninfo;
	PGconn	   *conn;
	bool		wake;			/* a doorbell rang, or it is time to poll */
	bool		rang;			/* the doorbell rang since the last drain */
	int			tail_ms;		/* delay of the next read after a drain */
	TimestampTz next_poll;
	TimestampTz next_connect;
	int			connect_failures;	/* in a row, for backoff */
	List	   *subs;
} RelaySource;

/* relay_xact.c: the worker's transactions, and catching their errors */
typedef void (*RelayStep) (void *arg);
extern char *RelayTry(RelayStep step, void *arg);
extern void RelayStartWork(const char *what);
extern void RelayFinishWork(void);
extern void RelayBeginWork(const char *what);
extern void RelayEndWork(void);

/* worker.c: the relay worker's loop and its source connections */
extern void RelayDropConnection(RelaySource *src, const char *why);

/* drain.c: one subscription's batches, retries and acknowledgements */
extern int	RelayDrainSubscription(RelaySource *src, RelaySub *sub);
extern bool RelayAcknowledgeDue(RelaySource *src, bool all);

/* status.c: what the subscriptions view reports */
extern void RelayRecordState(const char *name, const char *state, const char *error);
extern void RelayClearState(const char *name, const char *state);
extern void RelayMeasureLag(PGconn *conn, const char *name, const char *topics, bool stuck,
							RelayLag *lag);

/* source.c: libpq connections to source databases */
extern PGconn *RelaySourceConnect(const char *conninfo, const char *application_name);
extern void RelaySourceDisconnect(PGconn *conn);
extern PGresult *RelaySourceQuery(PGconn *conn, const char *sql, int nparams,
								  const char *const *values);
extern void RelaySourceCommand(PGconn *conn, const char *sql, int nparams,
							   const char *const *values);
extern char *RelayConsumerName(const char *subscription);
extern bool RelaySourceUsable(PGconn *conn);

/* conninfo.c: source connection strings */
extern void RelayCheckConninfo(const char *conninfo);

/* apply.c: one batch, applied in the current transaction */
extern RelayPosition relay_current_event;
extern void RelayBatch(PGconn *conn, const char *name, int max_events,
					   const char *dead_letter_error, RelayPosition dead_letter_at,
					   int attempts, RelayResult *result);
extern char *RelaySubscriptionSource(const char *name);
extern Oid	RelayHandlerOwner(Oid handler, const char *subscription);
extern Oid	RelayEventType(void);
extern void RelayCallHandler(FmgrInfo *flinfo, Datum event);

/* relay_shared.c: shared memory */
#define RELAY_MAX_WORKERS 64
extern void RelayShmemRequest(void);
extern void RelayShmemInit(void);
extern void RelaySubscriptionsChanged(void);
extern void RelayClaimSlot(void);
extern uint64 RelayWorkerGeneration(void);
extern uint64 RelayClusterGeneration(void);
extern void RelaySetLauncherLatch(void);
extern bool RelayPreloaded(void);

/* launcher.c */
extern void RelayRegisterLauncher(void);
extern bool RelayCheckDatabases(char **newval, void **extra, GucSource source);

/*
 * The relay's one backoff, for reconnecting to a source, retrying a failed
 * event and restarting a relay worker: base_ms doubled for each failure in
 * a row so far, at most cap_ms.
 */
static inline int64
RelayBackoffMs(int64 base_ms, int failures, int64 cap_ms)
{
	return Min(base_ms << Min(failures, 20), cap_ms);
}

#endif							/* KYC_RELAY_H */
