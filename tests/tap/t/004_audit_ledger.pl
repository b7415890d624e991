# The audit ledger against a superuser: a proof checks offline against a
# digest; a superuser who edits rows with the triggers off and then rebuilds
# the whole chain passes verify() alone, but not verify() against a digest
# kept from before; and pg_dump plus restore into a fresh cluster keeps the
# ledger verifiable against the old digest.  A month past the retention
# is dropped whole and the chain still verifies; one dropped by hand shows.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# Installed beside PostgreSQL's programs, which are on PATH here.
my $verifier = 'kyc-audit-verify';

# A started cluster with kyc_events preloaded and a database "audit",
# with kyc_auditlog installed unless $bare.
sub audit_cluster
{
	my ($name, $bare) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', "shared_preload_libraries = 'kyc_events'");
	$node->start;
	$node->safe_psql('postgres', 'CREATE DATABASE audit');
	$node->safe_psql('audit', 'CREATE EXTENSION kyc_auditlog CASCADE; SELECT kyc_auditlog.ensure_partitions()')
	  unless $bare;
	return $node;
}

# Entries in one transaction: $count rows named $prefix || i.
sub add_entries
{
	my ($node, $prefix, $count) = @_;
	$node->safe_psql('audit', qq{
		INSERT INTO kyc_auditlog.audit_log_entries
			(event_type, entity_type, entity_id, user_id, action, compliance_category)
		SELECT 'case.updated', 'Case', '$prefix' || i, 'u', 'Update', 'KYC'
		FROM generate_series(1, $count) i});
}

my $node = audit_cluster('ledger');

# Entries in several transactions, sealed into several blocks.
for my $t (1 .. 5)
{
	$node->safe_psql('audit', qq{
		INSERT INTO kyc_auditlog.audit_log_entries
			(event_type, entity_type, entity_id, user_id, action, compliance_category, new_values)
		SELECT 'case.status_changed', 'Case', 'KYC-$t-' || i, 'analyst', 'Update', 'KYC',
			   jsonb_build_object('i', i)
		FROM generate_series(1, 4000) i});
}
is($node->safe_psql('audit', 'SELECT kyc_auditlog.seal()'), '20000', 'seal seals every entry');
my $digest = $node->safe_psql('audit', 'SELECT kyc_auditlog.digest()');
my $dir = $node->basedir;
PostgreSQL::Test::Utils::append_to_file("$dir/digest.json", $digest);

# An offline proof, for an entry in the first block.
my $entry = $node->safe_psql('audit', "SELECT id FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'KYC-1-77'");
PostgreSQL::Test::Utils::append_to_file("$dir/proof.json",
	$node->safe_psql('audit', "SELECT kyc_auditlog.proof('$entry')"));
my ($out, $err) = run_command([ $verifier, "$dir/proof.json", "$dir/digest.json" ]);
like($out, qr/^ok: entry $entry is in block 1/m, 'kyc-audit-verify accepts a genuine proof');
like($out, qr/^  entity_id +KYC-1-77\n/m, 'and shows the entry decoded from the hashed bytes');
like($out, qr/^  new_values +\{"i": 77\}\n/m, '... jsonb in its canonical text');

my $forged = slurp_file("$dir/proof.json");
$forged =~ s/"row_hash": "([0-9a-f])/'"row_hash": "' . ($1 eq '0' ? '1' : '0')/e;
PostgreSQL::Test::Utils::append_to_file("$dir/forged.json", $forged);
my $rc = system($verifier, "$dir/forged.json", "$dir/digest.json") >> 8;
is($rc, 1, 'kyc-audit-verify rejects a proof for a changed row');

# The proof ties the entry's id and content to its leaf.
my $genuine = slurp_file("$dir/proof.json");
my $other = $node->safe_psql('audit', "SELECT id FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'KYC-1-78'");
(my $renamed = $genuine) =~ s/"entry_id": "$entry"/"entry_id": "$other"/;
PostgreSQL::Test::Utils::append_to_file("$dir/renamed.json", $renamed);
($out, $err) = run_command([ $verifier, "$dir/renamed.json", "$dir/digest.json" ]);
like($err, qr/encoding is of another entry/, 'kyc-audit-verify rejects a proof passed off as another entry\'s');
(my $edited = $genuine) =~ s/("encoding": "[0-9a-f]{80})([0-9a-f])/$1 . ($2 eq '0' ? '1' : '0')/e;
PostgreSQL::Test::Utils::append_to_file("$dir/edited.json", $edited);
($out, $err) = run_command([ $verifier, "$dir/edited.json", "$dir/digest.json" ]);
like($err, qr/encoding does not hash to its row_hash/, 'kyc-audit-verify rejects an edited entry');
unlike($genuine, qr/"entry":/, 'the proof carries no readable copy that the hash would not bind');

is($node->safe_psql('audit', 'SELECT count(*) FROM kyc_auditlog.verify()'), '0', 'the ledger verifies');

# A superuser edits a row with the triggers off, recomputes its hash, throws
# the blocks away and seals again: a consistent new chain.
$node->safe_psql('audit', q{
	SET session_replication_role = replica;
	UPDATE kyc_auditlog.audit_log_entries SET user_id = 'someone-else' WHERE entity_id = 'KYC-2-5';
	UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e) WHERE entity_id = 'KYC-2-5';
	DELETE FROM kyc_auditlog.blocks;
	RESET session_replication_role;
	SELECT kyc_auditlog.seal();
});
is($node->safe_psql('audit', 'SELECT count(*) FROM kyc_auditlog.verify()'), '0',
	'a rebuilt chain passes verify() on its own');
like($node->safe_psql('audit', "SELECT string_agg(problem, '; ') FROM kyc_auditlog.verify('$digest')"),
	qr/chain does not extend the digest/, 'but not against the digest kept from before');
$rc = system($verifier, "$dir/proof.json", "$dir/digest.json") >> 8;
is($rc, 0, 'the old proof still checks against the old digest, offline');

# pg_dump and restore into a fresh cluster: the untouched ledger verifies
# against its old digest there.
my $clean = audit_cluster('clean');
add_entries($clean, 'KYC-', 3000);
$clean->safe_psql('audit', 'SELECT kyc_auditlog.seal()');
my $clean_digest = $clean->safe_psql('audit', 'SELECT kyc_auditlog.digest()');
PostgreSQL::Test::Utils::append_to_file("$dir/clean_digest.json", $clean_digest);

# Seals after a digest do not spoil it: a proof made later still checks
# against it, the verifier stopping at the digest's block.
add_entries($clean, 'KYC-L', 100);
$clean->safe_psql('audit', 'SELECT kyc_auditlog.seal()');
my $early = $clean->safe_psql('audit', "SELECT id FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'KYC-7'");
PostgreSQL::Test::Utils::append_to_file("$dir/later_proof.json",
	$clean->safe_psql('audit', "SELECT kyc_auditlog.proof('$early')"));
is(system($verifier, "$dir/later_proof.json", "$dir/clean_digest.json") >> 8, 0,
	'a proof made after later seals checks against the earlier digest');
$clean->command_ok([ 'pg_dump', '-d', $clean->connstr('audit'), '-f', "$dir/audit.sql" ], 'pg_dump of the ledger');

my $fresh = audit_cluster('fresh', 1);
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	$fresh->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $fresh->connstr('audit'),
		'-f', "$dir/audit.sql" ], 'restore into a fresh cluster');
}
is($fresh->safe_psql('audit', "SELECT count(*) FROM kyc_auditlog.verify('$clean_digest')"), '0',
	'the restored ledger verifies against the digest taken before the dump');
is($fresh->safe_psql('audit', 'SELECT count(*) FROM kyc_auditlog.audit_log_entries'), '3100',
	'every entry was restored');

# Retention.  A month of history from January 2025, written as a restore
# would write it: its partition made in maintenance mode, its rows with
# the triggers off and hashes computed by row_hash().
my $old = audit_cluster('retention');
# The policy verify() holds retirements to: a year.
$old->append_conf('postgresql.conf', "kyc_auditlog.retention = '1 year'");
$old->reload;
$old->safe_psql('audit', q{
	SET kyc_auditlog.maintenance = on;
	CREATE TABLE kyc_auditlog.audit_log_entries_2025_01 PARTITION OF kyc_auditlog.audit_log_entries
		FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2025-02-01 00:00:00+00');
	SET session_replication_role = replica;
	INSERT INTO kyc_auditlog.audit_log_entries
		(event_type, entity_type, entity_id, user_id, action, compliance_category, "timestamp", integrity_hash)
	SELECT 'case.updated', 'Case', 'OLD-' || i, 'u', 'Update', 'KYC', '2025-01-15 12:00+00', repeat('0', 64)
	FROM generate_series(1, 50) i;
	UPDATE kyc_auditlog.audit_log_entries e SET integrity_hash = kyc_auditlog.row_hash(e)
	WHERE "timestamp" < '2025-02-01';
});
add_entries($old, 'NEW-', 30);
is($old->safe_psql('audit', 'SELECT kyc_auditlog.seal()'), '81', 'the old month and this one are sealed');
is($old->safe_psql('audit', q{SELECT string_agg(entry_count::text, ',' ORDER BY block_id) FROM kyc_auditlog.blocks}),
	'1,50,30', 'a block never spans two months');
my $before = $old->safe_psql('audit', 'SELECT kyc_auditlog.digest()');
# Retention counts from the end of the month: a cutoff an hour before it keeps it.
is($old->safe_psql('audit', q{
	DO $$ BEGIN PERFORM set_config('kyc_auditlog.retention', (now() - '2025-01-31 23:00+00'::timestamptz)::text, false); END $$;
	SELECT kyc_auditlog.drop_expired_partitions()}), '', 'a month that ended after the cutoff is kept');
is($old->safe_psql('audit', q{
	DO $$ BEGIN PERFORM set_config('kyc_auditlog.retention', (now() - '2025-02-01 00:00+00'::timestamptz)::text, false); END $$;
	SELECT kyc_auditlog.drop_expired_partitions()}), 'audit_log_entries_2025_01', 'the expired month is dropped');
is($old->safe_psql('audit', q{SELECT partition_name, blocks, entry_count FROM kyc_auditlog.retired_partitions}),
	'audit_log_entries_2025_01|{[2,3)}|50', 'its blocks are recorded as retired');
is($old->safe_psql('audit', q{SELECT count(*) FROM kyc_auditlog.blocks}), '3', 'its blocks are kept');
is($old->safe_psql('audit', q{SELECT user_id || ' ' || severity FROM kyc_auditlog.audit_log_entries
	WHERE event_type = 'audit.retention'}), 'postgres Critical', 'the retirement is itself an audit entry');
$old->safe_psql('audit', 'SELECT kyc_auditlog.seal()');
is($old->safe_psql('audit', "SELECT count(*) FROM kyc_auditlog.verify('$before')"), '0',
	'the chain still verifies, against the digest from before the drop too');
# The digests here are seconds old: verify_min_age has its own test (pgTAP 16).
is($old->safe_psql('audit', "SET kyc_auditlog.verify_min_age = 0; SELECT kyc_auditlog.mark_verified('$before')"), '31',
	'mark_verified marks the remaining entries the digest covers');
is($old->safe_psql('audit', 'SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE NOT integrity_verified'),
	'1', 'and not the retirement entry sealed after it');
my $after = $old->safe_psql('audit', 'SELECT kyc_auditlog.digest()');
is($old->safe_psql('audit', "SET kyc_auditlog.verify_min_age = 0; SELECT kyc_auditlog.mark_verified('[$before, $after]')"), '1',
	'a later digest covers that one too');
is($old->safe_psql('audit', 'SELECT count(*) FROM kyc_auditlog.audit_log_entries WHERE NOT integrity_verified'),
	'0', 'and so none is left unverified');

# A superuser who deletes rows and records a retirement of their block, to
# pass it off as retention, is caught: the block is of this month.
my $blk = $old->safe_psql('audit', q{SELECT block_id FROM kyc_auditlog.blocks WHERE entry_count = 30});
$old->safe_psql('audit', qq{
	SET session_replication_role = replica;
	DELETE FROM kyc_auditlog.audit_log_entries WHERE entity_id = 'NEW-7';
	INSERT INTO kyc_auditlog.retired_partitions (partition_name, month_start, month_end, blocks, entry_count, retention, retired_at)
	VALUES ('audit_log_entries_1999_01', '1999-01-01', '1999-02-01', '{[$blk,$blk]}', 1, '1 day', now());
});
like($old->safe_psql('audit', "SELECT string_agg(problem, '; ') FROM kyc_auditlog.verify('$before')"),
	qr/retirement outside the retention policy.*missing rows/, 'a forged retirement does not hide deleted rows');

# A superuser who drops a month outside the retention function is caught.
# Replica mode silences event triggers, so the DDL guard does not see it.
my $month = $old->safe_psql('audit', q{SELECT to_char(now() AT TIME ZONE 'UTC', '"audit_log_entries_"YYYY_MM')});
$old->safe_psql('audit', qq{SET session_replication_role = replica; DROP TABLE kyc_auditlog.$month});
like($old->safe_psql('audit', "SELECT string_agg(problem, '; ') FROM kyc_auditlog.verify('$before')"),
	qr/missing rows: 0 of 30 sealed entries remain/, 'a month dropped by hand shows as missing rows');
my ($ret, $stdout, $stderr) = $old->psql('audit', "SET kyc_auditlog.verify_min_age = 0; SELECT kyc_auditlog.mark_verified('$after')");
like($stderr, qr/does not verify, so no entry was marked verified/, 'and mark_verified refuses');

$node->stop;
$clean->stop;
$old->stop;
$fresh->stop;
done_testing();
