-- The events checklist_service handles, from the databases that emit them
-- (make provision runs it, :src_<database> set to each database's
-- conninfo).  A subscription that exists is left as it is.
-- Verified documents complete the items their type satisfies.
SELECT kyc_events.subscribe('documents_verified', :'src_document_service', '{document.verified}',
							'kyc_checklist.on_document_verified(kyc_events.event)')
WHERE NOT EXISTS (SELECT FROM kyc_events.subscription WHERE name = 'documents_verified') \g /dev/null
\echo completes items from the verified documents of document_service
