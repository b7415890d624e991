/* kyc_events 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_events UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- subscribe() takes start_at: the old signature goes, the install script
-- makes the new one.  Nothing else of kyc_events changes in place.
DROP FUNCTION kyc_events.subscribe(text, text, text[], regprocedure);

-- @install

-- Where 0.1.0's events end: subscriptions 0.2.0 adds to act on events
-- start here (start_at => 'update').
INSERT INTO kyc_events.updates (version, end_xid, end_id)
SELECT '0.2.0', p.xid, p.id FROM kyc_events.end_position() p;
