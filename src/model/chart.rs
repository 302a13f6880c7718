//! The model step's chart: one row per format (its bits per weight in the
//! label), recall@10 and the mean cosine to f32 along the value axis (SVG,
//! plotters). A scatter against bits would pile ten 8-bit formats into one
//! column; rows keep every format readable.

use plotters::prelude::*;

use super::eval::Evaluation;

/// `rf8-truncate (8 b)`, `int8 (8.06 b)`.
fn label(format: &str, bits: f64) -> String {
    let b = format!("{bits:.2}");
    let b = b.trim_end_matches('0').trim_end_matches('.');
    format!("{format} ({b} b)")
}

/// The left end of the value axis: a tenth below the lowest value.
fn axis_start(values: impl Iterator<Item = f64>) -> f64 {
    let low = values.fold(1.0f64, f64::min);
    (((low - 0.02) * 10.0).floor() / 10.0).clamp(0.0, 0.9)
}

/// Writes the chart of `e` to `path`.
pub fn draw(e: &Evaluation, path: &std::path::Path) -> Result<(), String> {
    let rows: Vec<_> = e.rows.iter().filter(|r| r.format != "f32").collect();
    let n = rows.len();
    let height = 90 + 26 * n as u32;
    let root = SVGBackend::new(path, (820, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|x| x.to_string())?;
    let start = axis_start(rows.iter().flat_map(|r| [r.recall_at_10, r.cos_mean]));
    // Rows top-down in table order: row i sits at y = n - i - 0.5.
    let names: Vec<String> = rows
        .iter()
        .rev()
        .map(|r| label(r.format, r.bits_per_value))
        .collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "{} sentences: agreement with f32 per format (bits per weight)",
                e.sentences
            ),
            ("sans-serif", 17),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(200)
        .build_cartesian_2d(start..1.005f64, 0f64..n as f64)
        .map_err(|x| x.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(2 * n + 1)
        .y_label_formatter(&|y| crate::chart::category_label(&name_refs, *y))
        .x_desc(format!(
            "recall@{} of the f32 neighbours (dots), mean cosine to f32 (crosses)",
            e.neighbours
        ))
        .draw()
        .map_err(|x| x.to_string())?;
    let color = |format: &str| {
        if format.starts_with("rf8") {
            BLUE
        } else {
            RGBColor(90, 90, 90)
        }
    };
    let y = |i: usize| n as f64 - i as f64 - 0.5;
    chart
        .draw_series(
            rows.iter()
                .enumerate()
                .map(|(i, r)| Circle::new((r.recall_at_10, y(i)), 5, color(r.format).filled())),
        )
        .map_err(|x| x.to_string())?;
    chart
        .draw_series(
            rows.iter()
                .enumerate()
                .map(|(i, r)| Cross::new((r.cos_mean, y(i)), 5, color(r.format).stroke_width(2))),
        )
        .map_err(|x| x.to_string())?;
    root.present().map_err(|x| x.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_and_axis() {
        assert_eq!(super::label("int8", 8.0625), "int8 (8.06 b)");
        assert_eq!(super::label("rf8-truncate", 8.0), "rf8-truncate (8 b)");
        assert_eq!(super::label("mxfp4", 4.25), "mxfp4 (4.25 b)");
        assert!((super::axis_start([0.62, 0.99].into_iter()) - 0.6).abs() < 1e-12);
        assert_eq!(super::axis_start([0.999].into_iter()), 0.9);
    }
}
