/* kyc_projections--0.1.0.sql: the read model of onboarding cases in projections_api. */

\echo Use "CREATE EXTENSION kyc_projections" to load this file. \quit

-- One row per case, denormalised for the frontend's lists and dashboards:
-- every column of the seed, kept current by the events of the four source
-- services (apply.c), each source writing only its own columns.
CREATE TABLE kyc_projections.onboarding_case_projections (
	id									uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	case_id								varchar(40) NOT NULL UNIQUE,
	type								varchar(20),
	status								varchar(20),
	partner_id							varchar(100),
	partner_name						varchar(200),
	partner_reference_id				varchar(200),
	-- The case's applicant (role Applicant), from onboarding.
	applicant_first_name				varchar(100),
	applicant_last_name					varchar(100),
	applicant_email						varchar(254),
	applicant_phone						varchar(40),
	applicant_date_of_birth				date,
	applicant_nationality				varchar(2),
	applicant_address					varchar(200),
	applicant_city						varchar(100),
	applicant_country					varchar(2),
	-- The case's whole path: checklist items, the risk assessment, the review.
	progress_percentage					numeric(5, 2),
	total_steps							integer,
	completed_steps						integer,
	-- From checklist_service.
	checklist_id						uuid,
	checklist_status					varchar(20),
	checklist_completion_percentage		numeric(5, 2),
	checklist_total_items				integer,
	checklist_completed_items			integer,
	checklist_required_items			integer,
	checklist_completed_required_items	integer,
	-- From risk_service.
	risk_assessment_id					uuid,
	risk_level							varchar(20),
	risk_score							numeric(5, 2),
	risk_status							varchar(20),
	risk_factor_count					integer,
	-- From document_service.
	document_count						integer,
	verified_document_count				integer,
	pending_document_count				integer,
	rejected_document_count				integer,
	-- The case's own times, from onboarding.
	created_at							timestamptz,
	updated_at							timestamptz,
	submitted_at						timestamptz,
	approved_at							timestamptz,
	rejected_at							timestamptz,
	assigned_to							varchar(200),
	assigned_to_name					varchar(200),
	assigned_at							timestamptz,
	requires_manual_review				boolean,
	has_compliance_issues				boolean NOT NULL DEFAULT false,
	compliance_notes					text,

	-- What the rules need beyond the seed's columns.
	applicant_id						uuid,
	sanctions_hits						integer NOT NULL DEFAULT 0,
	pep_hits							integer NOT NULL DEFAULT 0,
	expired_document_count				integer,
	checklist_reopened_at				timestamptz,
	-- Each source's version: the (xid, id) position of the last event of
	-- that source applied to the row.  An event at or before it is stale.
	case_xid							xid8 NOT NULL DEFAULT '0',
	case_event_id						bigint NOT NULL DEFAULT 0,
	applicant_xid						xid8 NOT NULL DEFAULT '0',
	applicant_event_id					bigint NOT NULL DEFAULT 0,
	checklist_xid						xid8 NOT NULL DEFAULT '0',
	checklist_event_id					bigint NOT NULL DEFAULT 0,
	risk_xid							xid8 NOT NULL DEFAULT '0',
	risk_event_id						bigint NOT NULL DEFAULT 0,
	document_xid						xid8 NOT NULL DEFAULT '0',
	document_event_id					bigint NOT NULL DEFAULT 0,
	-- The last event applied, as "source topic id", and the change feed's cursor.
	last_event							text,
	change_seq							bigint NOT NULL DEFAULT 0,
	changed_at							timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE kyc_projections.onboarding_case_projections IS
'Read model of onboarding cases: the seed''s columns, kept current by the relay''s events (kyc_projections.apply_event), each source writing its own columns; derived columns are computed by the derive trigger.';

-- The seed's ten indexes, under the seed's names.
CREATE INDEX idx_case_projections_partner_id ON kyc_projections.onboarding_case_projections (partner_id);
CREATE INDEX idx_case_projections_status ON kyc_projections.onboarding_case_projections (status);
CREATE INDEX idx_case_projections_risk_level ON kyc_projections.onboarding_case_projections (risk_level);
CREATE INDEX idx_case_projections_assigned_to ON kyc_projections.onboarding_case_projections (assigned_to);
CREATE INDEX idx_case_projections_created_at ON kyc_projections.onboarding_case_projections (created_at);
CREATE INDEX idx_case_projections_updated_at ON kyc_projections.onboarding_case_projections (updated_at);
CREATE INDEX idx_case_projections_requires_manual_review ON kyc_projections.onboarding_case_projections (requires_manual_review);
CREATE INDEX idx_case_projections_partner_status_created ON kyc_projections.onboarding_case_projections (partner_id, status, created_at);
CREATE INDEX idx_case_projections_status_risk_created ON kyc_projections.onboarding_case_projections (status, risk_level, created_at);
CREATE INDEX idx_case_projections_assigned_status_created ON kyc_projections.onboarding_case_projections (assigned_to, status, created_at);
-- The change feed's.
CREATE INDEX idx_case_projections_change_seq ON kyc_projections.onboarding_case_projections (change_seq);

-- change_seq: every write of a projection takes the next value, under a
-- transaction lock that orders the writers' commits (derive.c).
CREATE SEQUENCE kyc_projections.change_seq;

SELECT pg_catalog.pg_extension_config_dump('kyc_projections.onboarding_case_projections', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_projections.change_seq', '');

-- Derived columns, the change sequence, and the transaction's change list
-- for NOTIFY kyc_projections (derive.c, change_feed.c).
CREATE FUNCTION kyc_projections.derive() RETURNS trigger
AS 'MODULE_PATHNAME', 'derive' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.derive() FROM PUBLIC;
CREATE TRIGGER derive
	BEFORE INSERT OR UPDATE ON kyc_projections.onboarding_case_projections
	FOR EACH ROW EXECUTE FUNCTION kyc_projections.derive();
CREATE FUNCTION kyc_projections.note_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'note_change' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.note_change() FROM PUBLIC;
CREATE TRIGGER note_change
	AFTER INSERT OR UPDATE ON kyc_projections.onboarding_case_projections
	FOR EACH ROW EXECUTE FUNCTION kyc_projections.note_change();

-- The relay's handler of the four sources' events (apply.c; subscribe.sql).
CREATE FUNCTION kyc_projections.apply_event(e kyc_events.event) RETURNS void
AS 'MODULE_PATHNAME', 'apply_event' LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.apply_event(kyc_events.event) FROM PUBLIC;
COMMENT ON FUNCTION kyc_projections.apply_event(kyc_events.event) IS
'Relay handler: applies one case.*, applicant.*, checklist.*, risk.* or document.* event to its case''s projection, unless the row already holds a later event of that source.';

-- The rows changed after cursor (a change_seq), oldest change first: for a
-- client that missed notifications, or reconnects.  change_seq is the
-- next cursor.
CREATE FUNCTION kyc_projections.changes_since(cursor bigint)
RETURNS SETOF kyc_projections.onboarding_case_projections
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM kyc_projections.onboarding_case_projections p
	WHERE p.change_seq > cursor ORDER BY p.change_seq
$$;
COMMENT ON FUNCTION kyc_projections.changes_since(bigint) IS
'Projections changed after cursor, by change_seq (the next cursor is the last row''s change_seq). NOTIFY kyc_projections announces the changed case ids after each transaction.';
REVOKE ALL ON FUNCTION kyc_projections.changes_since(bigint) FROM PUBLIC;

-- The frontend's queries (queries.c): dashboard() and search().

-- Cases by partner, status, risk level and manual-review flag, kept by the
-- count_change trigger in the writer's transaction: dashboard() sums a few
-- thousand rows instead of counting every projection.  Derived from the
-- table, so not dumped: loading the projections (triggers on) rebuilds it.
CREATE TABLE kyc_projections.case_counts (
	partner_id				varchar(100),
	status					varchar(20),
	risk_level				varchar(20),
	requires_manual_review	boolean,
	cases					bigint NOT NULL,
	UNIQUE NULLS NOT DISTINCT (partner_id, status, risk_level, requires_manual_review)
);
COMMENT ON TABLE kyc_projections.case_counts IS
'Number of projections by partner, status, risk level and manual-review flag, kept by the count_change trigger; dashboard() reads its counts here.';
CREATE FUNCTION kyc_projections.count_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'count_change' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.count_change() FROM PUBLIC;
CREATE TRIGGER count_change
	AFTER INSERT OR UPDATE OR DELETE ON kyc_projections.onboarding_case_projections
	FOR EACH ROW EXECUTE FUNCTION kyc_projections.count_change();
CREATE FUNCTION kyc_projections.count_reset() RETURNS trigger
AS 'MODULE_PATHNAME', 'count_reset' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.count_reset() FROM PUBLIC;
CREATE TRIGGER count_reset
	AFTER TRUNCATE ON kyc_projections.onboarding_case_projections
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_projections.count_reset();

-- dashboard()'s indexes, each in the order it reads: the manual-review
-- queue by created_at, the pending cases by submitted_at (the oldest, and
-- those past kyc_projections.review_sla), of every partner or of one; and
-- the decisions of the last 30 days, with what their durations need
-- (an index-only scan).
CREATE INDEX idx_case_projections_review_queue ON kyc_projections.onboarding_case_projections (created_at)
	WHERE requires_manual_review AND status <> ALL ('{Approved,Rejected}'::text[]);
CREATE INDEX idx_case_projections_partner_review_queue ON kyc_projections.onboarding_case_projections (partner_id, created_at)
	WHERE requires_manual_review AND status <> ALL ('{Approved,Rejected}'::text[]);
CREATE INDEX idx_case_projections_pending ON kyc_projections.onboarding_case_projections (submitted_at)
	WHERE status = 'PendingReview';
CREATE INDEX idx_case_projections_partner_pending ON kyc_projections.onboarding_case_projections (partner_id, submitted_at)
	WHERE status = 'PendingReview';
CREATE INDEX idx_case_projections_decided ON kyc_projections.onboarding_case_projections
	((coalesce(approved_at, rejected_at)), partner_id) INCLUDE (submitted_at, approved_at, rejected_at)
	WHERE status = ANY ('{Approved,Rejected}'::text[]);

-- search()'s trigram index (pg_trgm, found on the install script's
-- search_path) of one text per case; queries.c's SEARCH_DOCUMENT is the
-- same expression.
CREATE INDEX idx_case_projections_search ON kyc_projections.onboarding_case_projections USING gin
	((coalesce(applicant_first_name, '') || ' ' || coalesce(applicant_last_name, '') || ' '
	  || coalesce(applicant_email, '') || ' ' || case_id || ' ' || coalesce(partner_reference_id, ''))
	 gin_trgm_ops);
-- And of the applicant's name alone, for similarity: the case ids' and
-- e-mails' common trigrams (KYC-2026..., example.com) stay out of it.
CREATE INDEX idx_case_projections_search_name ON kyc_projections.onboarding_case_projections USING gin
	((coalesce(applicant_first_name, '') || ' ' || coalesce(applicant_last_name, '')) gin_trgm_ops);

-- The state of the cases, of one partner or of all (queries.c).
CREATE FUNCTION kyc_projections.dashboard(partner_id text DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'projections_dashboard' LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION kyc_projections.dashboard(text) IS
'Counts by status and risk level, the manual-review queue (oldest 50 and total), median and p90 submission-to-decision time over 30 days, the oldest pending case and the cases pending longer than kyc_projections.review_sla; of one partner, or of all when NULL.';
REVOKE ALL ON FUNCTION kyc_projections.dashboard(text) FROM PUBLIC;

-- Cases by applicant name, e-mail, case id or partner reference (queries.c).
CREATE FUNCTION kyc_projections.search(query text)
RETURNS SETOF kyc_projections.onboarding_case_projections
AS 'MODULE_PATHNAME', 'projections_search' LANGUAGE C STABLE ROWS 50
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION kyc_projections.search(text) IS
'At most 50 cases, best first: those whose applicant name, e-mail, case id or partner reference contain query (an exact field match first), then those whose applicant name resembles it (pg_trgm word similarity).';
REVOKE ALL ON FUNCTION kyc_projections.search(text) FROM PUBLIC;
