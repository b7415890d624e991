#!/usr/bin/perl
# normalize.pl DUMP: a pg_dump -s output in a canonical order, so that an
# updated database and a fresh install compare line by line.  Statements are
# sorted, and so are the lines inside CREATE TABLE, because ALTER TABLE ADD
# COLUMN appends where a fresh CREATE TABLE interleaves.  Comments, blank
# lines and settings between statements are dropped.
use strict;
use warnings;

my (@statements, @current);
while (my $line = <>)
{
	# Between statements: pg_dump's comments, blank lines, settings and its
	# \restrict guard, which carries a random key.  Inside one (a function
	# body), every line counts.
	next if !@current and ($line =~ /^(--|\s*$|\\|SET |SELECT pg_catalog\.set_config)/);
	push @current, $line;
	if ($line =~ /;\s*$/ and dollar_balanced(join('', @current)))
	{
		push @statements, canonical(@current);
		@current = ();
	}
}
print sort @statements;

# Whether every $tag$ quote opened in the text is closed.
sub dollar_balanced
{
	my @tags = ($_[0] =~ /(\$[A-Za-z_]*\$)/g);
	return @tags % 2 == 0;
}

# A CREATE TABLE's column and constraint lines sorted, each ending in a comma.
sub canonical
{
	my @lines = @_;
	if ($lines[0] =~ /^CREATE TABLE / and $lines[-1] =~ /^\)/)
	{
		my @inner = map { my $l = $_; $l =~ s/,?\n$/,\n/; $l } @lines[1 .. $#lines - 1];
		@lines = ($lines[0], (sort @inner), $lines[-1]);
	}
	return join('', @lines) . "\n";
}
