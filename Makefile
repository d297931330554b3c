# SPDX-License-Identifier: Apache-2.0
#
# nstools: `make run` and `make check` are the whole set-up (see README.md).
# They install missing Debian packages with apt-get when run as root, then
# build into $(BUILD) and run nsdiscover or the whole test suite.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
# where Debian's bash-completion looks for a command's completion by name
COMPDIR   ?= $(PREFIX)/share/bash-completion/completions
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS    ?= -O2 -g
# SANITIZE=address,undefined builds an instrumented variant beside the
# normal one, so that switching between them never mixes objects.
SANITIZE  ?=
BUILD     ?= build$(if $(SANITIZE),-sanitize)

TOOLS     := nsdiscover lsuserns lspidns pidtree
LIBS_PKG  := libcap jansson ncursesw smartcols

WARNINGS  := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
	     -Wstrict-prototypes -Wold-style-definition -Wpointer-arith \
	     -Wcast-qual -Wwrite-strings -Wundef -Wvla -Wnull-dereference \
	     -Wimplicit-fallthrough -Wmissing-declarations -Wredundant-decls
SAN_FLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all)
# Lazy (=), so that the packages installed by `make run`/`check` count.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LIBS_PKG))
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(LIBS_PKG))
ALL_CFLAGS = -std=gnu17 $(WARNINGS) $(SAN_FLAGS) -pthread -D_GNU_SOURCE \
	     -DNSTOOLS_VERSION='"$(VERSION)"' -Icommon $(PKG_CFLAGS) \
	     $(CPPFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SAN_FLAGS) -pthread $(LDFLAGS)

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

COMMON_LAYERS := lib model engine ui
COMMON_SRC := $(foreach l,$(COMMON_LAYERS),$(wildcard common/$(l)/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
LIBCOMMON  := $(BUILD)/common/libcommon.a
TOOL_BINS  := $(TOOLS:%=$(BUILD)/bin/%)
HELPER_SRC := $(wildcard test/helpers/*.c)
HELPERS    := $(HELPER_SRC:test/helpers/%.c=$(BUILD)/test/%)
MAN1       := $(TOOLS:%=man/%.1)
MAN7       := man/nstools.7
COMPLETION := completion/nstools.bash

.PHONY: all run check test helpers deps build-deps test-deps install \
	uninstall clean fuzz fuzzers valgrind check-deps lint-man bench \
	bench-deps
.DEFAULT_GOAL := all

all: $(TOOL_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJ)
	$(call say,AR,$@)$(AR) rcs $@ $^

define tool_rule
$(BUILD)/bin/$(1): $(BUILD)/$(1)/$(1).o $(LIBCOMMON)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$$(CC) $$(ALL_LDFLAGS) -o $$@ $$< $(LIBCOMMON) $$(PKG_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

$(BUILD)/test/%: test/helpers/%.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# the helpers that call the engine's lookup of containers and the details
# of ui/details.h link the archive
$(BUILD)/test/containerstate $(BUILD)/test/details: $(BUILD)/test/%: \
		test/helpers/%.c $(LIBCOMMON)
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
		$(LIBCOMMON) $(PKG_LIBS)

helpers: $(HELPERS)

# --- fuzzing: libFuzzer harnesses for every parser (test/fuzz) -----------

FUZZ_SRC     := $(wildcard test/fuzz/fuzz_*.c)
FUZZERS      := $(FUZZ_SRC:test/fuzz/fuzz_%.c=%)
FUZZ_SECONDS ?= 30

$(BUILD)/fuzz/%: test/fuzz/fuzz_%.c $(LIBCOMMON)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(LIBCOMMON) $(PKG_LIBS)

fuzzers: $(FUZZERS:%=$(BUILD)/fuzz/%)

# Each harness for FUZZ_SECONDS, from its seeds in test/fuzz/corpus/NAME;
# what it learns stays in build-fuzz/corpus, crashes in build-fuzz/crash-*.
# A crash found becomes a regression seed: copy it into the seed corpus.
fuzz: check-deps
	@$(MAKE) --no-print-directory CC=clang BUILD=build-fuzz \
		SANITIZE=fuzzer-no-link,address,undefined fuzzers
	@for f in $(FUZZERS); do \
		mkdir -p build-fuzz/corpus/$$f; \
		echo "fuzzing $$f for $(FUZZ_SECONDS) s"; \
		build-fuzz/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=build-fuzz/crash-$$f- -print_final_stats=1 \
			build-fuzz/corpus/$$f test/fuzz/corpus/$$f \
			>build-fuzz/$$f.log 2>&1 || \
			{ tail -40 build-fuzz/$$f.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' build-fuzz/$$f.log; \
	done

# --- valgrind: every tool, live and from a dump, no leak, no bad access ---

valgrind: check-deps
	@$(MAKE) --no-print-directory all
	@set -e; dump=$$(mktemp); trap 'rm -f "$$dump"' EXIT; \
	$(BUILD)/bin/nsdiscover --json >"$$dump" 2>/dev/null; \
	for t in nsdiscover "nsdiscover --json" "nsdiscover -l --output-all" \
		"lsuserns -d" "lspidns -u" "pidtree -t"; do \
		for src in "" "--load=$$dump"; do \
			echo "valgrind $$t $$src"; \
			valgrind -q --leak-check=full --show-leak-kinds=all \
				--errors-for-leak-kinds=all --error-exitcode=9 \
				$(BUILD)/bin/$$t $$src >/dev/null 2>$(BUILD)/valgrind.log || \
			{ grep -v "unhandled ioctl\|could cause spurious\|README_MISSING" \
				$(BUILD)/valgrind.log; exit 1; }; \
		done; \
	done; echo "valgrind: no errors, no leaks"

# --- bench: our tools against lsns and pstree on loads of 500 to 4,000
# processes (test/bench/run); not part of `make check`. A quick run:
# make bench BENCH_SIZES=500. Tables in $(BUILD)/bench/results.md, raw
# numbers in $(BUILD)/bench/results.json.

BENCH_SIZES ?= 500 1000 2000 4000
BENCH_REPS  ?= 9
BENCH_PKGS  := util-linux psmisc strace time jq

BENCH_PROGS := $(BUILD)/bench/loadgen $(BUILD)/bench/ptytime

$(BENCH_PROGS): $(BUILD)/bench/%: test/bench/%.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

bench-deps: build-deps
	$(call install_missing,$(BENCH_PKGS))

bench: bench-deps
	@$(MAKE) --no-print-directory all $(BENCH_PROGS)
	@NSTOOLS_BIN=$(CURDIR)/$(BUILD)/bin \
		BENCH_LOADGEN=$(CURDIR)/$(BUILD)/bench/loadgen \
		BENCH_PTYTIME=$(CURDIR)/$(BUILD)/bench/ptytime \
		BENCH_OUT=$(CURDIR)/$(BUILD)/bench \
		BENCH_SIZES="$(BENCH_SIZES)" BENCH_REPS="$(BENCH_REPS)" \
		test/bench/run

# --- set-up: the Debian packages the build and the tests need -------------

BUILD_PKGS := gcc make pkg-config libc6-dev libcap-dev libjansson-dev \
	      libncurses-dev libsmartcols-dev
CHECK_PKGS := clang libclang-rt-14-dev valgrind
# manpages, manpages-dev and psmisc: pages our SEE ALSO sections name,
# which mandoc -Tlint looks up; man-db renders the installed pages;
# podman, runc and busybox-static: the tools in a container
# (test/containers.bats); docker.io and uidmap (a rootless podman): the
# real engines of test/engines.bats; tmux: the terminal of -i in
# test/interactive.bats
TEST_PKGS  := bats bats-support bats-assert jq util-linux iproute2 \
	      libcap2-bin procps mandoc manpages manpages-dev psmisc man-db \
	      strace time podman runc busybox-static docker.io uidmap tmux

# Installs the packages of $(1) that are missing; needs root to install.
define install_missing
@command -v dpkg-query >/dev/null || exit 0; \
missing=$$(for p in $(1); do \
	dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	grep -q ' installed$$' || echo $$p; done); \
[ -z "$$missing" ] && exit 0; \
if [ "$$(id -u)" != 0 ]; then \
	echo "missing packages:" $$missing "(run as root to install them)" >&2; \
	exit 1; fi; \
echo "installing:" $$missing; \
export DEBIAN_FRONTEND=noninteractive; \
apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
{ apt-get update -q >/dev/null && \
  apt-get install -y -q --no-install-recommends $$missing; }
endef

build-deps:
	$(call install_missing,$(BUILD_PKGS))

test-deps:
	$(call install_missing,$(TEST_PKGS))

check-deps: build-deps
	$(call install_missing,$(CHECK_PKGS))

deps: build-deps test-deps

run: build-deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/bin/nsdiscover

# The whole suite twice: against the plain build, then against one
# instrumented with ASan and UBSan (in build-sanitize/; the helpers stay
# the plain ones); test/run-tests ends with one line over both runs.
# `make check SANITIZE=address,undefined` is the same.
SANITIZED := address,undefined

check: build-deps test-deps
	@$(MAKE) --no-print-directory SANITIZE= all helpers
	@$(MAKE) --no-print-directory SANITIZE=$(SANITIZED) all
	@NSTOOLS_BIN=$(CURDIR)/build/bin NSTOOLS_HELPERS=$(CURDIR)/build/test \
		NSTOOLS_SANITIZED_BIN=$(CURDIR)/build-sanitize/bin test/run-tests

# The manual pages, as test/docs.bats checks them too: any message fails.
lint-man:
	@man/lint

# The suite alone, against what is built.
test:
	@NSTOOLS_BIN=$(CURDIR)/$(BUILD)/bin NSTOOLS_HELPERS=$(CURDIR)/$(BUILD)/test \
		test/run-tests

# The binaries, the manual pages, and the completion once per tool (the
# name bash-completion loads it by).
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(COMPDIR)
	install -m 0755 $(TOOL_BINS) $(DESTDIR)$(BINDIR)
	install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7
	for t in $(TOOLS); do \
		install -m 0644 $(COMPLETION) $(DESTDIR)$(COMPDIR)/$$t || exit 1; \
	done

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) \
		$(TOOLS:%=$(DESTDIR)$(MANDIR)/man1/%.1) \
		$(MAN7:man/%=$(DESTDIR)$(MANDIR)/man7/%) \
		$(TOOLS:%=$(DESTDIR)$(COMPDIR)/%)

clean:
	rm -rf build build-sanitize build-fuzz

-include $(COMMON_OBJ:.o=.d) $(foreach t,$(TOOLS),$(BUILD)/$(t)/$(t).d) $(HELPERS:=.d) \
	$(BENCH_PROGS:=.d)
