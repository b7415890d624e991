/*
 * document_state.c
 *		The document state machine.
 *
 *		Pending  -> Verified | Rejected | Expired
 *		Verified -> Expired | Rejected	(a revocation; needs a reason)
 *		Rejected, Expired: final
 *
 * The document types, and an unknown status, are the allowed_values
 * triggers' to report (kyc_allowed.c).
 */
#include "kyc_document.h"


#define DOC_MAX_NEXT 3

typedef struct DocState
{
	const char *status;
	const char *next[DOC_MAX_NEXT]; /* allowed next states, NULL-padded */
	const char *next_list;		/* the same, for messages */
	const char *topic;			/* event announcing a move into this state */
} DocState;

/* In DOC_STATUS_COUNT order: the index of a state is its place in the counts. */
static const DocState doc_states[DOC_STATUS_COUNT] = {
	{"Pending", {"Verified", "Rejected", "Expired"}, "Verified, Rejected, Expired", "document.uploaded"},
	{"Verified", {"Expired", "Rejected", NULL}, "Expired, Rejected", "document.verified"},
	{"Rejected", {NULL, NULL, NULL}, "", "document.rejected"},
	{"Expired", {NULL, NULL, NULL}, "", "document.expired"},
};

/* Index of status in the state table; -1 for a status the machine does not know. */
int
DocumentStatusIndex(const char *status)
{
	int			i;

	for (i = 0; i < DOC_STATUS_COUNT; i++)
		if (strcmp(doc_states[i].status, status) == 0)
			return i;
	return -1;
}

/* Name of the state at index. */
const char *
DocumentStatusName(int index)
{
	return doc_states[index].status;
}

/* True for Rejected and Expired, which allow no further move. */
bool
DocumentStatusFinal(const char *status)
{
	return DocumentAllowedNext(status)[0] == '\0';
}

/* Allowed next states of from, as "A, B"; "" for a final or unknown state. */
const char *
DocumentAllowedNext(const char *from)
{
	int			i = DocumentStatusIndex(from);

	return i < 0 ? "" : doc_states[i].next_list;
}

/* True when the machine allows from -> to; exact names only. */
bool
DocumentTransitionAllowed(const char *from, const char *to)
{
	int			i = DocumentStatusIndex(from);
	int			j;

	if (i < 0)
		return false;
	for (j = 0; j < DOC_MAX_NEXT; j++)
		if (doc_states[i].next[j] != NULL && strcmp(doc_states[i].next[j], to) == 0)
			return true;
	return false;
}

/* Topic of the event for a document entering status (a new one enters Pending). */
const char *
DocumentEventTopic(const char *status)
{
	int			i = DocumentStatusIndex(status);

	if (i < 0)
		elog(ERROR, "unknown document status \"%s\"", status);
	return doc_states[i].topic;
}
