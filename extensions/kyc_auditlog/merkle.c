/*
 * merkle.c
 *		Merkle roots over row hashes, and block hashes.
 *
 * Leaves are SHA-256(0x00 || row hash) and inner nodes SHA-256(0x01 ||
 * left || right), so a leaf can never pass for a node (RFC 6962's domain
 * separation).  A node without a partner moves up a level unchanged.  The
 * stand-alone verifier recomputes exactly this.
 */
#include "kyc_auditlog.h"

#include "port/pg_bswap.h"

/* SHA-256 of a one-byte prefix and up to two 32-byte hashes. */
static void
HashNode(uint8 prefix, const uint8 *left, const uint8 *right, uint8 *out)
{
	uint8		buf[1 + 2 * KYC_SHA256_LEN];
	size_t		len = 1 + KYC_SHA256_LEN;

	buf[0] = prefix;
	memcpy(buf + 1, left, KYC_SHA256_LEN);
	if (right != NULL)
	{
		memcpy(buf + 1 + KYC_SHA256_LEN, right, KYC_SHA256_LEN);
		len += KYC_SHA256_LEN;
	}
	KycSha256(buf, len, out);
}

/* Merkle root of n row hashes (n > 0); the hashes are overwritten. */
void
AuditMerkleRoot(uint8 (*hashes)[KYC_SHA256_LEN], int n, uint8 *root)
{
	int			i;

	for (i = 0; i < n; i++)
		HashNode(0x00, hashes[i], NULL, hashes[i]);
	while (n > 1)
	{
		int			up = 0;

		for (i = 0; i < n; i += 2)
		{
			if (i + 1 < n)
				HashNode(0x01, hashes[i], hashes[i + 1], hashes[up]);
			else
				memmove(hashes[up], hashes[i], KYC_SHA256_LEN);
			up++;
		}
		n = up;
	}
	memcpy(root, hashes[0], KYC_SHA256_LEN);
}

/* Append a 64-bit value, big-endian. */
static void
Append64(uint8 **p, uint64 v)
{
	uint64		be = pg_hton64(v);

	memcpy(*p, &be, sizeof(be));
	*p += sizeof(be);
}

/*
 * Hash of a block: its version tag, id, previous block's hash, Merkle root,
 * first and last entry as (xid, entry_seq), entry count, sealing time, and
 * the earliest and latest "timestamp" of its entries.
 */
void
AuditBlockHash(const AuditBlock *block, uint8 *out)
{
	uint8		buf[64 + 8 * 9 + 2 * KYC_SHA256_LEN];
	uint8	   *p = buf;
	size_t		taglen = strlen(AUDIT_BLOCK_V1);

	memcpy(p, AUDIT_BLOCK_V1, taglen);
	p += taglen;
	Append64(&p, (uint64) block->block_id);
	memcpy(p, block->prev_hash, KYC_SHA256_LEN);
	p += KYC_SHA256_LEN;
	memcpy(p, block->merkle_root, KYC_SHA256_LEN);
	p += KYC_SHA256_LEN;
	Append64(&p, block->first_xid);
	Append64(&p, (uint64) block->first_seq);
	Append64(&p, block->last_xid);
	Append64(&p, (uint64) block->last_seq);
	Append64(&p, (uint64) block->entries);
	Append64(&p, (uint64) block->sealed_at);
	Append64(&p, (uint64) block->min_entry_at);
	Append64(&p, (uint64) block->max_entry_at);
	KycSha256(buf, p - buf, out);
}
