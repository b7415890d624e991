-- Least privilege for projections_user on kyc_projections; run by make
-- provision with psql variable role.  The service reads the read model and
-- its change feed; only the relay's handler writes it.
GRANT USAGE ON SCHEMA kyc_projections TO :"role";
GRANT SELECT ON kyc_projections.onboarding_case_projections TO :"role";
GRANT EXECUTE ON FUNCTION kyc_projections.changes_since(bigint) TO :"role";
GRANT SELECT ON kyc_projections.case_counts TO :"role";
GRANT EXECUTE ON FUNCTION kyc_projections.dashboard(text) TO :"role";
GRANT EXECUTE ON FUNCTION kyc_projections.search(text) TO :"role";
