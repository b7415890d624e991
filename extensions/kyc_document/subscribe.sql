-- Each case's partner, for the PostgREST API's row-level security (make
-- provision runs it, :src_<database> set to each database's conninfo).  A
-- subscription that exists is left as it is.
SELECT kyc_events.subscribe('document_cases', :'src_onboarding', '{case.created,case.updated}',
							'kyc_document.on_case_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'document_cases') \g /dev/null
\echo keeps the partner of each case of onboarding
-- A case onboarding forgets (kyc_onboarding.forget_subject()) loses its
-- data key here too.
SELECT kyc_events.subscribe('document_forgotten', :'src_onboarding', '{case.forgotten}',
							'kyc_document.on_case_forgotten(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'document_forgotten') \g /dev/null
\echo destroys the data key of each case onboarding forgets
