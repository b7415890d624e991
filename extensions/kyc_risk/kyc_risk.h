/*
 * kyc_risk.h
 *		Internal declarations of the kyc_risk extension: the scoring model
 *		and its computation.  The screening side declares its own in
 *		screening.h.
 */
#ifndef KYC_RISK_H
#define KYC_RISK_H

#include "kyc_common.h"

#include "commands/trigger.h"
#include "nodes/pg_list.h"

/* The five levels, lowest first. */
typedef enum RiskLevel
{
	RISK_LOW,
	RISK_MEDIUM_LOW,
	RISK_MEDIUM,
	RISK_MEDIUM_HIGH,
	RISK_HIGH
} RiskLevel;

#define RISK_LEVEL_COUNT 5
#define RISK_TYPE_COUNT 5

/* Scores are held in hundredths and weights in thousandths: exact sums. */
typedef int64 RiskScore;
typedef int64 RiskWeight;

/* A factor type's place in the model. */
typedef struct RiskTypeModel
{
	char	   *type;
	RiskWeight	weight;
	bool		required;
} RiskTypeModel;

/* An override: a factor of a type at or above a level forces a minimum. */
typedef struct RiskOverride
{
	char	   *name;
	char	   *factor_type;
	RiskLevel	factor_level;
	RiskLevel	min_level;
	bool		manual_review;
} RiskOverride;

/* A factor type a case type needs to complete (required_factor_types). */
typedef struct RiskRequiredType
{
	char	   *case_type;
	char	   *factor_type;
} RiskRequiredType;

/* The model as the tables define it. */
typedef struct RiskModel
{
	int			ntypes;
	RiskTypeModel types[RISK_TYPE_COUNT];
	int			nrequired;
	RiskRequiredType *required; /* by case type */
	int			nbands;
	RiskLevel	band_level[RISK_LEVEL_COUNT];	/* ascending by min score */
	RiskScore	band_min[RISK_LEVEL_COUNT];
	int			noverrides;
	RiskOverride *overrides;
} RiskModel;

/* One factor of an assessment, with its type's weight. */
typedef struct RiskFactor
{
	char	   *id;
	char	   *type;
	RiskLevel	level;			/* as stated, or its score's band */
	RiskScore	score;
	RiskWeight	weight;			/* its type's, from factor_types */
	bool		counts;			/* its type's highest factor: the one scored */
	char	   *fired;			/* overrides this factor fired, or NULL */
} RiskFactor;

/* What the model makes of an assessment's factors. */
typedef struct RiskResult
{
	RiskScore	score;
	RiskLevel	level;
	bool		manual_review;
	List	   *overrides;		/* names of the overrides that fired */
	bool		complete;		/* every required type has a factor */
	int			nfactors;
	RiskFactor *factors;
	RiskWeight	total_weight;	/* of the types present */
} RiskResult;

/* Longest kyc_risk.change_reason, in bytes. */
#define RISK_REASON_MAX 1000

/* The longest case id: risk_assessments.case_id is varchar(40). */
#define RISK_CASE_ID_MAX 40

/* A write the system makes as the owner of risk_factors (factor_rights.c). */
typedef void (*RiskWriteFn) (void *arg);

/* kyc_risk.c */
extern const char *RiskLevelName(RiskLevel level);
extern RiskLevel RiskLevelParse(const char *name);
extern void RiskRequireTable(TriggerData *trigdata, const char *function, const char *table,
							 const char *other);

/* model.c */
extern const RiskModel *RiskCurrentModel(void);
extern RiskLevel RiskBand(const RiskModel *model, RiskScore score);
extern bool RiskTypeRequired(const RiskModel *model, const char *case_type, const char *type);
extern bool RiskFindTypeWeight(const RiskModel *model, const char *type, RiskWeight *weight);
extern RiskWeight RiskTypeWeight(const RiskModel *model, const char *type, const char *factor_id);
extern RiskScore RiskScoreFromNumeric(Datum numeric);
extern Datum RiskScoreToNumeric(RiskScore score);
extern Datum RiskWeightToNumeric(RiskWeight weight);

/* geography.c: the workflow's Geography and Industry factors of a case */
extern void RiskWorkflowGeography(const char *case_id);
extern void RiskWorkflowIndustry(const char *case_id);

/* factor_rights.c */
extern char *risk_change_reason;
extern void RiskSystemWrite(RiskWriteFn write, void *arg);
extern Datum RiskLockedAssessment(const char *case_id);
extern void RiskStampFactor(TriggerData *trigdata, HeapTuple tuple, TupleDesc desc,
							KycRowChanges *changes);
extern void RiskGuardFactorChange(TriggerData *trigdata);

/* scoring.c */
extern void RiskDeferRecompute(bool defer);
extern void RiskRecompute(Datum assessment_id);
extern RiskResult *RiskCompute(const RiskModel *model, Datum assessment_id);
extern Datum RiskContribution(const RiskResult *result, const RiskFactor *factor);

#endif							/* KYC_RISK_H */
