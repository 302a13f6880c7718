//! `rf8 prove`: formal equivalence of each unit's netlists, pipelined
//! variants and specification model (see `rf8::prove`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use rf8::area::Device;
use rf8::prove::obligation::{self, Kinds, Obligation};
use rf8::prove::{render, Proof, Verdict};
use rf8::unit::Unit;

use super::to_json;
use super::DeviceArg;
use super::{Failure, Output};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Each mapped netlist against the generated RTL
    Netlist,
    /// Each pipelined variant against the combinational unit, delayed
    Pipeline,
    /// Each dot-product unit against the specification model
    Spec,
}

#[derive(Args)]
pub struct ProveArgs {
    #[arg(long = "design", visible_alias = "unit", value_name = "NAME", help = super::DESIGN_HELP)]
    designs: Vec<String>,
    /// Device family of the netlists (repeatable; default: ice40 and ecp5)
    #[arg(long = "device", value_enum, value_name = "DEVICE")]
    devices: Vec<DeviceArg>,
    /// Synthesis recipe of the netlists (repeatable, as for `rf8 area`) [default: all]
    #[arg(long = "recipe", value_name = "NAME|all")]
    recipes: Vec<String>,
    /// Netlists synthesised with DSP / multiplier blocks allowed
    #[arg(long)]
    dsp: bool,
    /// Only these kinds of obligation (repeatable; default: all three)
    #[arg(long = "only", value_enum, value_name = "KIND")]
    only: Vec<KindArg>,
    /// Seconds the solver may spend on one obligation before it is
    /// reported unknown
    #[arg(long, default_value_t = rf8::prove::DEFAULT_TIMEOUT_SECS, value_parser = rf8::tools::parse_timeout)]
    timeout: u64,
    /// Print JSON
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    user: super::RtlArgs,
}

pub fn run(args: &ProveArgs) -> Result<Output, Failure> {
    let units = Unit::select(&args.designs).map_err(|e| Failure::usage(e.to_string()))?;
    for (tool, package) in [("yosys", "yosys"), (rf8::prove::abc::ABC, "yosys")] {
        rf8::sim::require(tool, package).map_err(|e| Failure::usage(e.to_string()))?;
    }
    if let Some(user) = args.user.user_rtl(args.designs.len())? {
        if !args.only.is_empty() || !args.devices.is_empty() || !args.recipes.is_empty() || args.dsp
        {
            return Err(Failure::usage(
                "--only, --device, --recipe and --dsp choose the generated units' obligations; with --rtl the one obligation is your design = the generated one",
            ));
        }
        return prove_user(args, &units[0], user);
    }
    let devices: Vec<Device> = if args.devices.is_empty() {
        vec![Device::Ice40, Device::Ecp5]
    } else {
        args.devices.iter().map(|&d| d.into()).collect()
    };
    let kind = |k| args.only.is_empty() || args.only.contains(&k);
    let kinds = Kinds {
        netlist: kind(KindArg::Netlist),
        pipeline: kind(KindArg::Pipeline),
        spec: kind(KindArg::Spec),
    };
    let recipes = if kinds.netlist {
        super::chosen_recipes(&args.recipes, &devices)?
    } else {
        Vec::new()
    };
    let plan = obligation::plan(&units, &devices, &recipes, args.dsp, kinds);
    if plan.is_empty() {
        return Err(Failure::usage(
            "nothing to prove: the units chosen have no obligation of the kinds chosen \
             (MAC units have none yet; a unit without pipeline stages has no pipeline obligation)",
        ));
    }
    let limit = Duration::from_secs(args.timeout);
    let proofs = prove_all(&plan, limit);
    finish(args, &proofs)
}

/// `rf8 prove --design NAME --rtl FILE...`: the user's design against the
/// generated one.
fn prove_user(
    args: &ProveArgs,
    unit: &Unit,
    user: rf8::verify::UserRtl,
) -> Result<Output, Failure> {
    let opts = rf8::verify::Options {
        user: Some(user),
        latency: args.user.latency()?,
        ..rf8::verify::Options::default()
    };
    eprintln!(
        "rf8 prove: your {} against the generated one, {} s at most",
        unit.name(),
        args.timeout
    );
    let proof = rf8::prove::user::prove(unit, &opts, Duration::from_secs(args.timeout))
        .map_err(Failure::usage)?;
    finish(args, &[proof])
}

/// The table (or JSON) and the exit code: 1 when any obligation has a
/// counterexample.
fn finish(args: &ProveArgs, proofs: &[Proof]) -> Result<Output, Failure> {
    let failed = proofs
        .iter()
        .any(|p| matches!(p.verdict, Verdict::Counterexample(_)));
    let text = if args.json {
        to_json(&proofs)?
    } else {
        format!(
            "{}\n{}{}\n",
            render::table(proofs).text(),
            render::details(proofs),
            render::summary(proofs)
        )
    };
    Ok(Output {
        text,
        code: if failed { super::EXIT_CHECK } else { 0 },
    })
}

/// Runs every obligation (in parallel), with a progress line each.
fn prove_all(plan: &[Obligation], limit: Duration) -> Vec<Proof> {
    eprintln!(
        "rf8 prove: {} obligations, {} s each at most, on {} threads",
        plan.len(),
        limit.as_secs(),
        rayon::current_num_threads()
    );
    let done = AtomicUsize::new(0);
    plan.par_iter()
        .map(|o| {
            let proof = match o.run(limit) {
                Ok(p) => rf8::prove::replay::attach(o, p),
                Err(reason) => obligation::not_posed(o, reason),
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            eprintln!(
                "rf8 prove: [{n}/{}] {} {}: {} ({:.2} s)",
                plan.len(),
                proof.unit,
                proof.obligation,
                proof.verdict.word(),
                proof.seconds
            );
            proof
        })
        .collect()
}
