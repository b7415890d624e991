/*
 * pg_shim.c
 *		The little of the PostgreSQL backend that the plain C cores need,
 *		for the fuzz build, where no backend is linked.
 *
 * palloc is malloc with each chunk on a list, so FuzzFreeAll() frees what
 * an input left behind (a memory context reset) and AddressSanitizer still
 * sees every chunk on its own.  The StringInfo functions follow
 * src/common/stringinfo.c, limits included.  ereport(ERROR) formats its
 * message, as the backend would, and longjmps to the innermost PG_TRY.
 */
#include "fuzz.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* What PG_TRY and PG_CATCH use. */
sigjmp_buf *PG_exception_stack = NULL;
ErrorContextCallback *error_context_stack = NULL;

/* What MemoryContextSwitchTo() reads; palloc here ignores contexts. */
MemoryContext CurrentMemoryContext = NULL;
MemoryContext TopMemoryContext = NULL;

/* A palloc'd chunk's header: the list FuzzFreeAll() walks. */
typedef union Chunk
{
	struct
	{
		union Chunk *prev;
		union Chunk *next;
	}			link;
	max_align_t align;			/* keeps the chunk after it MAXALIGNed */
}			Chunk;

/* The live chunks, newest first. */
static Chunk * chunks = NULL;

/* The error being reported, or the last one. */
static struct
{
	int			elevel;
	int			sqlerrcode;
	char		message[1024];
	char		detail[1024];
	char		hint[1024];
	const char *filename;
	int			lineno;
}			error;

/* Report an error that is the harness's or the shim's, not the input's. */
void
FuzzFail(const char *fmt,...)
{
	va_list		args;

	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputc('\n', stderr);
	abort();
}

/* Put c on the chunk list. */
static void *
LinkChunk(Chunk * c)
{
	c->link.prev = NULL;
	c->link.next = chunks;
	if (chunks)
		chunks->link.prev = c;
	chunks = c;
	return c + 1;
}

/* Take c off the chunk list. */
static void
UnlinkChunk(Chunk * c)
{
	if (c->link.prev)
		c->link.prev->link.next = c->link.next;
	else
		chunks = c->link.next;
	if (c->link.next)
		c->link.next->link.prev = c->link.prev;
}

/* palloc's size check, then malloc: the backend's limits, so the same inputs fail. */
void *
palloc(Size size)
{
	Chunk	   *c;

	if (!AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	c = malloc(sizeof(Chunk) + size);
	if (c == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	return LinkChunk(c);
}

/*
 * An allocation for the rest of the process (TopMemoryContext's, a table
 * built once): malloc, never freed, so FuzzFreeAll() leaves it.
 */
void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	void	   *p;

	(void) context;
	if (!AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	if ((p = malloc(size)) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	return p;
}

/* palloc, zeroed. */
void *
palloc0(Size size)
{
	void	   *p = palloc(size);

	memset(p, 0, size);
	return p;
}

/* Free one chunk now, so a use after pfree shows. */
void
pfree(void *pointer)
{
	Chunk	   *c = (Chunk *) pointer - 1;

	UnlinkChunk(c);
	free(c);
}

/* realloc of a chunk, which stays on the list. */
void *
repalloc(void *pointer, Size size)
{
	Chunk	   *c = (Chunk *) pointer - 1;
	Chunk	   *moved;

	if (!AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	UnlinkChunk(c);
	moved = realloc(c, sizeof(Chunk) + size);
	if (moved != NULL)
		return LinkChunk(moved);
	LinkChunk(c);
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory")));
	return NULL;				/* keep compiler quiet */
}

/* Free every chunk: the end of an input, as a memory context reset. */
void
FuzzFreeAll(void)
{
	while (chunks)
	{
		Chunk	   *next = chunks->link.next;

		free(chunks);
		chunks = next;
	}
}

/* A palloc'd copy of a C string. */
char *
pstrdup(const char *in)
{
	return pnstrdup(in, strlen(in));
}

/* A palloc'd copy of at most len bytes of in, NUL-terminated. */
char *
pnstrdup(const char *in, Size len)
{
	char	   *out;

	len = strnlen(in, len);
	out = palloc(len + 1);
	memcpy(out, in, len);
	out[len] = '\0';
	return out;
}

/* A palloc'd copy of in without its trailing newlines. */
char *
pchomp(const char *in)
{
	size_t		n = strlen(in);

	while (n > 0 && in[n - 1] == '\n')
		n--;
	return pnstrdup(in, n);
}

/* A palloc'd formatted string. */
char *
psprintf(const char *fmt,...)
{
	va_list		args;
	va_list		copy;
	int			n;
	char	   *out;

	va_start(args, fmt);
	va_copy(copy, args);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		elog(ERROR, "vsnprintf failed");
	out = palloc(n + 1);
	vsnprintf(out, n + 1, fmt, args);
	va_end(args);
	return out;
}

/* A new, empty StringInfo. */
StringInfo
makeStringInfo(void)
{
	StringInfo	str = palloc(sizeof(StringInfoData));

	initStringInfo(str);
	return str;
}

/* Initialise str as empty, with the backend's initial 1 kB. */
void
initStringInfo(StringInfo str)
{
	int			size = 1024;

	str->data = palloc(size);
	str->maxlen = size;
	resetStringInfo(str);
}

/* Empty str, keeping its buffer. */
void
resetStringInfo(StringInfo str)
{
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

/* Make room for needed more bytes and a NUL, refusing past MaxAllocSize as the backend does. */
void
enlargeStringInfo(StringInfo str, int needed)
{
	int			newlen;

	if (needed < 0)
		elog(ERROR, "invalid string enlargement request size: %d", needed);
	if (((Size) needed) >= (MaxAllocSize - (Size) str->len))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("out of memory"),
				 errdetail("Cannot enlarge string buffer containing %d bytes by %d more bytes.",
						   str->len, needed)));
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	if (newlen > (int) MaxAllocSize)
		newlen = (int) MaxAllocSize;
	str->data = repalloc(str->data, newlen);
	str->maxlen = newlen;
}

/* Format into str's free space: 0 if it fitted, else the space to make and retry with. */
int
appendStringInfoVA(StringInfo str, const char *fmt, va_list args)
{
	int			avail = str->maxlen - str->len;
	int			n;

	if (avail < 16)
		return 32;
	n = vsnprintf(str->data + str->len, avail, fmt, args);
	if (n < 0)
		elog(ERROR, "vsnprintf failed");
	if (n < avail)
	{
		str->len += n;
		return 0;
	}
	str->data[str->len] = '\0';
	return n + 1;
}

/* Append formatted text, making room as it needs. */
void
appendStringInfo(StringInfo str, const char *fmt,...)
{
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(str, fmt, args);
		va_end(args);
		if (needed == 0)
			return;
		enlargeStringInfo(str, needed);
	}
}

/* Append a C string. */
void
appendStringInfoString(StringInfo str, const char *s)
{
	appendBinaryStringInfo(str, s, strlen(s));
}

/* Append one byte. */
void
appendStringInfoChar(StringInfo str, char ch)
{
	if (str->len + 1 >= str->maxlen)
		enlargeStringInfo(str, 1);
	str->data[str->len] = ch;
	str->len++;
	str->data[str->len] = '\0';
}

/* Append datalen bytes, keeping a NUL after them. */
void
appendBinaryStringInfo(StringInfo str, const char *data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

/* The shim reports every level: formatting a message is code to test too. */
bool
errstart(int elevel, const char *domain)
{
	memset(&error, 0, sizeof(error));
	error.elevel = elevel;
	return true;
}

/* errstart for an ERROR or worse. */
bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

/* Below ERROR, go on; an ERROR longjmps to the innermost PG_TRY; worse aborts. */
void
errfinish(const char *filename, int lineno, const char *funcname)
{
	error.filename = filename;
	error.lineno = lineno;
	if (error.elevel < ERROR)
		return;
	if (error.elevel > ERROR || PG_exception_stack == NULL)
		FuzzFail("%s at %s:%d with no PG_TRY to catch it: %s",
				 error.elevel > ERROR ? "FATAL" : "ERROR", filename, lineno, error.message);
	siglongjmp(*PG_exception_stack, 1);
}

/* Rethrow the error being handled, as PG_END_TRY does after PG_FINALLY. */
void
pg_re_throw(void)
{
	if (PG_exception_stack == NULL)
		FuzzFail("ERROR rethrown with no PG_TRY to catch it: %s", error.message);
	siglongjmp(*PG_exception_stack, 1);
}

/* Record the SQLSTATE. */
int
errcode(int sqlerrcode)
{
	error.sqlerrcode = sqlerrcode;
	return 0;
}

/* The SQLSTATE of a failed file access: the backend's maps errno; any file error will do here. */
int
errcode_for_file_access(void)
{
	return errcode(ERRCODE_UNDEFINED_FILE);
}

/*
 * Define an errmsg()-like function that formats its part of the error into
 * its buffer, as the backend would: translated or not makes no difference.
 */
#define ERROR_PART(name, field) \
	int \
	name(const char *fmt,...) \
	{ \
		va_list		args; \
		va_start(args, fmt); \
		vsnprintf(error.field, sizeof(error.field), fmt, args); \
		va_end(args); \
		return 0; \
	}

ERROR_PART(errmsg, message)
ERROR_PART(errmsg_internal, message)
ERROR_PART(errdetail, detail)
ERROR_PART(errdetail_internal, detail)
ERROR_PART(errhint, hint)

/* The last error's message, for a harness that expects one. */
const char *
FuzzErrorMessage(void)
{
	return error.message;
}

/* The address of a local of the first frame that asked: the stack's base, near enough. */
static char *stack_base = NULL;

/* No interrupt ever comes to a harness: CHECK_FOR_INTERRUPTS() reads this, and never calls ProcessInterrupts(). */
volatile sig_atomic_t InterruptPending = false;

/* What CHECK_FOR_INTERRUPTS() would call, were one pending. */
void
ProcessInterrupts(void)
{
	InterruptPending = false;
}

/* The backend's max_stack_depth default, 2 MB, measured from the first caller down. */
void
check_stack_depth(void)
{
	char		here;

	if (stack_base == NULL || &here > stack_base)
		stack_base = &here;
	if (stack_base - &here > 2 * 1024 * 1024)
		ereport(ERROR,
				(errcode(ERRCODE_STATEMENT_TOO_COMPLEX),
				 errmsg("stack depth limit exceeded")));
}

/* Run fn(arg): true if it returned, false if it raised an ERROR (FuzzErrorMessage() says which). */
bool
FuzzTry(void (*fn) (void *arg), void *arg)
{
	volatile bool ok = true;

	PG_TRY();
	{
		check_stack_depth();
		fn(arg);
	}
	PG_CATCH();
	{
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* The input as text, palloc'd and NUL-terminated; NULL if it holds a NUL, as text cannot. */
char *
FuzzText(const uint8_t *data, size_t size)
{
	if (memchr(data, '\0', size) != NULL)
		return NULL;
	return pnstrdup((const char *) data, size);
}

/* Whether s is UTF-8 as pg_verifymbstr() accepts it: well-formed, no surrogates, no NUL. */
bool
FuzzValidUtf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + len;

	while (p < end)
	{
		unsigned char c = *p;
		int			n;
		unsigned char lo = 0x80;
		unsigned char hi = 0xBF;
		int			i;

		if (c == 0)
			return false;
		if (c < 0x80)
		{
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF)
		{
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;		/* overlong */
			else if (c == 0xED)
				hi = 0x9F;		/* surrogates */
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			n = 3;
			if (c == 0xF0)
				lo = 0x90;		/* overlong */
			else if (c == 0xF4)
				hi = 0x8F;		/* past U+10FFFF */
		}
		else
			return false;
		if (end - p <= n)
			return false;
		for (i = 1; i <= n; i++)
		{
			if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
				return false;
		}
		p += n + 1;
	}
	return true;
}
