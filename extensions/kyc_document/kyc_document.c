/*
 * kyc_document.c
 *		Module entry point, the kyc_document.max_size_bytes setting, and the
 *		check every trigger of the extension makes on how it is called.
 */
#include "kyc_document.h"

#include <ctype.h>

#include "common/int.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

/* Trigger: names the column, the value and the allowed list (kyc_allowed.c). */
KYC_ALLOWED_VALUES_TRIGGER(kyc_document_allowed_values);

void		_PG_init(void);

/* Columns of documents, by name; each caches its attribute number. */
KycColumn	col_id = KYC_COLUMN("id");
KycColumn	col_case_id = KYC_COLUMN("case_id");
KycColumn	col_applicant_id = KYC_COLUMN("applicant_id");
KycColumn	col_document_type = KYC_COLUMN("document_type");
KycColumn	col_status = KYC_COLUMN("status");
KycColumn	col_file_name = KYC_COLUMN("file_name");
KycColumn	col_mime_type = KYC_COLUMN("mime_type");
KycColumn	col_size_bytes = KYC_COLUMN("size_bytes");
KycColumn	col_sha256 = KYC_COLUMN("sha256");
KycColumn	col_storage_uri = KYC_COLUMN("storage_uri");
KycColumn	col_uploaded_at = KYC_COLUMN("uploaded_at");
KycColumn	col_verified_at = KYC_COLUMN("verified_at");
KycColumn	col_expires_at = KYC_COLUMN("expires_at");
KycColumn	col_reviewer = KYC_COLUMN("reviewer");
KycColumn	col_rejection_reason = KYC_COLUMN("rejection_reason");
KycColumn	col_created_at = KYC_COLUMN("created_at");
KycColumn	col_updated_at = KYC_COLUMN("updated_at");
KycColumn	col_document_number = KYC_COLUMN("document_number");
KycColumn	col_document_number_sealed = KYC_COLUMN("document_number_sealed");

/* 25 MB, the default of kyc_document.max_size_bytes. */
#define DOC_DEFAULT_MAX_SIZE "25MB"

int64		document_max_size_bytes = INT64CONST(25) * 1024 * 1024;

/* The setting's text, as the GUC machinery keeps it. */
static char *max_size_setting = NULL;

/* A size unit and how many bytes it stands for; units are binary, as in PostgreSQL. */
typedef struct ByteUnit
{
	const char *name;
	int64		bytes;
} ByteUnit;

static const ByteUnit byte_units[] = {
	{"", 1},
	{"B", 1},
	{"bytes", 1},
	{"kB", INT64CONST(1024)},
	{"MB", INT64CONST(1024) * 1024},
	{"GB", INT64CONST(1024) * 1024 * 1024},
	{"TB", INT64CONST(1024) * 1024 * 1024 * 1024},
};

/*
 * Parse a size such as "26214400", "25MB" or "1 GB" (units compared without
 * regard to case) into bytes; false when text is not such a size or the
 * number does not fit in a bigint.  Reports nothing: a GUC check hook must
 * not raise errors.
 */
static bool
ParseByteSize(const char *str, int64 *bytes)
{
	const char *p = str;
	const char *end;
	int64		value = 0;
	int			i;

	while (isspace((unsigned char) *p))
		p++;
	if (!isdigit((unsigned char) *p))
		return false;
	for (; isdigit((unsigned char) *p); p++)
		if (pg_mul_s64_overflow(value, 10, &value) ||
			pg_add_s64_overflow(value, *p - '0', &value))
			return false;
	while (isspace((unsigned char) *p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char) end[-1]))
		end--;
	for (i = 0; i < lengthof(byte_units); i++)
		if (strlen(byte_units[i].name) == (size_t) (end - p) &&
			pg_strncasecmp(p, byte_units[i].name, end - p) == 0)
			return !pg_mul_s64_overflow(value, byte_units[i].bytes, bytes);
	return false;
}

/* Check hook of kyc_document.max_size_bytes: parse once, keep the bytes as extra. */
static bool
CheckMaxSize(char **newval, void **extra, GucSource source)
{
	int64		bytes;
	int64	   *keep;

	if (*newval == NULL || !ParseByteSize(*newval, &bytes))
	{
		GUC_check_errdetail("Give a number of bytes, optionally with a unit: B, kB, MB, GB or TB (1 kB = 1024 bytes).");
		return false;
	}
	/* The GUC machinery frees extra with free(). */
	keep = malloc(sizeof(int64));
	if (keep == NULL)
		return false;
	*keep = bytes;
	*extra = keep;
	return true;
}

/* Assign hook of kyc_document.max_size_bytes. */
static void
AssignMaxSize(const char *newval, void *extra)
{
	document_max_size_bytes = *(int64 *) extra;
}

/* Define the module's settings. */
void
_PG_init(void)
{
	DefineCustomStringVariable("kyc_document.max_size_bytes",
							   "Largest document kyc_document.documents accepts, in bytes.",
							   "A number of bytes, optionally with a unit: B, kB, MB, GB or TB.",
							   &max_size_setting,
							   DOC_DEFAULT_MAX_SIZE,
							   PGC_SUSET,
							   0,
							   CheckMaxSize, AssignMaxSize, NULL);
	MarkGUCPrefixReserved("kyc_document");
}
