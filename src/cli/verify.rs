//! `rf8 verify`: simulate the Verilog and compare it with the references.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use rf8::exact::exact_decimal;
use rf8::sim::Simulator;
use rf8::verify::{verify, Options, Report, VerifyError};

use super::code::to_json;
use super::gen::selected;
use super::{Failure, Output};

#[derive(Clone, Copy, ValueEnum)]
pub enum SimulatorArg {
    /// Verilator (compiled, fast; the default)
    Verilator,
    /// Icarus Verilog (an independent second simulator)
    Icarus,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// Design to verify (repeatable; default: every design of the catalogue)
    #[arg(long = "design", value_name = "NAME")]
    designs: Vec<String>,
    /// Verify this Verilog file instead of the generated one; it must hold a
    /// module named after the single --design (or <name>_p<N> with --pipeline)
    #[arg(long, value_name = "FILE")]
    rtl: Option<PathBuf>,
    /// Every pair of the 16-bit designs too (2^32 pairs each; designs with at
    /// most 2^20 pairs are always simulated on every pair)
    #[arg(long)]
    exhaustive: bool,
    /// Seeded random pairs added to each 16-bit design's directed catalogue
    /// (1000000 or 1e6; at most 2^32)
    #[arg(long, default_value_t = 1_000_000, value_parser = super::count)]
    vectors: u64,
    /// Seed of the random pairs
    #[arg(long, default_value_t = 1, value_parser = super::count)]
    seed: u64,
    /// Simulator
    #[arg(long, value_enum, default_value = "verilator")]
    simulator: SimulatorArg,
    /// Pipeline depth of the design (y is read N cycles after a, b)
    #[arg(long, default_value_t = 0)]
    pipeline: usize,
    /// Print a JSON array instead of text
    #[arg(long)]
    json: bool,
}

/// Verification that could not run (bad input, a missing, broken or hung
/// tool): exit code 2. Mismatches are a result, with exit code 1.
fn failure(e: VerifyError) -> Failure {
    Failure::usage(e.to_string())
}

fn value(v: f64) -> String {
    exact_decimal(v)
}

fn text(r: &Report, width: u32, out_width: u32) -> String {
    let digits = width.div_ceil(4) as usize;
    let ydigits = out_width.div_ceil(4) as usize;
    let scope = if r.exhaustive {
        "all pairs"
    } else {
        "vector set"
    };
    let mut out = format!(
        "{} ({}, {}, {}): {} pairs ({scope}), {} mismatches, {:.1} M pairs/s, {:.2} s (+{:.1} s build)\n",
        r.design,
        r.module,
        r.simulator.name(),
        r.rtl,
        r.pairs,
        r.mismatches,
        r.pairs_per_second / 1e6,
        r.seconds,
        r.build_seconds
    );
    for c in &r.counterexamples {
        let exact = c.exact_product.map_or("-".to_string(), value);
        out += &format!(
            "  a = {:#0w$x} ({}), b = {:#0w$x} ({}): rtl {:#0wy$x} ({}), reference {:#0wy$x} ({}), exact product {exact}\n",
            c.a,
            value(c.a_value),
            c.b,
            value(c.b_value),
            c.got,
            value(c.got_value),
            c.expected,
            value(c.expected_value),
            w = digits + 2,
            wy = ydigits + 2,
        );
    }
    out
}

pub fn run(args: &VerifyArgs) -> Result<Output, Failure> {
    let designs = selected(&args.designs)?;
    if args.rtl.is_some() && args.designs.len() != 1 {
        return Err(Failure::usage(
            "--rtl needs exactly one --design: the design the file implements",
        ));
    }
    let opts = Options {
        exhaustive: args.exhaustive,
        vectors: args.vectors,
        seed: args.seed,
        simulator: match args.simulator {
            SimulatorArg::Verilator => Simulator::Verilator,
            SimulatorArg::Icarus => Simulator::Icarus,
        },
        pipeline: args.pipeline,
        rtl: args.rtl.clone(),
        progress: !args.json,
    };
    opts.check(&designs).map_err(failure)?;
    // A missing simulator is reported before the first progress line.
    let tools: &[(&'static str, &'static str)] = match opts.simulator {
        Simulator::Verilator => &[("verilator", "verilator")],
        Simulator::Icarus => &[("iverilog", "iverilog"), ("vvp", "iverilog")],
    };
    for &(tool, package) in tools {
        rf8::sim::require(tool, package).map_err(|e| failure(e.into()))?;
    }
    let mut reports = Vec::new();
    let mut out = String::new();
    for m in designs {
        if !args.json {
            eprintln!("rf8 verify: {} ...", m.name());
        }
        let r = verify(m, &opts).map_err(failure)?;
        out += &text(&r, m.width(), m.out_width());
        reports.push(r);
    }
    let bad = reports.iter().any(|r| r.mismatches > 0);
    let text = if args.json {
        to_json(&reports)?
    } else {
        let total: u64 = reports.iter().map(|r| r.pairs).sum();
        let mism: u64 = reports.iter().map(|r| r.mismatches).sum();
        let verdict = if bad { "FAIL" } else { "PASS" };
        format!(
            "{out}{verdict}: {} designs, {total} pairs, {mism} mismatches\n",
            reports.len()
        )
    };
    Ok(Output {
        text,
        code: if bad { super::EXIT_CHECK } else { 0 },
    })
}
