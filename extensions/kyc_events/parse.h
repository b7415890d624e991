/*
 * parse.h
 *		The plain C checks of kyc_events' untrusted text: event topics
 *		(topic.c) and source connection strings (conninfo.c).
 *
 * They need no backend state, so tests/fuzz calls them directly; the
 * functions that raise errors from them are in kyc_events.h and relay.h.
 */
#ifndef KYC_EVENTS_PARSE_H
#define KYC_EVENTS_PARSE_H

/* topic.c */
extern const char *KycTopicProblem(const char *topic);

/* What RelayMaskConninfo() shows a secret's value as. */
#define MASKED_SECRET "********"

/* What it shows a conninfo as that libpq cannot parse, since its text may hold a secret. */
#define UNPARSABLE_CONNINFO "(unparsable conninfo)"

/* How deep it shows connection strings nested in dbname, and what it shows deeper ones as. */
#define MASKED_CONNINFO_DEPTH 4
#define NESTED_CONNINFO "(nested conninfo)"

/* conninfo.c */
extern bool RelayConninfoUsable(const char *conninfo, char **error);
extern char *RelayMaskConninfo(const char *conninfo);

#endif							/* KYC_EVENTS_PARSE_H */
