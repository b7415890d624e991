/*
 * kyc_notification.h
 *		Internal declarations of the kyc_notification extension.
 */
#ifndef KYC_NOTIFICATION_H
#define KYC_NOTIFICATION_H

#include "kyc_common.h"

#include "commands/trigger.h"
#include "utils/jsonb.h"

/* Prefix of the event handler's idempotency keys, which callers may not use. */
#define NOTIFY_EVENT_KEY_PREFIX "event:"

/* Longest worker name and provider message id, as the columns allow. */
#define NOTIFY_WORKER_MAX 200
#define NOTIFY_RECIPIENT_MAX 2048

/* GUCs (kyc_notification.c). */
extern int	notify_retry_base_ms;
extern int	notify_retry_cap_ms;
extern char *notify_default_locale;

/* kyc_notification.c */
extern bool NotifyLocaleValid(const char *locale);
extern void NotifyCheckChannel(const char *channel);
extern char *NotifyLookupText(SPIPlanPtr *plan, const char *sql, const char *arg);
extern void NotifyCheckWorker(const char *worker);
extern void NotifyCheckRecipient(const char *channel, const char *recipient);
extern char *NotifyClip(const char *text, int max);

/* status.c */
extern void NotifyRingDoorbell(const char *channel);

/* templates.c: one rendered message. */
typedef struct NotifyRendered
{
	char	   *template_id;
	char	   *locale;			/* the template's */
	char	   *subject;
	char	   *content;		/* body_text, or the JSON body of a Webhook */
	char	   *content_html;
} NotifyRendered;

extern bool NotifyFindTemplate(const char *template_id, const char *type, const char *channel,
							   const char *locale, NotifyRendered *out, Jsonb *data,
							   bool check_keys);

/* render.c */
extern void NotifyScanPlaceholders(const char *text, const char *what, List **variables);
extern void NotifyScanJsonPlaceholders(Jsonb *body, const char *what, List **variables);
extern char *NotifyRenderText(const char *text, Jsonb *data, bool html, const char *what);
extern Jsonb *NotifyRenderJson(Jsonb *body, Jsonb *data, const char *what);

/* enqueue.c */
typedef struct NotifyRequest
{
	const char *type;
	const char *channel;
	const char *recipient;
	const char *template_id;
	Jsonb	   *template_data;
	const char *priority;
	const char *case_id;
	const char *partner_id;
	Datum		scheduled_at;	/* timestamptz, or 0 with scheduled_null */
	bool		scheduled_null;
	const char *idempotency_key;
	const char *locale;
	bool		from_caller;	/* enqueue()'s caller, not the event handler */
} NotifyRequest;

extern Datum NotifyEnqueue(NotifyRequest *req);

/* webhook.c */
extern char *NotifySignature(const char *secret, int64 signed_at, const char *body);

#endif							/* KYC_NOTIFICATION_H */
