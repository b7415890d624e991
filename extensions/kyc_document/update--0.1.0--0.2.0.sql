/* kyc_document 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_document UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- 0.1.0 kept no document number, so there is nothing to seal: existing
-- documents get both columns NULL, no row is rewritten, and no change is
-- captured or emitted.
ALTER TABLE kyc_document.documents
	ADD COLUMN document_number varchar(64),
	ADD COLUMN document_number_sealed text;

-- register_document() gained document_number: the 0.2.0 one replaces it.
DROP FUNCTION kyc_document.register_document(text, text, text, text, bigint, text, text, uuid, timestamptz);

-- The new tables come from the install script's part below, empty.
-- case_keys: a case gets its key when its first document number is sealed.
-- case_partners: document_service has no partner or reviewer of its own,
-- so existing cases stay hidden from partners and reviewers rather than
-- guessed.  The document_cases subscription make provision adds starts at
-- the beginning of onboarding's outbox, so it fills in every case whose
-- events onboarding still keeps (kyc_events.retention).
