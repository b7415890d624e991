-- The events checklist_service handles, from the databases that emit them
-- (make provision runs it, :src_<database> set to each database's
-- conninfo).  A subscription that exists is left as it is.
-- A new case gets the checklist of its type.
-- From onboarding's last update: a case an earlier release opened has the
-- checklist that release gave it.
SELECT kyc_events.subscribe('cases_created', :'src_onboarding', '{case.created}',
							'kyc_checklist.on_case_created(kyc_events.event)',
							start_at => 'update')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'cases_created') \g /dev/null
\echo creates the checklist of each new case of onboarding
-- Verified documents complete the items their type satisfies.
SELECT kyc_events.subscribe('documents_verified', :'src_document_service', '{document.verified}',
							'kyc_checklist.on_document_verified(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'documents_verified') \g /dev/null
\echo completes items from the verified documents of document_service
-- A finished sanctions and PEP screening completes the screening item.
SELECT kyc_events.subscribe('risk_screenings', :'src_risk_service', '{risk.screening_completed}',
							'kyc_checklist.on_screening_completed(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'risk_screenings') \g /dev/null
\echo completes the screening item from the sanctions and PEP screenings of risk_service
