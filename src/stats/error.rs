//! Error measures of one format on one set of values, computed on all
//! cores.

use super::quantize::{fold, SAMPLE_ROW};
use crate::formats::codec::Codec;

/// How much a format loses on a set of values.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ErrorStats {
    pub format: &'static str,
    /// Values measured.
    pub count: u64,
    /// Root mean square error.
    pub rmse: f64,
    /// RMSE divided by the RMS of the values.
    pub relative_rmse: f64,
    /// Signal to quantisation noise ratio, dB.
    pub sqnr_db: f64,
    /// Mean |q - x| / |x| over non-zero inputs.
    pub mean_rel_error: f64,
    /// Largest |q - x| / |x| over non-zero inputs.
    pub max_rel_error: f64,
    /// Fraction of non-zero inputs stored as zero.
    pub flushed: f64,
    /// Fraction of inputs beyond the format's range (clipped).
    pub saturated: f64,
    /// Storage per value.
    pub bits_per_value: f64,
}

#[derive(Clone, Copy, Default)]
struct Acc {
    n: u64,
    nonzero: u64,
    err2: f64,
    sig2: f64,
    rel: f64,
    rel_max: f64,
    flushed: u64,
    saturated: u64,
}

impl Acc {
    fn merge(self, o: Acc) -> Acc {
        Acc {
            n: self.n + o.n,
            nonzero: self.nonzero + o.nonzero,
            err2: self.err2 + o.err2,
            sig2: self.sig2 + o.sig2,
            rel: self.rel + o.rel,
            rel_max: self.rel_max.max(o.rel_max),
            flushed: self.flushed + o.flushed,
            saturated: self.saturated + o.saturated,
        }
    }
}

/// Error of one format accumulated over one or more tensors (each with
/// its own scales, for the scaled formats).
#[derive(Clone, Copy)]
pub struct ErrorTally {
    codec: &'static dyn Codec,
    acc: Acc,
    /// Scales stored so far.
    groups: usize,
}

impl ErrorTally {
    /// An empty accumulator for `codec`.
    pub fn new(codec: &'static dyn Codec) -> ErrorTally {
        ErrorTally {
            codec,
            acc: Acc::default(),
            groups: 0,
        }
    }

    /// The format measured.
    pub fn codec(&self) -> &'static dyn Codec {
        self.codec
    }

    /// Quantises one tensor (rows of `row_len` values) and adds its error.
    pub fn add(&mut self, data: &[f64], row_len: usize) {
        let (acc, groups) = fold(
            self.codec,
            data,
            row_len,
            Acc::default,
            |a, x, r| {
                let e = r.value - x;
                a.n += 1;
                a.err2 += e * e;
                a.sig2 += x * x;
                a.flushed += r.flushed as u64;
                a.saturated += r.saturated as u64;
                if x != 0.0 {
                    let rel = (e / x).abs();
                    a.nonzero += 1;
                    a.rel += rel;
                    a.rel_max = a.rel_max.max(rel);
                }
            },
            Acc::merge,
        );
        self.acc = self.acc.merge(acc);
        self.groups += groups;
    }

    /// Adds what `other` (same format) has accumulated, e.g. one tensor's
    /// accumulator into a pooled one.
    pub fn merge(&mut self, other: &ErrorTally) {
        debug_assert_eq!(self.codec.name(), other.codec.name());
        self.acc = self.acc.merge(other.acc);
        self.groups += other.groups;
    }

    /// The measures so far.
    pub fn stats(&self) -> ErrorStats {
        let acc = self.acc;
        let n = acc.n.max(1) as f64;
        ErrorStats {
            format: self.codec.name(),
            count: acc.n,
            rmse: (acc.err2 / n).sqrt(),
            relative_rmse: (acc.err2 / acc.sig2.max(f64::MIN_POSITIVE)).sqrt(),
            sqnr_db: 10.0 * (acc.sig2 / acc.err2.max(f64::MIN_POSITIVE)).log10(),
            mean_rel_error: acc.rel / acc.nonzero.max(1) as f64,
            max_rel_error: acc.rel_max,
            flushed: acc.flushed as f64 / acc.nonzero.max(1) as f64,
            saturated: acc.saturated as f64 / n,
            bits_per_value: self.codec.bits_per_value(acc.n as usize, self.groups),
        }
    }
}

/// Quantises `data` (drawn from a distribution: rows of [`SAMPLE_ROW`])
/// into `codec` and measures the error.
pub fn measure(codec: &'static dyn Codec, data: &[f64]) -> ErrorStats {
    let mut a = ErrorTally::new(codec);
    a.add(data, SAMPLE_ROW);
    a.stats()
}

/// The row length of a tensor of this shape: its last dimension (a 1-D
/// tensor is one row).
pub fn row_len(shape: &[usize], count: usize) -> usize {
    shape
        .last()
        .copied()
        .filter(|&n| n > 0)
        .unwrap_or(count.max(1))
}

/// One tensor's errors.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TensorErrors {
    pub name: String,
    pub count: usize,
    pub formats: Vec<ErrorStats>,
}

/// The errors of every selected tensor of a file, and pooled.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileErrors {
    pub file: String,
    /// Pooled over all selected tensors (each with its own scale).
    pub formats: Vec<ErrorStats>,
    pub tensors: Vec<TensorErrors>,
    pub skipped: Vec<crate::tensors::Skipped>,
}

/// Quantises every F32/F16/BF16 tensor of `path` whose name matches
/// `filter` into each of `formats`, with rows along its last dimension
/// (non-finite values left out), and
/// measures the error per tensor and pooled; `each` sees every tensor's
/// values too (for histograms). Errors are one line naming the file.
pub fn measure_file(
    path: &std::path::Path,
    filter: Option<&regex::Regex>,
    formats: &[&'static dyn Codec],
    mut each: impl FnMut(&[f64], usize),
) -> Result<FileErrors, String> {
    let mut pooled: Vec<ErrorTally> = formats.iter().map(|&f| ErrorTally::new(f)).collect();
    let mut tensors = Vec::new();
    let mut empty = Vec::new();
    let mut skipped = crate::tensors::visit_shaped(path, filter, |name, shape, v| {
        let data: Vec<f64> = v
            .iter()
            .map(|&x| x as f64)
            .filter(|x| x.is_finite())
            .collect();
        if data.is_empty() {
            empty.push(crate::tensors::Skipped::no_finite_values(name, v.len()));
            return;
        }
        let mut entry = TensorErrors {
            name: name.to_string(),
            count: data.len(),
            formats: Vec::new(),
        };
        let row = row_len(shape, data.len());
        for acc in pooled.iter_mut() {
            let mut one = ErrorTally::new(acc.codec());
            one.add(&data, row);
            entry.formats.push(one.stats());
            acc.merge(&one);
        }
        each(&data, row);
        tensors.push(entry);
    })
    .map_err(|e| e.to_string())?;
    crate::tensors::require_values(path, tensors.is_empty(), &empty)?;
    skipped.extend(empty);
    Ok(FileErrors {
        file: path.display().to_string(),
        formats: pooled.iter().map(ErrorTally::stats).collect(),
        tensors,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::rf8::codec::{RF8_NEAREST, RF8_TRUNCATE};

    /// On values already in the format, every measure is exactly zero.
    #[test]
    fn representable_values_have_no_error() {
        let data: Vec<f64> = crate::Rf8::all().map(|c| c.to_f64()).collect();
        let s = measure(&RF8_TRUNCATE, &data);
        assert_eq!(
            (s.rmse, s.max_rel_error, s.flushed, s.saturated),
            (0.0, 0.0, 0.0, 0.0)
        );
        assert_eq!(s.count, 256);
    }

    /// RF8 truncation's worst case is just under 25% (m -> 2 becomes 1.5).
    #[test]
    fn rf8_truncation_error_is_bounded() {
        let data: Vec<f64> = (1..20_000).map(|i| 0.01 + i as f64 * 1e-4).collect();
        let s = measure(&RF8_TRUNCATE, &data);
        assert!(
            s.max_rel_error < 0.25 && s.max_rel_error > 0.24,
            "{}",
            s.max_rel_error
        );
        let n = measure(&RF8_NEAREST, &data);
        assert!(n.rmse < s.rmse);
        // Nearest's worst case: m = 1.8125 goes up to 2.125, +17.2%.
        assert!(
            n.max_rel_error <= 0.3125 / 1.8125 + 1e-12,
            "{}",
            n.max_rel_error
        );
    }
}
