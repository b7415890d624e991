# The doorbell and the relay's reads around it (issue 16).  A commit skips
# its NOTIFY while the last ring of its database is still committing; when
# such a commit becomes visible only after the relay has read for that ring,
# the relay's reads after the drain deliver it, with no poll to help
# (kyc_events.poll_interval is an hour here).  A doorbell that rings while
# the relay is inside a handler makes it drain again once the batch ends.
# Acknowledgements, sent on a timer rather than after every drain, reach the
# source without another event, and before a reload.  Every event arrives
# exactly once, in commit order, and none is a dead letter.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('doorbell');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.poll_interval = 1h
});
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE src; CREATE DATABASE sub;');
$node->safe_psql('src', 'CREATE EXTENSION kyc_events');
$node->safe_psql('sub', q{
	CREATE EXTENSION kyc_events;
	-- The primary key fails a second delivery; seq records the order.
	CREATE TABLE public.seen (id bigint PRIMARY KEY, aggregate_id text NOT NULL,
							  seq bigint GENERATED ALWAYS AS IDENTITY);
	CREATE FUNCTION public.h(e kyc_events.event) RETURNS void LANGUAGE plpgsql AS $$
	BEGIN
		IF e.aggregate_id = 'slow' THEN
			PERFORM pg_catalog.pg_sleep(2);
		END IF;
		INSERT INTO public.seen (id, aggregate_id) VALUES (e.id, e.aggregate_id);
	END
	$$;
});
$node->append_conf('postgresql.conf', "kyc_events.databases = 'sub'");
$node->reload;

# Poll $sql in $db until it returns t.
sub wait_until
{
	my ($db, $sql) = @_;
	local $PostgreSQL::Test::Utils::timeout_default = 60;
	return $node->poll_query_until($db, $sql);
}

sub seen
{
	my ($tag) = @_;
	return "SELECT count(*) = 1 FROM public.seen WHERE aggregate_id = '$tag'";
}

# Delivered before the subscription exists: once it is seen, the relay has
# connected and LISTENs, so every later event has a doorbell to ring.
$node->safe_psql('src', "SELECT kyc_events.emit('test.created', 'warmup', '{}')");
my $conninfo = $node->connstr('src');
$node->safe_psql('sub', qq{
	SET client_min_messages = warning;
	SELECT kyc_events.subscribe('bell', \$c\$$conninfo\$c\$, '{*}', 'public.h(kyc_events.event)');
});
ok(wait_until('sub', seen('warmup')), 'the relay delivers the backlog on connecting');

# ---------- 1. a skipped doorbell whose commit lands after the read ----------

# r rings and s skips: both hold up their commits after the pre-commit
# callbacks, where the doorbell is decided, on a lock that h_r and h_s take
# on their ON COMMIT DELETE ROWS tables.  r takes its xid first, so r's
# event is readable while s is still open.
my $listener = $node->background_psql('src');
$listener->query_safe('LISTEN kyc_events');
my %bg;
for my $who ('r', 's')
{
	$bg{$who} = $node->background_psql('src');
	$bg{$who}->query_safe(qq{
		SET kyc_events.doorbell_interval = '1s';
		CREATE TEMP TABLE hold_$who (x int) ON COMMIT DELETE ROWS;
		BEGIN;
		INSERT INTO hold_$who VALUES (1);
		SELECT kyc_events.emit('test.created', '$who', '{}');
	});
	$bg{"h_$who"} = $node->background_psql('src');
	$bg{"h_$who"}->query_safe(qq{
		BEGIN;
		DO \$\$ BEGIN EXECUTE format('LOCK TABLE %I.hold_$who IN ACCESS SHARE MODE',
			(SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE c.relname = 'hold_$who' AND c.relpersistence = 't')); END \$\$;
	});
}
my %pid = map { $_ => $bg{$_}->query_safe('SELECT pg_backend_pid()') } ('r', 's');
for my $who ('r', 's')
{
	$bg{$who}->query_until(qr/committing/, "\\echo committing\nCOMMIT;\n");
	ok(wait_until('postgres',
			"SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $pid{$who}"),
		"$who\'s commit is held up after its doorbell was decided");
}
$bg{h_r}->query_safe('COMMIT');
ok(wait_until('sub', seen('r')), 'r\'s ring delivers r\'s event while s is still committing');
is($node->safe_psql('sub', seen('s')), 'f', '... and s\'s event is not readable yet');
$bg{h_s}->query_safe('COMMIT');
ok(wait_until('sub', seen('s')), 's\'s event is delivered without a doorbell of its own or a poll');

my $heard = $listener->query_safe('SELECT 1');
note "doorbells heard: r " . ($heard =~ /PID $pid{r}\b/ ? 'rang' : 'did not ring')
  . ", s " . ($heard =~ /PID $pid{s}\b/ ? 'rang' : 'did not ring');
$_->quit for values %bg;
$listener->quit;

# ---------- 2. a doorbell while the relay is inside a handler ----------

$node->safe_psql('src', "SELECT kyc_events.emit('test.created', 'slow', '{}')");
ok(wait_until('sub',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'kyc_events relay' AND wait_event = 'PgSleep'"),
	'the relay is inside the handler of the slow event');
$node->safe_psql('src', "SELECT kyc_events.emit('test.created', 'during', '{}')");
ok(wait_until('sub', seen('during')), 'the event whose doorbell rang meanwhile is delivered');

# ---------- acknowledgements ----------

# The worker acknowledges on a timer, not after every drain, and before a
# reload drops its connections: the source gets the last position without
# another event to carry it, even when a reload follows the delivery at once.
sub acked_up_to_cursor
{
	my $cursor = $node->safe_psql('sub',
		"SELECT last_xid || '/' || last_id FROM kyc_events.subscription WHERE name = 'bell'");
	return wait_until('src',
		"SELECT acked_xid || '/' || acked_id = '$cursor' FROM kyc_events.consumers WHERE name LIKE '%/sub/bell'");
}
ok(acked_up_to_cursor(), 'the source has the acknowledgement of the last event delivered');
$node->safe_psql('src', "SELECT kyc_events.emit('test.created', 'reload', '{}')");
ok(wait_until('sub', seen('reload')), 'one more event is delivered');
$node->safe_psql('sub', "UPDATE kyc_events.subscription SET topics = '{*}' WHERE name = 'bell'");
ok(acked_up_to_cursor(), '... and acknowledged though the worker reloaded right after');

# ---------- every event once, in order ----------

is($node->safe_psql('sub', 'SELECT string_agg(aggregate_id, \' \' ORDER BY seq) FROM public.seen'),
	'warmup r s slow during reload', 'every event delivered once, in commit order');
is($node->safe_psql('sub', 'SELECT count(*) FROM kyc_events.dead_letters'), '0', 'no dead letters');
is($node->safe_psql('sub', "SELECT state FROM kyc_events.subscriptions WHERE name = 'bell'"),
	'streaming', 'the subscription is streaming');

done_testing();
