/*
 * row_encoding.h
 *		The plain C core of the canonical encoding of an audit entry
 *		(row_hash.c): how each value is laid out, whatever it was read from.
 *
 * Version 1 (docs/kyc_auditlog.md): the tag AUDIT_ENCODING_V1, then for
 * each hashed column a type byte and either 'N', or 'V', an 8-byte
 * big-endian length and the value's bytes.  These functions need no
 * backend state, so tests/fuzz calls them directly.
 */
#ifndef KYC_AUDITLOG_ROW_ENCODING_H
#define KYC_AUDITLOG_ROW_ENCODING_H

#include "lib/stringinfo.h"

/* How many columns encoding v1 hashes. */
#define AUDIT_HASHED_COLUMNS 19

extern void AuditEncodeBegin(StringInfo buf);
extern void AuditEncodeNull(StringInfo buf, char tag);
extern void AuditEncodeBytes(StringInfo buf, char tag, const void *bytes, uint64 len);
extern void AuditEncodeInt64(StringInfo buf, char tag, int64 value);
extern void AuditEncodeBool(StringInfo buf, bool value);
extern void AuditEncodeInet(StringInfo buf, bool ipv6, uint8 bits, const uint8 *addr);

#endif							/* KYC_AUDITLOG_ROW_ENCODING_H */
