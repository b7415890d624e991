-- The events risk_service handles, from the databases that emit them (make
-- provision runs it, :src_<database> set to each database's conninfo).  A
-- subscription that exists is left as it is.
-- onboarding's cases and applicants keep each case's automated factors
-- current: Geography, Sanctions, PEP and Industry (docs/kyc_risk.md).
-- From onboarding's last update: a case an earlier release opened keeps the
-- assessment made for it by hand (docs/releasing.md).
SELECT kyc_events.subscribe('onboarding_events', :'src_onboarding',
							'{case.created,case.updated,applicant.updated,applicant.removed}',
							'kyc_risk.on_onboarding_event(kyc_events.event)',
							start_at => 'update')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'onboarding_events') \g /dev/null
\echo assesses the cases and applicants of onboarding
