# RF8 multiplier generator and verification suite.
#
#   make report   the main job: set up, build, run the evaluation
#   make test     set up, then format check, clippy and the full test suite
#   make deps     install the missing system packages and the Python
#                 environment .venv (idempotent)
#   make python   build the Python package `rf8` into .venv (maturin)
#   make python-test  its pytest suite and doctests (part of make test)
#   make python-bench encode a 4096 x 4096 matrix: rf8 against ml_dtypes
#   make rtl      regenerate the committed Verilog in rtl/
#   make verify   simulate all designs (default vector set, Verilator + Icarus)
#   make verify-exhaustive   all 2^32 pairs of the three 16-bit designs
#   make area     LUTs and Fmax of every design on four FPGA families
#   make eval     all-MiniLM-L6-v2 through every format and kernel (rf8 eval)
#   make area-dot the dot-product units (N = 1, 8) under every recipe, with
#                 and without DSPs, and pipelined (slow: about an hour)
#   make area-mac the MAC units (N = 1, 2, 4, 8, 16) under every recipe,
#                 Fmax on iCE40 and ECP5, INT8 with DSPs
#   make prove    formal proofs (rf8 prove): every pipeline depth of every
#                 multiplier and dot unit, the dot units against the spec
#                 models, every multiplier netlist of every recipe on iCE40
#                 and ECP5 (about half an hour on 2 cores)

CARGO ?= cargo
RF8   := target/release/rf8
VENV  := $(CURDIR)/.venv

.PHONY: all deps build python python-test python-bench test report rtl verify verify-exhaustive area area-dot area-mac prove eval clean

all: build

deps:
	./scripts/deps.sh

build:
	$(CARGO) build --release

test: deps
	$(CARGO) fmt --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --release
	$(MAKE) python-test

# The Python package, installed editable into .venv (make deps made it).
python: deps
	cd python && VIRTUAL_ENV=$(VENV) $(VENV)/bin/maturin develop --release --quiet

python-test: python build
	RF8_BIN=$(CURDIR)/$(RF8) $(VENV)/bin/python -m pytest -q tests/python python/rf8 --doctest-modules

python-bench: python
	$(VENV)/bin/python python/bench.py

rtl: build
	$(RF8) gen --out rtl

verify: deps build
	$(RF8) verify
	$(RF8) verify --simulator icarus --vectors 100000

verify-exhaustive: deps build
	$(RF8) verify --exhaustive --design fp16_mul --design fp16_mul_lite --design bf16_mul

area: deps build
	$(RF8) area --design multipliers --pnr --svg docs/img/luts.svg
	$(RF8) area --design multipliers --dsp --pnr --svg docs/img/luts_dsp.svg

DOTS := --design dot-units

area-dot: deps build
	$(RF8) area --pnr $(DOTS)
	$(RF8) area --dsp --recipe default $(DOTS)
	$(RF8) area --pipeline 1 --recipe default --device ice40 --device ecp5 $(DOTS)

MAC_STEMS := rf8 rf8_eia int8 fp8_e4m3 fp8_e4m3_eia
MACS := $(foreach s,$(MAC_STEMS),$(foreach n,1 2 4 8 16,--design mac_$(s)_n$(n)))

area-mac: deps build
	$(RF8) area --pnr $(MACS)
	$(RF8) area --dsp --recipe default --device ecp5 --device xilinx $(foreach n,1 2 4 8 16,--design mac_int8_n$(n))

prove: deps build
	$(RF8) prove --design multipliers --design dot-units --only pipeline --only spec --timeout 600
	$(RF8) prove --design multipliers --only netlist --device ice40 --device ecp5 --timeout 600

eval: deps build
	$(RF8) eval

report: deps build
	$(RF8) report

clean:
	$(CARGO) clean
