//! `rf8 verify`: simulate the Verilog (generated, or the user's own) and
//! compare it with the references.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use rf8::formats::minifloat::Rounding as FloatRounding;
use rf8::sim::source::Source;
use rf8::sim::Simulator;
use rf8::unit::Unit;
use rf8::verify::cause::NanPolicy;
use rf8::verify::{render, verify_unit, Options, UnitOutcome, VerifyError};
use rf8::Design;

use super::to_json;
use super::{Failure, Output};

#[derive(Clone, Copy, ValueEnum)]
pub enum SimulatorArg {
    /// Verilator (compiled, fast; the default)
    Verilator,
    /// Icarus Verilog (an independent second simulator; four-state, so X
    /// outputs show)
    Icarus,
    /// Both, on the same vectors, and their outputs compared
    Both,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum NanArg {
    /// Only the format's canonical NaN code (spec section 4)
    Canonical,
    /// Any quiet NaN, any sign and payload (IEEE 754)
    Quiet,
    /// Any NaN code
    Any,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoundingArg {
    Rne,
    Rtz,
    Rdn,
    Rup,
    Rmm,
}

impl RoundingArg {
    fn mode(self) -> FloatRounding {
        match self {
            RoundingArg::Rne => FloatRounding::NearestEven,
            RoundingArg::Rtz => FloatRounding::TowardZero,
            RoundingArg::Rdn => FloatRounding::Down,
            RoundingArg::Rup => FloatRounding::Up,
            RoundingArg::Rmm => FloatRounding::NearestAway,
        }
    }
}

#[derive(Args)]
pub struct VerifyArgs {
    #[arg(long = "design", visible_alias = "unit", value_name = "NAME", help = super::DESIGN_HELP)]
    designs: Vec<String>,
    #[command(flatten)]
    user: super::RtlArgs,
    /// Clock cycles the reset is held
    #[arg(long, default_value_t = rf8::verify::RESET_CYCLES, value_parser = super::count_usize)]
    reset_cycles: usize,
    /// Which NaN codes are right where the reference result is NaN
    #[arg(long, value_enum, default_value = "canonical")]
    nan: NanArg,
    /// IEEE rounding mode of the reference, for a design built for another
    /// one (fp16_mul, bf16_mul, fp8_e4m3_mul, fp8_e5m2_mul): rne (to
    /// nearest, ties to even), rtz (toward zero), rdn (down), rup (up), rmm
    /// (to nearest, ties away)
    #[arg(long, value_enum, default_value = "rne")]
    rounding: RoundingArg,
    /// Check the design's IEEE exception flags too: its flag output (a port
    /// or a part of one, e.g. status_o or fflags[4:0]), compared with
    /// SoftFloat's flags (tininess after rounding)
    #[arg(long, value_name = "PORT")]
    flags: Option<String>,
    /// The flags of --flags from its most significant bit down, any subset in
    /// any order [default: nv,dz,of,uf,nx, as RISC-V's fflags and FPnew]
    #[arg(long, value_name = "ORDER")]
    flag_order: Option<String>,
    /// Write every mismatch (up to --max-mismatches) to this CSV file; its
    /// first columns (a,b,expected) are a --vectors-file
    #[arg(long, value_name = "FILE.csv")]
    mismatches: Option<PathBuf>,
    /// Mismatches kept for --mismatches (all are counted)
    #[arg(long, default_value_t = 1_000_000, value_parser = super::count_usize)]
    max_mismatches: usize,
    /// Simulate the pairs of this file instead of the default set: TestFloat's
    /// `a b result flags`, or `a b [expected]` (hex)
    #[arg(long, value_name = "FILE")]
    vectors_file: Option<PathBuf>,
    /// Simulate one pair and show the reference's datapath steps beside the
    /// design's output
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    replay: Vec<String>,
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
    /// Pipeline depth of the generated design (y is read N cycles after a, b);
    /// with --rtl, the top <design>_p<N> and a latency of N
    #[arg(long, default_value_t = 0)]
    pipeline: usize,
    /// Copies of a multiplier Verilator evaluates per step (1..64): fewer
    /// build faster, which matters for a large netlist (not a dot-product
    /// unit's lanes; --lanes is an old name)
    #[arg(long, alias = "lanes", default_value_t = rf8::sim::verilator::COPIES, value_parser = super::count_usize)]
    copies: usize,
    /// Headroom H of the fixed-point dot-product units (12, 20 or 28)
    #[arg(long, default_value_t = rf8::designs::dot::DEFAULT_HEADROOM)]
    headroom: u32,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
}

/// Verification that could not run (bad input, a missing, broken or hung
/// tool): exit code 2. Mismatches are a result, with exit code 1.
fn failure(e: VerifyError) -> Failure {
    Failure::usage(e.to_string())
}

fn replay_pair(args: &VerifyArgs, d: &Design) -> Result<Option<(u16, u16)>, Failure> {
    let [a, b] = args.replay.as_slice() else {
        return Ok(None);
    };
    let code = |t: &str| rf8::verify::vectors_file::code(t, d.width()).map_err(Failure::usage);
    Ok(Some((code(a)?, code(b)?)))
}

/// The simulators `--simulator` names.
fn simulators(args: &VerifyArgs) -> Vec<Simulator> {
    match args.simulator {
        SimulatorArg::Verilator => vec![Simulator::Verilator],
        SimulatorArg::Icarus => vec![Simulator::Icarus],
        SimulatorArg::Both => vec![Simulator::Verilator, Simulator::Icarus],
    }
}

fn json_value<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(value).map_err(|e| Failure {
        code: super::EXIT_USAGE,
        message: format!("cannot serialise JSON: {e}"),
    })
}

/// The version of `rf8 verify --json`'s document: one object with the
/// multipliers' and the dot-product units' outcomes, whatever was
/// selected (version 1 printed a bare array per kind).
pub const JSON_SCHEMA: u32 = 2;

/// The options of the command line, checked against the units.
fn options(args: &VerifyArgs, units: &[Unit]) -> Result<Options, Failure> {
    let mut user = args.user.user_rtl(args.designs.len())?;
    match (&mut user, &args.flags) {
        (Some(u), Some(f)) => u.request.flags = Some(f.clone()),
        (None, Some(_)) => {
            return Err(Failure::usage(
                "--flags reads the flag output of your own design: give it with --rtl FILE or -f FILELIST",
            ))
        }
        _ => {}
    }
    let one = |what: &str| -> Result<(), Failure> {
        if units.len() != 1 {
            return Err(Failure::usage(format!("{what} need exactly one --design")));
        }
        Ok(())
    };
    if args.mismatches.is_some() || !args.replay.is_empty() || args.vectors_file.is_some() {
        one("--mismatches, --replay and --vectors-file")?;
    }
    let replay = match units {
        [Unit::Mul(m)] => replay_pair(args, m)?,
        [u] if !args.replay.is_empty() => {
            return Err(Failure::usage(format!(
                "--replay: for multipliers only ({} is a {})",
                u.name(),
                u.kind()
            )));
        }
        _ => None,
    };
    let opts = Options {
        exhaustive: args.exhaustive,
        vectors: args.vectors,
        seed: args.seed,
        simulators: simulators(args),
        pipeline: args.pipeline,
        user,
        latency: args.user.latency()?,
        reset_cycles: args.reset_cycles,
        nan: match args.nan {
            NanArg::Canonical => NanPolicy::Canonical,
            NanArg::Quiet => NanPolicy::Quiet,
            NanArg::Any => NanPolicy::Any,
        },
        max_mismatches: args.max_mismatches,
        vectors_file: args.vectors_file.clone(),
        pairs: replay.map(|p| vec![p]),
        progress: !args.json,
        copies: args.copies,
        headroom: args.headroom,
        flag_order: args.flag_order.clone(),
    };
    // Units named with an option they do not take are refused; with no
    // --design the multipliers take them and the units run as usual.
    let mut extra = opts.multiplier_only();
    if args.mismatches.is_some() {
        extra.push("--mismatches");
    }
    if !args.designs.is_empty()
        && units.iter().any(|u| u.as_multiplier().is_none())
        && !extra.is_empty()
    {
        return Err(Failure::usage(format!(
            "{}: for multipliers only (dot-product and MAC units take --rtl, -I, -D, -f, --top, --vectors, --seed, --headroom, --simulator, --json; dot-product units also --pipeline)",
            extra.join(", ")
        )));
    }
    opts.check(units).map_err(failure)?;
    Ok(opts)
}

/// Refuses `--mismatches` where it would overwrite an input, or cannot be
/// written.
fn check_mismatches_file(args: &VerifyArgs, opts: &Options) -> Result<(), Failure> {
    let Some(path) = &args.mismatches else {
        return Ok(());
    };
    let mut inputs: Vec<&std::path::Path> = opts
        .user
        .iter()
        .flat_map(|u| &u.sources.files)
        .filter_map(|f| match f {
            Source::File(p) => Some(p.as_path()),
            Source::Text { .. } => None,
        })
        .collect();
    inputs.extend(args.vectors_file.as_deref());
    let unwritable = |e: std::io::Error| Failure::usage(format!("--mismatches: {e}"));
    rf8::fsutil::refuse_same(path, &inputs).map_err(unwritable)?;
    rf8::fsutil::target(path).map_err(unwritable)?;
    Ok(())
}

pub fn run(args: &VerifyArgs) -> Result<Output, Failure> {
    let mut units = Unit::select(&args.designs).map_err(|e| Failure::usage(e.to_string()))?;
    let rounding = args.rounding.mode();
    if rounding != FloatRounding::NearestEven {
        for u in &mut units {
            if let Unit::Mul(m) = u {
                *m = rf8::catalog::with_rounding(m, rounding)
                    .map_err(|e| Failure::usage(format!("--rounding: {e}")))?;
            }
        }
    }
    let opts = options(args, &units)?;
    check_mismatches_file(args, &opts)?;
    // Every name is checked, and a missing simulator reported, before the
    // first progress line.
    for m in units.iter().filter_map(Unit::as_multiplier) {
        rf8::verify::prepare(m, &opts).map_err(failure)?;
    }
    for sim in &opts.simulators {
        let tools: &[(&'static str, &'static str)] = match sim {
            Simulator::Verilator => &[("verilator", "verilator")],
            Simulator::Icarus => &[("iverilog", "iverilog"), ("vvp", "iverilog")],
        };
        for &(tool, package) in tools {
            rf8::sim::require(tool, package).map_err(|e| failure(e.into()))?;
        }
    }
    let mut outcomes: Vec<(UnitOutcome, Unit)> = Vec::new();
    for u in &units {
        if !args.json {
            eprintln!("rf8 verify: {} ...", u.name());
        }
        outcomes.push((verify_unit(u, &opts).map_err(failure)?, *u));
    }
    if let (Some(path), [(UnitOutcome::Multiplier(o), Unit::Mul(m))]) =
        (&args.mismatches, outcomes.as_slice())
    {
        let rows: Vec<(&str, &[rf8::verify::Mismatch])> = o
            .reports
            .iter()
            .map(|r| (r.simulator.name(), r.list.as_slice()))
            .collect();
        rf8::fsutil::write_atomic(path, render::mismatches_csv(&rows, m.reference))
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
    }
    let failed = outcomes.iter().any(|(o, _)| o.failed());
    let text = if args.json {
        let (mut muls, mut dots) = (Vec::new(), Vec::new());
        for (o, _) in &outcomes {
            match o {
                UnitOutcome::Multiplier(o) => muls.push(json_value(o)?),
                UnitOutcome::Dot(o) => dots.push(json_value(o)?),
            }
        }
        to_json(&serde_json::json!({
            "schema_version": JSON_SCHEMA,
            "multipliers": muls,
            "dot_units": dots,
        }))?
    } else if let (Some((a, b)), [(UnitOutcome::Multiplier(o), Unit::Mul(m))]) = (
        opts.pairs.as_ref().and_then(|p| p.first()),
        outcomes.as_slice(),
    ) {
        render::replay(o, m, *a as u32, *b as u32)
    } else {
        render::summary(&outcomes, args.mismatches.as_deref(), args.max_mismatches)
    };
    Ok(Output {
        text,
        code: if failed { super::EXIT_CHECK } else { 0 },
    })
}
