/* kyc_checklist 0.1.0 to 0.2.0: what changes state in place; update_code.pl adds the rest. */

\echo Use "ALTER EXTENSION kyc_checklist UPDATE" to load this file. \quit

-- First, the 0.1.0 C functions pointed at their prefixed symbols
-- (extensions/common/repoint.sql).
-- @repoint

-- No existing table changes; event_item_map and received_events are new,
-- made by the install script's part below.
--
-- received_events starts empty: 0.1.0 applied each document.verified to
-- the items as it came and kept no event to record, and 0.1.0's risk
-- service emitted no risk.screening_completed.  Existing items stay as
-- they are; the events delivered from now on are recorded.

-- @install

-- The 0.2.0 defaults where missing, as make provision's setup.sql adds
-- them, so that the update alone leaves a whole checklist: the screening
-- row of event_item_map, and the identity, address and source of wealth
-- documents of Corporate, Trust and Partnership items.  No captured table
-- is written, so nothing goes to the audit log.
SELECT kyc_checklist.install_defaults();
