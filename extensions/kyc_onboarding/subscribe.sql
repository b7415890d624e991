-- The events onboarding handles, from the databases that emit them (make
-- provision runs it, :src_<database> set to each database's conninfo).  A
-- subscription that exists is left as it is.
-- checklist_service's completed and reopened checklists set the case's
-- checklist_status.
SELECT kyc_events.subscribe('checklist_results', :'src_checklist_service',
							'{checklist.completed,checklist.reopened}',
							'kyc_onboarding.on_checklist_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'checklist_results') \g /dev/null
\echo sets the checklist_status of each case from checklist_service
-- risk_service's completed and rescored assessments set the case's risk
-- level, score and manual review flag; risk.subjects_applied says which
-- of onboarding's events its results reflect (risk_sync).
SELECT kyc_events.subscribe('risk_results', :'src_risk_service',
							'{risk.assessment_completed,risk.assessment_rescored,risk.subjects_applied}',
							'kyc_onboarding.on_risk_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'risk_results') \g /dev/null
\echo sets the risk_level, risk_score and requires_manual_review of each case from risk_service
-- A subscription made by an earlier pgkyc lacks risk.subjects_applied,
-- without which no case's risk result would ever count as current.
UPDATE kyc_events.subscription
SET topics = '{risk.assessment_completed,risk.assessment_rescored,risk.subjects_applied}'
WHERE name = 'risk_results'
  AND NOT topics OPERATOR(pg_catalog.@>) '{risk.subjects_applied}'::pg_catalog.text[] \g /dev/null
