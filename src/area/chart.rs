//! Bar chart of LUT counts per design and device (SVG, plotters).

use plotters::prelude::*;

use super::AreaRow;

/// Writes a grouped bar chart of `rows` (LUTs, log scale) to `path`.
pub fn lut_chart(rows: &[AreaRow], path: &std::path::Path, title: &str) -> Result<(), String> {
    let mut designs: Vec<&str> = Vec::new();
    let mut devices: Vec<&str> = Vec::new();
    for r in rows {
        if !designs.contains(&r.design.as_str()) {
            designs.push(&r.design);
        }
        if !devices.contains(&r.device.as_str()) {
            devices.push(&r.device);
        }
    }
    let max = rows.iter().map(|r| r.luts).max().unwrap_or(1).max(1) as f64;
    let root = SVGBackend::new(path, (900, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let groups = designs.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..groups, (1f64..max * 2.0).log_scale())
        .map_err(|e| e.to_string())?;
    let names = designs.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(designs.len() * 2 + 1)
        .x_label_formatter(&move |x| crate::chart::category_label(&names, *x))
        .y_desc("LUTs (log scale)")
        .draw()
        .map_err(|e| e.to_string())?;
    let width = 0.8 / devices.len().max(1) as f64;
    for (k, device) in devices.iter().enumerate() {
        let color = Palette99::pick(k).to_rgba();
        let bars: Vec<_> = rows
            .iter()
            .filter(|r| r.device == *device)
            .filter_map(|r| {
                let i = designs.iter().position(|d| *d == r.design)? as f64;
                let x0 = i + 0.1 + k as f64 * width;
                Some(Rectangle::new(
                    [(x0, 1.0), (x0 + width * 0.95, r.luts.max(1) as f64)],
                    color.filled(),
                ))
            })
            .collect();
        chart
            .draw_series(bars)
            .map_err(|e| e.to_string())?
            .label(*device)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
