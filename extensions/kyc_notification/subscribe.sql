-- The workflow's events that become notifications (make provision runs it,
-- :src_<database> set to each database's conninfo).  A subscription that
-- exists is left as it is.
-- From the sources' end: nobody is notified of what happened before this
-- service listened.
SELECT kyc_events.subscribe('notify_cases', :'src_onboarding',
							'{case.created,case.status_changed,applicant.updated,applicant.removed}',
							'kyc_notification.on_event(kyc_events.event)',
							start_at => 'end')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'notify_cases') \g /dev/null
\echo notifies applicants and partners of the cases of onboarding
SELECT kyc_events.subscribe('notify_documents', :'src_document_service',
							'{document.rejected}',
							'kyc_notification.on_event(kyc_events.event)',
							start_at => 'end')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'notify_documents') \g /dev/null
\echo asks applicants again for documents document_service rejected
