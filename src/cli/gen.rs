//! `rf8 gen`: write the generated Verilog of the designs.

use std::path::PathBuf;

use clap::Args;
use rf8::designs::dot;
use rf8::fsutil::write_atomic;
use rf8::unit::Unit;

use super::{Failure, Output};

#[derive(Args)]
pub struct GenArgs {
    /// Output directory (created if missing)
    #[arg(long, default_value = "rtl")]
    out: PathBuf,
    #[arg(long = "design", visible_alias = "unit", value_name = "NAME", help = super::DESIGN_HELP)]
    designs: Vec<String>,
    /// Pipeline depth: 0 is combinational, N > 0 adds clk and N register
    /// stages
    #[arg(long, default_value_t = 0)]
    pipeline: usize,
    /// Headroom H of the fixed-point dot-product units: 2^H products never
    /// overflow the W = P + 1 + H bit accumulator (12, 20 or 28)
    #[arg(long, default_value_t = dot::DEFAULT_HEADROOM)]
    headroom: u32,
}

pub fn run(args: &GenArgs) -> Result<Output, Failure> {
    let units = Unit::select(&args.designs).map_err(|e| Failure::usage(e.to_string()))?;
    rf8::generate::check_headroom(args.headroom).map_err(Failure::usage)?;
    for u in &units {
        u.check_depth(args.pipeline).map_err(Failure::usage)?;
    }
    // Generate everything first: an error leaves no file behind.
    let files = units
        .iter()
        .map(|u| u.rtl(args.headroom, args.pipeline))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::usage(e.to_string()))?;
    std::fs::create_dir_all(&args.out).map_err(|e| Failure {
        code: super::EXIT_USAGE,
        message: format!("cannot create {}: {e}", args.out.display()),
    })?;
    let mut text = String::new();
    for (module, verilog) in files {
        let path = args.out.join(format!("{module}.v"));
        write_atomic(&path, &verilog).map_err(|e| Failure {
            code: super::EXIT_USAGE,
            message: format!("cannot write {}: {e}", path.display()),
        })?;
        text += &format!("{} ({} lines)\n", path.display(), verilog.lines().count());
    }
    Ok(text.into())
}
