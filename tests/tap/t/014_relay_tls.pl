# The relay across servers over TLS, as docs/kyc_events.md configures it:
# a throwaway CA made with the openssl CLI signs server A's certificate
# (for the name localhost) and the relay's client certificate (CN
# kyc_relay); server A accepts kyc_relay only over TLS with a certificate
# (pg_hba "hostssl ... cert").  Server B's relay subscribes with
# sslmode=verify-full and its client certificate, and delivers.  A wrong
# host name, a missing client certificate, and a plain connection are
# each refused.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $repo = $ENV{PGKYC_REPO} or plan skip_all => 'PGKYC_REPO (a copy of the provision scripts) is not set';
my $dir = PostgreSQL::Test::Utils::tempdir;

# run_openssl ARGS...: the openssl CLI, dying with its output on failure.
sub run_openssl
{
	my ($out, $err);
	IPC::Run::run([ 'openssl', @_ ], '>', \$out, '2>', \$err)
	  or die "openssl @_ failed: $err";
}

# A CA, a server certificate for localhost only, and the relay's client certificate.
run_openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=pgkyc test CA',
	'-keyout', "$dir/ca.key", '-out', "$dir/ca.crt");
for my $cert ([ 'server', '/CN=localhost', 'subjectAltName=DNS:localhost' ],
	[ 'client', '/CN=kyc_relay', 'extendedKeyUsage=clientAuth' ])
{
	my ($name, $subject, $ext) = @$cert;
	run_openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', $subject,
		'-keyout', "$dir/$name.key", '-out', "$dir/$name.csr");
	PostgreSQL::Test::Utils::append_to_file("$dir/$name.ext", "$ext\n");
	run_openssl('x509', '-req', '-in', "$dir/$name.csr", '-CA', "$dir/ca.crt", '-CAkey', "$dir/ca.key",
		'-CAcreateserial', '-days', '2', '-extfile', "$dir/$name.ext", '-out', "$dir/$name.crt");
	chmod 0600, "$dir/$name.key";
}

# Server A, the source: TCP on 127.0.0.1, TLS, kyc_relay by certificate only.
my $a = PostgreSQL::Test::Cluster->new('tls_source');
$a->init;
$a->append_conf('postgresql.conf', qq{
listen_addresses = '127.0.0.1'
ssl = on
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
ssl_ca_file = '$dir/ca.crt'
});
open(my $hba, '>', $a->data_dir . '/pg_hba.conf') or die $!;
print $hba "local all all trust\n";
print $hba "hostssl all kyc_relay 127.0.0.1/32 cert\n";
close $hba;
$a->start;
$a->safe_psql('postgres', 'CREATE DATABASE src');
$a->safe_psql('src', 'CREATE EXTENSION kyc_events; CREATE ROLE kyc_relay LOGIN');
# The relay's rights at a source, as make provision grants them.
my $grants = PostgreSQL::Test::Utils::slurp_file("$repo/extensions/kyc_events/relay_grants.sql");
$grants =~ s/:"db"/src/g;
$grants =~ s/:"relay"/kyc_relay/g;
$a->safe_psql('src', $grants);
$a->safe_psql('src', q{SELECT kyc_events.emit('tls.checked', 'agg-' || n, jsonb_build_object('n', n))
	FROM generate_series(1, 3) n});

# Server B, the subscriber.
my $b = PostgreSQL::Test::Cluster->new('tls_subscriber');
$b->init;
$b->append_conf('postgresql.conf', q{
shared_preload_libraries = 'kyc_events'
kyc_events.databases = 'sink'
kyc_events.poll_interval = 200ms
});
$b->start;
$b->safe_psql('postgres', 'CREATE DATABASE sink');
$b->safe_psql('sink', q{CREATE EXTENSION kyc_events;
	CREATE TABLE received (id bigint, topic text);
	CREATE FUNCTION keep(e kyc_events.event) RETURNS void LANGUAGE sql
	AS $$ INSERT INTO public.received VALUES (e.id, e.topic) $$});

# subscribe NAME CONNINFO: kyc_events.subscribe() on B; returns (rc, stderr).
sub subscribe
{
	my ($name, $conninfo) = @_;
	my ($rc, $out, $err) = $b->psql('sink',
		qq{SELECT kyc_events.subscribe('$name', '$conninfo', '{tls.checked}', 'keep(kyc_events.event)')});
	return ($rc, $err);
}

my $port = $a->port;
my $tls = "port=$port dbname=src user=kyc_relay sslmode=verify-full sslrootcert=$dir/ca.crt";
my $cert = "sslcert=$dir/client.crt sslkey=$dir/client.key";

my ($rc, $err) = subscribe('tls_ok', "host=localhost hostaddr=127.0.0.1 $tls $cert");
is($rc, 0, 'subscribe() with sslmode=verify-full and a client certificate connects') or diag($err);
ok($b->poll_query_until('sink', 'SELECT count(*) = 3 FROM received'),
	'the relay delivers the source\'s events over TLS')
  or diag($b->safe_psql('sink', 'SELECT state, last_error, dead_letters FROM kyc_events.subscriptions'));
is($a->safe_psql('src', q{SELECT string_agg(DISTINCT s.ssl || ' ' || s.client_dn, ',')
	FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'kyc_relay'}),
	'true /CN=kyc_relay', 'on the source, the relay\'s session is TLS, authenticated by its certificate');
$a->safe_psql('src', q{SELECT kyc_events.emit('tls.checked', 'agg-4', '{"n": 4}')});
ok($b->poll_query_until('sink', 'SELECT count(*) = 4 FROM received'), 'and keeps delivering');

($rc, $err) = subscribe('tls_wrong_host', "host=127.0.0.1 $tls $cert");
isnt($rc, 0, 'a server whose certificate names another host is refused');
like($err, qr/could not connect to event source.*does not match host name "127\.0\.0\.1"/s,
	'saying that the certificate does not match the host name');

($rc, $err) = subscribe('tls_no_cert', "host=localhost hostaddr=127.0.0.1 $tls sslcert=$dir/missing.crt");
isnt($rc, 0, 'a relay without its client certificate is refused');
like($err, qr/could not connect to event source.*certificate/s, 'by the source, which asks for a certificate');

($rc, $err) = subscribe('tls_plain', "host=localhost hostaddr=127.0.0.1 port=$port dbname=src user=kyc_relay sslmode=disable");
isnt($rc, 0, 'a plain connection is refused');
like($err, qr/no pg_hba\.conf entry.*no encryption/s, 'pg_hba.conf has no entry for it');

is($b->safe_psql('sink', q{SELECT string_agg(name, ',' ORDER BY name) FROM kyc_events.subscriptions}), 'tls_ok',
	'only the verified subscription exists');

$b->stop;
$a->stop;
done_testing();
