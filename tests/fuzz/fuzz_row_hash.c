/*
 * fuzz_row_hash.c
 *		The canonical encoding of an audit entry (kyc_auditlog/row_hash.c).
 *		The input is read as the 19 hashed columns of an entry; the harness
 *		encodes them and decodes the bytes back by the documented format
 *		(docs/kyc_auditlog.md), apart from the encoder.  Getting every value
 *		back is what makes the encoding unambiguous: no two entries share
 *		their bytes, and so their hash.
 */
#include "fuzz.h"

#include "kyc_auditlog.h"
#include "row_encoding.h"

/* The type bytes of encoding v1's columns, in order. */
static const char v1_tags[] = "uixssssssssjjtassss";

/* One column's value: what the harness encodes, or what it decoded. */
typedef struct Column
{
	bool		isnull;
	const uint8 *bytes;			/* u, s and j: the value's bytes */
	uint64		len;
	int64		integer;		/* i, t and x */
	bool		ipv6;			/* a: family, prefix bits and address */
	uint8		bits;
	uint8		addr[16];
}			Column;

/* The fuzz input, read front to back; zeroes once it runs out. */
typedef struct Reader
{
	const uint8 *p;
	const uint8 *end;
}			Reader;

/* The next byte of the input. */
static uint8
NextByte(Reader * r)
{
	return r->p < r->end ? *r->p++ : 0;
}

/* The next n bytes of the input, fewer if it runs out; *len gets how many. */
static const uint8 *
NextBytes(Reader * r, uint64 n, uint64 *len)
{
	const uint8 *start = r->p;

	*len = Min(n, (uint64) (r->end - r->p));
	r->p += *len;
	return start;
}

/* Read column number i of the entry from the input. */
static void
ReadColumn(Reader * r, int i, Column * c)
{
	uint8		flags = NextByte(r);
	uint64		n;
	int			k;

	memset(c, 0, sizeof(*c));
	c->isnull = flags & 1;
	switch (v1_tags[i])
	{
		case 'u':
			c->bytes = NextBytes(r, 16, &n);
			c->len = 16;
			if (n < 16)
				c->isnull = true;	/* a uuid is 16 bytes or nothing */
			break;
		case 'i':
		case 't':
		case 'x':
			for (k = 0; k < 8; k++)
				c->integer = (int64) (((uint64) c->integer << 8) | NextByte(r));
			break;
		case 'a':
			c->ipv6 = flags & 2;
			c->bits = NextByte(r) % (c->ipv6 ? 129 : 33);
			for (k = 0; k < (c->ipv6 ? 16 : 4); k++)
				c->addr[k] = NextByte(r);
			break;
		default:				/* s and j: a length byte, or two, then the
								 * bytes */
			n = NextByte(r);
			if (flags & 2)
				n = (n << 8) | NextByte(r);
			c->bytes = NextBytes(r, n, &c->len);
			break;
	}
}

/* Encode column i as AppendColumn() would, through row_encoding.h. */
static void
EncodeColumn(StringInfo buf, int i, const Column * c)
{
	char		tag = v1_tags[i];

	if (c->isnull)
		AuditEncodeNull(buf, tag);
	else if (tag == 'i' || tag == 't' || tag == 'x')
		AuditEncodeInt64(buf, tag, c->integer);
	else if (tag == 'a')
		AuditEncodeInet(buf, c->ipv6, c->bits, c->addr);
	else
		AuditEncodeBytes(buf, tag, c->bytes, c->len);
}

/*
 * Decode column i at *p (before end) by the documented format: the type
 * byte, then 'N', or 'V', an 8-byte big-endian length and the bytes.
 * Returns false if the bytes are not that.
 */
static bool
DecodeColumn(const uint8 **p, const uint8 *end, int i, Column * c)
{
	const uint8 *q = *p;
	uint64		len = 0;
	int			k;

	memset(c, 0, sizeof(*c));
	if (end - q < 2 || q[0] != v1_tags[i] || (q[1] != 'N' && q[1] != 'V'))
		return false;
	c->isnull = q[1] == 'N';
	q += 2;
	if (!c->isnull)
	{
		if (end - q < 8)
			return false;
		for (k = 0; k < 8; k++)
			len = (len << 8) | *q++;
		if (len > (uint64) (end - q))
			return false;
		c->bytes = q;
		c->len = len;
		switch (v1_tags[i])
		{
			case 'u':
				if (len != 16)
					return false;
				break;
			case 'i':
			case 't':
			case 'x':
				if (len != 8)
					return false;
				for (k = 0; k < 8; k++)
					c->integer = (int64) (((uint64) c->integer << 8) | q[k]);
				c->bytes = NULL;
				c->len = 0;
				break;
			case 'a':
				if (!((len == 6 && q[0] == 4 && q[1] <= 32) || (len == 18 && q[0] == 6 && q[1] <= 128)))
					return false;
				c->ipv6 = q[0] == 6;
				c->bits = q[1];
				memcpy(c->addr, q + 2, len - 2);
				c->bytes = NULL;
				c->len = 0;
				break;
		}
		q += len;
	}
	*p = q;
	return true;
}

/* Whether two columns hold the same value. */
static bool
SameColumn(const Column * a, const Column * b)
{
	return a->isnull == b->isnull &&
		(a->isnull ||
		 (a->len == b->len && (a->len == 0 || memcmp(a->bytes, b->bytes, a->len) == 0) &&
		  a->integer == b->integer && a->ipv6 == b->ipv6 && a->bits == b->bits &&
		  memcmp(a->addr, b->addr, sizeof(a->addr)) == 0));
}

/* A boolean column, which v1 does not hash, decodes the same way: 'b', 'V', length 1, 0 or 1. */
static void
CheckBool(bool value)
{
	StringInfoData buf;
	static const uint8 expected[] = {'b', 'V', 0, 0, 0, 0, 0, 0, 0, 1};

	initStringInfo(&buf);
	AuditEncodeBool(&buf, value);
	FUZZ_CHECK(buf.len == 11 && memcmp(buf.data, expected, 10) == 0 && buf.data[10] == (value ? 1 : 0),
			   "boolean %d encodes in %d bytes", value, buf.len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Reader		r = {data, data + size};
	Column		in[AUDIT_HASHED_COLUMNS];
	StringInfoData buf;
	const uint8 *p;
	const uint8 *end;
	size_t		taglen = strlen(AUDIT_ENCODING_V1);
	int			i;

	StaticAssertStmt(sizeof(v1_tags) - 1 == AUDIT_HASHED_COLUMNS, "one type byte a column");
	initStringInfo(&buf);
	AuditEncodeBegin(&buf);
	for (i = 0; i < AUDIT_HASHED_COLUMNS; i++)
	{
		ReadColumn(&r, i, &in[i]);
		EncodeColumn(&buf, i, &in[i]);
	}
	p = (const uint8 *) buf.data;
	end = p + buf.len;
	FUZZ_CHECK(buf.len >= taglen && memcmp(p, AUDIT_ENCODING_V1, taglen) == 0, "no version tag");
	p += taglen;
	for (i = 0; i < AUDIT_HASHED_COLUMNS; i++)
	{
		Column		out;

		FUZZ_CHECK(DecodeColumn(&p, end, i, &out), "column %d does not decode", i);
		FUZZ_CHECK(SameColumn(&in[i], &out), "column %d decodes to another value", i);
	}
	FUZZ_CHECK(p == end, "%d bytes after the last column", (int) (end - p));
	CheckBool(size > 0 && (data[0] & 4));
	FuzzFreeAll();
	return 0;
}
