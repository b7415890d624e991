-- kyc_checklist's default templates and document mapping, where missing;
-- run by make provision after CREATE EXTENSION.
SELECT kyc_checklist.install_defaults();
