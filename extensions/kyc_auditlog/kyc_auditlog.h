/*
 * kyc_auditlog.h
 *		Internal declarations of the kyc_auditlog extension.
 */
#ifndef KYC_AUDITLOG_H
#define KYC_AUDITLOG_H

#include "kyc_common.h"

#include "commands/trigger.h"

/* Version tag that starts every canonical encoding; bump if it changes. */
#define AUDIT_ENCODING_V1 "kyc_auditlog/row/v1"

/* row_hash.c */
extern void AuditRowHash(HeapTuple tuple, TupleDesc desc, uint8 *digest);

#endif							/* KYC_AUDITLOG_H */
