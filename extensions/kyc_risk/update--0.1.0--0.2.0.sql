/* kyc_risk 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_risk UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- The case's type, and the number of the last result emitted.  Assessments
-- from 0.1.0 have no type (they need factor_types' required types, as
-- before) and no numbered result yet: their next result is 1, above the
-- unnumbered ones 0.1.0 emitted.
ALTER TABLE kyc_risk.risk_assessments
	ADD COLUMN case_type text CHECK (btrim(case_type) <> ''),
	ADD COLUMN result_seq bigint NOT NULL DEFAULT 0;

-- The new tables (required_factor_types, which install_defaults() seeds,
-- and the workflow's case_subjects and applicant_subjects, which the
-- onboarding_events subscription fills) come from the install script.

-- Screening: company forms of several words, and each name's phonetic keys.
ALTER TABLE kyc_risk.company_forms
	DROP CONSTRAINT company_forms_form_check,
	ADD CONSTRAINT company_forms_form_check
		CHECK (form ~ '^[a-z0-9]+( [a-z0-9]+){0,5}$' AND length(form) <= 63);
INSERT INTO kyc_risk.company_forms (form, seeded)
SELECT f, true FROM unnest(ARRAY[
	'ao', 'ad', 'kgaa', 'gesmbh', 'aps', 'kk', 'tbk', 'berhad', 'sl', 'limitada', 'private limited',
	'limited liability company', 'limited liability partnership', 'limited partnership', 'general partnership',
	'public limited company', 'private limited company', 'joint stock company',
	'public joint stock company', 'open joint stock company', 'closed joint stock company',
	'obshchestvo s ogranichennoy otvetstvennostyu', 'obshchestvo s ogranichennoi otvetstvennostiu',
	'aktsionernoye obshchestvo', 'publichnoye aktsionernoye obshchestvo',
	'otkrytoye aktsionernoye obshchestvo', 'zakrytoye aktsionernoye obshchestvo',
	'aktiengesellschaft', 'kommanditgesellschaft', 'kommanditgesellschaft auf aktien',
	'gesellschaft mit beschrankter haftung', 'sociedad anonima', 'societe anonyme',
	'sociedad limitada', 'sociedad de responsabilidad limitada', 'societa per azioni',
	'societa a responsabilita limitata', 'societe a responsabilite limitee', 'aktiebolag',
	'besloten vennootschap', 'naamloze vennootschap', 'anonim sirketi', 'osakeyhtio',
	'spolka z ograniczona odpowiedzialnoscia', 'spolka akcyjna', 'kabushiki kaisha',
	'sendirian berhad', 'und co', 'and co', 'and company',
	'sa de cv', 'sab de cv', 'sapi de cv', 's de rl', 'de cv',
	-- Ukrainian, Kazakh (written out: Too is also a Kalenjin surname, Prat a
	-- Catalan one), Hungarian, Polish, Turkish, French, Gulf and
	-- Nordic forms, and the free zones written as one (Alpha Trading DMCC)
	'tov', 'zat', 'nyrt', 'sp z oo', 'ltd sti', 'snc', 'eirl',
	'saoc', 'saog', 'wll', 'fz llc', 'llc fz', 'dmcc', 'yugen kaisha', 'aksjeselskap', 'ehf',
	'tovarystvo z obmezhenoyu vidpovidalnistyu', 'tovarystvo z obmezhenoiu vidpovidalnistiu',
	'aktsionerne tovarystvo', 'pryvatne aktsionerne tovarystvo', 'publichne aktsionerne tovarystvo',
	'tovarishchestvo s ogranichennoy otvetstvennostyu',
	-- Russian and Ukrainian state and research enterprises, as written out
	-- and as lists translate them (not SUE: Sue is a name); Ukrainian
	-- VAT written out, PrAT translated; Swedish (publ); Australian
	'fgup', 'gup', 'mup', 'npo', 'fsue', 'federal state unitary enterprise',
	'state unitary enterprise', 'municipal unitary enterprise', 'scientific production association',
	'federalnoye gosudarstvennoye unitarnoye predpriyatiye', 'gosudarstvennoye unitarnoye predpriyatiye',
	'nauchno proizvodstvennoye obyedineniye', 'vidkryte aktsionerne tovarystvo',
	'prjsc', 'private joint stock company', 'publ', 'proprietary limited',
	-- Czech and Slovak spol. s r.o., Western Ukrainian TzOV (ТзОВ),
	-- Italian simplified and consortium forms, German GbR, Polish and
	-- Hungarian partnerships, Croatian j.d.o.o., Bulgarian EAD, and
	-- American, French, Spanish and Portuguese ones (not Hungarian Bt.,
	-- Malay names' binti, nor French GIE, a Chinese Indonesian name's Gie)
	'spol s ro', 'spol sro', 'tzov', 'srls', 'scarl', 'gbr', 'sp j', 'sp k', 'kkt', 'jdoo',
	'ead', 'pllc', 'scop', 'sll', 'unipessoal',
	-- written out: Danish, Spanish, Portuguese, French, Indonesian and Thai
	-- forms, the Gulf's free zone forms, and the rest of "S.A. de C.V."
	'aktieselskab', 'anpartsselskab', 'compania', 'sociedade anonima', 'sociedade limitada',
	'societe par actions simplifiee', 'perseroan terbatas', 'public company limited',
	'free zone establishment', 'free zone company', 'de capital variable', 'establishment', 'est',
	-- Polish, written half out; Chinese and Japanese, as read (有限公司;
	-- 株式会社, 有限会社, 合同会社), not 公司 or 股份 alone, which read as
	-- names do (龚思远, Gong Siyuan)
	'spolka z oo', 'you xian gong si', 'youxian gongsi',
	'kabushikigaisha', 'kabushikikaisha', 'yugengaisha', 'yugenkaisha', 'godogaisha', 'godokaisha',
	-- written out: Norwegian, Finnish, Swedish, Dutch and Belgian, Greek,
	-- Mexican and Peruvian forms; Belgian and Vietnamese abbreviations
	'allmennaksjeselskap', 'julkinen osakeyhtio', 'publikt aktiebolag', 'commanditaire vennootschap',
	'anonymi etaireia', 'sociedad anonima bursatil', 'sociedad anonima cerrada', 'sociedad anonima abierta',
	'bvba', 'sprl', 'tnhh',
	-- written out, with their unambiguous abbreviations: Czech and Slovak,
	-- Hungarian, Romanian, Bulgarian, Croatian, Serbian and Slovene,
	-- Lithuanian, Latvian, Estonian, Greek, Turkish, Italian, Brazilian,
	-- French, German, Dutch, Nordic, Vietnamese, Korean and Spanish forms
	-- (not OU, Ky, SIA, HB, UG, eG, d.d., EPE or SASU, which are names or
	-- words too: Sasu is a Romanian surname)
	'spolecnost s rucenim omezenym', 'spolocnost s rucenim obmedzenym', 'akciova spolecnost',
	'akciova spolocnost', 'korlatolt felelossegu tarsasag', 'zartkoruen mukodo reszvenytarsasag',
	'nyilvanosan mukodo reszvenytarsasag', 'reszvenytarsasag', 'societate cu raspundere limitata',
	'societate pe actiuni', 'ednolichno druzhestvo s ogranichena otgovornost',
	'druzhestvo s ogranichena otgovornost', 'aktsionerno druzhestvo', 'eood', 'ood',
	'drustvo s ogranicenom odgovornoscu', 'drustvo sa ogranicenom odgovornoscu', 'dionicko drustvo',
	'akcionarsko drustvo', 'druzba z omejeno odgovornostjo', 'delniska druzba',
	'uzdaroji akcine bendrove', 'akcine bendrove', 'uab', 'sabiedriba ar ierobezotu atbildibu',
	'akciju sabiedriba', 'osauhing', 'aktsiaselts', 'etaireia periorismenis efthynis',
	'limited sirketi', 'societa in accomandita semplice', 'societa in nome collettivo',
	'societa in accomandita per azioni', 'empresa individual de responsabilidade limitada', 'eireli',
	'societe par actions simplifiee unipersonnelle', 'entreprise unipersonnelle a responsabilite limitee',
	'societe civile immobiliere', 'societe en nom collectif', 'eurl',
	'offene handelsgesellschaft', 'unternehmergesellschaft', 'eingetragene genossenschaft', 'ohg',
	'vennootschap onder firma', 'vof', 'ansvarlig selskap', 'handelsbolag', 'kommanditbolag',
	'kommandiittiyhtio', 'avoin yhtio', 'hlutafelag', 'einkahlutafelag', 'cong ty co phan',
	'cong ty trach nhiem huu han', 'cong ty tnhh', 'jusik hoesa', 'jusikhoesa',
	'sociedad limitada unipersonal', 'slu',
	-- Korean, Thai and Arabic forms as normalisation reads them (주식회사,
	-- 유한회사; บริษัท, จำกัด, มหาชน, said and spelled letter by letter;
	-- شركة, ذ.م.م), and the Thai ones as lists spell them
	'ju sik hoe sa', 'joo sik hoe sa', 'yu han hoe sa', 'yoo han hoe sa', 'yuhan hoesa', 'brst', 'chmkt', 'mhtn',
	'brsth', 'chmkd', 'mhchn', 'borisat',
	'chamkat', 'mahachon', 'shrkh', 'dhmm'
]) f
ON CONFLICT (form) DO NOTHING;
-- "de" alone is a name's (Zhu De, 朱德; Juan de la Cruz), no longer a form.
DELETE FROM kyc_risk.company_forms WHERE form = 'de' AND seeded;
ALTER TABLE kyc_risk.watchlist_names ADD COLUMN phonetic text NOT NULL DEFAULT '';

-- @install

-- Names normalise differently in 0.2.0 (Korean, Hebrew, the Arabic
-- article): the trigger sets normalized and phonetic again.  Then the
-- tokens are weighed.
UPDATE kyc_risk.watchlist_names SET normalized = normalized;
SELECT kyc_risk.refresh_token_weights();
