/*
 * row_hash.c
 *		The per-row SHA-256 of an audit entry, over a canonical encoding.
 *
 * The encoding is versioned and unambiguous: a version tag, then for every
 * hashed column, in the fixed order the version defines, a type tag and
 * either 'N' for NULL or 'V', a big-endian length and the value's bytes.
 * Values use forms that do not depend on session settings: integers and
 * timestamps as big-endian binary, uuids as their 16 bytes, booleans as one
 * byte, jsonb in its deterministic text form (keys sorted), inet as family,
 * prefix bits and address bytes.  So no two different rows encode alike,
 * however their values are split, and no DateStyle or TimeZone changes a
 * hash.
 */
#include "kyc_auditlog.h"
#include "row_encoding.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include <sys/socket.h>

#include "utils/inet.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/uuid.h"
#include "utils/xid8.h"

/* The hashed columns, in encoding order: every column but the hash and the verification flag. */
static KycColumn hashed[] = {
	KYC_COLUMN("id"), KYC_COLUMN("entry_seq"), KYC_COLUMN("xid"),
	KYC_COLUMN("event_type"), KYC_COLUMN("entity_type"), KYC_COLUMN("entity_id"),
	KYC_COLUMN("case_id"), KYC_COLUMN("user_id"), KYC_COLUMN("user_role"),
	KYC_COLUMN("action"), KYC_COLUMN("description"), KYC_COLUMN("previous_values"),
	KYC_COLUMN("new_values"), KYC_COLUMN("timestamp"), KYC_COLUMN("ip_address"),
	KYC_COLUMN("user_agent"), KYC_COLUMN("session_id"), KYC_COLUMN("severity"),
	KYC_COLUMN("compliance_category"),
};

/*
 * Append a column's type tag, 'V' and the value's length, len, as 8
 * big-endian bytes, with room for len more bytes: one enlargement, not one
 * per piece.
 */
static void
AppendHeader(StringInfo buf, char tag, uint64 len)
{
	uint64		be = pg_hton64(len);
	char	   *p;

	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("an audit column value of " UINT64_FORMAT " bytes is too long to encode", len)));
	enlargeStringInfo(buf, 2 + sizeof(be) + (int) len);
	p = buf->data + buf->len;
	p[0] = tag;
	p[1] = 'V';
	memcpy(p + 2, &be, sizeof(be));
	buf->len += 2 + sizeof(be);
}

/* Start an encoding: the version tag. */
void
AuditEncodeBegin(StringInfo buf)
{
	appendBinaryStringInfo(buf, AUDIT_ENCODING_V1, strlen(AUDIT_ENCODING_V1));
}

/* Append a NULL column of type tag. */
void
AuditEncodeNull(StringInfo buf, char tag)
{
	enlargeStringInfo(buf, 2);
	buf->data[buf->len++] = tag;
	buf->data[buf->len++] = 'N';
	buf->data[buf->len] = '\0';
}

/* Append a column of type tag whose value is len bytes: a uuid, jsonb or text. */
void
AuditEncodeBytes(StringInfo buf, char tag, const void *bytes, uint64 len)
{
	AppendHeader(buf, tag, len);
	memcpy(buf->data + buf->len, bytes, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

/* Append a bigint, timestamptz or xid8 column (tag i, t or x): 8 big-endian bytes. */
void
AuditEncodeInt64(StringInfo buf, char tag, int64 value)
{
	uint64		be = pg_hton64((uint64) value);

	AuditEncodeBytes(buf, tag, &be, sizeof(be));
}

/* Append a boolean column: one byte, 1 or 0. */
void
AuditEncodeBool(StringInfo buf, bool value)
{
	char		b = value ? 1 : 0;

	AuditEncodeBytes(buf, 'b', &b, 1);
}

/* Append an inet column: family (4 or 6), prefix bits, then the 4 or 16 address bytes. */
void
AuditEncodeInet(StringInfo buf, bool ipv6, uint8 bits, const uint8 *addr)
{
	uint8		bytes[2 + 16];
	int			len = ipv6 ? 16 : 4;

	bytes[0] = ipv6 ? 6 : 4;
	bytes[1] = bits;
	memcpy(bytes + 2, addr, len);
	AuditEncodeBytes(buf, 'a', bytes, 2 + len);
}

/* One byte naming how a type is encoded; any other type is refused. */
static char
TypeTag(Oid type, KycColumn *column)
{
	switch (type)
	{
		case INT8OID:
			return 'i';
		case TIMESTAMPTZOID:
			return 't';
		case XID8OID:
			return 'x';
		case BOOLOID:
			return 'b';
		case UUIDOID:
			return 'u';
		case JSONBOID:
			return 'j';
		case INETOID:
			return 'a';
		case TEXTOID:
		case VARCHAROID:
			return 's';
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("audit column \"%s\" has type %s, which the row hash does not encode",
					column->name, format_type_be(type))));
	return '?';
}

/* Where each hashed column of a row type is, and how it is encoded. */
void
AuditRowLayoutInit(AuditRowLayout *layout, TupleDesc desc)
{
	int			i;

	StaticAssertStmt(lengthof(hashed) == AUDIT_HASHED_COLUMNS, "encoding v1 hashes 19 columns");
	for (i = 0; i < AUDIT_HASHED_COLUMNS; i++)
	{
		int			attnum;

		/*
		 * KycAttnum() caches by row type; an anonymous record (seal()'s
		 * cursor) has no type of its own to cache for, so its columns are
		 * looked up by name each time.
		 */
		if (desc->tdtypeid == RECORDOID)
			attnum = SPI_fnumber(desc, hashed[i].name);
		else
			attnum = KycAttnum(desc, &hashed[i]);

		if (attnum <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of an audit entry is missing", hashed[i].name)));

		layout->index[i] = attnum - 1;
		layout->type[i] = TupleDescAttr(desc, attnum - 1)->atttypid;
		layout->tag[i] = TypeTag(layout->type[i], &hashed[i]);
	}
}

/* Append one column, hashed column i of the layout: type tag, then 'N' or 'V' and the value. */
static void
AppendColumn(StringInfo buf, const AuditRowLayout *layout, int i, const Datum *values, const bool *nulls)
{
	char		tag = layout->tag[i];
	Datum		value = values[layout->index[i]];

	if (nulls[layout->index[i]])
	{
		AuditEncodeNull(buf, tag);
		return;
	}
	switch (layout->type[i])
	{
		case INT8OID:
		case TIMESTAMPTZOID:
		case XID8OID:
			AuditEncodeInt64(buf, tag, DatumGetInt64(value));
			break;
		case BOOLOID:
			AuditEncodeBool(buf, DatumGetBool(value));
			break;
		case UUIDOID:
			AuditEncodeBytes(buf, tag, DatumGetUUIDP(value)->data, UUID_LEN);
			break;
		case JSONBOID:
			{
				/* Rendered in place, then its length written before it. */
				Jsonb	   *jb = DatumGetJsonbP(value);
				int			start;
				uint64		be;

				AppendHeader(buf, tag, 0);
				start = buf->len;
				AuditJsonbText(buf, jb);
				be = pg_hton64((uint64) (buf->len - start));
				memcpy(buf->data + start - sizeof(be), &be, sizeof(be));
				break;
			}
		case INETOID:
			{
				inet	   *addr = DatumGetInetPP(value);

				AuditEncodeInet(buf, ip_family(addr) != PGSQL_AF_INET, ip_bits(addr),
								(const uint8 *) ip_addr(addr));
				break;
			}
		case TEXTOID:
		case VARCHAROID:
			{
				text	   *t = DatumGetTextPP(value);

				AuditEncodeBytes(buf, tag, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				break;
			}
	}
}

/* Append the canonical encoding of an audit entry given as deformed values, laid out by layout. */
void
AuditRowEncodeLayout(const AuditRowLayout *layout, const Datum *values, const bool *nulls, StringInfo buf)
{
	int			i;

	AuditEncodeBegin(buf);
	for (i = 0; i < AUDIT_HASHED_COLUMNS; i++)
		AppendColumn(buf, layout, i, values, nulls);
}

/* Append the canonical encoding of an audit entry given as deformed values. */
void
AuditRowEncode(TupleDesc desc, const Datum *values, const bool *nulls, StringInfo buf)
{
	AuditRowLayout layout;

	AuditRowLayoutInit(&layout, desc);
	AuditRowEncodeLayout(&layout, values, nulls, buf);
}

/*
 * SHA-256 of the canonical encoding of an audit entry given as deformed
 * values, as a slot holds them, laid out by layout: verify() hashes
 * millions of rows without deforming any twice or looking up a column.
 */
void
AuditRowHashLayout(const AuditRowLayout *layout, const Datum *values, const bool *nulls, uint8 *digest)
{
	static StringInfo buf = NULL;

	/* One buffer for the backend's life. */
	if (buf == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		buf = makeStringInfo();
		MemoryContextSwitchTo(old);
	}
	resetStringInfo(buf);
	AuditRowEncodeLayout(layout, values, nulls, buf);
	KycSha256(buf->data, buf->len, digest);
	/* Keep the buffer for ordinary rows, not the largest ever seen. */
	if (buf->maxlen > 1024 * 1024)
	{
		pfree(buf->data);
		pfree(buf);
		buf = NULL;
	}
}

/* SHA-256 of the canonical encoding of an audit entry given as deformed values. */
void
AuditRowHashValues(TupleDesc desc, const Datum *values, const bool *nulls, uint8 *digest)
{
	AuditRowLayout layout;

	AuditRowLayoutInit(&layout, desc);
	AuditRowHashLayout(&layout, values, nulls, digest);
}

/* Decode a stored integrity_hash (varchar) without an output function call; false if malformed. */
bool
AuditStoredHash(Datum value, bool isnull, uint8 *out)
{
	text	   *t;
	char		hex[KYC_SHA256_HEX_LEN + 1];

	if (isnull)
		return false;
	t = DatumGetTextPP(value);
	if (VARSIZE_ANY_EXHDR(t) != KYC_SHA256_HEX_LEN)
		return false;
	memcpy(hex, VARDATA_ANY(t), KYC_SHA256_HEX_LEN);
	hex[KYC_SHA256_HEX_LEN] = '\0';
	return KycHexDecodeSha256(hex, out);
}

/* The canonical encoding of an entry given as a composite (whole-row) value. */
void
AuditCompositeEncode(Datum composite, StringInfo buf)
{
	HeapTupleHeader header = DatumGetHeapTupleHeader(composite);
	HeapTupleData tuple;
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(header),
											  HeapTupleHeaderGetTypMod(header));
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);

	tuple.t_len = HeapTupleHeaderGetDatumLength(header);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = header;
	heap_deform_tuple(&tuple, desc, values, nulls);
	AuditRowEncode(desc, values, nulls, buf);
	ReleaseTupleDesc(desc);
	pfree(values);
	pfree(nulls);
}

/* Row hash of an entry given as a composite (whole-row) value. */
void
AuditCompositeHash(Datum composite, uint8 *digest)
{
	StringInfoData buf;

	initStringInfo(&buf);
	AuditCompositeEncode(composite, &buf);
	KycSha256(buf.data, buf.len, digest);
	pfree(buf.data);
}

PG_FUNCTION_INFO_V1(kyc_auditlog_row_hash);

/* SQL: kyc_auditlog.row_hash(entry kyc_auditlog.audit_log_entries) returns text */
Datum
kyc_auditlog_row_hash(PG_FUNCTION_ARGS)
{
	uint8		digest[KYC_SHA256_LEN];
	char		hex[KYC_SHA256_HEX_LEN + 1];

	KycRequireArg(fcinfo, 0, "entry");
	AuditCompositeHash(PG_GETARG_DATUM(0), digest);
	KycHexEncode(digest, KYC_SHA256_LEN, hex);
	PG_RETURN_TEXT_P(cstring_to_text(hex));
}

PG_FUNCTION_INFO_V1(kyc_auditlog_is_sha256_hex);

/*
 * SQL: kyc_auditlog.is_sha256_hex(value text) returns boolean: whether
 * value is 64 lowercase hexadecimal digits, as a stored hash is.  The CHECK
 * constraint on integrity_hash calls it for every insert, where the regular
 * expression ^[0-9a-f]{64}$ it replaces cost more than the row hash.
 */
Datum
kyc_auditlog_is_sha256_hex(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);
	const char *p = VARDATA_ANY(value);
	int			i;

	if (VARSIZE_ANY_EXHDR(value) != KYC_SHA256_HEX_LEN)
		PG_RETURN_BOOL(false);
	for (i = 0; i < KYC_SHA256_HEX_LEN; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(true);
}
