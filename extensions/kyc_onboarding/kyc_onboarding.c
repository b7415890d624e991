/*
 * kyc_onboarding.c
 *		Module entry point and helpers shared by the onboarding triggers.
 */
#include "kyc_onboarding.h"

#include "utils/rel.h"

PG_MODULE_MAGIC;

CaseTransitionContext case_transition = {false, NULL, NULL};

