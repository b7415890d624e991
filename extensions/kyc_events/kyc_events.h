/*
 * kyc_events.h
 *		Internal declarations of the kyc_events extension.
 */
#ifndef KYC_EVENTS_H
#define KYC_EVENTS_H

#include "kyc_common.h"

/* Channel of the doorbell NOTIFY; its payload is always empty. */
#define KYC_EVENTS_CHANNEL "kyc_events"

/* GUCs, defined in kyc_events.c */
extern char *kyc_request_id;

/* jwt.c: PostgREST's pre-request settings. */
extern char *kyc_jwt_client;
extern char *kyc_partner_id;
extern char *kyc_actor_name;
extern char *kyc_master_key_file;
extern int	kyc_max_payload_size;

/* delivery.c: the relay marks each handler call */
extern void KycDeliveryBegin(Oid handler, Datum event);
extern void KycDeliveryEnd(void);

/* doorbell.c */
extern void KycDoorbellInit(void);
extern void KycDoorbellRing(void);
extern void KycDoorbellShmemRequest(void);
extern void KycDoorbellShmemInit(void);

/* headers.c */
extern Jsonb *KycCurrentHeaders(void);

/* triggers.c */
struct TriggerData;
extern struct TriggerData *KycCaptureTrigger(FunctionCallInfo fcinfo, const char *function, bool row);
extern void KycSubscriptionTrigger(FunctionCallInfo fcinfo);

/* capture_case.c */
extern char *KycCaptureCaseId(Relation rel, HeapTuple row);

/* limits.c */
extern void KycCheckPayloadSize(Jsonb *payload);

/* topic.c */
extern void KycCheckTopic(const char *topic);
extern const char *KycTopicOwner(const char *topic);

/* emit.c */
extern PGDLLEXPORT int64 KycEventsEmitOwned(const char *owner, const char *topic,
											const char *aggregate_id, Jsonb *payload);

#endif							/* KYC_EVENTS_H */
