/*
 * kyc_document.h
 *		Internal declarations of the kyc_document extension.
 */
#ifndef KYC_DOCUMENT_H
#define KYC_DOCUMENT_H

#include "kyc_common.h"

#include "commands/trigger.h"

/* The four document statuses, in this order everywhere (payload counts too). */
#define DOC_STATUS_COUNT 4

/* Largest document kyc_document.max_size_bytes allows, in bytes. */
extern int64 document_max_size_bytes;

/*
 * First key of the transaction-level advisory lock that serialises the
 * events of one case: pg_advisory_xact_lock(DOC_CASE_LOCK_CLASS,
 * hashtext(case_id)) takes the same lock from SQL.
 */
#define DOC_CASE_LOCK_CLASS 1801744227	/* 'kdoc' */

/* Columns of kyc_document.documents the triggers use (kyc_document.c). */
extern KycColumn col_id;
extern KycColumn col_case_id;
extern KycColumn col_applicant_id;
extern KycColumn col_document_type;
extern KycColumn col_status;
extern KycColumn col_file_name;
extern KycColumn col_mime_type;
extern KycColumn col_size_bytes;
extern KycColumn col_sha256;
extern KycColumn col_storage_uri;
extern KycColumn col_uploaded_at;
extern KycColumn col_verified_at;
extern KycColumn col_expires_at;
extern KycColumn col_reviewer;
extern KycColumn col_rejection_reason;
extern KycColumn col_created_at;
extern KycColumn col_updated_at;
extern KycColumn col_document_number;
extern KycColumn col_document_number_sealed;

/* pii.c */
extern void DocumentSealPii(Relation rel, HeapTuple tuple, const char *case_id,
							KycRowChanges *changes);

/* document_state.c */
extern int	DocumentStatusIndex(const char *status);
extern const char *DocumentStatusName(int index);
extern bool DocumentStatusFinal(const char *status);
extern const char *DocumentAllowedNext(const char *from);
extern bool DocumentTransitionAllowed(const char *from, const char *to);
extern const char *DocumentEventTopic(const char *status);

#define DOC_STATUS_LIST "Pending, Verified, Rejected and Expired"
#define DOC_MACHINE "Pending -> Verified | Rejected | Expired; Verified -> Expired | Rejected"

#endif							/* KYC_DOCUMENT_H */
