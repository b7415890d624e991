/*
 * master_key.c
 *		The master key that wraps every case's data key (common/kyc_pii.c):
 *		its setting, and a superuser function that creates one.
 *
 * The key is a file of 64 hex digits readable by the server alone.  It is
 * never stored in a table, so neither a dump nor a service role's query
 * can reveal it.
 */
#include "kyc_events.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "miscadmin.h"
#include "utils/builtins.h"

char	   *kyc_master_key_file = NULL;

PG_FUNCTION_INFO_V1(create_master_key);

/*
 * create_master_key(path text) returns text: write a new random master key
 * to path, which must not exist yet, readable by the server alone.  The
 * caller then sets kyc.master_key_file to it.
 */
Datum
create_master_key(PG_FUNCTION_ARGS)
{
	char	   *path = KycTextArg(fcinfo, 0, "path");
	uint8		key[KYC_PII_KEY_LEN];
	char		hex[2 * KYC_PII_KEY_LEN + 2];
	int			fd;
	bool		written;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a superuser can create the master key")));
	if (!is_absolute_path(path))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path \"%s\" is not absolute", path),
				 errhint("Name a file outside the data directory, so that base backups do not carry the key.")));
	if (!pg_strong_random(key, sizeof(key)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random master key")));
	KycHexEncode(key, sizeof(key), hex);
	explicit_bzero(key, sizeof(key));
	hex[2 * KYC_PII_KEY_LEN] = '\n';
	hex[2 * KYC_PII_KEY_LEN + 1] = '\0';

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | PG_BINARY, S_IRUSR | S_IWUSR);
	if (fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create master key file \"%s\": %m", path),
				 errhint("An existing master key is never overwritten: the data keys wrapped with it would be lost.")));
	written = write(fd, hex, strlen(hex)) == (ssize_t) strlen(hex) && fsync(fd) == 0;
	explicit_bzero(hex, sizeof(hex));
	if (close(fd) != 0 || !written)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not write master key file \"%s\": %m", path)));
	PG_RETURN_TEXT_P(cstring_to_text(path));
}
