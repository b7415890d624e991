# The relay across three clusters: two sources (src1, src2) and one
# subscriber (sub).  Events flow exactly once, in spite of a kill -9 of the
# subscriber, a terminated listener connection and a restarted source;
# a failing handler dead-letters one event without stopping the stream;
# pruning never removes an unacknowledged event; the relay worker lets an
# unrelated DROP DATABASE through and picks up a new subscription by itself.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);

# ---------- clusters ----------

my %src;
for my $name ('src1', 'src2')
{
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', "shared_preload_libraries = 'kyc_events'");
	$node->start;
	# Distinct database names: an event's source field is its database name.
	$node->safe_psql('postgres', "CREATE DATABASE $name");
	$node->safe_psql($name, 'CREATE EXTENSION kyc_events');
	$src{$name} = $node;
}

my $sub = PostgreSQL::Test::Cluster->new('sub');
$sub->init;
$sub->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.max_attempts = 3
kyc_events.retry_interval = 50ms
kyc_events.batch_size = 100
});
$sub->start;
$sub->safe_psql('postgres', 'CREATE DATABASE sub');
$sub->safe_psql('sub', q{
	CREATE EXTENSION kyc_events;
	-- A unique key and no ON CONFLICT: a second delivery of an event fails.
	CREATE TABLE public.applied (
		source		text NOT NULL,
		id			bigint NOT NULL,
		topic		text NOT NULL,
		payload		jsonb NOT NULL,
		applied_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
		PRIMARY KEY (source, id)
	);
	CREATE FUNCTION public.h(e kyc_events.event) RETURNS void
	LANGUAGE plpgsql AS $$
	BEGIN
		IF e.payload->>'fail' = 'true' THEN
			RAISE EXCEPTION 'boom on event %', e.id;
		END IF;
		INSERT INTO public.applied (source, id, topic, payload)
		VALUES (e.source, e.id, e.topic, e.payload);
	END
	$$;
});
# The database exists, so the launcher's first worker for it stays up.
$sub->append_conf('postgresql.conf', "kyc_events.databases = 'sub'");
$sub->reload;
my $relay_pid_sql = "SELECT pid FROM pg_stat_activity WHERE backend_type = 'kyc_events relay'";
ok(wait_until($sub, 'postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'kyc_events relay' AND datname = 'sub'"),
	'the launcher starts a relay worker for the listed database on reload');

sub subscribe
{
	my ($name, $source, $topics) = @_;
	my $conninfo = $src{$source}->connstr($source);
	$sub->safe_psql('sub',
		"SELECT kyc_events.subscribe('$name', \$c\$$conninfo\$c\$, '$topics', 'public.h(kyc_events.event)')");
}

# ---------- helpers ----------

# Every wait here takes seconds when the relay works; bound them so a
# broken relay fails the test in minutes rather than hours.
sub wait_until
{
	my ($node, $db, $sql, $secs) = @_;
	local $PostgreSQL::Test::Utils::timeout_default = $secs // 30;
	return $node->poll_query_until($db, $sql);
}

# Events the sources emitted that the subscriber should apply, by source.
my %expected = (src1 => 0, src2 => 0);

# Emit $n events of $topic on source $s in $txs transactions; payloads carry
# the phase, so each phase can be compared on its own.
sub emit
{
	my ($s, $topic, $phase, $n, $txs, %extra) = @_;
	my $per = int($n / $txs);
	my $sql = '';
	for my $t (1 .. $txs)
	{
		my $count = $t == $txs ? $n - $per * ($txs - 1) : $per;
		$sql .= "BEGIN; SELECT count(kyc_events.emit('$topic', 'KYC-$phase-$t', "
		  . "jsonb_build_object('phase', '$phase', 'tx', $t, 'i', i))) FROM generate_series(1, $count) i; COMMIT;\n";
	}
	$src{$s}->safe_psql($s, $sql);
	$expected{$s} += $n unless $extra{undelivered};
}

# count|md5 of (source, id, payload) of the events matching $where, as the
# source emitted them and as the subscriber applied them.
sub checksum_sql
{
	my ($source, $where, $on_sub) = @_;
	my $src_expr = $on_sub ? 'source' : 'current_database()';
	my $from = $on_sub ? "public.applied WHERE source = '$source' AND" : 'kyc_events.outbox WHERE';
	return "SELECT count(*), md5(coalesce(string_agg($src_expr || ':' || id || ':' || payload::text, ','"
	  . " ORDER BY id), '')) FROM $from ($where)";
}

# Wait until the subscriber holds as many matching events as the source,
# then compare checksums.
sub delivered_ok
{
	my ($s, $where, $what) = @_;
	my $want = $src{$s}->safe_psql($s, checksum_sql($s, $where, 0));
	my ($n) = split /\|/, $want;
	ok(wait_until($sub, 'sub',
			"SELECT count(*) >= $n FROM public.applied WHERE source = '$s' AND ($where)"),
		"$what: $n events of $s arrive")
	  or diag $sub->safe_psql('sub', 'SELECT * FROM kyc_events.subscriptions');
	is($sub->safe_psql('sub', checksum_sql($s, $where, 1)), $want,
		"$what: count and checksum of (source, id, payload) match $s");
	return $n;
}

sub view
{
	my ($name, $cols) = @_;
	return $sub->safe_psql('sub', "SELECT $cols FROM kyc_events.subscriptions WHERE name = '$name'");
}

sub no_redelivery_ok
{
	my ($what) = @_;
	is($sub->safe_psql('sub', "SELECT count(*) FROM kyc_events.dead_letters WHERE error LIKE '%duplicate key%'"),
		'0', "$what: no event was delivered twice");
}

# ---------- 1. two sources flow into one database ----------

subscribe('s1', 'src1', '{test.*}');
subscribe('s2', 'src2', '{test.*}');
is($sub->safe_psql('sub', 'SELECT string_agg(name || \':\' || state, \',\' ORDER BY name) FROM kyc_events.subscriptions'),
	's1:new,s2:new', 'two subscriptions registered');
is($src{src1}->safe_psql('src1', "SELECT count(*) FROM kyc_events.consumers WHERE name LIKE '%/sub/s1'"),
	'1', 'subscribe registers the consumer on its source');

emit('src1', 'test.created', 'p1', 500, 5);
emit('src2', 'test.created', 'p1', 300, 3);
# Another topic: not for s1, kept for the subscription added in part 6.
emit('src1', 'other.login', 'p1', 40, 2, undelivered => 1);
delivered_ok('src1', "topic LIKE 'test.%'", 'two sources');
delivered_ok('src2', "topic LIKE 'test.%'", 'two sources');
is($sub->safe_psql('sub', "SELECT count(*) FROM public.applied WHERE topic LIKE 'other.%'"),
	'0', 'a topic filter keeps other topics out');
is(view('s1', 'state'), 'streaming', 's1 is streaming');

# ---------- 2. kill -9 of the subscriber mid-stream ----------

my $kill_total = 40 * 250;
my $bg = $src{src1}->background_psql('src1');
$bg->query_until(qr/emitter started/, q{
\echo emitter started
DO $$
BEGIN
	FOR t IN 1..40 LOOP
		PERFORM kyc_events.emit('test.updated', 'KYC-kill-' || t, jsonb_build_object('phase', 'kill', 'tx', t, 'i', i))
		FROM generate_series(1, 250) i;
		COMMIT;
		PERFORM pg_sleep(0.08);
	END LOOP;
END
$$;
});
$expected{src1} += $kill_total;
ok(wait_until($sub, 'sub', "SELECT count(*) >= 1500 FROM public.applied WHERE payload->>'phase' = 'kill'"),
	'the relay is applying the stream');
$sub->stop('immediate');
my $at_kill = $src{src1}->safe_psql('src1', "SELECT count(*) FROM kyc_events.outbox WHERE payload->>'phase' = 'kill'");
note "source had emitted $at_kill of $kill_total events when the subscriber was killed";
$bg->query_safe('SELECT 1');    # the emitter has finished
$bg->quit;
emit('src1', 'test.updated', 'after_kill', 300, 3);
$sub->start;
delivered_ok('src1', "payload->>'phase' IN ('kill', 'after_kill')", 'after kill -9');
delivered_ok('src1', "topic LIKE 'test.%'", 'after kill -9, everything');
no_redelivery_ok('after kill -9');
is($sub->safe_psql('sub', 'SELECT count(*) FROM kyc_events.dead_letters'), '0', 'after kill -9: no dead letters');
is(view('s1', 'applied'),
	$sub->safe_psql('sub', "SELECT count(*) FROM public.applied WHERE source = 'src1' AND topic LIKE 'test.%'"),
	'the applied counter, committed with the events, matches the rows');

# ---------- 3. lost listener connection, restarted source ----------

my $listener_sql = "SELECT pid FROM pg_stat_activity WHERE application_name = 'kyc_events relay'";
ok(wait_until($src{src1}, 'postgres', "SELECT count(*) = 1 FROM ($listener_sql) l"),
	'the relay holds one connection to src1');
my $old_listener = $src{src1}->safe_psql('postgres', $listener_sql);
is($src{src1}->safe_psql('postgres', "SELECT pg_terminate_backend(pid) FROM ($listener_sql) l"),
	't', 'terminate the relay\'s listener connection');
# Emitted while the relay may be disconnected: their doorbell can be lost.
emit('src1', 'test.updated', 'terminated', 50, 2);
ok(wait_until($src{src1}, 'postgres',
		"SELECT count(*) = 1 FROM ($listener_sql) l WHERE pid <> $old_listener"),
	'the relay reconnects');
emit('src1', 'test.updated', 'reconnected', 50, 2);
delivered_ok('src1', "payload->>'phase' IN ('terminated', 'reconnected')", 'after a terminated listener');

$src{src1}->stop('fast');
ok(wait_until($sub, 'sub', "SELECT state = 'disconnected' FROM kyc_events.subscriptions WHERE name = 's1'"),
	'the subscription shows its source is gone');
like(view('s1', 'last_error'), qr/\S/, '... with the error');
$src{src1}->start;
emit('src1', 'test.updated', 'restarted', 60, 3);
delivered_ok('src1', "payload->>'phase' = 'restarted'", 'after a source restart');
delivered_ok('src1', "topic LIKE 'test.%'", 'after a source restart, everything');
is(view('s1', 'state || \'|\' || coalesce(last_error, \'-\')'), 'streaming|-', 's1 is streaming again, error cleared');

# ---------- 4. a failing handler and dead letters ----------

my $fail_id = $src{src2}->safe_psql('src2', q{
	BEGIN;
	SELECT kyc_events.emit('test.updated', 'KYC-ok1', '{"phase": "dead", "n": 1}');
	SELECT kyc_events.emit('test.updated', 'KYC-bad', '{"phase": "dead", "n": 2, "fail": true}');
	SELECT kyc_events.emit('test.updated', 'KYC-ok2', '{"phase": "dead", "n": 3}');
	COMMIT;
});
($fail_id) = (split /\n/, $fail_id)[1];
emit('src2', 'test.updated', 'after_dead', 20, 2);
$expected{src2} += 3;
ok(wait_until($sub, 'sub', "SELECT count(*) = 1 FROM kyc_events.dead_letters WHERE subscription = 's2'"),
	'the failing event becomes a dead letter');
is($sub->safe_psql('sub', "SELECT (event).id, (event).source, attempts, error FROM kyc_events.dead_letters WHERE subscription = 's2'"),
	"$fail_id|src2|3|boom on event $fail_id",
	'dead letter: the event, after max_attempts attempts, with the handler\'s error');
delivered_ok('src2', "payload->>'phase' = 'after_dead' OR payload->>'n' IN ('1', '3')",
	'the stream continues past a dead letter');
is($sub->safe_psql('sub', "SELECT count(*) FROM public.applied WHERE id = $fail_id AND source = 'src2'"),
	'0', 'the failed event was not applied');
is(view('s2', 'dead_letters'), '1', 'the subscriptions view counts the dead letter');
is(view('s1', 'dead_letters'), '0', '... for its subscription only');

$sub->safe_psql('sub', q{
	CREATE OR REPLACE FUNCTION public.h(e kyc_events.event) RETURNS void
	LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO public.applied (source, id, topic, payload)
		VALUES (e.source, e.id, e.topic, e.payload);
	END
	$$;
});
my $dl = $sub->safe_psql('sub', "SELECT coalesce(min(id), 0) FROM kyc_events.dead_letters WHERE subscription = 's2'");
my ($rc, $out, $err) = $sub->psql('sub', "SELECT kyc_events.replay_dead_letter($dl)");
is($rc, 0, 'replay_dead_letter succeeds once the handler is fixed') or diag $err;
is($sub->safe_psql('sub', "SELECT payload->>'n' FROM public.applied WHERE id = $fail_id AND source = 'src2'"),
	'2', 'replaying the dead letter through the fixed handler applies it');
is(view('s2', 'dead_letters'), '0', 'a replayed dead letter is no longer counted');
is($sub->safe_psql('sub', "SELECT replayed_at IS NOT NULL FROM kyc_events.dead_letters WHERE id = $dl"),
	't', 'the dead letter is marked replayed');
($rc, $out, $err) = $sub->psql('sub', "SELECT kyc_events.replay_dead_letter($dl)");
like($err, qr/was replayed/, 'a dead letter is replayed only once');
delivered_ok('src2', "topic LIKE 'test.%'", 'after the replay, everything');

# ---------- 6. DROP DATABASE of an unrelated database; a new subscription ----------

my $relay_pid = $sub->safe_psql('postgres', $relay_pid_sql);
$sub->safe_psql('postgres', 'CREATE DATABASE unrelated');
$sub->safe_psql('unrelated', 'CREATE TABLE t (x int)');
my $t0 = time;
my $timed_out;
($rc, $out, $err) = $sub->psql('postgres', 'DROP DATABASE unrelated', timeout => 60, timed_out => \$timed_out);
my $drop_secs = time - $t0;
ok(!$timed_out && defined $rc && $rc == 0, 'DROP DATABASE of an unrelated database succeeds')
  or diag "rc=" . ($rc // 'undef') . " err=$err";
cmp_ok($drop_secs, '<', 15, 'DROP DATABASE is not held up by the relay worker');
note sprintf('DROP DATABASE took %.2f s', $drop_secs);
emit('src1', 'test.updated', 'after_drop', 30, 2);
emit('src2', 'test.updated', 'after_drop', 30, 2);
delivered_ok('src1', "payload->>'phase' = 'after_drop'", 'after DROP DATABASE');
delivered_ok('src2', "payload->>'phase' = 'after_drop'", 'after DROP DATABASE');
is($sub->safe_psql('postgres', $relay_pid_sql), $relay_pid, 'the same relay worker survived the DROP DATABASE');

# A subscription added while the worker runs, to events already emitted
# (part 1) and new ones.
subscribe('s3', 'src1', '{other.*}');
$expected{src1} += 40;
emit('src1', 'other.logout', 'p6', 25, 1);
delivered_ok('src1', "topic LIKE 'other.%'", 'a subscription created after the worker started');
is(view('s3', 'state'), 'streaming', 's3 is streaming');
is($sub->safe_psql('postgres', $relay_pid_sql), $relay_pid, '... without restarting the worker');

# ---------- 5. pruning keeps unacknowledged events ----------

my $src2 = $src{src2};
my $acked_all = q{SELECT bool_and((c.acked_xid, c.acked_id) = (SELECT o.xid, o.id FROM kyc_events.outbox o
	ORDER BY o.xid DESC, o.id DESC LIMIT 1)) FROM kyc_events.consumers c};
ok(wait_until($src2, 'src2', $acked_all), 'src2: its consumer acknowledged every event');
my $prune = "SET kyc_events.retention = '0'; SELECT kyc_events.prune()";
cmp_ok($src2->safe_psql('src2', $prune), '>', 0, 'prune removes acknowledged events');
is($src2->safe_psql('src2', 'SELECT count(*) FROM kyc_events.outbox'), '0', '... all of them');

$sub->stop;
emit('src2', 'test.updated', 'unacked', 200, 4);
my $unacked = $src2->safe_psql('src2', checksum_sql('src2', "payload->>'phase' = 'unacked'", 0));
is($src2->safe_psql('src2', $prune), '0', 'prune removes nothing the consumer has not acknowledged');
is($src2->safe_psql('src2', 'SELECT count(*) FROM kyc_events.outbox'), '200', '... every unacknowledged event remains');
$sub->start;
ok(wait_until($sub, 'sub', "SELECT count(*) = 200 FROM public.applied WHERE payload->>'phase' = 'unacked'"),
	'the kept events are delivered once the subscriber is back');
is($sub->safe_psql('sub', checksum_sql('src2', "payload->>'phase' = 'unacked'", 1)), $unacked,
	'... unchanged');
ok(wait_until($src2, 'src2', $acked_all), '... and acknowledged');
is($src2->safe_psql('src2', $prune), '200', 'prune now removes them');
is($src2->safe_psql('src2', 'SELECT count(*) FROM kyc_events.outbox'), '0', '... the outbox is empty');

# ---------- totals ----------

for my $s ('src1', 'src2')
{
	is($sub->safe_psql('sub', "SELECT count(*) FROM public.applied WHERE source = '$s'"),
		$expected{$s}, "every event of $s applied, each once");
}
no_redelivery_ok('in the end');
is($sub->safe_psql('sub', 'SELECT count(*) FROM kyc_events.dead_letters'), '1', 'one dead letter in all, the failing one');

$sub->stop;
$src{$_}->stop for ('src1', 'src2');
done_testing();
