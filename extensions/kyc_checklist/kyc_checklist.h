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

#endif							/* KYC_CHECKLIST_H */
