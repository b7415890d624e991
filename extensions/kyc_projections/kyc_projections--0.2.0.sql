/* kyc_projections--0.2.0.sql: the read model of onboarding cases in projections_api. */

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
AS 'MODULE_PATHNAME', 'kyc_projections_derive' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.derive() FROM PUBLIC;
CREATE TRIGGER derive
	BEFORE INSERT OR UPDATE ON kyc_projections.onboarding_case_projections
	FOR EACH ROW EXECUTE FUNCTION kyc_projections.derive();
CREATE FUNCTION kyc_projections.note_change() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_projections_note_change' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.note_change() FROM PUBLIC;
CREATE TRIGGER note_change
	AFTER INSERT OR UPDATE ON kyc_projections.onboarding_case_projections
	FOR EACH ROW EXECUTE FUNCTION kyc_projections.note_change();

-- The relay's handler of the four sources' events (apply.c; subscribe.sql).
CREATE FUNCTION kyc_projections.apply_event(e kyc_events.event) RETURNS void
AS 'MODULE_PATHNAME', 'kyc_projections_apply_event' LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.apply_event(kyc_events.event) FROM PUBLIC;
COMMENT ON FUNCTION kyc_projections.apply_event(kyc_events.event) IS
'Relay handler: applies one case.*, applicant.*, checklist.*, risk.* or document.* event to its case''s projection, unless the row already holds a later event of that source.';

-- The rows changed after cursor (a change_seq), oldest change first: for a
-- client that missed notifications, or reconnects.  change_seq is the
-- next cursor.
CREATE FUNCTION kyc_projections.changes_since(cursor bigint)
RETURNS SETOF kyc_projections.onboarding_case_projections
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- A NULL or negative cursor is a reader's bug: answering with nothing,
	-- or with everything, would hide it.
	IF cursor IS NULL THEN
		RAISE EXCEPTION 'cursor must not be null' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Start from 0, then pass the last row''s change_seq.';
	ELSIF cursor < 0 THEN
		RAISE EXCEPTION 'cursor must not be negative, not %', cursor USING ERRCODE = 'invalid_parameter_value',
			HINT = 'Start from 0, then pass the last row''s change_seq.';
	END IF;
	RETURN QUERY SELECT * FROM kyc_projections.onboarding_case_projections p
	WHERE p.change_seq OPERATOR(pg_catalog.>) cursor ORDER BY p.change_seq;
END
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
AS 'MODULE_PATHNAME', 'kyc_projections_count_change' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_projections.count_change() FROM PUBLIC;
CREATE TRIGGER count_change
	AFTER INSERT OR UPDATE OR DELETE ON kyc_projections.onboarding_case_projections
	FOR EACH ROW EXECUTE FUNCTION kyc_projections.count_change();
CREATE FUNCTION kyc_projections.count_reset() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_projections_count_reset' LANGUAGE C
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
AS 'MODULE_PATHNAME', 'kyc_projections_dashboard' LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION kyc_projections.dashboard(text) IS
'Counts by status and risk level, the manual-review queue (oldest 50 and total), median and p90 submission-to-decision time over 30 days, the oldest pending case and the cases pending longer than kyc_projections.review_sla; of one partner, or of all when NULL.';
REVOKE ALL ON FUNCTION kyc_projections.dashboard(text) FROM PUBLIC;

-- Cases by applicant name, e-mail, case id or partner reference (queries.c).
CREATE FUNCTION kyc_projections.search(query text)
RETURNS SETOF kyc_projections.onboarding_case_projections
AS 'MODULE_PATHNAME', 'kyc_projections_search' LANGUAGE C STABLE ROWS 50
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION kyc_projections.search(text) IS
'At most 50 cases, best first: those whose applicant name, e-mail, case id or partner reference contain query (an exact field match first), then those whose applicant name resembles it (pg_trgm word similarity).';
REVOKE ALL ON FUNCTION kyc_projections.search(text) FROM PUBLIC;
------------------------------------------------------------------------
-- Rebuild and drift: recompute projections from the four sources, or
-- report where they differ (docs/kyc_projections.md, "Rebuild and drift").
-- Superusers only: the sources are read directly, through dblink, with the
-- subscriptions' conninfo and the caller's own role.
------------------------------------------------------------------------

-- The data columns of each source, in the order apply.c writes them; the
-- bookkeeping columns (versions, last_event, change_seq, changed_at) and
-- the derived ones (derive.c) are not among them.
CREATE FUNCTION kyc_projections.source_columns()
RETURNS TABLE (source text, column_name text, ord integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT s.source, c.column_name, c.ord::integer
	FROM (VALUES
		('case', '{id,type,status,partner_id,partner_name,partner_reference_id,created_at,updated_at,submitted_at,approved_at,rejected_at,assigned_to,assigned_to_name,assigned_at}'::text[]),
		('applicant', '{applicant_id,applicant_first_name,applicant_last_name,applicant_email,applicant_phone,applicant_date_of_birth,applicant_nationality,applicant_address,applicant_city,applicant_country}'),
		('checklist', '{checklist_id,checklist_status,checklist_completion_percentage,checklist_total_items,checklist_completed_items,checklist_required_items,checklist_completed_required_items,checklist_reopened_at}'),
		('risk', '{risk_assessment_id,risk_level,risk_score,risk_status,risk_factor_count,requires_manual_review,sanctions_hits,pep_hits}'),
		('document', '{document_count,verified_document_count,pending_document_count,rejected_document_count,expired_document_count}')
	) AS s(source, columns),
	unnest(s.columns) WITH ORDINALITY AS c(column_name, ord)
$$;
REVOKE ALL ON FUNCTION kyc_projections.source_columns() FROM PUBLIC;

-- Refuse anyone but a superuser.
CREATE FUNCTION kyc_projections.require_superuser(what text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) THEN
		RAISE EXCEPTION 'permission denied for %', what
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = 'It reads the source databases'' tables with the caller''s own role.',
				  HINT = 'Call it as a superuser, such as postgres.';
	END IF;
END
$$;
REVOKE ALL ON FUNCTION kyc_projections.require_superuser(text) FROM PUBLIC;

-- What the sources hold for the cases named in case_ids (NULL: every case),
-- one row per case and source that has it: data is the source's columns
-- as jsonb, the key left out where the source cannot tell (the id of a
-- case onboarding does not have; when a checklist reopened, once the
-- outbox no longer has the event).  Each source is read in one statement,
-- so under one snapshot, with its kyc_events.read_horizon() in that
-- snapshot: horizon.  Every source also gives one row with case_id and
-- data NULL, for its horizon alone.  Sources: case and applicant
-- (onboarding), checklist, risk, document.
CREATE FUNCTION kyc_projections.source_state(case_ids text[])
RETURNS TABLE (source text, case_id text, horizon xid8, data jsonb)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	dblink_schema name;
	s record;
	conninfo text;
BEGIN
	PERFORM kyc_projections.require_superuser('the projections'' sources');
	SELECT n.nspname INTO dblink_schema
	FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
	WHERE x.extname = 'dblink';
	IF dblink_schema IS NULL THEN
		RAISE EXCEPTION 'extension "dblink" is not installed in database %', current_database()
			USING ERRCODE = 'undefined_object',
				  HINT = 'CREATE EXTENSION dblink; (kyc_projections requires it: CREATE EXTENSION kyc_projections CASCADE).';
	END IF;
	FOR s IN
		SELECT v.sub, v.query, v.key FROM (VALUES
		('projection_cases', $q$
			SELECT c.case_id::text, 'case', jsonb_build_object('id', c.id, 'type', c.type, 'status', c.status,
				'partner_id', c.partner_id, 'partner_name', p.name, 'partner_reference_id', c.partner_reference_id,
				'created_at', c.created_at, 'updated_at', c.updated_at, 'submitted_at', c.submitted_at,
				'approved_at', c.approved_at, 'rejected_at', c.rejected_at, 'assigned_to', c.assigned_to,
				'assigned_to_name', c.assigned_to, 'assigned_at', c.assigned_at)::text
			FROM kyc_onboarding.onboarding_cases c
			LEFT JOIN kyc_onboarding.partners p ON p.partner_id = c.partner_id
			WHERE %1$s
			UNION ALL
			SELECT c.case_id::text, 'applicant', jsonb_build_object('applicant_id', a.id,
				'applicant_first_name', a.first_name, 'applicant_last_name', a.last_name,
				'applicant_email', a.email, 'applicant_phone', a.phone_number,
				'applicant_date_of_birth', a.date_of_birth, 'applicant_nationality', a.nationality,
				'applicant_address', ad.street, 'applicant_city', ad.city, 'applicant_country', ad.country)::text
			FROM kyc_onboarding.onboarding_cases c
			JOIN LATERAL (SELECT * FROM kyc_onboarding.applicants a
				WHERE a.case_uuid = c.id AND a.role = 'Applicant'
				ORDER BY a.updated_at DESC, a.created_at DESC, a.id LIMIT 1) a ON true
			LEFT JOIN kyc_onboarding.addresses ad ON ad.applicant_id = a.id AND ad.is_primary
			WHERE %1$s$q$, 'c.case_id'),
		('projection_checklists', $q$
			SELECT c.case_id::text, 'checklist', (jsonb_build_object('checklist_id', c.id,
				'checklist_status', c.status, 'checklist_completion_percentage', c.completion_percentage,
				'checklist_total_items', c.total_items, 'checklist_completed_items', c.completed_items,
				'checklist_required_items', c.required_items,
				'checklist_completed_required_items', c.completed_required_items)
				|| CASE WHEN c.status = 'Completed' THEN '{"checklist_reopened_at": null}'
					WHEN t.topic = 'checklist.reopened' THEN jsonb_build_object('checklist_reopened_at', t.created_at)
					WHEN t.topic IS NOT NULL THEN '{"checklist_reopened_at": null}'
					ELSE '{}' END)::text
			FROM kyc_checklist.checklists c
			LEFT JOIN (SELECT DISTINCT ON (o.aggregate_id) o.aggregate_id, o.topic, o.created_at
				FROM kyc_events.outbox o
				WHERE o.topic IN ('checklist.completed', 'checklist.reopened')
				ORDER BY o.aggregate_id, o.xid DESC, o.id DESC) t ON t.aggregate_id = c.case_id
			WHERE %1$s$q$, 'c.case_id'),
		('projection_risk', $q$
			SELECT a.case_id::text, 'risk', jsonb_build_object('risk_assessment_id', a.id,
				'risk_level', a.overall_risk_level, 'risk_score', a.risk_score, 'risk_status', a.status,
				'risk_factor_count', count(f.id), 'requires_manual_review', a.manual_review,
				'sanctions_hits', count(*) FILTER (WHERE f.type = 'Sanctions' AND f.score > 0),
				'pep_hits', count(*) FILTER (WHERE f.type = 'PEP' AND f.score > 0))::text
			FROM kyc_risk.risk_assessments a
			LEFT JOIN kyc_risk.risk_factors f ON f.risk_assessment_id = a.id
			WHERE a.status = 'Completed' AND %1$s
			GROUP BY a.id$q$, 'a.case_id'),
		('projection_documents', $q$
			SELECT d.case_id::text, 'document', jsonb_build_object('document_count', count(*),
				'verified_document_count', count(*) FILTER (WHERE d.status = 'Verified'),
				'pending_document_count', count(*) FILTER (WHERE d.status = 'Pending'),
				'rejected_document_count', count(*) FILTER (WHERE d.status = 'Rejected'),
				'expired_document_count', count(*) FILTER (WHERE d.status = 'Expired'))::text
			FROM kyc_document.documents d
			WHERE %1$s
			GROUP BY d.case_id$q$, 'd.case_id')
		) AS v(sub, query, key)
	LOOP
		SELECT sub.source INTO conninfo FROM kyc_events.subscription sub WHERE sub.name = s.sub;
		IF conninfo IS NULL THEN
			RAISE EXCEPTION 'subscription "%" does not exist', s.sub
				USING ERRCODE = 'undefined_object',
					  HINT = 'make provision subscribes projections_api to its sources (extensions/kyc_projections/subscribe.sql).';
		END IF;
		IF conninfo ~* '^postgres(ql)?://' THEN
			RAISE EXCEPTION 'the conninfo of subscription "%" is a URI', s.sub
				USING ERRCODE = 'feature_not_supported',
					  HINT = 'Give the subscription a key=value conninfo: the rebuild connects with it as the calling superuser.';
		END IF;
		-- The subscription's server and database, as the caller (a later
		-- keyword wins in a key=value conninfo).
		conninfo := conninfo || ' user=''' || replace(replace(current_user, '\', '\\'), '''', '\''') || '''';
		-- The remote queries name their tables' schemas; their functions and
		-- operators come from pg_catalog alone, whatever the source's settings.
		conninfo := conninfo || ' options=''-c search_path=pg_catalog''';
		-- One statement, one snapshot: the horizon (materialized first, so
		-- taken no later than the data's snapshot) and the data.
		RETURN QUERY EXECUTE format(
			'SELECT r.source, r.case_id, r.horizon::pg_catalog.xid8, r.data::pg_catalog.jsonb FROM %I.dblink($1, $2) '
			'AS r(source text, case_id text, horizon text, data text)', dblink_schema)
		USING conninfo,
			format($q$WITH h AS MATERIALIZED (SELECT kyc_events.read_horizon()::text AS horizon)
				SELECT unnest(%L::text[]), NULL, h.horizon, NULL FROM h
				UNION ALL
				SELECT d.source, d.case_id, h.horizon, d.data
				FROM h, (%s) AS d(case_id, source, data)$q$,
				CASE s.sub WHEN 'projection_cases' THEN '{case,applicant}' WHEN 'projection_checklists' THEN '{checklist}'
					WHEN 'projection_risk' THEN '{risk}' ELSE '{document}' END,
				format(s.query, CASE WHEN case_ids IS NULL THEN 'true'
					ELSE format('%s = ANY (%L::text[])', s.key, case_ids) END));
	END LOOP;
END
$$;

REVOKE ALL ON FUNCTION kyc_projections.source_state(text[]) FROM PUBLIC;

-- Where the projections of case_ids (NULL: every case) differ from what
-- the sources hold (source_state): one row per data cell that differs,
-- with the source's horizon and the whole expected row (expected, for
-- jsonb_populate_record); one row, column_name '(row)', per case that
-- only the projections or only the sources have, and for the latter (row
-- missing) every cell its row would need too.  A cell whose source's
-- version in the row is at or past the source's horizon is newer than the
-- snapshot read, so not compared.
CREATE FUNCTION kyc_projections.drift(case_ids text[])
RETURNS TABLE (case_id text, source text, column_name text, projected text, source_value text,
			   row_missing boolean, horizon xid8, expected jsonb)
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	WITH st AS MATERIALIZED (
		SELECT * FROM kyc_projections.source_state(case_ids)
	), hz AS (
		SELECT st.source, st.horizon FROM st WHERE st.case_id IS NULL
	), p AS MATERIALIZED (
		SELECT p.case_id::text AS case_id, pg_catalog.to_jsonb(p) AS j
		FROM kyc_projections.onboarding_case_projections p
		WHERE case_ids IS NULL OR p.case_id = ANY (case_ids)
	), known AS (
		SELECT st.case_id, pg_catalog.string_agg(st.source, ', ' ORDER BY st.source) AS sources
		FROM st WHERE st.case_id IS NOT NULL GROUP BY st.case_id
	), cells AS (
		SELECT k.case_id, sc.source, sc.column_name, sc.ord,
			   CASE WHEN d.case_id IS NOT NULL THEN d.data ? sc.column_name
					ELSE sc.column_name <> 'id' END AS is_known,
			   CASE WHEN d.case_id IS NOT NULL THEN d.data -> sc.column_name
					WHEN sc.column_name IN ('sanctions_hits', 'pep_hits') THEN '0'::jsonb
					ELSE 'null'::jsonb END AS raw
		FROM known k
		CROSS JOIN kyc_projections.source_columns() sc
		LEFT JOIN st d ON d.case_id = k.case_id AND d.source = sc.source
	), exp AS (
		SELECT c.case_id, pg_catalog.jsonb_object_agg(c.column_name, c.raw) FILTER (WHERE c.is_known) AS e
		FROM cells c GROUP BY c.case_id
	), typed AS (
		SELECT exp.case_id, exp.e,
			   pg_catalog.to_jsonb(pg_catalog.jsonb_populate_record(
				   NULL::kyc_projections.onboarding_case_projections, exp.e)) AS t
		FROM exp
	)
	SELECT c.case_id, c.source, c.column_name, p.j ->> c.column_name, ty.t ->> c.column_name,
		   p.case_id IS NULL, h.horizon, ty.e
	FROM cells c
	JOIN typed ty ON ty.case_id = c.case_id
	JOIN hz h ON h.source = c.source
	LEFT JOIN p ON p.case_id = c.case_id
	WHERE c.is_known
	  AND (p.j -> c.column_name) IS DISTINCT FROM (ty.t -> c.column_name)
	  AND (p.case_id IS NULL
		   OR ((p.j ->> (c.source || '_xid'))::xid8, (p.j ->> (c.source || '_event_id'))::bigint)
			  < (h.horizon, 0::bigint))
	UNION ALL
	SELECT k.case_id, NULL, '(row)', NULL, k.sources, true, NULL, NULL
	FROM known k WHERE NOT EXISTS (SELECT FROM p WHERE p.case_id = k.case_id)
	UNION ALL
	SELECT p.case_id, NULL, '(row)', 'row', NULL, false, NULL, NULL
	FROM p WHERE NOT EXISTS (SELECT FROM known k WHERE k.case_id = p.case_id)
	  AND NOT EXISTS (SELECT FROM hz h
					  WHERE ((p.j ->> (h.source || '_xid'))::xid8, (p.j ->> (h.source || '_event_id'))::bigint)
							>= (h.horizon, 0::bigint))
$$;
REVOKE ALL ON FUNCTION kyc_projections.drift(text[]) FROM PUBLIC;

-- Recompute the projection of case_id (NULL: of every case) from the
-- sources, writing only what differs: a missing row is inserted, a row no
-- source knows is deleted, and each source's differing columns are
-- updated with the source's version set to (its horizon, 0), so the relay
-- goes on from the snapshot read.  Plain row writes; readers never wait.
-- Returns the number of rows written.
CREATE FUNCTION kyc_projections.rebuild(case_id text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	d record;
	n bigint;
	written text[] := '{}';
BEGIN
	PERFORM kyc_projections.require_superuser('function kyc_projections.rebuild(text)');
	IF btrim(rebuild.case_id) OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION 'case_id must not be blank' USING ERRCODE = 'invalid_parameter_value',
			HINT = 'Pass a case id (KYC-...), or NULL (the default) for every case.';
	ELSIF pg_catalog.char_length(rebuild.case_id) OPERATOR(pg_catalog.>) 40 THEN
		RAISE EXCEPTION 'case_id is % characters long, at most 40', pg_catalog.char_length(rebuild.case_id)
			USING ERRCODE = 'string_data_right_truncation';
	END IF;
	FOR d IN
		SELECT dr.case_id, dr.source, dr.row_missing, dr.horizon, dr.expected,
			   pg_catalog.array_agg(dr.column_name) AS columns
		FROM kyc_projections.drift(CASE WHEN rebuild.case_id IS NULL THEN NULL ELSE ARRAY[rebuild.case_id] END) dr
		GROUP BY dr.case_id, dr.source, dr.row_missing, dr.horizon, dr.expected
		-- Rows first: inserted before their cells, deleted alone.
		ORDER BY dr.case_id, dr.source NULLS FIRST
	LOOP
		IF d.source IS NULL AND d.row_missing THEN
			INSERT INTO kyc_projections.onboarding_case_projections (case_id) VALUES (d.case_id)
			ON CONFLICT ON CONSTRAINT onboarding_case_projections_case_id_key DO NOTHING;
		ELSIF d.source IS NULL THEN
			-- No source knows the case; the relay has written nothing newer (drift).
			DELETE FROM kyc_projections.onboarding_case_projections p WHERE p.case_id = d.case_id;
		ELSE
			EXECUTE format('UPDATE kyc_projections.onboarding_case_projections p SET (%s, %I, %I) = '
						   '(SELECT %s, $2, 0 FROM pg_catalog.jsonb_populate_record('
						   'NULL::kyc_projections.onboarding_case_projections, $1) e) '
						   'WHERE p.case_id = $3 AND (p.%I, p.%I) < ($2, 0::bigint)',
						   (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c), ', ') FROM unnest(d.columns) c),
						   d.source || '_xid', d.source || '_event_id',
						   (SELECT pg_catalog.string_agg('e.' || pg_catalog.quote_ident(c), ', ') FROM unnest(d.columns) c),
						   d.source || '_xid', d.source || '_event_id')
			USING d.expected, d.horizon, d.case_id;
		END IF;
		GET DIAGNOSTICS n = ROW_COUNT;
		IF n > 0 AND NOT d.case_id = ANY (written) THEN
			written := written || d.case_id;
		END IF;
	END LOOP;
	RETURN cardinality(written);
END
$$;
REVOKE ALL ON FUNCTION kyc_projections.rebuild(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_projections.rebuild(text) IS
'Superusers: recompute the projection of a case (NULL: every case) from the four sources through dblink, writing only the cells that differ, with each source''s version set to the source''s read horizon at the snapshot read, so the relay continues from there. Returns the rows written.';

-- The data cells where the projections (all, or a random sample of
-- sample cases) differ from the sources; column_name '(row)' for a case
-- only one side has (projected 'row' when only the projections have it;
-- source lists the sources that have it).  No rows: all agree.
CREATE FUNCTION kyc_projections.check(sample integer DEFAULT NULL)
RETURNS TABLE (case_id text, column_name text, projected text, source text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	case_ids text[];
BEGIN
	PERFORM kyc_projections.require_superuser('function kyc_projections.check(integer)');
	IF sample IS NOT NULL THEN
		IF sample < 1 THEN
			RAISE EXCEPTION 'sample must be at least 1, not %', sample
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Pass NULL to check every case.';
		END IF;
		SELECT pg_catalog.array_agg(s.case_id) INTO case_ids
		FROM (SELECT p.case_id::text FROM kyc_projections.onboarding_case_projections p
			  ORDER BY pg_catalog.random() LIMIT sample) s;
		IF case_ids IS NULL THEN
			RETURN;
		END IF;
	END IF;
	RETURN QUERY
		SELECT d.case_id, d.column_name, d.projected, d.source_value
		FROM kyc_projections.drift(case_ids) d
		WHERE d.column_name = '(row)' OR NOT d.row_missing
		ORDER BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION kyc_projections.check(integer) FROM PUBLIC;
COMMENT ON FUNCTION kyc_projections.check(integer) IS
'Superusers: the data cells where the projections (all, or a random sample of sample cases) differ from the four sources, as text; column_name ''(row)'' for a case missing on one side. None when all agree.';
