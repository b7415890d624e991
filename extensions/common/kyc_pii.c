/*
 * kyc_pii.c
 *		Personal data sealed with AES-256-GCM under per-case data keys.
 *
 * A sealed value is text, so it travels unchanged through rows, events,
 * projections and the audit log:
 *
 *		pii:v1:<field>:<case id>:<base64 of nonce | ciphertext | tag>
 *
 * The field and the case are authenticated (GCM's additional data), so a
 * sealed value moved to another column or case does not open.  Each case
 * has a random 256-bit data key; the key is stored only wrapped (sealed with
 * AES-256-GCM under the master key, with the case id as additional data).
 * The master key lives in the file kyc.master_key_file names, readable only
 * by the server, never in a table.  Destroying a case's wrapped data key
 * (kyc_pii_keys.c) makes every copy of its sealed values unreadable.
 */
#include "kyc_common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "common/base64.h"
#include "storage/fd.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#define PII_PREFIX "pii:v1:"
#define PII_NONCE_LEN 12
#define PII_TAG_LEN 16
#define PII_WRAPPED_LEN (PII_NONCE_LEN + KYC_PII_KEY_LEN + PII_TAG_LEN)

/*
 * The master key, read once per backend and again whenever the file named
 * is another one or has changed (its inode, size, or modification or change
 * time).
 */
static uint8 master_key[KYC_PII_KEY_LEN];
static char *master_key_path = NULL;
static struct stat master_key_stat;

/* Decode 64 hex digits (then optional white space) into a 32-byte key; false if malformed. */
static bool
ParseHexKey(const char *str, size_t len, uint8 *key)
{
	int			i;

	while (len > 0 && (str[len - 1] == '\n' || str[len - 1] == '\r' ||
					   str[len - 1] == ' ' || str[len - 1] == '\t'))
		len--;
	if (len != 2 * KYC_PII_KEY_LEN)
		return false;
	for (i = 0; i < 2 * KYC_PII_KEY_LEN; i++)
	{
		char		c = str[i];
		int			v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return false;
		if (i % 2 == 0)
			key[i / 2] = v << 4;
		else
			key[i / 2] |= v;
	}
	return true;
}

/*
 * Refuse to go on: the master key cannot be used, for the reason given.
 * The file's path goes to the server log only: an API client sees the
 * error, and the path is a superuser's setting.
 */
static void
pg_attribute_noreturn()
MasterKeyError(const char *path, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("personal data cannot be sealed or opened: %s", detail),
			 errdetail_log("kyc.master_key_file is \"%s\".", path ? path : ""),
			 errhint("An administrator must check kyc.master_key_file: a file of 64 hex digits "
					 "readable by the server alone (chmod 600).")));
}

/* True when st describes the file the cached key was read from, unchanged. */
static bool
SameKeyFile(const char *path, const struct stat *st)
{
	return master_key_path != NULL && strcmp(master_key_path, path) == 0 &&
		st->st_ino == master_key_stat.st_ino && st->st_dev == master_key_stat.st_dev &&
		st->st_size == master_key_stat.st_size && st->st_mtime == master_key_stat.st_mtime &&
		st->st_ctime == master_key_stat.st_ctime;
}

/* Read the key file at path into key; false unless it holds 64 hex digits. */
static bool
ReadKeyFile(const char *path, uint8 *key)
{
	char		buf[2 * KYC_PII_KEY_LEN + 8];
	int			fd = OpenTransientFile(path, O_RDONLY | PG_BINARY);
	ssize_t		len;
	bool		ok;

	if (fd < 0)
		MasterKeyError(path, "the master key file cannot be opened");
	len = read(fd, buf, sizeof(buf));
	CloseTransientFile(fd);
	ok = len > 0 && ParseHexKey(buf, len, key);
	explicit_bzero(buf, sizeof(buf));
	return ok;
}

/* The master key from kyc.master_key_file, checked on every use, read when it changed. */
static const uint8 *
MasterKey(void)
{
	const char *path = GetConfigOption("kyc.master_key_file", true, false);
	struct stat st;
	uint8		key[KYC_PII_KEY_LEN];

	if (path == NULL || path[0] == '\0')
		MasterKeyError(path, "kyc.master_key_file is not set");
	if (stat(path, &st) != 0)
		MasterKeyError(path, "the master key file cannot be read");
	if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		MasterKeyError(path, "the master key file must be a regular file without group or world access");
	if (SameKeyFile(path, &st))
		return master_key;
	if (!ReadKeyFile(path, key))
		MasterKeyError(path, "the master key file does not hold 64 hex digits");
	memcpy(master_key, key, KYC_PII_KEY_LEN);
	explicit_bzero(key, sizeof(key));
	if (master_key_path != NULL)
		pfree(master_key_path);
	master_key_path = MemoryContextStrdup(TopMemoryContext, path);
	master_key_stat = st;
	return master_key;
}

/* Refuse unless the master key can be used: for make provision's check. */
void
KycPiiCheckMasterKey(void)
{
	(void) MasterKey();
}

/*
 * AES-256-GCM: encrypt (or decrypt) len bytes of in into out, with aad
 * authenticated.  Encrypting writes the tag; decrypting checks it and
 * returns false when it does not match.
 */
static bool
Gcm(bool encrypt, const uint8 *key, const uint8 *nonce, const char *aad,
	const uint8 *in, int len, uint8 *out, uint8 *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int			outlen;
	bool		ok;

	if (ctx == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1 &&
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, PII_NONCE_LEN, NULL) == 1 &&
		EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, encrypt) == 1 &&
		EVP_CipherUpdate(ctx, NULL, &outlen, (const uint8 *) aad, strlen(aad)) == 1 &&
		(len == 0 || EVP_CipherUpdate(ctx, out, &outlen, in, len) == 1) &&
		(encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, PII_TAG_LEN, tag) == 1) &&
		EVP_CipherFinal_ex(ctx, out + (len == 0 ? 0 : outlen), &outlen) == 1 &&
		(!encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, PII_TAG_LEN, tag) == 1);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		ERR_clear_error();
	if (!ok && encrypt)
		elog(ERROR, "AES-256-GCM encryption failed");
	return ok;
}

/* A fresh random nonce; GCM must never reuse one under the same key. */
static void
NewNonce(uint8 *nonce)
{
	if (!pg_strong_random(nonce, PII_NONCE_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random nonce")));
}

/* A new random data key for case_id, returned wrapped under the master key. */
bytea *
KycPiiNewWrappedKey(const char *case_id)
{
	uint8		key[KYC_PII_KEY_LEN];
	bytea	   *wrapped = palloc(VARHDRSZ + PII_WRAPPED_LEN);
	uint8	   *p = (uint8 *) VARDATA(wrapped);
	char	   *aad = psprintf("pgkyc data key:%s", case_id);
	const uint8 *master = MasterKey();

	if (!pg_strong_random(key, sizeof(key)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random data key")));
	SET_VARSIZE(wrapped, VARHDRSZ + PII_WRAPPED_LEN);
	NewNonce(p);
	Gcm(true, master, p, aad, key, KYC_PII_KEY_LEN, p + PII_NONCE_LEN,
		p + PII_NONCE_LEN + KYC_PII_KEY_LEN);
	explicit_bzero(key, sizeof(key));
	return wrapped;
}

/* Unwrap case_id's data key into key; an error if it does not authenticate. */
void
KycPiiUnwrapKey(const char *case_id, bytea *wrapped, uint8 *key)
{
	uint8	   *p = (uint8 *) VARDATA_ANY(wrapped);
	char	   *aad = psprintf("pgkyc data key:%s", case_id);

	if (VARSIZE_ANY_EXHDR(wrapped) != PII_WRAPPED_LEN ||
		!Gcm(false, MasterKey(), p, aad, p + PII_NONCE_LEN, KYC_PII_KEY_LEN, key,
			 p + PII_NONCE_LEN + KYC_PII_KEY_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the data key of case %s does not open with the master key", case_id),
				 errdetail("Either kyc.master_key_file names another key than the one the data key was "
						   "wrapped with, or the stored key was altered."),
				 errhint("Point kyc.master_key_file at the master key in use when the case was created.")));
}

/* The additional data a sealed value authenticates: its field and case. */
static char *
SealAad(const char *field, const char *case_id)
{
	return psprintf("%s%s:%s", PII_PREFIX, field, case_id);
}

/* Seal len bytes of plain for field of case_id under the case's data key. */
char *
KycPiiSeal(const uint8 *key, const char *field, const char *case_id, const char *plain, int len)
{
	int			raw_len = PII_NONCE_LEN + len + PII_TAG_LEN;
	uint8	   *raw = palloc(raw_len);
	char	   *aad = SealAad(field, case_id);
	int			b64_len = pg_b64_enc_len(raw_len);
	char	   *sealed = palloc(strlen(aad) + 1 + b64_len + 1);
	int			head;
	int			written;

	NewNonce(raw);
	Gcm(true, key, raw, aad, (const uint8 *) plain, len, raw + PII_NONCE_LEN,
		raw + PII_NONCE_LEN + len);
	head = sprintf(sealed, "%s:", aad);
	written = pg_b64_encode((const KycBase64Byte *) raw, raw_len, sealed + head, b64_len);
	if (written < 0)
		elog(ERROR, "base64 encoding of a sealed value failed");
	sealed[head + written] = '\0';
	return sealed;
}

/*
 * Split a sealed value into its field and case id, which the caller then
 * checks against where it was found; false unless it has the sealed form.
 * The field is an identifier and base64 has no ':', so the case id is what
 * lies between the field and the last ':', even if it holds a ':' itself.
 */
bool
KycPiiParse(const char *sealed, char **field, char **case_id)
{
	const char *f;
	const char *c;
	const char *data;

	if (strncmp(sealed, PII_PREFIX, strlen(PII_PREFIX)) != 0)
		return false;
	f = sealed + strlen(PII_PREFIX);
	c = strchr(f, ':');
	data = strrchr(f, ':');
	if (c == NULL || c == f || data == c || data == c + 1 || data - c - 1 > 40)
		return false;
	*field = pnstrdup(f, c - f);
	*case_id = pnstrdup(c + 1, data - c - 1);
	return true;
}

/* Open a sealed value with its case's data key; NULL if it does not authenticate. */
char *
KycPiiOpen(const uint8 *key, const char *sealed, int *len)
{
	const char *data = strrchr(sealed, ':') + 1;
	int			data_len = strlen(data);
	uint8	   *raw = palloc(pg_b64_dec_len(data_len) + 1);
	int			raw_len = pg_b64_decode(data, data_len, (KycBase64Byte *) raw, pg_b64_dec_len(data_len));
	char	   *aad = pnstrdup(sealed, data - 1 - sealed);
	char	   *plain;

	if (raw_len < PII_NONCE_LEN + PII_TAG_LEN)
		return NULL;
	*len = raw_len - PII_NONCE_LEN - PII_TAG_LEN;
	plain = palloc(*len + 1);
	if (!Gcm(false, key, raw, aad, raw + PII_NONCE_LEN, *len, (uint8 *) plain,
			 raw + PII_NONCE_LEN + *len))
		return NULL;
	plain[*len] = '\0';
	return plain;
}
