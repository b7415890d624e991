# The workflow across three servers, as docs/deployment.md lays them out:
# A hosts onboarding (with document_service), B the checklist and risk
# services, C the audit log and the projections.  make provision on each
# makes every subscription across them.  Cases flow through; then B is
# stopped for a minute while more cases are created on A; when it comes
# back, every backlog drains: each case is submitted by the workflow, the
# audit log on C holds what A and B changed, the projections on C show each
# case as onboarding has it, no event is dead-lettered, and no subscription
# lags.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes;

my $repo = $ENV{PGKYC_REPO} or plan skip_all => 'PGKYC_REPO (a copy of the provision scripts) is not set';
my $downtime = $ENV{PGKYC_DOWNTIME} // 60;

my %hosted = (
	a => 'onboarding document_service',
	b => 'checklist_service risk_service',
	c => 'auditlog_service projections_api');
my (%node, %server_of);
for my $name (sort keys %hosted)
{
	$node{$name} = PostgreSQL::Test::Cluster->new("server_$name");
	$node{$name}->init;
	$node{$name}->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.poll_interval = 200ms
max_worker_processes = 16
});
	$node{$name}->start;
	$server_of{$_} = $name for split / /, $hosted{$name};
}

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
	local $ENV{PGKYC_KEYCLOAK} = 'off';
	local $ENV{PGKYC_MASTER_KEY_FILE} = $n->basedir . '/pgkyc_master.key';
	for my $db (keys %server_of)
	{
		my $other = $node{ $server_of{$db} };
		$ENV{ 'PGKYC_CONNINFO_' . uc $db } = 'host=' . $other->host . ' port=' . $other->port;
	}
	my ($stdout, $stderr);
	IPC::Run::run([ 'bash', "$repo/scripts/provision.sh" ], '>', \$stdout, '2>', \$stderr);
	return ($? >> 8, $stdout . $stderr);
}

# Each server in turn, then again those whose sources were not there yet.
my @runs;
for my $name ('c', 'b', 'a', 'c', 'b')
{
	my ($rc, $out) = provision($name);
	push @runs, "$name:$rc";
	diag($out) if $rc != 0 && $rc != 3;
}
is(join(' ', @runs[ 2 .. 4 ]), 'a:0 c:0 b:0', 'make provision on each server, then again where a source was missing');

# A case: created with its applicant and moved to InProgress on A, its three
# documents registered and verified there.  It is clean, so the workflow
# submits it once B's checklist and risk results reach A.
my @cases;
sub onboard
{
	my ($i) = @_;
	my $case = $node{a}->safe_psql('onboarding', qq{SET ROLE onboarding_user;
		SELECT kyc_onboarding.create_case('Individual', NULL, 'three-servers-$i',
			'{"first_name": "Clara", "last_name": "Case$i", "nationality": "GB",
			  "addresses": [{"type": "Residential", "street": "$i High Street", "city": "York", "country": "GB", "is_primary": true}]}');});
	$node{a}->safe_psql('onboarding', "SET ROLE onboarding_user; SELECT kyc_onboarding.transition('$case', 'InProgress')");
	$node{a}->safe_psql('document_service', join "\n", "SET ROLE document_user;",
		map { "SELECT kyc_document.verify_document(kyc_document.register_document('$case', '$_', '$_.pdf', "
			  . "'application/pdf', 1000, encode(sha256('$case$_'), 'hex'), 's3://tap/$case/$_.pdf'), 'tap-reviewer');" }
		qw(Passport BankStatement TaxReturn));
	push @cases, $case;
}

sub submitted
{
	my $list = join ',', map { "'$_'" } @cases;
	return qq{SELECT count(*) = ${\ scalar @cases} FROM kyc_onboarding.onboarding_cases
		WHERE case_id IN ($list) AND status = 'PendingReview' AND status_changed_by = 'kyc_onboarding.workflow'};
}

onboard($_) for 1 .. 20;
ok($node{a}->poll_query_until('onboarding', submitted(), 't'),
	"20 cases go round A, B and A again: the workflow submits each");

# B down for a minute, while A takes 20 more cases.
$node{b}->stop('fast');
my $t0 = Time::HiRes::time();
onboard($_) for 21 .. 40;
my $left = $downtime - (Time::HiRes::time() - $t0);
Time::HiRes::sleep($left) if $left > 0;
is($node{a}->safe_psql('onboarding', q{SELECT count(*) FROM kyc_onboarding.onboarding_cases
	WHERE partner_reference_id LIKE 'three-servers-%' AND status = 'PendingReview'}), '20',
	"with B stopped for ${downtime}s, A's new cases wait InProgress");
$node{b}->start;

ok($node{a}->poll_query_until('onboarding', submitted(), 't'),
	'B back: the backlogs drain both ways, and the workflow submits all 40');
my $list = join ',', map { "'$_'" } @cases;
ok($node{c}->poll_query_until('projections_api', qq{SELECT count(*) = 40 FROM kyc_projections.onboarding_case_projections
	WHERE case_id IN ($list) AND status = 'PendingReview' AND risk_level IS NOT NULL
	  AND checklist_status = 'Completed'}, 't'),
	"C's projections show every case as submitted, with B's checklist and risk results");
ok($node{c}->poll_query_until('auditlog_service', qq{SELECT count(DISTINCT case_id) = 40
	FROM kyc_auditlog.audit_log_entries WHERE case_id IN ($list) AND entity_type = 'kyc_checklist.checklists'}, 't'),
	"C's audit log holds B's checklist changes of every case");
is($node{c}->safe_psql('auditlog_service', qq{SELECT count(DISTINCT case_id)
	FROM kyc_auditlog.audit_log_entries WHERE case_id IN ($list) AND entity_type = 'kyc_onboarding.onboarding_cases'}), '40',
	"and A's changes of every case");

my $dead = '';
for my $name (sort keys %hosted)
{
	for my $db (split / /, $hosted{$name})
	{
		$dead .= $node{$name}->safe_psql($db, 'SELECT count(*) FROM kyc_events.dead_letters');
		ok($node{$name}->poll_query_until($db, q{SELECT coalesce(bool_and(lag_events = 0), true)
			FROM kyc_events.subscriptions}, 't'), "$db: every subscription caught up");
	}
}
is($dead, '0' x length($dead), 'no dead letter on any server');
cmp_ok(length($dead), '==', 6, 'in any of the six databases');

$node{$_}->stop for sort keys %hosted;
done_testing();
