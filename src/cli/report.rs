//! `rf8 report`: the project's main job, built by `rf8::report`; this
//! module only parses the arguments and chooses the exit code.

use std::path::PathBuf;

use clap::Args;
use rf8::report::{run as build, Config};

use super::{Failure, Output};

#[derive(Args)]
pub struct ReportArgs {
    /// Output directory
    #[arg(long, value_name = "DIR", default_value = "report")]
    out: PathBuf,
    /// Fewer samples, vectors and devices, a smaller GEMV: a few minutes
    #[arg(long)]
    quick: bool,
    /// Also measure the error on this .safetensors or .npy file
    #[arg(long, value_name = "FILE")]
    tensor: Option<PathBuf>,
    /// The model of step "The model": a BERT-family checkpoint directory
    /// [default: all-MiniLM-L6-v2 as `make deps` caches it]
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
}

/// Exit code 0 when every step ran clean, 1 when a step failed (the
/// report is still written), 2 when no report could be written.
pub fn run(args: &ReportArgs) -> Result<Output, Failure> {
    let config = Config {
        out: args.out.clone(),
        quick: args.quick,
        tensor: args.tensor.clone(),
        model: args.model.clone(),
    };
    let built = build(&config).map_err(|e| Failure::usage(e.to_string()))?;
    Ok(Output {
        text: built.text,
        code: if built.failed.is_empty() {
            0
        } else {
            super::EXIT_CHECK
        },
    })
}
