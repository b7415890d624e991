-- screening.sql: watch lists and name screening (docs/kyc_risk_screening.md).

-- Watch-list entities: a person, organisation, vessel, aircraft, ... on a
-- list.  birth_year alone is a year-only date of birth; with birth_date it
-- is that date's year.  source_id is the list's own id (OFAC's ent_num).
CREATE SEQUENCE kyc_risk.watchlist_entity_id_seq;
CREATE TABLE kyc_risk.watchlist_entities (
	id				bigint PRIMARY KEY DEFAULT nextval('kyc_risk.watchlist_entity_id_seq'),
	list			text NOT NULL CHECK (btrim(list) <> '' AND length(list) <= 100),
	entity_type		text NOT NULL CHECK (entity_type ~ '^[a-z][a-z_]{0,39}$'),
	program			text,
	birth_date		date,
	birth_year		integer CHECK (birth_year BETWEEN 1800 AND 2200),
	countries		text[] NOT NULL DEFAULT '{}'
					CHECK (array_position(countries, NULL) IS NULL
						   AND array_to_string(countries, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
	source_id		text,
	remarks			text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (list, source_id),
	CHECK (birth_date IS NULL OR birth_year = extract(year FROM birth_date))
);
ALTER SEQUENCE kyc_risk.watchlist_entity_id_seq OWNED BY kyc_risk.watchlist_entities.id;

-- Names of the entities: one primary, any number of aliases (aka, fka,
-- nka); weak aliases flagged.  normalized is normalize_name(name) and
-- phonetic its tokens' phonetic keys (phonetic_key(name)), set by a
-- trigger; screen() finds candidates through their trigram indexes.
CREATE SEQUENCE kyc_risk.watchlist_name_id_seq;
CREATE TABLE kyc_risk.watchlist_names (
	id				bigint PRIMARY KEY DEFAULT nextval('kyc_risk.watchlist_name_id_seq'),
	entity_id		bigint NOT NULL REFERENCES kyc_risk.watchlist_entities (id) ON DELETE CASCADE,
	name			text NOT NULL,
	name_type		text NOT NULL DEFAULT 'aka' CHECK (name_type IN ('primary', 'aka', 'fka', 'nka')),
	weak			boolean NOT NULL DEFAULT false,
	normalized		text NOT NULL,
	phonetic		text NOT NULL DEFAULT ''
);
ALTER SEQUENCE kyc_risk.watchlist_name_id_seq OWNED BY kyc_risk.watchlist_names.id;
CREATE INDEX watchlist_names_entity_idx ON kyc_risk.watchlist_names (entity_id);
CREATE INDEX watchlist_names_trgm_idx ON kyc_risk.watchlist_names USING gin (normalized gin_trgm_ops);
CREATE INDEX watchlist_names_phonetic_idx ON kyc_risk.watchlist_names USING gin (pg_catalog.string_to_array(phonetic, ' '));
CREATE INDEX watchlist_entities_list_idx ON kyc_risk.watchlist_entities (list);

-- Tokens that weigh less than 1 in name scores, because many listed names
-- have them ("mohammed", "ali"): names is how many, weight
-- max(0.3, ln(all names / names) / ln(1000)).  Rewritten whole by
-- refresh_token_weights(), which the administrator runs after loading
-- lists; any other token weighs 1.
CREATE TABLE kyc_risk.token_weights (
	token			text PRIMARY KEY,
	names			bigint NOT NULL CHECK (names > 0),
	weight			float8 NOT NULL CHECK (weight > 0 AND weight < 1)
);

-- Why entities left the watch lists: one row per entity that
-- remove_watchlist_entity() removed, with its names, the reason given,
-- kyc.actor (else the JWT subject, else session_user) and session_user.
-- Written by that function only, as the owner; captured into the audit
-- log (capture.sql).  No foreign key: the record outlives the entity.
CREATE SEQUENCE kyc_risk.watchlist_change_id_seq;
CREATE TABLE kyc_risk.watchlist_changes (
	id				bigint PRIMARY KEY DEFAULT nextval('kyc_risk.watchlist_change_id_seq'),
	entity_id		bigint NOT NULL,
	list			text NOT NULL,
	entity_type		text NOT NULL,
	source_id		text,
	names			text[] NOT NULL,
	operation		text NOT NULL CHECK (operation IN ('DELETE')),
	reason			text NOT NULL CHECK (btrim(reason) <> ''),
	actor			text NOT NULL,
	db_user			text NOT NULL,
	changed_at		timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE kyc_risk.watchlist_change_id_seq OWNED BY kyc_risk.watchlist_changes.id;
CREATE INDEX watchlist_changes_entity_idx ON kyc_risk.watchlist_changes (entity_id);

-- Words that name a company's legal form; name_similarity() and screen()
-- ignore them, normalize_name(name, true) drops them.  A form is one
-- normalised word or several ("S.A." normalises to "sa"; "Limited
-- Liability Company" is written out).  A form of two words of five letters
-- or more also stands for its other transliterations ("otkrytoe" for
-- "otkrytoye", "beschraenkter" for "beschrankter": company_forms.c).
-- seeded rows come with the extension; pg_dump keeps the others.
CREATE TABLE kyc_risk.company_forms (
	form			text PRIMARY KEY CONSTRAINT company_forms_form_check
						CHECK (form ~ '^[a-z0-9]+( [a-z0-9]+){0,5}$' AND length(form) <= 63),
	seeded			boolean NOT NULL DEFAULT false
);
INSERT INTO kyc_risk.company_forms (form, seeded)
SELECT f, true FROM unnest(ARRAY[
	'ltd', 'limited', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp', 'corporation',
	'co', 'company', 'plc', 'gmbh', 'ag', 'kg', 'sa', 'sas', 'sarl', 'srl', 'spa',
	'bv', 'nv', 'ab', 'as', 'asa', 'oy', 'oyj', 'pte', 'pty', 'pvt', 'sdn', 'bhd',
	'ooo', 'oao', 'zao', 'pao', 'jsc', 'ojsc', 'cjsc', 'pjsc', 'fze', 'fzco', 'fzc',
	'kft', 'zrt', 'sro', 'doo', 'sp', 'zoo', 'lda', 'ltda', 'cia', 'sac', 'cv',
	-- written out, and a few more abbreviations
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
	-- Mexican forms whole: "de" alone is a name's (Zhu De, 朱德; Juan de la Cruz)
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
]) f;

SELECT pg_catalog.pg_extension_config_dump('kyc_risk.watchlist_entities', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.watchlist_entity_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.watchlist_names', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.watchlist_name_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.token_weights', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.watchlist_changes', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.watchlist_change_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_risk.company_forms', 'WHERE NOT seeded');

-- PARALLEL RESTRICTED: these read company_forms and the token weights
-- into a backend cache under the latest snapshot, which a parallel worker
-- may not take.
CREATE FUNCTION kyc_risk.normalize_name(name text, drop_company_forms boolean DEFAULT false)
RETURNS text
LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_normalize_name';

-- The candidate keys of a name's tokens, company forms dropped (phonetic.c).
CREATE FUNCTION kyc_risk.phonetic_key(name text)
RETURNS text
LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_phonetic_key';

-- How alike two names' keys are, as phonetic_key() writes them: shared
-- distinct keys over all distinct keys.
CREATE FUNCTION kyc_risk.phonetic_similarity(a text, b text)
RETURNS real
LANGUAGE C IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_phonetic_similarity';

CREATE FUNCTION kyc_risk.name_similarity(a text, b text)
RETURNS float8
LANGUAGE C STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_name_similarity';

-- Backends cache company_forms and an index of watchlist_names; a change
-- to either makes every backend reread it.
CREATE FUNCTION kyc_risk.cached_table_changed()
RETURNS trigger
LANGUAGE C
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_cached_table_changed';
REVOKE EXECUTE ON FUNCTION kyc_risk.cached_table_changed() FROM PUBLIC;

CREATE TRIGGER company_forms_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc_risk.company_forms
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.cached_table_changed();
CREATE TRIGGER watchlist_names_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc_risk.watchlist_names
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.cached_table_changed();

-- A change to company_forms changes names' phonetic keys, which drop them.
CREATE FUNCTION kyc_risk.company_forms_rekey()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_RELID <> 'kyc_risk.company_forms'::regclass THEN
		RAISE EXCEPTION 'company_forms_rekey() is a trigger of kyc_risk.company_forms only'
			USING ERRCODE = 'trigger_protocol_violated',
				  DETAIL = format('It was fired on %I.%I.', TG_TABLE_SCHEMA, TG_TABLE_NAME);
	END IF;
	UPDATE kyc_risk.watchlist_names n SET phonetic = x.phonetic
	FROM (SELECT id, kyc_risk.phonetic_key(name) AS phonetic FROM kyc_risk.watchlist_names) x
	WHERE x.id = n.id AND n.phonetic <> x.phonetic;
	RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION kyc_risk.company_forms_rekey() FROM PUBLIC;

-- After company_forms_changed, which makes this backend reread the forms.
CREATE TRIGGER company_forms_rekey
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc_risk.company_forms
	FOR EACH STATEMENT EXECUTE FUNCTION kyc_risk.company_forms_rekey();

-- Keep watchlist_names.normalized and phonetic in step with name.
CREATE FUNCTION kyc_risk.watchlist_name_normalize()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_RELID <> 'kyc_risk.watchlist_names'::regclass THEN
		RAISE EXCEPTION 'watchlist_name_normalize() is a trigger of kyc_risk.watchlist_names only'
			USING ERRCODE = 'trigger_protocol_violated',
				  DETAIL = format('It was fired on %I.%I.', TG_TABLE_SCHEMA, TG_TABLE_NAME),
				  HINT = 'kyc_risk''s trigger functions serve kyc_risk''s own tables; do not attach them elsewhere.';
	END IF;
	NEW.normalized := kyc_risk.normalize_name(NEW.name);
	NEW.phonetic := kyc_risk.phonetic_key(NEW.name);
	RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION kyc_risk.watchlist_name_normalize() FROM PUBLIC;

CREATE TRIGGER watchlist_name_normalize
	BEFORE INSERT OR UPDATE OF name, normalized, phonetic ON kyc_risk.watchlist_names
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.watchlist_name_normalize();
CREATE TRIGGER allowed_name_type
	BEFORE INSERT OR UPDATE OF name_type ON kyc_risk.watchlist_names
	FOR EACH ROW EXECUTE FUNCTION kyc_risk.allowed_values('name_type', 'primary', 'aka', 'fka', 'nka');

-- Rewrite token_weights from the names on the lists now; returns how many
-- tokens weigh less than 1.  The administrator's: names the service adds
-- count from the next refresh, so it cannot make a token look common.
CREATE FUNCTION kyc_risk.refresh_token_weights()
RETURNS bigint
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_refresh_token_weights';
REVOKE EXECUTE ON FUNCTION kyc_risk.refresh_token_weights() FROM PUBLIC;

-- One entity with its names: names[1] primary, the rest aliases (aka).
CREATE FUNCTION kyc_risk.add_watchlist_entity(list text, entity_type text, names text[],
											  birth_date date DEFAULT NULL, countries text[] DEFAULT NULL,
											  program text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	entity bigint;
	bad text;
BEGIN
	IF list IS NULL THEN
		RAISE EXCEPTION 'list must not be null' USING ERRCODE = 'null_value_not_allowed';
	ELSIF btrim(list) = '' THEN
		RAISE EXCEPTION 'list must not be empty' USING ERRCODE = 'invalid_parameter_value';
	ELSIF length(btrim(list)) > 100 THEN
		RAISE EXCEPTION 'list is longer than 100 characters' USING ERRCODE = 'string_data_right_truncation';
	END IF;
	IF entity_type IS NULL THEN
		RAISE EXCEPTION 'entity_type must not be null' USING ERRCODE = 'null_value_not_allowed',
			HINT = 'Use person, organisation, vessel, aircraft or another lowercase word.';
	END IF;
	-- Exact spelling only: 'Person' is refused, not lower-cased, so a list
	-- never holds one type under two spellings.
	IF entity_type !~ '^[a-z][a-z_]{0,39}$' THEN
		RAISE EXCEPTION 'entity_type "%" is not a type name', entity_type
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A type name is a lowercase word of letters and underscores, at most 40 characters.',
				  HINT = 'Use person, organisation, vessel, aircraft or another lowercase word.';
	END IF;
	IF names IS NULL OR cardinality(names) = 0 THEN
		RAISE EXCEPTION 'names must hold at least the primary name' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF array_position(names, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'names must not contain null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- A date of birth is a day that has been, from 1800 on (birth_year's range).
	IF birth_date IS NOT NULL AND NOT (birth_date BETWEEN '1800-01-01' AND current_date) THEN
		RAISE EXCEPTION 'birth_date % is not a date of birth', birth_date
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A date of birth lies between 1800-01-01 and today.';
	END IF;
	IF length(program) > 1000 THEN
		RAISE EXCEPTION 'program is longer than 1000 characters' USING ERRCODE = 'string_data_right_truncation';
	END IF;
	SELECT c INTO bad FROM unnest(countries) c WHERE c IS NULL OR upper(btrim(c)) !~ '^[A-Z]{2}$' LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'country "%" is not an ISO 3166-1 alpha-2 code', bad
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	INSERT INTO kyc_risk.watchlist_entities (list, entity_type, program, birth_date, birth_year, countries)
	VALUES (btrim(add_watchlist_entity.list), add_watchlist_entity.entity_type,
			NULLIF(btrim(program), ''), birth_date, extract(year FROM birth_date),
			COALESCE(ARRAY(SELECT DISTINCT upper(btrim(c)) FROM unnest(countries) c ORDER BY 1), '{}'))
	RETURNING id INTO entity;
	INSERT INTO kyc_risk.watchlist_names (entity_id, name, name_type, normalized)
	SELECT entity, n, CASE WHEN i = 1 THEN 'primary' ELSE 'aka' END, ''
	FROM unnest(names) WITH ORDINALITY AS u(n, i);
	RETURN entity;
END
$$;

-- Take an entity, with its names, off its watch list, recording why in
-- watchlist_changes; returns that record's id.  The service role's only
-- way to remove an entity: it may not delete watch-list rows itself.
CREATE FUNCTION kyc_risk.remove_watchlist_entity(entity_id bigint, reason text)
RETURNS bigint
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_remove_watchlist_entity';
REVOKE EXECUTE ON FUNCTION kyc_risk.remove_watchlist_entity(bigint, text) FROM PUBLIC;

CREATE FUNCTION kyc_risk.screen(name text, birth_date date DEFAULT NULL, country text DEFAULT NULL,
								threshold float8 DEFAULT 0.85, max_results integer DEFAULT 10)
RETURNS TABLE (entity_id bigint, list text, entity_type text, program text,
			   matched_name text, score float8, reasons jsonb)
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_screen';

-- Screen a case's party and record each match as a risk factor of the
-- case's open assessment: PEP when the list is 'PEP' or the entity type
-- is 'pep', else Sanctions.  A match already recorded (same source and
-- description) is not recorded again.  Returns the factors created.  The
-- factors are written as the system (system_owned): the service role can
-- neither lower nor remove them.  threshold defaults to, and may not
-- exceed, kyc_risk.screen_case_max_threshold (0.85 unless a superuser
-- changes it): a caller cannot screen so strictly that near matches go
-- unrecorded.
CREATE FUNCTION kyc_risk.screen_case(case_id text, name text, birth_date date DEFAULT NULL,
									 country text DEFAULT NULL, threshold float8 DEFAULT NULL)
RETURNS integer
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'kyc_risk_screen_case';
