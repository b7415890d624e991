# The relay's launcher over many values of kyc_events.databases (issue 18).
# It keeps an entry per listed database; the entry of a database dropped
# from the list is freed once its worker has stopped.  Before, entries were
# never freed, and after 64 distinct names over the launcher's lifetime a
# newly listed database got no relay worker, without a word.  Here 72 names
# of databases that do not exist come and go, eight at a time, and then a
# new database still gets its worker.  A list the launcher cannot run is
# refused at reload and the running workers stay.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('launcher');
$node->init;
# Eight failing workers at a time, the launcher and the two real workers.
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
max_worker_processes = 20
});
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE early; CREATE DATABASE fresh;');

# Poll $sql in postgres until it returns t.
sub wait_until
{
	my ($sql) = @_;
	local $PostgreSQL::Test::Utils::timeout_default = 60;
	return $node->poll_query_until('postgres', $sql);
}

# Whether a relay worker runs for $db.
sub relay_runs
{
	my ($db) = @_;
	return "SELECT count(*) = 1 FROM pg_stat_activity "
	  . "WHERE backend_type = 'kyc_events relay' AND datname = '$db'";
}

# List $list in kyc_events.databases, and reload.
sub list_databases
{
	my ($list) = @_;
	$node->append_conf('postgresql.conf', "kyc_events.databases = '$list'");
	$node->reload;
}

list_databases('early');
ok(wait_until(relay_runs('early')), 'a relay worker starts for the first listed database');

# Nine lists of eight names each: every one is tried (its worker fails, as
# its database does not exist) before the next list replaces it.
my $tried = 0;
for my $batch (0 .. 8)
{
	my @names = map { 'gone_' . ($batch * 8 + $_) } 1 .. 8;
	my $offset = -s $node->logfile;
	local $PostgreSQL::Test::Utils::timeout_default = 30;
	list_databases(join(',', @names));
	for my $name (@names)
	{
		last unless eval { $node->wait_for_log(qr/database "$name" does not exist/, $offset); 1 };
		$tried++;
	}
}
is($tried, 72, 'each of 72 names listed eight at a time gets a worker, which fails');
ok(wait_until("SELECT count(*) = 0 FROM pg_stat_activity WHERE backend_type = 'kyc_events relay'"),
	'the worker of a database no longer listed stops');

list_databases('early, fresh');
ok(wait_until(relay_runs('fresh')),
	'after 73 distinct names over its lifetime, the launcher starts a worker for a new database');
ok(wait_until(relay_runs('early')), 'and for a database listed again');

# 65 names: more than the launcher runs at once.  The reload refuses the
# value, saying why, and the list before it stays in force.
my $offset = -s $node->logfile;
list_databases(join(',', map { "many_$_" } 1 .. 65));
$node->wait_for_log(
	qr/invalid value for parameter "kyc_events.databases".*\n.*DETAIL:  kyc_events.databases: 65 databases are listed; at most 64 can have a relay worker/,
	$offset);
pass('a reload listing 65 databases is refused, naming the limit');
is($node->safe_psql('postgres', 'SHOW kyc_events.databases'), 'early, fresh',
	'the list before it stays');
$node->safe_psql('postgres', 'SELECT pg_sleep(1)');
ok($node->safe_psql('postgres', relay_runs('fresh')) eq 't'
	  && $node->safe_psql('postgres', relay_runs('early')) eq 't',
	'and its workers keep running');

$node->stop;
done_testing();
