# harness_counts.awk: "PASSED FAILED" from a test runner's own summary.
#
# Without -v kind, the input is one or more TAP::Harness runs (prove,
# pg_prove): "Files=F, Tests=N" gives the tests run, the report before it
# the failed ones ("(Wstat: ... Tests: N Failed: F)"), and a file that
# planned more than it ran, or failed without a failed test (a bad plan, a
# non-zero exit), counts its missing tests, or one; a file listed only for
# a TODO test that passed counts nothing.
#
# With -v kind=regress, isolation or tap, the input is make installcheck's
# output, and only the runs PGXS announced with "+++ <kind> install-check"
# count: pg_regress's and pg_isolation_regress's "All N tests passed." or
# "F of N tests failed." (with "# " before them from PostgreSQL 16), or
# TAP::Harness's summary.  A run that printed no summary counts as failed.

function close_file() {
	if (in_file && file_failed == 0 && file_problem)
		failed++;
	in_file = 0;
}

function close_run() {
	close_file();
	if (in_run && !summary)
		failed++;
	in_run = 0;
}

BEGIN {
	passed = failed = 0;
	counting = (kind == "");
	in_run = 0;
}

/^\+\+\+ (regress|isolation|tap) install-check/ {
	if (kind != "") {
		close_run();
		counting = ($2 == kind);
		in_run = counting;
		summary = 0;
	}
	next;
}

!counting { next; }

# pg_regress and pg_isolation_regress
/All [0-9]+ tests passed\./ {
	match($0, /All [0-9]+/);
	passed += substr($0, RSTART + 4, RLENGTH - 4);
	summary = 1;
	next;
}
/[0-9]+ of [0-9]+ tests failed/ {
	match($0, /[0-9]+ of [0-9]+ tests failed/);
	split(substr($0, RSTART, RLENGTH), w, " ");
	failed += w[1];
	passed += w[3] - w[1];
	summary = 1;
	next;
}
/[0-9]+ of [0-9]+ tests passed, [0-9]+ failed test/ {
	match($0, /[0-9]+ of [0-9]+ tests passed, [0-9]+ failed/);
	split(substr($0, RSTART, RLENGTH), w, " ");
	passed += w[1];
	failed += w[6];
	summary = 1;
	next;
}

# TAP::Harness: the report of failed files, then the totals
/\(Wstat: [0-9]+.*Tests: [0-9]+ Failed: [0-9]+\)/ {
	close_file();
	match($0, /Failed: [0-9]+\)/);
	file_failed = substr($0, RSTART + 8, RLENGTH - 9) + 0;
	failed += file_failed;
	tap_failed += file_failed;
	# Listed with no failed test: a non-zero exit, or a parse error below;
	# with neither, only a TODO test that passed, which is no failure.
	match($0, /Wstat: [0-9]+/);
	file_problem = substr($0, RSTART + 7, RLENGTH - 7) + 0 != 0;
	in_file = 1;
	next;
}
/^  Parse errors: / {
	file_problem = 1;
}
/planned [0-9]+ tests? but ran [0-9]+/ {
	match($0, /planned [0-9]+/);
	planned = substr($0, RSTART + 8, RLENGTH - 8);
	match($0, /but ran [0-9]+/);
	ran = substr($0, RSTART + 8, RLENGTH - 8);
	if (planned > ran) {
		failed += planned - ran;
		file_failed += planned - ran;
	}
	next;
}
/^Files=[0-9]+, Tests=[0-9]+/ {
	close_file();
	match($0, /Tests=[0-9]+/);
	passed += substr($0, RSTART + 6, RLENGTH - 6) - tap_failed;
	tap_failed = 0;
	summary = 1;
	next;
}

END {
	close_run();
	if (kind == "" && !summary)
		failed++;
	print passed, failed;
}
