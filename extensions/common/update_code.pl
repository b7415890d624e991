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
# first, what needs it (seed rows of a new table) after.
#
# What is left is the hand-written part's: ALTER TABLE, INSERT, UPDATE,
# DELETE, DO, DROP, CREATE TYPE, DOMAIN, SCHEMA, CAST, OPERATOR, constraint
# and event triggers, and other SELECTs.  A statement of any other kind
# stops the build, so that nothing new is dropped from updates unseen.  The
# upgrade test compares the result with a fresh install.
use strict;
use warnings;

die "usage: update_code.pl UPDATE INSTALL\n" unless @ARGV == 2;
my ($update_file, $install_file) = @ARGV;
my $update = slurp($update_file);
my $sql = slurp($install_file);

# psql meta-commands (the install script's \echo ... \quit guard) are not SQL.
$sql =~ s/^\\[^\n]*\n//mg;

my @out;
for my $statement (split_statements($sql))
{
	my ($comments, $body) = split_comments($statement);
	my $taken = take($body);
	push @out, $comments . $taken if defined $taken;
}
my $taken = "\n-- From the install script (extensions/common/update_code.pl).\n"
  . join('', @out) . "\n-- End of what the install script gives.\n";
# "-- @repoint": repoint.sql, for this extension (its install script's name).
if ($update =~ /^-- \@repoint\n/m)
{
	my ($extension) = $install_file =~ /(kyc_[a-z]+)--[^\/]*$/
	  or die "update_code.pl: no extension name in $install_file\n";
	(my $short = $extension) =~ s/^kyc_//;
	(my $dir = $0) =~ s{[^/]*$}{};
	my $repoint = slurp("${dir}repoint.sql");
	$repoint =~ s/\A(?:--[^\n]*\n)+\n//;	# its own header, to the first blank line
	$repoint =~ s/\@extension\@/$extension/g;
	$repoint =~ s/\@short\@/$short/g;
	$update =~ s/^-- \@repoint\n/$repoint/m;
}
$update .= "\n-- \@install\n" unless $update =~ /^-- \@install\n/m;
$update =~ s/^-- \@install\n/$taken/m;
print $update;

# The statement as the update runs it, or undef for the hand-written part's.
sub take
{
	my ($body) = @_;
	my $ident = qr/(?:"(?:[^"]|"")*"|[A-Za-z_][\w.\$]*(?:\."(?:[^"]|"")*")?)/;

	return $body if $body =~ /^(COMMENT\s+ON|GRANT|REVOKE|ALTER\s+(FUNCTION|PROCEDURE))\b/i
	  or $body =~ /^SELECT\s+pg_catalog\.pg_extension_config_dump\s*\(/i
	  or $body =~ /^ALTER\s+SEQUENCE\s+$ident\s+OWNED\s+BY\s+[^;]*;$/i
	  or $body =~ /^ALTER\s+TABLE\s+$ident\s+(ENABLE|FORCE)\s+ROW\s+LEVEL\s+SECURITY\s*;$/i;
	return $body =~ s/^CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|VIEW|TRIGGER)\b/CREATE OR REPLACE $1/ir
	  if $body =~ /^CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|VIEW|TRIGGER)\b/i;
	if ($body =~ /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?ON\b/i)
	{
		die "update_code.pl: name this index, so that an update can tell it is there:\n$body\n";
	}
	return $body =~ s/^CREATE\s+(TABLE|SEQUENCE|(?:UNIQUE\s+)?INDEX)\s+(?!IF\s)/CREATE $1 IF NOT EXISTS /ir
	  if $body =~ /^CREATE\s+(TABLE|SEQUENCE|(?:UNIQUE\s+)?INDEX)\s/i;
	return "DROP POLICY IF EXISTS $1 ON $2;\n" . $body
	  if $body =~ /^CREATE\s+POLICY\s+($ident)\s+ON\s+($ident)/i;
	return undef
	  if $body =~ /^(ALTER\s+TABLE|INSERT|UPDATE|DELETE|DO|DROP|SELECT|CREATE\s+(TYPE|DOMAIN|SCHEMA|CAST|OPERATOR|CONSTRAINT\s+TRIGGER|EVENT\s+TRIGGER))\b/i;
	die "update_code.pl: no rule for this statement of the install script; "
	  . "teach update_code.pl whether an update re-runs it:\n$body\n";
}

# The statements of a script, each with the comments before it.  Semicolons
# inside quotes (standard, E'' and dollar), comments (nested block ones
# too) and a BEGIN ATOMIC body do not end a statement.
sub split_statements
{
	my ($text) = @_;
	my (@statements, $current);
	my $pos = 0;

	$current = '';
	while ($pos < length $text)
	{
		my $rest = substr($text, $pos);
		my $piece;

		if ($rest =~ /^(--[^\n]*\n?)/ or $rest =~ /^([Ee]'(?:[^'\\]|\\.|'')*')/s
			or $rest =~ /^('(?:[^']|'')*')/ or $rest =~ /^("(?:[^"]|"")*")/)
		{
			$piece = $1;
		}
		elsif ($rest =~ /^\/\*/)
		{
			$piece = block_comment($rest);
		}
		elsif ($rest =~ /^(\$([A-Za-z_][A-Za-z_0-9]*)?\$)/)
		{
			my $end = index($rest, $1, length $1);

			die "update_code.pl: unterminated $1 quote\n" if $end < 0;
			$piece = substr($rest, 0, $end + length $1);
		}
		elsif ($rest =~ /^;/ and !inside_atomic($current))
		{
			push @statements, $current . ';';
			$current = '';
			$pos++;
			next;
		}
		else
		{
			$rest =~ /^([^-\/'"\$;Ee]+|.)/s;
			$piece = $1;
		}
		$current .= $piece;
		$pos += length $piece;
	}
	die "update_code.pl: the script ends inside a statement:\n$current\n" if $current =~ /\S/ and split_comments($current) ne '';
	return @statements;
}

# A block comment at the start of text, nested ones included.
sub block_comment
{
	my ($text) = @_;
	my $depth = 0;

	while ($text =~ /\G.*?(\/\*|\*\/)/gs)
	{
		$depth += $1 eq '/*' ? 1 : -1;
		return substr($text, 0, pos($text)) if $depth == 0;
	}
	die "update_code.pl: unterminated /* comment\n";
}

# Whether a statement so far is a BEGIN ATOMIC body not yet closed by END.
sub inside_atomic
{
	my ($text) = @_;
	my $code = $text =~ s/--[^\n]*//gr =~ s/'(?:[^']|'')*'//gr;

	return $code =~ /\bBEGIN\s+ATOMIC\b/i && $code !~ /\bEND\s*$/i;
}

# A statement's leading comments and blank lines, and the statement itself.
sub split_comments
{
	my ($s) = @_;
	my $comments = '';

	while ($s =~ /^(\s*--[^\n]*\n|\s+)/ or $s =~ /^(\s*\/\*)/)
	{
		my $piece = $1 =~ /\/\*$/ ? $s =~ s/^(\s*)//r : undef;

		if (defined $piece)
		{
			my $lead = length($s) - length($piece);
			my $comment = block_comment($piece);

			$comments .= substr($s, 0, $lead) . $comment;
			$s = substr($piece, length $comment);
		}
		else
		{
			$comments .= $1;
			$s = substr($s, length $1);
		}
	}
	return wantarray ? ($comments, $s) : $s;
}

# A file's contents.
sub slurp
{
	my ($path) = @_;
	open(my $fh, '<', $path) or die "update_code.pl: $path: $!\n";
	local $/;
	return <$fh>;
}
