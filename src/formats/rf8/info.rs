//! One RF8 code as people read it: parsed from the command line's forms
//! (`0xc8`, `c8`, `200`) and described by its fields and exact value, as
//! `rf8 decode`, `encode` and `mul` print it.
//!
//! ```
//! use rf8::formats::rf8::info::{parse_code, CodeInfo};
//! let c = parse_code("0xc8").unwrap();
//! assert_eq!(CodeInfo::of(c).line(), "0xc8  1 10010 00  e=-2   R=0  -0.375");
//! ```

use super::Rf8;
use crate::exact::exact_decimal;

/// Parses one code. Digits only means decimal; a `0x` prefix or a hex
/// letter means hexadecimal.
pub fn parse_code(text: &str) -> Result<Rf8, String> {
    let t = text.trim();
    let (digits, radix) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None if t.chars().all(|c| c.is_ascii_digit()) => (t, 10),
        None => (t, 16),
    };
    let value = u32::from_str_radix(digits, radix)
        .map_err(|_| format!("'{t}' is not an RF8 code (use 0xc8, c8 or 200)"))?;
    u8::try_from(value)
        .map(Rf8::from_bits)
        .map_err(|_| format!("code {t} is out of range (0..=255)"))
}

/// Everything about one code, as printed by `decode`, `encode` and `mul`.
#[derive(serde::Serialize)]
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
