-- kyc_document: registering documents, the state machine, the events and
-- their counts, expiry, and every rule and error with its message.
\set SHOW_CONTEXT never
SELECT kyc_document.install_defaults();
SELECT kyc_document.install_defaults();
SELECT mime_type, description FROM kyc_document.allowed_mime_types ORDER BY mime_type;

-- Registering: sha256 and mime_type are stored lowercase, times are the server's.
SET kyc.actor = 'alice';
SELECT kyc_document.register_document('DOCREG-R1', 'Passport', 'passport.pdf', 'Application/PDF',
	2048, upper(repeat('0123456789abcdef', 4)), 's3://kyc-docs/DOCREG-R1/passport.pdf',
	'11111111-1111-1111-1111-111111111111', now() + interval '5 years') AS passport \gset
-- An unknown document type names the value and the allowed types.
SELECT kyc_document.register_document('DOCREG-R1', 'Selfie', 'selfie.png', 'image/png',
	2048, repeat('0123456789abcdef', 4), 's3://kyc-docs/DOCREG-R1/selfie.png');
SELECT case_id, applicant_id, document_type, status, file_name, mime_type, size_bytes, sha256,
	   storage_uri, uploaded_at = created_at AND created_at = updated_at AS stamped,
	   verified_at, reviewer, rejection_reason
FROM kyc_document.documents WHERE id = :'passport';
SELECT kyc_document.register_document('DOCREG-R1', 'UtilityBill', 'bill.png', 'image/png',
	0, repeat('a', 64), 'https://files.example/bill.png') AS bill \gset
SELECT topic, aggregate_id, payload->>'document_id' IN (:'passport', :'bill') AS ours,
	   payload - 'document_id' - 'occurred_at' - 'expires_at' AS payload
FROM kyc_events.outbox WHERE aggregate_id = 'DOCREG-R1' ORDER BY id;
SELECT (payload->>'occurred_at')::timestamptz = d.updated_at AS occurred_at_is_updated_at,
	   (payload->>'expires_at')::timestamptz = d.expires_at AS expires_at
FROM kyc_events.outbox o JOIN kyc_document.documents d ON d.id::text = o.payload->>'document_id'
WHERE o.aggregate_id = 'DOCREG-R1' AND d.id = :'passport';

-- Verifying: the reviewer defaults to the session's actor; verified_at is stamped.
SELECT kyc_document.verify_document(:'passport');
SELECT status, reviewer, verified_at IS NOT NULL AS verified_at, verified_at = updated_at AS stamped
FROM kyc_document.documents WHERE id = :'passport';
-- A Verified document cannot be verified again.
SELECT kyc_document.verify_document(:'passport', 'carol');
-- Rejecting names the reviewer and the reason.
SELECT kyc_document.reject_document(:'bill', 'Older than three months', 'bob');
SELECT status, reviewer, rejection_reason, verified_at FROM kyc_document.documents WHERE id = :'bill';
-- Rejected is final.
SELECT kyc_document.verify_document(:'bill');
SELECT kyc_document.reject_document(:'bill', 'Still too old');
UPDATE kyc_document.documents SET expires_at = now() WHERE id = :'bill';
UPDATE kyc_document.documents SET status = 'Expired' WHERE id = :'bill';
-- Verified -> Rejected revokes a verification; verified_at stays as history.
SELECT kyc_document.reject_document(:'passport', 'Reported stolen', 'dave');
SELECT status, reviewer, rejection_reason, verified_at IS NOT NULL AS verified_at
FROM kyc_document.documents WHERE id = :'passport';
SELECT topic, payload->>'document_type' AS type, payload->>'status' AS status,
	   payload->>'previous_status' AS previous, payload->>'reviewer' AS reviewer,
	   payload->>'reason' AS reason, payload->'counts' AS counts
FROM kyc_events.outbox WHERE aggregate_id = 'DOCREG-R1' ORDER BY id;

-- A plain UPDATE of status meets the same rules and emits the same events.
SELECT kyc_document.register_document('DOCREG-R2', 'ProofOfAddress', 'lease.tiff', 'image/tiff',
	4096, repeat('b', 64), 's3://kyc-docs/DOCREG-R2/lease.tiff') AS lease \gset
UPDATE kyc_document.documents SET status = 'Rejected' WHERE id = :'lease';
UPDATE kyc_document.documents SET rejection_reason = 'Blurred' WHERE id = :'lease';
UPDATE kyc_document.documents SET status = 'Verified', reviewer = 'erin' WHERE id = :'lease';
SELECT status, reviewer FROM kyc_document.documents WHERE id = :'lease';
UPDATE kyc_document.documents SET status = 'Pending' WHERE id = :'lease';
-- Changes that are not a review: no event, and the reviewer cannot change.
UPDATE kyc_document.documents SET expires_at = now() + interval '1 year',
	applicant_id = '22222222-2222-2222-2222-222222222222' WHERE id = :'lease';
UPDATE kyc_document.documents SET reviewer = 'mallory' WHERE id = :'lease';
UPDATE kyc_document.documents SET status = 'Expired' WHERE id = :'lease';
SELECT status, reviewer FROM kyc_document.documents WHERE id = :'lease';
-- Setting Expired again is a no-op: no error, no event, updated_at kept.
SELECT updated_at AS lease_updated FROM kyc_document.documents WHERE id = :'lease' \gset
UPDATE kyc_document.documents SET status = 'Expired' WHERE id = :'lease';
SELECT updated_at = :'lease_updated' AS unchanged FROM kyc_document.documents WHERE id = :'lease';
UPDATE kyc_document.documents SET status = 'Verified' WHERE id = :'lease';
UPDATE kyc_document.documents SET applicant_id = NULL WHERE id = :'lease';
SELECT topic, payload->>'previous_status' AS previous, payload->>'status' AS status,
	   payload->>'reviewer' AS reviewer, payload->>'applicant_id' AS applicant_id,
	   payload->'counts' AS counts
FROM kyc_events.outbox WHERE aggregate_id = 'DOCREG-R2' ORDER BY id;

-- A document's content, case and server-set times are fixed.
UPDATE kyc_document.documents SET sha256 = repeat('c', 64) WHERE id = :'passport';
UPDATE kyc_document.documents SET case_id = 'DOCREG-R9' WHERE id = :'passport';
UPDATE kyc_document.documents SET mime_type = 'image/png' WHERE id = :'passport';
UPDATE kyc_document.documents SET verified_at = NULL WHERE id = :'passport';
UPDATE kyc_document.documents SET updated_at = '2000-01-01' WHERE id = :'passport'
RETURNING updated_at > '2000-01-01' AS kept_server_time;

-- Expiry: Pending and Verified documents past expires_at, set-based.
SELECT kyc_document.register_document('DOCREG-R3', 'NationalId', 'id-front.jpg', 'image/jpeg',
	100, repeat('1', 64), 's3://kyc-docs/DOCREG-R3/id-front.jpg', NULL, now() + interval '1 day') AS id_front \gset
SELECT kyc_document.register_document('DOCREG-R3', 'NationalId', 'id-back.jpg', 'image/jpeg',
	100, repeat('2', 64), 's3://kyc-docs/DOCREG-R3/id-back.jpg', NULL, now() - interval '1 day') AS id_back \gset
SELECT kyc_document.register_document('DOCREG-R3', 'BankStatement', 'statement.pdf', 'application/pdf',
	100, repeat('3', 64), 's3://kyc-docs/DOCREG-R3/statement.pdf', NULL, now() + interval '1 year') AS statement \gset
SELECT kyc_document.register_document('DOCREG-R3', 'DrivingLicense', 'licence.heic', 'image/heic',
	100, repeat('4', 64), 's3://kyc-docs/DOCREG-R3/licence.heic', NULL, now() - interval '1 day') AS licence \gset
SELECT kyc_document.verify_document(:'id_front');
SELECT kyc_document.verify_document(:'statement');
SELECT kyc_document.reject_document(:'licence', 'Wrong person');
-- A document past its expires_at cannot be verified (the detail names the time).
\set VERBOSITY terse
SELECT kyc_document.verify_document(:'id_back');
\set VERBOSITY default
UPDATE kyc_document.documents SET expires_at = now() - interval '1 hour' WHERE id = :'id_front';
SELECT kyc_document.expire_documents() AS expired;
SELECT file_name, status FROM kyc_document.documents WHERE case_id = 'DOCREG-R3' ORDER BY file_name;
SELECT topic, payload->>'file_name' AS file_name, payload->>'previous_status' AS previous,
	   payload->'counts' AS counts
FROM kyc_events.outbox WHERE aggregate_id = 'DOCREG-R3' AND topic = 'document.expired' ORDER BY payload->>'file_name';
SELECT kyc_document.expire_documents() AS expired_again;

-- Registering: every rule and argument error.
SELECT kyc_document.register_document(NULL, 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', NULL, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), NULL);
SELECT kyc_document.register_document('DOCREG-E', 'Visa', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document(' ', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document(repeat('X', 41), 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', '  ', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 63), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('g', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', -1, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 26214401, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.docx', 'application/msword', 1, repeat('a', 64), 's3://b/k');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 'p.pdf');
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/my file.pdf');
-- kyc_document.max_size_bytes: bytes, or a size with a unit.
SHOW kyc_document.max_size_bytes;
SET kyc_document.max_size_bytes = '1 kB';
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1025, repeat('a', 64), 's3://b/k');
SET kyc_document.max_size_bytes = 1025;
SELECT kyc_document.register_document('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1025, repeat('a', 64), 's3://b/k') IS NOT NULL AS at_the_limit;
SET kyc_document.max_size_bytes = '10 parsecs';
SET kyc_document.max_size_bytes = '-1';
SET kyc_document.max_size_bytes = '99999999999 TB';
RESET kyc_document.max_size_bytes;
-- A plain INSERT: a new document is Pending and unreviewed.
INSERT INTO kyc_document.documents (case_id, document_type, status, file_name, mime_type, size_bytes, sha256, storage_uri)
VALUES ('DOCREG-E', 'Passport', 'Verified', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
INSERT INTO kyc_document.documents (case_id, document_type, status, file_name, mime_type, size_bytes, sha256, storage_uri)
VALUES ('DOCREG-E', 'Passport', 'Approved', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
INSERT INTO kyc_document.documents (case_id, document_type, file_name, mime_type, size_bytes, sha256, storage_uri, reviewer)
VALUES ('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k', 'mallory');
INSERT INTO kyc_document.documents (case_id, document_type, file_name, mime_type, size_bytes, sha256, storage_uri, verified_at)
VALUES ('DOCREG-E', 'Passport', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k', now());
INSERT INTO kyc_document.documents (case_id, document_type, file_name, mime_type, size_bytes, sha256, storage_uri)
VALUES ('DOCREG-E', NULL, 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k');
INSERT INTO kyc_document.documents (case_id, document_type, file_name, mime_type, size_bytes, sha256, storage_uri, uploaded_at)
VALUES ('DOCREG-E', 'Other', 'p.pdf', 'application/pdf', 1, repeat('a', 64), 's3://b/k', '2000-01-01')
RETURNING uploaded_at > '2000-01-01' AS server_time, status;

-- Reviewing: every argument error; unknown ids are P0002.
SELECT kyc_document.verify_document(NULL);
SELECT kyc_document.verify_document('00000000-0000-0000-0000-000000000000');
SELECT kyc_document.reject_document('00000000-0000-0000-0000-000000000000', 'Forged');
SELECT kyc_document.reject_document(:'statement', NULL);
SELECT kyc_document.reject_document(:'statement', '   ');
SELECT kyc_document.verify_document(:'statement', repeat('r', 201));
SELECT kyc_document.reject_document(:'statement', 'Forged', '  ');
SELECT reviewer FROM kyc_document.documents WHERE id = :'statement';

-- One event per change and none for a refused one.
SELECT aggregate_id, topic, count(*)
FROM kyc_events.outbox WHERE aggregate_id LIKE 'DOCREG-%' GROUP BY 1, 2 ORDER BY 1, 2;

-- Leave the shared outbox as the later tests expect it.
DELETE FROM kyc_events.outbox WHERE aggregate_id LIKE 'DOCREG-%';
DELETE FROM kyc_document.documents WHERE case_id LIKE 'DOCREG-%';
RESET kyc.actor;
