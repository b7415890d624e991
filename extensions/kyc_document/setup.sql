-- kyc_document's default allowed MIME types, where missing; run by make
-- provision after CREATE EXTENSION.
SELECT kyc_document.install_defaults();
