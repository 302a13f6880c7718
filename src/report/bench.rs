//! Step `bench`: the GEMV kernels against the read bandwidth and the INT8,
//! f16 and f32 baselines (`rf8 bench`).

use crate::kernel::bench::{run as run_bench, Config, Report};
use indicatif::ProgressBar;

use super::{Ctx, Results, StepFail, StepOut};
use crate::table::{fixed, Table};

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cfg = if ctx.quick {
        Config {
            rows: 2048,
            cols: 2048,
            threads,
            reps: 3,
            probe_bytes: crate::kernel::bench::probe_bytes_at_least(256 << 20),
            ..Config::default()
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
    ctx.svg("bench.svg", |p| crate::kernel::chart::throughput(&r, p))?;
    let markdown = format!(
        "GEMV y = W x, W {} x {} from the `llama3-1b` GGD, {} threads on {} ({}), RF8 and INT8 \
         kernels on {}; read bandwidth {} GB/s (a STREAM-like sum over {} MiB). Best of {} runs; \
         docs/kernel.md explains the kernels and the baselines.{} CSV: \
         [`bench.csv`](bench.csv).\n\n{}\n![GEMV throughput](bench.svg)\n",
        r.rows,
        r.cols,
        r.threads,
        r.cpu,
        r.cpu_flags.join(" "),
        r.isa,
        fixed(Some(r.bandwidth_gbs), 2),
        cfg.probe_bytes >> 20,
        cfg.reps,
        in_cache_note(&r),
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

/// A warning where the RF8 weights fit in the last-level cache: the
/// kernels then run from the cache, and their percentages of the read
/// bandwidth (of DRAM) say nothing.
fn in_cache_note(r: &Report) -> String {
    let bytes = (r.rows * r.cols) as u64;
    match crate::limits::last_level_cache() {
        Some(llc) if bytes <= llc => format!(
            " The RF8 weights ({}) fit in this CPU's {} last-level cache, so these figures \
             measure the kernels' compute more than the memory: the percentages of the read \
             bandwidth can exceed 100.",
            crate::limits::human_bytes(bytes.into()),
            crate::limits::human_bytes(llc.into())
        ),
        _ => String::new(),
    }
}

pub fn table(r: &Report) -> Table {
    let mut t = Table::new(&[
        "kernel",
        "ms",
        "G weights/s",
        "GB/s",
        "% of read bandwidth",
        "vs int8",
        "vs f16",
        "vs f32",
        "computed by",
    ]);
    for k in &r.kernels {
        t.push(vec![
            format!("`{}`", k.name),
            fixed(Some(k.seconds * 1e3), 3),
            fixed(Some(k.gweights), 2),
            fixed(Some(k.gbs), 2),
            fixed(Some(100.0 * k.fraction_of_bandwidth), 1),
            fixed(Some(k.speedup_vs_int8), 2),
            fixed(Some(k.speedup_vs_f16), 2),
            fixed(Some(k.speedup_vs_f32), 2),
            k.implementation.clone(),
        ]);
    }
    t
}
