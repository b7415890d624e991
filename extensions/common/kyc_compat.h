/*
 * kyc_compat.h
 *		The one place for PostgreSQL version differences.
 *
 * pgkyc targets PostgreSQL 15.  Guards for other major versions belong here
 * and nowhere else, so the rest of the code reads as plain PostgreSQL.
 */
#ifndef KYC_COMPAT_H
#define KYC_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "pgkyc requires PostgreSQL 15 or later"
#endif

#endif							/* KYC_COMPAT_H */
