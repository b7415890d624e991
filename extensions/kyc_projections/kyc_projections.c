/*
 * kyc_projections.c
 *		Module entry point of kyc_projections: the read model of onboarding
 *		cases in projections_api.
 *
 *	apply.c			the relay's handler: one event, one row, its source's columns
 *	derive.c		derived columns, compliance rules and the change sequence
 *	change_feed.c	NOTIFY kyc_projections, once per transaction
 *	queries.c		dashboard(), search(), kyc_projections.review_sla and case_counts
 */
#include "kyc_projections.h"

PG_MODULE_MAGIC;
