-- kyc_risk screening quality: labelled (query, listed name) pairs, and
-- precision and recall of screen() at the default threshold 0.85.  The
-- expected output pins both, so a change to the algorithm that costs
-- quality shows here.  Names are made up or common public examples.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
TRUNCATE kyc_risk.watchlist_entities CASCADE;

CREATE TEMP TABLE quality_pairs (id serial, query text, listed text, is_match boolean, kind text);
INSERT INTO quality_pairs (query, listed, is_match, kind) VALUES
	-- transliterations: the list has the original script or another spelling
	('Vladimir Putin', 'Владимир Владимирович Путин', true, 'transliteration'),
	('Sergei Lavrov', 'Сергей Викторович Лавров', true, 'transliteration'),
	('Nikita Khrushchev', 'Никита Сергеевич Хрущёв', true, 'transliteration'),
	('Yulia Tymoshenko', 'Юлия Тимошенко', true, 'transliteration'),
	('Alexis Tsipras', 'Αλέξης Τσίπρας', true, 'transliteration'),
	('Dimitris Papadopoulos', 'Δημήτρης Παπαδόπουλος', true, 'transliteration'),
	('Xi Jinping', '习近平', true, 'transliteration'),
	('Kim Jong Un', '김정은', true, 'transliteration'),
	('Wang Yi', '王毅', true, 'transliteration'),
	('Sergey Kuznetsov', 'KUZNETSOV, Sergei', true, 'transliteration'),
	('Mohammed Al Hassan', 'Muhammad al-Hasan', true, 'transliteration'),
	('Muammar Gaddafi', 'QADHAFI, Muammar', true, 'transliteration'),
	('Jose Maria Aznar', 'José María Aznar', true, 'transliteration'),
	('Francois Dubois', 'François Dubois', true, 'transliteration'),
	('Jurgen Muller', 'Jürgen Müller', true, 'transliteration'),
	-- reordered names and the comma form
	('Smith John', 'John Smith', true, 'reordered'),
	('Hussein Saddam', 'HUSSEIN, Saddam', true, 'reordered'),
	('Ivan Petrovich Kovalenko', 'KOVALENKO, Ivan Petrovich', true, 'reordered'),
	('Bashar Assad', 'AL-ASSAD, Bashar', true, 'reordered'),
	('Ali Reza Tehrani', 'TEHRANI, Alireza', true, 'reordered'),
	('Chen Wei Ming', 'Wei Ming Chen', true, 'reordered'),
	('Oliveira Maria Fernanda', 'Maria Fernanda Oliveira', true, 'reordered'),
	('Ivan Ivanov', 'Ivan Petrovich Ivanov', true, 'reordered'),
	-- typos
	('Jon Smyth', 'John Smith', true, 'typo'),
	('Mohamed Ali', 'Mohammed Ali', true, 'typo'),
	('Osama bin Ladin', 'Usama bin Laden', true, 'typo'),
	('Abdulrahman Hassan', 'Abdul Rahman Hassan', true, 'typo'),
	('Katarina Novakova', 'Katerina Novakova', true, 'typo'),
	('Michael Johnsen', 'Michael Johnson', true, 'typo'),
	('Alejandro Gonzales', 'Alejandro Gonzalez', true, 'typo'),
	('Sea Falkon', 'SEA FALCON', true, 'typo'),
	('Northwind Maritme Trading', 'NORTHWIND MARITIME TRADING CO. LTD.', true, 'typo'),
	('Bluefin Logistic GmbH', 'Bluefin Logistics GmbH', true, 'typo'),
	('Acme Trading Limited', 'Acme Trading Ltd', true, 'typo'),
	('Ramzan Kadyrov', 'Ramzan Akhmatovich Kadyrov', true, 'typo'),
	-- initials
	('J Smith', 'John Smith', true, 'initials'),
	('J. R. Smith', 'John Robert Smith', true, 'initials'),
	('M. Oliveira', 'Maria Oliveira', true, 'initials'),
	('V. V. Putin', 'Vladimir Vladimirovich Putin', true, 'initials'),
	('A. Lukashenko', 'Alexander Lukashenko', true, 'initials'),
	('Kim J. U.', 'Kim Jong Un', true, 'initials'),
	-- true negatives sharing a surname or a given name
	('Jane Smith', 'John Smith', false, 'negative'),
	('Peter Smith', 'John Smith', false, 'negative'),
	('K Smith', 'John Smith', false, 'negative'),
	('Dmitry Petrov', 'Ivan Petrov', false, 'negative'),
	('Olga Kuznetsova', 'Sergei Kuznetsov', false, 'negative'),
	('Ahmed Hassan', 'Mohammed Hassan', false, 'negative'),
	('Ali Hassan', 'Hussein Hassan', false, 'negative'),
	('Carlos Oliveira', 'Maria Oliveira', false, 'negative'),
	('Wang Lei', 'Wang Yi', false, 'negative'),
	('Kim Jong Nam', 'Kim Jong Un', false, 'negative'),
	('Robert Mugabe Jr', 'Grace Mugabe', false, 'negative'),
	('Smith', 'John Smith', false, 'negative'),
	('Ivan', 'Ivan Petrov', false, 'negative'),
	('Northwind Bakery', 'NORTHWIND MARITIME TRADING CO. LTD.', false, 'negative'),
	('Acme Consulting Ltd', 'Acme Trading Ltd', false, 'negative'),
	('Sea Eagle', 'SEA FALCON', false, 'negative'),
	('Anna Schmidt', 'Hanna Schmitz', false, 'negative'),
	('Thomas Muller', 'Jurgen Muller', false, 'negative'),
	('Elena Popescu', 'Andrei Popescu', false, 'negative'),
	('Sarah Cohen', 'David Cohen', false, 'negative'),
	('Li Wei', 'Li Qiang', false, 'negative'),
	('Al Smith', 'Ali Smith', false, 'negative'),
	('Fernando Alonso', 'Fernanda Oliveira', false, 'negative'),
	('Pavel Durov', 'Nikolai Durov', false, 'negative');

-- Each listed name its own entity.
SELECT count(*) AS entities
FROM (SELECT kyc_risk.add_watchlist_entity('QUALITY', 'person', ARRAY[listed])
	  FROM (SELECT DISTINCT listed FROM quality_pairs) l) x;

-- A pair counts as found when screen(query) returns the listed entity.
CREATE TEMP TABLE quality_result AS
SELECT p.*, EXISTS (SELECT FROM kyc_risk.screen(p.query, max_results => 50) s
					JOIN kyc_risk.watchlist_names n ON n.entity_id = s.entity_id
					WHERE n.name = p.listed) AS found,
	   round(kyc_risk.name_similarity(p.query, p.listed)::numeric, 3) AS similarity
FROM quality_pairs p;

SELECT count(*) AS pairs, count(*) FILTER (WHERE is_match) AS matches,
	   count(*) FILTER (WHERE NOT is_match) AS non_matches
FROM quality_result;

SELECT kind, count(*) AS pairs, count(*) FILTER (WHERE found = is_match) AS right
FROM quality_result GROUP BY kind ORDER BY kind;

-- Precision and recall at the default threshold.
SELECT round(count(*) FILTER (WHERE found AND is_match)::numeric
			 / NULLIF(count(*) FILTER (WHERE found), 0), 2) AS precision,
	   round(count(*) FILTER (WHERE found AND is_match)::numeric
			 / NULLIF(count(*) FILTER (WHERE is_match), 0), 2) AS recall
FROM quality_result;

-- The pairs it gets wrong, with their name similarity.
SELECT query, listed, is_match, similarity FROM quality_result
WHERE found <> is_match ORDER BY id;

TRUNCATE kyc_risk.watchlist_entities CASCADE;
