/*
 * kyc_onboarding.h
 *		Internal declarations of the kyc_onboarding extension.
 */
#ifndef KYC_ONBOARDING_H
#define KYC_ONBOARDING_H

#include "kyc_common.h"

#include "commands/trigger.h"

/*
 * Actor and reason of the transition() call in progress, if any.  The
 * triggers read them so a status change made through transition() records
 * who made it and why; a plain UPDATE records the session's actor instead.
 */
typedef struct CaseTransitionContext
{
	bool		active;
	const char *actor;
	const char *reason;
	bool		decision;		/* a reviewer's decision (decisions.c) */
} CaseTransitionContext;

extern CaseTransitionContext case_transition;

/* kyc_onboarding.c */
extern void RequireSessionActor(const char *claimed, const char *argname);

/* case_state.c */
extern const char *CaseAllowedNext(const char *from);
extern bool CaseTransitionAllowed(const char *from, const char *to);
extern bool CaseStatusKnown(const char *status);
extern bool CaseDataFrozen(const char *status);
extern const char *CaseFrozenHint(const char *status);

/* case_freeze.c: how a guarded row names its case. */
typedef enum CaseKey
{
	CASE_BY_ID,					/* an applicant's case_id */
	CASE_BY_APPLICANT			/* an address's applicant_id */
} CaseKey;

extern char *RequireCaseEditable(Relation rel, CaseKey key, Datum id);
extern Datum CaseUuidByPublicId(Relation rel, const char *case_id);

/* contributors.c: who created, edited or submitted a case, for four eyes. */
#define CONTRIBUTION_EDITED "Edited"
#define CONTRIBUTION_SUBMITTED "Submitted"
/* Who an automatic submission names in status_changed_by (workflow.c). */
#define CASE_WORKFLOW_ACTOR "kyc_onboarding.workflow"
extern void RecordContributor(const char *case_id, const char *actor, const char *contribution);

/* risk_sync.c */
extern void RecordRiskData(const char *case_id, int64 event_id);
extern void NoteRiskDataChange(const char *case_id);
extern bool RiskDataChangePending(const char *case_id);
extern void ForgetRiskDataChange(const char *case_id);

/* partners.c */
extern char *PartnerName(Relation rel, const char *partner_id);
extern void RequirePartner(Relation rel, const char *partner_id);

/* pii.c */
extern void SealApplicantPii(Relation rel, HeapTuple tuple, HeapTuple oldtuple,
							 const char *case_id, KycRowChanges *changes);
/* validate.c */
extern const char *EmailProblem(const char *email);
extern const char *PhoneProblem(const char *phone);
extern bool CountryExists(const char *code);
extern void CheckCountryColumn(Relation rel, HeapTuple tuple, KycColumn *column,
							   KycRowChanges *changes);

#endif							/* KYC_ONBOARDING_H */
