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

/* document_handler.c */
extern bool ChecklistDocumentCompletion(void);

#endif							/* KYC_CHECKLIST_H */
