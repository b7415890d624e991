-- Changes to assessments and factors, and the reasons people gave for
-- changing factors, go to the audit log (make provision).
SELECT kyc_events.capture('kyc_risk.risk_assessments'::pg_catalog.regclass);
SELECT kyc_events.capture('kyc_risk.risk_factors'::pg_catalog.regclass);
SELECT kyc_events.capture('kyc_risk.factor_changes'::pg_catalog.regclass);
