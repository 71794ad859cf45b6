# qfecr — the two commands that matter: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/qfecr
# The Swift runtime and Foundation linked in, so the binary runs on a till without the toolchain:
# it needs only the system's libc, libstdc++, ncursesw and OpenSSL (README, "Installation").
RELEASE_FLAGS := -c release --static-swift-stdlib
# The install test's binary: a debug build linked the same way, in its own build directory (the
# flag changes how every module is compiled). It builds in about a fifth of the release's time.
STATIC_CHECK_BIN := .build/static/debug/qfecr
STATIC_CHECK_BUILD = $(SWIFT) build --static-swift-stdlib --scratch-path .build/static --product qfecr
DEBUG_BIN := .build/debug/qfecr

.PHONY: demo test build debug deps unit e2e bench fault-table crash-test fuzz fuzz-smoke clean install uninstall

demo: build
	$(RELEASE_BIN) demo

build: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product qfecr

debug: deps
	$(SWIFT) build

deps:
	@scripts/ensure-deps.sh

# Unit tests (every module), then the end-to-end scripts against the debug binary; the install
# script installs a build with the static Swift runtime and checks what it links.
test: deps
	$(SWIFT) build
	timeout 1800 $(SWIFT) test --disable-swift-testing
	Fuzz/fuzz.sh smoke
	$(STATIC_CHECK_BUILD)
	QFECR_BIN=$(CURDIR)/$(DEBUG_BIN) QFECR_INSTALL_BIN=$(CURDIR)/$(STATIC_CHECK_BIN) scripts/run-e2e.sh

unit: deps
	timeout 1800 $(SWIFT) test --disable-swift-testing

e2e: debug
	$(STATIC_CHECK_BUILD)
	QFECR_BIN=$(CURDIR)/$(DEBUG_BIN) QFECR_INSTALL_BIN=$(CURDIR)/$(STATIC_CHECK_BIN) scripts/run-e2e.sh

# Prints figures, never asserts: round trips per transport against the simulator, a Python client
# and a bare socket; codec, packet decoder, journal, serial line use, and how cost grows.
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product qfecr
	$(SWIFT) build $(RELEASE_FLAGS) --product qfecr-bench
	scripts/bench.sh

# Regenerates the fault table (every transport x fault through a real engine) and prints it.
fault-table: deps
	$(SWIFT) build --build-tests
	rm -f .build/fault-matrix.md
	QFECR_FAULT_TABLE=$(CURDIR)/.build/fault-matrix.md timeout 900 $(SWIFT) test --disable-swift-testing --skip-build --filter 'IntegrationTests.FaultMatrix'
	@cat .build/fault-matrix.md

# The crash test at full size: 50 payments, `qfecr pay` killed with SIGKILL at seeded random points
# (CRASH_SEED), then 50 sales typed in the console under tmux, each console killed the same way;
# after each, the journal checked against the simulator's ledger. `make test` runs 8 and 6.
crash-test: debug
	QFECR_BIN=$(CURDIR)/$(DEBUG_BIN) CRASH_PAYMENTS=$${CRASH_PAYMENTS:-50} bash Tests/e2e/crash_random.sh
	QFECR_BIN=$(CURDIR)/$(DEBUG_BIN) CRASH_CONSOLE_PAYMENTS=$${CRASH_CONSOLE_PAYMENTS:-50} bash Tests/e2e/crash_console.sh

# Installs the release binary, the themes, the qfecr(1) page and the bash, zsh and fish completions.
# The page and the completions are generated from the command table by the binary being installed.
# INSTALL_BIN installs another build of qfecr (the end-to-end test installs the one `make test` built).
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_BIN ?= $(RELEASE_BIN)
BINDIR = $(DESTDIR)$(PREFIX)/bin
SHAREDIR = $(DESTDIR)$(PREFIX)/share
INSTALLED = $(BINDIR)/qfecr $(SHAREDIR)/man/man1/qfecr.1 $(SHAREDIR)/bash-completion/completions/qfecr \
	$(SHAREDIR)/zsh/site-functions/_qfecr $(SHAREDIR)/fish/vendor_completions.d/qfecr.fish

install:
	@if [ "$(INSTALL_BIN)" = "$(RELEASE_BIN)" ]; then $(MAKE) --no-print-directory build; fi
	install -d $(BINDIR) $(SHAREDIR)/qfecr/themes $(SHAREDIR)/man/man1 $(SHAREDIR)/bash-completion/completions \
		$(SHAREDIR)/zsh/site-functions $(SHAREDIR)/fish/vendor_completions.d
	install -m 0755 $(INSTALL_BIN) $(BINDIR)/qfecr
	install -m 0644 themes/* $(SHAREDIR)/qfecr/themes/
	$(INSTALL_BIN) manpage > $(SHAREDIR)/man/man1/qfecr.1
	$(INSTALL_BIN) completions bash > $(SHAREDIR)/bash-completion/completions/qfecr
	$(INSTALL_BIN) completions zsh > $(SHAREDIR)/zsh/site-functions/_qfecr
	$(INSTALL_BIN) completions fish > $(SHAREDIR)/fish/vendor_completions.d/qfecr.fish
	chmod 0644 $(SHAREDIR)/man/man1/qfecr.1 $(SHAREDIR)/bash-completion/completions/qfecr \
		$(SHAREDIR)/zsh/site-functions/_qfecr $(SHAREDIR)/fish/vendor_completions.d/qfecr.fish

uninstall:
	rm -f $(INSTALLED)
	rm -rf $(SHAREDIR)/qfecr

# libFuzzer over every parser (Fuzz/): FUZZ_SECONDS per target, executions and findings printed.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/fuzz.sh run

# The short pass `make test` runs: the seeds, then a few seconds per target.
fuzz-smoke: deps
	Fuzz/fuzz.sh smoke

clean:
	rm -rf .build .build-fuzz
