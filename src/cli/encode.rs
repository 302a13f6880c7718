//! `rf8 encode`: real numbers to RF8 codes.

use clap::{Args, ValueEnum};
use rf8::{Rf8, Rounding};
use serde::Serialize;

use super::to_json;
use super::{Failure, Output};
use rf8::formats::rf8::info::CodeInfo;

/// Rounding mode as spelled on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum RoundingArg {
    /// The paper's rule: truncate to the two leading bits (default)
    Truncate,
    /// Nearest representable value, ties to the larger magnitude
    Nearest,
}

impl From<RoundingArg> for Rounding {
    fn from(r: RoundingArg) -> Rounding {
        match r {
            RoundingArg::Truncate => Rounding::Truncate,
            RoundingArg::Nearest => Rounding::Nearest,
        }
    }
}

#[derive(Args)]
pub struct EncodeArgs {
    /// Rounding mode
    #[arg(long, value_enum, default_value = "truncate")]
    rounding: RoundingArg,
    /// Print a JSON array instead of text
    #[arg(long)]
    json: bool,
    /// Values (decimal, with exponent, inf; negative values as plain arguments)
    #[arg(required = true, value_name = "VALUE")]
    values: Vec<String>,
}

#[derive(Serialize)]
struct Encoded {
    /// The input as parsed (`null` for +-inf, which JSON cannot hold).
    input: f64,
    /// The input as given.
    text: String,
    rounding: &'static str,
    #[serde(flatten)]
    code: CodeInfo,
}

/// Parses a value: any `f64` syntax Rust accepts, including `inf`;
/// NaN is rejected because RF8 has no NaN.
fn parse_value(text: &str) -> Result<f64, Failure> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| Failure::usage(format!("'{}' is not a number", text.trim())))?;
    if x.is_nan() {
        return Err(Failure::usage(format!(
            "'{}': NaN has no RF8 encoding",
            text.trim()
        )));
    }
    Ok(x)
}

pub fn run(args: &EncodeArgs) -> Result<Output, Failure> {
    let rounding = Rounding::from(args.rounding);
    let mut rows = Vec::with_capacity(args.values.len());
    for text in &args.values {
        let x = parse_value(text)?;
        let code =
            Rf8::try_from_f64(x, rounding).map_err(|e| Failure::usage(format!("'{text}': {e}")))?;
        rows.push(Encoded {
            input: x,
            text: text.trim().to_string(),
            rounding: rounding.name(),
            code: CodeInfo::of(code),
        });
    }
    if args.json {
        return to_json(&rows).map(Output::from);
    }
    let width = rows.iter().map(|r| r.text.len()).max().unwrap_or(0);
    Ok(rows
        .iter()
        .map(|r| format!("{:>width$}  ->  {}\n", r.text, r.code.line()))
        .collect::<String>()
        .into())
}
