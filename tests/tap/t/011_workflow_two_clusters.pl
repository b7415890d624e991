# The workflow across two servers, provisioned as the README says: server A
# hosts onboarding; server B the checklist, risk, document and audit log
# services.  make provision on each, with PGKYC_DATABASES and
# PGKYC_CONNINFO_<DATABASE>, makes every subscription across them, and the
# relays deliver both ways.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $repo = $ENV{PGKYC_REPO} or plan skip_all => 'PGKYC_REPO (a copy of the provision scripts) is not set';

my %node;
for my $name ('a', 'b')
{
	$node{$name} = PostgreSQL::Test::Cluster->new("server_$name");
	$node{$name}->init;
	$node{$name}->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.poll_interval = 200ms
max_worker_processes = 16
});
	$node{$name}->start;
}
my %hosted = (
	a => 'onboarding',
	b => 'checklist_service risk_service document_service auditlog_service');
my %server_of = (onboarding => 'a');
$server_of{$_} = 'b' for split / /, $hosted{b};

# make provision for one server: where every other service database is.
sub provision
{
	my ($name) = @_;
	my $n = $node{$name};
	local $ENV{PGHOST} = $n->host;
	local $ENV{PGPORT} = $n->port;
	local $ENV{PGUSER} = $ENV{USER} // 'postgres';
	local $ENV{PGDATABASE} = 'postgres';
	local $ENV{PGKYC_DATABASES} = $hosted{$name};
	for my $db (keys %server_of)
	{
		my $other = $node{ $server_of{$db} };
		$ENV{ 'PGKYC_CONNINFO_' . uc $db } = 'host=' . $other->host . ' port=' . $other->port;
	}
	my ($stdout, $stderr);
	IPC::Run::run([ 'bash', "$repo/scripts/provision.sh" ], '>', \$stdout, '2>', \$stderr);
	return ($? >> 8, $stdout . $stderr);
}

# B first: its audit log subscribes to onboarding on A, which is not there
# yet.  Provision says so, exits 3, and a rerun after A completes it.
my ($rc, $out) = provision('b');
is($rc, 3, 'make provision on server B, before A: exit 3, a source not reachable yet') or diag($out);
like($out, qr/auditlog_service: connection to server.*${\ $node{a}->port}.*\n.*run make provision here again/s,
	'it names the subscriber database, the source it could not reach, and what to do');
($rc, $out) = provision('a');
is($rc, 0, 'make provision on server A (onboarding): every source on B is there') or diag($out);
($rc, $out) = provision('b');
is($rc, 0, 'make provision on server B again, now that A is there') or diag($out);

is($node{a}->safe_psql('postgres', q{SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database
	WHERE datname NOT IN ('postgres', 'template0', 'template1')}), 'onboarding', 'server A hosts onboarding alone');
is($node{b}->safe_psql('postgres', q{SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database
	WHERE datname NOT IN ('postgres', 'template0', 'template1')}),
	'auditlog_service,checklist_service,document_service,risk_service', 'server B hosts the other four');
like($node{b}->safe_psql('auditlog_service', q{SELECT source FROM kyc_events.subscriptions WHERE name = 'capture_onboarding'}),
	qr/port=${\ $node{a}->port}/, "B's audit log reads onboarding's events from server A");

# A case created on A reaches B's audit log through the relay across servers.
my $case_id = $node{a}->safe_psql('onboarding', q{SET ROLE onboarding_user;
	SELECT kyc_onboarding.create_case('Individual', NULL, 'two-servers', '{"first_name": "Ada", "last_name": "Remote"}')});
ok($node{b}->poll_query_until('auditlog_service', qq{
	SELECT count(*) >= 2 FROM kyc_auditlog.audit_log_entries WHERE case_id = '$case_id'}),
	"the case and its applicant, created on A, are in B's audit log");

$node{$_}->stop for ('a', 'b');
done_testing();
