-- kyc_notification's default templates, where missing; run by make
-- provision after CREATE EXTENSION.
SELECT kyc_notification.install_default_templates();
