//! `rf8 bench`: the GEMV kernels against the read bandwidth and the INT8,
//! f16 and f32 baselines, in one run on the same data.

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rf8::kernel::bench::{run as run_bench, Config, Report};
use rf8::kernel::Isa;

use super::to_json;
use super::{Failure, Output};

#[derive(Args)]
pub struct BenchArgs {
    /// Output rows of the weight matrix
    #[arg(long, default_value_t = 8192, value_parser = super::count_usize)]
    rows: usize,
    /// Input columns of the weight matrix
    #[arg(long, default_value_t = 8192, value_parser = super::count_usize)]
    cols: usize,
    /// Worker threads for every kernel (default: all cores; at most 4 x cores)
    #[arg(long, value_parser = super::count_usize)]
    threads: Option<usize>,
    /// Timed runs per kernel (the best is reported, as STREAM does; at most 1000)
    #[arg(long, default_value_t = 7, value_parser = super::count_usize)]
    reps: usize,
    /// MiB read by the bandwidth probe (at least 4 x the last-level cache;
    /// default 1024, or that minimum where it is larger)
    #[arg(long, value_parser = super::count_usize)]
    probe_mib: Option<usize>,
    /// Instruction set of the RF8 and INT8 kernels: best, portable, avx2 or
    /// avx512 (to measure a path this CPU has but would not choose)
    #[arg(long, default_value = "best", value_parser = parse_isa)]
    isa: Isa,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

fn parse_isa(s: &str) -> Result<Isa, String> {
    Isa::from_name(s).ok_or_else(|| format!("'{s}': one of best, portable, avx2, avx512"))
}

pub fn run(args: &BenchArgs) -> Result<Output, Failure> {
    let cfg = Config {
        rows: args.rows,
        cols: args.cols,
        threads: args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        reps: args.reps,
        probe_bytes: match args.probe_mib {
            None => Config::default().probe_bytes,
            Some(mib) => mib.checked_mul(1 << 20).ok_or_else(|| {
                Failure::usage(format!(
                    "--probe-mib {mib}: more bytes than this machine can address"
                ))
            })?,
        },
        isa: args.isa,
        ..Config::default()
    };
    cfg.check().map_err(|e| Failure::usage(e.to_string()))?;
    let report = measure(&cfg, !args.json)?;
    if args.json {
        return to_json(&report).map(Output::from);
    }
    Ok(report.text().into())
}

/// Runs the bench with a spinner on stderr (when it is a terminal and
/// `show` is set).
pub fn measure(cfg: &Config, show: bool) -> Result<Report, Failure> {
    let bar = if show && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} bench: {msg} [{elapsed}]").expect("template"),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    } else {
        ProgressBar::hidden()
    };
    let progress = bar.clone();
    let report = run_bench(cfg, move |step| progress.set_message(step.to_string()))
        .map_err(|e| Failure::usage(e.to_string()))?;
    bar.finish_and_clear();
    Ok(report)
}
