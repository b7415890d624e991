/*
 * names.h
 *		What the two name harnesses share: taking an input as a name the
 *		way kyc_risk's SQL functions take one (ScreenCheckedName()).
 */
#ifndef KYC_FUZZ_NAMES_H
#define KYC_FUZZ_NAMES_H

#include "fuzz.h"

#include "name_core.h"

extern char *FuzzCheckedName(const char *data, size_t len);

#endif							/* KYC_FUZZ_NAMES_H */
