/*
 * source.c
 *		Connections from the relay to source databases, through libpq.
 *
 * Every wait is on the backend's latch as well as the socket, through
 * PostgreSQL's libpq-be-fe-helpers.h, so a relay stuck on a slow source
 * still answers SIGTERM and SIGHUP at once.
 */
#include "relay.h"

#include "access/xlog.h"
#include "commands/dbcommands.h"
#include "libpq/libpq-be-fe-helpers.h"
#include "miscadmin.h"
#include "utils/wait_event.h"

/*
 * Connect to a source.  Keepalives are on so a dead peer is noticed, and
 * timestamps come back in ISO form whatever the source's defaults.  The
 * caller's conninfo comes last, so its settings (multiple hosts,
 * target_session_attrs=read-write, passfile, service, ...) win.
 */
PGconn *
RelaySourceConnect(const char *conninfo, const char *app_name)
{
	const char *keywords[] = {"application_name", "connect_timeout", "keepalives",
	"keepalives_idle", "keepalives_interval", "keepalives_count", "options", "dbname", NULL};
	const char *values[] = {app_name, "10", "1", "30", "10", "3",
	"-c datestyle=ISO -c timezone=UTC", conninfo, NULL};
	PGconn	   *conn = libpqsrv_connect_params(keywords, values, true, PG_WAIT_EXTENSION);

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
	{
		char	   *why = conn ? pchomp(PQerrorMessage(conn)) : pstrdup("out of memory");

		libpqsrv_disconnect(conn);
		ereport(ERROR,
				(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("could not connect to event source"),
				 errdetail_internal("%s", why)));
	}
	return conn;
}

/* Close a source connection; NULL is fine. */
void
RelaySourceDisconnect(PGconn *conn)
{
	libpqsrv_disconnect(conn);
}

/*
 * Run a parameterised query on a source and return its tuples.  Failure,
 * whether of the query or of the connection, is an ERROR.
 */
PGresult *
RelaySourceQuery(PGconn *conn, const char *sql, int nparams, const char *const *values)
{
	PGresult   *res = libpqsrv_exec_params(conn, sql, nparams, NULL, values, NULL, NULL, 0,
										   PG_WAIT_EXTENSION);

	if (res == NULL || (PQresultStatus(res) != PGRES_TUPLES_OK &&
						PQresultStatus(res) != PGRES_COMMAND_OK))
	{
		char	   *why = pchomp(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));

		PQclear(res);
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg("event source query failed"),
				 errdetail_internal("%s", why)));
	}
	return res;
}

/* Run a statement on a source, discarding its result. */
void
RelaySourceCommand(PGconn *conn, const char *sql, int nparams, const char *const *values)
{
	PQclear(RelaySourceQuery(conn, sql, nparams, values));
}

/*
 * The name this subscription is known by on its source: system identifier,
 * database and subscription, so two subscriber clusters never collide.
 */
char *
RelayConsumerName(const char *subscription)
{
	return psprintf(UINT64_FORMAT "/%s/%s", GetSystemIdentifier(),
					get_database_name(MyDatabaseId), subscription);
}

/* True when conn is connected and idle, ready for the next query. */
bool
RelaySourceUsable(PGconn *conn)
{
	return conn != NULL && PQstatus(conn) == CONNECTION_OK &&
		PQtransactionStatus(conn) == PQTRANS_IDLE;
}
