//! Histograms of the signed relative quantisation error, one SVG per
//! format (plotters).

use std::path::Path;

use plotters::prelude::*;

use super::quantize::{quantize_all, SAMPLE_ROW};
use crate::formats::codec::Codec;

/// Range of the histogram: signed relative error (q - x) / x. Values
/// outside (flushed to zero: -1) fall into the end bins.
pub const RANGE: (f64, f64) = (-0.3, 0.3);
/// Number of bins.
pub const BINS: usize = 120;

/// Counts of the signed relative error of one format, over one or more
/// tensors (each quantised with its own scale).
#[derive(Clone)]
pub struct Histogram {
    codec: &'static dyn Codec,
    bins: Vec<u64>,
}

impl Histogram {
    /// An empty histogram for `format`.
    pub fn new(codec: &'static dyn Codec) -> Histogram {
        Histogram {
            codec,
            bins: vec![0; BINS],
        }
    }

    /// The histogram of `codec` on values drawn from a distribution
    /// (rows of [`SAMPLE_ROW`]).
    pub fn of(codec: &'static dyn Codec, data: &[f64]) -> Histogram {
        let mut h = Histogram::new(codec);
        h.add(data, SAMPLE_ROW);
        h
    }

    /// The counts per bin.
    pub fn bins(&self) -> &[u64] {
        &self.bins
    }

    /// Quantises one tensor (rows of `row_len`) and counts (q - x) / x over
    /// its non-zero values.
    pub fn add(&mut self, data: &[f64], row_len: usize) {
        let q = quantize_all(self.codec, data, row_len);
        let width = (RANGE.1 - RANGE.0) / BINS as f64;
        for (&x, &v) in data.iter().zip(&q).filter(|(x, _)| **x != 0.0) {
            let r = (v - x) / x;
            let i = ((r - RANGE.0) / width)
                .floor()
                .clamp(0.0, (BINS - 1) as f64) as usize;
            self.bins[i] += 1;
        }
    }

    /// Writes the histogram to `dir/relerr-<format>.svg` (through a
    /// temporary file); returns the path.
    pub fn write(&self, dir: &Path, title: &str) -> Result<std::path::PathBuf, String> {
        draw(dir, self.codec.name(), &self.bins, title)
    }
}

/// Creates `dir` and writes each histogram of `hists` into it; the error
/// names the directory.
pub fn write_all(dir: &Path, hists: &[Histogram], title: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for h in hists {
        h.write(dir, title)
            .map_err(|e| format!("cannot draw into {}: {e}", dir.display()))?;
    }
    Ok(())
}

fn draw(dir: &Path, format: &str, bins: &[u64], title: &str) -> Result<std::path::PathBuf, String> {
    let total = bins.iter().sum::<u64>().max(1) as f64;
    let path = dir.join(format!("relerr-{format}.svg"));
    let draw = |tmp: &Path| -> Result<(), String> {
        let root = SVGBackend::new(tmp, (640, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = bins.iter().map(|&b| b as f64 / total).fold(0.0, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{format} : {title}"), ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(50)
            .build_cartesian_2d(RANGE.0..RANGE.1, 0.0..top.max(1e-6))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("relative error (q - x) / x")
            .y_desc("fraction of values")
            .draw()
            .map_err(|e| e.to_string())?;
        let width = (RANGE.1 - RANGE.0) / BINS as f64;
        chart
            .draw_series(bins.iter().enumerate().map(|(i, &b)| {
                let x0 = RANGE.0 + i as f64 * width;
                Rectangle::new(
                    [(x0, 0.0), (x0 + width, b as f64 / total)],
                    BLUE.mix(0.7).filled(),
                )
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())
    };
    crate::fsutil::replace_with(&path, |tmp| draw(tmp).map_err(std::io::Error::other))
        .map_err(|e| e.to_string())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::rf8::codec::{RF8_NEAREST, RF8_TRUNCATE};

    /// Adding two halves counts exactly what one pass over the whole does
    /// (an unscaled format: the halves need no scale of their own).
    #[test]
    fn histograms_pool_across_tensors() {
        let data: Vec<f64> = (1..10_000).map(|i| (i as f64 * 0.37).sin() * 0.1).collect();
        let whole = Histogram::of(&RF8_NEAREST, &data);
        let mut parts = Histogram::new(&RF8_NEAREST);
        parts.add(&data[..4_000], SAMPLE_ROW);
        parts.add(&data[4_000..], SAMPLE_ROW);
        assert_eq!(whole.bins(), parts.bins());
        assert!(whole.bins().iter().filter(|&&b| b > 0).count() > 10);
    }

    #[test]
    fn histogram_counts_every_non_zero_value() {
        let data: Vec<f64> = (1..10_000).map(|i| i as f64 * 1e-3).collect();
        let h = Histogram::of(&RF8_TRUNCATE, &data);
        let h = h.bins();
        assert_eq!(h.iter().sum::<u64>(), 9_999);
        // Truncation never rounds up by more than 6.25%.
        let width = (RANGE.1 - RANGE.0) / BINS as f64;
        let above = ((0.0625 - RANGE.0) / width).ceil() as usize;
        assert_eq!(h[above + 1..].iter().sum::<u64>(), 0);
    }
}
