//! `rf8._rf8`: the native half of the `rf8` Python package.
//!
//! Every function takes one-dimensional, C-contiguous numpy arrays of a
//! native dtype and returns new ones: `rf8/__init__.py` checks the
//! arguments, converts dtypes and byte orders, moves axes and reshapes, and
//! carries the documentation. Arrays are read in place (no copy), and the
//! work runs with the GIL released, on all cores (rayon) where the library
//! parallelises it. Errors are `ValueError`s with the library's one-line
//! message.

use numpy::{
    IntoPyArray, PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

use rf8::kernel::{
    acc_to_f64, encode_f32_into, gemv_w8a32, gemv_w8a8_exact, gemv_w8abf16, Rf8Matrix,
};
use rf8::{Rf8, Rounding};

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn rounding(name: &str) -> PyResult<Rounding> {
    match name {
        "truncate" => Ok(Rounding::Truncate),
        "nearest" => Ok(Rounding::Nearest),
        _ => Err(value_error(format!(
            "unknown rounding '{name}' (valid: truncate, nearest)"
        ))),
    }
}

/// Refuses work whose memory the machine does not have, before any is
/// allocated (`what` names it in the message).
#[pyfunction]
fn check_memory(what: &str, bytes: u128) -> PyResult<()> {
    rf8::limits::check_memory(what, Some(bytes)).map_err(value_error)
}

/// Codes of values given as `f32` (NaN is an error naming its index, +-Inf
/// saturates, as in `rf8 encode`).
#[pyfunction]
fn encode_f32<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f32>,
    rounding_name: &str,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let r = rounding(rounding_name)?;
    let x = x.as_slice()?;
    // Written in place: no second pass over the codes to copy or zero them.
    // SAFETY: every element is written below before the array is returned;
    // on an error it is dropped unread.
    let out = unsafe { PyArray1::<u8>::new(py, x.len(), false) };
    {
        let mut codes = out.readwrite();
        let codes = codes.as_slice_mut()?;
        py.allow_threads(|| encode_f32_into(x, codes, r))
            .map_err(value_error)?;
    }
    Ok(out)
}

/// Codes of values given as `f64` (encoded from the `f64` itself, not from
/// its `f32` rounding).
#[pyfunction]
fn encode_f64<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f64>,
    rounding_name: &str,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let r = rounding(rounding_name)?;
    let x = x.as_slice()?;
    let codes = py
        .allow_threads(|| {
            x.par_iter()
                .enumerate()
                .map(|(i, &v)| {
                    Rf8::try_from_f64(v, r)
                        .map(Rf8::to_bits)
                        .map_err(|_| format!("NaN at index {i}: RF8 has no NaN"))
                })
                .collect::<Result<Vec<u8>, String>>()
        })
        .map_err(value_error)?;
    Ok(codes.into_pyarray(py))
}

/// Exact values of codes, as `f64` (every RF8 value is exact in `f32` too).
#[pyfunction]
fn decode<'py>(
    py: Python<'py>,
    codes: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let c = codes.as_slice()?;
    let v: Vec<f64> =
        py.allow_threads(|| c.par_iter().map(|&b| Rf8::from_bits(b).to_f64()).collect());
    Ok(v.into_pyarray(py))
}

/// Products of code pairs by the hardware multiplier (spec section 3).
#[pyfunction]
fn mul<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, u8>,
    b: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let (a, b) = (a.as_slice()?, b.as_slice()?);
    if a.len() != b.len() {
        return Err(value_error("operands of different lengths"));
    }
    let p: Vec<u8> = py.allow_threads(|| {
        a.par_iter()
            .zip(b.par_iter())
            .map(|(&x, &y)| (Rf8::from_bits(x) * Rf8::from_bits(y)).to_bits())
            .collect()
    });
    Ok(p.into_pyarray(py))
}

/// The stored (dequantised) values of `x` in storage format `fmt`, rows of
/// `row_len` values sharing the row and block scales.
#[pyfunction]
fn quantize<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f64>,
    fmt: &str,
    row_len: usize,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let codec = rf8::catalog::storage_by_name(fmt).map_err(value_error)?;
    let x = x.as_slice()?;
    let q = py
        .allow_threads(|| {
            if let Some(i) = x.par_iter().position_first(|v| !v.is_finite()) {
                return Err(format!(
                    "{} at index {i}: formats store finite values only (a quantiser clips, it does not store NaN or Inf)",
                    x[i]
                ));
            }
            Ok(rf8::stats::quantize::quantize_all(codec, x, row_len.max(1)))
        })
        .map_err(value_error)?;
    Ok(q.into_pyarray(py))
}

/// Every storage format: (name, element bits, scale bits, sharing, block
/// size or 0, summary).
#[pyfunction]
fn formats() -> Vec<(&'static str, u32, u32, &'static str, usize, &'static str)> {
    use rf8::formats::codec::Sharing;
    rf8::catalog::STORAGE
        .iter()
        .map(|c| {
            let s = c.scaling();
            let (sharing, block) = match s.sharing {
                Sharing::None => ("none", 0),
                Sharing::Tensor => ("tensor", 0),
                Sharing::Row => ("row", 0),
                Sharing::Block(n) => ("block", n),
            };
            (c.name(), c.code_bits(), s.bits, sharing, block, c.summary())
        })
        .collect()
}

/// `rf8 error --json`'s statistics of `x` (rows of `row_len`) in each
/// format, as JSON text (the Python side parses it).
#[pyfunction]
fn error(
    py: Python<'_>,
    x: PyReadonlyArray1<'_, f64>,
    row_len: usize,
    formats: Vec<String>,
) -> PyResult<String> {
    let codecs = formats
        .iter()
        .map(|f| rf8::catalog::storage_by_name(f))
        .collect::<Result<Vec<_>, _>>()
        .map_err(value_error)?;
    let x = x.as_slice()?;
    let stats: Vec<_> = py.allow_threads(|| {
        codecs
            .iter()
            .map(|&c| {
                let mut t = rf8::stats::error::ErrorTally::new(c);
                t.add(x, row_len.max(1));
                t.stats()
            })
            .collect()
    });
    serde_json::to_string(&stats).map_err(value_error)
}

fn matrix(codes: &PyReadonlyArray2<'_, u8>) -> PyResult<Rf8Matrix> {
    let shape = codes.shape();
    Rf8Matrix::from_codes(shape[0], shape[1], codes.as_slice()?.to_vec()).map_err(value_error)
}

/// `y = W x` with RF8 weights and `f32` activations (`w8a32`, or
/// `w8abf16`: activations rounded to bfloat16).
#[pyfunction]
fn matvec_f32<'py>(
    py: Python<'py>,
    codes: PyReadonlyArray2<'py, u8>,
    x: PyReadonlyArray1<'py, f32>,
    bf16: bool,
) -> PyResult<Bound<'py, PyArray1<f32>>> {
    let w = matrix(&codes)?;
    let x = x.as_slice()?;
    let y = py
        .allow_threads(|| {
            if bf16 {
                gemv_w8abf16(&w, x)
            } else {
                gemv_w8a32(&w, x)
            }
        })
        .map_err(value_error)?;
    Ok(y.into_pyarray(py))
}

/// `y = W x` with RF8 weights and RF8 activation codes, summed exactly as
/// the hardware dot-product unit does (`w8a8`), as `f64`.
#[pyfunction]
fn matvec_w8a8<'py>(
    py: Python<'py>,
    codes: PyReadonlyArray2<'py, u8>,
    x: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let w = matrix(&codes)?;
    let x: Vec<Rf8> = x.as_slice()?.iter().map(|&c| Rf8::from_bits(c)).collect();
    let acc = py
        .allow_threads(|| gemv_w8a8_exact(&w, &x))
        .map_err(value_error)?;
    let y: Vec<f64> = acc.iter().map(|&a| acc_to_f64(a)).collect();
    Ok(y.into_pyarray(py))
}

#[pymodule]
fn _rf8(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_memory, m)?)?;
    m.add_function(wrap_pyfunction!(encode_f32, m)?)?;
    m.add_function(wrap_pyfunction!(encode_f64, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(mul, m)?)?;
    m.add_function(wrap_pyfunction!(quantize, m)?)?;
    m.add_function(wrap_pyfunction!(formats, m)?)?;
    m.add_function(wrap_pyfunction!(error, m)?)?;
    m.add_function(wrap_pyfunction!(matvec_f32, m)?)?;
    m.add_function(wrap_pyfunction!(matvec_w8a8, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
