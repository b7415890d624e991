/*
 * kyc_checklist.h
 *		Internal declarations of the kyc_checklist extension.
 */
#ifndef KYC_CHECKLIST_H
#define KYC_CHECKLIST_H

#include "kyc_common.h"

#include "commands/trigger.h"

/* Item statuses, as the seed spells them. */
#define ITEM_PENDING "Pending"
#define ITEM_COMPLETED "Completed"
#define ITEM_SKIPPED "Skipped"

/* completed_by of an item a verified document completed: "document:<id>". */
#define DOCUMENT_COMPLETER_PREFIX "document:"
/* completed_by of an item a sanctions and PEP screening completed: "screening:<event id>". */
#define SCREENING_COMPLETER_PREFIX "screening:"

/* Who is completing items right now: a person, or one of the event kinds. */
typedef enum ChecklistCompleter
{
	COMPLETER_PERSON,
	COMPLETER_DOCUMENT,
	COMPLETER_SCREENING
} ChecklistCompleter;

/* received_events.c */
extern ChecklistCompleter ChecklistEventCompleter(void);
extern void ChecklistLockCase(Datum case_id);
extern int	ChecklistApplyReceived(Datum case_id);

#endif							/* KYC_CHECKLIST_H */
