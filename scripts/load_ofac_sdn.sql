-- load_ofac_sdn.sql: load OFAC's SDN list (legacy CSV files sdn.csv and
-- alt.csv) into kyc_risk's watch-list tables, replacing the list.
--
--   psql -v ON_ERROR_STOP=1 -d risk_service \
--        -v sdn=/path/sdn.csv -v alt=/path/alt.csv [-v list=OFAC-SDN] \
--        -f scripts/load_ofac_sdn.sql
--
-- Files: no header, "-0-" (often "-0- ") is null.  sdn.csv: ent_num,
-- SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
-- Vess_flag, Vess_owner, Remarks.  alt.csv: ent_num, alt_num, alt_type,
-- alt_name, alt_remarks.  A last line holding only OFAC's end-of-file byte
-- (0x1A) must be removed first: sed -i '/^\x1a$/d' sdn.csv alt.csv.
--
-- Mapping (docs/kyc_risk_screening.md):
--   SDN_Type individual -> person, vessel, aircraft, null -> organisation;
--   ent_num -> source_id; Program -> program; Remarks -> remarks;
--   the first "DOB 01 Jan 1970" in Remarks is the date of birth, the first
--   "DOB 1970", "DOB circa 1970" or "DOB Jan 1970" a year of birth;
--   "nationality X", "citizen X", "Nationality of Registration X" and
--   Vess_flag give countries, for the country names listed below;
--   alt_type aka/fka/nka is the name type; an aka whose alt_remarks
--   contain "weak" is a weak alias.
-- Everything happens in one transaction: the list is replaced whole, or
-- not at all.
\if :{?list}
\else
\set list OFAC-SDN
\endif

BEGIN;

CREATE TEMP TABLE ofac_sdn (
	ent_num text, sdn_name text, sdn_type text, program text, title text, call_sign text,
	vess_type text, tonnage text, grt text, vess_flag text, vess_owner text, remarks text
) ON COMMIT DROP;
CREATE TEMP TABLE ofac_alt (
	ent_num text, alt_num text, alt_type text, alt_name text, alt_remarks text
) ON COMMIT DROP;

-- \copy takes no variables; a variable holding the whole command does.
\set load_copy '\\copy ofac_sdn FROM ' :'sdn' ' WITH (FORMAT csv)'
:load_copy
\set load_copy '\\copy ofac_alt FROM ' :'alt' ' WITH (FORMAT csv)'
:load_copy

-- Country names as OFAC writes them, to ISO 3166-1 alpha-2.
CREATE TEMP TABLE ofac_country (name text PRIMARY KEY, code text NOT NULL) ON COMMIT DROP;
INSERT INTO ofac_country VALUES
	('afghanistan', 'AF'), ('albania', 'AL'), ('algeria', 'DZ'), ('belarus', 'BY'), ('bosnia and herzegovina', 'BA'),
	('brazil', 'BR'), ('burma', 'MM'), ('myanmar', 'MM'), ('cambodia', 'KH'), ('china', 'CN'), ('colombia', 'CO'),
	('cuba', 'CU'), ('cyprus', 'CY'), ('egypt', 'EG'), ('eritrea', 'ER'), ('france', 'FR'), ('germany', 'DE'),
	('greece', 'GR'), ('hong kong', 'HK'), ('india', 'IN'), ('indonesia', 'ID'), ('iran', 'IR'), ('iraq', 'IQ'),
	('israel', 'IL'), ('italy', 'IT'), ('jordan', 'JO'), ('kazakhstan', 'KZ'), ('kenya', 'KE'),
	('korea, north', 'KP'), ('north korea', 'KP'), ('korea, south', 'KR'), ('kuwait', 'KW'), ('lebanon', 'LB'),
	('libya', 'LY'), ('malaysia', 'MY'), ('mali', 'ML'), ('malta', 'MT'), ('marshall islands', 'MH'),
	('mexico', 'MX'), ('moldova', 'MD'), ('nicaragua', 'NI'), ('nigeria', 'NG'), ('oman', 'OM'),
	('pakistan', 'PK'), ('panama', 'PA'), ('philippines', 'PH'), ('qatar', 'QA'), ('russia', 'RU'),
	('saudi arabia', 'SA'), ('serbia', 'RS'), ('singapore', 'SG'), ('somalia', 'SO'), ('south sudan', 'SS'),
	('spain', 'ES'), ('sudan', 'SD'), ('switzerland', 'CH'), ('syria', 'SY'), ('tanzania', 'TZ'),
	('togo', 'TG'), ('turkey', 'TR'), ('turkiye', 'TR'), ('ukraine', 'UA'), ('united arab emirates', 'AE'),
	('united kingdom', 'GB'), ('united states', 'US'), ('uzbekistan', 'UZ'), ('venezuela', 'VE'),
	('vietnam', 'VN'), ('west bank', 'PS'), ('yemen', 'YE'), ('zimbabwe', 'ZW');

-- One row per SDN entry, with its id drawn and its remarks parsed.
CREATE TEMP TABLE ofac_entity ON COMMIT DROP AS
SELECT nextval('kyc_risk.watchlist_entity_id_seq') AS id, s.*,
	   to_date(substring(s.remarks FROM 'DOB (\d{1,2} [A-Z][a-z]{2} \d{4})'), 'DD Mon YYYY') AS dob,
	   substring(s.remarks FROM 'DOB (?:circa |[A-Z][a-z]{2} |\d{1,2} [A-Z][a-z]{2} )?(\d{4})')::int AS dob_year,
	   ARRAY(SELECT DISTINCT c.code
			 FROM (SELECT lower(btrim(m[1])) AS name
				   FROM regexp_matches(COALESCE(s.remarks, ''),
									   '(?:[Nn]ationality of [Rr]egistration|[Nn]ationality|[Cc]itizen) ([A-Za-z ,]+?)(?:;|\.|$)',
									   'g') m
				   UNION ALL
				   SELECT lower(s.vess_flag)) n
			 JOIN ofac_country c USING (name)
			 ORDER BY 1) AS countries
FROM (SELECT NULLIF(btrim(ent_num), '-0-') AS ent_num, btrim(sdn_name) AS sdn_name,
			 NULLIF(btrim(sdn_type), '-0-') AS sdn_type, NULLIF(btrim(program), '-0-') AS program,
			 NULLIF(btrim(vess_flag), '-0-') AS vess_flag, NULLIF(btrim(remarks), '-0-') AS remarks
	  FROM ofac_sdn) s;

DELETE FROM kyc_risk.watchlist_entities WHERE list = :'list';

INSERT INTO kyc_risk.watchlist_entities (id, list, entity_type, program, birth_date, birth_year,
										 countries, source_id, remarks)
SELECT id, :'list',
	   CASE lower(sdn_type) WHEN 'individual' THEN 'person' WHEN 'vessel' THEN 'vessel'
			WHEN 'aircraft' THEN 'aircraft' ELSE 'organisation' END,
	   program, dob, dob_year, countries, ent_num, remarks
FROM ofac_entity;

INSERT INTO kyc_risk.watchlist_names (entity_id, name, name_type, weak, normalized)
SELECT id, sdn_name, 'primary', false, '' FROM ofac_entity
UNION ALL
SELECT e.id, btrim(a.alt_name), lower(btrim(a.alt_type)),
	   lower(btrim(a.alt_type)) = 'aka' AND COALESCE(a.alt_remarks, '') ILIKE '%weak%', ''
FROM ofac_alt a
JOIN ofac_entity e ON e.ent_num = NULLIF(btrim(a.ent_num), '-0-')
WHERE NULLIF(btrim(a.alt_name), '-0-') IS NOT NULL;

SELECT count(*) AS entities,
	   count(*) FILTER (WHERE e.entity_type = 'person') AS persons,
	   count(e.birth_year) AS with_birth_year,
	   count(e.birth_date) AS with_birth_date,
	   count(*) FILTER (WHERE e.countries <> '{}') AS with_countries,
	   (SELECT count(*) FROM kyc_risk.watchlist_names n JOIN ofac_entity o ON o.id = n.entity_id) AS names,
	   (SELECT count(*) FROM kyc_risk.watchlist_names n JOIN ofac_entity o ON o.id = n.entity_id
		WHERE n.weak) AS weak_aliases,
	   (SELECT count(*) FROM ofac_alt a
		WHERE NOT EXISTS (SELECT FROM ofac_entity o WHERE o.ent_num = NULLIF(btrim(a.ent_num), '-0-'))) AS orphan_aliases
FROM kyc_risk.watchlist_entities e
WHERE e.list = :'list';

COMMIT;

-- The lists changed: weigh their tokens again (kyc_risk_screening.md).
SELECT kyc_risk.refresh_token_weights() AS weighed_tokens \gset
