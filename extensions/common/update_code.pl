#!/usr/bin/perl
# update_code.pl INSTALL_SCRIPT: the part of an install script that an update
# script re-runs.
#
# An update script is short when only what holds state is written by hand:
# tables, columns, constraints, indexes, sequences, types, seed rows and the
# data they need migrated.  Everything else in the new install script can be
# run again over the old version, so the build appends it, and an update
# cannot drift from a fresh install:
#   CREATE FUNCTION, PROCEDURE, VIEW and TRIGGER   as CREATE OR REPLACE;
#   CREATE POLICY                                  after DROP POLICY IF EXISTS;
#   COMMENT, GRANT, REVOKE, ALTER FUNCTION         as they are (idempotent);
#   pg_extension_config_dump()                     as it is (idempotent).
# Anything else is left to the hand-written part.  The upgrade test compares
# the result with a fresh install, so a missing piece is found there.
use strict;
use warnings;

my $sql = do { local $/; <> };

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
	elsif ($body =~ /^CREATE\s+POLICY\s+(\S+)\s+ON\s+(\S+)/i)
	{
		$statement = "\nDROP POLICY IF EXISTS $1 ON $2;" . $statement;
	}
	elsif ($body !~ /^(COMMENT\s+ON|GRANT|REVOKE|ALTER\s+(FUNCTION|PROCEDURE)|SELECT\s+pg_catalog\.pg_extension_config_dump)\b/i)
	{
		next;
	}
	push @out, $statement;
}
print "\n-- Re-created from the install script (extensions/common/update_code.pl).\n";
print join('', @out), "\n";
