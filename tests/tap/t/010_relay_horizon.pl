# The read horizon is per database (issue 10, F2): a transaction left open,
# or prepared, in ANOTHER database of the source cluster no longer holds
# back kyc_events.read(); one of the SAME database that could still commit
# events before the waiting ones still does, and after
# kyc_events.stall_timeout the subscription shows state 'stalled', naming
# that transaction.  kyc_auditlog.seal() shares the horizon.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('horizon');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
max_prepared_transactions = 5
kyc_events.poll_interval = 100ms
kyc_events.stall_timeout = 500ms
});
$node->start;

$node->safe_psql('postgres', q{
	CREATE DATABASE src;
	CREATE DATABASE sub;
	CREATE DATABASE other;
	CREATE ROLE kyc_relay LOGIN;
	CREATE ROLE idler LOGIN;
	GRANT CREATE ON SCHEMA public TO idler;
});
$node->safe_psql('other', 'GRANT CREATE ON SCHEMA public TO idler');
$node->safe_psql('src', q{
	CREATE EXTENSION kyc_events;
	GRANT USAGE ON SCHEMA kyc_events TO kyc_relay;
	GRANT EXECUTE ON FUNCTION kyc_events.read(xid8, bigint, text[], integer, bigint),
		kyc_events.backlog(xid8, bigint, text[]), kyc_events.read_blocker(),
		kyc_events.ack(text, xid8, bigint), kyc_events.register_consumer(text, boolean) TO kyc_relay;
	GRANT CREATE ON SCHEMA public TO idler;
});
my $source = $node->connstr('src') . ' user=kyc_relay';
$node->safe_psql('sub', qq{
	CREATE EXTENSION kyc_events;
	CREATE TABLE public.seen (id bigint PRIMARY KEY, aggregate_id text);
	CREATE FUNCTION public.h(e kyc_events.event) RETURNS void LANGUAGE sql
		AS \$\$ INSERT INTO public.seen VALUES (e.id, e.aggregate_id) \$\$;
	SET client_min_messages = warning;
	SELECT kyc_events.subscribe('hz', \$c\$$source\$c\$, '{*}', 'public.h(kyc_events.event)');
});

# Emit one committed event in src; its id.
sub emit
{
	my ($tag) = @_;
	return $node->safe_psql('src', "SELECT kyc_events.emit('test.created', '$tag', '{}')");
}

# How many events after position 0 read() returns in src, as kyc_relay.
sub readable
{
	return $node->safe_psql('src',
		"SET ROLE kyc_relay; SELECT count(*) FROM kyc_events.read('0', 0, '{*}', 1000)");
}

sub relay_once
{
	return $node->safe_psql('sub', "SELECT kyc_events.relay_once('hz')");
}

sub view
{
	my ($cols) = @_;
	return $node->safe_psql('sub', "SELECT $cols FROM kyc_events.subscriptions WHERE name = 'hz'");
}

# ---------- 1. another database's transactions do not hold back src ----------

# An idle transaction with an xid, and a prepared one, in database other,
# older than every event below.
my $idle_other = $node->background_psql('other', extra_params => [ '-U', 'idler' ]);
$idle_other->query_safe('BEGIN');
my $other_xid = $idle_other->query_safe('SELECT pg_current_xact_id()');
$node->safe_psql('other', q{
	BEGIN;
	CREATE TABLE public.t_prepared ();
	PREPARE TRANSACTION 'other_db';
}, extra_params => [ '-U', 'idler' ]);

my $e1 = emit('e1');
cmp_ok($other_xid, '<', $node->safe_psql('src', "SELECT xid FROM kyc_events.outbox WHERE id = $e1"),
	'the other database\'s open transaction is older than the event');
is(readable(), '1',
	'read() returns the event while older transactions of another database are open and prepared');
is(relay_once(), '1', '... and relay_once() applies it');
is($node->safe_psql('src', 'SELECT count(*) FROM kyc_events.read_blocker()'), '0',
	'read_blocker() names no transaction of another database');

# ---------- 2. the same database's transactions still do ----------

my $open_src = $node->background_psql('src', extra_params => [ '-U', 'idler' ]);
$open_src->query_safe('BEGIN');
my $open_xid = $open_src->query_safe('SELECT pg_current_xact_id()');
my $open_pid = $open_src->query_safe('SELECT pg_backend_pid()');
my $e2 = emit('e2');
is(readable(), '1', 'an open transaction of src with an xid holds back the event after it');
is(relay_once(), '0', '... so relay_once() applies nothing');
is($node->safe_psql('src',
		"SET ROLE kyc_relay; SELECT xid || '|' || pid || '|' || role || '|' || (prepared_gid IS NULL) "
		  . "FROM kyc_events.read_blocker()"),
	"$open_xid|$open_pid|idler|true", 'read_blocker(), as kyc_relay, names it: xid, pid, role');

# ---------- 3. the relay reports the stall, then recovers ----------

$node->append_conf('postgresql.conf', "kyc_events.databases = 'sub'");
$node->reload;
ok($node->poll_query_until('sub',
		"SELECT state = 'stalled' FROM kyc_events.subscriptions WHERE name = 'hz'"),
	'the relay shows the subscription as stalled')
  or diag view('*');
like(view('last_error'),
	qr/waiting for transaction $open_xid of role idler \(pid $open_pid\) in the source database, open for \d+ s/,
	'... naming the transaction that holds it back');
is($node->safe_psql('sub', 'SELECT count(*) FROM public.seen'), '1', '... and nothing after it is applied');

$open_src->query_safe('COMMIT');
ok($node->poll_query_until('sub', "SELECT count(*) = 1 FROM public.seen WHERE id = $e2"),
	'once it commits, the waiting event is delivered');
ok($node->poll_query_until('sub',
		"SELECT state = 'streaming' AND last_error IS NULL FROM kyc_events.subscriptions WHERE name = 'hz'"),
	'... and the subscription is streaming again');

# ---------- 4. a prepared transaction of src holds back too, and is named ----------

$node->safe_psql('src', q{
	BEGIN;
	SELECT kyc_events.emit('test.created', 'in_prepared', '{}');
	PREPARE TRANSACTION 'src_db';
});
my $e3 = emit('e3');
ok($node->poll_query_until('sub',
		"SELECT state = 'stalled' FROM kyc_events.subscriptions WHERE name = 'hz'"),
	'a prepared transaction of src stalls the subscription')
  or diag view('*');
like(view('last_error'), qr/waiting for prepared transaction 'src_db' \(xid \d+\) of role \w+/,
	'... naming it by its gid');
$node->safe_psql('src', "COMMIT PREPARED 'src_db'");
ok($node->poll_query_until('sub', "SELECT count(*) = 1 FROM public.seen WHERE id = $e3"),
	'once it commits, both events are delivered');
is($node->safe_psql('sub', "SELECT string_agg(aggregate_id, ',' ORDER BY id) FROM public.seen"),
	'e1,e2,in_prepared,e3', '... every event once, the prepared one included');

# ---------- 5. seal() shares the horizon: another database's open
# transaction does not hold back sealing, one of its own database does ----------

$node->safe_psql('postgres', 'CREATE DATABASE audit');
$node->safe_psql('audit', 'CREATE EXTENSION kyc_auditlog CASCADE; SELECT kyc_auditlog.ensure_partitions()');
my $audit_insert = q{INSERT INTO kyc_auditlog.audit_log_entries
	(event_type, entity_type, entity_id, user_id, action, compliance_category)
	VALUES ('case.created', 'Case', 'KYC-H', 'u', 'Create', 'KYC')};
$node->safe_psql('audit', $audit_insert);
is($node->safe_psql('audit', 'SELECT kyc_auditlog.seal()'), '1',
	'seal() seals an entry while a transaction of another database is open and one is prepared');
my $open_audit = $node->background_psql('audit');
$open_audit->query_safe('BEGIN');
$open_audit->query_safe($audit_insert);
$node->safe_psql('audit', $audit_insert);
is($node->safe_psql('audit', 'SELECT kyc_auditlog.seal()'), '0',
	'an open transaction of its own database with an older entry holds sealing back');
$open_audit->query_safe('COMMIT');
is($node->safe_psql('audit', 'SELECT kyc_auditlog.seal()'), '2', '... until it commits');
$open_audit->quit;

$idle_other->query_safe('ROLLBACK');
$idle_other->quit;
$open_src->quit;
$node->safe_psql('other', "ROLLBACK PREPARED 'other_db'");
$node->stop;
done_testing();
