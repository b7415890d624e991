# pg_dump and a replica-mode restore of the risk, checklist and document
# databases: every user row comes back unchanged, the defaults installed
# by install_defaults() are not doubled (they live in the data, not in the
# install script), the sequences continue, and the triggers still work on
# the restored rows.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('services_dump');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'kyc_events'");
$node->start;

my %setup = (
	risk => q{
		CREATE EXTENSION kyc_risk CASCADE;
		SELECT kyc_risk.install_defaults();
		UPDATE kyc_risk.factor_types SET weight = 0.35 WHERE type = 'Sanctions';
		INSERT INTO kyc_risk.company_forms (form) VALUES ('kft2');
		SELECT kyc_risk.add_watchlist_entity('OFAC-SDN', 'person', ARRAY['Ivan Petrov', 'Ivan Petroff'], '1961-03-14', ARRAY['RU']);
		SELECT kyc_risk.screen_case('R-1', 'Ivan Petrov', '1961-03-14', 'RU');
		SELECT kyc_risk.assess_geography('R-1', ARRAY['IR']);
		SELECT kyc_risk.assess_industry('R-1', 'software');
		SET kyc_risk.change_reason = 'dump test: PEP check';
		INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score) VALUES (kyc_risk.open_assessment('R-1'), 'PEP', 5);
	},
	checklist => q{
		CREATE EXTENSION kyc_checklist CASCADE;
		SELECT kyc_checklist.install_defaults();
		SELECT kyc_checklist.create_checklist('C-' || i, 'Corporate') FROM generate_series(1, 3) i;
		UPDATE kyc_checklist.checklist_items SET status = 'Completed' WHERE is_required;
	},
	document => q{
		CREATE EXTENSION kyc_document CASCADE;
		SELECT kyc_document.install_defaults();
		SELECT kyc_document.verify_document(kyc_document.register_document('D-1', 'Passport', 'p.pdf',
			'application/pdf', 1000, repeat('e', 64), 's3://d/p.pdf'), 'rev');
		SELECT kyc_document.reject_document(kyc_document.register_document('D-1', 'UtilityBill', 'u.pdf',
			'application/pdf', 1000, repeat('f', 64), 's3://d/u.pdf'), 'blurred', 'rev');
	},
);
my %fingerprint = (
	risk => q{SELECT (SELECT count(*) || ':' || md5(string_agg(a::text, ',' ORDER BY case_id)) FROM kyc_risk.risk_assessments a),
					 (SELECT count(*) || ':' || md5(string_agg(f::text, ',' ORDER BY id)) FROM kyc_risk.risk_factors f),
					 (SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY type)) FROM kyc_risk.factor_types t),
					 (SELECT count(*) FROM kyc_risk.level_bands), (SELECT count(*) FROM kyc_risk.overrides),
					 (SELECT count(*) FROM kyc_risk.country_risk), (SELECT count(*) FROM kyc_risk.industry_risk),
					 (SELECT count(*) || ':' || md5(string_agg(n::text, ',' ORDER BY id)) FROM kyc_risk.watchlist_names n),
					 (SELECT count(*) FROM kyc_risk.company_forms)},
	checklist => q{SELECT (SELECT count(*) || ':' || md5(string_agg(c::text, ',' ORDER BY case_id)) FROM kyc_checklist.checklists c),
						  (SELECT count(*) || ':' || md5(string_agg(i::text, ',' ORDER BY id)) FROM kyc_checklist.checklist_items i),
						  (SELECT count(*) FROM kyc_checklist.template_items), (SELECT count(*) FROM kyc_checklist.document_item_map)},
	document => q{SELECT (SELECT count(*) || ':' || md5(string_agg(d::text, ',' ORDER BY id)) FROM kyc_document.documents d),
						 (SELECT count(*) FROM kyc_document.allowed_mime_types)},
);

for my $db (sort keys %setup)
{
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, $setup{$db});
	my $before = $node->safe_psql($db, $fingerprint{$db});
	my $events = $node->safe_psql($db, 'SELECT count(*) FROM kyc_events.outbox');
	my $dump = $node->basedir . "/$db.sql";
	$node->command_ok([ 'pg_dump', '-d', $node->connstr($db), '-f', $dump ], "pg_dump of $db");
	$node->safe_psql('postgres', "CREATE DATABASE ${db}_copy");
	{
		local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
		$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr("${db}_copy"), '-f', $dump ],
			"restore of $db in replica mode, with no duplicate defaults");
	}
	is($node->safe_psql("${db}_copy", $fingerprint{$db}), $before, "$db: every row restored unchanged");
	is($node->safe_psql("${db}_copy", 'SELECT count(*) FROM kyc_events.outbox'), $events, "$db: events restored, none emitted again");
}

# The restored databases keep working.
$node->safe_psql('risk_copy', q{SET kyc_risk.change_reason = 'dump test: restored PEP check';
	INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
	VALUES (kyc_risk.open_assessment('R-2'), 'PEP', 50)});
is($node->safe_psql('risk_copy', q{SELECT risk_score || ' ' || overall_risk_level FROM kyc_risk.risk_assessments WHERE case_id = 'R-2'}),
	'50.00 Medium', 'risk: the scoring trigger works on the restored model');
is($node->safe_psql('risk_copy', q{SELECT count(*) FROM kyc_risk.screen('Ivan Petroff', '1961-03-14', 'RU')}),
	'1', 'risk: the restored watch list screens');
$node->safe_psql('checklist_copy', q{SELECT kyc_checklist.create_checklist('C-9', 'Trust')});
is($node->safe_psql('checklist_copy', q{SELECT total_items FROM kyc_checklist.checklists WHERE case_id = 'C-9'}),
	'7', 'checklist: a new checklist from the restored template');
is($node->safe_psql('document_copy', q{SELECT count(*) FROM kyc_document.documents WHERE status = 'Verified'}),
	'1', 'document: the verified document is still Verified');

$node->stop;
done_testing();
