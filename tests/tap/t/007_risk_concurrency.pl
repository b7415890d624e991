# Risk scoring under load: 8 pgbench clients add and remove factors of the
# same two assessments at once, and screen a case and assess its geography
# together.  The foreign-key checks of factor inserts hold KEY SHARE locks
# on the assessment, so the scoring trigger must lock it NO KEY UPDATE or
# the writers deadlock.  Afterwards no transaction failed, each assessment's
# stored score equals what the model computes from its factors, and no
# geography factor was added twice.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('risk');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'kyc_events'
max_connections = 30
deadlock_timeout = 100ms
});
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION kyc_risk CASCADE;
	SELECT kyc_risk.install_defaults();
	SELECT kyc_risk.open_assessment('LOAD-' || i) FROM generate_series(1, 2) i;
});

$node->pgbench(
	'--no-vacuum --client=8 --jobs=4 --transactions=200 --max-tries=1',
	0, [qr{processed: 1600/1600}], [qr{^$|.*}], 'pgbench: 8 clients, 1,600 factor changes on 2 assessments',
	{
		'007_factor_change' => q{
\set a random(1, 2)
\set s random(0, 100)
\set op random(1, 4)
BEGIN;
SET LOCAL kyc_risk.change_reason = 'load test';
INSERT INTO kyc_risk.risk_factors (risk_assessment_id, type, score)
SELECT kyc_risk.open_assessment('LOAD-' || :a), (ARRAY['PEP', 'Sanctions', 'AdverseMedia', 'Industry'])[:op], :s;
DELETE FROM kyc_risk.risk_factors WHERE id = (
	SELECT f.id FROM kyc_risk.risk_factors f JOIN kyc_risk.risk_assessments a ON a.id = f.risk_assessment_id
	WHERE a.case_id = 'LOAD-' || :a AND f.score < :s ORDER BY f.score LIMIT 1) AND :op = 1;
SELECT kyc_risk.assess_geography('LOAD-' || :a, ARRAY[(ARRAY['DE', 'IR', 'FR', 'NG'])[:op]]);
COMMIT;
}
	});

is($node->safe_psql('postgres', q{
	SELECT count(*) FROM kyc_risk.risk_assessments a, LATERAL kyc_risk.assessment_result(a.id) r
	WHERE (a.risk_score, a.overall_risk_level::text, a.manual_review, a.overrides)
	   IS DISTINCT FROM (r.score, r.level, r.manual_review, r.overrides)}),
	'0', 'every assessment\'s stored score is what its factors give');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM (SELECT risk_assessment_id FROM kyc_risk.risk_factors WHERE type = 'Geography'
						  GROUP BY 1 HAVING count(*) > 1) d}),
	'0', 'concurrent assess_geography() calls keep one Geography factor per assessment');

$node->stop;
done_testing();
