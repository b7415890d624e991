-- screen_setup.sql: a deterministic synthetic watch list for
-- scripts/bench_screen.sh: 20,000 entities and 50,000 names in Latin,
-- Cyrillic, Arabic, Chinese and Greek script, built from syllable tables
-- with a fixed seed; and 1,000 screening queries (bench.screen_queries):
-- list names with a typo, reordered or shortened, and names not listed.
CREATE EXTENSION IF NOT EXISTS kyc_risk CASCADE;
CREATE SCHEMA IF NOT EXISTS bench;
SELECT setseed(0.42);

-- Syllables per script; a name part is two or three of them.
CREATE TABLE bench.syllables (script text PRIMARY KEY, syl text[] NOT NULL);
INSERT INTO bench.syllables VALUES
	('latin', '{ka,ro,li,na,mar,tin,el,san,dro,be,ni,to,al,ber,ga,vi,ter,mon,ho,ru,sa,lo,fe,dan,ste,pha,gu,ri,wil,son,har,per,jo,nes,mi,chel}'),
	('cyrillic', '{ва,ле,ри,ан,дре,сер,гей,ко,ва,лен,ми,хаил,пет,ров,ни,ки,та,ев,ин,ски,жу,ков,оль,га,ту,по,лев,зи,на,ид,ар,чен}'),
	('arabic', '{مح,مد,عب,د,ال,لة,حس,ين,عل,ي,خا,لد,سع,يد,نا,صر,فا,طم,ة,يو,سف,كر,يم,ره,مان,زي,ن,جم,ال,ها,شم,قا}'),
	('greek', '{δη,μη,τρη,ση,πα,πα,δο,που,λος,νι,κο,γιαν,νη,ελ,ε,νη,κα,ρα,μαν,λης,γε,ωρ,γι,ος,θε,ο,δω,ρα,κω,στα,ντι,νος}'),
	('han', '{王,李,张,刘,陈,杨,黄,赵,吴,周,徐,孙,马,朱,胡,郭,何,高,林,罗,郑,梁,谢,宋,唐,许,韩,冯,邓,曹,彭,曾,伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀}');

-- A name part of k random syllables of a script.
CREATE FUNCTION bench.part(script text, k int) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	syl text[];
	out text := '';
BEGIN
	SELECT s.syl INTO syl FROM bench.syllables s WHERE s.script = part.script;
	FOR i IN 1..k LOOP
		out := out || syl[1 + floor(random() * cardinality(syl))::int];
	END LOOP;
	RETURN out;
END
$$;

-- Entities: script by share, type, list, program, date of birth, country.
CREATE TABLE bench.entities AS
SELECT g AS n,
	   CASE WHEN r < 0.50 THEN 'latin' WHEN r < 0.65 THEN 'cyrillic' WHEN r < 0.80 THEN 'arabic'
			WHEN r < 0.90 THEN 'han' ELSE 'greek' END AS script,
	   CASE WHEN random() < 0.85 THEN 'person' WHEN random() < 0.8 THEN 'organisation' ELSE 'vessel' END AS entity_type,
	   CASE WHEN random() < 0.15 THEN 'PEP' ELSE 'SYNTH-SANCTIONS' END AS list,
	   (ARRAY['SDGT', 'IRAN', 'RUSSIA-EO14024', 'CMIC', 'SYRIA', 'DPRK'])[1 + floor(random() * 6)::int] AS program,
	   CASE WHEN random() < 0.6 THEN date '1940-01-01' + floor(random() * 25000)::int END AS dob,
	   (ARRAY['RU', 'IR', 'SY', 'CN', 'GR', 'AE', 'GB', 'US', 'DE', 'LB'])[1 + floor(random() * 10)::int] AS country
FROM (SELECT g, random() AS r FROM generate_series(1, 20000) g) x;

CREATE TABLE bench.names AS
SELECT e.n, 1 AS k,
	   CASE e.script
			WHEN 'han' THEN bench.part('han', 1) || bench.part('han', 1 + (random() < 0.6)::int)
			WHEN 'latin' THEN initcap(bench.part('latin', 2)) || ' ' || initcap(bench.part('latin', 2 + (random() < 0.5)::int))
			ELSE bench.part(e.script, 2) || ' ' || bench.part(e.script, 2 + (random() < 0.5)::int)
	   END AS name
FROM bench.entities e;

-- Aliases, 30,000 in all: reordered "Surname, Given", a variant spelling
-- with one syllable changed, or a Latin alias; some weak.
INSERT INTO bench.names
SELECT a.n, a.k,
	   CASE WHEN a.kind < 0.35 AND p.name LIKE '% %' THEN split_part(p.name, ' ', 2) || ', ' || split_part(p.name, ' ', 1)
			WHEN a.kind < 0.7 AND p.name LIKE '% %' THEN split_part(p.name, ' ', 1) || ' ' || bench.part(e.script, 2)
			ELSE initcap(bench.part('latin', 2)) || ' ' || initcap(bench.part('latin', 3)) END
FROM (SELECT 1 + floor(random() * 20000)::int AS n, 1 + g AS k, random() AS kind
	  FROM generate_series(1, 30000) g) a
JOIN bench.entities e ON e.n = a.n
JOIN bench.names p ON p.n = a.n AND p.k = 1;

-- Load into kyc_risk's tables, set-based, as the loaders do.
INSERT INTO kyc_risk.watchlist_entities (id, list, entity_type, program, birth_date, birth_year, countries, source_id)
SELECT n, list, entity_type, program, dob, extract(year FROM dob), ARRAY[country], 'SYN-' || n
FROM bench.entities;
SELECT setval('kyc_risk.watchlist_entity_id_seq', 20000);
INSERT INTO kyc_risk.watchlist_names (entity_id, name, name_type, weak, normalized)
SELECT n, name, CASE WHEN k = 1 THEN 'primary' ELSE 'aka' END, k > 1 AND k % 10 = 0, ''
FROM bench.names ORDER BY n, k;
-- VACUUM, not only ANALYZE: it moves the 50,000 new names out of the GIN
-- indexes' pending lists, which every pg_trgm query would otherwise scan
-- in full until autovacuum came (the baselines then ran at 2 queries/s).
VACUUM ANALYZE kyc_risk.watchlist_entities;
VACUUM ANALYZE kyc_risk.watchlist_names;

-- Queries: 700 listed names with a typo (a letter doubled), reordered or
-- with a token dropped, as written in the list; 300 names not listed.
CREATE TABLE bench.screen_queries (id int PRIMARY KEY, q text NOT NULL, qn text);
INSERT INTO bench.screen_queries (id, q)
SELECT g,
	   CASE WHEN g <= 700 THEN
			CASE g % 3
				WHEN 0 THEN overlay(name PLACING substr(name, 3, 1) FROM 3 FOR 0)
				WHEN 1 THEN CASE WHEN name LIKE '% %' THEN split_part(name, ' ', 2) || ' ' || split_part(name, ' ', 1) ELSE name END
				ELSE name END
			ELSE initcap(bench.part('latin', 2)) || ' ' || initcap(bench.part('latin', 3)) END
FROM (SELECT g, (SELECT name FROM bench.names WHERE k = 1 AND n = 1 + (g * 7919) % 20000) AS name
	  FROM generate_series(1, 1000) g) x;
UPDATE bench.screen_queries SET qn = kyc_risk.normalize_name(q);
SELECT count(*) AS entities, (SELECT count(*) FROM kyc_risk.watchlist_names) AS names
FROM kyc_risk.watchlist_entities;
-- Common tokens of the synthetic list weigh less, as on real lists.
SELECT kyc_risk.refresh_token_weights() AS weighed_tokens;
