"""The Python package against the command line (the same library behind a
different door), against independent numpy code (INT8 and the MX
formats, written from spec section 7 alone) and against ml_dtypes where it
has the format. Run by `make test` (`make python-test`) in the virtual
environment `make deps` makes."""

import json
import os
import pathlib
import subprocess

import ml_dtypes
import numpy as np
import pytest

import rf8

ROOT = pathlib.Path(__file__).resolve().parents[2]
RF8 = os.environ.get("RF8_BIN", str(ROOT / "target" / "release" / "rf8"))


def cli(*args):
    return subprocess.run([RF8, *args], check=True, capture_output=True, text=True, timeout=600).stdout


def sample(shape, seed=1, scale=1.0):
    """Weights-like values: a normal, a few outliers, exact zeros."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * scale
    flat = x.reshape(-1)
    flat[:: 97] *= 40.0
    flat[5::101] = 0.0
    return x


# --- RF8 codes: the CLI's tables and encoder ---------------------------------


def test_the_readme_example():
    assert rf8.encode([-0.39]).tolist() == [200]
    assert rf8.encode(-0.39).shape == ()


def test_decode_equals_the_cli_table():
    rows = [line.split() for line in cli("table", "decode").splitlines()]
    want = np.array([float(v) for _, v in rows])
    assert [int(c, 16) for c, _ in rows] == list(range(256))
    np.testing.assert_array_equal(rf8.decode(np.arange(256), dtype=np.float64), want)
    np.testing.assert_array_equal(rf8.decode(np.arange(256)), want.astype(np.float32))


def test_mul_equals_the_cli_table_for_every_pair():
    table = np.array([[int(c, 16) for c in line.split()] for line in cli("table", "mul").splitlines()])
    a = np.arange(256, dtype=np.uint8)
    np.testing.assert_array_equal(rf8.mul(a[:, None], a[None, :]), table)
    # Broadcasting a scalar, any integer dtype holding codes.
    np.testing.assert_array_equal(rf8.mul(np.arange(256), 0x41), table[:, 0x41])


@pytest.mark.parametrize("rounding", rf8.ROUNDINGS)
def test_encode_equals_the_cli(rounding):
    values = [-0.39, 1.9, 3.0, 1e-9, -1e-9, 7e4, -7e4, 0.0, 2.0**-15, 123.456, float("inf"), float("-inf")]
    out = cli("encode", "--json", "--rounding", rounding, "--", *map(repr, values))
    want = [int(r["code"], 16) if isinstance(r["code"], str) else r["code"] for r in json.loads(out)]
    assert rf8.encode(np.array(values), rounding).tolist() == want
    assert rf8.encode(np.array(values, dtype=np.float32), rounding).tolist() == want


def test_float64_is_encoded_from_itself_not_its_float32_rounding():
    # Just below a midpoint of nearest rounding (m = 1.375, 1.8125) in
    # float64 rounds up to it in float32: the float64 must be encoded.
    below = np.nextafter(np.array([1.375, 1.8125, 3 * 2.0**-17]), 0.0)
    assert rf8.encode(below, "nearest").tolist() != rf8.encode(below.astype(np.float32), "nearest").tolist()
    # Every f64 in a sweep agrees with the CLI's f64 encoder.
    xs = np.geomspace(1e-6, 6e4, 400) * np.where(np.arange(400) % 2, -1, 1)
    xs = np.concatenate([xs, below])
    out = json.loads(cli("encode", "--json", "--rounding", "nearest", "--", *map(repr, xs.tolist())))
    want = [int(r["code"], 16) if isinstance(r["code"], str) else r["code"] for r in out]
    assert rf8.encode(xs, "nearest").tolist() == want


# --- dtypes, layouts, bad input ---------------------------------------------


@pytest.mark.parametrize("fmt", [f["name"] for f in rf8.formats()])
def test_dtypes_and_layouts_give_the_same_result(fmt):
    x = sample((8, 64)).astype(np.float16).astype(np.float64)  # exact in every dtype
    want = rf8.quantize(x, fmt)
    for variant in (x.astype(np.float16), x.astype(np.float32), x.astype(">f8"), x.astype(">f4")):
        np.testing.assert_array_equal(rf8.quantize(variant, fmt), want)
    wide = np.zeros((8, 128))
    wide[:, ::2] = x
    np.testing.assert_array_equal(rf8.quantize(wide[:, ::2], fmt), want)
    # axis: rows along axis 0 of the transpose are rows of x.
    np.testing.assert_array_equal(rf8.quantize(x.T, fmt, axis=0), want.T)
    codes = rf8.encode(x)
    for variant in (x.astype(np.float32), x.astype(">f4"), np.asfortranarray(x), wide[:, ::2]):
        np.testing.assert_array_equal(rf8.encode(variant), codes)


def test_nan_and_inf_follow_the_rules():
    with pytest.raises(ValueError, match="NaN at index 2"):
        rf8.encode([1.0, 2.0, float("nan")])
    with pytest.raises(ValueError, match="NaN at index 1"):
        rf8.encode(np.float32([1.0, np.nan]))
    assert rf8.encode([np.inf, -np.inf]).tolist() == [0x3C, 0xBC]
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="index 3"):
            rf8.quantize([1.0, 2.0, 3.0, bad], "e4m3")
    # rf8.error leaves non-finite values out, as `rf8 error` does.
    assert rf8.error([1.0, np.nan, 2.0, np.inf], "bf16")["bf16"]["count"] == 2


def test_bad_names_shapes_and_sizes_are_value_errors():
    with pytest.raises(ValueError, match="unknown format 'fp7'"):
        rf8.quantize([1.0], "fp7")
    with pytest.raises(ValueError, match="unknown rounding"):
        rf8.encode([1.0], "up")
    with pytest.raises(ValueError, match="unknown mode"):
        rf8.matvec(np.zeros((2, 2), np.uint8), np.zeros(2), mode="w4a4")
    with pytest.raises(ValueError, match="shape"):
        rf8.matvec(np.zeros((2, 3), np.uint8), np.zeros(2, np.float32))
    with pytest.raises(ValueError, match="codes"):
        rf8.decode([256])
    with pytest.raises(ValueError):
        rf8.quantize(np.zeros((2, 2)), "int8", axis=2)
    # 2^40 values (a broadcast view of one) would need terabytes: refused
    # before anything is allocated.
    huge = np.broadcast_to(np.float32(1.0), (1 << 40,))
    half = np.broadcast_to(np.float16(1.0), (1 << 40,))
    for call in (lambda: rf8.encode(huge), lambda: rf8.quantize(huge, "int8"), lambda: rf8.encode(half)):
        with pytest.raises(ValueError, match="memory|GiB|TiB|bytes"):
            call()


# --- the kernels: rf8.matvec against rf8 matvec -------------------------------


@pytest.mark.parametrize("mode", rf8.MODES)
def test_matvec_equals_the_cli(tmp_path, mode):
    w = sample((37, 300), seed=2).astype(np.float32)
    x = sample((300,), seed=3).astype(np.float32)
    np.save(tmp_path / "w.npy", w)
    np.save(tmp_path / "x.npy", x)
    cli("matvec", "--weights", str(tmp_path / "w.npy"), "--input", str(tmp_path / "x.npy"),
        "--mode", mode, "--output", str(tmp_path / "y.npy"))
    want = np.load(tmp_path / "y.npy")
    got = rf8.matvec(rf8.encode(w), x, mode=mode)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_w8a8_is_the_exact_sum_of_the_multipliers_products():
    # As the RF8 dot-product unit (spec section 8): each product by the
    # section-3 multiplier (itself an RF8 code), the sum exact.
    w = rf8.encode(sample((16, 96), seed=4))
    xc = rf8.encode(sample((96,), seed=5))
    products = rf8.decode(rf8.mul(w, xc[None, :]), np.float64)
    np.testing.assert_array_equal(rf8.matvec(w, xc, mode="w8a8"), products.sum(axis=1))  # exact in f64 here


# --- error statistics: rf8.error against rf8 error --json --------------------


def test_error_equals_the_cli(tmp_path):
    x = sample((48, 200), seed=6).astype(np.float32)
    np.save(tmp_path / "t.npy", x)
    report = json.loads(cli("error", "--tensor", str(tmp_path / "t.npy"), "--json"))
    got = rf8.error(x)
    assert [s["format"] for s in report["formats"]] == list(got)
    for s in report["formats"]:
        mine = got[s["format"]]
        for key, v in s.items():
            if key != "format":
                assert mine[key] == pytest.approx(v, rel=1e-12, abs=0), (s["format"], key)


# --- INT8 and MX: independent numpy code (spec section 7) --------------------


def minifloat(v, mbits, emin, vmax):
    """Round to nearest even into a float with `mbits` fraction bits and
    smallest normal exponent `emin`, clamped to +-vmax."""
    a = np.abs(v)
    e = np.floor(np.log2(np.where(a > 0, a, 1.0)))
    quantum = 2.0 ** (np.maximum(e, emin) - mbits)
    q = np.round(v / quantum) * quantum  # numpy rounds half to even
    return np.clip(q, -vmax, vmax)


MX = {  # name: (element fraction bits, smallest normal exponent, largest element, emax)
    "mxfp8": (3, -6, 448.0, 8),
    "mxfp6-e2m3": (3, 0, 7.5, 2),
    "mxfp6-e3m2": (2, -2, 28.0, 4),
    "mxfp4": (1, 0, 6.0, 2),
}


def mx_scales(x, emax, block=32):
    rows, cols = x.shape
    scales = np.empty_like(x)
    for start in range(0, cols, block):
        blk = x[:, start:start + block]
        amax = np.abs(blk).max(axis=1, keepdims=True)
        e = np.floor(np.log2(np.where(amax > 0, amax, 1.0))) - emax
        e = np.where(amax > 0, np.clip(e, -127, 127), -127)
        scales[:, start:start + block] = 2.0**e
    return scales


@pytest.mark.parametrize("name", list(MX))
def test_mx_formats_equal_independent_numpy_code(name):
    mbits, emin, vmax, emax = MX[name]
    x = sample((16, 100), seed=7)  # 100 columns: the last block of a row has 4
    x[3] = 0.0  # an all-zero row
    x[4, :32] *= 1e-30  # a block near the bottom of the scale range
    s = mx_scales(x, emax)
    want = minifloat(x / s, mbits, emin, vmax) * s
    np.testing.assert_array_equal(rf8.quantize(x, name), want)


def test_int8_equals_independent_numpy_code():
    x = sample((16, 100), seed=8)
    x[2] = 0.0
    amax = np.abs(x).max(axis=1, keepdims=True)
    s = np.where(amax > 0, (amax / 127).astype(np.float32), 1.0).astype(np.float64)
    want = np.clip(np.round(x / s), -127, 127) * s
    np.testing.assert_array_equal(rf8.quantize(x, "int8"), want)
    assert [f["bits_per_value"] for f in rf8.formats() if f["name"] == "int8"] == [8 + 32 / 4096]


# --- ml_dtypes where it has the format --------------------------------------


def test_e4m3_bf16_fp16_e5m2_equal_ml_dtypes_casts():
    x = sample((64, 64), seed=9, scale=3.0).astype(np.float32).astype(np.float64)
    cases = {
        "e4m3": (ml_dtypes.float8_e4m3fn, 448.0),
        "e5m2": (ml_dtypes.float8_e5m2, 57344.0),
        "bf16": (ml_dtypes.bfloat16, 1e30),
        "fp16": (np.float16, 65504.0),
    }
    for name, (dtype, vmax) in cases.items():
        inside = np.clip(x, -vmax, vmax)  # ml_dtypes overflows to NaN or Inf; the formats clip
        want = inside.astype(np.float32).astype(dtype).astype(np.float64)
        np.testing.assert_array_equal(rf8.quantize(inside, name), want, err_msg=name)


def test_mxfp4_elements_equal_ml_dtypes_float4_e2m1fn():
    x = sample((8, 64), seed=10)
    s = mx_scales(x, 2)
    elements = np.clip(x / s, -6.0, 6.0).astype(ml_dtypes.float4_e2m1fn).astype(np.float64)
    np.testing.assert_array_equal(rf8.quantize(x, "mxfp4"), elements * s)
    # And the round trip of every E2M1 value is exact.
    grid = np.arange(16, dtype=np.uint8).view(ml_dtypes.float4_e2m1fn).astype(np.float64)
    block = np.concatenate([grid, np.zeros(16)]) * 1.0
    block[0] = 6.0  # fix the block's scale at 1 (floor(log2 6) - 2 = 0)
    np.testing.assert_array_equal(rf8.quantize(block, "mxfp4"), block)


def test_formats_lists_the_catalogue():
    names = [f["name"] for f in rf8.formats()]
    for must in ("rf8-truncate", "rf8-nearest", "e4m3", "e4m3-scaled", "e5m2", "fp16", "bf16", "int8", "mxfp8", "mxfp4"):
        assert must in names
    bits = {f["name"]: f["bits_per_value"] for f in rf8.formats()}
    assert (bits["rf8-truncate"], bits["mxfp8"], bits["mxfp4"], bits["fp16"]) == (8, 8.25, 4.25, 16)


def test_long_calls_release_the_gil():
    # While a thread quantises 2^24 values (a native call of tens to
    # hundreds of milliseconds), the main thread keeps running Python:
    # the longest pause between two of its steps stays far below one call.
    # With the GIL held through the call, the pause would be the call.
    import threading
    import time

    big = np.random.default_rng(11).standard_normal(1 << 24)
    done = threading.Event()
    calls = []

    def work():
        for _ in range(3):
            t0 = time.perf_counter()
            rf8.quantize(big, "mxfp4")
            calls.append(time.perf_counter() - t0)
        done.set()

    t = threading.Thread(target=work)
    longest, last = 0.0, time.perf_counter()
    t.start()
    while not done.is_set():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    t.join()
    print(f"longest pause {longest * 1e3:.1f} ms; calls {[round(c * 1e3) for c in calls]} ms")
    assert longest < min(calls) / 2, (longest, calls)
