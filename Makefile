# pgkyc: PostgreSQL extensions for a KYC/KYB onboarding platform.
#
# Like PostgreSQL's contrib, this Makefile drives one PGXS Makefile per
# extension.  extensions/common is a static library the others link, so it
# is built first.

# The PostgreSQL to build for, test against and install into: the
# pg_config on PATH unless PG_CONFIG names another.
PG_CONFIG ?= pg_config
export PG_CONFIG

EXTENSIONS = kyc_events kyc_onboarding kyc_auditlog kyc_risk kyc_checklist kyc_document kyc_projections kyc_notification
SUBDIRS = extensions/common $(addprefix extensions/,$(EXTENSIONS))

.PHONY: all install clean test provision demo demo-stop bench installcheck fuzz soak upgrade-check indent indent-check

# kyc-audit-verify goes to PostgreSQL's bindir, rarely on PATH: make install
# also links it from LINKDIR when it may write there.
LINKDIR ?= /usr/local/bin

all clean:
	@set -e; for d in $(SUBDIRS); do $(MAKE) -C $$d $@; done

install:
	@set -e; for d in $(SUBDIRS); do $(MAKE) -C $$d $@; done
	@verifier="$$($(PG_CONFIG) --bindir)/kyc-audit-verify"; \
	if [ -z "$(DESTDIR)" ] && [ -d "$(LINKDIR)" ] && [ -w "$(LINKDIR)" ]; then \
		ln -sfn "$$verifier" "$(LINKDIR)/kyc-audit-verify"; \
	else \
		echo "kyc-audit-verify is installed as $(DESTDIR)$$verifier (not linked from $(LINKDIR))"; \
	fi

# Each extension's pg_regress, isolation and Perl TAP tests against the
# installed build and the server PGHOST and PGPORT name, as contrib's
# installcheck recurses; every directory runs even after one fails.
installcheck:
	@failed=""; for d in $(addprefix extensions/,$(EXTENSIONS)); do \
		$(MAKE) -C $$d installcheck || failed="$$failed $$d"; \
	done; \
	if [ -n "$$failed" ]; then echo "installcheck failed in:$$failed"; exit 1; fi

# Install packages, build, start a throwaway cluster, run every suite.
test:
	@bash scripts/test.sh

# PostgreSQL's indenter (pg_bsd_indent, pgindent's options) over the C;
# indent-check changes nothing and fails if it would (make test runs it).
indent:
	@bash scripts/indent.sh

indent-check:
	@bash scripts/indent.sh --check

# libFuzzer harnesses of the C that reads untrusted input (tests/fuzz), each
# for FUZZ_SECONDS (default 60); make test runs them for 5 s each.
fuzz:
	@bash scripts/fuzz.sh

# Databases, roles, extensions and subscriptions on the cluster PGHOST/PGPORT name.
provision:
	@bash scripts/provision.sh

# A mixed workload at 32 clients for SOAK_SECONDS (600), then the checks
# of scripts/soak.sh; on PGHOST/PGPORT if set, else a throwaway cluster.
soak:
	@bash scripts/soak.sh

# The update from the last release to this build, checked (needs make install).
upgrade-check:
	@bash scripts/upgrade_check.sh

# A persistent local cluster under .demo/ with a narrated scenario.
demo:
	@bash scripts/demo.sh start

demo-stop:
	@bash scripts/demo.sh stop

# C against PL/pgSQL, side by side, on a throwaway cluster.
bench:
	@bash scripts/bench.sh
	@bash scripts/bench_relay.sh
	@bash scripts/bench_logical.sh
	@bash scripts/bench_audit.sh
	@bash scripts/bench_risk.sh
	@bash scripts/bench_screen.sh
	@bash scripts/bench_screen_quality.sh
	@bash scripts/bench_checklist.sh
	@bash scripts/bench_workflow.sh
	@bash scripts/bench_projections.sh
	@bash scripts/bench_notification.sh
	@bash scripts/bench_pii.sh
	@bash scripts/bench_upgrade.sh
