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
extern void OnboardingRequireSessionActor(const char *claimed, const char *argname);

/* case_state.c */
extern const char *OnboardingCaseAllowedNext(const char *from);
extern bool OnboardingCaseTransitionAllowed(const char *from, const char *to);
extern bool OnboardingCaseStatusKnown(const char *status);
extern bool OnboardingCaseDataFrozen(const char *status);
extern const char *OnboardingCaseFrozenHint(const char *status);

/* case_freeze.c: how a guarded row names its case. */
typedef enum CaseKey
{
	CASE_BY_ID,					/* an applicant's case_id */
	CASE_BY_APPLICANT			/* an address's applicant_id */
} CaseKey;

extern char *OnboardingRequireCaseEditable(Relation rel, CaseKey key, Datum id);
extern Datum OnboardingCaseUuidByPublicId(Relation rel, const char *case_id);

/* contributors.c: who created, edited or submitted a case, for four eyes. */
#define CONTRIBUTION_EDITED "Edited"
#define CONTRIBUTION_SUBMITTED "Submitted"
/* Who an automatic submission names in status_changed_by (workflow.c). */
#define CASE_WORKFLOW_ACTOR "kyc_onboarding.workflow"
extern void OnboardingRecordContributor(const char *case_id, const char *actor, const char *contribution);

/* risk_sync.c */
extern void OnboardingRecordRiskData(const char *case_id, int64 event_id);
extern void OnboardingNoteRiskDataChange(const char *case_id);
extern bool RiskDataChangePending(const char *case_id);
extern void OnboardingForgetRiskDataChange(const char *case_id);

/* partners.c */
extern char *OnboardingPartnerName(Relation rel, const char *partner_id);
extern void OnboardingRequirePartner(Relation rel, const char *partner_id);

/* pii.c */
extern void OnboardingSealApplicantPii(Relation rel, HeapTuple tuple, HeapTuple oldtuple,
									   const char *case_id, KycRowChanges *changes);

/* validate.c */
extern const char *OnboardingEmailProblem(const char *email);
extern const char *OnboardingPhoneProblem(const char *phone);
extern bool OnboardingCountryExists(const char *code);
extern void OnboardingCheckCountryColumn(Relation rel, HeapTuple tuple, KycColumn *column,
										 KycRowChanges *changes);

#endif							/* KYC_ONBOARDING_H */
