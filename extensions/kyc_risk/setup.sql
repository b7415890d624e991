-- kyc_risk's default model and reference data, where missing; run by make
-- provision after CREATE EXTENSION.
SELECT kyc_risk.install_defaults();
