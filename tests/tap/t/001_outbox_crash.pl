# The outbox across a crash: committed events survive kill -9 exactly once,
# uncommitted ones vanish, prepared ones wait for COMMIT PREPARED, and each
# committing transaction rings the doorbell once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('outbox');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'kyc_events'
max_prepared_transactions = 5
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION kyc_events; CREATE EXTENSION kyc_onboarding;');

# The doorbell, seen by a real listener in another session.
my $listener = $node->background_psql('postgres');
$listener->query_safe('LISTEN kyc_events');
$node->safe_psql('postgres', q{
	BEGIN;
	SELECT kyc_events.emit('test.created', 'KYC-L', jsonb_build_object('i', i)) FROM generate_series(1, 5) i;
	COMMIT;
});
$node->safe_psql('postgres', q{
	BEGIN;
	SELECT kyc_events.emit('test.created', 'KYC-R', '{}');
	ROLLBACK;
});
my $out = $listener->query_safe("SELECT 'listener-done'");
my @rings = ($out =~ /Asynchronous notification "kyc_events"/g);
is(scalar @rings, 1, 'five events in one transaction and a rollback ring the doorbell once');
$listener->quit;

# Committed, in-flight and prepared events at the moment of a crash.
$node->safe_psql('postgres', q{
	SELECT kyc_events.emit('test.created', 'KYC-C', jsonb_build_object('i', i)) FROM generate_series(1, 1000) i;
});
$node->safe_psql('postgres', q{
	BEGIN;
	SELECT kyc_events.emit('test.created', 'KYC-P', '{}');
	PREPARE TRANSACTION 'outbox_prepared';
});
my $inflight = $node->background_psql('postgres', on_error_stop => 0);
$inflight->query_safe('BEGIN');
$inflight->query_safe("SELECT count(kyc_events.emit('test.created', 'KYC-U', '{}')) FROM generate_series(1, 100)");

my $checksum_sql = q{SELECT count(*), md5(string_agg(id || ':' || xid || ':' || payload::text, ',' ORDER BY id))
	FROM kyc_events.outbox WHERE aggregate_id = 'KYC-C'};
my $before = $node->safe_psql('postgres', $checksum_sql);

$node->stop('immediate');
eval { $inflight->quit };
$node->start;

is($node->safe_psql('postgres', $checksum_sql), $before,
	'committed events survive the crash exactly once, unchanged');
like($before, qr/^1000\|/, 'all 1000 committed events were there before the crash');
is($node->safe_psql('postgres', "SELECT count(*) FROM kyc_events.outbox WHERE aggregate_id = 'KYC-U'"),
	'0', 'events of the in-flight transaction are gone');
is($node->safe_psql('postgres', "SELECT count(*) FROM kyc_events.outbox WHERE aggregate_id = 'KYC-P'"),
	'0', 'the prepared event is invisible until COMMIT PREPARED');
$node->safe_psql('postgres', "COMMIT PREPARED 'outbox_prepared'");
is($node->safe_psql('postgres', "SELECT count(*) FROM kyc_events.outbox WHERE aggregate_id = 'KYC-P'"),
	'1', 'the prepared event appears once committed');

# Ids keep growing after recovery, so no id is ever reused for a new event.
my $max_before = $node->safe_psql('postgres', 'SELECT max(id) FROM kyc_events.outbox');
my $new_id = $node->safe_psql('postgres', "SELECT kyc_events.emit('test.created', 'KYC-N', '{}')");
cmp_ok($new_id, '>', $max_before, 'a new event after recovery gets a new id');

$node->stop;
done_testing();
