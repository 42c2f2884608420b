# poolsim — the two commands (`make serve`, `make test`) and the benchmarks (`make bench`).
# Each target installs whatever is missing first (scripts/setup.sh), idempotently.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# npm's wasm-opt (binaryen 132) must come before any other on PATH; cargo-installed tools next.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# CI builds from a fresh clone once: incremental compilation's caches would only fill the disk.
ifdef CI
export CARGO_INCREMENTAL := 0
endif
WASM := --target wasm32-unknown-unknown

.PHONY: help setup-web setup-test serve build test fmt-check lint test-native test-wasm test-e2e bench clean

help:
	@echo "make serve  - build and serve the app at http://127.0.0.1:8080"
	@echo "make test   - fmt, clippy, native tests, browser tests, release build, end-to-end tests"
	@echo "make bench  - engine benchmarks (simulated requests per second)"

setup-web:
	@scripts/setup.sh web

setup-test:
	@scripts/setup.sh test

## Build and serve the app with live reload at http://127.0.0.1:8080.
serve: setup-web
	trunk serve

## Release build of the static site into dist/.
build: setup-web
	trunk build --release

## Every check CI runs.
test: setup-test fmt-check lint test-native test-wasm build test-e2e
	@echo "make test: all checks passed"

fmt-check:
	cargo fmt --all --check

lint:
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p poolsim-web --all-targets $(WASM) --locked -- -D warnings
	# The engine, content and charts as the page links them (their tests and benches are native-only).
	cargo clippy -p poolsim-engine -p poolsim-content -p poolsim-charts $(WASM) --locked -- -D warnings
	# The engine's invariant checks exist in debug builds only: its tests and benchmarks must
	# still build without them, as `make bench` builds them.
	cargo check -p poolsim-engine --all-targets --profile bench --locked

test-native:
	cargo test --workspace --locked

# wasm-bindgen-test in headless Chromium (through /usr/bin/chromedriver). The runner gives
# each test file 20 s unless told otherwise: too little on a busy machine.
test-wasm:
	CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 cargo test -p poolsim-web $(WASM) --locked

test-e2e:
	npx playwright test --config tests/e2e/playwright.config.mjs

## Engine benchmarks (criterion + `poolsim bench`), then the browser budgets.
bench: setup-test
	cargo bench -p poolsim-engine --locked
	cargo run -q --profile native -p poolsim --locked -- bench
	trunk build --release
	node tests/bench/browser.mjs

clean:
	cargo clean
	rm -rf dist
