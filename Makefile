# qfecr — the two commands that matter: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/qfecr
DEBUG_BIN := .build/debug/qfecr

.PHONY: demo test build debug deps unit e2e bench fuzz fuzz-smoke clean

demo: build
	$(RELEASE_BIN) demo

build: deps
	$(SWIFT) build -c release

debug: deps
	$(SWIFT) build

deps:
	@scripts/ensure-deps.sh

# Unit tests (every module), then the end-to-end scripts against the debug binary.
test: deps
	$(SWIFT) build
	timeout 1800 $(SWIFT) test --disable-swift-testing
	Fuzz/fuzz.sh smoke
	QFECR_BIN=$(CURDIR)/$(DEBUG_BIN) scripts/run-e2e.sh

unit: deps
	timeout 1800 $(SWIFT) test --disable-swift-testing

e2e: debug
	QFECR_BIN=$(CURDIR)/$(DEBUG_BIN) scripts/run-e2e.sh

# Prints figures (codec, packet decoder, journal append and start-up with a large history).
bench: deps
	$(SWIFT) build -c release --product qfecr-bench
	.build/release/qfecr-bench 100000

# libFuzzer over every parser (Fuzz/): FUZZ_SECONDS per target, executions and findings printed.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/fuzz.sh run

# The short pass `make test` runs: the seeds, then a few seconds per target.
fuzz-smoke: deps
	Fuzz/fuzz.sh smoke

clean:
	rm -rf .build .build-fuzz
