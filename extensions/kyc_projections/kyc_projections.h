/*
 * kyc_projections.h
 *		Internal declarations of the kyc_projections extension.
 */
#ifndef KYC_PROJECTIONS_H
#define KYC_PROJECTIONS_H

#include "kyc_common.h"

#include "commands/trigger.h"

/* The channel NOTIFY announces changed projections on (change_feed.c). */
#define PROJECTIONS_CHANNEL "kyc_projections"

/* change_feed.c */
extern void ProjectionNoteChangedCase(const char *case_id);

#endif							/* KYC_PROJECTIONS_H */
