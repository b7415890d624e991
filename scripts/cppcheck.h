/*
 * cppcheck.h: what cppcheck must know of PostgreSQL's headers, which
 * scripts/cppcheck.sh does not give it (they take it minutes a file).
 * ereport and elog at ERROR and above do not return.
 */
#define DEBUG1 14
#define LOG 15
#define INFO 17
#define NOTICE 18
#define WARNING 19
#define ERROR 21
#define FATAL 22
#define PANIC 23
#define ereport(elevel, ...) do { if ((elevel) >= ERROR) abort(); } while (0)
#define elog(elevel, ...) do { if ((elevel) >= ERROR) abort(); } while (0)
#define foreach(cell, lst) for ((cell) = list_head(lst); (cell) != NULL; (cell) = lnext((lst), (cell)))
#define pg_attribute_printf(f, a)
#define pg_attribute_noreturn()
