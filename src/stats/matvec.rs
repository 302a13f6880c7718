//! Matrix-vector error: `y = W x` with W (and, for W8A8, x) stored in each
//! format, against the f64 product of the original weights and activations
//! (issue 7's `rf8 error --matvec`).

use super::ggd::Ggd;
use super::quantize::quantize_all;
use crate::catalog::STORAGE;
use crate::kernel::{acc_to_f64, gemv_w8a8_exact, KernelError, Rf8Matrix};
use crate::{Rf8, Rounding};

/// One format's result.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MatvecError {
    /// A storage format of the catalogue (weights stored in it, with rows
    /// as scale rows, activations f32, f64 arithmetic), or
    /// `rf8-w8a8-exact` (the exact W8A8 kernel: activations in RF8 too).
    pub format: &'static str,
    /// `||y - y_ref|| / ||y_ref||`.
    pub relative_l2: f64,
    /// `||y - y_ref||^2` and `||y_ref||^2`, for pooling over matrices.
    pub error_sq: f64,
    pub reference_sq: f64,
}

impl MatvecError {
    fn new(format: &'static str, y: &[f64], reference: &[f64]) -> MatvecError {
        let error_sq: f64 = y
            .iter()
            .zip(reference)
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        let reference_sq: f64 = reference.iter().map(|b| b * b).sum();
        MatvecError {
            format,
            relative_l2: ratio(error_sq, reference_sq),
            error_sq,
            reference_sq,
        }
    }

    /// The errors of several matrices as one (same format).
    pub fn pool(parts: &[MatvecError]) -> Option<MatvecError> {
        let first = parts.first()?;
        let error_sq = parts.iter().map(|p| p.error_sq).sum();
        let reference_sq = parts.iter().map(|p| p.reference_sq).sum();
        Some(MatvecError {
            format: first.format,
            relative_l2: ratio(error_sq, reference_sq),
            error_sq,
            reference_sq,
        })
    }
}

fn ratio(error_sq: f64, reference_sq: f64) -> f64 {
    (error_sq / reference_sq.max(f64::MIN_POSITIVE)).sqrt()
}

/// The errors of every format on `w` (`rows x cols`, row-major) and `x`.
pub fn measure(
    rows: usize,
    cols: usize,
    w: &[f64],
    x: &[f64],
) -> Result<Vec<MatvecError>, KernelError> {
    let reference = gemv_f64(rows, cols, w, x);
    let w32: Vec<f32> = w.iter().map(|&v| v as f32).collect();
    let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    let xs: Vec<f64> = x32.iter().map(|&v| v as f64).collect();
    let mut out: Vec<MatvecError> = STORAGE
        .iter()
        .map(|codec| {
            let wq = quantize_all(*codec, w, cols);
            MatvecError::new(codec.name(), &gemv_f64(rows, cols, &wq, &xs), &reference)
        })
        .collect();
    let m = Rf8Matrix::from_f32(rows, cols, &w32, Rounding::Truncate)?;
    let xq: Vec<Rf8> = x32.iter().map(|&v| Rf8::from_f32(v)).collect();
    let y: Vec<f64> = gemv_w8a8_exact(&m, &xq)?
        .iter()
        .map(|&a| acc_to_f64(a))
        .collect();
    out.push(MatvecError::new("rf8-w8a8-exact", &y, &reference));
    Ok(out)
}

/// One 2-D tensor's y = W x errors.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TensorMatvec {
    pub name: String,
    pub rows: usize,
    pub cols: usize,
    pub formats: Vec<MatvecError>,
}

/// y = W x errors over the 2-D tensors of a file.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileMatvec {
    pub file: String,
    pub activations: &'static str,
    /// Pooled over the tensors: sqrt(sum ||dy||^2 / sum ||y||^2).
    pub formats: Vec<MatvecError>,
    pub tensors: Vec<TensorMatvec>,
    /// Selected tensors that are not 2-D (or are empty).
    pub not_matrices: Vec<String>,
    pub skipped: Vec<crate::tensors::Skipped>,
}

/// Every 2-D F32/F16/BF16 tensor of `path` whose name matches `filter` as
/// W, x from N(0, 1) (seeded, one draw per tensor); the errors per tensor
/// and pooled. Errors are one line naming the file.
pub fn measure_file(
    path: &std::path::Path,
    filter: Option<&regex::Regex>,
    seed: u64,
) -> Result<FileMatvec, String> {
    let mut rng = crate::verify::vectors::rng(seed);
    let mut tensors = Vec::new();
    let mut not_matrices = Vec::new();
    let mut failure = None;
    let skipped = crate::tensors::visit_shaped(path, filter, |name, shape, v| match shape[..] {
        [rows, cols] if rows > 0 && cols > 0 && failure.is_none() => {
            let w: Vec<f64> = v.iter().map(|&x| x as f64).collect();
            let x = Ggd::NORMAL.sample(&mut rng, cols);
            match measure(rows, cols, &w, &x) {
                Ok(formats) => tensors.push(TensorMatvec {
                    name: name.to_string(),
                    rows,
                    cols,
                    formats,
                }),
                Err(e) => failure = Some(format!("{}: {name}: {e}", path.display())),
            }
        }
        _ => not_matrices.push(format!("{name} {shape:?}")),
    })
    .map_err(|e| e.to_string())?;
    if let Some(f) = failure {
        return Err(f);
    }
    let Some(first) = tensors.first() else {
        return Err(format!(
            "{}: no 2-D F32/F16/BF16 tensor selected",
            path.display()
        ));
    };
    let formats = (0..first.formats.len())
        .filter_map(|i| {
            let parts: Vec<MatvecError> = tensors.iter().map(|t| t.formats[i].clone()).collect();
            MatvecError::pool(&parts)
        })
        .collect();
    Ok(FileMatvec {
        file: path.display().to_string(),
        activations: "normal (0, 1)",
        formats,
        tensors,
        not_matrices,
        skipped,
    })
}

fn gemv_f64(rows: usize, cols: usize, w: &[f64], x: &[f64]) -> Vec<f64> {
    (0..rows)
        .map(|i| {
            w[i * cols..(i + 1) * cols]
                .iter()
                .zip(x)
                .map(|(a, b)| a * b)
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weights and activations already in RF8 and FP16: RF8 W8A32 and
    /// FP16 lose nothing beyond f32 summation, W8A8 loses its truncated
    /// products.
    #[test]
    fn representable_inputs_lose_only_what_they_must() {
        let (rows, cols) = (8, 64);
        let w: Vec<f64> = (0..rows * cols)
            .map(|i| [1.5, -0.75, 0.28125, 0.0][i % 4])
            .collect();
        let x: Vec<f64> = (0..cols).map(|k| [1.0625, -2.125][k % 2]).collect();
        let r = measure(rows, cols, &w, &x).unwrap();
        let get = |n: &str| r.iter().find(|e| e.format == n).unwrap().relative_l2;
        assert!(get("rf8-truncate") < 1e-7, "{r:?}");
        assert!(get("fp16") < 1e-7, "{r:?}");
        assert!(get("rf8-w8a8-exact") > 1e-3, "{r:?}");
        assert_eq!(r.len(), STORAGE.len() + 1);
    }
}
