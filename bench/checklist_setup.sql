-- bench/checklist_setup.sql: an item's status changing, three ways, on
-- identical tables, with checklists of 10 and of 200 items:
--   kyc_checklist.*  the extension's C triggers: rules, then one O(1) UPDATE of deltas
--   bench.pl_*       the same rules and events in PL/pgSQL, with the counts
--                    recounted over all the checklist's items, as users write it
--   bench.bare_*     no trigger (the floor)
CREATE EXTENSION IF NOT EXISTS kyc_checklist CASCADE;
SELECT kyc_checklist.install_defaults();
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

CREATE TABLE bench.pl_checklists (LIKE kyc_checklist.checklists INCLUDING ALL);
CREATE TABLE bench.pl_items (LIKE kyc_checklist.checklist_items INCLUDING ALL);
CREATE TABLE bench.bare_checklists (LIKE kyc_checklist.checklists INCLUDING ALL);
CREATE TABLE bench.bare_items (LIKE kyc_checklist.checklist_items INCLUDING ALL);

-- The item rules (the C item_rules()).
CREATE FUNCTION bench.pl_item_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.status = 'Skipped' AND NEW.is_required THEN
		RAISE EXCEPTION 'required checklist item "%" cannot be skipped', NEW.name USING ERRCODE = 'check_violation';
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.status = 'Completed' AND NEW.status = 'Pending'
	   AND (NEW.notes IS NOT DISTINCT FROM OLD.notes OR btrim(coalesce(NEW.notes, '')) = '') THEN
		RAISE EXCEPTION 'completed checklist item "%" cannot go back to Pending without a reason', NEW.name
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.status <> 'Completed' THEN
		NEW.completed_at := NULL;
		NEW.completed_by := NULL;
	ELSIF TG_OP = 'UPDATE' AND OLD.status = 'Completed' THEN
		NEW.completed_at := OLD.completed_at;
		NEW.completed_by := OLD.completed_by;
	ELSE
		NEW.completed_at := clock_timestamp();
		NEW.completed_by := coalesce(nullif(NEW.completed_by, ''), current_setting('kyc.actor', true), session_user);
	END IF;
	RETURN NEW;
END
$$;

-- The counts by recount (what the C item_counts() does by deltas).
CREATE FUNCTION bench.pl_item_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	cid uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.checklist_id ELSE NEW.checklist_id END;
	c bench.pl_checklists;
	r record;
	pct numeric;
	complete boolean;
BEGIN
	SELECT * INTO c FROM bench.pl_checklists WHERE id = cid FOR UPDATE;
	SELECT count(*)::int AS total,
		   count(*) FILTER (WHERE status = 'Completed')::int AS completed,
		   count(*) FILTER (WHERE status = 'Skipped')::int AS skipped,
		   count(*) FILTER (WHERE is_required)::int AS required,
		   count(*) FILTER (WHERE is_required AND status = 'Completed')::int AS completed_required
	INTO r FROM bench.pl_items WHERE checklist_id = cid;
	pct := kyc_checklist.completion_percentage(r.completed, r.total, r.skipped);
	complete := kyc_checklist.is_complete(r.completed, r.total, r.skipped, r.required, r.completed_required,
										  c.required_completion_percentage);
	UPDATE bench.pl_checklists SET total_items = r.total, completed_items = r.completed, skipped_items = r.skipped,
		required_items = r.required, completed_required_items = r.completed_required, completion_percentage = pct,
		status = CASE WHEN complete THEN 'Completed' ELSE 'InProgress' END,
		completed_at = CASE WHEN NOT complete THEN NULL WHEN c.status = 'Completed' THEN c.completed_at ELSE now() END,
		updated_at = now()
	WHERE id = cid;
	IF complete <> (c.status = 'Completed') THEN
		PERFORM kyc_events.emit(CASE WHEN complete THEN 'bench.checklist_completed' ELSE 'bench.checklist_reopened' END, c.case_id,
			jsonb_build_object('checklist_id', cid, 'case_id', c.case_id, 'type', c.type,
				'status', CASE WHEN complete THEN 'Completed' ELSE 'InProgress' END, 'completion_percentage', pct,
				'counts', jsonb_build_object('total', r.total, 'completed', r.completed, 'skipped', r.skipped,
											 'required', r.required, 'completed_required', r.completed_required)));
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER pl_item_rules BEFORE INSERT OR UPDATE ON bench.pl_items
	FOR EACH ROW EXECUTE FUNCTION bench.pl_item_rules();
CREATE TRIGGER pl_item_counts AFTER INSERT OR UPDATE OR DELETE ON bench.pl_items
	FOR EACH ROW EXECUTE FUNCTION bench.pl_item_counts();

-- 100 checklists of 10 items and 100 of 200 items in each variant; one
-- required item each, so completions and reopenings happen too.
CREATE FUNCTION bench.fill(checklists regclass, items regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('INSERT INTO %s (case_id, type, required_completion_percentage)
					SELECT ''B'' || s || ''-'' || i, ''Individual'', 50
					FROM unnest(ARRAY[10, 200]) s, generate_series(1, 100) i', checklists);
	EXECUTE format('INSERT INTO %s (checklist_id, code, name, category, is_required, "order")
					SELECT c.id, ''item_'' || n, ''Item '' || n, ''Documentation'', n = 1, n
					FROM %s c, generate_series(1, split_part(substr(c.case_id, 2), ''-'', 1)::int) n',
				   items, checklists);
END
$$;
SELECT bench.fill('kyc_checklist.checklists', 'kyc_checklist.checklist_items');
SELECT bench.fill('bench.pl_checklists', 'bench.pl_items');
SELECT bench.fill('bench.bare_checklists', 'bench.bare_items');

-- The pgbench scripts' lookup: (size, checklist number, item number) to item id per variant.
CREATE TABLE bench.item_ids AS
SELECT split_part(substr(c.case_id, 2), '-', 1)::int AS size, split_part(c.case_id, '-', 2)::int AS k,
	   substr(i.code, 6)::int AS n, i.id AS c_id, p.id AS pl_id, b.id AS bare_id
FROM kyc_checklist.checklists c
JOIN kyc_checklist.checklist_items i ON i.checklist_id = c.id
JOIN bench.pl_checklists pc ON pc.case_id = c.case_id
JOIN bench.pl_items p ON p.checklist_id = pc.id AND p.code = i.code
JOIN bench.bare_checklists bc ON bc.case_id = c.case_id
JOIN bench.bare_items b ON b.checklist_id = bc.id AND b.code = i.code;
CREATE UNIQUE INDEX ON bench.item_ids (size, k, n);
ANALYZE;

-- Milliseconds one statement takes to complete every item of the ten
-- checklists of `size` items numbered 1 to 10 in a variant, triggers and
-- events included; undone afterwards.
CREATE FUNCTION bench.bulk_complete_ms(variant text, size integer) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
	t timestamptz;
	ms numeric;
	col text := CASE variant WHEN 'c' THEN 'c_id' WHEN 'plpgsql' THEN 'pl_id' ELSE 'bare_id' END;
	items text := CASE variant WHEN 'c' THEN 'kyc_checklist.checklist_items' WHEN 'plpgsql' THEN 'bench.pl_items'
				  ELSE 'bench.bare_items' END;
BEGIN
	BEGIN
		t := clock_timestamp();
		EXECUTE format('UPDATE %s SET status = ''Completed'', notes = ''bulk'' WHERE id IN
						(SELECT %I FROM bench.item_ids WHERE size = $1 AND k <= 10)', items, col) USING size;
		ms := extract(epoch FROM clock_timestamp() - t) * 1000;
		RAISE EXCEPTION 'undo';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	RETURN round(ms, 1);
END
$$;
