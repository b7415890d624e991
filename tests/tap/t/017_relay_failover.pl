# The relay through a failover: the source database has a streaming
# standby, and the subscription's conninfo names both, with
# target_session_attrs=read-write.  Events are emitted in a stream; the
# primary is crashed while the relay is mid-way through a backlog that the
# standby has replayed, and the standby is promoted.  The relay follows the
# new primary by itself, and every event committed on the old primary and
# replicated, and every event emitted on the new one, is applied exactly
# once (a duplicate would break the subscriber's primary key and be
# dead-lettered).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', "shared_preload_libraries = 'kyc_events'");
$primary->start;
$primary->safe_psql('postgres', 'CREATE DATABASE src');
$primary->safe_psql('src', 'CREATE EXTENSION kyc_events');
$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

my $sub = PostgreSQL::Test::Cluster->new('sub');
$sub->init;
$sub->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.poll_interval = 200ms
kyc_events.batch_size = 50
});
$sub->start;
$sub->safe_psql('postgres', 'CREATE DATABASE sub');
$sub->safe_psql('sub', q{
	CREATE EXTENSION kyc_events;
	-- A unique key and no ON CONFLICT: a second delivery of an event fails,
	-- and is dead-lettered.
	CREATE TABLE public.applied (
		source		text NOT NULL,
		id			bigint NOT NULL,
		n			integer NOT NULL UNIQUE,
		PRIMARY KEY (source, id)
	);
	-- Slow enough (2 ms an event) that the relay is still draining the
	-- backlog when the primary goes.
	CREATE FUNCTION public.h(e kyc_events.event) RETURNS void
	LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM pg_catalog.pg_sleep(0.002);
		INSERT INTO public.applied (source, id, n) VALUES (e.source, e.id, (e.payload->>'n')::int);
	END
	$$;
});
$sub->append_conf('postgresql.conf', "kyc_events.databases = 'sub'");
$sub->reload;

# Both servers, the writable one chosen at each connection.
my $conninfo = sprintf('host=%s,%s port=%d,%d dbname=src target_session_attrs=read-write',
	$primary->host, $standby->host, $primary->port, $standby->port);
$sub->safe_psql('sub', "SELECT kyc_events.subscribe('failover', \$c\$$conninfo\$c\$, '{test.*}', 'public.h(kyc_events.event)')");

# wait_until(node, db, query, seconds): true once query returns t.
sub wait_until
{
	my ($node, $db, $query, $seconds) = @_;
	my $deadline = time + ($seconds // 120);
	while (time < $deadline)
	{
		return 1 if $node->safe_psql($db, $query) eq 't';
		Time::HiRes::sleep(0.2);
	}
	return 0;
}

# emit(node, from, to): events n = from .. to, 100 to a transaction.
sub emit
{
	my ($node, $from, $to) = @_;
	for (my $n = $from; $n <= $to; $n += 100)
	{
		my $last = $n + 99 > $to ? $to : $n + 99;
		$node->safe_psql('src', "SELECT kyc_events.emit('test.event', 'agg-' || n, jsonb_build_object('n', n))
			FROM generate_series($n, $last) n");
	}
}

emit($primary, 1, 300);
ok(wait_until($sub, 'sub', 'SELECT count(*) = 300 FROM public.applied'),
	'the relay delivers from the primary through the multi-host conninfo');

# A backlog the standby has, and the relay has not finished: a lock on the
# handler's table holds the relay up while it lasts, so that a fast machine
# cannot drain the backlog before the crash.
my $hold = $sub->background_psql('sub');
$hold->query_safe('BEGIN; LOCK TABLE public.applied IN SHARE MODE');
emit($primary, 301, 3300);
$primary->wait_for_catchup($standby, 'replay');
my $before = $sub->safe_psql('sub', 'SELECT count(*) FROM public.applied');
$primary->stop('immediate');
$standby->promote;
cmp_ok($before, '<', 3300, "the primary crashed with the relay mid-backlog ($before of 3300 applied)");
$hold->query_safe('COMMIT');
$hold->quit;

# On the new primary, more events.
emit($standby, 3301, 3500);
ok(wait_until($sub, 'sub', 'SELECT count(*) = 3500 FROM public.applied', 180),
	'the relay follows the promoted standby and drains the backlog');
is($sub->safe_psql('sub', 'SELECT count(DISTINCT n) || \' \' || min(n) || \' \' || max(n) FROM public.applied'),
	'3500 1 3500', 'every event, from both primaries, is applied once: none lost');
is($sub->safe_psql('sub', 'SELECT count(*) FROM kyc_events.dead_letters'), '0',
	'and none twice: no duplicate was refused into the dead letters');
like($sub->safe_psql('sub', "SELECT state FROM kyc_events.subscriptions WHERE name = 'failover'"),
	qr/^streaming$/, 'the subscription is streaming from the new primary');

$standby->stop;
$sub->stop;
done_testing();
