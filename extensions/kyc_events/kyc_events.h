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
extern int	kyc_max_payload_size;

/* doorbell.c */
extern void KycDoorbellInit(void);
extern void KycDoorbellRing(void);

/* headers.c */
extern Jsonb *KycCurrentHeaders(void);

/* limits.c */
extern void KycCheckPayloadSize(Jsonb *payload);

/* topic.c */
extern void KycCheckTopic(const char *topic);

#endif							/* KYC_EVENTS_H */
