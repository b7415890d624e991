-- Least privilege for risk_user on kyc_risk; run by make provision with
-- psql variable role.  The service writes factors and opens assessments;
-- scores, levels and completion are the triggers', which run as the owner.
-- The triggers also keep it off system-owned factors, set each factor's
-- weight to its type's, ask its inserts, updates and deletes for a
-- reason, and log the reason in factor_changes, which it may read but
-- not write.
GRANT USAGE ON SCHEMA kyc_risk TO :"role";
GRANT SELECT ON kyc_risk.risk_assessments TO :"role";
GRANT INSERT (case_id) ON kyc_risk.risk_assessments TO :"role";
GRANT SELECT, INSERT, DELETE ON kyc_risk.risk_factors TO :"role";
GRANT UPDATE (type, level, score, description, source) ON kyc_risk.risk_factors TO :"role";
GRANT SELECT ON kyc_risk.factor_changes TO :"role";
-- The onboarding workflow's subjects: read, never written, by the service.
GRANT SELECT ON kyc_risk.case_subjects, kyc_risk.applicant_subjects TO :"role";
GRANT SELECT ON kyc_risk.factor_types, kyc_risk.required_factor_types, kyc_risk.level_bands, kyc_risk.overrides,
	kyc_risk.country_risk, kyc_risk.industry_risk TO :"role";
-- Screening: the service screens, and adds to its watch lists.  It takes
-- an entity off a list only through remove_watchlist_entity(), which asks
-- a reason and records it in watchlist_changes; the bulk loaders run as
-- an administrator.
GRANT SELECT, INSERT ON kyc_risk.watchlist_entities, kyc_risk.watchlist_names TO :"role";
REVOKE UPDATE, DELETE, TRUNCATE ON kyc_risk.watchlist_entities, kyc_risk.watchlist_names FROM :"role";
GRANT SELECT ON kyc_risk.watchlist_changes TO :"role";
GRANT EXECUTE ON FUNCTION kyc_risk.remove_watchlist_entity(bigint, text) TO :"role";
GRANT SELECT ON kyc_risk.company_forms, kyc_risk.token_weights TO :"role";
GRANT USAGE ON SEQUENCE kyc_risk.watchlist_entity_id_seq, kyc_risk.watchlist_name_id_seq TO :"role";
