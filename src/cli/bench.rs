//! `rf8 bench`: the GEMV kernels against the read bandwidth and the f32
//! and f16 baselines, in one run on the same data.

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rf8::kernel::bench::{run as run_bench, Config, Report};

use super::code::to_json;
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
    /// Print JSON
    #[arg(long)]
    json: bool,
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
        ..Config::default()
    };
    cfg.check().map_err(|e| Failure::usage(e.to_string()))?;
    let report = measure(&cfg, !args.json)?;
    if args.json {
        return to_json(&report).map(Output::from);
    }
    Ok(table(&report).into())
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

/// The kernel table as text.
pub fn table(r: &Report) -> String {
    let mut out = format!(
        "GEMV {} x {}, {} threads, RF8 kernels on {}; read bandwidth {:.2} GB/s\n",
        r.rows, r.cols, r.threads, r.isa, r.bandwidth_gbs
    );
    out += &format!(
        "{:<16} {:>10} {:>9} {:>11} {:>9} {:>9}\n",
        "kernel", "ms", "GB/s", "% of bw", "vs f32", "vs f16"
    );
    for k in &r.kernels {
        out += &format!(
            "{:<16} {:>10.3} {:>9.2} {:>10.1}% {:>8.2}x {:>8.2}x\n",
            k.name,
            k.seconds * 1e3,
            k.gbs,
            100.0 * k.fraction_of_bandwidth,
            k.speedup_vs_f32,
            k.speedup_vs_f16
        );
    }
    out
}
