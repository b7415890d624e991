# What the relay worker reports and the session it runs handlers in, on one
# cluster with a source database (src) and a subscriber (sub):
# - now() moves: each transaction of the worker starts a statement, so a
#   handler's now(), last_applied_at, lag_measured_at and a dead letter's
#   failed_at are the time of delivery, not of the worker's start;
# - the worker's search_path is pg_catalog's alone, whatever ALTER DATABASE
#   set;
# - a batch is bounded by payload bytes (kyc_events.max_batch_bytes);
# - an event larger than the subscriber's kyc_events.max_payload_size
#   becomes a dead letter without its payload, and the stream goes on;
# - a dropped handler, a refused connection (REVOKE CONNECT) and a wrong
#   host show in the subscriptions view as errors, and clear once fixed.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('health');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.poll_interval = 200ms
kyc_events.max_attempts = 2
kyc_events.retry_interval = 20ms
kyc_events.max_batch_bytes = 4kB
});
$node->start;

# ---------- source: its own login role, as make provision sets it up ----------

$node->safe_psql('postgres', q{
	CREATE DATABASE src;
	CREATE DATABASE sub;
	CREATE ROLE kyc_relay LOGIN;
	REVOKE CONNECT ON DATABASE src FROM PUBLIC;
	GRANT CONNECT ON DATABASE src TO kyc_relay;
});
$node->safe_psql('src', q{
	CREATE EXTENSION kyc_events;
	GRANT USAGE ON SCHEMA kyc_events TO kyc_relay;
	GRANT EXECUTE ON FUNCTION kyc_events.read(xid8, bigint, text[], integer, bigint),
		kyc_events.backlog(xid8, bigint, text[]), kyc_events.read_blocker(), kyc_events.ack(text, xid8, bigint),
		kyc_events.register_consumer(text, boolean) TO kyc_relay;
});
my $source = $node->connstr('src') . ' user=kyc_relay';

# ---------- subscriber: a handler that records when and where it ran ----------

# The handler has no SET search_path, so it runs in the worker's session's.
my $handler = q{
	CREATE FUNCTION public.h(e kyc_events.event) RETURNS void
	LANGUAGE plpgsql AS $$
	BEGIN
		IF e.payload ? 'fail' THEN
			RAISE EXCEPTION 'boom on event %', e.id;
		END IF;
		INSERT INTO public.seen (id, created_at, handler_now, xact, search_path)
		VALUES (e.id, e.created_at, now(), pg_current_xact_id()::text, current_setting('search_path'));
	END
	$$;
};
$node->safe_psql('sub', qq{
	CREATE EXTENSION kyc_events;
	CREATE SCHEMA evil;
	CREATE TABLE public.seen (id bigint PRIMARY KEY, created_at timestamptz, handler_now timestamptz,
							  xact text, search_path text);
	$handler
	SET client_min_messages = warning;
	SELECT kyc_events.subscribe('health', \$c\$$source\$c\$, '{*}', 'public.h(kyc_events.event)');
});
# What a database owner could do to a superuser's sessions there.
$node->safe_psql('postgres', 'ALTER DATABASE sub SET search_path = evil, public');
$node->append_conf('postgresql.conf', "kyc_events.databases = 'sub'");
$node->reload;

sub wait_until
{
	my ($db, $sql, $secs) = @_;
	local $PostgreSQL::Test::Utils::timeout_default = $secs // 30;
	return $node->poll_query_until($db, $sql);
}

sub view
{
	my ($cols) = @_;
	return $node->safe_psql('sub', "SELECT $cols FROM kyc_events.subscriptions WHERE name = 'health'");
}

# Emit $n events with payloads of $pad bytes in one transaction; their ids.
sub emit
{
	my ($n, $pad, $extra) = @_;
	$extra //= '';
	my $ids = $node->safe_psql('src',
		"SELECT kyc_events.emit('health.checked', 'H-' || i, jsonb_build_object('pad', repeat('x', $pad)$extra)) "
		  . "FROM generate_series(1, $n) i");
	return split /\n/, $ids;
}

sub delivered_ok
{
	my ($id, $what) = @_;
	ok(wait_until('sub', "SELECT count(*) = 1 FROM public.seen WHERE id = $id"), $what)
	  or diag view('*');
}

ok(wait_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'kyc_events relay' AND datname = 'sub'"),
	'the relay worker runs for sub');

# ---------- 1. now() moves between deliveries ----------

my ($first) = emit(1, 10);
delivered_ok($first, 'a first event is delivered');
my $applied_at_1 = view('last_applied_at');
sleep 2;
my ($second) = emit(1, 10);
delivered_ok($second, 'a second event, two seconds later, is delivered');

is($node->safe_psql('sub', 'SELECT bool_and(handler_now >= created_at) FROM public.seen'),
	't', "the handler's now() is after the event was emitted, not the worker's start");
cmp_ok($node->safe_psql('sub',
		"SELECT extract(epoch FROM max(handler_now) - min(handler_now)) FROM public.seen WHERE id IN ($first, $second)"),
	'>=', 1.5, "the handler's now() moves between two deliveries");
cmp_ok($node->safe_psql('sub',
		"SELECT extract(epoch FROM last_applied_at - '$applied_at_1') FROM kyc_events.subscriptions WHERE name = 'health'"),
	'>=', 1.5, 'last_applied_at moves too');
ok(wait_until('sub',
		"SELECT lag_measured_at >= (SELECT created_at FROM public.seen WHERE id = $second) "
		  . "FROM kyc_events.subscriptions WHERE name = 'health'", 10),
	'lag_measured_at is after the last event, so lag_seconds means something');

# ---------- 2. the worker's search_path ----------

is($node->safe_psql('sub', 'SELECT string_agg(DISTINCT search_path, \',\') FROM public.seen'),
	'pg_catalog, pg_temp',
	'handlers run with search_path pg_catalog, pg_temp, not what ALTER DATABASE set');

# ---------- 3. batches bounded by bytes ----------

# 20 payloads of about 1 kB against a 4 kB budget, in one source
# transaction: the relay applies them five at a time (the fifth reaches the
# budget), and keeps draining until all are in.
my @sized = emit(20, 1000);
delivered_ok($sized[-1], 'twenty 1 kB events are delivered');
is($node->safe_psql('sub', "SELECT count(*) FROM public.seen WHERE id BETWEEN $sized[0] AND $sized[-1]"),
	'20', '... all of them');
is($node->safe_psql('sub',
		"SELECT max(n) || '|' || count(*) FROM (SELECT count(*) AS n FROM public.seen "
		  . "WHERE id BETWEEN $sized[0] AND $sized[-1] GROUP BY xact) b"),
	'5|4', '... in four batches of five, bounded by kyc_events.max_batch_bytes');

# ---------- 4. a dead letter's failed_at ----------

my ($poison) = emit(1, 10, ", 'fail', true");
ok(wait_until('sub', "SELECT count(*) = 1 FROM kyc_events.dead_letters WHERE (event).id = $poison"),
	'a failing event becomes a dead letter');
is($node->safe_psql('sub',
		"SELECT failed_at >= (event).created_at FROM kyc_events.dead_letters WHERE (event).id = $poison"),
	't', "the dead letter's failed_at is when it failed");

# ---------- 4b. an event too large for this subscriber ----------

# The source takes payloads up to 1 MB; this subscriber only 2 kB.  The
# event fails at the relay, before any handler, on every attempt; then it
# becomes a dead letter without its payload, instead of being retried
# forever, and the events after it flow.
sub restart_relay
{
	my $relay = "SELECT pid FROM pg_stat_activity WHERE backend_type = 'kyc_events relay' AND datname = 'sub'";
	my $old = $node->safe_psql('postgres', $relay);
	$node->safe_psql('postgres', "SELECT pg_terminate_backend(pid) FROM ($relay) r");
	ok(wait_until('postgres', "SELECT count(*) = 1 FROM ($relay) r WHERE pid <> $old"),
		'the relay worker is back, with the database\'s settings');
}
$node->safe_psql('postgres', "ALTER DATABASE sub SET kyc_events.max_payload_size = '2kB'");
restart_relay();
my ($too_big) = emit(1, 3000);
my ($after_big) = emit(1, 10);
delivered_ok($after_big, 'the event after one too large for the subscriber is delivered');
is($node->safe_psql('sub',
		"SELECT (event).payload IS NULL AND (event).headers IS NULL AND (event).topic = 'health.checked' "
		  . "FROM kyc_events.dead_letters WHERE (event).id = $too_big"),
	't', 'the large event is a dead letter, its payload not kept');
like($node->safe_psql('sub', "SELECT error FROM kyc_events.dead_letters WHERE (event).id = $too_big"),
	qr/event payload is too large for this subscriber: The payload is 30\d\d bytes as JSON text; this database's kyc_events.max_payload_size is 2048 bytes/,
	'... with the reason');
my ($ret, $out, $err) = $node->psql('sub',
	"SELECT kyc_events.replay_dead_letter(id) FROM kyc_events.dead_letters WHERE (event).id = $too_big");
like($err, qr/dead letter \d+ has no payload to replay/, 'replaying it says there is no payload to replay');
is($node->safe_psql('sub', "SELECT count(*) FROM public.seen WHERE id = $too_big"), '0',
	'... and the handler never saw it');
$node->safe_psql('postgres', 'ALTER DATABASE sub RESET kyc_events.max_payload_size');
restart_relay();

# ---------- 5. a dropped handler ----------

$node->safe_psql('sub', 'DROP FUNCTION public.h(kyc_events.event)');
my ($orphan) = emit(1, 10);
ok(wait_until('sub', "SELECT state = 'error' FROM kyc_events.subscriptions WHERE name = 'health'"),
	'a dropped handler puts the subscription in state error')
  or diag view('*');
like(view('last_error'), qr/handler of subscription "health" does not exist/, '... with the reason');
is(view('last_error_at IS NOT NULL AND enabled'), 't', '... when, and the subscription is still enabled');

$node->safe_psql('sub', qq{
	$handler
	UPDATE kyc_events.subscription SET handler = 'public.h(kyc_events.event)' WHERE name = 'health';
});
delivered_ok($orphan, 'the held event is delivered once the handler is back');
ok(wait_until('sub', "SELECT state = 'streaming' AND last_error IS NULL FROM kyc_events.subscriptions WHERE name = 'health'"),
	'... and the error clears');

# ---------- 6. a refused connection ----------

# REVOKE CONNECT ends no session, so the relay finds out when it next
# connects, which any change to the subscriptions makes it do.
$node->safe_psql('postgres', 'REVOKE CONNECT ON DATABASE src FROM kyc_relay');
$node->safe_psql('sub', "UPDATE kyc_events.subscription SET topics = topics WHERE name = 'health'");
ok(wait_until('sub', "SELECT state = 'disconnected' FROM kyc_events.subscriptions WHERE name = 'health'"),
	'a refused connection puts the subscription in state disconnected')
  or diag view('*');
like(view('last_error'), qr/permission denied for database "src"/, '... with the server\'s reason');
my ($waiting) = emit(1, 10);
sleep 1;
is($node->safe_psql('sub', "SELECT count(*) FROM public.seen WHERE id = $waiting"), '0',
	'nothing is delivered meanwhile');
is(view('state'), 'disconnected', '... and the state stays disconnected, not streaming');

$node->safe_psql('postgres', 'GRANT CONNECT ON DATABASE src TO kyc_relay');
delivered_ok($waiting, 'once CONNECT is granted again, the relay reconnects and delivers');
ok(wait_until('sub', "SELECT state = 'streaming' AND last_error IS NULL FROM kyc_events.subscriptions WHERE name = 'health'"),
	'... and the subscription is streaming again');

# ---------- 7. a wrong host ----------

$node->safe_psql('sub', q{UPDATE kyc_events.subscription SET source = 'host=/nonexistent dbname=src user=kyc_relay'
	WHERE name = 'health'});
ok(wait_until('sub', "SELECT state = 'disconnected' FROM kyc_events.subscriptions WHERE name = 'health'"),
	'a wrong host puts the subscription in state disconnected')
  or diag view('*');
like(view('last_error'), qr/could not connect to event source.*nonexistent/s, '... with libpq\'s reason');
$node->safe_psql('sub', "UPDATE kyc_events.subscription SET source = \$c\$$source\$c\$ WHERE name = 'health'");
my ($last) = emit(1, 10);
delivered_ok($last, 'with the source fixed, events flow again');
ok(wait_until('sub', "SELECT state = 'streaming' AND last_error IS NULL FROM kyc_events.subscriptions WHERE name = 'health'"),
	'... and the subscription is streaming');

is($node->safe_psql('sub', 'SELECT count(*) FROM public.seen'), 2 + 20 + 1 + 3,
	'every event but the two dead letters was applied, each once');

$node->stop;
done_testing();
