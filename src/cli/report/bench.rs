//! Step `bench`: the GEMV kernels against the read bandwidth and the f32
//! and f16 baselines (`rf8 bench`).

use indicatif::ProgressBar;
use plotters::prelude::*;
use rf8::kernel::bench::{run as run_bench, Config, Report};

use super::md::{fixed, Table};
use super::{Ctx, Results, StepFail, StepOut};

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cfg = if ctx.quick {
        Config {
            rows: 2048,
            cols: 2048,
            threads,
            reps: 3,
            probe_bytes: 256 << 20,
            seed: 1,
        }
    } else {
        Config {
            threads,
            ..Config::default()
        }
    };
    let b = bar.clone();
    let r = run_bench(&cfg, move |step| b.set_message(step.to_string()))
        .map_err(|e| ctx.fail(e.to_string()))?;
    ctx.log(format!("{r:?}"));
    let t = table(&r);
    ctx.write("bench.csv", &t.csv())?;
    ctx.svg("bench.svg", |p| chart(&r, p))?;
    let markdown = format!(
        "GEMV y = W x, W {} x {} from the `llama3-1b` GGD, {} threads, RF8 kernels on {}; read \
         bandwidth {} GB/s (a STREAM-like sum over {} MiB). Best of {} runs; docs/kernel.md \
         explains the kernels. CSV: [`bench.csv`](bench.csv).\n\n{}\n![GEMV throughput](bench.svg)\n",
        r.rows,
        r.cols,
        r.threads,
        r.isa,
        fixed(Some(r.bandwidth_gbs), 2),
        cfg.probe_bytes >> 20,
        cfg.reps,
        t.markdown()
    );
    let json = serde_json::to_value(&r).unwrap_or_default();
    results.bench = Some(r);
    Ok(StepOut {
        markdown,
        json,
        problems: Vec::new(),
    })
}

pub fn table(r: &Report) -> Table {
    let mut t = Table::new(&[
        "kernel",
        "ms",
        "GB/s",
        "% of read bandwidth",
        "vs f32",
        "vs f16",
    ]);
    for k in &r.kernels {
        t.push(vec![
            format!("`{}`", k.name),
            fixed(Some(k.seconds * 1e3), 3),
            fixed(Some(k.gbs), 2),
            fixed(Some(100.0 * k.fraction_of_bandwidth), 1),
            fixed(Some(k.speedup_vs_f32), 2),
            fixed(Some(k.speedup_vs_f16), 2),
        ]);
    }
    t
}

/// Bars of weight GB/s per kernel, with the read bandwidth as a line.
fn chart(r: &Report, path: &std::path::Path) -> Result<(), String> {
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
        .x_label_formatter(&move |x| {
            let i = (*x - 0.5).round();
            if (x - 0.5 - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                labels[i as usize].to_string()
            } else {
                String::new()
            }
        })
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
