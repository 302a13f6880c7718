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

fn format_error(path: &Path, reason: impl Into<String>) -> TensorError {
    TensorError::Format {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Calls `f(name, values)` for every floating-point tensor of `path` whose
/// name matches `filter`, in name order; returns the tensors skipped for
/// their dtype.
pub fn visit(
    path: &Path,
    filter: Option<&Regex>,
    mut f: impl FnMut(&str, &[f32]),
) -> Result<Vec<Skipped>, TensorError> {
    let file = std::fs::File::open(path).map_err(|source| TensorError::Io {
        path: path.display().to_string(),
        source,
    })?;
    // Safety: the map is read-only and lives only inside this call; the
    // file is not expected to change while it is read.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|source| TensorError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext == "npy" {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("tensor")
            .to_string();
        if filter.is_none_or(|r| r.is_match(&name)) {
            let values = npy(path, &map)?;
            f(&name, &values);
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
        let bytes = view.data();
        buf.clear();
        match view.dtype() {
            Dtype::F32 => buf.extend(
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            ),
            Dtype::F16 => buf.extend(
                bytes
                    .chunks_exact(2)
                    .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32()),
            ),
            Dtype::BF16 => buf.extend(
                bytes
                    .chunks_exact(2)
                    .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32()),
            ),
            other => {
                skipped.push(Skipped {
                    name,
                    dtype: format!("{other:?}"),
                });
                continue;
            }
        }
        f(&name, &buf);
    }
    Ok(skipped)
}

/// Parses a `.npy` file (format versions 1 to 3) into `f32` values.
fn npy(path: &Path, bytes: &[u8]) -> Result<Vec<f32>, TensorError> {
    let bad = |reason: &str| format_error(path, format!("not a supported .npy file: {reason}"));
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
        .ok_or_else(|| bad("no descr"))?;
    if field("fortran_order").is_some_and(|r| r.starts_with("True")) {
        return Err(bad("Fortran order is not supported"));
    }
    let shape = field("shape").ok_or_else(|| bad("no shape"))?;
    let dims = shape
        .split(')')
        .next()
        .unwrap_or("")
        .trim_start_matches('(');
    let count = dims
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .try_fold(1usize, |n, d| {
            d.parse::<usize>().ok().and_then(|d| n.checked_mul(d))
        })
        .ok_or_else(|| bad("unreadable shape"))?;
    let data = &bytes[start + header_len..];
    let size = match descr {
        "<f4" => 4,
        "<f2" => 2,
        "<f8" => 8,
        other => return Err(bad(&format!("dtype {other} (f32, f16 or f64 expected)"))),
    };
    if data.len() < count * size {
        return Err(bad(&format!(
            "truncated data: {count} values need {} bytes, {} present",
            count * size,
            data.len()
        )));
    }
    let data = &data[..count * size];
    Ok(match size {
        4 => data
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        2 => data
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        _ => data
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) as f32)
            .collect(),
    })
}

/// Writes `values` as a little-endian f32 `.npy` file (for tests and
/// examples).
pub fn write_npy_f32(path: &Path, values: &[f32]) -> std::io::Result<()> {
    let mut header = format!(
        "{{'descr': '<f4', 'fortran_order': False, 'shape': ({},), }}",
        values.len()
    );
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    crate::fsutil::write_atomic(path, out)
}
