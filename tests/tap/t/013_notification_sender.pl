# The reference sender (examples/sender/kyc_sender.c) against
# kyc_notification's queue: a sender killed with SIGKILL mid-batch loses
# nothing, and resends only the message it had written but not marked;
# the doorbell wakes a waiting sender long before its poll timeout; a
# simulated provider failure is retried; SIGTERM finishes the message in
# flight, then exits.
use strict;
use warnings;
use File::Copy;
use POSIX qw(WNOHANG);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $repo = $ENV{PGKYC_REPO} or plan skip_all => 'PGKYC_REPO (a copy of the repository parts) is not set';
my $src = "$repo/examples/sender";
-f "$src/kyc_sender.c"
  or BAIL_OUT("$src/kyc_sender.c is missing: scripts/test.sh must copy examples/ into PGKYC_REPO");

# The test builds its own sender, with the Makefile's -Wall -Wextra -Werror.
my $tmp = PostgreSQL::Test::Utils::tempdir('sender');
copy("$src/$_", "$tmp/$_") or die "copy $_: $!" for ('kyc_sender.c', 'Makefile');
command_ok([ 'make', '-s', '-C', $tmp ], 'examples/sender builds with -Wall -Wextra -Werror');
my $sender = "$tmp/kyc_sender";

my $node = PostgreSQL::Test::Cluster->new('notification');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
# A few senders, the test's psql sessions and kyc_events' launcher.
max_connections = 40
});
$node->start;
my $db = 'notification_service';
$node->safe_psql('postgres', "CREATE DATABASE $db");
$node->safe_psql($db, q{CREATE EXTENSION kyc_events; CREATE EXTENSION kyc_notification;
	CREATE ROLE notification_user LOGIN});
ok($node->safe_psql($db, 'SELECT kyc_notification.install_default_templates()') > 0,
	'install_default_templates() adds the default templates');
# The senders run as notification_user, with provision's grants only.
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'role=notification_user',
	'-d', $db, '-f', "$repo/extensions/kyc_notification/grants.sql" ],
	"notification_user gets kyc_notification's grants");

my $out = "$tmp/sent.txt";
my @children;

# Start a sender named name (its worker and application_name); its pid.
sub start_sender
{
	my ($name, @args) = @_;
	my $conninfo = $node->connstr($db) . " user=notification_user application_name=$name";
	my $pid = fork() // die "fork: $!";
	if ($pid == 0)
	{
		open(STDOUT, '>>', "$tmp/$name.log") and open(STDERR, '>&', \*STDOUT)
		  and exec($sender, '-d', $conninfo, '-w', $name, '-o', $out, @args);
		print STDERR "cannot start $sender: $!\n";
		POSIX::_exit(127);
	}
	push @children, $pid;
	return $pid;
}

# The exit status of pid if it exits within seconds, else undef.
sub wait_exit
{
	my ($pid, $seconds) = @_;
	for (my $i = 0; $i < $seconds * 10; $i++)
	{
		return $? if waitpid($pid, WNOHANG) == $pid;
		usleep(100_000);
	}
	return undef;
}

END
{
	local $?;
	for my $pid (@children)
	{
		kill('KILL', $pid) if waitpid($pid, WNOHANG) == 0;
	}
}

# The lines of the output file, each [id, recipient, attempt, subject].
sub lines
{
	my @lines;
	if (open(my $fh, '<', $out))
	{
		@lines = map { chomp; [ split /\t/ ] } <$fh>;
		close($fh);
	}
	return @lines;
}

# Wait until the output file has at least n lines.
sub wait_for_lines
{
	my ($n, $seconds) = @_;
	for (my $i = 0; $i < $seconds * 10; $i++)
	{
		return 1 if scalar(lines()) >= $n;
		usleep(100_000);
	}
	return 0;
}

# Queue n StatusUpdate e-mails; their ids.
sub enqueue
{
	my ($n, $tag) = @_;
	return split /\n/, $node->safe_psql($db, qq{SET ROLE notification_user;
		SELECT kyc_notification.enqueue('StatusUpdate', 'Email', format('$tag%s\@example.com', i),
			template_data => jsonb_build_object(
				'case', jsonb_build_object('case_id', format('KYC-$tag-%s', i),
										   'status', 'InProgress', 'from_status', 'Draft'),
				'applicant', jsonb_build_object('first_name', format('Ada %s', i))),
			case_id => format('KYC-$tag-%s', i))
		FROM generate_series(1, $n) i});
}

# A sender killed mid-batch.  Sender A claims 10 at a time with a 3 s
# lease and takes 200 ms per message.  Once it has written a few lines,
# the test locks the rest of its batch: A writes its next message, then
# waits in mark_sent() on the lock, and is killed there (its backend
# too, so the mark never commits).
my @ids = enqueue(40, 'crash');
is(scalar @ids, 40, '40 e-mails queued');
is(scalar(lines()), 0, 'nothing is sent yet');
my $pid_a = start_sender('sender_a', '-b', '10', '-l', '3', '-s', '200', '-p', '1');
ok(wait_for_lines(3, 120), 'sender A writes its first lines');

my $locker = $node->background_psql($db);
my @held;
for (my $try = 0; $try < 100 && !@held; $try++)
{
	$locker->query_safe('BEGIN');
	@held = split /\n/, $locker->query_safe(q{SELECT id FROM kyc_notification.notifications
		WHERE status = 'Sending' AND locked_by = 'sender_a' ORDER BY id FOR UPDATE});
	if (!@held)
	{
		$locker->query_safe('ROLLBACK');
		usleep(50_000);
	}
}
ok(@held >= 1 && @held <= 10, 'some of the batch sender A holds are still Sending (' . scalar(@held) . ')');
ok($node->poll_query_until($db, q{SELECT wait_event_type = 'Lock' FROM pg_stat_activity
	WHERE application_name = 'sender_a'}), 'sender A waits on the lock');
my $blocked_in = $node->safe_psql($db, q{SELECT query FROM pg_stat_activity WHERE application_name = 'sender_a'});
kill('KILL', $pid_a);
is(wait_exit($pid_a, 60), 9, 'sender A is killed with SIGKILL');
$node->safe_psql($db, q{SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sender_a'});
ok($node->poll_query_until($db, q{SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'sender_a'}),
	"sender A's backend is gone, its mark_sent() rolled back");
$locker->query_safe('ROLLBACK');
$locker->quit;

my @a_lines = lines();
my %held = map { $_ => 1 } @held;
my %unmarked = map { $_->[0] => 1 } grep { $held{ $_->[0] } } @a_lines;
is($node->safe_psql($db, q{SELECT string_agg(id::text, ',' ORDER BY id) FROM kyc_notification.notifications
	WHERE status = 'Sending' AND locked_by = 'sender_a'}), join(',', @held),
	'the rest of its batch is still Sending, leased to sender A');
if ($blocked_in =~ /mark_sent/)
{
	is(scalar keys %unmarked, 1, 'sender A wrote exactly one message it did not mark: the one in mark_sent()');
}
else
{
	# Half its lease had passed: A waited in extend_lease(), before writing.
	is(scalar keys %unmarked, 0, "sender A waited in extend_lease() and wrote nothing unmarked ($blocked_in)");
}

# Sender B, once A's lease has expired: claim() reclaims it and B sends
# everything left, then exits (-n).
ok($node->poll_query_until($db, q{SELECT count(*) = 0 FROM kyc_notification.notifications
	WHERE status = 'Sending' AND locked_until >= now()}), "sender A's lease expires");
my $pid_b = start_sender('sender_b', '-b', '10', '-l', '30', '-n');
is(wait_exit($pid_b, 120), 0, 'sender B sends the rest and exits when the queue is empty');

is($node->safe_psql($db, q{SELECT count(*) FILTER (WHERE status = 'Sent') || '/' || count(*)
	FROM kyc_notification.notifications}), '40/40', 'every notification is Sent');
my @all = lines();
my %times;
$times{ $_->[0] }++ for @all;
is(join(',', grep { !$times{$_} } @ids), '', 'every notification is in the output file');
my @twice = sort grep { $times{$_} == 2 } keys %times;
is(join(',', @twice), join(',', sort keys %unmarked),
	'the ones written twice are exactly those sender A wrote but did not mark');
is(join(',', grep { $times{$_} > 2 } keys %times), '', 'none is written more than twice');
is(scalar(@all), 40 + scalar(@twice), 'the file has one line per notification, plus the resent');

# Each provider_message_id names the line that sent it.
my %line_of = map { $_->[0] => $_->[1] } map { [ split /\|/ ] } split /\n/,
  $node->safe_psql($db, q{SELECT id || '|' || provider_message_id FROM kyc_notification.notifications});
is(join(',', grep { $line_of{$_} !~ /^file:(\d+)$/ || $all[ $1 - 1 ][0] ne $_ } @ids), '',
	"each notification's provider_message_id is file:<its last line>");

is($node->safe_psql($db, q{SELECT string_agg(notification_id::text, ',' ORDER BY notification_id)
	FROM kyc_notification.notification_history
	WHERE from_status = 'Sending' AND to_status = 'Pending' AND worker = 'sender_a'
	AND detail LIKE '%lease of worker sender_a expired%'}), join(',', @held),
	"the history shows each of sender A's expired leases, Sending -> Pending, and no other");
is($node->safe_psql($db, q{SELECT string_agg(id::text, ',' ORDER BY id) FROM kyc_notification.notifications
	WHERE attempts = 2}), join(',', @held), 'those took two attempts');
is($node->safe_psql($db, q{SELECT count(*) FROM kyc_notification.notifications WHERE attempts = 1}),
	40 - @held, 'the others one');
is(join(',', sort map { $_->[0] } grep { $held{ $_->[0] } && $_->[2] eq '2' } @all[ scalar(@a_lines) .. $#all ]),
	join(',', @held), 'sender B sent each of them as attempt 2');
like($all[0][3], qr/^Your verification KYC-crash-\d+ is now InProgress$/, 'a line holds the rendered subject');

# The doorbell: a sender polling only every 60 s sends a new message at once.
my $pid_c = start_sender('sender_c', '-p', '60');
ok($node->poll_query_until($db, q{SELECT count(*) = 1 FROM pg_stat_activity
	WHERE application_name = 'sender_c' AND state = 'idle' AND query LIKE '%claim%'}),
	'sender C has claimed nothing and waits');
my $start = Time::HiRes::time();
my ($rung) = enqueue(1, 'doorbell');
ok($node->poll_query_until($db, qq{SELECT status = 'Sent' FROM kyc_notification.notifications WHERE id = '$rung'}),
	'the doorbell wakes sender C');
my $took = Time::HiRes::time() - $start;
cmp_ok($took, '<', 20, sprintf('it sends the message within %.2f s, not after its 60 s poll', $took));

# A lost connection: sender C reconnects and LISTENs again.
my $old_pid = $node->safe_psql($db, q{SELECT pid FROM pg_stat_activity WHERE application_name = 'sender_c'});
$node->safe_psql($db, "SELECT pg_terminate_backend($old_pid)");
ok($node->poll_query_until($db, qq{SELECT count(*) = 1 FROM pg_stat_activity
	WHERE application_name = 'sender_c' AND pid <> $old_pid AND state = 'idle' AND query LIKE '%claim%'}),
	'sender C reconnects when its backend is terminated');
$start = Time::HiRes::time();
($rung) = enqueue(1, 'reconnected');
ok($node->poll_query_until($db, qq{SELECT status = 'Sent' FROM kyc_notification.notifications WHERE id = '$rung'}),
	'the doorbell wakes it on its new connection');
$took = Time::HiRes::time() - $start;
cmp_ok($took, '<', 20, sprintf('within %.2f s', $took));
$start = Time::HiRes::time();
kill('TERM', $pid_c);
is(wait_exit($pid_c, 30), 0, 'SIGTERM ends the wait of sender C at once, exit status 0');
cmp_ok(Time::HiRes::time() - $start, '<', 20, 'long before its 60 s poll');

# Retries: every 2nd send fails (-f 2).  Four messages take seven sends,
# three of them failed and retried after a backoff of a few ms.
$node->safe_psql($db, "ALTER DATABASE $db SET kyc_notification.retry_base = 1");
my $before = scalar(lines());
my @retried = enqueue(4, 'retry');
my $pid_e = start_sender('sender_e', '-f', '2', '-p', '1');
my $retried = join(',', map { "'$_'" } @retried);
ok($node->poll_query_until($db, qq{SELECT count(*) = 4 FROM kyc_notification.notifications
	WHERE id IN ($retried) AND status = 'Sent'}), 'with every 2nd send failing, all four are sent');
kill('TERM', $pid_e);
is(wait_exit($pid_e, 30), 0, 'sender E stops');
is(scalar(lines()) - $before, 4, 'each written once');
is($node->safe_psql($db, qq{SELECT count(*) FROM kyc_notification.notification_history
	WHERE notification_id IN ($retried) AND from_status = 'Sending' AND to_status = 'Pending'
	AND worker = 'sender_e' AND detail = 'simulated failure (-f 2)'}), '3',
	'the three failed sends are in the history, each with its error');
is($node->safe_psql($db, qq{SELECT sum(attempts) || '|' || sum(retry_count)
	FROM kyc_notification.notifications WHERE id IN ($retried)}), '7|3', 'seven attempts, three retries');

# SIGTERM while a message is being sent: it is finished, the rest of the
# batch is left to its lease.
$before = scalar(lines());
my @last = enqueue(3, 'term');
my $pid_d = start_sender('sender_d', '-b', '5', '-s', '1500', '-p', '60');
ok($node->poll_query_until($db, q{SELECT count(*) = 1 FROM kyc_notification.notifications
	WHERE status = 'Sent' AND case_id LIKE 'KYC-term-%'}), 'sender D sends its first message');
kill('TERM', $pid_d);
is(wait_exit($pid_d, 30), 0, 'sender D exits after SIGTERM');
my $sent_d = $node->safe_psql($db, q{SELECT count(*) FILTER (WHERE status = 'Sent') || '|'
	|| count(*) FILTER (WHERE status = 'Sending' AND locked_by = 'sender_d')
	FROM kyc_notification.notifications WHERE case_id LIKE 'KYC-term-%'});
my ($sent, $left) = split /\|/, $sent_d;
ok($sent >= 2 && $sent + $left == 3, "it finished the message in flight ($sent sent, $left left to the lease)");
is(scalar(lines()) - $before, $sent, 'and wrote a line for each message it marked sent, no other');

if (!Test::More->builder->is_passing)
{
	for my $name ('sender_a', 'sender_b', 'sender_c', 'sender_e', 'sender_d')
	{
		diag("--- $name.log\n" . slurp_file("$tmp/$name.log")) if -f "$tmp/$name.log";
	}
}
$node->stop;
done_testing();
