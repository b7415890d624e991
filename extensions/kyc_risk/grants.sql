-- Least privilege for risk_user on kyc_risk; run by make provision with
-- psql variable role.  The service writes factors and opens assessments;
-- scores, levels and completion are the triggers', which run as the owner.
-- The triggers also keep it off system-owned factors, ask its updates and
-- deletes for a reason, and log the reason in factor_changes, which it
-- may read but not write.
GRANT USAGE ON SCHEMA kyc_risk TO :"role";
GRANT SELECT ON kyc_risk.risk_assessments TO :"role";
GRANT INSERT (case_id) ON kyc_risk.risk_assessments TO :"role";
GRANT SELECT, INSERT, DELETE ON kyc_risk.risk_factors TO :"role";
GRANT UPDATE (type, level, score, description, source, weight) ON kyc_risk.risk_factors TO :"role";
GRANT SELECT ON kyc_risk.factor_changes TO :"role";
GRANT SELECT ON kyc_risk.factor_types, kyc_risk.level_bands, kyc_risk.overrides,
	kyc_risk.country_risk, kyc_risk.industry_risk TO :"role";
-- Screening: the service screens, and maintains its watch lists.
GRANT SELECT, INSERT, DELETE ON kyc_risk.watchlist_entities, kyc_risk.watchlist_names TO :"role";
GRANT SELECT ON kyc_risk.company_forms TO :"role";
GRANT USAGE ON SEQUENCE kyc_risk.watchlist_entity_id_seq, kyc_risk.watchlist_name_id_seq TO :"role";
