/*
 * kyc_checklist.c
 *		Module entry point.
 */
#include "kyc_checklist.h"

PG_MODULE_MAGIC;

/* Trigger: names the column, the value and the allowed list (kyc_allowed.c). */
KYC_ALLOWED_VALUES_TRIGGER(kyc_checklist_allowed_values);

/* Trigger: a child row keeps its parent's public case id (kyc_parent_case.c). */
KYC_INHERIT_CASE_ID_TRIGGER(kyc_checklist_inherit_case_id);
