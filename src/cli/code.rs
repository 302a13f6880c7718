//! `rf8 decode`: codes (`0xc8`, `c8`, `200`) to their fields and exact
//! values.

use clap::Args;
use rf8::formats::rf8::info::{parse_code, CodeInfo};

use super::{to_json, Failure, Output};

#[derive(Args)]
pub struct DecodeArgs {
    /// Print a JSON array instead of text
    #[arg(long)]
    json: bool,
    /// Codes: 0xc8 (hex), c8 (hex, has a letter) or 200 (decimal)
    #[arg(required = true, value_name = "CODE")]
    codes: Vec<String>,
}

pub fn run(args: &DecodeArgs) -> Result<Output, Failure> {
    let infos = args
        .codes
        .iter()
        .map(|t| parse_code(t).map(CodeInfo::of).map_err(Failure::usage))
        .collect::<Result<Vec<_>, _>>()?;
    if args.json {
        return to_json(&infos).map(Output::from);
    }
    Ok(infos
        .iter()
        .map(|i| i.line() + "\n")
        .collect::<String>()
        .into())
}
