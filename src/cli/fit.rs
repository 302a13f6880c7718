//! `rf8 fit`: generalized-Gaussian parameters of real weight tensors.

use std::path::PathBuf;

use clap::Args;
use rf8::stats::ggd::Ggd;
use rf8::tensors::{visit, Skipped};

use super::to_json;
use super::{Failure, Output};

#[derive(Args)]
pub struct FitArgs {
    /// A .safetensors or .npy file
    #[arg(long, value_name = "FILE")]
    pub tensor: PathBuf,
    /// Only tensors whose name matches this regular expression
    #[arg(long, value_name = "REGEX")]
    pub filter: Option<String>,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Row {
    name: String,
    count: u64,
    mu: Option<f64>,
    gamma: Option<f64>,
    beta: Option<f64>,
}

#[derive(serde::Serialize)]
struct Report {
    tensors: Vec<Row>,
    pooled: Row,
    skipped: Vec<Skipped>,
}

fn row(name: String, count: u64, g: Option<Ggd>) -> Row {
    Row {
        name,
        count,
        mu: g.map(|g| g.mu),
        gamma: g.map(|g| g.gamma),
        beta: g.map(|g| g.beta),
    }
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.6}"))
}

pub fn run(args: &FitArgs) -> Result<Output, Failure> {
    let re = rf8::tensors::filter(args.filter.as_deref()).map_err(Failure::usage)?;
    let fail = |e: rf8::tensors::TensorError| Failure::usage(e.to_string());
    // Pass 1: per-tensor fits and the pooled mean.
    let (mut rows, mut sum, mut count) = (Vec::new(), 0.0f64, 0u64);
    let mut empty = Vec::new();
    let mut skipped = visit(&args.tensor, re.as_ref(), |name, v| {
        let data: Vec<f64> = v
            .iter()
            .map(|&x| x as f64)
            .filter(|x| x.is_finite())
            .collect();
        if data.is_empty() {
            empty.push(rf8::tensors::Skipped::no_finite_values(name, v.len()));
            return;
        }
        sum += data.iter().sum::<f64>();
        count += data.len() as u64;
        rows.push(row(name.to_string(), data.len() as u64, Ggd::fit(&data)));
    })
    .map_err(fail)?;
    rf8::tensors::require_values(&args.tensor, rows.is_empty(), &empty).map_err(Failure::usage)?;
    skipped.extend(empty);
    // Pass 2: pooled moments around the pooled mean.
    let mu = sum / count.max(1) as f64;
    let (mut m1, mut m2) = (0.0, 0.0);
    visit(&args.tensor, re.as_ref(), |_, v| {
        for &x in v.iter().filter(|x| x.is_finite()) {
            let d = x as f64 - mu;
            m1 += d.abs();
            m2 += d * d;
        }
    })
    .map_err(fail)?;
    let n = count.max(1) as f64;
    let pooled = row(
        "(pooled)".into(),
        count,
        Ggd::from_moments(mu, m1 / n, m2 / n),
    );
    let report = Report {
        tensors: rows,
        pooled,
        skipped,
    };
    if args.json {
        return to_json(&report).map(Output::from);
    }
    let mut out = format!(
        "{:<48} {:>12} {:>12} {:>10} {:>12}\n",
        "tensor", "count", "mu", "gamma", "beta"
    );
    for r in report.tensors.iter().chain(std::iter::once(&report.pooled)) {
        out += &format!(
            "{:<48} {:>12} {:>12} {:>10} {:>12}\n",
            r.name,
            r.count,
            fmt(r.mu),
            fmt(r.gamma),
            fmt(r.beta)
        );
    }
    for s in &report.skipped {
        out += &format!("skipped {} ({})\n", s.name, s.dtype);
    }
    Ok(out.into())
}
