/*
 * kyc_sender.c
 *		A reference sender for kyc_notification's queue, in C with libpq.
 *
 * It LISTENs on its channel's doorbell, claims a batch, "sends" each
 * message by appending a line to a file, fsynced before mark_sent(): a
 * crash between the two sends the message again once its lease expires
 * (at least once, never lost).  With nothing to claim it waits for the
 * doorbell or a poll timeout, since a NOTIFY is lost while disconnected
 * and a retry whose backoff ends rings nothing.  As in pg_cron, libpq runs
 * non-blocking and every wait is a poll() with a timeout, here also on a
 * pipe SIGTERM and SIGINT write to: a stop ends a wait at once, but the
 * message being sent is finished first.
 *
 *	kyc_sender -d conninfo [-c channel] [-w worker] [-b batch] [-l lease_s]
 *			   [-o file] [-s ms_per_message] [-p poll_s] [-f N] [-n]
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libpq-fe.h"

#define CONNECT_TIMEOUT_MS	10000
#define QUERY_TIMEOUT_MS	60000
#define BACKOFF_MAX_MS		30000

/* The options. */
static const char *conninfo = "";
static const char *channel = "Email";
static char worker[256];
static int	batch_size = 10;
static int	lease_s = 30;
static int	send_ms = 0;
static int	poll_s = 5;
static int	fail_every = 0;
static int	exit_when_empty = 0;

static FILE *out;
static int	out_is_file = 0;
static long out_lines = 0;
static long messages = 0;

/* The id and provider id of a mark_sent() the connection lost: retried. */
static char unmarked[2][64];

static volatile sig_atomic_t stop_requested = 0;
static int	wake_pipe[2] = {-1, -1};

/* Print a timestamped line to stderr. */
static void
Log(const char *fmt,...)
{
	va_list		args;
	time_t		now = time(NULL);
	char		stamp[32];
	char text[	1024];
	size_t		len;

	va_start(args, fmt);
	vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	len = strlen(text);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", localtime(&now));
	fprintf(stderr, "%s kyc_sender[%d]: %s%s", stamp, (int) getpid(), text,
			len > 0 && text[len - 1] == '\n' ? "" : "\n");
}

/* libpq's notices, such as the server's FATAL before it disconnects, through Log(). */
static void
LogNotice(void *arg, const char *message)
{
	(void) arg;
	Log("%s", message);
}

/* SIGTERM, SIGINT: ask the main loop to stop, and wake a wait. */
static void
HandleStop(int signo)
{
	int			save_errno = errno;
	ssize_t		rc;

	(void) signo;
	stop_requested = 1;
	rc = write(wake_pipe[1], "x", 1);
	(void) rc;
	errno = save_errno;
}

/* Milliseconds on the monotonic clock. */
static long
NowMs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Wait until sock is ready for events, up to timeout_ms: 1 when ready, 0
 * on timeout or, if wakeable, a stop request; -1 on error.  With sock -1
 * and not wakeable, a sleep that signals do not shorten.
 */
static int
WaitSocket(int sock, short events, long timeout_ms, int wakeable)
{
	struct pollfd fds[2] = {{sock, events, 0}, {wakeable ? wake_pipe[0] : -1, POLLIN, 0}};
	long		deadline = NowMs() + timeout_ms;
	long		left;
	int			rc;

	while ((left = deadline - NowMs()) > 0)
	{
		if ((rc = poll(fds, 2, (int) left)) < 0 && errno != EINTR)
			return -1;
		if (wakeable && stop_requested)
			return 0;
		if (rc > 0 && fds[0].revents)
			return 1;
	}
	return 0;
}

/* Connect without blocking, as pg_cron does; NULL on failure or timeout. */
static PGconn *
Connect(void)
{
	const char *keys[] = {"fallback_application_name", "dbname", NULL};
	const char *values[] = {"kyc_sender", conninfo, NULL};
	PGconn	   *conn = PQconnectStartParams(keys, values, 1);
	PostgresPollingStatusType status = PGRES_POLLING_WRITING;
	long		deadline = NowMs() + CONNECT_TIMEOUT_MS;

	while (conn && PQstatus(conn) != CONNECTION_BAD &&
		   status != PGRES_POLLING_OK && status != PGRES_POLLING_FAILED)
	{
		short		events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT;

		if (WaitSocket(PQsocket(conn), events, deadline - NowMs(), 1) <= 0)
			break;
		status = PQconnectPoll(conn);
	}
	if (conn && status == PGRES_POLLING_OK && PQsetnonblocking(conn, 1) == 0)
	{
		PQsetNoticeProcessor(conn, LogNotice, NULL);
		return conn;
	}
	Log("cannot connect: %s", conn ? PQerrorMessage(conn) : "out of memory");
	PQfinish(conn);
	return NULL;
}

/*
 * Run one statement without blocking: send, flush, then read until libpq
 * is no longer busy.  The last result, or NULL if the connection was lost
 * or the statement took longer than QUERY_TIMEOUT_MS.
 */
static PGresult *
Query(PGconn *conn, const char *sql, int nparams, const char *const *params)
{
	PGresult   *last = NULL;
	PGresult   *res;
	int			rc;

	if (!PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return NULL;
	while ((rc = PQflush(conn)) == 1)
		if (WaitSocket(PQsocket(conn), POLLIN | POLLOUT, QUERY_TIMEOUT_MS, 0) <= 0 ||
			!PQconsumeInput(conn))
			return NULL;
	if (rc < 0)
		return NULL;
	for (;;)
	{
		while (PQisBusy(conn))
			if (WaitSocket(PQsocket(conn), POLLIN, QUERY_TIMEOUT_MS, 0) <= 0 ||
				!PQconsumeInput(conn))
			{
				PQclear(last);
				return NULL;
			}
		if ((res = PQgetResult(conn)) == NULL)
			return last;
		PQclear(last);
		last = res;
	}
}

/* Run sql, logging a failure as what's: 1 done, 0 refused, -1 connection lost. */
static int
Run(PGconn *conn, const char *what, const char *sql, int nparams, const char *const *params)
{
	PGresult   *res = Query (conn, sql, nparams, params);
	ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	int			rc = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

	if (!rc)
		Log("%s: %s", what, res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	if (!rc && (res == NULL || PQstatus(conn) == CONNECTION_BAD))
		rc = -1;
	PQclear(res);
	return rc;
}

/* kyc_notification.fn(id, worker, arg), as Run() returns. */
static int
Call(PGconn *conn, const char *fn, const char *id, const char *arg)
{
	const char *params[3] = {id, worker, arg};
	char		sql[80];

	snprintf(sql, sizeof(sql), "SELECT kyc_notification.%s($1, $2, $3)", fn);
	return Run(conn, fn, sql, 3, params);
}

/* Connect and LISTEN on the doorbell, retrying with backoff until stopped. */
static PGconn *
ConnectAndListen(void)
{
	long		backoff_ms = 500;
	char		name[64];
	char		sql[160];
	int			i;

	snprintf(name, sizeof(name), "kyc_notification_%s", channel);
	for (i = 0; name[i]; i++)
		name[i] = (char) tolower((unsigned char) name[i]);
	while (!stop_requested)
	{
		PGconn	   *conn = Connect();
		char	   *quoted = conn ? PQescapeIdentifier(conn, name, strlen(name)) : NULL;

		snprintf(sql, sizeof(sql), "LISTEN %s", quoted ? quoted : "");
		PQfreemem(quoted);
		if (quoted && Run(conn, "LISTEN", sql, 0, NULL) == 1)
			return conn;
		PQfinish(conn);
		Log("retrying in %ld ms", backoff_ms);
		WaitSocket(-1, 0, backoff_ms, 1);
		backoff_ms = backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff_ms * 2;
	}
	return NULL;
}

/* Append a message's line and fsync it; its line number, or -1. */
static long
WriteLine(const char *id, const char *recipient, const char *attempt, const char *title)
{
	const char *p;

	fprintf(out, "%s\t%s\t%s\t", id, recipient, attempt);
	for (p = title; *p && *p != '\n'; p++)
		fputc(*p == '\t' || *p == '\r' ? ' ' : *p, out);
	fputc('\n', out);
	if (fflush(out) != 0 || ferror(out) || (out_is_file && fsync(fileno(out)) != 0))
		return -1;
	return ++out_lines;
}

/*
 * Send row i of a claimed batch: extend its lease once half of it has
 * passed (refused: another sender has it, drop it unsent), "send" it and
 * record the outcome.  As Run() returns.
 */
static int
SendOne(PGconn *conn, PGresult *batch, int i, long claimed_at)
{
	const char *id = PQgetvalue(batch, i, 0);
	const char *subject = PQgetvalue(batch, i, 2);
	char text[	64];
	long		line;
	int			rc;

	snprintf(text, sizeof(text), "%d seconds", lease_s);
	if (NowMs() - claimed_at > lease_s * 500L && (rc = Call(conn, "extend_lease", id, text)) != 1)
		return rc;
	WaitSocket(-1, 0, send_ms, 0);	/* the provider; a stop request waits */
	if (fail_every > 0 && ++messages % fail_every == 0)
	{
		snprintf(text, sizeof(text), "simulated failure (-f %d)", fail_every);
		return Call(conn, "mark_failed", id, text);
	}
	line = WriteLine(id, PQgetvalue(batch, i, 1), PQgetvalue(batch, i, 4),
					 *subject ? subject : PQgetvalue(batch, i, 3));
	if (line < 0)
	{
		Log("cannot write the output: %s", strerror(errno));
		exit(1);
	}
	snprintf(text, sizeof(text), "file:%ld", line);
	if ((rc = Call(conn, "mark_sent", id, text)) < 0)
	{
		snprintf(unmarked[0], sizeof(unmarked[0]), "%s", id);
		snprintf(unmarked[1], sizeof(unmarked[1]), "%s", text);
	}
	return rc;
}

/*
 * Claim a batch and send it: how many were claimed, -1 if the connection
 * was lost, -2 if claim() failed in a way that may pass.
 */
static int
ClaimAndSend(PGconn *conn)
{
	char		size[16];
	char		lease[32];
	const char *params[4] = {channel, size, worker, lease};
	long		claimed_at = NowMs();
	PGresult   *batch;
	const char *state;
	int			n;
	int			i;

	snprintf(size, sizeof(size), "%d", batch_size);
	snprintf(lease, sizeof(lease), "%d seconds", lease_s);
	batch = Query (conn, "SELECT id, recipient, subject, content, attempt "
				   "FROM kyc_notification.claim($1, $2::integer, $3, $4::interval)", 4, params);

	if (batch == NULL || PQresultStatus(batch) != PGRES_TUPLES_OK)
	{
		Log("claim: %s", batch ? PQresultErrorMessage(batch) : PQerrorMessage(conn));
		state = batch ? PQresultErrorField(batch, PG_DIAG_SQLSTATE) : NULL;
		if (state && (strncmp(state, "22", 2) == 0 || strncmp(state, "42", 2) == 0))
			exit(1);			/* a bad option or a missing grant */
		n = batch && PQstatus(conn) == CONNECTION_OK ? -2 : -1;
		PQclear(batch);
		return n;
	}
	n = PQntuples(batch);
	for (i = 0; i < n && !stop_requested; i++)
		if (SendOne(conn, batch, i, claimed_at) < 0)
		{
			n = -1;
			break;
		}
	PQclear(batch);
	return n;
}

/* Wait for the doorbell, the poll timeout or a stop; 0 if the connection was lost. */
static int
WaitForDoorbell(PGconn *conn)
{
	long		deadline = NowMs() + poll_s * 1000L;
	PGnotify   *note;
	int			rang = 0;

	while (!rang && !stop_requested && NowMs() < deadline)
	{
		if (!PQconsumeInput(conn))
			return 0;
		while ((note = PQnotifies(conn)) != NULL)
		{
			rang = 1;
			PQfreemem(note);
		}
		if (!rang && WaitSocket(PQsocket(conn), POLLIN, deadline - NowMs(), 1) < 0)
			return 0;
	}
	return 1;
}

/* Parse a whole-number option between min and max, or exit. */
static int
IntOption(int opt, const char *arg, int min, int max)
{
	char	   *end;
	long		value = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || value < min || value > max)
	{
		fprintf(stderr, "kyc_sender: -%c takes %d to %d, not \"%s\"\n", opt, min, max, arg);
		exit(2);
	}
	return (int) value;
}

/* Options, the output file, signals; then claim, send and wait until stopped. */
int
main(int argc, char **argv)
{
	const char *out_path = NULL;
	FILE	   *existing;
	char		host[128] = "localhost";
	struct sigaction sa = {.sa_handler = HandleStop};
	PGconn	   *conn = NULL;
	int			opt;
	int			n;

	gethostname(host, sizeof(host) - 1);
	snprintf(worker, sizeof(worker), "%s:%d", host, (int) getpid());
	while ((opt = getopt(argc, argv, "d:c:w:b:l:o:s:p:f:n")) != -1)
	{
		switch (opt)
		{
			case 'd':
				conninfo = optarg;
				break;
			case 'c':
				channel = optarg;
				break;
			case 'w':
				snprintf(worker, sizeof(worker), "%s", optarg);
				break;
			case 'b':
				batch_size = IntOption(opt, optarg, 1, 1000);
				break;
			case 'l':
				lease_s = IntOption(opt, optarg, 1, 86400);
				break;
			case 'o':
				out_path = optarg;
				break;
			case 's':
				send_ms = IntOption(opt, optarg, 0, 3600000);
				break;
			case 'p':
				poll_s = IntOption(opt, optarg, 1, 86400);
				break;
			case 'f':
				fail_every = IntOption(opt, optarg, 0, INT_MAX);
				break;
			case 'n':
				exit_when_empty = 1;
				break;
			default:
				fprintf(stderr, "usage: kyc_sender -d conninfo [-c channel] [-w worker] [-b batch] "
						"[-l lease_s] [-o file] [-s ms_per_message] [-p poll_s] [-f N] [-n]\n");
				return 2;
		}
	}

	/* Line numbers go on from the file's last line: they are provider ids. */
	out = stdout;
	if (out_path)
	{
		if ((existing = fopen(out_path, "r")) != NULL)
		{
			while ((n = getc(existing)) != EOF)
				out_lines += n == '\n';
			fclose(existing);
		}
		if ((out = fopen(out_path, "a")) == NULL)
		{
			fprintf(stderr, "kyc_sender: cannot open \"%s\": %s\n", out_path, strerror(errno));
			return 1;
		}
		out_is_file = 1;
	}
	if (pipe(wake_pipe) != 0 || fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK) != 0)
	{
		perror("kyc_sender: pipe");
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	Log("worker %s sends %s, %d at a time, with a %d s lease", worker, channel, batch_size, lease_s);
	while (!stop_requested)
	{
		if (conn == NULL && (conn = ConnectAndListen()) == NULL)
			break;
		if (unmarked[0][0] && Call(conn, "mark_sent", unmarked[0], unmarked[1]) >= 0)
			unmarked[0][0] = '\0';
		n = ClaimAndSend(conn);
		if (n == 0 && exit_when_empty)
			break;
		if (n == -2)
			WaitSocket(-1, 0, poll_s * 1000L, 1);
		else if (n < 0 || (n == 0 && !WaitForDoorbell(conn)))
		{
			Log("connection lost; reconnecting");
			PQfinish(conn);
			conn = NULL;
		}
	}
	Log("stopping");
	PQfinish(conn);
	return 0;
}
