-- bench/risk_setup.sql: the scoring trigger three ways, on identical tables.
--   kyc_risk.*      the extension's C triggers (statement-level, transition tables)
--   bench.pl_*      the same model in PL/pgSQL, written the usual way: a row
--                   trigger that recomputes the assessment after each change
--   bench.bare_*    no trigger at all (the floor)
-- All read the same model tables (kyc_risk.factor_types, level_bands, overrides).
CREATE EXTENSION IF NOT EXISTS kyc_risk CASCADE;
SELECT kyc_risk.install_defaults();
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

CREATE TABLE bench.pl_assessments (LIKE kyc_risk.risk_assessments INCLUDING ALL);
CREATE TABLE bench.pl_factors (LIKE kyc_risk.risk_factors INCLUDING ALL);
ALTER TABLE bench.pl_factors ADD FOREIGN KEY (risk_assessment_id)
	REFERENCES bench.pl_assessments (id) ON DELETE CASCADE;
CREATE TABLE bench.bare_assessments (LIKE kyc_risk.risk_assessments INCLUDING ALL);
CREATE TABLE bench.bare_factors (LIKE kyc_risk.risk_factors INCLUDING ALL);
ALTER TABLE bench.bare_factors ADD FOREIGN KEY (risk_assessment_id)
	REFERENCES bench.bare_assessments (id) ON DELETE CASCADE;

-- A factor's level from its score unless given, and its weight its
-- type's (the C factor_level()).
CREATE FUNCTION bench.pl_factor_level() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	w numeric;
BEGIN
	SELECT t.weight INTO w FROM kyc_risk.factor_types t WHERE t.type = NEW.type;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'risk factor type % has no weight', NEW.type USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF NEW.weight IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.weight IS DISTINCT FROM OLD.weight) AND NEW.weight <> w THEN
		RAISE EXCEPTION 'risk factor weight % is not the weight of type %', NEW.weight, NEW.type
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	NEW.weight := w;
	IF TG_OP = 'INSERT' OR NEW.level IS DISTINCT FROM OLD.level THEN
		NEW.level_explicit := NEW.level IS NOT NULL;
	ELSE
		NEW.level_explicit := OLD.level_explicit;
	END IF;
	IF NOT NEW.level_explicit THEN
		NEW.level := (SELECT b.level FROM kyc_risk.level_bands b WHERE b.min_score <= NEW.score
					  ORDER BY b.min_score DESC LIMIT 1);
	END IF;
	RETURN NEW;
END
$$;

-- The assessment recomputed after each factor change (the C factors_changed()).
CREATE FUNCTION bench.pl_recompute() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	aid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.risk_assessment_id ELSE NEW.risk_assessment_id END;
	a record;
	new_score numeric;
	new_level text;
	review boolean := false;
	fired text[] := '{}';
	o record;
	complete boolean;
	completes boolean;
	total numeric;
BEGIN
	SELECT * INTO a FROM bench.pl_assessments WHERE id = aid FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	-- Each type present scored by its highest factor, weighted by the type's weight.
	SELECT coalesce(round(sum(p.score * p.weight) / nullif(sum(p.weight), 0), 2), 0), sum(p.weight)
	INTO new_score, total
	FROM (SELECT max(f.score) AS score, t.weight
		  FROM bench.pl_factors f JOIN kyc_risk.factor_types t ON t.type = f.type
		  WHERE f.risk_assessment_id = aid GROUP BY f.type, t.weight) p;
	new_level := (SELECT b.level FROM kyc_risk.level_bands b WHERE b.min_score <= new_score
				  ORDER BY b.min_score DESC LIMIT 1);
	FOR o IN
		SELECT ov.* FROM kyc_risk.overrides ov
		JOIN kyc_risk.level_bands fl ON fl.level = ov.factor_level
		WHERE ov.enabled AND EXISTS (
			SELECT FROM bench.pl_factors f LEFT JOIN kyc_risk.level_bands l ON l.level = f.level
			WHERE f.risk_assessment_id = aid AND f.type = ov.factor_type
			  AND (l.min_score >= fl.min_score OR f.score >= fl.min_score))
		ORDER BY ov.name
	LOOP
		fired := fired || o.name;
		review := review OR o.manual_review;
		IF (SELECT min_score FROM kyc_risk.level_bands WHERE level = o.min_level)
		   > (SELECT min_score FROM kyc_risk.level_bands WHERE level = new_level) THEN
			new_level := o.min_level;
		END IF;
	END LOOP;
	complete := NOT EXISTS (SELECT FROM kyc_risk.factor_types t WHERE t.required
							AND NOT EXISTS (SELECT FROM bench.pl_factors f
											WHERE f.risk_assessment_id = aid AND f.type = t.type));
	completes := a.status = 'InProgress' AND complete;
	IF NOT completes AND (a.risk_score, a.overall_risk_level::text, a.manual_review, a.overrides)
	   IS NOT DISTINCT FROM (new_score, new_level, review, fired) THEN
		RETURN NULL;
	END IF;
	UPDATE bench.pl_assessments SET risk_score = new_score, overall_risk_level = new_level,
		manual_review = review, overrides = fired, updated_at = now(),
		status = CASE WHEN completes THEN 'Completed' ELSE status END,
		completed_at = CASE WHEN completes THEN now() ELSE completed_at END
	WHERE id = aid;
	IF completes THEN
		PERFORM kyc_events.emit('bench.assessment_completed', a.case_id, jsonb_build_object(
			'case_id', a.case_id, 'assessment_id', aid, 'level', new_level, 'score', new_score,
			'manual_review', review, 'overrides', to_jsonb(fired),
			'factors', (SELECT jsonb_agg(jsonb_build_object('id', f.id, 'type', f.type, 'level', f.level,
					'score', f.score, 'weight', t.weight,
					'contribution', CASE WHEN f.id = (SELECT g.id FROM bench.pl_factors g
													  WHERE g.risk_assessment_id = aid AND g.type = f.type
													  ORDER BY g.score DESC, g.created_at, g.id LIMIT 1)
									THEN round(f.score * t.weight / total, 2) ELSE 0 END)
					ORDER BY f.created_at, f.id)
				FROM bench.pl_factors f JOIN kyc_risk.factor_types t ON t.type = f.type
				WHERE f.risk_assessment_id = aid)));
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER pl_factor_level BEFORE INSERT OR UPDATE ON bench.pl_factors
	FOR EACH ROW EXECUTE FUNCTION bench.pl_factor_level();
CREATE TRIGGER pl_recompute AFTER INSERT OR UPDATE OR DELETE ON bench.pl_factors
	FOR EACH ROW EXECUTE FUNCTION bench.pl_recompute();

-- 1,000 open assessments in each variant, each with a Geography and an
-- Industry factor already.  kyc_risk asks a person's insert for a reason.
SET kyc_risk.change_reason = 'bench setup';
INSERT INTO kyc_risk.risk_assessments (case_id) SELECT 'B-' || i FROM generate_series(1, 1000) i;
INSERT INTO bench.pl_assessments (case_id) SELECT 'B-' || i FROM generate_series(1, 1000) i;
INSERT INTO bench.bare_assessments (case_id) SELECT 'B-' || i FROM generate_series(1, 1000) i;
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
SELECT id, t, 30 FROM kyc_risk.risk_assessments, unnest(ARRAY['Geography', 'Industry']) t;
INSERT INTO bench.pl_factors (risk_assessment_id, type, score)
SELECT id, t, 30 FROM bench.pl_assessments, unnest(ARRAY['Geography', 'Industry']) t;
INSERT INTO bench.bare_factors (risk_assessment_id, type, score, level)
SELECT id, t, 30, 'MediumLow' FROM bench.bare_assessments, unnest(ARRAY['Geography', 'Industry']) t;

-- The pgbench scripts' lookup: case number to assessment id, per variant.
CREATE TABLE bench.ids AS
SELECT substr(c.case_id, 3)::int AS n, c.id AS c_id, p.id AS pl_id, b.id AS bare_id
FROM kyc_risk.risk_assessments c
JOIN bench.pl_assessments p ON p.case_id = c.case_id
JOIN bench.bare_assessments b ON b.case_id = c.case_id;
CREATE UNIQUE INDEX ON bench.ids (n);
ANALYZE;

-- Milliseconds one statement takes to add 3 factors to each of the 1,000
-- assessments, triggers and events included; undone afterwards.
CREATE FUNCTION bench.bulk_insert_ms(variant text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
	t timestamptz;
	ms numeric;
BEGIN
	BEGIN
		t := clock_timestamp();
		IF variant = 'c' THEN
			PERFORM set_config('kyc_risk.change_reason', 'bench', true);
			INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
			SELECT i.c_id, k, 50 FROM bench.ids i, unnest(ARRAY['PEP', 'Sanctions', 'AdverseMedia']) k;
		ELSIF variant = 'plpgsql' THEN
			INSERT INTO bench.pl_factors (risk_assessment_id, type, score)
			SELECT i.pl_id, k, 50 FROM bench.ids i, unnest(ARRAY['PEP', 'Sanctions', 'AdverseMedia']) k;
		ELSE
			INSERT INTO bench.bare_factors (risk_assessment_id, type, score, level)
			SELECT i.bare_id, k, 50, 'Medium' FROM bench.ids i, unnest(ARRAY['PEP', 'Sanctions', 'AdverseMedia']) k;
		END IF;
		ms := extract(epoch FROM clock_timestamp() - t) * 1000;
		RAISE EXCEPTION 'undo';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	RETURN round(ms, 1);
END
$$;
