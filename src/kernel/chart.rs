//! Bar chart of the GEMV kernels' weight throughput (SVG, plotters).

use plotters::prelude::*;

use super::bench::Report;

/// Bars of weight GB/s per kernel, with the read bandwidth as a line.
pub fn throughput(r: &Report, path: &std::path::Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (720, 380)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let top = r
        .kernels
        .iter()
        .map(|k| k.gbs)
        .fold(r.bandwidth_gbs, f64::max)
        * 1.15;
    let names: Vec<&str> = r.kernels.iter().map(|k| k.name).collect();
    let n = names.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("GEMV {} x {}: weight bytes per second", r.rows, r.cols),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(35)
        .y_label_area_size(55)
        .build_cartesian_2d(0f64..n, 0f64..top)
        .map_err(|e| e.to_string())?;
    let labels = names.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(names.len() * 2 + 1)
        .x_label_formatter(&move |x| crate::chart::category_label(&labels, *x))
        .y_desc("GB/s")
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(r.kernels.iter().enumerate().map(|(i, k)| {
            let color = if k.name.starts_with("rf8") {
                BLUE
            } else {
                RGBColor(150, 150, 150)
            };
            Rectangle::new(
                [(i as f64 + 0.15, 0.0), (i as f64 + 0.85, k.gbs)],
                color.filled(),
            )
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(LineSeries::new(
            [(0.0, r.bandwidth_gbs), (n, r.bandwidth_gbs)],
            RED.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label("read bandwidth")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], RED));
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
