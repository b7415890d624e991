# Backup and point-in-time recovery with pgBackRest (issue 16,
# docs/backup.md).  A cluster provisioned as make provision does, with
# every service database and the relay, archives its WAL with the example
# configuration (docker/pgbackrest/pgbackrest.conf, paths made this
# test's); scripts/backup.sh takes a full backup, then a differential one,
# and records each in pgkyc.backups.  Cases, documents, events and audit
# entries are written, the ledger sealed, a digest taken, and a restore
# point created; then a bad transaction deletes documents and more cases
# arrive, and a later digest is taken.  Restored into a fresh data
# directory up to the restore point, the cluster has every row it had
# there in every service database, and nothing after; the ledger verifies
# against the earlier digest and not the later one, which shows what the
# restore lost; and the relay resumes from its restored cursors, delivering
# the events held back at the restore point exactly once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use File::Copy;
use Time::HiRes;

my $repo = $ENV{PGKYC_REPO} or plan skip_all => 'PGKYC_REPO (a copy of the provision scripts) is not set';
my $example = "$repo/docker/pgbackrest/pgbackrest.conf";
-f $example or plan skip_all => "$example is not in PGKYC_REPO";
eval { IPC::Run::run([ 'pgbackrest', 'version' ], '>', \my $version) } or plan skip_all => 'pgbackrest is not installed';

my $stanza = 'pgkyc';
my @services = qw(onboarding checklist_service risk_service auditlog_service
  projections_api notification_service document_service);

my $primary = PostgreSQL::Test::Cluster->new('primary');
my $dir = $primary->basedir;
mkdir "$dir/$_" for qw(log lock);

# The example configuration, with this test's repository, spool, logs and
# lock, and the node's data directory, socket and port: its retention,
# compression, fast start and asynchronous archiving stay as shipped.
sub backrest_conf
{
	my ($node) = @_;
	my $file = "$dir/pgbackrest-" . $node->name . '.conf';
	my %set = (
		'repo1-path' => "$dir/repo",
		'spool-path' => "$dir/spool-" . $node->name,
		'log-path' => "$dir/log",
		'pg1-path' => $node->data_dir,
		'pg1-port' => $node->port,
		'pg1-socket-path' => $node->host);
	my $conf = slurp_file($example);
	for my $key (sort keys %set)
	{
		$conf =~ s/^\Q$key\E=.*$/$key=$set{$key}/m or die "$example sets no $key";
	}
	$conf =~ s/^\[global\]$/[global]\nlock-path=$dir\/lock/m or die "$example has no [global] section";
	open my $fh, '>', $file or die "$file: $!";
	print $fh $conf;
	close $fh;
	return $file;
}

# pgbackrest COMMAND OPTION... with a node's configuration: (exit status, output).
sub backrest
{
	my ($conf, @args) = @_;
	my $out;
	IPC::Run::run([ 'pgbackrest', "--config=$conf", "--stanza=$stanza", @args ], '>&', \$out);
	return ($? >> 8, $out);
}

# A script of the repository as a client of a node, as a superuser, with
# more environment: (exit status, output).
sub run_script
{
	my ($node, $env, $script, @args) = @_;
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGUSER} = $ENV{USER} // 'postgres';
	local $ENV{PGDATABASE} = 'postgres';
	local @ENV{ keys %$env } = values %$env;
	my $out;
	IPC::Run::run([ 'bash', "$repo/scripts/$script", @args ], '>&', \$out);
	return ($? >> 8, $out);
}

# scripts/backup.sh KIND against a node, with its pgBackRest configuration.
sub backup_sh
{
	my ($node, $conf, $kind, %env) = @_;
	return run_script($node, { PGBACKREST_CONFIG => $conf, %env }, 'backup.sh', $kind);
}

my $primary_conf = backrest_conf($primary);
$primary->init;
$primary->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'kyc_events'
kyc_events.poll_interval = 200ms
max_worker_processes = 16
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$primary_conf --stanza=$stanza archive-push %p'
});
$primary->start;

my ($rc, $out) = backrest($primary_conf, 'stanza-create');
is($rc, 0, 'pgbackrest stanza-create with the example configuration') or diag($out);
($rc, $out) = backrest($primary_conf, 'check');
is($rc, 0, 'pgbackrest check: WAL reaches the repository through archive_command') or diag($out);

# ---------- a full backup, before anything is provisioned ----------
($rc, $out) = backup_sh($primary, $primary_conf, 'full');
is($rc, 0, 'scripts/backup.sh full') or diag($out);
my $backups = q{SELECT string_agg(concat_ws(' ', kind, ok, label IS NOT NULL, finished_at <= now()), ',' ORDER BY finished_at) FROM pgkyc.backups};
is($primary->safe_psql('postgres', $backups), 'full t t t', 'it records the full backup in pgkyc.backups, with its label');
my $full_label = $primary->safe_psql('postgres', q{SELECT label FROM pgkyc.backups WHERE kind = 'full'});
like($full_label, qr/^\d{8}-\d{6}F$/, "the label is pgBackRest's ($full_label)");

($rc, $out) = backup_sh($primary, $primary_conf, 'diff', PGKYC_STANZA => 'no_such_stanza');
isnt($rc, 0, 'scripts/backup.sh for a stanza that does not exist fails');
is($primary->safe_psql('postgres', q{SELECT concat_ws(' ', kind, ok, label IS NULL) FROM pgkyc.backups ORDER BY finished_at DESC LIMIT 1}),
	'diff f t', 'and records the failure, without a label') or diag($out);
($rc, $out) = backup_sh($primary, $primary_conf, 'weekly');
is($rc, 2, 'scripts/backup.sh refuses a kind that is not full, diff or incr');

# ---------- make provision, and cases through the workflow ----------
($rc, $out) = run_script($primary, {}, 'provision.sh');
is($rc, 0, 'make provision') or diag($out);

# A case as the workflow takes it: created with its applicant (a sealed
# date of birth) and address, moved to InProgress, its three documents
# registered and verified.  Checklist, risk, projection, notifications and
# audit follow through the relay.
sub onboard
{
	my ($node, $ref) = @_;
	my $case = $node->safe_psql('onboarding', qq{SET ROLE onboarding_user;
		SELECT kyc_onboarding.create_case('Individual', NULL, '$ref',
			'{"first_name": "Pat", "last_name": "Restore-$ref", "date_of_birth": "1980-02-03", "nationality": "GB",
			  "addresses": [{"type": "Residential", "street": "2 Mill Lane", "city": "York", "country": "GB", "is_primary": true}]}')});
	$node->safe_psql('onboarding', "SET ROLE onboarding_user; SELECT kyc_onboarding.transition('$case', 'InProgress')");
	$node->safe_psql('document_service', join "\n", 'SET ROLE document_user;',
		map { "SELECT kyc_document.verify_document(kyc_document.register_document('$case', '$_', '$_.pdf', "
			  . "'application/pdf', 1000, encode(sha256('$case$_'), 'hex'), 's3://tap/$case/$_.pdf'), 'tap-reviewer');" }
		  qw(Passport BankStatement TaxReturn));
	return $case;
}

# Every row of every kyc_* table of a database, as one fingerprint per
# table: its row count and the md5 of its rows.  The relay's own
# bookkeeping (state, lag, error times) is left out; its cursors and
# acknowledgements are in.
sub fingerprint
{
	my ($node, $db) = @_;
	return $node->safe_psql('postgres', q{SELECT 'pgkyc.backups', count(*), md5(string_agg(b::text, ',' ORDER BY finished_at))
		FROM pgkyc.backups b}) if $db eq 'postgres';
	my $tables = $node->safe_psql($db, q{
		SELECT string_agg(format('SELECT %L, count(*), md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM %s x',
								 c.oid::regclass, c.oid::regclass), ' UNION ALL ' ORDER BY c.oid::regclass::text)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname LIKE 'kyc\_%' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		  AND c.oid NOT IN ('kyc_events.subscription'::regclass, 'kyc_events.consumers'::regclass)});
	return $node->safe_psql($db, qq{
		$tables
		UNION ALL SELECT 'cursors', count(*), md5(coalesce(string_agg(concat_ws(' ', name, enabled, last_xid, last_id, applied), ',' ORDER BY name), ''))
		FROM kyc_events.subscription
		UNION ALL SELECT 'acks', count(*), md5(coalesce(string_agg(concat_ws(' ', name, acked_xid, acked_id), ',' ORDER BY name), ''))
		FROM kyc_events.consumers
		ORDER BY 1});
}

sub fingerprints
{
	my ($node) = @_;
	return { map { $_ => fingerprint($node, $_) } @services, 'postgres' };
}

sub same
{
	my ($x, $y) = @_;
	return join("\n", map { $x->{$_} } sort keys %$x) eq join("\n", map { $y->{$_} } sort keys %$y);
}

# Wait until the relay has nothing left to do: no row anywhere changes for
# a second and a half (the relay polls every 200 ms), and no subscription
# is retrying or in error.
sub settle
{
	my ($node) = @_;
	my $last = '';
	for (1 .. 60)
	{
		my $now = join "\n", map {
			fingerprint($node, $_),
			$node->safe_psql($_, q{SELECT string_agg(name || ' ' || state, ',') FROM kyc_events.subscriptions
				WHERE enabled AND state IN ('retrying', 'error', 'disconnected', 'stalled', 'no_worker')})
		} @services;
		return 1 if $now eq $last && $now !~ /retrying|error|disconnected|stalled|no_worker/;
		$last = $now;
		Time::HiRes::usleep(1_500_000);
	}
	return 0;
}

# The audit entries the relay delivered from a source database, per
# event, against that database's audit.recorded events: "delivered
# events, outbox events, events delivered more than once, events never
# delivered".
sub capture_delivery
{
	my ($node, $db) = @_;
	my $outbox = $node->safe_psql($db, q{SELECT string_agg(id::text, ',' ORDER BY id)
		FROM kyc_events.outbox WHERE topic = 'audit.recorded'});
	my $delivered = $node->safe_psql('auditlog_service', qq{SELECT string_agg(id || ':' || n, ',' ORDER BY id) FROM (
		SELECT substring(description FROM 'event (\\d+) of $db\$')::bigint AS id, count(*) AS n
		FROM kyc_auditlog.audit_log_entries WHERE description ~ 'event \\d+ of $db\$' GROUP BY 1) d});
	my %n = map { split /:/ } split /,/, $delivered;
	my @ids = split /,/, $outbox;
	return sprintf('%d delivered, %d in the outbox, %d twice, %d never', scalar(keys %n), scalar(@ids),
		scalar(grep { $_ > 1 } values %n), scalar(grep { !$n{$_} } @ids));
}
# The service databases whose changes the audit log captures.
my @captured = qw(onboarding checklist_service risk_service document_service);

my @first = map { onboard($primary, "pitr-a$_") } 1 .. 4;
ok(settle($primary), 'the relay delivers the first cases everywhere');
my $first_list = join ',', map { "'$_'" } @first;
is($primary->safe_psql('projections_api', qq{SELECT count(*) FROM kyc_projections.onboarding_case_projections
	WHERE case_id IN ($first_list) AND status = 'PendingReview'}), '4', 'the workflow submitted them, as the projection shows');
$primary->safe_psql('auditlog_service', 'SELECT kyc_auditlog.seal()');

# ---------- a differential backup ----------
($rc, $out) = backup_sh($primary, $primary_conf, 'diff');
is($rc, 0, 'scripts/backup.sh diff, after provisioning and the first cases') or diag($out);
like($primary->safe_psql('postgres', q{SELECT concat_ws(' ', kind, ok, label) FROM pgkyc.backups ORDER BY finished_at DESC LIMIT 1}),
	qr/^diff t \Q$full_label\E_\d{8}-\d{6}D$/, 'recorded as a differential backup on the full one');

# ---------- writes after the backup, up to the restore point ----------
# The audit log's subscription to onboarding is paused, as a slow or
# stopped relay would leave it: at the restore point onboarding has
# committed audit events its cursor has not reached.
$primary->safe_psql('auditlog_service', q{UPDATE kyc_events.subscription SET enabled = false WHERE name = 'capture_onboarding'});
my $paused_at = $primary->safe_psql('auditlog_service', q{SELECT last_xid || '/' || last_id FROM kyc_events.subscription WHERE name = 'capture_onboarding'});
my @second = map { onboard($primary, "pitr-b$_") } 1 .. 4;
ok(settle($primary), 'the relay delivers the next cases, but for the paused subscription');
is($primary->safe_psql('auditlog_service', q{SELECT last_xid || '/' || last_id FROM kyc_events.subscription WHERE name = 'capture_onboarding'}),
	$paused_at, 'the paused subscription stays where it was');

# Audit entries written directly: some sealed, then a digest, then some
# left unsealed at the restore point.
my $insert_entries = q{SET ROLE auditlog_user;
	INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, case_id, user_id,
												action, description, severity, compliance_category)
	SELECT 'case.reviewed', 'Case', '%s-' || i, '%s', 'analyst-pitr', 'Update', 'reviewed before the restore point', 'Low', 'KYC'
	FROM generate_series(1, %d) i};
$primary->safe_psql('auditlog_service', sprintf($insert_entries, 'sealed', $second[0], 5));
$primary->safe_psql('auditlog_service', 'SELECT kyc_auditlog.seal()');
my $early_digest = $primary->safe_psql('auditlog_service', 'SET ROLE auditlog_user; SELECT kyc_auditlog.digest()');
PostgreSQL::Test::Utils::append_to_file("$dir/early_digest.json", $early_digest);
$primary->safe_psql('auditlog_service', sprintf($insert_entries, 'unsealed', $second[1], 3));
ok(settle($primary), 'nothing left moving before the restore point');

# The restore point, between two fingerprints that agree: so they are the
# state it marks.  (Should a row change meanwhile, another point is made.)
my ($before, $restore_point);
for my $try (1 .. 5)
{
	my $fp = fingerprints($primary);
	my $point = "pgkyc_before_bad_$try";
	$primary->safe_psql('postgres', "SELECT pg_create_restore_point('$point')");
	if (same($fp, fingerprints($primary)))
	{
		($before, $restore_point) = ($fp, $point);
		last;
	}
	settle($primary);
}
ok(defined $restore_point, 'a restore point, with every row the same just before and after it')
  or BAIL_OUT('the cluster never stood still around a restore point');
my $backlog = $primary->safe_psql('onboarding', qq{SELECT count(*) FROM kyc_events.outbox
	WHERE topic = 'audit.recorded' AND (xid, id) > ('${\ (split m{/}, $paused_at)[0]}'::xid8, ${\ (split m{/}, $paused_at)[1]})});
cmp_ok($backlog, '>', 0, "at the restore point $backlog onboarding audit events wait behind the paused cursor");
like(capture_delivery($primary, 'onboarding'), qr/ 0 twice, $backlog never$/, '... and only those are not in the audit log');
my $unsealed = $primary->safe_psql('auditlog_service', q{SELECT count(*) FROM kyc_auditlog.audit_log_entries e
	WHERE NOT EXISTS (SELECT FROM kyc_auditlog.blocks b WHERE (e.xid, e.entry_seq) BETWEEN (b.first_xid, b.first_entry) AND (b.last_xid, b.last_entry))});
is($unsealed, '3', 'three audit entries are not sealed yet at the restore point');

# ---------- the bad transaction, and what came after it ----------
my $second_list = join ',', map { "'$_'" } @second;
is($primary->safe_psql('document_service', qq{DELETE FROM kyc_document.documents WHERE case_id IN ($second_list)}),
	'', 'a bad transaction deletes the documents of four cases');
my @later = map { onboard($primary, "pitr-c$_") } 1 .. 2;
$primary->safe_psql('auditlog_service', q{UPDATE kyc_events.subscription SET enabled = true WHERE name = 'capture_onboarding'});
ok(settle($primary), 'on the old timeline the relay catches up, the paused subscription too');
is($primary->safe_psql('document_service', qq{SELECT count(*) FROM kyc_document.documents WHERE case_id IN ($second_list)}),
	'0', 'the documents are gone there');
$primary->safe_psql('auditlog_service', 'SELECT kyc_auditlog.seal()');
my $late_digest = $primary->safe_psql('auditlog_service', 'SET ROLE auditlog_user; SELECT kyc_auditlog.digest()');
PostgreSQL::Test::Utils::append_to_file("$dir/late_digest.json", $late_digest);
my ($early_block) = $early_digest =~ /"block_id": (\d+)/;
my ($late_block) = $late_digest =~ /"block_id": (\d+)/;
cmp_ok($late_block, '>', $early_block, "the later digest names a later block ($late_block, after $early_block)");

# An offline proof of an entry that recorded the bad deletion.
my $lost_entry = $primary->safe_psql('auditlog_service', q{SELECT id FROM kyc_auditlog.audit_log_entries
	WHERE entity_type = 'kyc_document.documents' AND action = 'Delete' ORDER BY entry_seq LIMIT 1});
like($lost_entry, qr/^[0-9a-f-]{36}$/, 'the audit log recorded the deletion');
PostgreSQL::Test::Utils::append_to_file("$dir/lost_proof.json",
	$primary->safe_psql('auditlog_service', "SELECT kyc_auditlog.proof('$lost_entry')"));

# The WAL up to here reaches the repository: check switches to a new
# segment and waits for the last one to be archived.
($rc, $out) = backrest($primary_conf, 'check');
is($rc, 0, 'pgbackrest check: the WAL past the restore point is archived') or diag($out);
($rc, $out) = backrest($primary_conf, 'info');
like($out, qr/full backup: \Q$full_label\E.*diff backup: \Q$full_label\E_\S+D/s, 'pgbackrest info lists the full and the differential backup');
my $diff_label = $primary->safe_psql('postgres', q{SELECT label FROM pgkyc.backups WHERE kind = 'diff' AND ok});

# The master key of sealed personal data is outside the data directory,
# so not in the backup.
my $keyfile = $primary->safe_psql('postgres', 'SHOW kyc.master_key_file');
my $manifest = slurp_file("$dir/repo/backup/$stanza/$diff_label/backup.manifest");
like($manifest, qr{^pg_data/postgresql\.auto\.conf=}m, 'the backup holds postgresql.auto.conf');
unlike($manifest, qr/pgkyc_master\.key/, "but not the master key file ($keyfile): it is backed up apart");
my $primary_port = $primary->port;
$primary->stop;

# ---------- restore into a fresh data directory ----------
# Where the old cluster was (same socket directory and port), so that the
# relay's conninfo, which names the sources by address, reaches the
# restored databases and no other.
my $restored = PostgreSQL::Test::Cluster->new('restored', port => $primary_port);
mkdir $restored->data_dir, 0700 or die $restored->data_dir . ": $!";
my $restored_conf = backrest_conf($restored);
($rc, $out) = backrest($restored_conf, 'restore', '--type=name', "--target=$restore_point", '--target-action=promote');
is($rc, 0, "pgbackrest restore --type=name --target=$restore_point --target-action=promote, into a fresh data directory") or diag($out);
# The master key, from where it was backed up apart; and WAL archived from
# the restored cluster's own configuration.
copy($keyfile, $restored->basedir . '/pgkyc_master.key') or die "copy $keyfile: $!";
chmod 0600, $restored->basedir . '/pgkyc_master.key';
$restored->append_conf('postgresql.auto.conf', "kyc.master_key_file = '" . $restored->basedir . "/pgkyc_master.key'");
$restored->append_conf('postgresql.conf',
	"archive_command = 'pgbackrest --config=$restored_conf --stanza=$stanza archive-push %p'");
$restored->start;
ok($restored->poll_query_until('postgres', 'SELECT NOT pg_is_in_recovery()'), 'the restored cluster recovers and is promoted');
like(slurp_file($restored->logfile), qr/recovery stopping at restore point "$restore_point"/, 'recovery stopped at the restore point');
is($restored->safe_psql('postgres', 'SELECT timeline_id FROM pg_control_checkpoint()'), '2', 'on a new timeline, 2');

# Every row at the restore point, in every service database; the relay
# has nothing to do yet, since its subscriptions were all caught up then
# but the paused one.
my $after = fingerprints($restored);
for my $db (@services, 'postgres')
{
	is($after->{$db}, $before->{$db}, "$db: every row as it was at the restore point, and no other");
}
is($restored->safe_psql('document_service', qq{SELECT count(*) FROM kyc_document.documents WHERE case_id IN ($second_list)}),
	'12', 'the documents the bad transaction deleted are back');
my $later_list = join ',', map { "'$_'" } @later;
is($restored->safe_psql('onboarding', qq{SELECT count(*) FROM kyc_onboarding.onboarding_cases WHERE case_id IN ($later_list)}),
	'0', 'the cases created after the restore point are not');
is($restored->safe_psql('postgres', q{SELECT string_agg(kind, ',' ORDER BY finished_at) FROM pgkyc.backups WHERE ok}),
	'full,diff', 'pgkyc.backups has the backups recorded before the restore point');
is($restored->safe_psql('onboarding', qq{SELECT kyc_onboarding.reveal(date_of_birth_sealed) FROM kyc_onboarding.applicants
	WHERE case_id = '$second[0]'}), '1980-02-03', 'sealed personal data opens with the master key restored apart');

# ---------- the audit log after the restore ----------
is($restored->safe_psql('auditlog_service', "SET ROLE auditlog_user; SELECT count(*) FROM kyc_auditlog.verify('$early_digest')"),
	'0', 'verify() against the digest taken before the restore point: no problem, the unsealed entries included');
like($restored->safe_psql('auditlog_service', "SELECT string_agg(problem, '; ') FROM kyc_auditlog.verify('$late_digest')"),
	qr/^chain does not extend the digest: its block is missing$/,
	'verify() against the digest taken after it: the chain does not extend it, its block is lost');
is($restored->safe_psql('auditlog_service', "SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE id = '$lost_entry'"),
	'0', 'the entry that recorded the bad deletion is not in the restored ledger');
($out, my $err) = run_command([ 'kyc-audit-verify', "$dir/lost_proof.json", "$dir/late_digest.json" ]);
like($out, qr/^ok: entry $lost_entry is in block/m, 'but its proof still checks offline against the later digest: it existed');
is($restored->safe_psql('auditlog_service', q{SELECT digest->>'block_id' FROM kyc_auditlog.digests ORDER BY id DESC LIMIT 1}),
	$early_block, "the ledger's own list of digests ends with the earlier one");
my ($mrc, $mout, $merr) = $restored->psql('auditlog_service',
	"SET kyc_auditlog.verify_min_age = 0; SELECT kyc_auditlog.mark_verified('$late_digest')");
like($merr, qr/the digest of block $late_block was not handed out by kyc_auditlog.digest\(\)/,
	'mark_verified() refuses the later digest: this ledger never handed it out');
is($restored->safe_psql('auditlog_service', q{SELECT (s.system_identifier::text = d.digest->>'system_identifier')::text
	FROM pg_control_system() s, kyc_auditlog.digests d ORDER BY d.id DESC LIMIT 1}), 'true',
	'the restored cluster keeps the system identifier: a digest does not tell timelines apart');

# ---------- the relay resumes from its cursors ----------
is($restored->safe_psql('auditlog_service', q{SELECT last_xid || '/' || last_id FROM kyc_events.subscription WHERE name = 'capture_onboarding'}),
	$paused_at, 'the paused subscription is restored where it was at the restore point');
$restored->safe_psql('auditlog_service', q{UPDATE kyc_events.subscription SET enabled = true WHERE name = 'capture_onboarding'});
my @new = (onboard($restored, 'pitr-d1'));
ok(settle($restored), 'the relay catches up on the restored cluster');
like(capture_delivery($restored, 'onboarding'), qr/^(\d+) delivered, \1 in the outbox, 0 twice, 0 never$/,
	"every onboarding audit event is in the audit log exactly once: the $backlog held back at the restore point and the new case's");
for my $db (grep { $_ ne 'onboarding' } @captured)
{
	like(capture_delivery($restored, $db), qr/^([1-9]\d*) delivered, \1 in the outbox, 0 twice, 0 never$/,
		"every $db audit event is in the audit log exactly once");
}
is($restored->safe_psql('onboarding', q{SELECT acked_xid || '/' || acked_id FROM kyc_events.consumers WHERE name LIKE '%/auditlog_service/capture_onboarding'}),
	$restored->safe_psql('auditlog_service', q{SELECT last_xid || '/' || last_id FROM kyc_events.subscription WHERE name = 'capture_onboarding'}),
	'and acknowledged at the source up to its cursor');
my $all_list = join ',', map { "'$_'" } @first, @second, @new;
is($restored->safe_psql('projections_api', qq{SELECT count(*) FROM kyc_projections.onboarding_case_projections WHERE case_id IN ($all_list)}),
	'9', 'every restored case and the new one are projected');
is($restored->safe_psql('projections_api', qq{SELECT status FROM kyc_projections.onboarding_case_projections WHERE case_id = '$new[0]'}),
	'PendingReview', 'the new case goes through the whole workflow on the restored cluster');
is(join('', map { $restored->safe_psql($_, 'SELECT count(*) FROM kyc_events.dead_letters') } @services), '0' x @services,
	'no dead letter in any database');

# ---------- the ledger goes on, and records the restore ----------
$restored->safe_psql('auditlog_service', qq{SET ROLE auditlog_user;
	INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, user_id, action, description,
												new_values, severity, compliance_category)
	VALUES ('ops.restored', 'Cluster', '$stanza', 'dba-pitr', 'Update',
			'point-in-time restore to $restore_point on timeline 2: the chain extends digest block $early_block, not the later block $late_block',
			jsonb_build_object('target', '$restore_point', 'timeline', 2, 'verifies', '$early_digest'::jsonb,
							   'does_not_verify', '$late_digest'::jsonb),
			'Critical', 'DataProtection')});
cmp_ok($restored->safe_psql('auditlog_service', 'SELECT kyc_auditlog.seal()'), '>', 0, 'the restored ledger seals its new entries');
my $new_digest = $restored->safe_psql('auditlog_service', 'SET ROLE auditlog_user; SELECT kyc_auditlog.digest()');
is($restored->safe_psql('auditlog_service', "SELECT count(*) FROM kyc_auditlog.verify('[$early_digest, $new_digest]')"),
	'0', 'the ledger verifies against the earlier digest and its own new one');
like($restored->safe_psql('auditlog_service', "SELECT string_agg(problem, '; ') FROM kyc_auditlog.verify('$late_digest')"),
	qr/^chain does not extend the digest: the block's hash differs from the digest's$/,
	'never against the digest of the lost timeline, whose block id it now uses for other entries');
is($restored->safe_psql('auditlog_service', q{SELECT severity || ' ' || description FROM kyc_auditlog.audit_log_entries WHERE event_type = 'ops.restored'}),
	"Critical point-in-time restore to $restore_point on timeline 2: the chain extends digest block $early_block, not the later block $late_block",
	'the restore is itself an audit entry, naming the digest it extends and the one it lost');

# A backup on the new timeline.
($rc, $out) = backup_sh($restored, $restored_conf, 'diff');
is($rc, 0, 'scripts/backup.sh diff on the restored cluster') or diag($out);
is($restored->safe_psql('postgres', q{SELECT string_agg(kind, ',' ORDER BY finished_at) FROM pgkyc.backups WHERE ok}),
	'full,diff,diff', 'recorded after the two from before the restore point');

$restored->stop;
done_testing();
