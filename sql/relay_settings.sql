-- Settings of the relay and of retention, checked when they are set: a bad
-- value is refused at SET or ALTER SYSTEM (which runs the same check hook
-- as a reload), naming the setting and what it accepts.
\set SHOW_CONTEXT never
LOAD 'kyc_events';
LOAD 'kyc_auditlog';

-- kyc_events.databases (PGC_SIGHUP: ALTER SYSTEM checks it as a reload would).
-- What postgresql.auto.conf says of it now, to put back at the end.
SELECT coalesce((SELECT format('ALTER SYSTEM SET kyc_events.databases = %L', setting)
				 FROM pg_file_settings
				 WHERE name = 'kyc_events.databases' AND sourcefile LIKE '%/postgresql.auto.conf'
				 ORDER BY seqno DESC LIMIT 1),
				'ALTER SYSTEM RESET kyc_events.databases') AS restore_databases \gset
ALTER SYSTEM SET kyc_events.databases = 'a,,b';
ALTER SYSTEM SET kyc_events.databases = 'a, "unterminated';
ALTER SYSTEM SET kyc_events.databases = '""';
-- A name listed twice, however spelled, has one worker: accepted.
ALTER SYSTEM SET kyc_events.databases = 'onboarding, risk_service, Onboarding';
ALTER SYSTEM SET kyc_events.databases = 'onboarding, "onboarding"';
SELECT format('ALTER SYSTEM SET kyc_events.databases = %L', repeat('x', 64)) AS sql \gexec
SELECT format('ALTER SYSTEM SET kyc_events.databases = %L',
			  string_agg('db' || n, ',')) AS sql FROM generate_series(1, 65) n \gexec
-- Good values: 64 distinct names, a 63-byte name, quoted and mixed case, empty.
SELECT format('ALTER SYSTEM SET kyc_events.databases = %L',
			  string_agg('db' || n, ',')) AS sql FROM generate_series(1, 64) n \gexec
SELECT format('ALTER SYSTEM SET kyc_events.databases = %L', repeat('x', 63)) AS sql \gexec
ALTER SYSTEM SET kyc_events.databases = 'onboarding, "Risk Service", Checklist_Service';
ALTER SYSTEM SET kyc_events.databases = '';
:restore_databases;

-- kyc_events.retention and kyc_auditlog.retention: an interval, not negative.
SET kyc_events.retention = '';
SET kyc_events.retention = 'a week or so';
SET kyc_events.retention = '-1 day';
SET kyc_events.retention = '1 day ago';
SET kyc_auditlog.retention = '';
SET kyc_auditlog.retention = 'seven years';
SET kyc_auditlog.retention = '-1 year';
ALTER SYSTEM SET kyc_events.retention = 'forever';
ALTER SYSTEM SET kyc_auditlog.retention = 'forever';
SET kyc_events.retention = '30 days';
SHOW kyc_events.retention;
SET kyc_events.retention = 'P1W';
SHOW kyc_events.retention;
SET kyc_events.retention = '0';
SHOW kyc_events.retention;
SET kyc_auditlog.retention = '10 years';
SHOW kyc_auditlog.retention;
SET kyc_auditlog.retention = '0 days';
SHOW kyc_auditlog.retention;
RESET kyc_events.retention;
RESET kyc_auditlog.retention;
SHOW kyc_events.retention;
SHOW kyc_auditlog.retention;
