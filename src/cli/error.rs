//! `rf8 error`: what each format loses on generalized-Gaussian weights.

use clap::Args;
use rf8::catalog::{storage_by_name, STORAGE};
use rf8::formats::codec::Codec;
use rf8::stats::error::{measure, measure_file, ErrorStats};
use rf8::stats::ggd::{Ggd, PRESETS};
use rf8::stats::plot::Histogram;
use rf8::stats::products::{self, ProductStats};
use rf8::DESIGNS;

use super::to_json;
use super::{Failure, Output};

#[derive(Args)]
pub struct ErrorArgs {
    /// A preset of the paper's Table 1 (default: llama3-1b)
    #[arg(long, value_name = "PRESET", conflicts_with_all = ["gamma", "beta", "mu", "tensor"])]
    ggd: Option<String>,
    /// Real weights: a .safetensors (F32/F16/BF16) or .npy file
    #[arg(long, value_name = "FILE", conflicts_with_all = ["gamma", "beta", "mu", "products"])]
    tensor: Option<std::path::PathBuf>,
    /// With --tensor: only tensors whose name matches this regular expression
    #[arg(long, value_name = "REGEX", requires = "tensor")]
    filter: Option<String>,
    /// GGD shape (with --beta)
    #[arg(long, requires = "beta", value_parser = number)]
    gamma: Option<f64>,
    /// GGD scale (with --gamma)
    #[arg(long, requires = "gamma", value_parser = number)]
    beta: Option<f64>,
    /// GGD location (with --gamma and --beta)
    #[arg(long, requires = "gamma", value_parser = number)]
    mu: Option<f64>,
    /// Values drawn from the distribution (1000000 or 1e6; bounded by memory)
    #[arg(long, default_value_t = 1_000_000, value_parser = super::count_usize)]
    samples: usize,
    /// Seed of the draw
    #[arg(long, default_value_t = 1, value_parser = super::count)]
    seed: u64,
    /// Comma-separated storage formats (default: all of the catalogue)
    #[arg(long, value_name = "LIST")]
    formats: Option<String>,
    /// Measure the multipliers instead: weights from the GGD times
    /// activations, each format's product against the exact products
    #[arg(long)]
    products: bool,
    /// Measure y = W x instead: W (1024 columns, --samples weights) from the
    /// GGD, x from --activations, or every 2-D tensor of --tensor with x
    /// from N(0, 1); relative L2 error per format against f64
    #[arg(long, conflicts_with_all = ["products", "plot"])]
    matvec: bool,
    /// Activations for --products and --matvec: a standard normal, or the weights' GGD
    #[arg(long, value_enum, default_value = "normal")]
    activations: Activations,
    /// Write a histogram of the relative error per format (SVG) into DIR
    /// (pooled over the selected tensors for --tensor)
    #[arg(long, value_name = "DIR", conflicts_with = "products")]
    plot: Option<std::path::PathBuf>,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// Writes the histograms of `hists` into `dir`.
fn plots(dir: &std::path::Path, hists: &[Histogram], title: &str) -> Result<(), Failure> {
    rf8::stats::plot::write_all(dir, hists, title).map_err(|message| Failure {
        code: super::EXIT_USAGE,
        message,
    })
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A number; the leading space that `cli::run` puts before negative
/// numbers (so that clap does not take them for flags) is trimmed here.
fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("'{}' is not a number", text.trim()))
}

/// Bytes held per sample at once: the weights and activations in f64,
/// and the quantised copy and f32 forms of `--matvec`.
const BYTES_PER_SAMPLE: u128 = 32;

/// `--samples` of at least 1 whose arrays fit in memory.
fn check_samples(samples: usize) -> Result<(), Failure> {
    if samples == 0 {
        return Err(Failure::usage("--samples must be at least 1"));
    }
    rf8::limits::check_memory(
        &format!("--samples {samples}"),
        rf8::limits::bytes_for(samples as u128, BYTES_PER_SAMPLE, 0),
    )
    .map_err(|e| Failure::usage(e.to_string()))
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Activations {
    /// Standard normal (GGD with gamma 2, beta sqrt 2)
    Normal,
    /// The same GGD as the weights
    Ggd,
}

fn run_tensor(
    args: &ErrorArgs,
    path: &std::path::Path,
    formats: &[&'static dyn Codec],
) -> Result<Output, Failure> {
    let re = rf8::tensors::filter(args.filter.as_deref()).map_err(Failure::usage)?;
    let mut hists: Vec<Histogram> = match args.plot {
        Some(_) => formats.iter().map(|&f| Histogram::new(f)).collect(),
        None => Vec::new(),
    };
    let report = measure_file(path, re.as_ref(), formats, |data, row_len| {
        for h in hists.iter_mut() {
            h.add(data, row_len);
        }
    })
    .map_err(Failure::usage)?;
    if let Some(dir) = &args.plot {
        plots(dir, &hists, &format!("{} (pooled)", file_name(path)))?;
    }
    if args.json {
        return to_json(&report).map(Output::from);
    }
    let count: usize = report.tensors.iter().map(|t| t.count).sum();
    let header = format!(
        "source: {} ({} tensors, {count} values, pooled)",
        report.file,
        report.tensors.len()
    );
    let mut out = stats_table(&header, &report.formats);
    for s in &report.skipped {
        out += &format!("skipped {} ({})\n", s.name, s.dtype);
    }
    Ok(out.into())
}

#[derive(serde::Serialize)]
struct ProductReport {
    source: Source,
    activations: &'static str,
    multipliers: Vec<ProductStats>,
}

fn product_table(r: &ProductReport) -> String {
    let s = &r.source;
    format!(
        "weights: GGD {} (mu {}, gamma {}, beta {}); activations: {}; {} pairs, seed {}\n{}",
        s.name,
        s.mu,
        s.gamma,
        s.beta,
        r.activations,
        s.samples,
        s.seed,
        rf8::stats::render::product_table(&r.multipliers)
    )
}

#[derive(serde::Serialize)]
struct Source {
    kind: &'static str,
    name: String,
    mu: f64,
    gamma: f64,
    beta: f64,
    samples: usize,
    seed: u64,
}

#[derive(serde::Serialize)]
struct Report {
    source: Source,
    formats: Vec<ErrorStats>,
}

fn formats(list: Option<&str>) -> Result<Vec<&'static dyn Codec>, Failure> {
    let Some(list) = list else {
        return Ok(STORAGE.to_vec());
    };
    list.split(',')
        .map(|n| storage_by_name(n.trim()).map_err(|e| Failure::usage(e.to_string())))
        .collect()
}

fn distribution(args: &ErrorArgs) -> Result<(String, Ggd), Failure> {
    if let (Some(gamma), Some(beta)) = (args.gamma, args.beta) {
        let mu = args.mu.unwrap_or(0.0);
        if !(gamma > 0.0 && beta > 0.0 && gamma.is_finite() && beta.is_finite() && mu.is_finite()) {
            return Err(Failure::usage(
                "--gamma and --beta must be positive and finite",
            ));
        }
        // Weights are f32: a scale or location outside f32's normal range,
        // or a shape whose tails reach past it, would measure the limits
        // of f64 statistics rather than a format.
        if !((1e-30..=1e30).contains(&beta) && mu.abs() <= 1e30 && (0.1..=100.0).contains(&gamma)) {
            return Err(Failure::usage(
                "--beta must lie in [1e-30, 1e30], |--mu| at most 1e30 and --gamma in [0.1, 100] \
                 (weights are f32; Table 1's shapes lie in 0.42..1.69)",
            ));
        }
        return Ok(("custom".into(), Ggd { mu, gamma, beta }));
    }
    let name = args.ggd.clone().unwrap_or_else(|| "llama3-1b".into());
    Ggd::preset(&name)
        .map(|g| (name.clone(), g))
        .ok_or_else(|| {
            let valid: Vec<&str> = PRESETS.iter().map(|p| p.0).collect();
            Failure::usage(format!(
                "unknown GGD preset '{name}' (valid: {})",
                valid.join(", ")
            ))
        })
}

fn table(r: &Report) -> String {
    let s = &r.source;
    let header = format!(
        "source: GGD {} (mu {}, gamma {}, beta {}), {} samples, seed {}",
        s.name, s.mu, s.gamma, s.beta, s.samples, s.seed
    );
    stats_table(&header, &r.formats)
}

fn stats_table(header: &str, formats: &[ErrorStats]) -> String {
    format!("{header}\n{}", rf8::stats::render::error_table(formats))
}

pub fn run(args: &ErrorArgs) -> Result<Output, Failure> {
    let formats = formats(args.formats.as_deref())?;
    if let (Some(path), true) = (&args.tensor, args.matvec) {
        return matvec_tensor(args, path);
    }
    if let Some(path) = &args.tensor {
        return run_tensor(args, path, &formats);
    }
    let (name, ggd) = distribution(args)?;
    check_samples(args.samples)?;
    let mut rng = rf8::verify::vectors::rng(args.seed);
    let data = ggd.sample(&mut rng, args.samples);
    let source = Source {
        kind: "ggd",
        name: name.clone(),
        mu: ggd.mu,
        gamma: ggd.gamma,
        beta: ggd.beta,
        samples: args.samples,
        seed: args.seed,
    };
    if args.matvec {
        return matvec(args, source, ggd, &data, &mut rng);
    }
    if args.products {
        let (label, act) = activations(args.activations, ggd);
        let x = act.sample(&mut rng, args.samples);
        let report = ProductReport {
            source,
            activations: label,
            multipliers: DESIGNS
                .iter()
                .map(|m| products::measure(m, &data, &x))
                .collect(),
        };
        if args.json {
            return to_json(&report).map(Output::from);
        }
        return Ok(product_table(&report).into());
    }
    if let Some(dir) = &args.plot {
        let hists: Vec<Histogram> = formats.iter().map(|&f| Histogram::of(f, &data)).collect();
        plots(dir, &hists, &format!("GGD {name}"))?;
    }
    let report = Report {
        source: Source {
            kind: "ggd",
            name,
            mu: ggd.mu,
            gamma: ggd.gamma,
            beta: ggd.beta,
            samples: args.samples,
            seed: args.seed,
        },
        formats: formats.iter().map(|&f| measure(f, &data)).collect(),
    };
    if args.json {
        return to_json(&report).map(Output::from);
    }
    Ok(table(&report).into())
}

#[derive(serde::Serialize)]
struct MatvecReport {
    source: Source,
    activations: &'static str,
    rows: usize,
    cols: usize,
    formats: Vec<rf8::stats::matvec::MatvecError>,
}

/// Columns of the --matvec matrix (a typical hidden size's order).
const MATVEC_COLS: usize = 1024;

fn activations(kind: Activations, weights: Ggd) -> (&'static str, Ggd) {
    match kind {
        Activations::Normal => ("normal (0, 1)", Ggd::NORMAL),
        Activations::Ggd => ("the weights' GGD", weights),
    }
}

fn matvec(
    args: &ErrorArgs,
    source: Source,
    ggd: Ggd,
    data: &[f64],
    rng: &mut rand_chacha::ChaCha8Rng,
) -> Result<Output, Failure> {
    let cols = MATVEC_COLS;
    let rows = data.len() / cols;
    if rows == 0 {
        return Err(Failure::usage(format!(
            "--matvec needs --samples >= {cols}"
        )));
    }
    let (label, act) = activations(args.activations, ggd);
    let x = act.sample(rng, cols);
    let formats = rf8::stats::matvec::measure(rows, cols, &data[..rows * cols], &x)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let report = MatvecReport {
        source,
        activations: label,
        rows,
        cols,
        formats,
    };
    if args.json {
        return to_json(&report).map(Output::from);
    }
    let s = &report.source;
    let mut out = format!(
        "y = W x, W {rows} x {cols} from GGD {} (mu {}, gamma {}, beta {}), x {label}, seed {}\n",
        s.name, s.mu, s.gamma, s.beta, s.seed
    );
    out += &rf8::stats::render::matvec_table(&report.formats);
    Ok(out.into())
}

/// `--matvec --tensor`: y = W x for every selected 2-D tensor.
fn matvec_tensor(args: &ErrorArgs, path: &std::path::Path) -> Result<Output, Failure> {
    let re = rf8::tensors::filter(args.filter.as_deref()).map_err(Failure::usage)?;
    let report =
        rf8::stats::matvec::measure_file(path, re.as_ref(), args.seed).map_err(Failure::usage)?;
    let label = report.activations;
    if args.json {
        return to_json(&report).map(Output::from);
    }
    let mut out = format!(
        "y = W x for {} 2-D tensors of {}, x {label}, seed {} (pooled)\n",
        report.tensors.len(),
        report.file,
        args.seed
    );
    out += &rf8::stats::render::matvec_table(&report.formats);
    if !report.not_matrices.is_empty() {
        out += &format!("not 2-D, left out: {}\n", report.not_matrices.len());
    }
    Ok(out.into())
}
