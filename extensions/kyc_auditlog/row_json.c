/*
 * row_json.c
 *		A jsonb value's text form, byte for byte as jsonb_out() gives it,
 *		for the canonical encoding of an audit entry.
 *
 * Encoding v1 hashes a jsonb column in the text form of JsonbToCString():
 * keys in jsonb's order, ", " between items and ": " after a key.
 * verify() renders two per entry.  JsonbToCString() iterates with an
 * allocation per container and copies every string to escape it a
 * character at a time; this walks the stored containers with a stack of
 * its own and copies a string that needs no escape whole, else escapes it
 * as JsonbToCString() does.  tests/pgtap/54_auditlog_encoding.sql checks
 * the whole encoding against one written in SQL, on values of every kind.
 */
#include "kyc_auditlog.h"

#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

/* A container being rendered: where its items are and how far it got. */
typedef struct Frame
{
	const JsonbContainer *container;
	const char *data;			/* the items' data, after the JEntries */
	uint32		count;			/* items, or pairs of an object */
	uint32		next;			/* the next item to render */
	uint32		key_offset;		/* of the next key; of the next element of an
								 * array */
	uint32		value_offset;	/* of the next value of an object */
	bool		object;
} Frame;

/* Append a string, quoted and escaped as escape_json() does. */
static void
RenderString(StringInfo buf, const char *s, uint32 len)
{
	uint32		i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == '"' || c == '\\')
		{
			escape_json(buf, pnstrdup(s, len));
			return;
		}
	}
	enlargeStringInfo(buf, len + 2);
	buf->data[buf->len] = '"';
	memcpy(buf->data + buf->len + 1, s, len);
	buf->data[buf->len + 1 + len] = '"';
	buf->len += len + 2;
	buf->data[buf->len] = '\0';
}

/*
 * Append item index of a container, whose data starts at offset, unless it
 * is a container itself: then return that container, for the caller to
 * open.
 */
static const JsonbContainer *
RenderItem(StringInfo buf, const Frame *f, uint32 index, uint32 offset, uint32 end)
{
	JEntry		entry = f->container->children[index];

	if (JBE_ISSTRING(entry))
		RenderString(buf, f->data + offset, end - offset);
	else if (JBE_ISNUMERIC(entry))
		appendStringInfoString(buf, DatumGetCString(DirectFunctionCall1(numeric_out,
																		PointerGetDatum(f->data + INTALIGN(offset)))));
	else if (JBE_ISBOOL_TRUE(entry))
		appendBinaryStringInfo(buf, "true", 4);
	else if (JBE_ISBOOL_FALSE(entry))
		appendBinaryStringInfo(buf, "false", 5);
	else if (JBE_ISNULL(entry))
		appendBinaryStringInfo(buf, "null", 4);
	else
		return (const JsonbContainer *) (f->data + INTALIGN(offset));
	return NULL;
}

/* Open a container: its bracket, and its frame. */
static void
Open(StringInfo buf, Frame *f, const JsonbContainer *container)
{
	f->container = container;
	f->count = JsonContainerSize(container);
	f->object = JsonContainerIsObject(container);
	f->data = (const char *) &container->children[f->object ? f->count * 2 : f->count];
	f->next = 0;
	f->key_offset = 0;
	f->value_offset = f->object && f->count > 0 ? getJsonbOffset(container, f->count) : 0;
	appendStringInfoChar(buf, f->object ? '{' : '[');
}

/* Append the text form of jb, as JsonbToCString(buf, &jb->root, ...) would. */
void
AuditJsonbText(StringInfo buf, const Jsonb *jb)
{
	Frame	   *stack;
	int			depth = 0;
	int			size = 8;

	/* A scalar is stored as a one-element array, and rendered alone. */
	if (JB_ROOT_IS_SCALAR(jb))
	{
		Frame		root = {&jb->root, (const char *) &jb->root.children[1], 1, 0, 0, 0, false};

		RenderItem(buf, &root, 0, 0, getJsonbLength(&jb->root, 0));
		return;
	}
	stack = palloc(sizeof(Frame) * size);
	Open(buf, &stack[depth++], &jb->root);
	while (depth > 0)
	{
		Frame	   *f = &stack[depth - 1];
		const JsonbContainer *inner;
		uint32		start;
		uint32		index = f->next;

		if (f->next == f->count)
		{
			appendStringInfoChar(buf, f->object ? '}' : ']');
			depth--;
			continue;
		}
		if (f->next > 0)
			appendBinaryStringInfo(buf, ", ", 2);
		start = f->key_offset;
		JBE_ADVANCE_OFFSET(f->key_offset, f->container->children[index]);
		if (f->object)
		{
			/* Keys are strings; the value follows in the second half. */
			RenderString(buf, f->data + start, f->key_offset - start);
			appendBinaryStringInfo(buf, ": ", 2);
			index += f->count;
			start = f->value_offset;
			JBE_ADVANCE_OFFSET(f->value_offset, f->container->children[index]);
			inner = RenderItem(buf, f, index, start, f->value_offset);
		}
		else
			inner = RenderItem(buf, f, index, start, f->key_offset);
		f->next++;
		if (inner != NULL)
		{
			if (depth == size)
			{
				size *= 2;
				stack = repalloc(stack, sizeof(Frame) * size);
			}
			Open(buf, &stack[depth++], inner);
		}
	}
	pfree(stack);
}
