//! `rf8 gen`: write the generated Verilog of the designs.

use std::path::PathBuf;

use clap::Args;
use rf8::designs::rtl;
use rf8::fsutil::write_atomic;
use rf8::{by_name, Design, DESIGNS};

use super::{Failure, Output};

#[derive(Args)]
pub struct GenArgs {
    /// Output directory (created if missing)
    #[arg(long, default_value = "rtl")]
    out: PathBuf,
    /// Design to generate (repeatable; default: every design of the catalogue)
    #[arg(long = "design", value_name = "NAME")]
    designs: Vec<String>,
    /// Pipeline depth: 0 is combinational, N > 0 adds clk and N register stages
    #[arg(long, default_value_t = 0)]
    pipeline: usize,
}

/// The designs named on the command line, or all of them.
pub fn selected(names: &[String]) -> Result<Vec<&'static Design>, Failure> {
    if names.is_empty() {
        return Ok(DESIGNS.iter().collect());
    }
    names
        .iter()
        .map(|n| by_name(n).map_err(|e| Failure::usage(e.to_string())))
        .collect()
}

pub fn run(args: &GenArgs) -> Result<Output, Failure> {
    let designs = selected(&args.designs)?;
    for d in &designs {
        rf8::designs::check_depth(d, args.pipeline).map_err(Failure::usage)?;
    }
    // Generate everything first: an error leaves no file behind.
    let files = designs
        .iter()
        .map(|m| rtl(m, args.pipeline))
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
