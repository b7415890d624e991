/*
 * fuzz.h
 *		What the libFuzzer harnesses of tests/fuzz share: the backend shim
 *		(pg_shim.c) and the checks that turn a broken property into a crash.
 *
 * A harness calls the plain C core of an extension source file directly.
 * palloc, StringInfo and ereport come from pg_shim.c: memory is freed after
 * each input, as a memory context reset would, and ereport(ERROR) longjmps
 * to the innermost PG_TRY, so an input the code refuses is a refusal, not a
 * crash.  A property that does not hold calls FuzzFail(), which aborts.
 */
#ifndef KYC_FUZZ_H
#define KYC_FUZZ_H

#include "postgres.h"

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point, which each harness defines. */
extern int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* pg_shim.c */
extern void FuzzFreeAll(void);
extern const char *FuzzErrorMessage(void);
extern bool FuzzTry(void (*fn) (void *arg), void *arg);
extern char *FuzzText(const uint8_t *data, size_t size);
extern bool FuzzValidUtf8(const char *s, size_t len);
extern void FuzzFail(const char *fmt,...) pg_attribute_printf(1, 2) pg_attribute_noreturn();

/* Abort with the failed condition and the input it failed on. */
#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			FuzzFail("check failed: " #cond ": " __VA_ARGS__); \
	} while (0)

#endif							/* KYC_FUZZ_H */
