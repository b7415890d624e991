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
#include "storage/fd.h"
#include "utils/builtins.h"

char	   *kyc_master_key_file = NULL;

PG_FUNCTION_INFO_V1(kyc_events_create_master_key);

/*
 * create_master_key(path text) returns text: write a new random master key
 * to path, which must not exist yet, readable by the server alone.  The
 * caller then sets kyc.master_key_file to it.
 */
Datum
kyc_events_create_master_key(PG_FUNCTION_ARGS)
{
	char	   *path = KycTextArg(fcinfo, 0, "path");
	uint8		key[KYC_PII_KEY_LEN];
	char		hex[2 * KYC_PII_KEY_LEN + 2];
	char		dir[MAXPGPATH];
	int			fd;
	bool		written;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a superuser can create the master key")));

	/*
	 * open() would fail with ENAMETOOLONG, which has no SQLSTATE of its own
	 * (XX000).
	 */
	if (strlen(path) >= MAXPGPATH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path is %zu bytes long, longer than a path may be (%d)", strlen(path), MAXPGPATH - 1)));
	if (!is_absolute_path(path))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path \"%s\" is not absolute", path),
				 errhint("Name a file outside the data directory, so that base backups do not carry the key.")));
	canonicalize_path(path);
	if (path_is_prefix_of_path(DataDir, path))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path \"%s\" is inside the data directory", path),
				 errdetail("Base backups, and so every copy of the database, would carry the key with the data."),
				 errhint("Name a file outside the data directory, on storage backed up apart from it.")));
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
	/* The file's directory entry too: a crash must not lose a key in use. */
	strlcpy(dir, path, sizeof(dir));
	get_parent_directory(dir);
	fsync_fname(dir, true);
	PG_RETURN_TEXT_P(cstring_to_text(path));
}

PG_FUNCTION_INFO_V1(kyc_events_check_master_key);

/*
 * check_master_key() returns void: refuse unless kyc.master_key_file names a
 * usable master key (make provision's check, after a restart or a move).
 */
Datum
kyc_events_check_master_key(PG_FUNCTION_ARGS)
{
	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a superuser can check the master key")));
	KycPiiCheckMasterKey();
	PG_RETURN_VOID();
}
