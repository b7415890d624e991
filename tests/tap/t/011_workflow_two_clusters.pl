# The workflow across two servers, provisioned as the README says: server A
# hosts onboarding; server B the checklist, risk, document and audit log
# services.  make provision on each, with PGKYC_DATABASES and
# PGKYC_CONNINFO_<DATABASE>, makes every subscription across them, and the
# relays deliver both ways: 200 cases flow through, 50 of them sanctions
# hits, with server B killed halfway.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes;

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
	# Keycloak's database goes with neither server here.
	local $ENV{PGKYC_KEYCLOAK} = 'off';
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

# ---------- 200 cases across the two servers, B killed halfway ----------
# 50 applicants are on a sanctions list in B's risk_service; 150 are clean.
# Each case: created and moved to InProgress on A as onboarding_user, then a
# passport, a bank statement and a tax return verified on B as
# document_user.  Halfway, B is killed (SIGKILL) and restarted.  The rules
# say: the 150 clean cases reach PendingReview by themselves; the 50 hits
# stay InProgress, held for manual review, with a Sanctions hit in risk.
my @hit_first = qw(Zebulon Quirinus Thaddeus Leopold Ignatius Barnaby Cornelius Evander Florian Lysander);
my @hit_last = qw(Marchbanks Wolfenden Ravensworth Pembleton Ashcombe);
my @clean_first = qw(Anna Brian Chloe David Emma Frank Grace Henry Irene Jack Karen Liam Mona Nora Oscar);
my @clean_last = qw(Smith Jones Brown Taylor Wilson Evans Thomas Roberts Walker Wright);
my (@people, %is_hit);
for my $f (@hit_first)
{
	for my $l (@hit_last) { push @people, [ $f, $l ]; $is_hit{"$f $l"} = 1; }
}
for my $f (@clean_first)
{
	push @people, [ $f, $_ ] for @clean_last;
}
$node{b}->safe_psql('risk_service', join "\n",
	map { "SELECT kyc_risk.add_watchlist_entity('TAP-TWO-SERVERS', 'person', ARRAY['$_->[0] $_->[1]'], '1970-05-05', program => 'TAP');" }
	grep { $is_hit{"$_->[0] $_->[1]"} } @people);
# Interleave hits and clean cases, so both halves have some of each.
@people = map { $people[ ($_ * 37) % 200 ] } 0 .. 199;

my @cases;
sub onboard
{
	my ($person) = @_;
	my ($first, $last) = @$person;
	my $case = $node{a}->safe_psql('onboarding', qq{SET ROLE onboarding_user;
		SELECT kyc_onboarding.create_case('Individual', NULL, 'two-servers-$first-$last',
			'{"first_name": "$first", "last_name": "$last", "date_of_birth": "1970-05-05", "nationality": "GB",
			  "addresses": [{"type": "Residential", "street": "1 High Street", "city": "Leeds", "country": "GB", "is_primary": true}]}');});
	$node{a}->safe_psql('onboarding', "SET ROLE onboarding_user; SELECT kyc_onboarding.transition('$case', 'InProgress')");
	$node{b}->safe_psql('document_service', join "\n", "SET ROLE document_user;",
		map { "SELECT kyc_document.verify_document(kyc_document.register_document('$case', '$_', '$_.pdf', "
			  . "'application/pdf', 1000, encode(sha256('$case$_'), 'hex'), 's3://tap/$case/$_.pdf'), 'tap-reviewer');" }
		qw(Passport BankStatement TaxReturn));
	push @cases, [ $case, $is_hit{"$first $last"} ? 1 : 0 ];
}
onboard($_) for @people[ 0 .. 99 ];
my $b_pid = $node{b}->{_pid};
$node{b}->kill9;
# Start again once the killed postmaster is gone and its children, which
# exit when they see it die, have let go of its shared memory.
for (1 .. 100)
{
	last unless kill 0, $b_pid;
	Time::HiRes::usleep(100_000);
}
Time::HiRes::usleep(500_000);
$node{b}->start;
onboard($_) for @people[ 100 .. 199 ];
is(scalar(@cases), 200, '200 cases created, B killed with SIGKILL and restarted after the first 100');

my $clean_list = join ',', map { "'$_->[0]'" } grep { !$_->[1] } @cases;
my $hit_list = join ',', map { "'$_->[0]'" } grep { $_->[1] } @cases;
ok($node{a}->poll_query_until('onboarding', qq{
	SELECT count(*) = 150 FROM kyc_onboarding.onboarding_cases WHERE case_id IN ($clean_list) AND status = 'PendingReview'}, 't'),
	'the 150 clean cases reach PendingReview by themselves');
ok($node{a}->poll_query_until('onboarding', qq{
	SELECT count(*) = 50 FROM kyc_onboarding.onboarding_cases WHERE case_id IN ($hit_list)
	AND status = 'InProgress' AND requires_manual_review AND checklist_status = 'Completed'}, 't'),
	'the 50 sanctions hits are held InProgress for manual review, their checklists complete');
is($node{a}->safe_psql('onboarding', qq{SELECT count(*) FROM kyc_onboarding.onboarding_cases
	WHERE case_id IN ($clean_list) AND status_changed_by = 'kyc_onboarding.workflow'}), '150',
	'each clean case was submitted by the workflow');
is($node{b}->safe_psql('risk_service', qq{SELECT count(DISTINCT a.case_id) FROM kyc_risk.risk_assessments a
	JOIN kyc_risk.risk_factors f ON f.risk_assessment_id = a.id
	WHERE a.case_id IN ($hit_list) AND f.type = 'Sanctions' AND f.score > 0 AND f.system_owned}), '50',
	'each hit has its system-owned Sanctions factor with a match');
is($node{b}->safe_psql('risk_service', qq{SELECT count(*) FROM kyc_risk.risk_assessments a
	JOIN kyc_risk.risk_factors f ON f.risk_assessment_id = a.id
	WHERE a.case_id IN ($clean_list) AND f.type = 'Sanctions' AND f.score > 0}), '0',
	'no clean case has a Sanctions match');
is($node{b}->safe_psql('risk_service', qq{SELECT count(*) FROM (SELECT a.case_id, f.type, count(*)
	FROM kyc_risk.risk_assessments a JOIN kyc_risk.risk_factors f ON f.risk_assessment_id = a.id
	WHERE a.case_id IN ($clean_list) GROUP BY 1, 2 HAVING count(*) > 1) d}), '0',
	'no clean case has a factor type twice: nothing was applied twice across the crash');
is($node{b}->safe_psql('checklist_service', qq{SELECT count(*) FROM kyc_checklist.checklists
	WHERE case_id IN ($clean_list, $hit_list) AND status = 'Completed'}), '200', 'all 200 checklists completed');
is($node{a}->safe_psql('onboarding', 'SELECT count(*) FROM kyc_events.dead_letters')
	. $node{b}->safe_psql('checklist_service', 'SELECT count(*) FROM kyc_events.dead_letters')
	. $node{b}->safe_psql('risk_service', 'SELECT count(*) FROM kyc_events.dead_letters'), '000', 'no dead letter anywhere');

$node{$_}->stop for ('a', 'b');
done_testing();
