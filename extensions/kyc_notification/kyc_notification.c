/*
 * kyc_notification.c
 *		Module entry point of kyc_notification: notification_service's
 *		durable queue.  Its GUCs, and the checks every entry point shares.
 *
 *	status.c			the state machine trigger, the history and the doorbell
 *	templates.c			templates: the check trigger, lookup with locale fallback
 *	render.c			{{placeholder}} rendering of text, HTML and JSON
 *	enqueue.c			enqueue(), idempotent
 *	lease.c				claim(), mark_*(), cancel(), extend_lease(), sweep()
 *	webhook.c			HMAC-SHA256 signatures and partner secrets
 *	event_handlers.c	on_event(): the workflow's events become notifications
 */
#include "kyc_notification.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

KYC_ALLOWED_VALUES_TRIGGER(kyc_notification_allowed_values);

int			notify_retry_base_ms = 10000;
int			notify_retry_cap_ms = 3600000;
char	   *notify_default_locale = NULL;
static int	notify_retention_s = 30 * 86400;

void		_PG_init(void);

/* True for a locale: a language, optionally -REGION (de, de-CH). */
bool
NotifyLocaleValid(const char *locale)
{
	size_t		lang = strspn(locale, "abcdefghijklmnopqrstuvwxyz");
	const char *r = locale + lang;

	if (lang < 2 || lang > 3)
		return false;
	return *r == '\0' || (r[0] == '-' && r[1] >= 'A' && r[1] <= 'Z' && r[2] >= 'A' && r[2] <= 'Z' &&
						  r[3] == '\0');
}

/* GUC check hook of kyc_notification.default_locale. */
static bool
CheckLocale(char **newval, void **extra, GucSource source)
{
	return NotifyLocaleValid(*newval);
}

/* Module load: the GUCs. */
void
_PG_init(void)
{
	DefineCustomIntVariable("kyc_notification.retry_base",
							"First retry delay bound: a retry waits a random time up to retry_base * 2^retries.",
							NULL, &notify_retry_base_ms, 10000, 1, 86400000,
							PGC_SUSET, GUC_UNIT_MS, NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_notification.retry_cap",
							"Longest retry delay bound.",
							NULL, &notify_retry_cap_ms, 3600000, 1, INT_MAX,
							PGC_SUSET, GUC_UNIT_MS, NULL, NULL, NULL);
	DefineCustomIntVariable("kyc_notification.retention",
							"How long finished notifications (Sent, Delivered, Failed, Cancelled) are kept before purge_expired() deletes them.",
							NULL, &notify_retention_s, 30 * 86400, 3600, INT_MAX,
							PGC_SUSET, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomStringVariable("kyc_notification.default_locale",
							   "Locale of a notification whose caller and partner name none.",
							   NULL, &notify_default_locale, "en",
							   PGC_SUSET, 0, CheckLocale, NULL, NULL);
	MarkGUCPrefixReserved("kyc_notification");
}

/* Refuse a channel that is not one of the seed's. */
void
NotifyCheckChannel(const char *channel)
{
	static const char *const channels[] = {"Email", "SMS", "Push", "InApp", "Webhook"};
	int			i;

	for (i = 0; i < lengthof(channels); i++)
		if (strcmp(channel, channels[i]) == 0)
			return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("channel \"%s\" is not allowed", NotifyClip(channel, 64)),
			 errhint("Use one of: Email, SMS, Push, InApp, Webhook.")));
}

/*
 * The first column of the first row of a saved one-text-parameter query,
 * or NULL.  The caller is connected to SPI; the result is in SPI's memory.
 */
char *
NotifyLookupText(SPIPlanPtr *plan, const char *sql, const char *arg)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = CStringGetTextDatum(arg);

	KycSavedPlan(plan, sql, 1, argtypes);
	if (SPI_execute_plan(*plan, &value, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "lookup failed: %s", sql);
	return SPI_processed == 1 ? SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1) : NULL;
}

/* Refuse an empty or overlong worker name. */
void
NotifyCheckWorker(const char *worker)
{
	size_t		len = strlen(worker);

	if (len == 0 || worker[strspn(worker, " \t\r\n")] == '\0' || len > NOTIFY_WORKER_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("worker \"%s\" is not a valid worker name", worker),
				 errhint("Give each sender process a stable, non-empty name of at most %d bytes, such as host:pid.",
						 NOTIFY_WORKER_MAX)));
}

/* True for an e-mail address: local@domain.tld, ASCII, as senders accept it. */
static bool
IsEmail(const char *s)
{
	const char *at = strchr(s, '@');
	const char *p;
	int			label = 0;
	int			dots = 0;
	bool		tld_alpha = true;

	if (at == NULL || at == s || at - s > 64 || strlen(s) > 254 || strchr(at + 1, '@'))
		return false;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return false;
	for (p = s; p < at; p++)
		if (!(isalnum((unsigned char) *p) || strchr("!#$%&'*+/=?^_`{|}~.-", *p)))
			return false;
	for (p = at + 1; *p; p++)
	{
		if (*p == '.')
		{
			if (label == 0 || p[-1] == '-')
				return false;
			dots++, label = 0, tld_alpha = true;
			continue;
		}
		if (!(isalnum((unsigned char) *p) || *p == '-') || (label == 0 && *p == '-'))
			return false;
		if (!isalpha((unsigned char) *p))
			tld_alpha = false;
		if (++label > 63)
			return false;
	}
	return dots > 0 && label >= 2 && tld_alpha;
}

/* True for an E.164 number: +, a non-zero digit, 6 to 14 more digits. */
static bool
IsE164(const char *s)
{
	size_t		digits;

	if (s[0] != '+' || s[1] < '1' || s[1] > '9')
		return false;
	digits = strspn(s + 1, "0123456789");
	return s[1 + digits] == '\0' && digits >= 7 && digits <= 15;
}

/* True for https://host[:port][/path], without user info or white space. */
static bool
IsHttpsUrl(const char *s)
{
	const char *host = s + 8;
	size_t		hostlen;
	const char *p;

	if (strncmp(s, "https://", 8) != 0 || strlen(s) > NOTIFY_RECIPIENT_MAX)
		return false;
	hostlen = strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
	if (hostlen == 0 || host[0] == '.' || host[0] == '-')
		return false;
	p = host + hostlen;
	if (*p == ':')
	{
		size_t		port = strspn(p + 1, "0123456789");

		if (port == 0 || port > 5)
			return false;
		p += 1 + port;
	}
	if (*p != '\0' && *p != '/')
		return false;
	for (; *p; p++)
		if ((unsigned char) *p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/* True for a push token or in-app user id: 1 to 512 visible ASCII characters. */
static bool
IsToken(const char *s)
{
	size_t		len = strlen(s);
	const char *p;

	if (len == 0 || len > 512)
		return false;
	for (p = s; *p; p++)
		if ((unsigned char) *p <= ' ' || (unsigned char) *p >= 0x7f)
			return false;
	return true;
}

/* str cut to at most max bytes on a character boundary, for messages and columns. */
char *
NotifyClip(const char *str, int max)
{
	int			len = strlen(str);

	return len <= max ? pstrdup(str) : pnstrdup(str, pg_mbcliplen(str, len, max));
}

/* Refuse a recipient the channel cannot deliver to, saying what it takes. */
void
NotifyCheckRecipient(const char *channel, const char *recipient)
{
	bool		ok;
	const char *what;

	if (strcmp(channel, "Email") == 0)
		ok = IsEmail(recipient), what = "an e-mail address such as name@example.com";
	else if (strcmp(channel, "SMS") == 0)
		ok = IsE164(recipient), what = "an E.164 phone number such as +41791234567";
	else if (strcmp(channel, "Webhook") == 0)
		ok = IsHttpsUrl(recipient), what = "an https URL such as https://partner.example.com/kyc/webhook";
	else
		ok = IsToken(recipient), what = "a device token or user id of 1 to 512 visible ASCII characters";
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recipient \"%s\" is not valid for channel %s", NotifyClip(recipient, 200), channel),
				 errdetail("Channel %s takes %s.", channel, what)));
}

PG_FUNCTION_INFO_V1(kyc_notification_retention_horizon);

/* SQL: kyc_notification.retention_horizon() RETURNS timestamptz: now() - retention */
Datum
kyc_notification_retention_horizon(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(GetCurrentTransactionStartTimestamp() -
						  (TimestampTz) notify_retention_s * USECS_PER_SEC);
}
