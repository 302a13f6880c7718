//! An RF8 weight matrix: row-major codes, a shape and an optional name.

use rayon::prelude::*;

use super::KernelError;
use crate::{Rf8, Rounding};

/// A row-major matrix of RF8 codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rf8Matrix {
    rows: usize,
    cols: usize,
    codes: Vec<u8>,
    name: Option<String>,
}

/// Encodes `data` into `codes` (of the same length) on all cores: the
/// quantiser of [`Rf8Matrix::from_f32`], for callers that own the output
/// buffer (the Python package writes straight into a numpy array). NaN is
/// an error naming its index (the lowest, whichever core finds one), +-Inf
/// saturates.
pub fn encode_f32_into(
    data: &[f32],
    codes: &mut [u8],
    rounding: Rounding,
) -> Result<(), KernelError> {
    if data.len() != codes.len() {
        return Err(KernelError::Shape(format!(
            "{} values into {} codes",
            data.len(),
            codes.len()
        )));
    }
    codes
        .par_chunks_mut(1 << 16)
        .zip(data.par_chunks(1 << 16))
        .enumerate()
        .try_for_each(|(c, (out, src))| {
            for (i, (o, &x)) in out.iter_mut().zip(src).enumerate() {
                *o = Rf8::try_from_f32(x, rounding)
                    .map_err(|_| KernelError::Nan((c << 16) + i))?
                    .to_bits();
            }
            Ok::<(), KernelError>(())
        })
}

impl Rf8Matrix {
    /// Quantises row-major f32 data (`rows * cols` values); NaN is an
    /// error naming its index, +-Inf saturates.
    pub fn from_f32(
        rows: usize,
        cols: usize,
        data: &[f32],
        rounding: Rounding,
    ) -> Result<Rf8Matrix, KernelError> {
        check_len(rows, cols, data.len())?;
        let mut codes = vec![0u8; data.len()];
        encode_f32_into(data, &mut codes, rounding)?;
        Ok(Rf8Matrix {
            rows,
            cols,
            codes,
            name: None,
        })
    }

    /// Takes existing codes (row-major, `rows * cols` of them).
    pub fn from_codes(rows: usize, cols: usize, codes: Vec<u8>) -> Result<Rf8Matrix, KernelError> {
        check_len(rows, cols, codes.len())?;
        Ok(Rf8Matrix {
            rows,
            cols,
            codes,
            name: None,
        })
    }

    /// The same matrix with a name (a tensor's, say).
    pub fn with_name(mut self, name: impl Into<String>) -> Rf8Matrix {
        self.name = Some(name.into());
        self
    }

    /// Number of rows (outputs).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (inputs).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The codes, row-major.
    pub fn codes(&self) -> &[u8] {
        &self.codes
    }

    /// Row `i`'s codes.
    pub fn row(&self, i: usize) -> &[u8] {
        &self.codes[i * self.cols..(i + 1) * self.cols]
    }

    /// The name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Every weight decoded (exact in f32).
    pub fn to_f32(&self) -> Vec<f32> {
        let table = super::decode_f32();
        self.codes.iter().map(|&c| table[c as usize]).collect()
    }
}

pub(super) fn check_len(rows: usize, cols: usize, len: usize) -> Result<(), KernelError> {
    match rows.checked_mul(cols) {
        Some(n) if n == len => Ok(()),
        _ => Err(KernelError::Shape(format!(
            "a {rows} x {cols} matrix needs {} values, got {len}",
            rows.saturating_mul(cols)
        ))),
    }
}
