-- Changes to assessments and factors, the reasons people gave for
-- changing factors, and the removals from the watch lists with their
-- reasons go to the audit log (make provision).  Assessments carry their
-- case_id; factors and factor changes reach it by their assessment.
SELECT kyc_events.capture('kyc_risk.risk_assessments'::pg_catalog.regclass, 'case_id');
SELECT kyc_events.capture('kyc_risk.risk_factors'::pg_catalog.regclass, 'risk_assessment_id',
						  'kyc_risk.risk_assessments'::pg_catalog.regclass, 'id');
SELECT kyc_events.capture('kyc_risk.factor_changes'::pg_catalog.regclass, 'risk_assessment_id',
						  'kyc_risk.risk_assessments'::pg_catalog.regclass, 'id');
SELECT kyc_events.capture('kyc_risk.watchlist_changes'::pg_catalog.regclass);
