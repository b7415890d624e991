/*
 * kyc_checklist.c
 *		Module entry point.
 */
#include "kyc_checklist.h"

PG_MODULE_MAGIC;
