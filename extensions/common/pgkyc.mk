# pgkyc.mk: build settings every pgkyc extension Makefile includes.
#
# -Wextra without -Wunused-parameter, -Wsign-compare and
# -Wmissing-field-initializers: PostgreSQL's own headers trip those three,
# and fmgr functions always take fcinfo.  -Wshadow too, and pg_config's
# own -Wmissing-prototypes.  Everything else is an error.

PG_CONFIG ?= pg_config
KYC_COMMON := $(dir $(lastword $(MAKEFILE_LIST)))
KYC_CONTROL := $(KYC_COMMON)../../control

PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -Wshadow -Werror
PG_CPPFLAGS += -I$(KYC_COMMON)

# The extension being built, for KycEmit(): the topics it may emit are the
# ones kyc_events gives it (kyc_events/topic.c).
ifdef MODULE_big
PG_CPPFLAGS += -DKYC_EXTENSION_NAME=\"$(MODULE_big)\"
endif

# What every extension links, in this order: the shared code, then the
# OpenSSL it uses for SHA-256 (kyc_sha256.c).
KYC_COMMON_LIBS = $(KYC_COMMON)libkyccommon.a -lcrypto

# No LLVM bitcode: it needs clang, and JIT inlining of trigger code buys nothing.
override with_llvm = no

# Update scripts: update--FROM--TO.sql holds, by hand, what changes state in
# place (new columns and constraints of existing tables, types, seed rows,
# data migrations, drops); update_code.pl adds the install script's
# re-runnable part, at its "-- @install" line or at its end, so an update
# ends where a fresh install does.  docs/releasing.md says how to cut one.
# Updates to an earlier release are frozen at its tag, committed as they
# were built (docs/releasing.md), and installed as they are.
KYC_UPDATES := $(patsubst update--%,$(MODULE_big)--%,$(wildcard update--*--$(EXTVERSION).sql))
DATA_built += $(KYC_UPDATES)
DATA += $(filter-out $(KYC_UPDATES),$(wildcard $(MODULE_big)--*--*.sql))

# Tests, run by make installcheck against the server PGHOST and PGPORT name
# (make test provisions one).  The files live at the top of the checkout:
# pg_regress's in sql/ and expected/, isolation specs in tests/isolation,
# Perl TAP tests in tests/tap/t; each extension's Makefile names its own in
# REGRESS, ISOLATION and KYC_TAP.  Every test database gets the same
# extensions, since a service's tests use the outbox and the workflow's
# other services as a service database does.
KYC_TOP := $(abspath $(KYC_COMMON)../..)
KYC_TEST_EXTENSIONS = kyc_events kyc_onboarding kyc_auditlog pg_trgm kyc_risk \
	kyc_checklist kyc_document kyc_notification
REGRESS_OPTS += --inputdir=$(KYC_TOP) $(addprefix --load-extension=,$(KYC_TEST_EXTENSIONS))
ISOLATION_OPTS += --inputdir=$(KYC_TOP)/tests/isolation \
	$(addprefix --load-extension=,$(KYC_TEST_EXTENSIONS))
PROVE_TESTS = $(addprefix $(KYC_TOP)/tests/tap/t/,$(addsuffix .pl,$(KYC_TAP)))
# The Perl TAP tests read the provision scripts and the extensions' SQL
# from a checkout: this one, unless the caller names a copy.
PGKYC_REPO ?= $(KYC_TOP)
export PGKYC_REPO

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(MODULE_big)--%--$(EXTVERSION).sql: update--%--$(EXTVERSION).sql $(MODULE_big)--$(EXTVERSION).sql $(KYC_COMMON)update_code.pl $(KYC_COMMON)repoint.sql
	perl $(KYC_COMMON)update_code.pl $< $(MODULE_big)--$(EXTVERSION).sql >$@.tmp
	mv $@.tmp $@
