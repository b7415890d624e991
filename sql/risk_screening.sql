-- kyc_risk screening: name normalisation, name similarity, watch lists,
-- screen(), screen_case() and the two loaders.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET extra_float_digits = 0;
TRUNCATE kyc_risk.watchlist_entities CASCADE;

-- Normalisation: any script to lowercase Latin ASCII tokens.
SELECT n AS name, kyc_risk.normalize_name(n) AS normalized
FROM unnest(ARRAY[
	'Владимир Владимирович Путин',		-- Russian, BGN romanisation
	'Никита Хрущёв',
	'Олександр Зінченко',				-- Ukrainian
	'محمد بن سلمان',					-- Arabic: consonants only
	'习近平',							-- Chinese: pinyin syllables
	'Αλέξης Τσίπρας',					-- Greek, UNGEGN
	'ジョン・スミス',					-- Japanese katakana
	'HUSSEIN, Saddam',					-- "SURNAME, Given" folds
	'O''Brien-Smith,  J.R.',				-- apostrophes and dots join, hyphens split
	'  José   María   Aznar!! ',			-- accents, punctuation, whitespace
	'Müller GmbH & Co. KG',
	'ACME, Inc., Ltd.',					-- two commas: no folding
	'Vessel IMO 9999991'
]) n;

-- Company forms are dropped on request, unless nothing else is left.
SELECT kyc_risk.normalize_name('ACME Holdings, S.A.', true) AS sa,
	   kyc_risk.normalize_name('Müller GmbH & Co. KG', true) AS gmbh,
	   kyc_risk.normalize_name('Northwind Trading LLC', drop_company_forms => true) AS llc,
	   kyc_risk.normalize_name('Limited Co.', true) AS only_forms;
-- The forms are a table; a change is seen at once.
INSERT INTO kyc_risk.company_forms (form) VALUES ('holdings');
SELECT kyc_risk.normalize_name('ACME Holdings, S.A.', true) AS without_holdings;
DELETE FROM kyc_risk.company_forms WHERE form = 'holdings';
SELECT kyc_risk.normalize_name('ACME Holdings, S.A.', true) AS with_holdings;

-- Bad names get clear errors.
SELECT kyc_risk.normalize_name(NULL);
SELECT kyc_risk.normalize_name('');
SELECT kyc_risk.normalize_name('   ');
SELECT kyc_risk.normalize_name('!!! ...');
SELECT kyc_risk.normalize_name(repeat('a', 1001));
SELECT length(kyc_risk.normalize_name(repeat('ж', 1000))) AS thousand_characters_pass;
SELECT kyc_risk.normalize_name('x', NULL);
-- Invalid UTF-8 never reaches the function: the server refuses it on the way in.
SELECT kyc_risk.normalize_name(convert_from('\xc328'::bytea, 'UTF8'));
SELECT kyc_risk.normalize_name(E'abc\xff');

-- Similarity: 1 for the same name, symmetric, order-free.
SELECT kyc_risk.name_similarity('John Smith', 'John Smith') AS same,
	   kyc_risk.name_similarity('Smith, John', 'JOHN   SMITH') AS folded,
	   kyc_risk.name_similarity('Владимир Путин', 'Vladimir Putin') AS transliterated,
	   kyc_risk.name_similarity('Acme Trading Ltd', 'ACME TRADING LIMITED') AS company_forms;
SELECT a, b, round(kyc_risk.name_similarity(a, b)::numeric, 4) AS ab,
	   kyc_risk.name_similarity(a, b) = kyc_risk.name_similarity(b, a) AS symmetric
FROM (VALUES
	('John Smith', 'Smith John'),					-- order does not matter
	('J Smith', 'John Smith'),						-- an initial
	('J. R. Smith', 'John Robert Smith'),
	('K Smith', 'John Smith'),						-- a wrong initial
	('Jon Smyth', 'John Smith'),					-- typos
	('Mohamed Ali', 'Mohammed Ali'),
	('Muammar Gaddafi', 'Moammar Qadhafi'),
	('Vladimir Putin', 'Vladimir Vladimirovich Putin'),	-- a patronymic more
	('Abdul Rahman Hassan', 'Abdulrahman Hassan'),	-- joined tokens
	('Xi Jinping', '习近平'),
	('John Smith', 'Jane Smith'),					-- same surname, another person
	('Smith', 'John Smith'),						-- a surname alone
	('Al Smith', 'Ali Smith'),						-- short tokens must be equal
	('Peter Brown', 'Maria Gonzalez')
) v(a, b);
SELECT kyc_risk.name_similarity(NULL, 'x');
SELECT kyc_risk.name_similarity('x', '');

-- Watch-list entities.
SELECT kyc_risk.add_watchlist_entity('TEST-SANCTIONS', 'person',
		ARRAY['PETROV, Ivan Sergeyevich', 'Иван Сергеевич Петров', 'Ivan Petroff'],
		'1961-03-14', ARRAY['ru', 'UA'], 'TEST-PROGRAM') > 0 AS added;
SELECT kyc_risk.add_watchlist_entity('PEP', 'person', ARRAY['Maria Gonzalez'], NULL, ARRAY['ES']) > 0 AS added;
SELECT kyc_risk.add_watchlist_entity('TEST-SANCTIONS', 'organisation', ARRAY['Acme Trading Ltd', 'Acme Trdg']) > 0 AS added;
SELECT kyc_risk.add_watchlist_entity('TEST-SANCTIONS', 'vessel', ARRAY['Sea Falcon'], countries => ARRAY['PA']) > 0 AS added;
SELECT e.list, e.entity_type, e.program, e.birth_date, e.birth_year, e.countries, n.name, n.name_type, n.weak, n.normalized
FROM kyc_risk.watchlist_entities e JOIN kyc_risk.watchlist_names n ON n.entity_id = e.id
ORDER BY e.id, n.id;
SELECT kyc_risk.add_watchlist_entity(NULL, 'person', ARRAY['X']);
SELECT kyc_risk.add_watchlist_entity('L', 'two words', ARRAY['X']);
-- Type names are exact: a capitalised one is refused, not lower-cased.
SELECT kyc_risk.add_watchlist_entity('L', 'Person', ARRAY['X']);
SELECT kyc_risk.add_watchlist_entity('L', 'person', NULL);
SELECT kyc_risk.add_watchlist_entity('L', 'person', '{}');
SELECT kyc_risk.add_watchlist_entity('L', 'person', ARRAY['X', NULL]);
SELECT kyc_risk.add_watchlist_entity('L', 'person', ARRAY['X', '']);
SELECT kyc_risk.add_watchlist_entity('L', 'person', ARRAY['X'], countries => ARRAY['Russia']);
SELECT count(*) AS entities_after_errors FROM kyc_risk.watchlist_entities;

-- screen(): best first, one row per entity, with reasons.
SELECT list, entity_type, program, matched_name, score, reasons
FROM kyc_risk.screen('Ivan Petrov');
-- An exact date of birth and a country match raise the score; weak aliases
-- and mismatches lower it.
SELECT matched_name, score, reasons->>'dob' AS dob, reasons->>'country' AS country,
	   reasons->'name_score' AS name_score
FROM kyc_risk.screen('Petrov Ivan Sergeyevich', '1961-03-14', 'ru');
SELECT matched_name, score, reasons->>'dob' AS dob, reasons->>'country' AS country
FROM kyc_risk.screen('Ivan Petrov', '1961-07-01', 'UA');
SELECT matched_name, score, reasons->>'dob' AS dob, reasons->>'country' AS country
FROM kyc_risk.screen('Ivan Petrov', '1975-03-14', 'GB', 0.5);
SELECT matched_name, score FROM kyc_risk.screen('Ivan Petrov', '1975-03-14', 'GB');
SELECT matched_name, score, reasons->'matched_tokens' AS tokens FROM kyc_risk.screen('ACME TRADING LIMITED');
SELECT matched_name, score FROM kyc_risk.screen('Sea Falkon', threshold => 0.8);
SELECT count(*) AS no_match FROM kyc_risk.screen('Completely Unrelated Person');
SELECT count(*) AS capped FROM kyc_risk.screen('Ivan', threshold => 0, max_results => 1);
-- Bad arguments.
SELECT * FROM kyc_risk.screen(NULL);
SELECT * FROM kyc_risk.screen('');
SELECT * FROM kyc_risk.screen(repeat('x', 1001));
SELECT * FROM kyc_risk.screen('Ivan Petrov', 'infinity');
SELECT * FROM kyc_risk.screen('Ivan Petrov', NULL, 'RUS');
SELECT * FROM kyc_risk.screen('Ivan Petrov', NULL, NULL, 1.5);
SELECT * FROM kyc_risk.screen('Ivan Petrov', NULL, NULL, -0.1);
SELECT * FROM kyc_risk.screen('Ivan Petrov', NULL, NULL, 'NaN');
SELECT * FROM kyc_risk.screen('Ivan Petrov', NULL, NULL, NULL);
SELECT * FROM kyc_risk.screen('Ivan Petrov', max_results => 0);
SELECT * FROM kyc_risk.screen('Ivan Petrov', max_results => 1001);
SELECT * FROM kyc_risk.screen('Ivan Petrov', max_results => NULL);

-- screen_case(): each match a factor of the case's open assessment, once.
SELECT 1 AS model_ready FROM (SELECT kyc_risk.install_defaults()) d;
SELECT kyc_risk.screen_case('SCREEN-CASE-1', 'Ivan Petrov', '1961-03-14') AS created,
	   kyc_risk.screen_case('SCREEN-CASE-1', 'Ivan Petrov', '1961-03-14') AS created_again,
	   kyc_risk.screen_case('SCREEN-CASE-1', 'Maria Gonzales') AS pep_created,
	   kyc_risk.screen_case('SCREEN-CASE-2', 'Nobody Known At All') AS none_created;
SELECT f.type, f.score, f.level IS NOT NULL AS level_derived, f.source, f.system_owned,
	   regexp_replace(f.description, 'entity \d+', 'entity N') AS description
FROM kyc_risk.risk_factors f
JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id
WHERE a.case_id LIKE 'SCREEN-CASE-%'
ORDER BY f.type, f.score DESC;
SELECT count(*) AS assessments FROM kyc_risk.risk_assessments WHERE case_id LIKE 'SCREEN-CASE-%';
SELECT kyc_risk.screen_case('', 'Ivan Petrov');
SELECT kyc_risk.screen_case('SCREEN-CASE-3', NULL);

-- The OFAC SDN loader, on made-up rows in OFAC's format.
\getenv abs_srcdir PG_ABS_SRCDIR
\set sdn :abs_srcdir '/tests/data/ofac_sdn.csv'
\set alt :abs_srcdir '/tests/data/ofac_alt.csv'
\set loader :abs_srcdir '/scripts/load_ofac_sdn.sql'
\set QUIET on
\set ECHO none
\i :loader
\set ECHO all
SELECT e.source_id, e.entity_type, e.program, e.birth_date, e.birth_year, e.countries,
	   n.name, n.name_type, n.weak, n.normalized
FROM kyc_risk.watchlist_entities e JOIN kyc_risk.watchlist_names n ON n.entity_id = e.id
WHERE e.list = 'OFAC-SDN'
ORDER BY e.source_id, n.name_type <> 'primary', n.name;
-- Loading again replaces the list.
\set ECHO none
\i :loader
\set ECHO all
SELECT count(*) AS ofac_entities FROM kyc_risk.watchlist_entities WHERE list = 'OFAC-SDN';
SELECT list, matched_name, score, reasons->>'weak_alias' AS weak, reasons->>'dob' AS dob
FROM kyc_risk.screen('Ivan Kovalenko', '1961-03-14');
SELECT matched_name, score, reasons->>'weak_alias' AS weak FROM kyc_risk.screen('Abu Samir', threshold => 0.8);

-- The generic CSV loader.
\set csv :abs_srcdir '/tests/data/watchlist.csv'
\set loader :abs_srcdir '/scripts/load_watchlist_csv.sql'
\set ECHO none
\i :loader
\i :loader
\set ECHO all
SELECT e.list, e.source_id, e.entity_type, e.program, e.birth_date, e.birth_year, e.countries,
	   n.name, n.name_type, n.normalized
FROM kyc_risk.watchlist_entities e JOIN kyc_risk.watchlist_names n ON n.entity_id = e.id
WHERE e.list IN ('PEP', 'EU-FSF') AND e.source_id IS NOT NULL
ORDER BY e.source_id, n.name_type <> 'primary', n.name;
SELECT list, matched_name, score, reasons->>'dob' AS dob, reasons->>'country' AS country
FROM kyc_risk.screen('Sergei Kuznetsov', '1972-01-01', 'RU');
SELECT list, matched_name, score, reasons->>'dob' AS dob
FROM kyc_risk.screen('Dimitris Papadopoulos', '1959-06-01');
\set QUIET off

-- The in-memory index and the GIN index find the same candidates: every
-- screen of every listed name, at a low threshold, gives the same rows.
CREATE TEMP TABLE cache_on AS
SELECT n.name AS query, s.* FROM kyc_risk.watchlist_names n, kyc_risk.screen(n.name, threshold => 0.5) s;
SET kyc_risk.screen_cache = off;
CREATE TEMP TABLE cache_off AS
SELECT n.name AS query, s.* FROM kyc_risk.watchlist_names n, kyc_risk.screen(n.name, threshold => 0.5) s;
RESET kyc_risk.screen_cache;
SELECT (SELECT count(*) FROM cache_on) > 0 AS screened,
	   (SELECT count(*) FROM (TABLE cache_on EXCEPT TABLE cache_off) x) AS only_in_memory,
	   (SELECT count(*) FROM (TABLE cache_off EXCEPT TABLE cache_on) y) AS only_gin;

-- A change to the list reaches the index at once, and a rolled-back one
-- leaves it.
SELECT count(*) AS before FROM kyc_risk.screen('Zebulon Quartermaine');
BEGIN;
SELECT kyc_risk.add_watchlist_entity('TEST', 'person', ARRAY['Zebulon Quartermaine']) > 0 AS added;
SELECT matched_name, score FROM kyc_risk.screen('Zebulon Quartermaine');
ROLLBACK;
SELECT count(*) AS after_rollback FROM kyc_risk.screen('Zebulon Quartermaine');

-- The index a committed change retires is freed by the commit, even if
-- screen() is not called again.
SELECT count(*) AS indexes FROM pg_catalog.pg_backend_memory_contexts WHERE name = 'kyc_risk screening names';
SELECT kyc_risk.add_watchlist_entity('TEST', 'person', ARRAY['Zebulon Quartermaine']) > 0 AS added;
SELECT count(*) AS indexes FROM pg_catalog.pg_backend_memory_contexts WHERE name = 'kyc_risk screening names';

TRUNCATE kyc_risk.watchlist_entities CASCADE;
SET kyc_risk.change_reason = 'Regression test cases removed';
DELETE FROM kyc_risk.risk_assessments WHERE case_id LIKE 'SCREEN-CASE-%';
RESET kyc_risk.change_reason;
DELETE FROM kyc_risk.factor_changes;
