-- load_watchlist_csv.sql: load a watch list in a plain CSV format into
-- kyc_risk's watch-list tables.
--
--   psql -v ON_ERROR_STOP=1 -d risk_service -v csv=/path/list.csv \
--        -f scripts/load_watchlist_csv.sql
--
-- The file has a header line and these columns, in this order:
--   list, entity_type, source_id, name, aliases, birth_date, countries, program
-- aliases and countries are ';'-separated; birth_date is YYYY-MM-DD, or
-- YYYY for a year of birth; empty fields are null.  A row whose
-- (list, source_id) is already loaded replaces that entity; a row without
-- source_id always adds one.  All rows load in one transaction, or none.
BEGIN;

CREATE TEMP TABLE watchlist_csv (
	list text, entity_type text, source_id text, name text, aliases text,
	birth_date text, countries text, program text
) ON COMMIT DROP;

-- \copy takes no variables; a variable holding the whole command does.
\set load_copy '\\copy watchlist_csv FROM ' :'csv' ' WITH (FORMAT csv, HEADER true)'
:load_copy

CREATE TEMP TABLE watchlist_row ON COMMIT DROP AS
SELECT nextval('kyc_risk.watchlist_entity_id_seq') AS id,
	   btrim(list) AS list, lower(btrim(entity_type)) AS entity_type,
	   NULLIF(btrim(source_id), '') AS source_id, btrim(name) AS name,
	   ARRAY(SELECT btrim(a) FROM unnest(string_to_array(aliases, ';')) WITH ORDINALITY AS u(a, i)
			 WHERE btrim(a) <> '' ORDER BY i) AS aliases,
	   CASE WHEN btrim(birth_date) ~ '^\d{4}-\d{2}-\d{2}$' THEN btrim(birth_date)::date END AS dob,
	   CASE WHEN btrim(birth_date) ~ '^\d{4}(-\d{2}-\d{2})?$' THEN left(btrim(birth_date), 4)::int END AS dob_year,
	   btrim(birth_date) AS birth_date_text,
	   ARRAY(SELECT DISTINCT upper(btrim(c)) FROM unnest(string_to_array(countries, ';')) c
			 WHERE btrim(c) <> '' ORDER BY 1) AS countries,
	   NULLIF(btrim(program), '') AS program
FROM watchlist_csv;

-- Refuse a file with a bad row, naming the row, before changing anything.
DO $$
DECLARE
	bad record;
BEGIN
	SELECT * INTO bad FROM watchlist_row r
	WHERE r.list IS NULL OR r.list = '' OR r.name IS NULL OR r.name = ''
	   OR r.entity_type IS NULL OR r.entity_type !~ '^[a-z][a-z_]{0,39}$'
	   OR (r.birth_date_text <> '' AND r.dob_year IS NULL)
	   OR array_to_string(r.countries, ',') !~ '^([A-Z]{2}(,[A-Z]{2})*)?$'
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'watch-list row for "%" in list "%" is not valid', bad.name, bad.list
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Each row needs list, entity_type (a lowercase word) and name; birth_date is YYYY-MM-DD or YYYY; countries are ISO alpha-2 codes.';
	END IF;
END
$$;

DELETE FROM kyc_risk.watchlist_entities e
USING watchlist_row r
WHERE e.list = r.list AND e.source_id = r.source_id;

INSERT INTO kyc_risk.watchlist_entities (id, list, entity_type, program, birth_date, birth_year,
										 countries, source_id)
SELECT id, list, entity_type, program, dob, dob_year, countries, source_id
FROM watchlist_row;

INSERT INTO kyc_risk.watchlist_names (entity_id, name, name_type, normalized)
SELECT id, name, 'primary', '' FROM watchlist_row
UNION ALL
SELECT r.id, a, 'aka', '' FROM watchlist_row r, unnest(r.aliases) a;

SELECT count(*) AS entities,
	   count(dob_year) AS with_birth_year,
	   count(*) FILTER (WHERE countries <> '{}') AS with_countries,
	   count(*) + sum(cardinality(aliases)) AS names
FROM watchlist_row;

COMMIT;

-- The lists changed: weigh their tokens again (kyc_risk_screening.md).
SELECT kyc_risk.refresh_token_weights() AS weighed_tokens \gset
