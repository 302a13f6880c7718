"""Type stubs of the rf8 package (see rf8/__init__.py for the docs)."""

from typing import Iterable, Literal, Optional, Sequence, TypedDict, Union

import numpy as np
import numpy.typing as npt

__version__: str
ROUNDINGS: tuple[str, str]
MODES: tuple[str, str, str]

Rounding = Literal["truncate", "nearest"]
Mode = Literal["w8a32", "w8a8", "w8abf16"]

class Format(TypedDict):
    name: str
    element_bits: int
    scale_bits: int
    sharing: Literal["none", "tensor", "row", "block"]
    block: Optional[int]
    bits_per_value: float
    summary: str

class Stats(TypedDict):
    count: int
    rmse: float
    relative_rmse: float
    sqnr_db: float
    mean_rel_error: float
    max_rel_error: float
    flushed: float
    saturated: float
    bits_per_value: float

def encode(x: npt.ArrayLike, rounding: Rounding = "truncate") -> npt.NDArray[np.uint8]: ...
def decode(codes: npt.ArrayLike, dtype: npt.DTypeLike = ...) -> npt.NDArray[np.floating]: ...
def mul(a: npt.ArrayLike, b: npt.ArrayLike) -> npt.NDArray[np.uint8]: ...
def quantize(x: npt.ArrayLike, fmt: str, axis: int = -1) -> npt.NDArray[np.float64]: ...
def formats() -> list[Format]: ...
def error(
    x: npt.ArrayLike, formats: Optional[Union[str, Iterable[str]]] = None, axis: int = -1
) -> dict[str, Stats]: ...
def matvec(
    codes: npt.ArrayLike, x: npt.ArrayLike, mode: Mode = "w8a32", rounding: Rounding = "truncate"
) -> npt.NDArray[np.floating]: ...
