-- kyc_onboarding and kyc_events in the onboarding database: the seed's
-- schema, the contract's names, and onboarding_user's privileges.
\c onboarding
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(57 + 10 + 3 + 2 + 14 + 1);

SELECT has_extension('kyc_events', 'kyc_events is installed');
SELECT has_extension('kyc_onboarding', 'kyc_onboarding is installed');
SELECT has_schema('kyc_onboarding');
SELECT tables_are('kyc_onboarding', ARRAY['onboarding_cases', 'applicants', 'addresses', 'countries', 'partners',
									 'case_decisions', 'case_contributors', 'risk_sync', 'case_keys']);

-- Every seed column, with the contract's types.
SELECT has_column('kyc_onboarding', 'onboarding_cases', c, 'onboarding_cases.' || c)
FROM unnest(ARRAY['id', 'case_id', 'type', 'status', 'partner_id', 'partner_reference_id',
				  'created_at', 'updated_at', 'submitted_at', 'approved_at', 'rejected_at',
				  'risk_level', 'risk_score', 'assigned_to', 'assigned_at']) c;
SELECT has_column('kyc_onboarding', 'applicants', c, 'applicants.' || c)
FROM unnest(ARRAY['id', 'case_id', 'first_name', 'last_name', 'date_of_birth', 'email',
				  'phone_number', 'nationality', 'created_at']) c;
SELECT has_column('kyc_onboarding', 'addresses', c, 'addresses.' || c)
FROM unnest(ARRAY['id', 'applicant_id', 'type', 'street', 'city', 'state', 'postal_code',
				  'country', 'is_primary']) c;
SELECT col_type_is('kyc_onboarding', 'onboarding_cases', 'id', 'uuid', 'case id is a uuid');
SELECT col_type_is('kyc_onboarding', 'onboarding_cases', 'created_at', 'timestamp with time zone', 'timestamps are timestamptz');
SELECT col_type_is('kyc_onboarding', 'onboarding_cases', 'risk_score', 'numeric(5,2)', 'risk_score is numeric');
SELECT col_type_is('kyc_onboarding', 'onboarding_cases', 'status', 'text', 'status is text with a CHECK');
SELECT fk_ok('kyc_onboarding', 'applicants', 'case_uuid', 'kyc_onboarding', 'onboarding_cases', 'id');
SELECT fk_ok('kyc_onboarding', 'addresses', 'applicant_id', 'kyc_onboarding', 'applicants', 'id');
SELECT has_index('kyc_onboarding', 'addresses', 'addresses_one_primary_per_applicant', 'one primary address index');
SELECT has_trigger('kyc_onboarding', 'onboarding_cases', 'case_state_guard', 'state machine trigger');

-- Issue 12: partners, a company's details, beneficial owners and aliases,
-- and the workflow's columns, which only its handlers write.
SELECT columns_are('kyc_onboarding', 'partners', ARRAY['partner_id', 'name', 'created_at']);
SELECT fk_ok('kyc_onboarding', 'onboarding_cases', 'partner_id', 'kyc_onboarding', 'partners', 'partner_id');
SELECT has_column('kyc_onboarding', 'onboarding_cases', c, 'onboarding_cases.' || c)
FROM unnest(ARRAY['company_name', 'industry_code', 'checklist_status', 'requires_manual_review',
				  'checklist_event_id', 'risk_event_id', 'attention_reasons']) c;
SELECT col_type_is('kyc_onboarding', 'onboarding_cases', 'company_name', 'character varying(200)', 'company_name is varchar(200)');
SELECT col_type_is('kyc_onboarding', 'applicants', 'aliases', 'text[]', 'aliases is text[]');
SELECT col_default_is('kyc_onboarding', 'applicants', 'role', 'Applicant', 'an applicant''s role defaults to Applicant');
SELECT table_privs_are('kyc_onboarding', 'partners', 'onboarding_user', ARRAY['SELECT'], 'onboarding_user reads partners, never writes them');
SELECT table_privs_are('kyc_onboarding', 'case_keys', 'onboarding_user', ARRAY[]::text[], 'onboarding_user has no right on the data keys');
SELECT has_trigger('kyc_onboarding', 'onboarding_cases', 'workflow_submit', 'automatic submission trigger');

-- The outbox and the API functions.
SELECT columns_are('kyc_events', 'outbox',
	ARRAY['id', 'xid', 'topic', 'aggregate_id', 'payload', 'headers', 'created_at']);
SELECT col_type_is('kyc_events', 'outbox', 'xid', 'xid8', 'outbox.xid is xid8');
SELECT function_returns('kyc_events', 'emit', ARRAY['text', 'text', 'jsonb'], 'bigint');
SELECT function_returns('kyc_onboarding', 'transition', ARRAY['text', 'text', 'text', 'text'], 'kyc_onboarding.onboarding_cases');
SELECT function_returns('kyc_onboarding', 'create_case', ARRAY['text', 'text', 'text', 'jsonb', 'jsonb'], 'text');

-- onboarding_user: create and update, never delete a regulated record;
-- emit events, never write the outbox directly.  Of a case it updates only
-- what a client decides: not its partner, not the risk service's result.
SELECT table_privs_are('kyc_onboarding', 'onboarding_cases', 'onboarding_user', ARRAY['SELECT', 'INSERT']);
SELECT is((SELECT array_agg(attname::text ORDER BY attname) FROM pg_attribute
		   WHERE attrelid = 'kyc_onboarding.onboarding_cases'::regclass AND attnum > 0 AND NOT attisdropped
			 AND has_column_privilege('onboarding_user', attrelid, attnum, 'UPDATE')),
		  ARRAY['assigned_to', 'company_name', 'industry_code', 'partner_reference_id', 'status', 'type'],
		  'onboarding_user updates only a case''s type, status, partner reference, reviewer, company name and industry');
SELECT table_privs_are('kyc_onboarding', 'applicants', 'onboarding_user', ARRAY['SELECT', 'INSERT', 'UPDATE']);
SELECT table_privs_are('kyc_events', 'outbox', 'onboarding_user', ARRAY['SELECT']);
SELECT function_privs_are('kyc_events', 'emit', ARRAY['text', 'text', 'jsonb'], 'onboarding_user', ARRAY['EXECUTE']);
SELECT function_privs_are('kyc_events', 'emit', ARRAY['text', 'text', 'jsonb'], 'public', ARRAY[]::text[]);
SELECT table_privs_are('kyc_events', 'outbox', 'public', ARRAY[]::text[]);

-- kyc_relay reads and acknowledges through functions; no table privilege.
SELECT function_privs_are('kyc_events', f, a, 'kyc_relay', ARRAY['EXECUTE'], format('kyc_relay may run %s', f))
FROM (VALUES ('read', ARRAY['xid8', 'bigint', 'text[]', 'integer', 'bigint']),
			 ('backlog', ARRAY['xid8', 'bigint', 'text[]']),
			 ('read_blocker', ARRAY[]::text[]),
			 ('ack', ARRAY['text', 'xid8', 'bigint']),
			 ('register_consumer', ARRAY['text', 'boolean'])) v(f, a);
SELECT table_privs_are('kyc_events', t, 'kyc_relay', ARRAY[]::text[], format('kyc_relay has no privilege on %s', t))
FROM unnest(ARRAY['outbox', 'consumers', 'subscription']) t;
SELECT function_privs_are('kyc_events', 'prune', ARRAY[]::text[], 'kyc_relay', ARRAY[]::text[], 'kyc_relay cannot prune');
-- read_blocker() names the transaction of this database that holds read()
-- back: this test's own (it has an xid since plan()) or an older one of the
-- same database, such as a relay's ack in flight.  tests/tap/t/010 pins it
-- down on a cluster of its own.
SET LOCAL ROLE kyc_relay;
SELECT ok(coalesce((SELECT b.xid <= pg_current_xact_id() FROM kyc_events.read_blocker() b), true),
	'read_blocker(), as kyc_relay, names no transaction younger than this open one');
RESET ROLE;
-- The service sees its subscriptions with passwords masked, never the conninfo table.
SELECT table_privs_are('kyc_events', 'subscriptions', 'onboarding_user', ARRAY['SELECT']);
SELECT table_privs_are('kyc_events', 'subscription', 'onboarding_user', ARRAY[]::text[]);

-- Every change of the domain tables is captured for the audit log.
SELECT has_trigger('kyc_onboarding', t, 'kyc_capture', format('%s changes are captured', t))
FROM unnest(ARRAY['onboarding_cases', 'applicants', 'addresses']) t;

SELECT * FROM finish();
ROLLBACK;
