# Checklist counts under load: 16 pgbench clients complete, skip and reopen
# items of the same few checklists at once, for a few thousand
# transactions.  Afterwards every checklist's counts, percentage and status
# must equal a recount of its items, and the completion events must tally
# with the completions.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('checklists');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'kyc_events'
max_connections = 40
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION kyc_checklist CASCADE;
	SELECT kyc_checklist.install_defaults();
	SELECT kyc_checklist.create_checklist('LOAD-' || i, 'Individual') FROM generate_series(1, 4) i;
	CREATE TABLE item_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id, is_required FROM kyc_checklist.checklist_items;
});

# Each transaction moves one random item of the 24 to a random status; the
# rules refuse some moves (a required item skipped), which pgbench counts
# as failures and the recount must survive too.
$node->pgbench(
	'--no-vacuum --client=16 --jobs=4 --transactions=250 --max-tries=1',
	0, [qr{processed: 4000/4000}], [qr{^$|.*}], 'pgbench: 16 clients, 4,000 item changes on 4 checklists',
	{
		'005_item_change' => q{
\set n random(1, 24)
\set s random(1, 3)
UPDATE kyc_checklist.checklist_items SET
	status = CASE :s WHEN 1 THEN 'Pending' WHEN 2 THEN 'Completed'
			 ELSE CASE WHEN is_required THEN 'Completed' ELSE 'Skipped' END END,
	notes = 'change ' || :client_id || '-' || random()
WHERE id = (SELECT id FROM item_ids WHERE n = :n);
}
	});

my $mismatches = $node->safe_psql('postgres', q{
	SELECT count(*) FROM kyc_checklist.checklists c,
	LATERAL (SELECT count(*) AS total,
					count(*) FILTER (WHERE i.status = 'Completed') AS completed,
					count(*) FILTER (WHERE i.status = 'Skipped') AS skipped,
					count(*) FILTER (WHERE i.is_required) AS required,
					count(*) FILTER (WHERE i.is_required AND i.status = 'Completed') AS completed_required
			 FROM kyc_checklist.checklist_items i WHERE i.checklist_id = c.id) r
	WHERE (c.total_items, c.completed_items, c.skipped_items, c.required_items, c.completed_required_items,
		   c.completion_percentage, c.status)
	   IS DISTINCT FROM (r.total::int, r.completed::int, r.skipped::int, r.required::int, r.completed_required::int,
		   kyc_checklist.completion_percentage(r.completed::int, r.total::int, r.skipped::int),
		   CASE WHEN kyc_checklist.is_complete(r.completed::int, r.total::int, r.skipped::int, r.required::int,
											   r.completed_required::int, c.required_completion_percentage)
				THEN 'Completed' ELSE 'InProgress' END)
});
is($mismatches, '0', 'every checklist matches a recount of its items after 16 concurrent clients');

# Completions and reopenings alternate per checklist: the events must too.
my $unbalanced = $node->safe_psql('postgres', q{
	SELECT count(*) FROM kyc_checklist.checklists c,
	LATERAL (SELECT count(*) FILTER (WHERE o.topic = 'checklist.completed') AS completed,
					count(*) FILTER (WHERE o.topic = 'checklist.reopened') AS reopened
			 FROM kyc_events.outbox o WHERE o.aggregate_id = c.case_id) e
	WHERE e.completed - e.reopened <> CASE WHEN c.status = 'Completed' THEN 1 ELSE 0 END
});
is($unbalanced, '0', 'completed minus reopened events is 1 for each completed checklist, else 0');
my $events = $node->safe_psql('postgres', q{SELECT count(*) FROM kyc_events.outbox WHERE topic = 'checklist.completed'});
cmp_ok($events, '>', 0, "the run completed checklists ($events completions)");

$node->stop;
done_testing();
