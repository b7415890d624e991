/* kyc_document--0.2.0.sql: document metadata of the document_service database. */

\echo Use "CREATE EXTENSION kyc_document" to load this file. \quit

-- MIME types a document may have, lowercase.  Empty after CREATE
-- EXTENSION: install_defaults() adds the documented defaults.
CREATE TABLE kyc_document.allowed_mime_types (
	mime_type		text PRIMARY KEY
					CHECK (mime_type ~ '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$'),
	description		text NOT NULL
);

COMMENT ON TABLE kyc_document.allowed_mime_types IS
'MIME types (lowercase type/subtype) a new document may have; checked when a document is registered.';

-- Document metadata; the files themselves live at storage_uri.  The C
-- trigger document_guard checks every rule first with a clear message;
-- the constraints below are the last line of defence.
CREATE TABLE kyc_document.documents (
	id					uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	case_id				varchar(40) NOT NULL CHECK (btrim(case_id) <> ''),
	applicant_id		uuid,
	document_type		text NOT NULL
						CHECK (document_type IN ('Passport', 'NationalId', 'DrivingLicense',
							'ResidencePermit', 'UtilityBill', 'BankStatement', 'TaxReturn',
							'CertificateOfIncorporation', 'ArticlesOfAssociation',
							'RegisterOfDirectors', 'ShareholderRegister', 'UboDeclaration',
							'TrustDeed', 'PartnershipAgreement', 'ProofOfAddress',
							'SourceOfFunds', 'Other')),
	status				text NOT NULL DEFAULT 'Pending'
						CHECK (status IN ('Pending', 'Verified', 'Rejected', 'Expired')),
	file_name			text NOT NULL CHECK (btrim(file_name) <> ''),
	mime_type			text NOT NULL,
	size_bytes			bigint NOT NULL CHECK (size_bytes >= 0),
	sha256				text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	storage_uri			text NOT NULL,
	uploaded_at			timestamptz NOT NULL DEFAULT now(),
	verified_at			timestamptz,
	expires_at			timestamptz,
	reviewer			text,
	rejection_reason	text,
	created_at			timestamptz NOT NULL DEFAULT now(),
	updated_at			timestamptz NOT NULL DEFAULT now(),
	-- The number printed on the document (passport, identity card, ...):
	-- written in the clear, stored as NULL, sealed by document_guard into
	-- document_number_sealed (pii.c).
	document_number		varchar(64),
	document_number_sealed	text,
	CONSTRAINT documents_verified_at_check
		CHECK (status <> 'Verified' OR verified_at IS NOT NULL),
	CONSTRAINT documents_rejection_reason_check
		CHECK ((status = 'Rejected') = (rejection_reason IS NOT NULL))
);

CREATE INDEX documents_case_id_idx ON kyc_document.documents (case_id, status);
CREATE INDEX documents_status_idx ON kyc_document.documents (status);
CREATE INDEX documents_applicant_id_idx ON kyc_document.documents (applicant_id)
	WHERE applicant_id IS NOT NULL;
-- What expire_documents() looks for.
CREATE INDEX documents_expiry_idx ON kyc_document.documents (expires_at)
	WHERE status IN ('Pending', 'Verified');

COMMENT ON TABLE kyc_document.documents IS
'Document metadata. status follows Pending -> Verified | Rejected | Expired and Verified -> Expired | Rejected, enforced by a C trigger; every change of status is an event.';
COMMENT ON COLUMN kyc_document.documents.sha256 IS
'SHA-256 of the file, 64 hex digits; uppercase is stored in lowercase.';
COMMENT ON COLUMN kyc_document.documents.reviewer IS
'Who verified or rejected the document: the reviewer given, else kyc.actor, else the PostgREST JWT subject, else session_user.';
COMMENT ON COLUMN kyc_document.documents.rejection_reason IS
'Why the document was rejected; required for, and only for, Rejected.';

SELECT pg_catalog.pg_extension_config_dump('kyc_document.allowed_mime_types', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_document.documents', '');
COMMENT ON COLUMN kyc_document.documents.document_number IS
'Written in the clear, stored as NULL: the document_guard trigger seals it into document_number_sealed. Read it with kyc_document.reveal(document_number_sealed).';
COMMENT ON COLUMN kyc_document.documents.document_number_sealed IS
'document_number sealed with AES-256-GCM under the case''s data key (pii:v1:document_number:<case id>:<base64>).';

-- Each case's data key, wrapped with the master key, as in onboarding
-- (kyc_onboarding.case_keys); destroyed when onboarding forgets the case.
CREATE TABLE kyc_document.case_keys (
	case_id			varchar(40) PRIMARY KEY,
	wrapped_key		bytea CHECK (octet_length(wrapped_key) = 60),
	created_at		timestamptz NOT NULL DEFAULT now(),
	shredded_at		timestamptz,
	shredded_by		text,
	CHECK ((wrapped_key IS NULL) = (shredded_at IS NOT NULL))
);
REVOKE ALL ON kyc_document.case_keys FROM PUBLIC;
COMMENT ON TABLE kyc_document.case_keys IS
'Each case''s AES-256 data key for document numbers, wrapped with the master key (kyc.master_key_file); wrapped_key is NULL once onboarding''s case.forgotten has destroyed it. Readable by its owner only.';
SELECT pg_catalog.pg_extension_config_dump('kyc_document.case_keys', '');

-- C trigger functions.
CREATE FUNCTION kyc_document.document_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_document_guard' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
-- Trigger functions are the triggers' alone: nobody attaches them elsewhere.
REVOKE ALL ON FUNCTION kyc_document.document_guard() FROM PUBLIC;
CREATE FUNCTION kyc_document.document_events() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_document_events' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_document.document_events() FROM PUBLIC;

-- The project's own error for a value outside a column's allowed list:
-- 23514 naming the column, the value and the allowed values (kyc_allowed.c),
-- before document_guard (triggers fire in name order).  Each CHECK
-- constraint stays as the backstop; the lists must match it (pgTAP 27).
CREATE FUNCTION kyc_document.allowed_values() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_document_allowed_values' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_document.allowed_values() FROM PUBLIC;
CREATE TRIGGER allowed_document_type
	BEFORE INSERT OR UPDATE OF document_type ON kyc_document.documents
	FOR EACH ROW EXECUTE FUNCTION kyc_document.allowed_values('document_type', 'Passport', 'NationalId',
		'DrivingLicense', 'ResidencePermit', 'UtilityBill', 'BankStatement', 'TaxReturn',
		'CertificateOfIncorporation', 'ArticlesOfAssociation', 'RegisterOfDirectors', 'ShareholderRegister',
		'UboDeclaration', 'TrustDeed', 'PartnershipAgreement', 'ProofOfAddress', 'SourceOfFunds', 'Other');
CREATE TRIGGER allowed_status
	BEFORE INSERT OR UPDATE OF status ON kyc_document.documents
	FOR EACH ROW EXECUTE FUNCTION kyc_document.allowed_values('status', 'Pending', 'Verified', 'Rejected', 'Expired');
CREATE TRIGGER document_guard
	BEFORE INSERT OR UPDATE ON kyc_document.documents
	FOR EACH ROW EXECUTE FUNCTION kyc_document.document_guard();
CREATE TRIGGER document_uploaded
	AFTER INSERT ON kyc_document.documents
	FOR EACH ROW EXECUTE FUNCTION kyc_document.document_events();
CREATE TRIGGER document_status_changed
	AFTER UPDATE ON kyc_document.documents
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION kyc_document.document_events();

-- The SQL API.  The functions run with the caller's rights: the triggers
-- apply the same rules to them as to a plain INSERT or UPDATE.
CREATE FUNCTION kyc_document.register_document(case_id text, document_type text,
	file_name text, mime_type text, size_bytes bigint, sha256 text, storage_uri text,
	applicant_id uuid DEFAULT NULL, expires_at timestamptz DEFAULT NULL,
	document_number text DEFAULT NULL)
RETURNS uuid
AS 'MODULE_PATHNAME', 'kyc_document_register_document' LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION kyc_document.register_document(text, text, text, text, bigint, text, text, uuid, timestamptz, text) IS
'Register an uploaded document as Pending; returns its id and emits document.uploaded. document_number is sealed at rest.';

CREATE FUNCTION kyc_document.verify_document(document_id uuid, reviewer text DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_document_verify_document' LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION kyc_document.verify_document(uuid, text) IS
'Verify a Pending document (reviewer defaults to the session actor); emits document.verified. SQLSTATE 55000 when the move is not allowed, P0002 for an unknown id.';

CREATE FUNCTION kyc_document.reject_document(document_id uuid, reason text, reviewer text DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_document_reject_document' LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION kyc_document.reject_document(uuid, text, text) IS
'Reject a Pending document, or revoke a Verified one, with a reason; emits document.rejected.';

-- Set-based: one UPDATE, so one document.expired event per document from
-- the trigger.  Run daily by pg_cron.
CREATE FUNCTION kyc_document.expire_documents()
RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	-- The events' per-case locks, taken up front in one order: two expiry
	-- runs, or one and a transaction touching several cases, cannot deadlock.
	SELECT count(pg_advisory_xact_lock(1801744227, hashtext(c.case_id)))
	FROM (SELECT DISTINCT d.case_id FROM kyc_document.documents d
		  WHERE d.status IN ('Pending', 'Verified') AND d.expires_at <= now()
		  ORDER BY 1) c;
	WITH expired AS (
		UPDATE kyc_document.documents d SET status = 'Expired'
		WHERE d.status IN ('Pending', 'Verified') AND d.expires_at <= now()
		RETURNING 1
	)
	SELECT count(*)::integer FROM expired;
$$;

COMMENT ON FUNCTION kyc_document.expire_documents() IS
'Mark every Pending or Verified document whose expires_at has passed Expired, one document.expired event each; returns how many.';

-- The documented default MIME types, added where missing; make provision
-- runs it.  Kept out of the install script so that pg_dump and restore
-- never meet the same rows twice.
CREATE FUNCTION kyc_document.install_defaults()
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_document.allowed_mime_types (mime_type, description) VALUES
		('application/pdf', 'PDF: scans, statements, certificates and registers'),
		('image/jpeg', 'JPEG photo or scan'),
		('image/png', 'PNG image or screenshot'),
		('image/tiff', 'TIFF, as document scanners produce'),
		('image/heic', 'HEIC, the default format of iPhone photos')
	ON CONFLICT DO NOTHING;
$$;

-- Service roles are granted what they need by make provision, nothing more.
REVOKE ALL ON FUNCTION kyc_document.register_document(text, text, text, text, bigint, text, text, uuid, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_document.verify_document(uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_document.reject_document(uuid, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_document.expire_documents() FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_document.install_defaults() FROM PUBLIC;

-- Each case's partner, from onboarding's case events (subscribe.sql), so
-- that the PostgREST API (api.sql) can give a partner its own cases'
-- documents and no other's.
CREATE TABLE kyc_document.case_partners (
	case_id			varchar(40) PRIMARY KEY,
	partner_id		varchar(100),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	-- The case's reviewer, so that a reviewer's token reads the documents
	-- of the cases onboarding shows it (its own and the unassigned queue).
	assigned_to		varchar(200)
);
COMMENT ON TABLE kyc_document.case_partners IS
'Each case''s partner and reviewer, kept by kyc_document.on_case_event() from onboarding''s case.created and case.updated events.';
SELECT pg_catalog.pg_extension_config_dump('kyc_document.case_partners', '');

-- The relay's handler of onboarding's case events: only the relay calls it.
CREATE FUNCTION kyc_document.on_case_event(e kyc_events.event)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM kyc_events.require_delivery(e, 'kyc_document.on_case_event(kyc_events.event)'::pg_catalog.regprocedure,
										'{case.created,case.updated}');
	IF (e.payload ->> 'case_id') IS NULL THEN
		RAISE EXCEPTION '% event % of % has no case_id', e.topic, e.id, e.source
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Fix the emitter, then replay the dead letter with kyc_events.replay_dead_letter(id).';
	END IF;
	INSERT INTO kyc_document.case_partners AS p (case_id, partner_id, assigned_to)
	VALUES (e.payload ->> 'case_id', e.payload ->> 'partner_id', e.payload ->> 'assigned_to')
	ON CONFLICT (case_id) DO UPDATE SET partner_id = excluded.partner_id, assigned_to = excluded.assigned_to,
		updated_at = now()
	WHERE (p.partner_id, p.assigned_to) IS DISTINCT FROM (excluded.partner_id, excluded.assigned_to);
END
$$;
REVOKE ALL ON FUNCTION kyc_document.on_case_event(kyc_events.event) FROM PUBLIC;
COMMENT ON FUNCTION kyc_document.on_case_event(kyc_events.event) IS
'Relay handler: records each case''s partner and reviewer in case_partners from onboarding''s case.created and case.updated.';

-- Document numbers sealed at rest (pii.c, docs/kyc_document.md).
CREATE FUNCTION kyc_document.reveal(sealed text)
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_document_reveal'
LANGUAGE C STABLE STRICT
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_document.reveal(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_document.reveal(text) IS
'The plain document_number of a sealed document_number_sealed, for a caller who may read a document of its case; NULL once the case is forgotten. A case the caller may not read is "not found" (P0002).';

-- The relay's handler of onboarding's case.forgotten: destroys the case's
-- data key here too.  Only the relay calls it.
CREATE FUNCTION kyc_document.on_case_forgotten(e kyc_events.event)
RETURNS void
AS 'MODULE_PATHNAME', 'kyc_document_on_case_forgotten' LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_document.on_case_forgotten(kyc_events.event) FROM PUBLIC;
COMMENT ON FUNCTION kyc_document.on_case_forgotten(kyc_events.event) IS
'Relay handler: destroys the data key of the case that onboarding''s case.forgotten names, so its document numbers can no longer be read.';
