-- Changes to assessments and factors, the reasons people gave for
-- changing factors, and the removals from the watch lists with their
-- reasons go to the audit log (make provision).
SELECT kyc_events.capture('kyc_risk.risk_assessments');
SELECT kyc_events.capture('kyc_risk.risk_factors');
SELECT kyc_events.capture('kyc_risk.factor_changes');
SELECT kyc_events.capture('kyc_risk.watchlist_changes');
