/* kyc_events 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_events UPDATE" to load this file. \quit

-- subscribe() takes from_now: the old signature goes, the install script
-- makes the new one.  Nothing else of kyc_events changes in place.
DROP FUNCTION kyc_events.subscribe(text, text, text[], regprocedure);
