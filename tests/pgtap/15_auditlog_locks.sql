-- Issue 10 review, F4: sealings, and partition DDL, ran one at a time under
-- advisory locks, which any role that can connect may take.  auditlog_user
-- held one in a session it left open, and every seal(), and so pg_cron's
-- seal job, waited forever.  Now they lock a row only the owner can lock,
-- and seal_every() gives up on a lock after three seal intervals.
\c auditlog_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(9);
SELECT format('host=%s port=%s dbname=auditlog_service', current_setting('unix_socket_directories'),
			  current_setting('port')) AS audit \gset

SELECT table_privs_are('kyc_auditlog', 'maintenance_locks', 'auditlog_user', ARRAY[]::text[],
					   'auditlog_user has no right at all on the lock table');
SET ROLE auditlog_user;
SELECT throws_ok($$SELECT 1 FROM kyc_auditlog.maintenance_locks WHERE lock_name = 'seal' FOR UPDATE$$,
				 '42501', NULL, 'auditlog_user cannot lock the sealing row');
SELECT throws_ok($$LOCK TABLE kyc_auditlog.maintenance_locks IN ROW SHARE MODE$$,
				 '42501', NULL, 'nor lock the table');
RESET ROLE;

-- auditlog_user, in a session of its own left open, holds every lock it can
-- reach: the old advisory keys of sealing and partition DDL, and the ROW
-- EXCLUSIVE lock that a PREPAREd INSERT takes on the lock table before any
-- privilege check (it would block LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE).
SELECT dblink_connect('hog', :'audit' || ' user=auditlog_user');
SELECT * FROM dblink('hog', 'SELECT pg_advisory_lock(7744330304472770932), pg_advisory_lock(7744330305394406004)')
	AS t(a text, b text);
SELECT dblink_exec('hog', 'BEGIN');
SELECT dblink_exec('hog', $$PREPARE hog AS INSERT INTO kyc_auditlog.maintenance_locks VALUES ('x')$$);
SELECT is((SELECT count(*)::int FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		   WHERE a.usename = 'auditlog_user' AND l.granted
			 AND (l.locktype = 'advisory' OR l.relation = 'kyc_auditlog.maintenance_locks'::regclass)),
		  3, 'auditlog_user holds both advisory keys and a lock on the lock table');
SET LOCAL lock_timeout = '2s';
SET ROLE auditlog_user;
SELECT lives_ok($$SELECT kyc_auditlog.seal()$$, 'seal() does not wait for it');
SELECT lives_ok($$SELECT kyc_auditlog.ensure_partitions(5)$$, 'nor does partition DDL');
RESET ROLE;
SELECT dblink_exec('hog', 'ROLLBACK');
SELECT dblink_disconnect('hog');

-- The lock still serialises: this transaction holds the sealing row now.
-- Another sealing waits for it, and seal_every() only three intervals.
SELECT dblink_connect('other', :'audit');
SELECT dblink_exec('other', $$SET lock_timeout = '1s'$$);
SELECT matches(dblink_exec('other', 'SELECT kyc_auditlog.seal()', false) || ': ' || dblink_error_message('other'),
			   'lock timeout', 'a second seal() waits for the first');
SELECT dblink_exec('other', $$SET lock_timeout = 0$$);
SELECT dblink_exec('other', $$SET statement_timeout = '20s'$$);
SELECT matches(dblink_exec('other', $$CALL kyc_auditlog.seal_every('0.5 seconds', '10 seconds')$$, false)
			   || ': ' || dblink_error_message('other'),
			   'canceling statement due to lock timeout',
			   'seal_every() gives up after three intervals, though the session has no lock_timeout');
SELECT is((SELECT t.v FROM dblink('other', 'SHOW lock_timeout') AS t(v text)), '0',
		  'and leaves the session''s own setting alone');
SELECT dblink_disconnect('other');

SELECT * FROM finish();
ROLLBACK;
