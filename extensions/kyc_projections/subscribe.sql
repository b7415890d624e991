-- The events the read model is built from, from the databases that emit
-- them (make provision runs it, :src_<database> set to each database's
-- conninfo).  A subscription that exists is left as it is.
SELECT kyc_events.subscribe('projection_cases', :'src_onboarding',
							'{case.created,case.updated,case.status_changed,case.attention_required,applicant.updated,applicant.removed}',
							'kyc_projections.apply_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'projection_cases') \g /dev/null
\echo projects the cases and applicants of onboarding
SELECT kyc_events.subscribe('projection_checklists', :'src_checklist_service',
							'{checklist.progressed,checklist.completed,checklist.reopened}',
							'kyc_projections.apply_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'projection_checklists') \g /dev/null
\echo projects the checklists of checklist_service
SELECT kyc_events.subscribe('projection_risk', :'src_risk_service',
							'{risk.assessment_completed,risk.assessment_rescored}',
							'kyc_projections.apply_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'projection_risk') \g /dev/null
\echo projects the assessments of risk_service
SELECT kyc_events.subscribe('projection_documents', :'src_document_service',
							'{document.uploaded,document.verified,document.rejected,document.expired}',
							'kyc_projections.apply_event(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'projection_documents') \g /dev/null
\echo projects the document counts of document_service
