/* kyc_onboarding--0.2.0.sql: cases, applicants and addresses of the onboarding database. */

\echo Use "CREATE EXTENSION kyc_onboarding" to load this file. \quit

-- ISO 3166-1 alpha-2 codes, for nationalities and address countries.
-- A reference table rather than an enum, so it can follow ISO changes.
CREATE TABLE kyc_onboarding.countries (
	code			varchar(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
	name			text NOT NULL
);

COMMENT ON TABLE kyc_onboarding.countries IS
'ISO 3166-1 alpha-2 country codes accepted for nationality and address country.';

INSERT INTO kyc_onboarding.countries (code, name) VALUES
	('AD', 'Andorra'),
	('AE', 'United Arab Emirates'),
	('AF', 'Afghanistan'),
	('AG', 'Antigua and Barbuda'),
	('AI', 'Anguilla'),
	('AL', 'Albania'),
	('AM', 'Armenia'),
	('AO', 'Angola'),
	('AQ', 'Antarctica'),
	('AR', 'Argentina'),
	('AS', 'American Samoa'),
	('AT', 'Austria'),
	('AU', 'Australia'),
	('AW', 'Aruba'),
	('AX', 'Åland Islands'),
	('AZ', 'Azerbaijan'),
	('BA', 'Bosnia and Herzegovina'),
	('BB', 'Barbados'),
	('BD', 'Bangladesh'),
	('BE', 'Belgium'),
	('BF', 'Burkina Faso'),
	('BG', 'Bulgaria'),
	('BH', 'Bahrain'),
	('BI', 'Burundi'),
	('BJ', 'Benin'),
	('BL', 'Saint Barthélemy'),
	('BM', 'Bermuda'),
	('BN', 'Brunei Darussalam'),
	('BO', 'Bolivia, Plurinational State of'),
	('BQ', 'Bonaire, Sint Eustatius and Saba'),
	('BR', 'Brazil'),
	('BS', 'Bahamas'),
	('BT', 'Bhutan'),
	('BV', 'Bouvet Island'),
	('BW', 'Botswana'),
	('BY', 'Belarus'),
	('BZ', 'Belize'),
	('CA', 'Canada'),
	('CC', 'Cocos (Keeling) Islands'),
	('CD', 'Congo, Democratic Republic of the'),
	('CF', 'Central African Republic'),
	('CG', 'Congo'),
	('CH', 'Switzerland'),
	('CI', 'Côte d''Ivoire'),
	('CK', 'Cook Islands'),
	('CL', 'Chile'),
	('CM', 'Cameroon'),
	('CN', 'China'),
	('CO', 'Colombia'),
	('CR', 'Costa Rica'),
	('CU', 'Cuba'),
	('CV', 'Cabo Verde'),
	('CW', 'Curaçao'),
	('CX', 'Christmas Island'),
	('CY', 'Cyprus'),
	('CZ', 'Czechia'),
	('DE', 'Germany'),
	('DJ', 'Djibouti'),
	('DK', 'Denmark'),
	('DM', 'Dominica'),
	('DO', 'Dominican Republic'),
	('DZ', 'Algeria'),
	('EC', 'Ecuador'),
	('EE', 'Estonia'),
	('EG', 'Egypt'),
	('EH', 'Western Sahara'),
	('ER', 'Eritrea'),
	('ES', 'Spain'),
	('ET', 'Ethiopia'),
	('FI', 'Finland'),
	('FJ', 'Fiji'),
	('FK', 'Falkland Islands (Malvinas)'),
	('FM', 'Micronesia, Federated States of'),
	('FO', 'Faroe Islands'),
	('FR', 'France'),
	('GA', 'Gabon'),
	('GB', 'United Kingdom of Great Britain and Northern Ireland'),
	('GD', 'Grenada'),
	('GE', 'Georgia'),
	('GF', 'French Guiana'),
	('GG', 'Guernsey'),
	('GH', 'Ghana'),
	('GI', 'Gibraltar'),
	('GL', 'Greenland'),
	('GM', 'Gambia'),
	('GN', 'Guinea'),
	('GP', 'Guadeloupe'),
	('GQ', 'Equatorial Guinea'),
	('GR', 'Greece'),
	('GS', 'South Georgia and the South Sandwich Islands'),
	('GT', 'Guatemala'),
	('GU', 'Guam'),
	('GW', 'Guinea-Bissau'),
	('GY', 'Guyana'),
	('HK', 'Hong Kong'),
	('HM', 'Heard Island and McDonald Islands'),
	('HN', 'Honduras'),
	('HR', 'Croatia'),
	('HT', 'Haiti'),
	('HU', 'Hungary'),
	('ID', 'Indonesia'),
	('IE', 'Ireland'),
	('IL', 'Israel'),
	('IM', 'Isle of Man'),
	('IN', 'India'),
	('IO', 'British Indian Ocean Territory'),
	('IQ', 'Iraq'),
	('IR', 'Iran, Islamic Republic of'),
	('IS', 'Iceland'),
	('IT', 'Italy'),
	('JE', 'Jersey'),
	('JM', 'Jamaica'),
	('JO', 'Jordan'),
	('JP', 'Japan'),
	('KE', 'Kenya'),
	('KG', 'Kyrgyzstan'),
	('KH', 'Cambodia'),
	('KI', 'Kiribati'),
	('KM', 'Comoros'),
	('KN', 'Saint Kitts and Nevis'),
	('KP', 'Korea, Democratic People''s Republic of'),
	('KR', 'Korea, Republic of'),
	('KW', 'Kuwait'),
	('KY', 'Cayman Islands'),
	('KZ', 'Kazakhstan'),
	('LA', 'Lao People''s Democratic Republic'),
	('LB', 'Lebanon'),
	('LC', 'Saint Lucia'),
	('LI', 'Liechtenstein'),
	('LK', 'Sri Lanka'),
	('LR', 'Liberia'),
	('LS', 'Lesotho'),
	('LT', 'Lithuania'),
	('LU', 'Luxembourg'),
	('LV', 'Latvia'),
	('LY', 'Libya'),
	('MA', 'Morocco'),
	('MC', 'Monaco'),
	('MD', 'Moldova, Republic of'),
	('ME', 'Montenegro'),
	('MF', 'Saint Martin (French part)'),
	('MG', 'Madagascar'),
	('MH', 'Marshall Islands'),
	('MK', 'North Macedonia'),
	('ML', 'Mali'),
	('MM', 'Myanmar'),
	('MN', 'Mongolia'),
	('MO', 'Macao'),
	('MP', 'Northern Mariana Islands'),
	('MQ', 'Martinique'),
	('MR', 'Mauritania'),
	('MS', 'Montserrat'),
	('MT', 'Malta'),
	('MU', 'Mauritius'),
	('MV', 'Maldives'),
	('MW', 'Malawi'),
	('MX', 'Mexico'),
	('MY', 'Malaysia'),
	('MZ', 'Mozambique'),
	('NA', 'Namibia'),
	('NC', 'New Caledonia'),
	('NE', 'Niger'),
	('NF', 'Norfolk Island'),
	('NG', 'Nigeria'),
	('NI', 'Nicaragua'),
	('NL', 'Netherlands, Kingdom of the'),
	('NO', 'Norway'),
	('NP', 'Nepal'),
	('NR', 'Nauru'),
	('NU', 'Niue'),
	('NZ', 'New Zealand'),
	('OM', 'Oman'),
	('PA', 'Panama'),
	('PE', 'Peru'),
	('PF', 'French Polynesia'),
	('PG', 'Papua New Guinea'),
	('PH', 'Philippines'),
	('PK', 'Pakistan'),
	('PL', 'Poland'),
	('PM', 'Saint Pierre and Miquelon'),
	('PN', 'Pitcairn'),
	('PR', 'Puerto Rico'),
	('PS', 'Palestine, State of'),
	('PT', 'Portugal'),
	('PW', 'Palau'),
	('PY', 'Paraguay'),
	('QA', 'Qatar'),
	('RE', 'Réunion'),
	('RO', 'Romania'),
	('RS', 'Serbia'),
	('RU', 'Russian Federation'),
	('RW', 'Rwanda'),
	('SA', 'Saudi Arabia'),
	('SB', 'Solomon Islands'),
	('SC', 'Seychelles'),
	('SD', 'Sudan'),
	('SE', 'Sweden'),
	('SG', 'Singapore'),
	('SH', 'Saint Helena, Ascension and Tristan da Cunha'),
	('SI', 'Slovenia'),
	('SJ', 'Svalbard and Jan Mayen'),
	('SK', 'Slovakia'),
	('SL', 'Sierra Leone'),
	('SM', 'San Marino'),
	('SN', 'Senegal'),
	('SO', 'Somalia'),
	('SR', 'Suriname'),
	('SS', 'South Sudan'),
	('ST', 'Sao Tome and Principe'),
	('SV', 'El Salvador'),
	('SX', 'Sint Maarten (Dutch part)'),
	('SY', 'Syrian Arab Republic'),
	('SZ', 'Eswatini'),
	('TC', 'Turks and Caicos Islands'),
	('TD', 'Chad'),
	('TF', 'French Southern Territories'),
	('TG', 'Togo'),
	('TH', 'Thailand'),
	('TJ', 'Tajikistan'),
	('TK', 'Tokelau'),
	('TL', 'Timor-Leste'),
	('TM', 'Turkmenistan'),
	('TN', 'Tunisia'),
	('TO', 'Tonga'),
	('TR', 'Türkiye'),
	('TT', 'Trinidad and Tobago'),
	('TV', 'Tuvalu'),
	('TW', 'Taiwan, Province of China'),
	('TZ', 'Tanzania, United Republic of'),
	('UA', 'Ukraine'),
	('UG', 'Uganda'),
	('UM', 'United States Minor Outlying Islands'),
	('US', 'United States of America'),
	('UY', 'Uruguay'),
	('UZ', 'Uzbekistan'),
	('VA', 'Holy See'),
	('VC', 'Saint Vincent and the Grenadines'),
	('VE', 'Venezuela, Bolivarian Republic of'),
	('VG', 'Virgin Islands (British)'),
	('VI', 'Virgin Islands (U.S.)'),
	('VN', 'Viet Nam'),
	('VU', 'Vanuatu'),
	('WF', 'Wallis and Futuna'),
	('WS', 'Samoa'),
	('YE', 'Yemen'),
	('YT', 'Mayotte'),
	('ZA', 'South Africa'),
	('ZM', 'Zambia'),
	('ZW', 'Zimbabwe');

-- Rows an operator adds later are dumped; the shipped ones come from this script.
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.countries', $$WHERE code NOT IN ('AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ', 'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW')$$);

-- Human-readable, unique, sortable case ids: KYC-YYYYMMDD-NNNNNNNNNN.
-- The UTC date gives readability, the zero-padded global sequence gives
-- uniqueness; both have fixed width, so text order is creation order.
-- A SQL-standard body is bound when the function is created, so the
-- caller's search_path cannot redirect it, and it stays inlinable (a SET
-- clause would cost a function-manager round trip on every insert).
CREATE SEQUENCE kyc_onboarding.case_number_seq;

CREATE FUNCTION kyc_onboarding.next_case_id()
RETURNS varchar
LANGUAGE sql VOLATILE PARALLEL UNSAFE
RETURN 'KYC-' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD') || '-'
	|| lpad(nextval('kyc_onboarding.case_number_seq')::text, 10, '0');

-- The partners that submit cases.  Only the database owner (a superuser)
-- writes them; onboarding_user reads them.  A case's partner must exist,
-- and its name travels on the case events as partner_name.
CREATE TABLE kyc_onboarding.partners (
	partner_id		text PRIMARY KEY
					CHECK (btrim(partner_id) <> '' AND length(partner_id) <= 100),
	name			text NOT NULL CHECK (btrim(name) <> ''),
	created_at		timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE kyc_onboarding.partners IS
'Partners that submit cases; onboarding_cases.partner_id references partner_id. Written by the database owner only.';

CREATE TABLE kyc_onboarding.onboarding_cases (
	id						uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	case_id					varchar(40) NOT NULL UNIQUE DEFAULT kyc_onboarding.next_case_id()
							CHECK (btrim(case_id) <> ''),
	type					text NOT NULL
							CHECK (type IN ('Individual', 'Corporate', 'Trust', 'Partnership')),
	status					text NOT NULL DEFAULT 'Draft'
							CHECK (status IN ('Draft', 'InProgress', 'PendingReview', 'Approved', 'Rejected')),
	partner_id				varchar(100) REFERENCES kyc_onboarding.partners (partner_id),
	partner_reference_id	varchar(200),
	created_at				timestamptz NOT NULL DEFAULT now(),
	updated_at				timestamptz NOT NULL DEFAULT now(),
	submitted_at			timestamptz,
	approved_at				timestamptz,
	rejected_at				timestamptz,
	risk_level				text
							CHECK (risk_level IN ('Low', 'MediumLow', 'Medium', 'MediumHigh', 'High')),
	risk_score				numeric(5, 2) CHECK (risk_score BETWEEN 0 AND 100),
	assigned_to				varchar(200),
	assigned_at				timestamptz,
	status_changed_by		text,
	status_reason			text,
	-- The company, trust or partnership a non-Individual case is about.
	company_name			varchar(200) CHECK (btrim(company_name) <> ''),
	industry_code			varchar(20) CHECK (btrim(industry_code) <> ''),
	-- Set only by the handlers of checklist_service's and risk_service's
	-- events (on_checklist_event, on_risk_event); onboarding_user cannot
	-- write them, and a new case starts without them (case_state_guard).
	checklist_status		text CHECK (checklist_status IN ('Completed', 'Reopened')),
	requires_manual_review	boolean,
	checklist_event_id		bigint,
	risk_event_id			bigint,
	attention_reasons		text[] NOT NULL DEFAULT '{}',
	-- Set by request_information(), cleared by the next submission: the
	-- workflow does not resubmit a case sent back for information.
	awaiting_information	boolean NOT NULL DEFAULT false,
	CONSTRAINT onboarding_cases_partner_reference_key UNIQUE (partner_id, partner_reference_id)
);

CREATE INDEX onboarding_cases_status_idx ON kyc_onboarding.onboarding_cases (status);
CREATE INDEX onboarding_cases_partner_id_idx ON kyc_onboarding.onboarding_cases (partner_id);
CREATE INDEX onboarding_cases_created_at_idx ON kyc_onboarding.onboarding_cases (created_at);
CREATE INDEX onboarding_cases_assigned_to_idx ON kyc_onboarding.onboarding_cases (assigned_to)
	WHERE assigned_to IS NOT NULL;

COMMENT ON TABLE kyc_onboarding.onboarding_cases IS
'Onboarding cases. status follows Draft -> InProgress -> PendingReview -> Approved | Rejected, enforced by a C trigger.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.status_changed_by IS
'Who made the last status change: transition()''s actor, else kyc.actor, else the PostgREST JWT subject, else session_user.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.status_reason IS
'Reason given to transition() for the last status change; required for Rejected.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.checklist_status IS
'The case''s checklist in checklist_service: Completed or Reopened, from its last checklist.completed or checklist.reopened event; NULL before any.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.requires_manual_review IS
'risk_service''s manual_review of the case''s completed assessment.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.checklist_event_id IS
'Id of the last checklist event applied (its source''s outbox id); older or repeated events are ignored.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.risk_event_id IS
'Id of the last risk event applied (risk.assessment_completed or rescored); not NULL once the assessment is completed.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.attention_reasons IS
'Why a reviewer must look again at a case under review: a reopened checklist, a risen risk level; oldest first. approve() is refused while any waits; acknowledge_attention() or request_information() clears them.';
COMMENT ON COLUMN kyc_onboarding.onboarding_cases.awaiting_information IS
'True from request_information() until the case is submitted again with transition(case_id, ''PendingReview''); the workflow does not resubmit it on its own.';

CREATE TABLE kyc_onboarding.applicants (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	case_uuid		uuid NOT NULL REFERENCES kyc_onboarding.onboarding_cases (id) ON DELETE CASCADE,
	first_name		varchar(100) NOT NULL CHECK (btrim(first_name) <> ''),
	last_name		varchar(100) NOT NULL CHECK (btrim(last_name) <> ''),
	date_of_birth	date,
	email			varchar(254),
	phone_number	varchar,
	nationality		varchar REFERENCES kyc_onboarding.countries (code),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	-- The case's public id (KYC-...), as every API names it; kept by
	-- applicant_guard from case_uuid, and an INSERT may give it instead.
	case_id			varchar(40) NOT NULL,
	-- The case's applicant, or a beneficial owner of a company, trust or
	-- partnership.
	role			text NOT NULL DEFAULT 'Applicant'
					CHECK (role IN ('Applicant', 'BeneficialOwner')),
	-- Other names the person is known by; risk_service screens them all.
	aliases			text[] NOT NULL DEFAULT '{}'
					CHECK (array_position(aliases, NULL) IS NULL),
	-- Personal data sealed at rest (pii.c): writers set date_of_birth and
	-- national_id_number, which applicant_guard seals into these and
	-- stores as NULL.  reveal() opens them; forget_subject() erases them.
	national_id_number	varchar(64),
	date_of_birth_sealed		text,
	national_id_number_sealed	text
);

CREATE INDEX applicants_case_uuid_idx ON kyc_onboarding.applicants (case_uuid);
CREATE INDEX applicants_case_id_idx ON kyc_onboarding.applicants (case_id);

COMMENT ON COLUMN kyc_onboarding.applicants.case_uuid IS
'The case''s internal uuid (onboarding_cases.id), the foreign key. Cases are named by their public KYC-... id in case_id.';
COMMENT ON COLUMN kyc_onboarding.applicants.case_id IS
'The case''s public id (onboarding_cases.case_id, KYC-...), kept in step with case_uuid by the applicant_guard trigger. An INSERT may give case_id instead of case_uuid.';
CREATE INDEX applicants_email_idx ON kyc_onboarding.applicants (lower(email));
COMMENT ON COLUMN kyc_onboarding.applicants.date_of_birth IS
'Written in the clear, stored as NULL: the applicant_guard trigger seals it into date_of_birth_sealed. Read it with kyc_onboarding.reveal(date_of_birth_sealed)::date.';
COMMENT ON COLUMN kyc_onboarding.applicants.national_id_number IS
'The number of the person''s national identity document. Written in the clear, stored as NULL: the applicant_guard trigger seals it into national_id_number_sealed.';
COMMENT ON COLUMN kyc_onboarding.applicants.date_of_birth_sealed IS
'date_of_birth sealed with AES-256-GCM under the case''s data key (pii:v1:date_of_birth:<case id>:<base64>). Events, projections and the audit log carry only this.';
COMMENT ON COLUMN kyc_onboarding.applicants.national_id_number_sealed IS
'national_id_number sealed with AES-256-GCM under the case''s data key.';

-- Each case's data key, wrapped with the master key (kyc.master_key_file);
-- a NULL wrapped_key is a case forgotten by forget_subject().  Only its
-- owner reads it: pii.c acts as the owner.  Never captured to the audit
-- log or sent in events, so destroying a key destroys every copy of it
-- outside old backups.
CREATE TABLE kyc_onboarding.case_keys (
	case_id			varchar(40) PRIMARY KEY,
	wrapped_key		bytea CHECK (octet_length(wrapped_key) = 60),
	created_at		timestamptz NOT NULL DEFAULT now(),
	shredded_at		timestamptz,
	shredded_by		text,
	CHECK ((wrapped_key IS NULL) = (shredded_at IS NOT NULL))
);
REVOKE ALL ON kyc_onboarding.case_keys FROM PUBLIC;
COMMENT ON TABLE kyc_onboarding.case_keys IS
'Each case''s AES-256 data key, wrapped (AES-256-GCM) with the master key that kyc.master_key_file names; wrapped_key is NULL once forget_subject() has destroyed it. Readable by its owner only.';

CREATE TABLE kyc_onboarding.addresses (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	applicant_id	uuid NOT NULL REFERENCES kyc_onboarding.applicants (id) ON DELETE CASCADE,
	type			text NOT NULL CHECK (type IN ('Residential', 'Business', 'Mailing')),
	street			varchar(200) NOT NULL,
	city			varchar(100) NOT NULL,
	state			varchar(100),
	postal_code		varchar(20),
	country			varchar NOT NULL REFERENCES kyc_onboarding.countries (code),
	is_primary		boolean NOT NULL DEFAULT false,
	-- The case's public id (KYC-...), kept from the applicant by the
	-- address_case_id trigger: the audit entry of an address deleted with
	-- its case still names the case.
	case_id			varchar(40) NOT NULL
);

COMMENT ON COLUMN kyc_onboarding.addresses.case_id IS
'The case''s public id (KYC-...), kept from the applicant by the address_case_id trigger; an INSERT may leave it out.';

CREATE INDEX addresses_applicant_id_idx ON kyc_onboarding.addresses (applicant_id);
-- The final guard for "at most one primary address per applicant"; the
-- address_guard trigger reports the same rule with a clearer message.
CREATE UNIQUE INDEX addresses_one_primary_per_applicant
	ON kyc_onboarding.addresses (applicant_id) WHERE is_primary;

SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.partners', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.onboarding_cases', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.applicants', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.addresses', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.case_keys', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.case_number_seq', '');

-- C trigger functions.
CREATE FUNCTION kyc_onboarding.case_state_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_case_state_guard' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
-- Trigger functions are the triggers' alone: nobody attaches them elsewhere.
REVOKE ALL ON FUNCTION kyc_onboarding.case_state_guard() FROM PUBLIC;
CREATE FUNCTION kyc_onboarding.case_events() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_case_events' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.case_events() FROM PUBLIC;
CREATE FUNCTION kyc_onboarding.applicant_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_applicant_guard' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.applicant_guard() FROM PUBLIC;
CREATE FUNCTION kyc_onboarding.address_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_address_guard' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.address_guard() FROM PUBLIC;
CREATE FUNCTION kyc_onboarding.applicant_events() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_applicant_events' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.applicant_events() FROM PUBLIC;

CREATE TRIGGER case_state_guard
	BEFORE INSERT OR UPDATE ON kyc_onboarding.onboarding_cases
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.case_state_guard();
CREATE TRIGGER case_events
	AFTER INSERT OR UPDATE ON kyc_onboarding.onboarding_cases
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.case_events();
CREATE TRIGGER applicant_guard
	BEFORE INSERT OR UPDATE ON kyc_onboarding.applicants
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.applicant_guard();
CREATE TRIGGER address_guard
	BEFORE INSERT OR UPDATE OR DELETE ON kyc_onboarding.addresses
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.address_guard();
-- Deferred to commit, so an applicant written with its addresses in one
-- transaction is announced once, in its final state.
CREATE CONSTRAINT TRIGGER applicant_events
	AFTER INSERT OR UPDATE OR DELETE ON kyc_onboarding.applicants
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.applicant_events();
CREATE CONSTRAINT TRIGGER address_events
	AFTER INSERT OR UPDATE OR DELETE ON kyc_onboarding.addresses
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.applicant_events();

-- The project's own error for a value outside a column's allowed list:
-- 23514 naming the column, the value and the allowed values (kyc_allowed.c).
-- Each CHECK constraint stays as the backstop; the lists must match it.
CREATE FUNCTION kyc_onboarding.allowed_values() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_allowed_values' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.allowed_values() FROM PUBLIC;
CREATE TRIGGER allowed_type
	BEFORE INSERT OR UPDATE OF type ON kyc_onboarding.onboarding_cases
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.allowed_values('type', 'Individual', 'Corporate', 'Trust', 'Partnership');
CREATE TRIGGER allowed_type
	BEFORE INSERT OR UPDATE OF type ON kyc_onboarding.addresses
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.allowed_values('type', 'Residential', 'Business', 'Mailing');
CREATE TRIGGER allowed_checklist_status
	BEFORE INSERT OR UPDATE OF checklist_status ON kyc_onboarding.onboarding_cases
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.allowed_values('checklist_status', 'Completed', 'Reopened');
CREATE TRIGGER allowed_role
	BEFORE INSERT OR UPDATE OF role ON kyc_onboarding.applicants
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.allowed_values('role', 'Applicant', 'BeneficialOwner');
CREATE TRIGGER allowed_risk_level
	BEFORE INSERT OR UPDATE OF risk_level ON kyc_onboarding.onboarding_cases
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.allowed_values('risk_level', 'Low', 'MediumLow', 'Medium', 'MediumHigh', 'High');

-- A child row keeps its case's public id from its parent
-- (kyc_parent_case.c).
CREATE FUNCTION kyc_onboarding.inherit_case_id() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_inherit_case_id' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.inherit_case_id() FROM PUBLIC;
CREATE TRIGGER address_case_id
	BEFORE INSERT OR UPDATE OF applicant_id, case_id ON kyc_onboarding.addresses
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.inherit_case_id('applicant_id', 'kyc_onboarding.applicants', 'id');

-- Field checks clients can call before submitting a form.
CREATE FUNCTION kyc_onboarding.is_valid_email(email text) RETURNS boolean
AS 'MODULE_PATHNAME', 'kyc_onboarding_is_valid_email' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION kyc_onboarding.is_valid_phone(phone text) RETURNS boolean
AS 'MODULE_PATHNAME', 'kyc_onboarding_is_valid_phone' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- Move a case to new_status, recording who and why.
CREATE FUNCTION kyc_onboarding.transition(case_id text, new_status text,
										  actor text DEFAULT NULL, reason text DEFAULT NULL)
RETURNS kyc_onboarding.onboarding_cases
AS 'MODULE_PATHNAME', 'kyc_onboarding_transition' LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION kyc_onboarding.transition(text, text, text, text) IS
'Move a case to new_status. Fails with SQLSTATE 23514 and a hint listing the allowed next states when the move is not allowed; Rejected needs a reason.';

-- Check one JSON object of create_case(): what names it in messages
-- (applicant, applicant.addresses[2]), the keys it may have, and the keys
-- it must have.  An unknown key is refused (22023) rather than dropped, so
-- a misspelt "emial" is not an applicant stored without an email.
CREATE FUNCTION kyc_onboarding.check_json_fields(obj jsonb, what text, allowed text[],
												 required text[], tbl text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	unknown text;
	missing text;
BEGIN
	IF jsonb_typeof(obj) IS DISTINCT FROM 'object' THEN
		RAISE EXCEPTION '% must be a JSON object, not %', what, coalesce(jsonb_typeof(obj), 'null')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = format('Pass {"%s": ...}.', array_to_string(required, '": ..., "'));
	END IF;
	SELECT string_agg(format('"%s"', k), ', ' ORDER BY k) INTO unknown
	FROM jsonb_object_keys(obj) AS k WHERE k <> ALL (allowed);
	IF unknown IS NOT NULL THEN
		RAISE EXCEPTION '% has unknown key%: %', what,
			CASE WHEN unknown LIKE '%,%' THEN 's' ELSE '' END, unknown
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Keys are matched exactly (case-sensitive); an unknown key is refused, never dropped.',
				  HINT = format('Allowed keys of %s: %s.', what, array_to_string(allowed, ', '));
	END IF;
	SELECT k INTO missing FROM unnest(required) AS k
	WHERE coalesce(jsonb_typeof(obj -> k), 'null') = 'null' LIMIT 1;
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION '%.% is required', what, missing
			USING ERRCODE = 'not_null_violation', SCHEMA = 'kyc_onboarding', TABLE = tbl,
				  COLUMN = missing,
				  HINT = format('Required keys of %s: %s.', what, array_to_string(required, ', '));
	END IF;
END
$fn$;

REVOKE ALL ON FUNCTION kyc_onboarding.check_json_fields(jsonb, text, text[], text[], text) FROM PUBLIC;

-- A text value, refused with an error naming what (a column or an argument) when
-- it is longer than max_length characters: PostgreSQL's own "value too
-- long for type character varying(n)" names neither.  Returns value.
CREATE FUNCTION kyc_onboarding.check_length(value text, max_length integer, what text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
	IF char_length(value) > max_length THEN
		RAISE EXCEPTION '% is % characters long, at most %', what, char_length(value), max_length
			USING ERRCODE = 'string_data_right_truncation';
	END IF;
	RETURN value;
END
$fn$;
REVOKE ALL ON FUNCTION kyc_onboarding.check_length(text, integer, text) FROM PUBLIC;

-- The values of a person object (create_case()'s applicant or a beneficial
-- owner, api.update_applicant()'s changes), named what in messages: each a
-- JSON string, never a number, array or object taken as its text; at most
-- its column's length; a date of birth an ISO 8601 date that exists.  The
-- date itself is not shown: it is personal data.
CREATE FUNCTION kyc_onboarding.check_person_values(person jsonb, what text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	k text;
	max_length integer;
	v jsonb;
BEGIN
	FOR k, max_length IN
		SELECT * FROM (VALUES ('first_name', 100), ('last_name', 100), ('date_of_birth', 10),
							  ('national_id_number', 64), ('email', 254), ('phone_number', NULL),
							  ('nationality', NULL)) AS c(k, max_length)
	LOOP
		v := person -> k;
		CONTINUE WHEN v IS NULL OR v = 'null';
		IF jsonb_typeof(v) <> 'string' THEN
			RAISE EXCEPTION '%.% must be a JSON string, not %', what, k, jsonb_typeof(v)
				USING ERRCODE = 'invalid_parameter_value',
					  SCHEMA = 'kyc_onboarding', TABLE = 'applicants', COLUMN = k,
					  HINT = format('Pass "%s": "...".', k);
		END IF;
		IF char_length(v #>> '{}') > max_length THEN
			RAISE EXCEPTION '%.% is % characters long, at most %', what, k, char_length(v #>> '{}'), max_length
				USING ERRCODE = 'string_data_right_truncation',
					  SCHEMA = 'kyc_onboarding', TABLE = 'applicants', COLUMN = k;
		END IF;
	END LOOP;
	v := person -> 'date_of_birth';
	IF v IS NOT NULL AND v <> 'null' THEN
		-- ISO 8601 only: "10/12/1985" means two dates, depending on DateStyle.
		IF v #>> '{}' !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
			RAISE EXCEPTION '%.date_of_birth is not an ISO 8601 date', what
				USING ERRCODE = 'invalid_datetime_format',
					  SCHEMA = 'kyc_onboarding', TABLE = 'applicants', COLUMN = 'date_of_birth',
					  HINT = 'Write dates as YYYY-MM-DD, as in "1985-12-10"; no other form is read.';
		END IF;
		BEGIN
			PERFORM (v #>> '{}')::date;
		EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
			RAISE EXCEPTION '%.date_of_birth is not a date that exists', what
				USING ERRCODE = 'datetime_field_overflow',
					  SCHEMA = 'kyc_onboarding', TABLE = 'applicants', COLUMN = 'date_of_birth',
					  HINT = 'Check the month and the day: YYYY-MM-DD.';
		END;
	END IF;
END
$fn$;
REVOKE ALL ON FUNCTION kyc_onboarding.check_person_values(jsonb, text) FROM PUBLIC;

-- Check one person object of create_case(), the applicant or a
-- beneficial owner, named what in messages: its keys, its ISO date of
-- birth, its aliases (an array of non-blank strings) and its addresses.
CREATE FUNCTION kyc_onboarding.check_person_json(person jsonb, what text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	address jsonb;
	alias jsonb;
	n integer := 0;
BEGIN
	PERFORM kyc_onboarding.check_json_fields(person, what,
		ARRAY['first_name', 'last_name', 'date_of_birth', 'national_id_number', 'email',
			  'phone_number', 'nationality', 'aliases', 'addresses'],
		ARRAY['first_name', 'last_name'], 'applicants');
	PERFORM kyc_onboarding.check_person_values(person, what);
	IF person ? 'aliases' AND jsonb_typeof(person -> 'aliases') <> 'array' THEN
		RAISE EXCEPTION '%.aliases must be a JSON array of names, not %', what,
			jsonb_typeof(person -> 'aliases')
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'Pass "aliases": ["Ada King", "Augusta Ada Byron"], or leave the key out.';
	END IF;
	FOR alias IN SELECT a FROM jsonb_array_elements(coalesce(person -> 'aliases', '[]')) AS a
	LOOP
		n := n + 1;
		IF jsonb_typeof(alias) <> 'string' OR btrim(alias #>> '{}') = '' THEN
			RAISE EXCEPTION '%.aliases[%] must be a non-blank string, not %', what, n, alias::text
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Each alias is a name, as in "Ada King".';
		END IF;
	END LOOP;
	IF person ? 'addresses' AND jsonb_typeof(person -> 'addresses') <> 'array' THEN
		RAISE EXCEPTION '%.addresses must be a JSON array', what
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	n := 0;
	FOR address IN SELECT a FROM jsonb_array_elements(coalesce(person -> 'addresses', '[]')) AS a
	LOOP
		n := n + 1;
		PERFORM kyc_onboarding.check_json_fields(address,
			format('%s.addresses[%s]', what, n),
			ARRAY['type', 'street', 'city', 'state', 'postal_code', 'country', 'is_primary'],
			ARRAY['type', 'street', 'city', 'country'], 'addresses');
	END LOOP;
END
$fn$;

REVOKE ALL ON FUNCTION kyc_onboarding.check_person_json(jsonb, text) FROM PUBLIC;

-- Create a Draft case, optionally with its applicant and the applicant's
-- addresses, in one call.  applicant is an object with the applicants
-- columns, an optional "aliases" array and an optional "addresses" array of
-- addresses objects.  details holds what a company, trust or partnership
-- has besides: company_name, industry_code and beneficial_owners (person
-- objects like applicant, stored as applicants with role BeneficialOwner).
CREATE FUNCTION kyc_onboarding.create_case(type text,
										   partner_id text DEFAULT NULL,
										   partner_reference_id text DEFAULT NULL,
										   applicant jsonb DEFAULT NULL,
										   details jsonb DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	new_case kyc_onboarding.onboarding_cases;
	new_applicant_id uuid;
	person record;
	n integer := 0;
BEGIN
	PERFORM kyc_onboarding.check_length(create_case.partner_id, 100, 'partner_id'),
			kyc_onboarding.check_length(create_case.partner_reference_id, 200, 'partner_reference_id');
	IF applicant IS NOT NULL THEN
		PERFORM kyc_onboarding.check_person_json(applicant, 'applicant');
	END IF;
	IF details IS NOT NULL THEN
		PERFORM kyc_onboarding.check_json_fields(details, 'details',
			ARRAY['company_name', 'industry_code', 'beneficial_owners'],
			ARRAY[]::text[], 'onboarding_cases');
		IF create_case.type = 'Individual' AND (details ? 'company_name' OR details ? 'beneficial_owners') THEN
			RAISE EXCEPTION 'an Individual case has no %',
				CASE WHEN details ? 'company_name' THEN 'company_name' ELSE 'beneficial_owners' END
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'company_name and beneficial_owners describe a company, trust or partnership.',
					  HINT = 'Create the case as Corporate, Trust or Partnership, or leave these keys out.';
		END IF;
		IF jsonb_typeof(details -> 'company_name') NOT IN ('string', 'null')
		   OR jsonb_typeof(details -> 'industry_code') NOT IN ('string', 'null') THEN
			RAISE EXCEPTION 'details.% must be a JSON string',
				CASE WHEN jsonb_typeof(details -> 'company_name') NOT IN ('string', 'null')
					 THEN 'company_name' ELSE 'industry_code' END
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		PERFORM kyc_onboarding.check_length(details ->> 'company_name', 200, 'details.company_name'),
				kyc_onboarding.check_length(details ->> 'industry_code', 20, 'details.industry_code');
		IF details ? 'beneficial_owners' AND jsonb_typeof(details -> 'beneficial_owners') <> 'array' THEN
			RAISE EXCEPTION 'details.beneficial_owners must be a JSON array of person objects'
				USING ERRCODE = 'invalid_parameter_value',
					  HINT = 'Pass "beneficial_owners": [{"first_name": ..., "last_name": ...}].';
		END IF;
		FOR person IN SELECT p FROM jsonb_array_elements(coalesce(details -> 'beneficial_owners', '[]')) AS p
		LOOP
			n := n + 1;
			PERFORM kyc_onboarding.check_person_json(person.p, format('details.beneficial_owners[%s]', n));
		END LOOP;
	END IF;

	INSERT INTO kyc_onboarding.onboarding_cases
		(type, partner_id, partner_reference_id, company_name, industry_code)
	VALUES (create_case.type, create_case.partner_id, create_case.partner_reference_id,
			details ->> 'company_name', details ->> 'industry_code')
	RETURNING * INTO new_case;

	-- The applicant first, then each beneficial owner in the given order.
	FOR person IN
		SELECT applicant AS p, 'Applicant' AS role, 0 AS ord WHERE applicant IS NOT NULL
		UNION ALL
		SELECT b.p, 'BeneficialOwner', b.ord
		FROM jsonb_array_elements(coalesce(details -> 'beneficial_owners', '[]'))
			 WITH ORDINALITY AS b(p, ord)
		ORDER BY 3
	LOOP
		INSERT INTO kyc_onboarding.applicants
			(case_uuid, first_name, last_name, date_of_birth, national_id_number, email,
			 phone_number, nationality, role, aliases)
		SELECT new_case.id, r.first_name, r.last_name, r.date_of_birth, r.national_id_number,
			   r.email, r.phone_number, r.nationality, person.role, coalesce(r.aliases, '{}')
		FROM jsonb_populate_record(NULL::kyc_onboarding.applicants, person.p) AS r
		RETURNING id INTO new_applicant_id;

		INSERT INTO kyc_onboarding.addresses
			(applicant_id, type, street, city, state, postal_code, country, is_primary)
		SELECT new_applicant_id, r.type, r.street, r.city, r.state, r.postal_code,
			   r.country, coalesce(r.is_primary, false)
		FROM jsonb_populate_recordset(NULL::kyc_onboarding.addresses,
									  coalesce(person.p -> 'addresses', '[]')) AS r;
	END LOOP;
	RETURN new_case.case_id;
END
$fn$;

COMMENT ON FUNCTION kyc_onboarding.create_case(text, text, text, jsonb, jsonb) IS
'Create a Draft case, optionally with its applicant and addresses, and for a company, trust or partnership its details and beneficial owners; returns the new case id.';

-- Service roles are granted what they need by make provision, nothing more.
REVOKE ALL ON FUNCTION kyc_onboarding.transition(text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_onboarding.create_case(text, text, text, jsonb, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_onboarding.next_case_id() FROM PUBLIC;

------------------------------------------------------------------------
-- The workflow: checklist_service's and risk_service's results on the
-- case, through the relay (subscribe.sql), and automatic submission.
------------------------------------------------------------------------

-- Whether risk_service's result reflects each case's latest data
-- (risk_sync.c): the id of the last event onboarding emitted that
-- risk_service assesses the case by, and the highest risk_service says it
-- has applied (risk.subjects_applied).  Written by the event triggers and
-- the risk handler, as the owner; a case without a row has nothing pending.
-- Events are compared by their position in the outbox, (xid, id): the
-- relay delivers in that order, and an id alone is not commit order.
CREATE TABLE kyc_onboarding.risk_sync (
	case_id				varchar(40) PRIMARY KEY
						REFERENCES kyc_onboarding.onboarding_cases (case_id) ON DELETE CASCADE,
	data_xid			xid8 NOT NULL DEFAULT '0',
	data_event_id		bigint NOT NULL DEFAULT 0,
	risk_seen_xid		xid8 NOT NULL DEFAULT '0',
	risk_seen_event_id	bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE kyc_onboarding.risk_sync IS
'Per case: (data_xid, data_event_id), the outbox position of the last onboarding event risk_service assesses the case by (case.created, applicant.updated, applicant.removed, a case.updated of type, company_name or industry_code); (risk_seen_xid, risk_seen_event_id), the furthest risk_service reports applied. The workflow submits, and approve() approves, only when the second reaches the first.';
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.risk_sync', '');

-- Submit an InProgress case whose checklist is complete and whose risk
-- assessment is completed, unless risk_service asks for a manual review
-- (workflow.c), whichever came last: a handler's
-- update or the move to InProgress.  After kyc_capture, so the audit log
-- records the row that fired it before the submission.
CREATE FUNCTION kyc_onboarding.workflow_submit() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_workflow_submit' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.workflow_submit() FROM PUBLIC;
CREATE TRIGGER workflow_submit
	AFTER UPDATE ON kyc_onboarding.onboarding_cases
	FOR EACH ROW
	WHEN (NEW.status = 'InProgress' AND NEW.checklist_status = 'Completed'
		  AND NEW.risk_event_id IS NOT NULL AND NEW.requires_manual_review IS NOT TRUE
		  AND NOT NEW.awaiting_information)
	EXECUTE FUNCTION kyc_onboarding.workflow_submit();

-- Submit the case as the workflow if it is ready (workflow.c), for the
-- risk handler: risk.subjects_applied changes no case column.
CREATE FUNCTION kyc_onboarding.submit_if_ready(case_uuid uuid) RETURNS void
AS 'MODULE_PATHNAME', 'kyc_onboarding_submit_if_ready' LANGUAGE C VOLATILE STRICT
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.submit_if_ready(uuid) FROM PUBLIC;

-- For a handler: refuse the call unless the relay is delivering e to
-- handler, then lock and return the case e names (payload case_id); all
-- NULL when this database does not hold it.
CREATE FUNCTION kyc_onboarding.event_case(e kyc_events.event, handler regprocedure, topics text[])
RETURNS kyc_onboarding.onboarding_cases
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	c kyc_onboarding.onboarding_cases;
BEGIN
	PERFORM kyc_events.require_delivery(e, handler, topics);
	SELECT * INTO c FROM kyc_onboarding.onboarding_cases
	WHERE case_id = e.payload ->> 'case_id' FOR NO KEY UPDATE;
	RETURN c;
END
$fn$;
REVOKE ALL ON FUNCTION kyc_onboarding.event_case(kyc_events.event, regprocedure, text[]) FROM PUBLIC;

-- checklist.completed / checklist.reopened of checklist_service: the case's
-- checklist_status.  A reopened checklist of a case under review asks the
-- reviewer's attention (case.attention_required); the case stays where it
-- is.  Idempotent: an event whose id is not above the last applied one is
-- a repeat or stale, and changes nothing.  A checklist of a case this
-- database does not hold is ignored.
CREATE FUNCTION kyc_onboarding.on_checklist_event(e kyc_events.event)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	c kyc_onboarding.onboarding_cases;
	new_status text := CASE e.topic WHEN 'checklist.completed' THEN 'Completed' ELSE 'Reopened' END;
BEGIN
	c := kyc_onboarding.event_case(e, 'kyc_onboarding.on_checklist_event(kyc_events.event)',
								   '{checklist.completed,checklist.reopened}');
	IF c.id IS NULL OR c.checklist_event_id >= e.id THEN
		RETURN;
	END IF;
	UPDATE kyc_onboarding.onboarding_cases
	SET checklist_status = new_status,
		checklist_event_id = e.id,
		attention_reasons = CASE WHEN c.status = 'PendingReview' AND new_status = 'Reopened'
			THEN kyc_onboarding.with_attention(attention_reasons, format('checklist reopened: item %s is %s (event %s of %s)',
				e.payload #>> '{item,code}', e.payload #>> '{item,status}', e.id, e.source))
			ELSE attention_reasons END
	WHERE id = c.id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc_onboarding.on_checklist_event(kyc_events.event) FROM PUBLIC;

-- A case's attention reasons with reason added, the newest 20 kept: each
-- reason is also announced (case.attention_required) and audited, and the
-- row travels in every case event, so it must not grow without bound.
CREATE FUNCTION kyc_onboarding.with_attention(reasons text[], reason text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT (reasons || reason)[greatest(cardinality(reasons) - 18, 1):cardinality(reasons) + 1]
$$;
REVOKE ALL ON FUNCTION kyc_onboarding.with_attention(text[], text) FROM PUBLIC;

-- risk.assessment_completed / risk.assessment_rescored of risk_service:
-- the case's risk_level, risk_score and requires_manual_review.
-- risk.subjects_applied: risk_service has applied onboarding's event
-- event_id to the case, so its results reflect the data up to there
-- (risk_sync); the case is submitted if that was all it waited for.  A risk
-- level that rises while the case is under review, a first result for a
-- case submitted without one, and a manual review newly asked for, each
-- ask the reviewer's attention.  Idempotent and stale-proof as
-- on_checklist_event.
CREATE FUNCTION kyc_onboarding.on_risk_event(e kyc_events.event)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
	c kyc_onboarding.onboarding_cases;
	levels CONSTANT text[] := ARRAY['Low', 'MediumLow', 'Medium', 'MediumHigh', 'High'];
	new_level text := e.payload ->> 'level';
	new_review boolean := (e.payload ->> 'manual_review')::boolean;
	reason text;
BEGIN
	c := kyc_onboarding.event_case(e, 'kyc_onboarding.on_risk_event(kyc_events.event)',
								   '{risk.assessment_completed,risk.assessment_rescored,risk.subjects_applied}');
	IF c.id IS NULL THEN
		RETURN;
	END IF;
	IF e.topic = 'risk.subjects_applied' THEN
		INSERT INTO kyc_onboarding.risk_sync AS s (case_id, risk_seen_xid, risk_seen_event_id)
		VALUES (c.case_id, (e.payload->>'xid')::xid8, (e.payload->>'event_id')::bigint)
		ON CONFLICT (case_id) DO UPDATE
		SET risk_seen_xid = excluded.risk_seen_xid, risk_seen_event_id = excluded.risk_seen_event_id
		WHERE (excluded.risk_seen_xid, excluded.risk_seen_event_id) > (s.risk_seen_xid, s.risk_seen_event_id);
		PERFORM kyc_onboarding.submit_if_ready(c.id);
		RETURN;
	END IF;
	IF c.risk_event_id >= e.id THEN
		RETURN;
	END IF;
	IF c.status = 'PendingReview' THEN
		IF c.risk_event_id IS NULL THEN
			reason := format('risk result arrived after submission: level %s, score %s (event %s of %s)',
							 new_level, e.payload ->> 'score', e.id, e.source);
		ELSIF array_position(levels, new_level) > array_position(levels, c.risk_level) THEN
			reason := format('risk level rose from %s to %s (score %s; event %s of %s)',
							 c.risk_level, new_level, e.payload ->> 'score', e.id, e.source);
		ELSIF new_review AND c.requires_manual_review IS NOT TRUE THEN
			reason := format('risk_service now asks for a manual review at level %s (event %s of %s)',
							 new_level, e.id, e.source);
		END IF;
	END IF;
	UPDATE kyc_onboarding.onboarding_cases
	SET risk_level = new_level,
		risk_score = (e.payload ->> 'score')::numeric,
		requires_manual_review = new_review,
		risk_event_id = e.id,
		attention_reasons = CASE WHEN reason IS NULL THEN attention_reasons
			ELSE kyc_onboarding.with_attention(attention_reasons, reason) END
	WHERE id = c.id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc_onboarding.on_risk_event(kyc_events.event) FROM PUBLIC;

------------------------------------------------------------------------
-- Decisions: a reviewer assigns, acknowledges, approves (four eyes),
-- rejects, or asks for information (decisions.c).  Each is a row of
-- case_decisions, whose trigger checks the rules and applies it.
------------------------------------------------------------------------

-- Who created, edited or submitted each case, kept by triggers
-- (contributors.c): none of them may approve it.
CREATE TABLE kyc_onboarding.case_contributors (
	case_id			varchar(40) NOT NULL
					REFERENCES kyc_onboarding.onboarding_cases (case_id) ON DELETE CASCADE,
	actor			text NOT NULL,
	contribution	text NOT NULL CHECK (contribution IN ('Edited', 'Submitted')),
	first_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (case_id, actor, contribution)
);

COMMENT ON TABLE kyc_onboarding.case_contributors IS
'Who created or edited a case, its applicants or addresses (Edited), and who submitted it (Submitted); written by triggers. Four eyes: none of them may approve the case.';

CREATE TABLE kyc_onboarding.case_decisions (
	id						bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id					varchar(40) NOT NULL
							REFERENCES kyc_onboarding.onboarding_cases (case_id) ON DELETE CASCADE,
	decision				text NOT NULL
							CHECK (decision IN ('Assign', 'Acknowledge', 'Approve', 'Reject', 'RequestInformation')),
	-- The reviewer deciding (for Assign, the assignee).
	reviewer				varchar(200) NOT NULL CHECK (btrim(reviewer) <> ''),
	notes					text,
	-- Stamped by decision_guard: who inserted the row, what the case was.
	decided_by				text NOT NULL,
	decided_at				timestamptz NOT NULL DEFAULT now(),
	submitted_at			timestamptz,
	risk_level				text,
	requires_manual_review	boolean NOT NULL,
	approvals_needed		smallint,
	approval_number			smallint,
	acknowledged_reasons	text[],
	case_status				text NOT NULL
);

CREATE INDEX case_decisions_case_id_idx ON kyc_onboarding.case_decisions (case_id, decision);

COMMENT ON TABLE kyc_onboarding.case_decisions IS
'Every reviewer decision on a case, in order: Assign, Acknowledge (attention reasons), Approve, Reject, RequestInformation. Rows come from approve(), reject() and the other decision functions, or an INSERT held to the same rules; they are never changed.';
COMMENT ON COLUMN kyc_onboarding.case_decisions.approval_number IS
'For an approval: which approval of the case''s submission it is; the case is Approved when it reaches approvals_needed (2 at risk level High or with a manual review, else 1).';

SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.case_contributors', '');
SELECT pg_catalog.pg_extension_config_dump('kyc_onboarding.case_decisions', '');

CREATE FUNCTION kyc_onboarding.case_contributions() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_case_contributions' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.case_contributions() FROM PUBLIC;
CREATE TRIGGER case_contributions_insert
	AFTER INSERT ON kyc_onboarding.onboarding_cases
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.case_contributions();
CREATE TRIGGER case_contributions_update
	AFTER UPDATE ON kyc_onboarding.onboarding_cases
	FOR EACH ROW
	WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.type IS DISTINCT FROM NEW.type
		  OR OLD.partner_id IS DISTINCT FROM NEW.partner_id
		  OR OLD.partner_reference_id IS DISTINCT FROM NEW.partner_reference_id
		  OR OLD.company_name IS DISTINCT FROM NEW.company_name
		  OR OLD.industry_code IS DISTINCT FROM NEW.industry_code)
	EXECUTE FUNCTION kyc_onboarding.case_contributions();

CREATE FUNCTION kyc_onboarding.decision_guard() RETURNS trigger
AS 'MODULE_PATHNAME', 'kyc_onboarding_decision_guard' LANGUAGE C
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.decision_guard() FROM PUBLIC;
CREATE TRIGGER allowed_decision
	BEFORE INSERT OR UPDATE OF decision ON kyc_onboarding.case_decisions
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.allowed_values('decision', 'Assign', 'Acknowledge', 'Approve', 'Reject', 'RequestInformation');
CREATE TRIGGER decision_guard
	BEFORE INSERT ON kyc_onboarding.case_decisions
	FOR EACH ROW EXECUTE FUNCTION kyc_onboarding.decision_guard();

-- The decision functions: each inserts its case_decisions row, whose
-- trigger checks the rules, and returns the row.
CREATE FUNCTION kyc_onboarding.assign(case_id text, reviewer text)
RETURNS kyc_onboarding.case_decisions
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer)
	VALUES (kyc_onboarding.check_length($1, 40, 'case_id'), 'Assign', kyc_onboarding.check_length($2, 200, 'reviewer')) RETURNING *
$$;
COMMENT ON FUNCTION kyc_onboarding.assign(text, text) IS
'Assign a case that is not decided to reviewer (assigned_to).';

CREATE FUNCTION kyc_onboarding.acknowledge_attention(case_id text, reviewer text, notes text DEFAULT NULL)
RETURNS kyc_onboarding.case_decisions
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer, notes)
	VALUES (kyc_onboarding.check_length($1, 40, 'case_id'), 'Acknowledge', kyc_onboarding.check_length($2, 200, 'reviewer'), $3) RETURNING *
$$;
COMMENT ON FUNCTION kyc_onboarding.acknowledge_attention(text, text, text) IS
'The reviewer has seen the attention reasons of a case under review: they are cleared (and kept in the decision row), and approvals given before them no longer count.';

CREATE FUNCTION kyc_onboarding.approve(case_id text, reviewer text, notes text DEFAULT NULL)
RETURNS kyc_onboarding.case_decisions
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer, notes)
	VALUES (kyc_onboarding.check_length($1, 40, 'case_id'), 'Approve', kyc_onboarding.check_length($2, 200, 'reviewer'), $3) RETURNING *
$$;
COMMENT ON FUNCTION kyc_onboarding.approve(text, text, text) IS
'Approve a case under review. Refused (55000) unless its checklist is complete, its risk assessment completed and no attention reason waits; four eyes: a High or manual-review case needs two different approvers, and none may have created, edited or submitted it.';

CREATE FUNCTION kyc_onboarding.reject(case_id text, reviewer text, reason text)
RETURNS kyc_onboarding.case_decisions
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer, notes)
	VALUES (kyc_onboarding.check_length($1, 40, 'case_id'), 'Reject', kyc_onboarding.check_length($2, 200, 'reviewer'), $3) RETURNING *
$$;
COMMENT ON FUNCTION kyc_onboarding.reject(text, text, text) IS
'Reject a case under review, with a reason.';

CREATE FUNCTION kyc_onboarding.request_information(case_id text, reviewer text, reason text)
RETURNS kyc_onboarding.case_decisions
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
	INSERT INTO kyc_onboarding.case_decisions (case_id, decision, reviewer, notes)
	VALUES (kyc_onboarding.check_length($1, 40, 'case_id'), 'RequestInformation', kyc_onboarding.check_length($2, 200, 'reviewer'), $3) RETURNING *
$$;
COMMENT ON FUNCTION kyc_onboarding.request_information(text, text, text) IS
'Send a case under review back to InProgress with the reason; it waits there until submitted again with transition(case_id, ''PendingReview'').';

REVOKE ALL ON FUNCTION kyc_onboarding.assign(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_onboarding.acknowledge_attention(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_onboarding.approve(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_onboarding.reject(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION kyc_onboarding.request_information(text, text, text) FROM PUBLIC;

-- Personal data sealed at rest (pii.c, docs/kyc_onboarding.md).
CREATE FUNCTION kyc_onboarding.reveal(sealed text)
RETURNS text
AS 'MODULE_PATHNAME', 'kyc_onboarding_reveal'
LANGUAGE C STABLE STRICT
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.reveal(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_onboarding.reveal(text) IS
'The plain value of a sealed personal-data column (date_of_birth_sealed, national_id_number_sealed) for a caller who may read its case; NULL once the case is forgotten. A case the caller may not read is "not found" (P0002).';

CREATE FUNCTION kyc_onboarding.forget_subject(case_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'kyc_onboarding_forget_subject'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION kyc_onboarding.forget_subject(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc_onboarding.forget_subject(text) IS
'Crypto-shredding of the case''s sealed fields (dates of birth, national id and document numbers): destroys the case''s data key, so their sealed copies (rows, events, projections, audit log) no longer open; names and contact data stay. The audit chain still verifies: it hashed the ciphertext. Emits case.forgotten. Idempotent; returns case_id, forgotten_at and requested_by. Superusers only; compliance officers through api.forget_subject().';
