/*
 * pg_port.c
 *		PostgreSQL's src/port functions that the fuzzed code reaches, for
 *		the fuzz build: its headers send snprintf, fprintf and qsort to
 *		pg_-prefixed versions, which here are the C library's.
 *
 * No PostgreSQL header is included, so the names below are the C
 * library's own and AddressSanitizer checks their arguments.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Declared by port.h, which this file leaves out. */
int			pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args);
int			pg_snprintf(char *str, size_t count, const char *fmt,...);
int			pg_vfprintf(FILE *stream, const char *fmt, va_list args);
int			pg_fprintf(FILE *stream, const char *fmt,...);
void		pg_qsort(void *base, size_t nel, size_t elsize, int (*cmp) (const void *, const void *));
unsigned char pg_ascii_tolower(unsigned char ch);

/* vsnprintf. */
int
pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args)
{
	return vsnprintf(str, count, fmt, args);
}

/* snprintf. */
int
pg_snprintf(char *str, size_t count, const char *fmt,...)
{
	va_list		args;
	int			n;

	va_start(args, fmt);
	n = vsnprintf(str, count, fmt, args);
	va_end(args);
	return n;
}

/* vfprintf. */
int
pg_vfprintf(FILE *stream, const char *fmt, va_list args)
{
	return vfprintf(stream, fmt, args);
}

/* fprintf. */
int
pg_fprintf(FILE *stream, const char *fmt,...)
{
	va_list		args;
	int			n;

	va_start(args, fmt);
	n = vfprintf(stream, fmt, args);
	va_end(args);
	return n;
}

/* qsort. */
void
pg_qsort(void *base, size_t nel, size_t elsize, int (*cmp) (const void *, const void *))
{
	qsort(base, nel, elsize, cmp);
}

/* ASCII-only lowercasing, as src/port/pgstrcasecmp.c does it. */
unsigned char
pg_ascii_tolower(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		ch += 'a' - 'A';
	return ch;
}
