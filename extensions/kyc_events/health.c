/*
 * health.c
 *		kyc_events.health() of another database of this server, for the
 *		cluster-wide summary in pg_cron's database (scripts/health.sql).
 *
 * pgkyc.remote_health(dbname) connects to database dbname of this very
 * server, over its first Unix socket directory (localhost when it has
 * none) and its port, as the current user, and returns what
 * kyc_events.health() returns there: NULL when kyc_events, or a version of
 * it with health(), is not installed in that database.  It is not a member
 * of the extension: scripts/health.sql declares it in the cron database,
 * where kyc_events is not installed, and only the SECURITY DEFINER summary
 * there calls it.
 *
 * The connection goes out with the server's own identity and files (peer
 * authentication, the server's password file), so, as with dblink, only a
 * superuser may make one.  The session it opens pins its search_path and
 * has a statement timeout, so neither a database's settings nor a slow
 * database can hold the caller for long; every wait answers interrupts.
 */
#include "relay.h"

#include "libpq/libpq-be-fe-helpers.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/varlena.h"
#include "utils/wait_event.h"

/* The remote session's settings: a pinned path and bounded statements. */
#define HEALTH_OPTIONS "-c search_path=pg_catalog,pg_temp -c statement_timeout=30s " \
	"-c datestyle=ISO -c timezone=UTC"

/* Whether the database has kyc_events with health(), and then health() itself. */
#define HEALTH_PROBE "SELECT pg_catalog.to_regprocedure('kyc_events.health()') IS NOT NULL " \
	"AND EXISTS (SELECT FROM pg_catalog.pg_extension " \
	"WHERE extname OPERATOR(pg_catalog.=) 'kyc_events')"
#define HEALTH_QUERY "SELECT kyc_events.health()::pg_catalog.text"

/* Where this server accepts local connections: its first socket directory. */
static char *
LocalHost(void)
{
	const char *dirs = GetConfigOption("unix_socket_directories", false, false);
	List	   *names = NIL;

	if (dirs != NULL && SplitDirectoriesString(pstrdup(dirs), ',', &names) && names != NIL)
		return (char *) linitial(names);
	return "localhost";
}

/* Run sql on conn, expecting one row of one column; its value, or NULL. */
static char *
HealthQuery(PGconn *conn, const char *dbname, const char *sql)
{
	PGresult   *res = libpqsrv_exec(conn, sql, PG_WAIT_EXTENSION);
	char	   *value = NULL;

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
		PQnfields(res) != 1)
	{
		char	   *why = pchomp(res && PQresultStatus(res) != PGRES_TUPLES_OK ?
								 PQresultErrorMessage(res) :
								 res ? "it did not return one value" : PQerrorMessage(conn));

		PQclear(res);
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg("could not read the health of database \"%s\"", dbname),
				 errdetail_internal("%s", why)));
	}
	if (!PQgetisnull(res, 0, 0))
		value = pstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return value;
}

PG_FUNCTION_INFO_V1(kyc_events_remote_health);

/*
 * SQL: pgkyc.remote_health(dbname name) returns jsonb: kyc_events.health()
 * of database dbname of this server, NULL where it is not installed.
 * Superusers only (42501); a database that cannot be reached is 08001.
 */
Datum
kyc_events_remote_health(PG_FUNCTION_ARGS)
{
	char	   *dbname = NameStr(*PG_GETARG_NAME(0));
	const char *keywords[] = {"host", "port", "dbname", "user", "application_name",
	"connect_timeout", "options", NULL};
	const char *values[8];
	PGconn	   *volatile conn = NULL;
	char	   *volatile health = NULL;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read the health of database \"%s\"", dbname),
				 errdetail("The connection is made with the server's own credentials."),
				 errhint("Call pgkyc.database_health() or pgkyc.cluster_health(), which pg_monitor may.")));

	values[0] = LocalHost();
	values[1] = GetConfigOption("port", false, false);
	values[2] = dbname;
	values[3] = GetUserNameFromId(GetUserId(), false);
	values[4] = "pgkyc health";
	values[5] = "10";
	values[6] = HEALTH_OPTIONS;
	values[7] = NULL;

	conn = libpqsrv_connect_params(keywords, values, false, PG_WAIT_EXTENSION);
	PG_TRY();
	{
		char	   *installed;

		if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
			ereport(ERROR,
					(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
					 errmsg("could not connect to database \"%s\"", dbname),
					 errdetail_internal("%s", conn ? pchomp(PQerrorMessage(conn)) : "out of memory")));
		installed = HealthQuery(conn, dbname, HEALTH_PROBE);
		if (installed != NULL && strcmp(installed, "t") == 0)
			health = HealthQuery(conn, dbname, HEALTH_QUERY);
	}
	PG_FINALLY();
	{
		libpqsrv_disconnect(conn);
	}
	PG_END_TRY();

	if (health == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(health)));
}
