/*
 * kyc_audit_verify.c
 *		kyc-audit-verify proof.json digest.json
 *
 * Checks, with no database, that an audit entry is in the ledger a digest
 * describes: the entry's canonical encoding hashes to its row hash and
 * names its id, the row hash folds up its Merkle path to its block's
 * root, the block's fields hash to its block hash, each later block in the
 * proof links to the one before and hashes right, and the last block is the
 * digest's.  Exit 0 when the proof holds, 1 when it does not, 2 on bad
 * input.  The hashing follows docs/kyc_auditlog.md exactly.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/sha.h>

#define HASH_LEN 32
#define BLOCK_TAG "kyc_auditlog/block/v1"
#define ROW_TAG "kyc_auditlog/row/v1"

/* Print a message and exit with status. */
static void
Fail(int status, const char *what, const char *detail)
{
	fprintf(stderr, "kyc-audit-verify: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(status);
}

/* A member of obj, which must exist. */
static json_object *
Member(json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) || v == NULL)
		Fail(2, "missing field", key);
	return v;
}

/* 64 lowercase hex digits into 32 bytes. */
static void
HexField(json_object *obj, const char *key, unsigned char *out)
{
	const char *hex = json_object_get_string(Member(obj, key));
	int			i;

	if (hex == NULL || strlen(hex) != 2 * HASH_LEN)
		Fail(2, "not a SHA-256 hex string", key);
	for (i = 0; i < 2 * HASH_LEN; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			Fail(2, "not a lowercase SHA-256 hex string", key);
	for (i = 0; i < HASH_LEN; i++)
	{
		char		hi = hex[2 * i];
		char		lo = hex[2 * i + 1];

		out[i] = (unsigned char) (((hi <= '9' ? hi - '0' : hi - 'a' + 10) << 4) |
								  (lo <= '9' ? lo - '0' : lo - 'a' + 10));
	}
}

/* A non-negative integer field; xids may exceed INT64_MAX, so read unsigned. */
static uint64_t
IntField(json_object *obj, const char *key)
{
	json_object *v = Member(obj, key);

	if (json_object_get_type(v) != json_type_int)
		Fail(2, "not an integer", key);
	return json_object_get_uint64(v);
}

/* A signed integer field: times before 2000 are negative microseconds. */
static int64_t
SignedField(json_object *obj, const char *key)
{
	json_object *v = Member(obj, key);

	if (json_object_get_type(v) != json_type_int)
		Fail(2, "not an integer", key);
	return json_object_get_int64(v);
}

/* A member that must be a JSON array. */
static json_object *
ArrayField(json_object *obj, const char *key)
{
	json_object *v = Member(obj, key);

	if (json_object_get_type(v) != json_type_array)
		Fail(2, "not an array", key);
	return v;
}

/* Append v as 8 big-endian bytes. */
static unsigned char *
Put64(unsigned char *p, uint64_t v)
{
	int			i;

	for (i = 7; i >= 0; i--)
		*p++ = (unsigned char) (v >> (8 * i));
	return p;
}

/* The hash of a block, from its fields (see AuditBlockHash). */
static void
BlockHash(json_object *block, unsigned char *out)
{
	unsigned char buf[64 + 8 * 9 + 2 * HASH_LEN];
	unsigned char *p = buf;

	memcpy(p, BLOCK_TAG, strlen(BLOCK_TAG));
	p += strlen(BLOCK_TAG);
	p = Put64(p, IntField(block, "block_id"));
	HexField(block, "prev_hash", p);
	p += HASH_LEN;
	HexField(block, "merkle_root", p);
	p += HASH_LEN;
	p = Put64(p, IntField(block, "first_xid"));
	p = Put64(p, IntField(block, "first_entry"));
	p = Put64(p, IntField(block, "last_xid"));
	p = Put64(p, IntField(block, "last_entry"));
	p = Put64(p, IntField(block, "entry_count"));
	p = Put64(p, (uint64_t) SignedField(block, "sealed_at_us"));
	p = Put64(p, (uint64_t) SignedField(block, "min_entry_at_us"));
	p = Put64(p, (uint64_t) SignedField(block, "max_entry_at_us"));
	SHA256(buf, p - buf, out);
}

/* Check a block's stored hash; returns it. */
static void
CheckBlock(json_object *block, unsigned char *hash)
{
	unsigned char stored[HASH_LEN];

	BlockHash(block, hash);
	HexField(block, "block_hash", stored);
	if (memcmp(hash, stored, HASH_LEN) != 0)
		Fail(1, "block hash does not match its fields", json_object_get_string(Member(block, "block_id")));
}

/* The hashed columns of row encoding v1, in order (docs/kyc_auditlog.md). */
static const char *const row_columns[] = {
	"id", "entry_seq", "xid", "event_type", "entity_type", "entity_id", "case_id", "user_id",
	"user_role", "action", "description", "previous_values", "new_values", "timestamp",
	"ip_address", "user_agent", "session_id", "severity", "compliance_category"
};
#define ROW_COLUMNS (sizeof(row_columns) / sizeof(row_columns[0]))

/* Value of a lowercase hex digit, or -1. */
static int
HexDigit(char c)
{
	return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* A big-endian 8-byte integer. */
static uint64_t
Get64(const unsigned char *p)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Print one decoded value, as PostgreSQL would show it. */
static void
PrintValue(char tag, const unsigned char *v, uint64_t len)
{
	uint64_t	i;

	switch (tag)
	{
		case 's':
		case 'j':
			fwrite(v, 1, len, stdout);
			break;
		case 'u':
			for (i = 0; i < len; i++)
				printf("%s%02x", (i == 4 || i == 6 || i == 8 || i == 10) ? "-" : "", v[i]);
			break;
		case 'i':
		case 'x':
			printf("%" PRId64, (int64_t) Get64(v));
			break;
		case 't':
			{
				/* Microseconds since 2000-01-01 UTC, shown in UTC. */
				int64_t		us = (int64_t) Get64(v);
				time_t		secs = (time_t) (946684800 + us / 1000000 - (us % 1000000 < 0));
				struct tm	tm;
				char text[	32];

				gmtime_r(&secs, &tm);
				strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &tm);
				printf("%s.%06" PRId64 "+00", text, ((us % 1000000) + 1000000) % 1000000);
				break;
			}
		case 'b':
			printf("%s", len == 1 && v[0] ? "true" : "false");
			break;
		case 'a':
			if (len >= 2 && v[0] == 4 && len == 6)
				printf("%u.%u.%u.%u/%u", v[2], v[3], v[4], v[5], v[1]);
			else
			{
				for (i = 2; i < len; i += 2)
					printf("%s%02x%02x", i > 2 ? ":" : "", v[i], i + 1 < len ? v[i + 1] : 0);
				printf("/%u", (unsigned int) (len >= 2 ? v[1] : 0));
			}
			break;
	}
}

/*
 * The entry's canonical encoding (hex) must hash to row_hash, and decode,
 * column by column, into an entry whose id is the proof's entry_id.  What
 * is printed is decoded from the hashed bytes, so the proof cannot show one
 * entry and prove another.
 */
static void
CheckEncoding(json_object *proof, const unsigned char *row_hash)
{
	const char *hex = json_object_get_string(Member(proof, "encoding"));
	const char *entry_id = json_object_get_string(Member(proof, "entry_id"));
	size_t		len = hex ? strlen(hex) / 2 : 0;
	unsigned char *bytes;
	unsigned char hash[HASH_LEN];
	char		id_text[37];
	size_t		i;
	size_t		at = strlen(ROW_TAG);
	size_t		col;

	if (hex == NULL || strlen(hex) % 2 != 0)
		Fail(2, "not a hex string", "encoding");
	bytes = malloc(len + 1);
	if (bytes == NULL)
		Fail(2, "out of memory", NULL);
	for (i = 0; i < len; i++)
	{
		int			hi = HexDigit(hex[2 * i]);
		int			lo = HexDigit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			Fail(2, "not a lowercase hex string", "encoding");
		bytes[i] = (unsigned char) (hi << 4 | lo);
	}
	SHA256(bytes, len, hash);
	if (memcmp(hash, row_hash, HASH_LEN) != 0)
		Fail(1, "the entry's encoding does not hash to its row_hash", NULL);
	if (len < at || memcmp(bytes, ROW_TAG, at) != 0)
		Fail(1, "the entry's encoding is not row encoding v1", NULL);

	/*
	 * Decode every column: type tag, then 'N', or 'V', an 8-byte length and
	 * the bytes.
	 */
	printf("entry, as hashed:\n");
	for (col = 0; col < ROW_COLUMNS; col++)
	{
		char		tag;
		uint64_t	vlen;

		if (at + 2 > len)
			Fail(1, "the entry's encoding ends early", row_columns[col]);
		tag = (char) bytes[at];
		printf("  %-20s ", row_columns[col]);
		if (bytes[at + 1] == 'N')
		{
			printf("null\n");
			at += 2;
			continue;
		}
		if (bytes[at + 1] != 'V' || at + 10 > len)
			Fail(1, "the entry's encoding is malformed at", row_columns[col]);
		vlen = Get64(bytes + at + 2);
		if (vlen > len - at - 10)
			Fail(1, "the entry's encoding ends early", row_columns[col]);
		if (col == 0)
		{
			const unsigned char *id = bytes + at + 10;

			if (tag != 'u' || vlen != 16)
				Fail(1, "the entry's encoding does not start with its id", NULL);
			snprintf(id_text, sizeof(id_text),
					 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
					 id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
					 id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]);
			if (entry_id == NULL || strcmp(id_text, entry_id) != 0)
				Fail(1, "the entry's encoding is of another entry", id_text);
		}
		PrintValue(tag, bytes + at + 10, vlen);
		printf("\n");
		at += 10 + vlen;
	}
	if (at != len)
		Fail(1, "the entry's encoding has bytes after its last column", NULL);
	free(bytes);
}

/* Load a JSON file. */
static json_object *
Load(const char *path)
{
	json_object *obj = json_object_from_file(path);

	if (obj == NULL)
		Fail(2, "cannot read JSON from", path);
	return obj;
}

int
main(int argc, char **argv)
{
	json_object *proof;
	json_object *digest;
	json_object *block;
	json_object *path;
	json_object *chain;
	unsigned char node[HASH_LEN];
	unsigned char buf[1 + 2 * HASH_LEN];
	unsigned char root[HASH_LEN];
	unsigned char hash[HASH_LEN];
	unsigned char prev[HASH_LEN];
	unsigned char wanted[HASH_LEN];
	size_t		i;

	if (argc != 3)
	{
		fprintf(stderr, "usage: kyc-audit-verify proof.json digest.json\n");
		return 2;
	}
	proof = Load(argv[1]);
	digest = Load(argv[2]);
	if (IntField(proof, "version") != 1)
		Fail(2, "unsupported proof version", NULL);

	/* The entry's leaf, folded up its path, must give the block's root. */
	buf[0] = 0x00;
	HexField(proof, "row_hash", buf + 1);
	CheckEncoding(proof, buf + 1);
	SHA256(buf, 1 + HASH_LEN, node);
	path = ArrayField(proof, "path");
	for (i = 0; i < json_object_array_length(path); i++)
	{
		json_object *step = json_object_array_get_idx(path, i);
		const char *side = json_object_get_string(Member(step, "side"));
		unsigned char sibling[HASH_LEN];

		HexField(step, "hash", sibling);
		buf[0] = 0x01;
		if (strcmp(side, "left") == 0)
		{
			memcpy(buf + 1, sibling, HASH_LEN);
			memcpy(buf + 1 + HASH_LEN, node, HASH_LEN);
		}
		else if (strcmp(side, "right") == 0)
		{
			memcpy(buf + 1, node, HASH_LEN);
			memcpy(buf + 1 + HASH_LEN, sibling, HASH_LEN);
		}
		else
			Fail(2, "a path step's side must be left or right", side);
		SHA256(buf, 1 + 2 * HASH_LEN, node);
	}
	block = Member(proof, "block");
	HexField(block, "merkle_root", root);
	if (memcmp(node, root, HASH_LEN) != 0)
		Fail(1, "the entry is not in its block: the path does not reach the Merkle root", NULL);
	CheckBlock(block, hash);

	/* Each later block links to the one before, up to the digest's. */
	chain = ArrayField(proof, "chain");
	for (i = 0; i < json_object_array_length(chain) &&
		 IntField(block, "block_id") != IntField(digest, "block_id"); i++)
	{
		/* Stop at the digest's block: later seals do not matter to it. */
		block = json_object_array_get_idx(chain, i);
		HexField(block, "prev_hash", prev);
		if (memcmp(prev, hash, HASH_LEN) != 0)
			Fail(1, "broken link in the chain at block", json_object_get_string(Member(block, "block_id")));
		CheckBlock(block, hash);
	}
	if (IntField(block, "block_id") != IntField(digest, "block_id"))
		Fail(1, "the proof's chain does not end at the digest's block", NULL);
	HexField(digest, "block_hash", wanted);
	if (memcmp(hash, wanted, HASH_LEN) != 0)
		Fail(1, "the chain does not extend the digest: the block hash differs", NULL);

	printf("ok: entry %s is in block %" PRIu64 " of the ledger digest %s describes\n",
		   json_object_get_string(Member(proof, "entry_id")),
		   IntField(Member(proof, "block"), "block_id"),
		   json_object_get_string(Member(digest, "block_hash")));
	return 0;
}
