/*
 * render.h
 *		The plain C core of {{placeholder}} rendering (render.c): parsing
 *		placeholders, splicing values in, HTML escape.
 *
 * Values come from a lookup function, so the core needs no jsonb and no
 * backend state, and tests/fuzz calls it directly.
 */
#ifndef KYC_NOTIFICATION_RENDER_H
#define KYC_NOTIFICATION_RENDER_H

#include "lib/stringinfo.h"

/*
 * A placeholder's value as text of *len bytes, or NULL for nothing (a JSON
 * null).  path is palloc'd and the lookup's to keep.  A lookup raises the
 * error for a variable that has no value.
 */
typedef const char *(*NotifyLookup) (void *arg, char *path, int *len);

extern const char *NotifyRenderPlaceholders(StringInfo buf, const char *text, bool html,
											NotifyLookup lookup, void *arg);
extern char *NotifyWholePlaceholder(const char *s);

#endif							/* KYC_NOTIFICATION_RENDER_H */
