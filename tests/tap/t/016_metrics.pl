# pgkyc's metrics as Prometheus scrapes them (issue 16): a cluster made by
# make provision, prometheus-postgres-exporter started on it with
# docker/monitoring/queries.yaml as kyc_monitor, on a free loopback port,
# and /metrics fetched over loopback.  Every pgkyc_ metric queries.yaml
# defines is there, none NaN, each with a sane value; the figures match
# what the test made (a queue of four notifications, three of them due,
# a dead letter, a database pg_hba.conf keeps the summary out of, a backup
# recorded between two scrapes).  Then promtool
# checks the alert rules and runs their unit tests, and every metric the
# rules use is one queries.yaml defines.
use strict;
use warnings;
use CPAN::Meta::YAML;
use HTTP::Tiny;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $repo = $ENV{PGKYC_REPO} or plan skip_all => 'PGKYC_REPO (a copy of the repository parts) is not set';
my $monitoring = "$repo/docker/monitoring";
-f "$monitoring/queries.yaml"
  or BAIL_OUT("$monitoring/queries.yaml is missing: scripts/test.sh must copy docker/monitoring into PGKYC_REPO");
my $exporter = '/usr/bin/prometheus-postgres-exporter';
my $promtool = '/usr/bin/promtool';
ok(-x $exporter && -x $promtool, 'prometheus-postgres-exporter and promtool are installed (PGKYC_PACKAGES)')
  or BAIL_OUT('install prometheus-postgres-exporter and prometheus');

# ---------- the metrics queries.yaml defines ----------

my $queries = CPAN::Meta::YAML->read_string(slurp_file("$monitoring/queries.yaml"))->[0];
my %defined;
for my $namespace (keys %$queries)
{
	for my $column (@{ $queries->{$namespace}{metrics} })
	{
		my ($name, $spec) = %$column;
		$defined{"${namespace}_$name"} = 1 if $spec->{usage} ne 'LABEL';
	}
}
ok(keys %defined >= 30 && !grep({ !/^pgkyc_/ } keys %defined),
	'queries.yaml defines ' . scalar(keys %defined) . ' metrics, each prefixed pgkyc_');

# ---------- a provisioned cluster ----------

my $node = PostgreSQL::Test::Cluster->new('metrics');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'pg_cron,kyc_events'
cron.database_name = 'postgres'
kyc_events.databases = 'onboarding,checklist_service,risk_service,auditlog_service,projections_api,notification_service,document_service'
kyc_events.poll_interval = 200ms
max_worker_processes = 16
});
$node->start;
{
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGUSER} = $ENV{USER} // 'postgres';
	local $ENV{PGDATABASE} = 'postgres';
	my ($stdout, $stderr);
	IPC::Run::run([ 'bash', "$repo/scripts/provision.sh" ], '>', \$stdout, '2>', \$stderr);
	is($? >> 8, 0, 'make provision') or diag($stdout . $stderr);
}

# Four notifications, three due now, one in an hour; a dead letter in
# projections_api; an audit entry.
$node->safe_psql('notification_service', q{SET ROLE notification_user;
	SELECT kyc_notification.enqueue('StatusUpdate', 'InApp', 'metrics-' || i,
		template_data => '{"case": {"case_id": "KYC-METRICS-1", "status": "InProgress"}}',
		scheduled_at => CASE WHEN i = 4 THEN now() + interval '1 hour' END)
	FROM generate_series(1, 4) i});
my $dead_sub = $node->safe_psql('projections_api', q{
	INSERT INTO kyc_events.dead_letters (subscription, event, error, attempts)
	SELECT min(s.name), ROW('onboarding', 1, '1', 'case.created', 'KYC-METRICS-1', '{}', '{}', now())::kyc_events.event,
		   'handler failed', 5
	FROM kyc_events.subscription s
	RETURNING subscription});
$node->safe_psql('auditlog_service', q{SET ROLE auditlog_user;
	INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, compliance_category)
	VALUES ('metrics.test', 'Test', 'metrics-1', 'tap', 'Create', 'KYC')});
# A database the summary cannot read: pg_hba.conf rejects every connection to it.
$node->safe_psql('postgres', 'CREATE DATABASE unreadable');
my $hba = slurp_file($node->data_dir . '/pg_hba.conf');
open(my $fh, '>', $node->data_dir . '/pg_hba.conf') or die "pg_hba.conf: $!";
print $fh "local unreadable all reject\nhost unreadable all 127.0.0.1/32 reject\n$hba";
close($fh);
$node->reload;
like($node->safe_psql('postgres', q{SELECT error FROM pgkyc.database_health() WHERE database = 'unreadable'}),
	qr/could not connect to database "unreadable".*pg_hba\.conf rejects/s,
	'database_health() names a database it cannot read, and why');

# ---------- the exporter, on a free loopback port ----------

my $port = PostgreSQL::Test::Cluster::get_free_port();
my $log = "${PostgreSQL::Test::Utils::tmp_check}/exporter.log";
my $dsn = sprintf('host=%s port=%d user=kyc_monitor dbname=postgres sslmode=disable', $node->host, $node->port);
my $handle;
{
	local $ENV{DATA_SOURCE_NAME} = $dsn;
	$handle = IPC::Run::start(
		[
			$exporter, "--web.listen-address=127.0.0.1:$port",
			"--extend.query-path=$monitoring/queries.yaml",
			'--disable-default-metrics', '--disable-settings-metrics'
		],
		'<', \undef, '>', $log, '2>&1');
}
END { $handle->kill_kill if $handle; }

my $http = HTTP::Tiny->new(timeout => 30);

# Scrape /metrics: { name => [ [labels, value], ... ] } of the pgkyc_
# samples, and the exporter's own pg_exporter_last_scrape_error.
sub scrape
{
	my $response;
	for (1 .. 100)
	{
		$response = $http->get("http://127.0.0.1:$port/metrics");
		last if $response->{success};
		usleep(100_000);
	}
	die "GET /metrics: $response->{status} $response->{reason}\n" . slurp_file($log)
	  unless $response->{success};
	my (%samples, $scrape_error);
	for my $line (split /\n/, $response->{content})
	{
		next if $line =~ /^#/;
		my ($name, $labels, $value) = $line =~ /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/ or next;
		$scrape_error = $value if $name eq 'pg_exporter_last_scrape_error';
		next unless $name =~ /^pgkyc_/;
		my %l = ($labels // '') =~ /(\w+)="((?:[^"\\]|\\.)*)"/g;
		push @{ $samples{$name} }, [ \%l, $value ];
	}
	return (\%samples, $scrape_error);
}

# The value of metric name whose labels include %want, or undef.
sub value_of
{
	my ($samples, $name, %want) = @_;
	for my $s (@{ $samples->{$name} // [] })
	{
		return $s->[1] unless grep { ($s->[0]{$_} // '') ne $want{$_} } keys %want;
	}
	return undef;
}

my ($samples, $scrape_error) = scrape();
is($scrape_error, 0, 'the exporter ran every query without error') or diag(slurp_file($log));

# Every metric, with a value that makes sense for it.
my @databases = qw(auditlog_service checklist_service document_service notification_service onboarding
  projections_api risk_service);
for my $name (sort keys %defined)
{
	my @values = map { $_->[1] } @{ $samples->{$name} // [] };
	my $sane =
	    $name =~ /_(up|ok|streaming|relay_worker_running|healthy)$/ ? qr/^[01]$/
	  : $name eq 'pgkyc_subscription_state_info' ? qr/^1$/
	  : qr/^\d+(\.\d+)?(e[+-]?\d+)?$/;
	my @bad = grep { $_ !~ $sane } @values;
	ok(@values > 0 && !@bad, "$name: " . scalar(@values) . ' samples, all sane')
	  or diag("values: @values");
}

is(join(',', sort map { $_->[0]{database} } grep { $_->[1] == 1 } @{ $samples->{pgkyc_database_up} }),
	join(',', @databases), 'every service database is up, and only they are reported');
is(value_of($samples, 'pgkyc_database_up', database => 'unreadable'), 0, 'the one it cannot read is down');
is(value_of($samples, 'pgkyc_cluster_notification_queue_usage') <= 1, 1, 'the NOTIFY queue usage is a fraction');
ok(!grep({ $_->[1] < 0 } @{ $samples->{pgkyc_subscription_lag_seconds} }), 'no lag is negative');
is(value_of($samples, 'pgkyc_database_subscriptions', database => 'auditlog_service'), 4,
	'the audit log has its four capture subscriptions');
is(value_of($samples, 'pgkyc_subscription_state_info', database => 'auditlog_service',
		subscription => 'capture_onboarding', state => 'streaming')
	  // value_of($samples, 'pgkyc_subscription_state_info', database => 'auditlog_service',
		subscription => 'capture_onboarding', state => 'new'),
	1, 'capture_onboarding is new or streaming');

# What the test made.
is(value_of($samples, 'pgkyc_notification_queue_depth', database => 'notification_service'), 4,
	'the queue depth is the four notifications enqueued');
is(value_of($samples, 'pgkyc_notification_due', database => 'notification_service'), 3, 'three of them due');
is(value_of($samples, 'pgkyc_notification_scheduled', database => 'notification_service'), 1, 'one scheduled');
is(value_of($samples, 'pgkyc_database_dead_letters', database => 'projections_api'), 1,
	'projections_api has the dead letter');
is(value_of($samples, 'pgkyc_subscription_dead_letters', database => 'projections_api', subscription => $dead_sub),
	1, "on subscription $dead_sub");
is(value_of($samples, 'pgkyc_database_ok', database => 'projections_api'), 0, 'so projections_api is not ok');
is(value_of($samples, 'pgkyc_database_ok', database => 'risk_service'), 1, 'while risk_service is');
is(value_of($samples, 'pgkyc_auditlog_last_verify_problems', database => 'auditlog_service'), 0,
	'the verification provision ran found no problem');
cmp_ok(value_of($samples, 'pgkyc_auditlog_last_verify_timestamp_seconds', database => 'auditlog_service'),
	'>', time() - 3600, 'and it is recent');
is(value_of($samples, 'pgkyc_backup_last_success_timestamp_seconds'), 0, 'no backup yet: 0');
is(value_of($samples, 'pgkyc_backup_recorded'), 0, 'none recorded');
is(value_of($samples, 'pgkyc_job_healthy', jobname => 'kyc_auditlog_verify', database => 'auditlog_service'), 1,
	'the nightly verify job is scheduled and healthy');

# A backup recorded: the next scrape has its time.
my $finished = $node->safe_psql('postgres', q{
	INSERT INTO pgkyc.backups (finished_at, kind, label, ok) VALUES ('2026-03-01 02:00+00', 'full', 'test', true)
	RETURNING extract(epoch FROM finished_at)::bigint});
($samples) = scrape();
cmp_ok(value_of($samples, 'pgkyc_backup_last_success_timestamp_seconds'), '==', $finished,
	'after a backup, its time');
is(value_of($samples, 'pgkyc_backup_recorded'), 1, 'and one recorded');

$handle->kill_kill;
undef $handle;

# ---------- the alert rules ----------

command_ok([ $promtool, 'check', 'rules', "$monitoring/pgkyc-rules.yml" ], 'promtool check rules accepts pgkyc-rules.yml');
command_ok([ $promtool, 'test', 'rules', "$monitoring/pgkyc-rules.test.yml" ],
	'promtool test rules: each alert fires when it should, and not before');
my %used = map { $_ => 1 } slurp_file("$monitoring/pgkyc-rules.yml") =~ /\b(pgkyc_[a-z_]+)\b/g;
is(join(', ', grep { !$defined{$_} } sort keys %used), '', 'every metric the rules use is one queries.yaml defines');

done_testing();
