#!/usr/bin/perl
# update_code.pl UPDATE INSTALL: an update script, from its hand-written part
# UPDATE and the new version's install script INSTALL.
#
# An update script is short when only what changes state in place is written
# by hand: new columns and constraints of existing tables, seed rows, types,
# the data migrations these need, and drops.  Everything else in the install
# script can run again over the old version, so it is taken from there, and
# an update cannot drift from a fresh install:
#   CREATE FUNCTION, PROCEDURE, VIEW and TRIGGER   as CREATE OR REPLACE;
#   CREATE TABLE, INDEX and SEQUENCE               with IF NOT EXISTS (new ones);
#   CREATE POLICY                                  after DROP POLICY IF EXISTS;
#   COMMENT, GRANT, REVOKE, ALTER FUNCTION, ALTER SEQUENCE ... OWNED BY,
#   ALTER TABLE ... ROW LEVEL SECURITY and pg_extension_config_dump()
#                                                  as they are (idempotent).
# The taken part goes where UPDATE has a line "-- @install", else at its end:
# what must run before it (drops, new columns its functions read) comes
# first, what needs it (seed rows of a new table) after.  The upgrade test
# compares the result with a fresh install, so a missing piece is found there.
use strict;
use warnings;

die "usage: update_code.pl UPDATE INSTALL\n" unless @ARGV == 2;
my ($update_file, $install_file) = @ARGV;
my $update = slurp($update_file);
my $sql = slurp($install_file);

# psql meta-commands (the install script's \echo ... \quit guard) are not SQL.
$sql =~ s/^\\[^\n]*\n//mg;

# Split into statements, keeping each statement's leading comment lines.
# Semicolons inside quotes, dollar quotes and comments do not end one.
my @statements;
my $current = '';
my $pos = 0;
my $len = length $sql;
while ($pos < $len)
{
	my $rest = substr($sql, $pos);
	if ($rest =~ /^(--[^\n]*\n?)/ or $rest =~ /^(\/\*.*?\*\/)/s
		or $rest =~ /^('(?:[^']|'')*')/ or $rest =~ /^("(?:[^"]|"")*")/)
	{
		$current .= $1;
		$pos += length $1;
	}
	elsif ($rest =~ /^(\$([A-Za-z_][A-Za-z_0-9]*)?\$)/)
	{
		my $tag = $1;
		my $end = index($sql, $tag, $pos + length $tag);
		die "update_code.pl: unterminated $tag quote\n" if $end < 0;
		$current .= substr($sql, $pos, $end + length($tag) - $pos);
		$pos = $end + length $tag;
	}
	elsif ($rest =~ /^;/)
	{
		push @statements, $current . ';';
		$current = '';
		$pos++;
	}
	else
	{
		$rest =~ /^([^-\/'"\$;]+|.)/s;
		$current .= $1;
		$pos += length $1;
	}
}

# The statement without its comments and leading blank lines.
sub body
{
	my ($s) = @_;
	$s =~ s/^(\s*(--[^\n]*\n|\/\*.*?\*\/))*\s*//s;
	return $s;
}

my @out;
for my $statement (@statements)
{
	my $body = body($statement);
	if ($body =~ /^CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|VIEW|TRIGGER)\b/i)
	{
		$statement =~ s/CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|VIEW|TRIGGER)\b/CREATE OR REPLACE $1/i;
	}
	elsif ($body =~ /^CREATE\s+(TABLE|SEQUENCE|(?:UNIQUE\s+)?INDEX)\s+(?!IF\s)/i)
	{
		$statement =~ s/CREATE\s+(TABLE|SEQUENCE|(?:UNIQUE\s+)?INDEX)\s+(?!IF\s)/CREATE $1 IF NOT EXISTS /i;
	}
	elsif ($body =~ /^CREATE\s+POLICY\s+(\S+)\s+ON\s+(\S+)/i)
	{
		$statement = "\nDROP POLICY IF EXISTS $1 ON $2;" . $statement;
	}
	elsif ($body !~ /^(COMMENT\s+ON|GRANT|REVOKE|ALTER\s+(FUNCTION|PROCEDURE)|SELECT\s+pg_catalog\.pg_extension_config_dump)\b/i
		   and $body !~ /^ALTER\s+SEQUENCE\s+\S+\s+OWNED\s+BY\s+[^;]*;$/i
		   and $body !~ /^ALTER\s+TABLE\s+\S+\s+(ENABLE|FORCE)\s+ROW\s+LEVEL\s+SECURITY\s*;$/i)
	{
		next;
	}
	push @out, $statement;
}
my $taken = "\n-- From the install script (extensions/common/update_code.pl).\n"
  . join('', @out) . "\n-- End of what the install script gives.\n";
$update .= "\n-- \@install\n" unless $update =~ /^-- \@install\n/m;
$update =~ s/^-- \@install\n/$taken/m;
print $update;

# A file's contents.
sub slurp
{
	my ($path) = @_;
	open(my $fh, '<', $path) or die "update_code.pl: $path: $!\n";
	local $/;
	return <$fh>;
}
