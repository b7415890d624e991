/*
 * kyc_onboarding.c
 *		Module entry point and helpers shared by the onboarding triggers.
 */
#include "kyc_onboarding.h"

#include "utils/rel.h"

PG_MODULE_MAGIC;

/* Trigger: names the column, the value and the allowed list (kyc_allowed.c). */
KYC_ALLOWED_VALUES_TRIGGER();

/* Trigger: a child row keeps its parent's public case id (kyc_parent_case.c). */
KYC_INHERIT_CASE_ID_TRIGGER();

CaseTransitionContext case_transition = {false, NULL, NULL, false};

