/*
 * kyc_spi.c
 *		Saved SPI plans for the fixed statements pgkyc runs.
 *
 * Every statement is prepared once per backend and kept; the plan cache
 * re-plans it after DDL, and keeps the search_path it was prepared with.
 */
#include "kyc_common.h"

#include "executor/spi.h"

/* Prepare sql into *plan the first time, keep it, and return it. */
SPIPlanPtr
KycSavedPlan(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	prepared = SPI_prepare(sql, nargs, argtypes);

		if (prepared == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(prepared);
		*plan = prepared;
	}
	return *plan;
}

/* SPI_connect, which in a backend only fails on a programming error. */
void
KycSpiConnect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}
