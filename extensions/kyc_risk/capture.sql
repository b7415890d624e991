-- Changes to assessments and factors go to the audit log (make provision).
SELECT kyc_events.capture('kyc_risk.risk_assessments');
SELECT kyc_events.capture('kyc_risk.risk_factors');
