//! `rf8 area`: synthesis (and optionally place and route) of the designs.

use std::path::PathBuf;

use clap::Args;
use rf8::area::{chart, plan, run_all, AreaError, Device, Job};
use rf8::sim::SimError;

use super::to_json;
use super::DeviceArg;
use super::{Failure, Output};
use rf8::unit::Unit;

#[derive(Args)]
pub struct AreaArgs {
    /// Device family (repeatable; default: all four)
    #[arg(long = "device", value_enum, value_name = "DEVICE")]
    devices: Vec<DeviceArg>,
    #[arg(long = "design", visible_alias = "unit", value_name = "NAME", help = super::DESIGN_HELP)]
    designs: Vec<String>,
    /// Synthesis recipe (repeatable): default, abc9, nocarry (iCE40),
    /// nowidelut (ECP5, Xilinx, Gowin), yowasp-default, yowasp-nocarry,
    /// yowasp-nowidelut, or all [default: all]
    #[arg(long = "recipe", value_name = "NAME|all")]
    recipes: Vec<String>,
    /// Skip checking each mapped netlist (its AIG) against the reference
    #[arg(long)]
    no_check: bool,
    /// Seconds to spend proving each checked netlist equal to the RTL
    /// (0: only verdicts kept from earlier proofs, and the 8-bit
    /// multipliers, which enumerate in milliseconds; `rf8 prove` proves the rest)
    #[arg(long, default_value_t = 0, value_name = "SECS")]
    prove_timeout: u64,
    /// Pipeline depth of the designs
    #[arg(long, default_value_t = 0)]
    pipeline: usize,
    /// Let synthesis use DSP / multiplier blocks (default: logic only)
    #[arg(long)]
    dsp: bool,
    /// Place and route on iCE40 (and ECP5 where nextpnr-ecp5 exists) for Fmax
    #[arg(long)]
    pnr: bool,
    /// Print a JSON array
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV
    #[arg(long)]
    csv: bool,
    /// Also write a bar chart of the LUT counts (SVG)
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

/// Synthesis that could not run: a missing, broken or hung tool, or a
/// design that does not build (exit code 2; 1 is for failed checks).
fn failure(e: AreaError) -> Failure {
    Failure::usage(e.to_string())
}

pub fn run(args: &AreaArgs) -> Result<Output, Failure> {
    let designs = Unit::select(&args.designs).map_err(|e| Failure::usage(e.to_string()))?;
    // Everything that can be refused is refused before the first progress
    // line.
    for u in &designs {
        u.check_depth(args.pipeline).map_err(Failure::usage)?;
    }
    if let Some(path) = &args.svg {
        rf8::fsutil::target(path).map_err(|e| Failure::usage(format!("--svg: {e}")))?;
    }
    rf8::sim::require("yosys", "yosys").map_err(|e| failure(e.into()))?;
    let devices: Vec<Device> = if args.devices.is_empty() {
        Device::ALL.to_vec()
    } else {
        args.devices.iter().map(|&d| d.into()).collect()
    };
    let (place, notes) = if args.pnr {
        plan::fmax_devices(&devices, args.dsp)
    } else {
        (Vec::new(), Vec::new())
    };
    if let Some((tool, package)) = plan::missing_pnr(&place) {
        return Err(failure(AreaError::Tool(SimError::MissingTool {
            tool,
            package,
        })));
    }
    for n in notes {
        eprintln!("rf8 area: {n}");
    }
    let recipes = super::chosen_recipes(&args.recipes, &devices)?;
    let jobs = plan::Plan {
        units: designs,
        devices: devices.clone(),
        recipes,
        dsp: vec![args.dsp],
        pipeline: args.pipeline,
        place,
        check: !args.no_check,
    }
    .jobs();
    let check = !args.no_check && args.pipeline == 0;
    eprintln!(
        "rf8 area: {} synthesis runs{}{} on {} threads",
        jobs.len(),
        if args.pnr {
            " plus place and route"
        } else {
            ""
        },
        if check {
            ", then a netlist check per design"
        } else {
            ""
        },
        rayon::current_num_threads()
    );
    if args.pipeline > 0 && !args.no_check {
        eprintln!("rf8 area: the netlist check covers combinational designs only (--pipeline 0)");
    }
    let progress = |j: &Job, n: usize, total: usize| {
        eprintln!(
            "rf8 area: [{n}/{total}] {} on {} ({})",
            j.m.name(),
            j.device.name(),
            j.recipe.name
        );
    };
    let (mut rows, failed) = run_all(&jobs, check, &progress);
    if check {
        rf8::prove::netlists::attach(
            &mut rows,
            std::time::Duration::from_secs(args.prove_timeout),
        );
    }
    if let Some((_, e)) = failed.into_iter().next() {
        return Err(failure(e));
    }
    if let Some(path) = &args.svg {
        let title = format!(
            "LUTs per multiplier ({})",
            if args.dsp {
                "DSPs allowed"
            } else {
                "logic only"
            }
        );
        rf8::fsutil::replace_with(path, |tmp| {
            chart::lut_chart(&rows, tmp, &title).map_err(std::io::Error::other)
        })
        .map_err(|e| Failure {
            code: super::EXIT_USAGE,
            message: format!("cannot write {}: {e}", path.display()),
        })?;
    }
    let text = if args.json {
        to_json(&rows)?
    } else if args.csv {
        rf8::area::csv(&rows)
    } else {
        devices
            .iter()
            .map(|d| rf8::area::table::text(&rows, d.name(), args.dsp) + "\n")
            .collect()
    };
    Ok(text.into())
}
