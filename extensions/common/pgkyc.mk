# pgkyc.mk: build settings every pgkyc extension Makefile includes.
#
# -Wextra without -Wunused-parameter, -Wsign-compare and
# -Wmissing-field-initializers: PostgreSQL's own headers trip those three,
# and fmgr functions always take fcinfo.  Everything else is an error.

PG_CONFIG ?= pg_config
KYC_COMMON := $(dir $(lastword $(MAKEFILE_LIST)))
KYC_CONTROL := $(KYC_COMMON)../../control

PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -Werror
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

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
