#!/usr/bin/perl
# cantonese_readings.pl UNIHAN_READINGS: cantonese_readings.h on stdout;
# cantonese_readings.pl --pinyin UNIHAN_READINGS UNIHAN_DICTIONARY_LIKE_DATA:
# cantonese_pinyin.h.
#
# Reads Unihan_Readings.txt (Debian's unicode-data package ships it as
# /usr/share/unicode/Unihan_Readings.txt.bz2) and writes, for each Han
# character of the Basic Multilingual Plane with a kCantonese reading, its
# first reading spelled as Hong Kong names are (the Hong Kong Government
# romanisation, which lists copy): Jyutping's b d g gw z c j as p t k kw
# ch ch y, z and c before e, eoi or ang ts (謝 Tse, 徐 Tsui, 曾 Tsang), and
# before au chow (周 Chow), aa a, oe eu (張 Cheung), eoi ui (許 Hui), eon un,
# ou o (高 Ko), yu after j/z/c/s u or yu, yun and yut uen and uet (阮 Yuen,
# 月 Yuet), l and ei lee (李 Lee); tones left out.  Only the first reading
# Unihan lists counts: a surname's own may be another (區 is Au, listed as
# keoi1 only).  cantonese.c looks the characters up.
#
# With --pinyin, it writes each pair of a Cantonese syllable so spelled
# and a pinyin syllable (tones left out, ü as v) that one character has,
# from all the character's kCantonese readings and its kMandarin and
# kHanyuPinyin ones: 曾 gives tsang and zeng, tsang and ceng; ü as u too.  Only common
# characters count, those that Unihan lists in Hong Kong's common set
# (kHKGlyph), with a frequency (kFrequency), or in the PRC's common set
# (kTGHZ2013): a rare one's readings would pair syllables no name writes
# so.  hong_kong.c pairs a Hong Kong name with one in pinyin through them.
use strict;
use utf8;
use warnings;

my $pinyin_pairs = @ARGV && $ARGV[0] eq '--pinyin' ? shift : undef;
my $source = shift or die "usage: $0 [--pinyin] Unihan_Readings.txt[.bz2] [Unihan_DictionaryLikeData.txt[.bz2]]\n";
my $dictionary_like = $pinyin_pairs ? shift : undef;
die "usage: $0 --pinyin Unihan_Readings.txt[.bz2] Unihan_DictionaryLikeData.txt[.bz2]\n"
	if $pinyin_pairs && !$dictionary_like;

# A Unihan file, bzip2-compressed or not, opened for reading.
sub open_unihan {
	my ($file) = @_;
	my $fh;
	if ($file =~ /\.bz2$/) {
		open($fh, '-|', 'bzcat', $file) or die "$0: cannot run bzcat (Debian's bzip2) on $file: $!\n";
	} else {
		open($fh, '<', $file) or die "$0: cannot read $file: $!\n";
	}
	return $fh;
}
my $in = open_unihan($source);

# One Jyutping syllable (tone left out) as Hong Kong spells it.
sub hong_kong {
	my ($jyutping) = @_;
	my ($initial, $final) = $jyutping =~ /^(gw|kw|ng|[bpmfdtnlgkhwzcsj]?)(.*)$/;
	return $jyutping if $final eq '';	# syllabic m, ng (吳 Ng)
	my %finals = (aa => 'a', aai => 'ai', aau => 'au', aam => 'am', aan => 'an', aang => 'ang',
		aap => 'ap', aat => 'at', aak => 'ak', oe => 'eu', oeng => 'eung', oek => 'euk',
		eoi => 'ui', eon => 'un', eot => 'ut', ou => 'o', yun => 'uen', yut => 'uet');
	my %initials = (b => 'p', d => 't', g => 'k', gw => 'kw', z => 'ch', c => 'ch', j => 'y');
	my $f = $finals{$final} // $final;
	my $i = $initials{$initial} // $initial;
	$i = 'ts' if ($initial eq 'z' || $initial eq 'c') && $final =~ /^(e|eoi|ang)$/;
	$f = 'ow' if ($initial eq 'z' || $initial eq 'c') && $final eq 'au';	# 周 Chow
	if ($final =~ /^yu/) {
		$i = '' if $initial eq 'j';						# 余 Yu, 阮 Yuen
		$f = 'u' if $final eq 'yu' && $initial =~ /^[zcs]$/;	# 朱 Chu, 書 Su
		$f = "y$f" if $final =~ /^yu[nt]$/ && $initial eq 'j';	# 月 Yuet
	}
	$f = 'ee' if $initial eq 'l' && $final eq 'ei';		# 李 Lee
	return $i . $f;
}

# A pinyin syllable with its tone mark taken off, ü as v.
sub toneless {
	my ($syllable) = @_;
	my %plain = ('ā' => 'a', 'á' => 'a', 'ǎ' => 'a', 'à' => 'a', 'ē' => 'e', 'é' => 'e', 'ě' => 'e',
		'è' => 'e', 'ī' => 'i', 'í' => 'i', 'ǐ' => 'i', 'ì' => 'i', 'ō' => 'o', 'ó' => 'o', 'ǒ' => 'o',
		'ò' => 'o', 'ū' => 'u', 'ú' => 'u', 'ǔ' => 'u', 'ù' => 'u', 'ǖ' => 'v', 'ǘ' => 'v', 'ǚ' => 'v',
		'ǜ' => 'v', 'ü' => 'v', 'ḿ' => 'm', 'ń' => 'n', 'ň' => 'n', 'ǹ' => 'n', 'ê̄' => 'e', 'ế' => 'e',
		'ê̌' => 'e', 'ề' => 'e', 'ê' => 'e');
	$syllable =~ s/(\X)/$plain{$1} \/\/ $1/ge;
	return $syllable =~ /^[a-z]+$/ ? $syllable : undef;
}

my %reading;
my (%cantonese, %mandarin, %common);
binmode($in, ':encoding(UTF-8)');
while (my $line = <$in>) {
	next unless $line =~ /^U\+([0-9A-F]{4})\t(kCantonese|kMandarin|kHanyuPinyin|kTGHZ2013)\t(.*)$/;
	my ($code, $field, $value) = (hex $1, $2, $3);
	if ($field eq 'kTGHZ2013') {
		$common{$code} = 1;
	} elsif ($field eq 'kCantonese') {
		my @readings = map { hong_kong($_) } $value =~ /([a-z]+)[1-6]/g;
		next unless @readings;
		$reading{$code} = $readings[0];
		$cantonese{$code} = \@readings;
	} elsif ($field eq 'kMandarin') {
		push @{$mandarin{$code}}, grep { defined } map { toneless($_) } split ' ', $value;
	} else {
		# "53213.010:huā,huá": the readings after each colon
		push @{$mandarin{$code}}, grep { defined } map { toneless($_) } map { split /,/, (split /:/)[1] // '' } split ' ', $value;
	}
}
close($in) or die "$0: reading $source failed\n";
die "$0: no kCantonese readings in $source\n" unless %reading;

if ($pinyin_pairs) {
	my $like = open_unihan($dictionary_like);
	while (my $line = <$like>) {
		$common{hex $1} = 1 if $line =~ /^U\+([0-9A-F]{4})\t(kHKGlyph|kFrequency)\t/;
	}
	close($like) or die "$0: reading $dictionary_like failed\n";
	my %pairs;
	for my $code (grep { $common{$_} } keys %cantonese) {
		for my $hk (@{$cantonese{$code}}) {
			# lists write pinyin's ü as u as often as v (Lü is Lu or Lv)
			for my $pinyin (@{$mandarin{$code} // []}) {
				$pairs{"$hk $pinyin"} = 1;
				(my $u = $pinyin) =~ tr/v/u/;
				$pairs{"$hk $u"} = 1;
			}
		}
	}
	die "$0: no kMandarin readings in $source\n" unless %pairs;
	print "/* Generated by cantonese_readings.pl --pinyin from $source: do not edit. */\n\n";
	print "/* Cantonese syllables as Hong Kong spells them, and the pinyin of a character with each. */\n";
	print "static const char *const cantonese_pinyin[][2] = {\n";
	print join(",\n", map { my ($h, $p) = split ' '; "\t{\"$h\", \"$p\"}" } sort keys %pairs), "\n};\n";
	exit 0;
}

my @codes = sort { $a <=> $b } keys %reading;
my %syllable_index;
my @syllables = sort { $a cmp $b } grep { !$syllable_index{$_}++ } values %reading;
%syllable_index = map { $syllables[$_] => $_ } 0 .. $#syllables;

print "/* Generated by cantonese_readings.pl from $source: do not edit. */\n\n";
print "/* Hong Kong spellings of Cantonese syllables. */\n";
print "static const char *const cantonese_syllables[] = {\n";
print join(",\n", map { "\t\"$_\"" } @syllables), "\n};\n\n";
print "/* Han characters with a reading, ascending, and each one's syllable. */\n";
print "static const uint16 cantonese_characters[] = {\n";
for (my $k = 0; $k < @codes; $k += 12) {
	print "\t", join(", ", map { sprintf "0x%04X", $_ } @codes[$k .. ($k + 11 < $#codes ? $k + 11 : $#codes)]), ",\n";
}
print "};\n\nstatic const uint16 cantonese_reading[] = {\n";
for (my $k = 0; $k < @codes; $k += 16) {
	print "\t", join(", ", map { $syllable_index{$reading{$_}} } @codes[$k .. ($k + 15 < $#codes ? $k + 15 : $#codes)]), ",\n";
}
print "};\n";
