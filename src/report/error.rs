//! Step `error`: what each format loses on the paper's 15 Table-1
//! distributions, in the multipliers' products, in y = W x, and on the
//! user's tensor file when one is given.

use crate::catalog::STORAGE;
use crate::stats::error::{measure, measure_file, ErrorStats};
use crate::stats::ggd::{Ggd, PRESETS};
use crate::stats::plot::Histogram;
use crate::stats::{matvec, products};
use crate::DESIGNS;
use indicatif::ProgressBar;

use super::{Ctx, Results, StepFail, StepOut};
use crate::table::{fixed, Table};

/// One preset: its parameters and each format's error.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PresetRow {
    pub preset: &'static str,
    pub ggd: Ggd,
    pub formats: Vec<ErrorStats>,
}

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let samples = if ctx.quick { 100_000 } else { 1_000_000 };
    let mut problems = Vec::new();
    let mut md = format!(
        "Generalized-Gaussian weights (spec section 6), {samples} samples per preset, seed 1, \
         quantised into each format (docs/error.md says how).\n\n"
    );
    // Presets.
    for &(name, mu, gamma, beta) in PRESETS {
        bar.set_message(name.to_string());
        let g = Ggd { mu, gamma, beta };
        let data = g.sample(&mut crate::verify::vectors::rng(1), samples);
        results.presets.push(PresetRow {
            preset: name,
            ggd: g,
            formats: STORAGE.iter().map(|&f| measure(f, &data)).collect(),
        });
    }
    md += &format!(
        "SQNR in dB, all {} rows of the paper's Table 1:\n\n{}\n",
        results.presets.len(),
        preset_table(&results.presets, |s| fixed(Some(s.sqnr_db), 2)).markdown()
    );
    md += &format!(
        "Mean relative error over non-zero weights, % (flushed weights count as 100%):\n\n{}\n",
        preset_table(&results.presets, |s| fixed(
            Some(100.0 * s.mean_rel_error),
            2
        ))
        .markdown()
    );
    let mut long = Table::new(&[
        "preset",
        "format",
        "rmse",
        "relative_rmse",
        "sqnr_db",
        "mean_rel_error",
        "max_rel_error",
        "flushed",
        "saturated",
        "bits_per_value",
    ]);
    for r in &results.presets {
        for s in &r.formats {
            long.push(vec![
                r.preset.into(),
                s.format.into(),
                format!("{:e}", s.rmse),
                format!("{:e}", s.relative_rmse),
                format!("{}", s.sqnr_db),
                format!("{}", s.mean_rel_error),
                format!("{}", s.max_rel_error),
                format!("{}", s.flushed),
                format!("{}", s.saturated),
                format!("{}", s.bits_per_value),
            ]);
        }
    }
    ctx.write("error_presets.csv", &long.csv())?;
    md += "CSV with every measure: [`error_presets.csv`](error_presets.csv).\n\n";

    // Histograms on llama3-1b.
    bar.set_message("histograms");
    let llama = Ggd::preset("llama3-1b").expect("built in");
    let data = llama.sample(&mut crate::verify::vectors::rng(1), samples);
    std::fs::create_dir_all(ctx.out.join("error"))
        .map_err(|e| ctx.fail(format!("cannot create error/: {e}")))?;
    md += "Relative error (q - x) / x on `llama3-1b`:\n\n";
    for &f in STORAGE {
        let h = Histogram::of(f, &data);
        let name = format!("error/relerr-{}.svg", f.name());
        h.write(&ctx.out.join("error"), "GGD llama3-1b")
            .map_err(|e| ctx.fail(format!("cannot draw {name}: {e}")))?;
        md += &format!("![{}]({name}) ", f.name());
    }
    md += "\n\n";

    // Products.
    bar.set_message("products");
    let x = Ggd::NORMAL.sample(&mut crate::verify::vectors::rng(2), samples);
    results.products = DESIGNS
        .iter()
        .map(|m| products::measure(m, &data, &x))
        .collect();
    let mut pt = Table::new(&[
        "multiplier",
        "datapath rel. RMSE",
        "datapath mean rel.",
        "end-to-end SQNR dB",
        "end-to-end mean rel.",
    ]);
    for p in &results.products {
        pt.push(vec![
            format!("`{}`", p.design),
            format!("{:.3e}", p.datapath_rel_rmse),
            format!("{:.3e}", p.datapath_mean_rel),
            fixed(Some(p.end_to_end_sqnr_db), 2),
            format!("{:.3e}", p.end_to_end_mean_rel),
        ]);
    }
    ctx.write("error_products.csv", &pt.csv())?;
    md += &format!(
        "The multipliers' own error: `llama3-1b` weights times N(0, 1) activations, each \
         product against the exact product of the decoded operands (datapath) and of the \
         original reals (end to end). CSV: [`error_products.csv`](error_products.csv).\n\n{}\n",
        pt.markdown()
    );

    // y = W x.
    bar.set_message("matvec");
    let mut mt = Table::new(&["format", "llama3-1b rel. L2", "gemma3-2b rel. L2"]);
    let mut mv = Vec::new();
    for name in ["llama3-1b", "gemma3-2b"] {
        let g = Ggd::preset(name).expect("built in");
        let cols = 1024;
        let rows = (samples / cols).max(1);
        let w = g.sample(&mut crate::verify::vectors::rng(1), rows * cols);
        let x = Ggd::NORMAL.sample(&mut crate::verify::vectors::rng(2), cols);
        let r = matvec::measure(rows, cols, &w, &x).map_err(|e| ctx.fail(e.to_string()))?;
        mv.push((name, rows, r));
    }
    for (i, f) in mv[0].2.iter().enumerate() {
        mt.push(vec![
            f.format.into(),
            format!("{:.3e}", f.relative_l2),
            format!("{:.3e}", mv[1].2[i].relative_l2),
        ]);
    }
    ctx.write("error_matvec.csv", &mt.csv())?;
    md += &format!(
        "y = W x ({} x 1024 weights from the preset, x from N(0, 1)), relative L2 error against \
         the f64 product of the originals. CSV: [`error_matvec.csv`](error_matvec.csv).\n\n{}\n",
        mv[0].1,
        mt.markdown()
    );

    // The user's tensors.
    let mut tensor_json = serde_json::Value::Null;
    if let Some(path) = &ctx.tensor {
        bar.set_message("tensor file");
        match measure_file(path, None, STORAGE, |_, _| {}) {
            Ok(file) => {
                let (count, stats) = (file.tensors.len(), file.formats);
                let mut t = Table::new(&["format", "SQNR dB", "mean rel. %", "flushed %"]);
                for s in &stats {
                    t.push(vec![
                        s.format.into(),
                        fixed(Some(s.sqnr_db), 2),
                        fixed(Some(100.0 * s.mean_rel_error), 2),
                        fixed(Some(100.0 * s.flushed), 3),
                    ]);
                }
                ctx.write("error_tensor.csv", &t.csv())?;
                md += &format!(
                    "`{}`: {count} tensors, pooled (each tensor with its own scale). CSV: \
                     [`error_tensor.csv`](error_tensor.csv).\n\n{}\n",
                    path.display(),
                    t.markdown()
                );
                tensor_json = serde_json::json!({ "file": path.display().to_string(), "tensors": count, "formats": stats });
                match matvec::measure_file(path, None, 1) {
                    Ok(m) => {
                        let mut t = Table::new(&["format", "rel. L2 (pooled)"]);
                        for f in &m.formats {
                            t.push(vec![f.format.into(), format!("{:.3e}", f.relative_l2)]);
                        }
                        ctx.write("error_tensor_matvec.csv", &t.csv())?;
                        md += &format!(
                            "y = W x on its {} 2-D tensors (x from N(0, 1)). CSV: \
                             [`error_tensor_matvec.csv`](error_tensor_matvec.csv).\n\n{}\n",
                            m.tensors.len(),
                            t.markdown()
                        );
                        tensor_json["matvec"] = serde_json::to_value(&m).unwrap_or_default();
                    }
                    Err(e) => problems.push(e),
                }
            }
            Err(e) => problems.push(e),
        }
    }
    Ok(StepOut {
        markdown: md,
        json: serde_json::json!({
            "samples": samples,
            "presets": results.presets,
            "products": results.products,
            "matvec": mv.iter().map(|(n, rows, r)| serde_json::json!({"preset": n, "rows": rows, "cols": 1024, "formats": r})).collect::<Vec<_>>(),
            "tensor": tensor_json,
        }),
        problems,
    })
}

/// One row per preset, one column per format, `cell` of each measure.
fn preset_table(rows: &[PresetRow], cell: impl Fn(&ErrorStats) -> String) -> Table {
    let mut header = vec!["preset", "mu", "gamma", "beta"];
    header.extend(STORAGE.iter().map(|f| f.name()));
    let mut t = Table::new(&header);
    for r in rows {
        let g = &r.ggd;
        let mut row = vec![format!("`{}`", r.preset)];
        row.extend([g.mu, g.gamma, g.beta].iter().map(|v| format!("{v}")));
        row.extend(r.formats.iter().map(&cell));
        t.push(row);
    }
    t
}
