//! Histograms of the signed relative quantisation error, one SVG per
//! format (plotters).

use std::path::Path;

use plotters::prelude::*;

use super::quantize::{Format, Quantizer};

/// Range of the histogram: signed relative error (q - x) / x. Values
/// outside (flushed to zero: -1) fall into the end bins.
pub const RANGE: (f64, f64) = (-0.3, 0.3);
/// Number of bins.
pub const BINS: usize = 120;

/// Counts of (q - x) / x over the non-zero values of `data`.
pub fn histogram(format: Format, data: &[f64]) -> Vec<u64> {
    let q = Quantizer::new(format, data);
    let mut bins = vec![0u64; BINS];
    let width = (RANGE.1 - RANGE.0) / BINS as f64;
    for &x in data.iter().filter(|x| **x != 0.0) {
        let r = (q.quantize(x).value - x) / x;
        let i = ((r - RANGE.0) / width)
            .floor()
            .clamp(0.0, (BINS - 1) as f64) as usize;
        bins[i] += 1;
    }
    bins
}

/// Writes the histogram of `format` on `data` to `dir/relerr-<format>.svg`
/// (through a temporary file); returns the path.
pub fn write(
    dir: &Path,
    format: Format,
    data: &[f64],
    title: &str,
) -> Result<std::path::PathBuf, String> {
    let bins = histogram(format, data);
    let total = bins.iter().sum::<u64>().max(1) as f64;
    let path = dir.join(format!("relerr-{}.svg", format.name()));
    let draw = |tmp: &Path| -> Result<(), String> {
        let root = SVGBackend::new(tmp, (640, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = bins.iter().map(|&b| b as f64 / total).fold(0.0, f64::max) * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{} : {title}", format.name()), ("sans-serif", 16))
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

    #[test]
    fn histogram_counts_every_non_zero_value() {
        let data: Vec<f64> = (1..10_000).map(|i| i as f64 * 1e-3).collect();
        let h = histogram(Format::Rf8Truncate, &data);
        assert_eq!(h.iter().sum::<u64>(), 9_999);
        // Truncation never rounds up by more than 6.25%.
        let width = (RANGE.1 - RANGE.0) / BINS as f64;
        let above = ((0.0625 - RANGE.0) / width).ceil() as usize;
        assert_eq!(h[above + 1..].iter().sum::<u64>(), 0);
    }
}
