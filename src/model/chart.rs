//! The model step's chart: recall@10 and mean cosine to f32 per format
//! against its bits per weight (SVG, plotters).

use plotters::prelude::*;

use super::eval::Evaluation;

/// Vertical room of one label, in the chart's y units per pixel-free
/// fraction of the axis.
const LABEL_GAP: f64 = 0.045;

/// Label positions: each point's label at its own height, moved down
/// where it would overlap the label above it in the same column of
/// points (8-bit formats crowd one column).
fn label_heights(points: &[(f64, f64)], span: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[b].1.total_cmp(&points[a].1));
    let mut y = vec![0.0; points.len()];
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for i in order {
        let (x, mut h) = points[i];
        for &(px, py) in &placed {
            if (px / x).log2().abs() < 0.3 && h > py - LABEL_GAP * span {
                h = py - LABEL_GAP * span;
            }
        }
        placed.push((x, h));
        y[i] = h;
    }
    y
}

/// Writes the chart of `e` to `path`.
pub fn draw(e: &Evaluation, path: &std::path::Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (820, 520)).into_drawing_area();
    root.fill(&WHITE).map_err(|x| x.to_string())?;
    let rows: Vec<_> = e.rows.iter().filter(|r| r.format != "f32").collect();
    let low = rows
        .iter()
        .map(|r| r.recall_at_10.min(r.cos_mean))
        .fold(1.0f64, f64::min);
    let bottom = ((low - 0.05) * 10.0).floor() / 10.0;
    let bottom = bottom.clamp(0.0, 0.9) - 0.25 * (1.0 - bottom.clamp(0.0, 0.9));
    let span = 1.02 - bottom;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Model level: {} sentences, neighbours and cosine against f32",
                e.sentences
            ),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d((3.5f64..40.0).log_scale(), bottom..1.02)
        .map_err(|x| x.to_string())?;
    chart
        .configure_mesh()
        .x_desc("bits per weight (log scale)")
        .y_desc(format!(
            "recall@{} (dots), mean cosine (crosses)",
            e.neighbours
        ))
        .x_label_formatter(&|x| format!("{x:.0}"))
        .draw()
        .map_err(|x| x.to_string())?;
    let color = |format: &str| {
        if format.starts_with("rf8") {
            BLUE
        } else if format.contains('_') {
            RGBColor(0, 130, 0)
        } else {
            RGBColor(90, 90, 90)
        }
    };
    chart
        .draw_series(rows.iter().map(|r| {
            Cross::new(
                (r.bits_per_value, r.cos_mean),
                5,
                color(r.format).stroke_width(2),
            )
        }))
        .map_err(|x| x.to_string())?;
    chart
        .draw_series(rows.iter().map(|r| {
            Circle::new(
                (r.bits_per_value, r.recall_at_10),
                5,
                color(r.format).filled(),
            )
        }))
        .map_err(|x| x.to_string())?;
    let points: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (r.bits_per_value, r.recall_at_10))
        .collect();
    let heights = label_heights(&points, span);
    chart
        .draw_series(rows.iter().zip(&heights).map(|(r, &h)| {
            Text::new(
                r.format.to_string(),
                (r.bits_per_value * 1.06, h),
                ("sans-serif", 13).into_font().color(&color(r.format)),
            )
        }))
        .map_err(|x| x.to_string())?;
    root.present().map_err(|x| x.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn crowded_labels_move_apart() {
        let h = super::label_heights(&[(8.0, 0.95), (8.0, 0.951), (16.0, 0.95), (8.25, 0.8)], 1.0);
        assert_eq!(h[1], 0.951);
        assert!((h[0] - (0.951 - super::LABEL_GAP)).abs() < 1e-12);
        assert_eq!(h[2], 0.95, "another column keeps its height");
        assert_eq!(h[3], 0.8);
    }
}
