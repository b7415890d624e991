# A streaming standby of projections_api serves the read model, its
# dashboard and its search read-only (issue 13): the primary's relay keeps
# the projections current, the standby follows by WAL alone.  No kyc_events launcher or relay runs on
# the standby (they start only once recovery has finished), its
# projections match the primary's, and a write there is refused.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $repo = $ENV{PGKYC_REPO} or plan skip_all => 'PGKYC_REPO (a copy of the provision scripts) is not set';

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.poll_interval = 200ms
max_worker_processes = 16
# allows_streaming keeps 10 connections; the relays read over libpq.
max_connections = 60
});
$primary->start;

{
	local $ENV{PGHOST} = $primary->host;
	local $ENV{PGPORT} = $primary->port;
	local $ENV{PGUSER} = $ENV{USER} // 'postgres';
	local $ENV{PGDATABASE} = 'postgres';
	my ($stdout, $stderr);
	IPC::Run::run([ 'bash', "$repo/scripts/provision.sh" ], '>', \$stdout, '2>', \$stderr);
	is($? >> 8, 0, 'make provision on the primary') or diag($stdout . $stderr);
}

# A case through the workflow: its projection fills in on the primary.
my $case_id = $primary->safe_psql('onboarding', q{SET ROLE onboarding_user;
	SELECT kyc_onboarding.create_case('Individual', NULL, 'standby-1',
		'{"first_name": "Sam", "last_name": "Standby", "nationality": "GB"}')});
$primary->safe_psql('onboarding', qq{SET ROLE onboarding_user;
	SELECT kyc_onboarding.transition('$case_id', 'InProgress')});
ok($primary->poll_query_until('projections_api', qq{
	SELECT risk_status = 'Completed' AND status = 'InProgress' AND applicant_last_name = 'Standby'
	FROM kyc_projections.onboarding_case_projections WHERE case_id = '$case_id'}),
	'the primary projects the case, its applicant and its risk result');

$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);

is($standby->safe_psql('projections_api', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');
my $columns = q{concat_ws('|', case_id, status, applicant_last_name, risk_level, risk_status, progress_percentage, change_seq)};
is($standby->safe_psql('projections_api', "SELECT $columns FROM kyc_projections.onboarding_case_projections WHERE case_id = '$case_id'"),
	$primary->safe_psql('projections_api', "SELECT $columns FROM kyc_projections.onboarding_case_projections WHERE case_id = '$case_id'"),
	'the standby serves the same projection');
is($standby->safe_psql('projections_api', qq{SET ROLE projections_user;
	SELECT count(*) FROM kyc_projections.changes_since(0) WHERE case_id = '$case_id'}), '1',
	'projections_user reads the change feed on the standby');

is($standby->safe_psql('projections_api', q{SET ROLE projections_user;
	SELECT (kyc_projections.dashboard() ->> 'cases')::int >= 1}), 't', 'dashboard() answers on the standby');
is($standby->safe_psql('projections_api', q{SET ROLE projections_user;
	SELECT string_agg(case_id, ',') FROM kyc_projections.search('Standby')}), $case_id,
	'search() finds the case by its applicant on the standby');

# The relay runs on the primary only.
ok($primary->safe_psql('postgres', q{SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'kyc_events relay'}) > 0,
	'the primary runs the kyc_events relays');
is($standby->safe_psql('postgres', q{SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'kyc_events%'}),
	'0', 'the standby runs no kyc_events launcher and no relay');

# A later change reaches the standby by WAL, not by a relay of its own.
$primary->safe_psql('onboarding', qq{SET ROLE onboarding_user;
	SELECT kyc_onboarding.transition('$case_id', 'PendingReview')});
ok($primary->poll_query_until('projections_api', qq{
	SELECT status = 'PendingReview' FROM kyc_projections.onboarding_case_projections WHERE case_id = '$case_id'}),
	'the submission reaches the primary projection');
$primary->wait_for_catchup($standby);
is($standby->safe_psql('projections_api', "SELECT status FROM kyc_projections.onboarding_case_projections WHERE case_id = '$case_id'"),
	'PendingReview', 'and the standby, by replication');
my ($rc, $out, $err) = $standby->psql('projections_api',
	"UPDATE kyc_projections.onboarding_case_projections SET status = 'Approved' WHERE case_id = '$case_id'");
like($err, qr/read-only transaction/, 'a write on the standby is refused');

$standby->stop;
$primary->stop;
done_testing();
