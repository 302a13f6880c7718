# RF8 multiplier generator and verification suite.
#
#   make report   the main job: set up, build, run the evaluation
#   make test     set up, then format check, clippy and the full test suite
#   make deps     install the missing system packages (idempotent)
#   make rtl      regenerate the committed Verilog in rtl/

CARGO ?= cargo
RF8   := target/release/rf8

.PHONY: all deps build test report rtl clean

all: build

deps:
	./scripts/deps.sh

build:
	$(CARGO) build --release

test: deps
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) test --release

rtl: build
	$(RF8) gen --out rtl

report: deps build
	$(RF8) report

clean:
	$(CARGO) clean
