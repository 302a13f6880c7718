//! `rf8 error`: what each format loses on generalized-Gaussian weights.

use clap::Args;
use rf8::catalog::{storage_by_name, STORAGE};
use rf8::formats::codec::Codec;
use rf8::stats::error::{measure, measure_file};
use rf8::stats::plot::Histogram;
use rf8::stats::products;
use rf8::stats::study::{
    distribution, Activations, ErrorReport, MatvecReport, ProductReport, Source,
};
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
    activations: ActivationsArg,
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
pub enum ActivationsArg {
    /// Standard normal (GGD with gamma 2, beta sqrt 2)
    Normal,
    /// The same GGD as the weights
    Ggd,
}

impl From<ActivationsArg> for Activations {
    fn from(a: ActivationsArg) -> Activations {
        match a {
            ActivationsArg::Normal => Activations::Normal,
            ActivationsArg::Ggd => Activations::SameAsWeights,
        }
    }
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
    let mut out = format!(
        "{header}\n{}",
        rf8::stats::render::error_table(&report.formats)
    );
    for s in &report.skipped {
        out += &format!("skipped {} ({})\n", s.name, s.dtype);
    }
    Ok(out.into())
}

fn formats(list: Option<&str>) -> Result<Vec<&'static dyn Codec>, Failure> {
    let Some(list) = list else {
        return Ok(STORAGE.to_vec());
    };
    list.split(',')
        .map(|n| storage_by_name(n.trim()).map_err(|e| Failure::usage(e.to_string())))
        .collect()
}

pub fn run(args: &ErrorArgs) -> Result<Output, Failure> {
    let formats = formats(args.formats.as_deref())?;
    if let (Some(path), true) = (&args.tensor, args.matvec) {
        return matvec_tensor(args, path);
    }
    if let Some(path) = &args.tensor {
        return run_tensor(args, path, &formats);
    }
    let custom = args.gamma.zip(args.beta).map(|(g, b)| (g, b, args.mu));
    let (name, ggd) = distribution(args.ggd.as_deref(), custom).map_err(Failure::usage)?;
    check_samples(args.samples)?;
    let mut rng = rf8::verify::vectors::rng(args.seed);
    let data = ggd.sample(&mut rng, args.samples);
    let source = Source::ggd(&name, ggd, args.samples, args.seed);
    let (label, act) = Activations::from(args.activations).distribution(ggd);
    let print = |json: Result<String, Failure>, text: String| -> Result<Output, Failure> {
        if args.json {
            json.map(Output::from)
        } else {
            Ok(text.into())
        }
    };
    if args.matvec {
        let cols = MATVEC_COLS;
        let rows = data.len() / cols;
        if rows == 0 {
            return Err(Failure::usage(format!(
                "--matvec needs --samples >= {cols}"
            )));
        }
        let x = act.sample(&mut rng, cols);
        let formats = rf8::stats::matvec::measure(rows, cols, &data[..rows * cols], &x)
            .map_err(|e| Failure::usage(e.to_string()))?;
        let report = MatvecReport {
            source,
            activations: label,
            rows,
            cols,
            formats,
        };
        return print(to_json(&report), report.text());
    }
    if args.products {
        let x = act.sample(&mut rng, args.samples);
        let report = ProductReport {
            source,
            activations: label,
            multipliers: DESIGNS
                .iter()
                .map(|m| products::measure(m, &data, &x))
                .collect(),
        };
        return print(to_json(&report), report.text());
    }
    if let Some(dir) = &args.plot {
        let hists: Vec<Histogram> = formats.iter().map(|&f| Histogram::of(f, &data)).collect();
        plots(dir, &hists, &format!("GGD {name}"))?;
    }
    let report = ErrorReport {
        source,
        formats: formats.iter().map(|&f| measure(f, &data)).collect(),
    };
    print(to_json(&report), report.text())
}

/// Columns of the --matvec matrix (a typical hidden size's order).
const MATVEC_COLS: usize = 1024;

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
