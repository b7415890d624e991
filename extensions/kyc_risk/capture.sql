-- Changes to assessments and factors, the reasons people gave for
-- changing factors, and the removals from the watch lists with their
-- reasons go to the audit log (make provision).  Each row of the first
-- three keeps its case's public id in case_id: a factor from its
-- assessment, a factor change from its factor.
SELECT kyc_events.capture('kyc_risk.risk_assessments'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_risk.risk_factors'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_risk.factor_changes'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_risk.watchlist_changes'::pg_catalog.regclass);
