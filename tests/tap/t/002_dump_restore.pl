# pg_dump keeps every row pgkyc holds (pg_extension_config_dump), and a
# restore in replica mode brings them back unchanged: no trigger re-stamps a
# timestamp, refuses a decided case, or emits an event a second time.  The
# wrapped data keys come back too, so that with the same master key the
# sealed personal data opens in the restored database as in the source.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'kyc_events'");
$node->start;

# The master key, as make provision creates it: outside the data directory.
my $keyfile = $node->basedir . '/pgkyc_master.key';
$node->safe_psql('postgres', qq{
	CREATE EXTENSION kyc_events;
	SELECT kyc_events.create_master_key('$keyfile');
	ALTER SYSTEM SET kyc.master_key_file = '$keyfile';
	SELECT pg_reload_conf();
});
$node->poll_query_until('postgres', "SELECT current_setting('kyc.master_key_file') <> ''")
  or die 'the master key setting was not loaded';

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', q{
	CREATE EXTENSION kyc_onboarding CASCADE;
	INSERT INTO kyc_onboarding.countries VALUES ('XK', 'Kosovo (user-assigned)');
	INSERT INTO kyc_onboarding.partners (partner_id, name) VALUES ('p', 'Partner P');
	SELECT kyc_onboarding.create_case('Individual', 'p', 'r' || i,
		jsonb_build_object('first_name', 'A' || i, 'last_name', 'B', 'nationality', 'XK',
			'date_of_birth', (date '1970-01-01' + i)::text, 'national_id_number', 'N-' || i,
			'addresses', jsonb_build_array(jsonb_build_object('type', 'Residential',
				'street', i || ' High St', 'city', 'London', 'country', 'GB', 'is_primary', true))))
	FROM generate_series(1, 20) i;
	SELECT kyc_onboarding.transition(case_id, 'InProgress', 'a') FROM kyc_onboarding.onboarding_cases;
	SELECT kyc_onboarding.transition(case_id, 'PendingReview', 'a') FROM kyc_onboarding.onboarding_cases;
	-- The services' results, as the workflow's handlers record them; then
	-- reviewers decide: two approvals for the High case r3.
	UPDATE kyc_onboarding.risk_sync SET risk_seen_xid = data_xid, risk_seen_event_id = data_event_id;
	UPDATE kyc_onboarding.onboarding_cases SET checklist_status = 'Completed', risk_event_id = 1,
		risk_level = CASE partner_reference_id WHEN 'r3' THEN 'High' ELSE 'Low' END, risk_score = 10,
		requires_manual_review = false;
	SELECT kyc_onboarding.approve(case_id, 'b', 'ok') FROM kyc_onboarding.onboarding_cases
	 WHERE partner_reference_id IN ('r1', 'r2', 'r3');
	SELECT kyc_onboarding.approve(case_id, 'c', 'ok') FROM kyc_onboarding.onboarding_cases
	 WHERE partner_reference_id = 'r3';
	SELECT kyc_onboarding.reject(case_id, 'b', 'no') FROM kyc_onboarding.onboarding_cases
	 WHERE partner_reference_id IN ('r4', 'r5');
});

my %fingerprint = (
	cases => 'SELECT count(*), md5(string_agg(c::text, \',\' ORDER BY case_id)) FROM kyc_onboarding.onboarding_cases c',
	applicants => 'SELECT count(*), md5(string_agg(a::text, \',\' ORDER BY id)) FROM kyc_onboarding.applicants a',
	addresses => 'SELECT count(*), md5(string_agg(a::text, \',\' ORDER BY id)) FROM kyc_onboarding.addresses a',
	outbox => 'SELECT count(*), md5(string_agg(o::text, \',\' ORDER BY id)) FROM kyc_events.outbox o',
	countries => 'SELECT count(*), md5(string_agg(c::text, \',\' ORDER BY code)) FROM kyc_onboarding.countries c',
	partners => 'SELECT count(*), md5(string_agg(p::text, \',\' ORDER BY partner_id)) FROM kyc_onboarding.partners p',
	decisions => 'SELECT count(*), md5(string_agg(d::text, \',\' ORDER BY id)) FROM kyc_onboarding.case_decisions d',
	risk_sync => 'SELECT count(*), md5(string_agg(s::text, \',\' ORDER BY case_id)) FROM kyc_onboarding.risk_sync s',
	contributors => 'SELECT count(*), md5(string_agg(c::text, \',\' ORDER BY case_id, actor, contribution)) FROM kyc_onboarding.case_contributors c',
	case_keys => 'SELECT count(*), md5(string_agg(k::text, \',\' ORDER BY case_id)) FROM kyc_onboarding.case_keys k',
	revealed => 'SELECT count(*), md5(string_agg(kyc_onboarding.reveal(date_of_birth_sealed) || kyc_onboarding.reveal(national_id_number_sealed), \',\' ORDER BY id)) FROM kyc_onboarding.applicants',
);
my %before = map { $_ => $node->safe_psql('src', $fingerprint{$_}) } keys %fingerprint;

my $dump = $node->basedir . '/src.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('src'), '-f', $dump ], 'pg_dump of an onboarding database');
$node->safe_psql('postgres', 'CREATE DATABASE dst');
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('dst'), '-f', $dump ],
		'restore in replica mode');
}
for my $t (sort keys %fingerprint)
{
	is($node->safe_psql('dst', $fingerprint{$t}), $before{$t}, "$t restored unchanged");
}
like($before{outbox}, qr/^\d+\|/, 'the source had events');
like($before{revealed}, qr/^20\|[0-9a-f]{32}$/, 'the source had 20 applicants with sealed personal data, all readable');
is($node->safe_psql('dst', "SELECT kyc_onboarding.reveal(date_of_birth_sealed) FROM kyc_onboarding.applicants WHERE first_name = 'A7'"),
	'1970-01-08', 'a restored date of birth opens with the same master key');

# Without replica mode the triggers would treat restored rows as new ones;
# the restore then fails loudly instead of re-stamping or re-emitting.
$node->safe_psql('postgres', 'CREATE DATABASE naive');
my ($naive_rc, $naive_out, $naive_err) = $node->psql('naive', undef,
	extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', $dump ]);
isnt($naive_rc, 0, 'a restore with triggers firing fails');
like($naive_err, qr/a new case must start in status Draft/, '... on the first decided case, with a clear error');

# The restored database behaves like the original.
my ($max) = $node->safe_psql('dst', 'SELECT max(case_id) FROM kyc_onboarding.onboarding_cases');
my $next = $node->safe_psql('dst', "SELECT kyc_onboarding.create_case('Trust')");
cmp_ok($next, 'gt', $max, 'case numbers continue after the restored ones');
my $max_event = $node->safe_psql('src', 'SELECT max(id) FROM kyc_events.outbox');
cmp_ok($node->safe_psql('dst', "SELECT max(id) FROM kyc_events.outbox"), '>', $max_event,
	'outbox ids continue after the restored ones');
my ($rc, $out, $err) = $node->psql('dst',
	"SELECT kyc_onboarding.transition(case_id, 'InProgress') FROM kyc_onboarding.onboarding_cases WHERE partner_reference_id = 'r1'");
like($err, qr/cannot move from Approved to InProgress/, 'the state machine still guards restored cases');

# Another master key opens nothing, and a key file others may read is refused.
my $other = $node->basedir . '/other_master.key';
$node->safe_psql('postgres', "SELECT kyc_events.create_master_key('$other')");
sub use_master_key
{
	my ($file) = @_;
	$node->safe_psql('postgres', "ALTER SYSTEM SET kyc.master_key_file = '$file'; SELECT pg_reload_conf()");
	$node->poll_query_until('postgres', "SELECT current_setting('kyc.master_key_file') = '$file'")
	  or die "kyc.master_key_file was not set to $file";
}
use_master_key($other);
my ($wrong_rc, $wrong_out, $wrong_err) = $node->psql('dst',
	"SELECT kyc_onboarding.reveal(date_of_birth_sealed) FROM kyc_onboarding.applicants WHERE first_name = 'A7'");
like($wrong_err, qr/ERROR:  the data key of case \S+ does not open with the master key/,
	'with another master key, the data keys do not open');
chmod 0644, $other;
my ($open_rc, $open_out, $open_err) = $node->psql('dst',
	"SELECT kyc_onboarding.reveal(date_of_birth_sealed) FROM kyc_onboarding.applicants WHERE first_name = 'A7'");
like($open_err, qr/must be a regular file without group or world access/, 'a master key file others may read is refused');
use_master_key($keyfile);

# Forgetting a subject in the restored copy leaves the source as it was:
# each database destroys only its own copy of the key.
my $forgotten = $node->safe_psql('dst',
	"SELECT case_id FROM kyc_onboarding.applicants WHERE first_name = 'A7'");
$node->safe_psql('dst', "SELECT kyc_onboarding.forget_subject('$forgotten')");
is($node->safe_psql('dst', "SELECT kyc_onboarding.reveal(date_of_birth_sealed) IS NULL FROM kyc_onboarding.applicants WHERE first_name = 'A7'"),
	't', 'forget_subject() in the restored copy: its date of birth no longer opens there');
is($node->safe_psql('src', "SELECT kyc_onboarding.reveal(date_of_birth_sealed) FROM kyc_onboarding.applicants WHERE first_name = 'A7'"),
	'1970-01-08', 'but a copy made before the erasure still holds the key (old backups must expire)');

$node->stop;
done_testing();
