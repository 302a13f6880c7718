//! Reading real weight tensors: `.safetensors` (F32, F16, BF16; other
//! dtypes are listed as skipped), memory-mapped, and `.npy` (f32, f16, f64,
//! little-endian, C order). Tensors are visited one at a time, converted to
//! `f32` (exact for every supported dtype except f64), so that a large
//! checkpoint never sits in memory twice.

use std::path::Path;

use regex::Regex;
use safetensors::{Dtype, SafeTensors};

/// Why a tensor file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TensorError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Format { path: String, reason: String },
}

/// A tensor that was not read, and why.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Skipped {
    pub name: String,
    pub dtype: String,
}

impl Skipped {
    /// A tensor left out because none of its `count` values is finite.
    pub fn no_finite_values(name: &str, count: usize) -> Skipped {
        Skipped {
            name: name.to_string(),
            dtype: format!("no finite value among {count}"),
        }
    }
}

/// Fails when nothing was measured (`none`): no tensor selected, or only
/// tensors without a finite value (`empty`), each named in the message.
pub fn require_values(path: &Path, none: bool, empty: &[Skipped]) -> Result<(), String> {
    if !none {
        return Ok(());
    }
    if empty.is_empty() {
        return Err(format!(
            "{}: no F32/F16/BF16 tensor selected",
            path.display()
        ));
    }
    let names: Vec<String> = empty
        .iter()
        .take(3)
        .map(|s| format!("{} ({})", s.name, s.dtype))
        .collect();
    Err(format!(
        "{}: no finite values to measure: {}{}",
        path.display(),
        names.join(", "),
        if empty.len() > 3 { ", ..." } else { "" }
    ))
}

fn format_error(path: &Path, reason: impl Into<String>) -> TensorError {
    TensorError::Format {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// The `--filter` regular expression of tensor names, if given; a bad one
/// is a one-line error.
pub fn filter(pattern: Option<&str>) -> Result<Option<Regex>, String> {
    pattern
        .map(|p| {
            Regex::new(p).map_err(|e| {
                format!(
                    "bad --filter: {}",
                    e.to_string().lines().last().unwrap_or("")
                )
            })
        })
        .transpose()
}

/// Calls `f(name, values)` for every floating-point tensor of `path` whose
/// name matches `filter`, in name order; returns the tensors skipped for
/// their dtype.
pub fn visit(
    path: &Path,
    filter: Option<&Regex>,
    mut f: impl FnMut(&str, &[f32]),
) -> Result<Vec<Skipped>, TensorError> {
    visit_shaped(path, filter, |name, _, values| f(name, values))
}

/// [`visit`], with each tensor's shape.
pub fn visit_shaped(
    path: &Path,
    filter: Option<&Regex>,
    mut f: impl FnMut(&str, &[usize], &[f32]),
) -> Result<Vec<Skipped>, TensorError> {
    let map = map_file(path)?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext == "npy" {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("tensor")
            .to_string();
        if filter.is_none_or(|r| r.is_match(&name)) {
            let n = npy_parse(path, &map)?;
            let values = npy_floats(path, &n)?;
            f(&name, &n.shape, &values);
        }
        return Ok(Vec::new());
    }
    let st = SafeTensors::deserialize(&map)
        .map_err(|e| format_error(path, format!("not a valid .safetensors file ({e:?})")))?;
    let mut names: Vec<String> = st.names().into_iter().cloned().collect();
    names.sort();
    let mut skipped = Vec::new();
    let mut buf = Vec::new();
    for name in names {
        if filter.is_some_and(|r| !r.is_match(&name)) {
            continue;
        }
        let view = st
            .tensor(&name)
            .map_err(|e| format_error(path, format!("{name}: {e:?}")))?;
        buf.clear();
        if !(safetensors_float(view.dtype())
            && decode_floats(path, &name, view.dtype(), view.data(), &mut buf)?)
        {
            skipped.push(Skipped {
                name,
                dtype: format!("{:?}", view.dtype()),
            });
            continue;
        }
        f(&name, view.shape(), &buf);
    }
    Ok(skipped)
}

/// A `.npy` file's dtype string, shape and data bytes (exactly as many as
/// the shape needs).
struct Npy<'a> {
    dtype: Dtype,
    shape: Vec<usize>,
    data: &'a [u8],
}

fn npy_bad(path: &Path, reason: &str) -> TensorError {
    format_error(path, format!("not a supported .npy file: {reason}"))
}

/// Parses a `.npy` header (format versions 1 to 3, C order).
fn npy_parse<'a>(path: &Path, bytes: &'a [u8]) -> Result<Npy<'a>, TensorError> {
    let bad = |reason: &str| npy_bad(path, reason);
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(bad("missing the NUMPY magic"));
    }
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        _ => return Err(bad("unknown format version")),
    };
    let header = bytes
        .get(start..start + header_len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad("truncated header"))?;
    let field = |key: &str| -> Option<&str> {
        let i = header.find(&format!("'{key}'"))? + key.len() + 2;
        let rest = header[i..].trim_start().strip_prefix(':')?.trim_start();
        Some(rest)
    };
    let descr = field("descr")
        .and_then(|r| r.split('\'').nth(1))
        .ok_or_else(|| bad("no descr"))?
        .to_string();
    if field("fortran_order").is_some_and(|r| r.starts_with("True")) {
        return Err(bad("Fortran order is not supported"));
    }
    let dims = field("shape")
        .ok_or_else(|| bad("no shape"))?
        .split(')')
        .next()
        .unwrap_or("")
        .trim_start_matches('(');
    let shape = dims
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| d.parse::<usize>().ok())
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| bad("unreadable shape"))?;
    let count = shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| bad("unreadable shape"))?;
    let dtype = match descr.as_str() {
        "<f4" => Dtype::F32,
        "<f2" => Dtype::F16,
        "<f8" => Dtype::F64,
        "|u1" | "<u1" => Dtype::U8,
        other => {
            return Err(bad(&format!(
                "dtype {other} (f32, f16, f64 or uint8 expected)"
            )))
        }
    };
    let size = dtype.size();
    let data = &bytes[start + header_len..];
    let need = count
        .checked_mul(size)
        .ok_or_else(|| bad("unreadable shape"))?;
    if data.len() < need {
        return Err(bad(&format!(
            "truncated data: {count} values need {need} bytes, {} present",
            data.len()
        )));
    }
    Ok(Npy {
        dtype,
        shape,
        data: &data[..need],
    })
}

/// Room for `count` more f32 values in `out`, or a one-line error: sizes
/// come from files, so the allocation is checked against the memory
/// available and made fallibly rather than aborting the process.
fn reserve(path: &Path, name: &str, out: &mut Vec<f32>, count: usize) -> Result<(), TensorError> {
    let bytes = (count as u128).checked_mul(4);
    crate::limits::check_memory(&format!("tensor {name} as f32"), bytes)
        .map_err(|e| format_error(path, e.to_string()))?;
    out.try_reserve_exact(count).map_err(|_| {
        format_error(
            path,
            format!("tensor {name}: cannot allocate {count} f32 values"),
        )
    })
}

/// A parsed floating-point `.npy` file's values as `f32`.
fn npy_floats(path: &Path, n: &Npy) -> Result<Vec<f32>, TensorError> {
    let mut out = Vec::new();
    if !decode_floats(path, "data", n.dtype, n.data, &mut out)? {
        return Err(npy_bad(path, "uint8 data here (f32, f16 or f64 expected)"));
    }
    Ok(out)
}

/// Appends little-endian float data of `dtype` (F32, F16, BF16, F64) to
/// `out` as `f32` (exact but for F64); false for any other dtype. The one
/// decoder behind `.safetensors` and `.npy` reading; the room for the
/// values is reserved first ([`reserve`]), since their count comes from
/// the file.
fn decode_floats(
    path: &Path,
    name: &str,
    dtype: Dtype,
    bytes: &[u8],
    out: &mut Vec<f32>,
) -> Result<bool, TensorError> {
    if !matches!(dtype, Dtype::F32 | Dtype::F16 | Dtype::BF16 | Dtype::F64) {
        return Ok(false);
    }
    reserve(path, name, out, bytes.len() / dtype.size())?;
    match dtype {
        Dtype::F32 => out.extend(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        ),
        Dtype::F16 => out.extend(
            bytes
                .chunks_exact(2)
                .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32()),
        ),
        Dtype::BF16 => out.extend(
            bytes
                .chunks_exact(2)
                .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32()),
        ),
        Dtype::F64 => {
            out.extend(bytes.chunks_exact(8).map(|c| {
                f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) as f32
            }))
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The `.safetensors` dtypes read as floats (the set; F64 is
/// listed as skipped there, as other dtypes are).
fn safetensors_float(dtype: Dtype) -> bool {
    matches!(dtype, Dtype::F32 | Dtype::F16 | Dtype::BF16)
}

/// A matrix read from a file: floats to quantise, or RF8 codes as stored.
#[derive(Clone, Debug, PartialEq)]
pub enum Elements {
    Floats(Vec<f32>),
    Codes(Vec<u8>),
}

/// A 2-D tensor: its name, shape and elements (row-major).
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub name: String,
    pub rows: usize,
    pub cols: usize,
    pub elements: Elements,
}

/// Reads one 2-D tensor: from a `.npy` file, or the tensor `name` of a
/// `.safetensors` file (which may be omitted when the file holds one
/// tensor). F32, F16 and BF16 data come as floats, U8 as codes.
pub fn load_matrix(path: &Path, name: Option<&str>) -> Result<Matrix, TensorError> {
    let map = map_file(path)?;
    let (name, shape, elements) = if path.extension().and_then(|e| e.to_str()) == Some("npy") {
        if let Some(tensor) = name {
            return Err(format_error(
                path,
                format!(
                    "a .npy file holds one unnamed tensor; ':{tensor}' names one \
                     (tensor names are for .safetensors files)"
                ),
            ));
        }
        let n = npy_parse(path, &map)?;
        let mut floats = Vec::new();
        let elements = if decode_floats(path, "data", n.dtype, n.data, &mut floats)? {
            Elements::Floats(floats)
        } else {
            Elements::Codes(n.data.to_vec())
        };
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("tensor");
        (stem.to_string(), n.shape, elements)
    } else {
        safetensors_matrix(path, &map, name)?
    };
    let [rows, cols] = shape[..] else {
        return Err(format_error(
            path,
            format!("{name}: a 2-D tensor is needed, this one has shape {shape:?}"),
        ));
    };
    Ok(Matrix {
        name,
        rows,
        cols,
        elements,
    })
}

/// Reads a vector (any shape, flattened) of floats from a `.npy` file.
pub fn load_vector(path: &Path) -> Result<Vec<f32>, TensorError> {
    let map = map_file(path)?;
    npy_floats(path, &npy_parse(path, &map)?)
}

fn map_file(path: &Path) -> Result<memmap2::Mmap, TensorError> {
    let io = |source| TensorError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // Safety: the map is read-only and is dropped before the caller
    // returns; the file is not expected to change while it is read.
    unsafe { memmap2::Mmap::map(&file) }.map_err(io)
}

type Parts = (String, Vec<usize>, Elements);

fn safetensors_matrix(path: &Path, map: &[u8], name: Option<&str>) -> Result<Parts, TensorError> {
    let st = SafeTensors::deserialize(map)
        .map_err(|e| format_error(path, format!("not a valid .safetensors file ({e:?})")))?;
    let mut names: Vec<String> = st.names().into_iter().cloned().collect();
    names.sort();
    let name = match name {
        Some(n) => n.to_string(),
        None if names.len() == 1 => names[0].clone(),
        None => {
            return Err(format_error(
                path,
                format!(
                    "holds {} tensors; name one as FILE:TENSOR (first: {})",
                    names.len(),
                    names.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
                ),
            ))
        }
    };
    let view = st
        .tensor(&name)
        .map_err(|_| format_error(path, format!("no tensor named '{name}'")))?;
    let mut floats = Vec::new();
    let elements = match view.dtype() {
        Dtype::U8 => Elements::Codes(view.data().to_vec()),
        d if safetensors_float(d) && decode_floats(path, &name, d, view.data(), &mut floats)? => {
            Elements::Floats(floats)
        }
        other => {
            return Err(format_error(
                path,
                format!("{name}: dtype {other:?} (F32, F16, BF16 or U8 expected)"),
            ))
        }
    };
    Ok((name, view.shape().to_vec(), elements))
}

/// Writes `values` as a little-endian f32 `.npy` file (for tests and
/// examples).
pub fn write_npy_f32(path: &Path, values: &[f32]) -> std::io::Result<()> {
    let data = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    write_npy(path, "<f4", &[values.len()], data)
}

/// Writes `values` as a little-endian f64 `.npy` vector.
pub fn write_npy_f64(path: &Path, values: &[f64]) -> std::io::Result<()> {
    let data = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    write_npy(path, "<f8", &[values.len()], data)
}

/// Writes a `.npy` file (version 1, C order) of dtype `descr` and `shape`
/// holding `data`, through a temporary file.
pub fn write_npy(path: &Path, descr: &str, shape: &[usize], data: Vec<u8>) -> std::io::Result<()> {
    let dims: String = shape.iter().map(|d| format!("{d},")).collect();
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend(data);
    crate::fsutil::write_atomic(path, out)
}
