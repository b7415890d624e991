# Across databases: a document verified in document_service completes the
# checklist item its type satisfies in checklist_service, through the
# outbox, the relay worker and kyc_checklist.on_document_verified(), and
# the checklist's counts and completion event follow.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('services');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.databases = 'checklist_service'
kyc_events.poll_interval = 200ms
});
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE checklist_service');
$node->safe_psql('postgres', 'CREATE DATABASE document_service');
$node->safe_psql('document_service', 'CREATE EXTENSION kyc_document CASCADE; SELECT kyc_document.install_defaults()');
$node->safe_psql('checklist_service', q{
	CREATE EXTENSION kyc_checklist CASCADE;
	SELECT kyc_checklist.install_defaults();
	SELECT kyc_checklist.create_checklist('X-1', 'Individual');
});
my $conninfo = $node->connstr('document_service');
$node->safe_psql('checklist_service',
	"SELECT kyc_events.subscribe('documents_verified', \$c\$$conninfo\$c\$, '{document.verified}', "
	  . "'kyc_checklist.on_document_verified(kyc_events.event)')");

# A passport and a utility bill, uploaded and verified; a bank statement
# uploaded and rejected.
$node->safe_psql('document_service', q{
	SELECT kyc_document.verify_document(kyc_document.register_document('X-1', 'Passport', 'passport.pdf',
		'application/pdf', 120000, repeat('a', 64), 's3://docs/x-1/passport.pdf'), 'reviewer-1');
	SELECT kyc_document.verify_document(kyc_document.register_document('X-1', 'UtilityBill', 'bill.pdf',
		'application/pdf', 80000, repeat('b', 64), 's3://docs/x-1/bill.pdf'), 'reviewer-1');
	SELECT kyc_document.reject_document(kyc_document.register_document('X-1', 'BankStatement', 'bank.pdf',
		'application/pdf', 90000, repeat('c', 64), 's3://docs/x-1/bank.pdf'), 'Older than three months', 'reviewer-1');
});

ok($node->poll_query_until('checklist_service', q{
	SELECT count(*) = 2 FROM kyc_checklist.checklist_items WHERE status = 'Completed'}),
	'the two verified documents complete their items in the other database');
is($node->safe_psql('checklist_service', q{
	SELECT string_agg(code || ':' || (completed_by LIKE 'document:%')::text, ',' ORDER BY code)
	FROM kyc_checklist.checklist_items WHERE status = 'Completed'}),
	'proof_of_address:true,proof_of_identity:true', 'each completed by its document');
is($node->safe_psql('checklist_service', q{
	SELECT status FROM kyc_checklist.checklist_items WHERE code = 'source_of_funds'}),
	'Pending', 'the rejected bank statement completes nothing');
is($node->safe_psql('checklist_service', q{
	SELECT completed_items || '/' || total_items FROM kyc_checklist.checklists WHERE case_id = 'X-1'}),
	'2/6', 'the checklist counts follow');

# The remaining required items, and one optional one, by hand: complete, announced once.
$node->safe_psql('checklist_service', q{
	UPDATE kyc_checklist.checklist_items SET status = 'Completed'
	WHERE code IN ('sanctions_pep_screening', 'source_of_funds', 'tax_residency');
});
is($node->safe_psql('checklist_service', q{
	SELECT status || ' ' || completion_percentage FROM kyc_checklist.checklists WHERE case_id = 'X-1'}),
	'Completed 83.33', 'the checklist completes');
is($node->safe_psql('checklist_service', q{
	SELECT count(*) FROM kyc_events.outbox WHERE topic = 'checklist.completed' AND aggregate_id = 'X-1'}),
	'1', 'checklist.completed is emitted once');
is($node->safe_psql('document_service', q{
	SELECT string_agg(topic, ',' ORDER BY id) FROM kyc_events.outbox WHERE aggregate_id = 'X-1'}),
	'document.uploaded,document.verified,document.uploaded,document.verified,document.uploaded,document.rejected',
	'document_service emitted each upload and review');
is($node->safe_psql('document_service', q{
	SELECT payload->'counts' FROM kyc_events.outbox WHERE topic = 'document.rejected'}),
	'{"Expired": 0, "Pending": 0, "Rejected": 1, "Verified": 2}', 'with the case\'s counts per status');

$node->stop;
done_testing();
