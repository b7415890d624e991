#!/usr/bin/env perl
# name_quality.pl THRESHOLD < scores.tsv: ranking quality of name scorers on
# labelled pairs, per phenomenon and overall, scorers side by side.
#
# Input: a header line "set phenomenon same a b SCORER..." then one line
# per pair, tab-separated; same is 1 for the same person or company, 0 if
# not, and a and b are the names.
# For each set and phenomenon, and each scorer: recall (share of same pairs
# scoring >= THRESHOLD), specificity (share of different pairs below it),
# ROC AUC (Mann-Whitney, ties count half; blank when a class is missing),
# and the threshold with the best F1, with that F1.  Last, per set, the
# errors at THRESHOLD, so that a failure can be looked at.
use strict;
use warnings;

my $threshold = shift // 0.85;
my $errors_of = shift // '';	# a scorer whose errors to list, if any
my @header = split /\t/, scalar(<STDIN>) =~ s/\r?\n$//r;
my @scorers = @header[5 .. $#header];
my (%rows, %sets);
while (my $line = <STDIN>)
{
	chomp $line;
	my @f = split /\t/, $line, -1;
	my ($set, $phenomenon) = @f[0, 1];
	$sets{$set} = 1;
	push @{ $rows{$set}{$phenomenon} }, \@f;
	push @{ $rows{$set}{'(all)'} }, \@f;
}

# ROC AUC of scorer column c over rows: P(score of a same pair > a different one's).
sub auc
{
	my ($rows, $c) = @_;
	my @sorted = sort { $a->[$c] <=> $b->[$c] } @$rows;
	my ($pos, $neg) = (0, 0);
	$_->[2] ? $pos++ : $neg++ for @sorted;
	return undef unless $pos && $neg;
	my ($rank_sum, $i) = (0, 0);
	while ($i < @sorted)
	{
		my $j = $i;
		$j++ while $j + 1 < @sorted && $sorted[$j + 1][$c] == $sorted[$i][$c];
		my $mid = ($i + $j) / 2 + 1;	# ranks are 1-based; ties share the mean
		for my $k ($i .. $j) { $rank_sum += $mid if $sorted[$k][2] }
		$i = $j + 1;
	}
	return ($rank_sum - $pos * ($pos + 1) / 2) / ($pos * $neg);
}

# Recall and specificity of column c at threshold t (undef for a missing class).
sub rates
{
	my ($rows, $c, $t) = @_;
	my ($tp, $fn, $tn, $fp) = (0, 0, 0, 0);
	for my $r (@$rows)
	{
		if ($r->[2]) { $r->[$c] >= $t ? $tp++ : $fn++ }
		else { $r->[$c] >= $t ? $fp++ : $tn++ }
	}
	return ($tp + $fn ? $tp / ($tp + $fn) : undef, $tn + $fp ? $tn / ($tn + $fp) : undef,
			$tp, $fp, $fn);
}

# The threshold with the best F1 of column c, and that F1.
sub best_f1
{
	my ($rows, $c) = @_;
	my ($best_t, $best) = (undef, -1);
	my %seen;
	for my $t (sort { $a <=> $b } grep { !$seen{$_}++ } map { $_->[$c] } @$rows)
	{
		my (undef, undef, $tp, $fp, $fn) = rates($rows, $c, $t);
		my $f1 = $tp ? 2 * $tp / (2 * $tp + $fp + $fn) : 0;
		($best_t, $best) = ($t, $f1) if $f1 > $best;
	}
	return ($best_t, $best);
}

sub fmt { defined $_[0] ? sprintf('%.3f', $_[0]) : '-' }

for my $set (sort keys %sets)
{
	printf "\n%s pairs, threshold %.2f (recall, specificity; AUC; best-F1 threshold and F1)\n",
		$set, $threshold;
	printf "%-16s %5s %5s", 'phenomenon', 'same', 'diff';
	printf " | %-8s %6s %6s %6s %6s %6s", $_, 'recall', 'spec', 'AUC', 'bestT', 'F1' for @scorers;
	print "\n";
	for my $p (sort { ($a eq '(all)') <=> ($b eq '(all)') or $a cmp $b } keys %{ $rows{$set} })
	{
		my $r = $rows{$set}{$p};
		my $same = grep { $_->[2] } @$r;
		printf "%-16s %5d %5d", $p, $same, @$r - $same;
		for my $i (0 .. $#scorers)
		{
			my $c = 5 + $i;
			my ($recall, $spec) = rates($r, $c, $threshold);
			my ($t, $f1) = best_f1($r, $c);
			printf " | %-8s %6s %6s %6s %6s %6s", '', fmt($recall), fmt($spec), fmt(auc($r, $c)),
				fmt($t), fmt($f1);
		}
		print "\n";
	}
	next unless $errors_of;
	my ($c) = grep { $header[$_] eq $errors_of } 0 .. $#header;
	die "no scorer $errors_of\n" unless defined $c;
	print "errors of $errors_of at $threshold:\n";
	for my $r (sort { $a->[1] cmp $b->[1] } @{ $rows{$set}{'(all)'} })
	{
		next if ($r->[$c] >= $threshold) == !!$r->[2];
		printf "  %-14s %s %.4f  %s | %s\n", $r->[1], $r->[2] ? 'missed' : 'false ', $r->[$c],
			$r->[3], $r->[4];
	}
}
