//! RF8 codes on the command line: parsing (`0xc8`, `c8`, `200`), the shared
//! description of a code, and `rf8 decode`.

use clap::Args;
use rf8::exact::exact_decimal;
use rf8::Rf8;
use serde::Serialize;

use super::{Failure, Output};

#[derive(Args)]
pub struct DecodeArgs {
    /// Print a JSON array instead of text
    #[arg(long)]
    json: bool,
    /// Codes: 0xc8 (hex), c8 (hex, has a letter) or 200 (decimal)
    #[arg(required = true, value_name = "CODE")]
    codes: Vec<String>,
}

/// Parses one code. Digits only means decimal; a `0x` prefix or a hex
/// letter means hexadecimal.
pub fn parse(text: &str) -> Result<Rf8, Failure> {
    let t = text.trim();
    let (digits, radix) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None if t.chars().all(|c| c.is_ascii_digit()) => (t, 10),
        None => (t, 16),
    };
    let value = u32::from_str_radix(digits, radix)
        .map_err(|_| Failure::usage(format!("'{t}' is not an RF8 code (use 0xc8, c8 or 200)")))?;
    u8::try_from(value)
        .map(Rf8::from_bits)
        .map_err(|_| Failure::usage(format!("code {t} is out of range (0..=255)")))
}

/// Everything about one code, as printed by `decode`, `encode` and `mul`.
#[derive(Serialize)]
pub struct CodeInfo {
    pub code: u8,
    pub hex: String,
    pub fields: String,
    pub sign: u8,
    /// `null` for zero.
    pub exponent: Option<i8>,
    pub residual: u8,
    pub zero: bool,
    pub value: f64,
}

impl CodeInfo {
    pub fn of(x: Rf8) -> CodeInfo {
        CodeInfo {
            code: x.to_bits(),
            hex: format!("{:#04x}", x.to_bits()),
            fields: x.fields(),
            sign: x.is_sign_negative() as u8,
            exponent: x.exponent(),
            residual: x.residual(),
            zero: x.is_zero(),
            value: x.to_f64(),
        }
    }

    /// `0xc8  1 10010 00  e=-2  R=0  -0.375`
    pub fn line(&self) -> String {
        let e = match self.exponent {
            Some(e) => format!("e={e}"),
            None => "zero".to_string(),
        };
        format!(
            "{}  {}  {:<5}  R={}  {}",
            self.hex,
            self.fields,
            e,
            self.residual,
            exact_decimal(self.value)
        )
    }
}

/// Serialises to pretty JSON with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Failure {
            code: super::EXIT_USAGE,
            message: format!("cannot serialise JSON: {e}"),
        })
}

pub fn run(args: &DecodeArgs) -> Result<Output, Failure> {
    let infos = args
        .codes
        .iter()
        .map(|t| parse(t).map(CodeInfo::of))
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
