-- Names in scripts ICU cannot transliterate (issue 17): compared as they
-- are written, never refused.  As risk_user, in risk_service: a watch-list
-- entry in Khmer is found by the same name, not by a different one, and a
-- name with no letter at all is still refused.
\set ON_ERROR_STOP 1
\c risk_service
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(13);
SET ROLE risk_user;

-- Each keeps its letters, lowercased where the script has case; its marks
-- (vowel signs) are dropped, as for every script.
SELECT is(kyc_risk.normalize_name('ហ៊ុន ម៉ាណែត'), 'ហន មណត', 'Khmer: its consonants, two tokens');
SELECT is(kyc_risk.normalize_name('ສົມສັກ'), 'ສມສກ', 'Lao');
SELECT is(kyc_risk.normalize_name('ཚེ་རིང་'), 'ཚ རང', 'Tibetan: the tsheg separates syllables');
SELECT is(kyc_risk.normalize_name('ᏣᎳᎩ'), 'ꮳꮃꭹ', 'Cherokee: lowercased');
SELECT is(kyc_risk.normalize_name('ꆈꌠ'), 'ꆈꌠ', 'Yi');
-- Latin letters Latin-ASCII leaves are dropped beside others, kept alone.
SELECT is(kyc_risk.normalize_name('ሰላም ተስፋዬ'), 'salam tasfaye', 'Ethiopic through ICU: its schwa dropped');
SELECT is(kyc_risk.normalize_name('Ǝ'), 'ǝ', 'a name of nothing but such a letter keeps it');

SELECT is(kyc_risk.name_similarity('ហ៊ុន ម៉ាណែត', 'ហ៊ុន ម៉ាណែត'), 1.0::float8, 'the same Khmer name scores 1');
SELECT cmp_ok(kyc_risk.name_similarity('ហ៊ុន ម៉ាណែត', 'ហ៊ុន សែន'), '<', 0.85::float8,
			  'a different Khmer name with the same surname scores below the default threshold');

SELECT ok(kyc_risk.add_watchlist_entity('TAP-SCRIPTS', 'person', ARRAY['ហ៊ុន ម៉ាណែត'], NULL, ARRAY['KH'], 'test') > 0,
		  'a Khmer name goes on a watch list');
SELECT is((SELECT string_agg(matched_name || ' ' || score, ', ') FROM kyc_risk.screen('ហ៊ុន ម៉ាណែត') WHERE list = 'TAP-SCRIPTS'),
		  'ហ៊ុន ម៉ាណែត 1', 'screen() finds it by the same name');
SET LOCAL kyc_risk.screen_cache = off;
SELECT is((SELECT string_agg(matched_name || ' ' || score, ', ') FROM kyc_risk.screen('ហ៊ុន ម៉ាណែត') WHERE list = 'TAP-SCRIPTS'),
		  'ហ៊ុន ម៉ាណែត 1', 'and so does the GIN index, without the cache');
RESET kyc_risk.screen_cache;
SELECT throws_ok($$SELECT kyc_risk.normalize_name('!?. ')$$, '22023', 'name "!?. " has no letters or digits',
				 'a name with no letter or digit is still refused');

SELECT * FROM finish();
ROLLBACK;
