"""RF8 and every storage format of the rf8 catalogue, for numpy.

RF8 ("Residual Floating-Point", arXiv 2506.00486) stores a value as a sign,
a 5-bit sign-magnitude exponent and a 2-bit residual: the value is the sum
of its two leading powers of two. This package exposes the bit-exact Rust
references and kernels of the ``rf8`` project (``docs/format.md`` restates
the specification):

>>> import numpy as np, rf8
>>> rf8.encode([-0.39])
array([200], dtype=uint8)
>>> rf8.decode(rf8.encode([-0.39, 3.0, 1e9]))
array([-3.7500e-01,  3.0000e+00,  4.9152e+04], dtype=float32)
>>> rf8.quantize(np.array([0.1, 0.2, 0.3]), "int8")
array([0.0992126, 0.2007874, 0.3      ])

Arrays of any shape, float16/float32/float64, non-contiguous or
big-endian, are accepted; results are new native arrays. Long calls run
with the GIL released, on all cores. Bad input (NaN where a format has
none, an unknown name, shapes that do not fit, more memory than the
machine has) raises ``ValueError`` with one line.
"""

from __future__ import annotations

import json
from typing import Iterable, Optional, Union

import numpy as np

from . import _rf8

__version__ = _rf8.__version__

__all__ = [
    "encode",
    "decode",
    "mul",
    "quantize",
    "formats",
    "matvec",
    "error",
    "ROUNDINGS",
    "MODES",
]

#: Roundings of RF8 encoding (spec section 2).
ROUNDINGS = ("truncate", "nearest")

#: Modes of :func:`matvec`.
MODES = ("w8a32", "w8a8", "w8abf16")

_FLOATS = (np.float16, np.float32, np.float64)


def _floats(x, what: str = "x", dtype=None) -> np.ndarray:
    """``x`` as a native-endian float array of ``dtype`` (by default
    float16 and float32 become float32, exactly; anything else float64),
    refusing a conversion the machine has no memory for."""
    a = np.asarray(x)
    if a.dtype.kind not in "fiub":
        raise ValueError(f"{what}: expected real numbers, got dtype {a.dtype}")
    if dtype is not None:
        target = np.dtype(dtype)
    elif a.dtype.kind == "f" and a.dtype.itemsize <= 4:
        target = np.dtype(np.float32)
    else:
        target = np.dtype(np.float64)
    if a.dtype != target:
        _rf8.check_memory(what, int(a.size) * target.itemsize)
    return a.astype(target, copy=False)


def _flat(a: np.ndarray, dtype, what: str) -> np.ndarray:
    """A C-contiguous, native-endian, one-dimensional view or copy of
    ``a``, refusing sizes beyond the machine's memory before copying."""
    dtype = np.dtype(dtype)
    need = int(a.size) * dtype.itemsize
    if not (a.flags.c_contiguous and a.dtype == dtype):
        _rf8.check_memory(what, need)
    return np.ascontiguousarray(a, dtype=dtype).reshape(-1)


def _codes(codes, what: str = "codes") -> np.ndarray:
    a = np.asarray(codes)
    if a.dtype != np.uint8:
        if a.dtype.kind not in "iu" or (a.size and (a.min() < 0 or a.max() > 255)):
            raise ValueError(f"{what}: expected RF8 codes (uint8, 0..255), got dtype {a.dtype}")
        a = a.astype(np.uint8)
    return a


def _rounding(rounding: str) -> str:
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding '{rounding}' (valid: {', '.join(ROUNDINGS)})")
    return rounding


def encode(x, rounding: str = "truncate") -> np.ndarray:
    """RF8 codes (``uint8``) of ``x``, same shape.

    ``rounding`` is ``"truncate"`` (the paper's: keep the two leading
    powers of two) or ``"nearest"`` (spec section 2). Values beyond the
    range saturate to +-49152, +-Inf included; values below the smallest
    magnitude flush to zero; NaN raises ``ValueError`` (RF8 has no NaN).
    float64 input is encoded from the float64 itself.

    >>> import rf8
    >>> rf8.encode([-0.39, 0.0, 1.5, 1.9])
    array([200,  64,   0,   0], dtype=uint8)
    >>> rf8.decode(rf8.encode([1.9], rounding="nearest"))
    array([2.125], dtype=float32)
    >>> rf8.encode([float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: NaN at index 0: RF8 has no NaN
    """
    rounding = _rounding(rounding)
    a = _floats(x)
    shape = a.shape
    if a.dtype == np.float32:
        out = _rf8.encode_f32(_flat(a, np.float32, "encode"), rounding)
    else:
        out = _rf8.encode_f64(_flat(a, np.float64, "encode"), rounding)
    return out.reshape(shape)


def decode(codes, dtype=np.float32) -> np.ndarray:
    """Values of RF8 codes, as ``dtype`` (float32 or float64: every RF8
    value is exact in both; float16 and bfloat16 cannot hold them all).

    >>> import rf8
    >>> rf8.decode([0x40, 0x00, 0xC8, 0x3C])
    array([ 0.0000e+00,  1.5000e+00, -3.7500e-01,  4.9152e+04], dtype=float32)
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype: float32 or float64, not {dtype}")
    c = _codes(codes)
    out = _rf8.decode(_flat(c, np.uint8, "decode"))
    return out.astype(dtype, copy=False).reshape(c.shape)


def mul(a, b) -> np.ndarray:
    """Products of RF8 codes by the hardware multiplier (spec section 3:
    sign XOR, exponent add, residual compare; saturating, flushing),
    broadcasting as numpy does.

    >>> import rf8
    >>> a = rf8.encode([1.5, -3.0, 0.0])
    >>> rf8.decode(rf8.mul(a, rf8.encode(3.0)))
    array([ 4.5, -9. ,  0. ], dtype=float32)
    """
    x, y = np.broadcast_arrays(_codes(a, "a"), _codes(b, "b"))
    shape = x.shape
    out = _rf8.mul(_flat(x, np.uint8, "mul"), _flat(y, np.uint8, "mul"))
    return out.reshape(shape)


def formats() -> list:
    """Every storage format of the catalogue, in report order, as dicts:
    ``name``, ``element_bits``, ``scale_bits``, ``sharing`` (``none``,
    ``tensor``, ``row``, ``block``), ``block`` (values per scale, or
    None), ``bits_per_value`` (with rows of 4096 values for per-row
    scales) and ``summary``.

    >>> import rf8
    >>> [(f["name"], f["bits_per_value"]) for f in rf8.formats()][-2:]
    [('mxfp6-e3m2', 6.25), ('mxfp4', 4.25)]
    """
    out = []
    for name, bits, scale_bits, sharing, block, summary in _rf8.formats():
        per = {"none": 0.0, "tensor": 0.0, "row": 1 / 4096, "block": 1 / max(block, 1)}[sharing]
        out.append(
            {
                "name": name,
                "element_bits": bits,
                "scale_bits": scale_bits,
                "sharing": sharing,
                "block": block or None,
                "bits_per_value": bits + scale_bits * per,
                "summary": summary,
            }
        )
    return out


def _format_names(fmts) -> list:
    if isinstance(fmts, str):
        fmts = [fmts]
    names = [f["name"] for f in formats()]
    for f in fmts:
        if f not in names:
            raise ValueError(f"unknown format '{f}' (valid: {', '.join(names)})")
    return list(fmts)


def _axis(axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of bounds for an array of dimension {ndim}")
    return axis % ndim


def _rows(x, axis: int, what: str):
    """``x`` as float64 rows along ``axis`` (C-contiguous, flattened), the
    row length, and a function putting a flat result back in x's shape."""
    a = _floats(x, what, np.float64)
    if a.ndim == 0:
        a = a.reshape(1)
        restore = lambda flat: flat.reshape(())  # noqa: E731
        return _flat(a, np.float64, what), 1, restore
    axis = _axis(axis, a.ndim)
    moved = np.moveaxis(a, axis, -1)
    shape = moved.shape
    row = shape[-1] if shape[-1] > 0 else 1

    def restore(flat):
        return np.moveaxis(flat.reshape(shape), -1, axis)

    return _flat(moved, np.float64, what), row, restore


def quantize(x, fmt: str, axis: int = -1) -> np.ndarray:
    """The values ``x`` takes when stored in format ``fmt`` (float64, same
    shape). Rows run along ``axis``: per-row scales (``int8``,
    ``e4m3-scaled``) and the 32-value blocks of the MX formats follow it.
    Rounding and clipping follow the format's rule (spec sections 2, 6,
    7): NaN and +-Inf raise ``ValueError``, as no deployed quantiser stores
    them; use :func:`encode` for RF8's own saturation of Inf.

    >>> import numpy as np, rf8
    >>> rf8.quantize(np.array([1.3, 2.6, 5.0, 7.0]), "mxfp4")
    array([1.5, 3. , 4. , 6. ])
    >>> rf8.quantize([2.9, 2.9], "rf8-truncate"), rf8.quantize([2.9], "rf8-nearest")
    (array([2.5, 2.5]), array([3.]))
    """
    (name,) = _format_names([fmt])
    flat, row, restore = _rows(x, axis, "quantize")
    return restore(_rf8.quantize(flat, name, row))


def error(x, formats: Optional[Union[str, Iterable[str]]] = None, axis: int = -1) -> dict:
    """How much each format loses on ``x``: a dict from format name to the
    statistics of ``rf8 error --tensor FILE --json`` (``count``, ``rmse``,
    ``relative_rmse``, ``sqnr_db``, ``mean_rel_error``, ``max_rel_error``,
    ``flushed``, ``saturated``, ``bits_per_value``). Rows run along
    ``axis``; non-finite values are left out, as ``rf8 error`` leaves them
    out. ``formats`` defaults to every format of the catalogue.

    >>> import numpy as np, rf8
    >>> x = np.random.default_rng(1).standard_normal((64, 256))
    >>> e = rf8.error(x, ["rf8-truncate", "int8"])
    >>> sorted(e), e["int8"]["bits_per_value"]
    (['int8', 'rf8-truncate'], 8.125)
    """
    names = [f["name"] for f in globals()["formats"]()] if formats is None else _format_names(formats)
    a = _floats(x, "error", np.float64)
    if a.ndim == 0:
        a = a.reshape(1)
    moved = np.moveaxis(a, _axis(axis, a.ndim), -1)
    finite = np.isfinite(moved)
    row = moved.shape[-1] if moved.shape[-1] > 0 else 1
    values = moved[finite] if not finite.all() else moved
    flat = _flat(values, np.float64, "error")
    if flat.size == 0:
        raise ValueError("error: no finite values")
    stats = json.loads(_rf8.error(flat, row, names))
    return {s.pop("format"): s for s in stats}


def matvec(codes, x, mode: str = "w8a32", rounding: str = "truncate") -> np.ndarray:
    """``y = W x`` on the project's kernels, with ``W`` given as RF8 codes
    (``uint8``, rows x cols; see :func:`encode`).

    * ``"w8a32"``: float32 activations, float32 output;
    * ``"w8abf16"``: activations rounded to bfloat16, float32 output (faster
      from cache, looser error bound: ``docs/kernel.md``);
    * ``"w8a8"``: activations encoded to RF8 (``rounding``) unless already
      ``uint8`` codes; each product by the RF8 multiplier (spec section 3,
      see :func:`mul`), summed exactly, bit for bit as the hardware
      dot-product unit ``dot_rf8`` (section 8) sums them; float64 output.

    >>> import numpy as np, rf8
    >>> w = rf8.encode([[1.5, 3.0], [0.75, -1.5]])
    >>> rf8.matvec(w, np.array([3.0, 1.5], dtype=np.float32))
    array([9., 0.], dtype=float32)
    >>> rf8.matvec(w, rf8.encode([3.0, 1.5]), mode="w8a8")
    array([9., 0.])
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode '{mode}' (valid: {', '.join(MODES)})")
    w = _codes(codes)
    if w.ndim != 2:
        raise ValueError(f"codes: a 2-D matrix of RF8 codes, not {w.ndim}-D")
    w = np.ascontiguousarray(w)
    xa = np.asarray(x)
    if xa.ndim != 1:
        raise ValueError(f"x: a 1-D vector, not {xa.ndim}-D")
    if mode == "w8a8":
        xc = xa if xa.dtype == np.uint8 else encode(xa, rounding)
        return _rf8.matvec_w8a8(w, _flat(xc, np.uint8, "matvec"))
    xf = _flat(_floats(xa, "x", np.float32), np.float32, "matvec")
    if np.isnan(xf).any():
        raise ValueError(f"x: NaN at index {int(np.flatnonzero(np.isnan(xf))[0])}")
    return _rf8.matvec_f32(w, xf, mode == "w8abf16")
