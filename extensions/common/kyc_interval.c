/*
 * kyc_interval.c
 *		Validating an interval setting in a GUC check hook.
 *
 * kyc_events.retention and kyc_auditlog.retention are strings that SQL
 * later casts to interval.  Checking them when they are set refuses a bad
 * value at SET, ALTER SYSTEM or reload, rather than in the nightly job
 * that reads it.
 */
#include "kyc_common.h"

#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

/*
 * GUC check hook body: whether value is an interval that is not negative;
 * if not, GUC_check_errdetail names the setting and gives example.  A
 * negative retention would let a pruning job delete what is still being
 * written.  Parsed as interval_in() does, but without throwing, as a check
 * hook must not.
 */
bool
KycCheckIntervalGuc(const char *name, const char *value, const char *example)
{
	char		workbuf[256];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	struct pg_itm_in itm;
	Interval	span;
	Interval	zero = {0};
	bool		ok;

	ok = value != NULL &&
		ParseDateTime(value, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf) == 0 &&
		(DecodeInterval(field, ftype, nf, INTERVAL_FULL_RANGE, &dtype, &itm) == 0 ||
		 DecodeISO8601Interval(unconstify(char *, value), &dtype, &itm) == 0) &&
		dtype == DTK_DELTA && itmin2interval(&itm, &span) == 0 &&
		DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(&span),
										  IntervalPGetDatum(&zero))) >= 0;
	if (!ok)
		GUC_check_errdetail("%s must be an interval that is not negative, such as '%s'.",
							name, example);
	return ok;
}
