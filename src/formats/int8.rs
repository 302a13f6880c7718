//! INT8 (spec section 7): the multiplier `int8_mul` (two's complement
//! operands, exact 16-bit product) and the storage codec `int8`
//! (symmetric, one f32 scale per row).
//!
//! ```
//! use rf8::formats::{int8::INT8_MUL, Multiplier};
//! assert_eq!(INT8_MUL.mul(0x80, 0x80), 0x4000); // -128 * -128 = 16384
//! assert_eq!(INT8_MUL.decode_output(INT8_MUL.mul(0xFF, 0x05)), -5.0);
//! ```

use super::codec::{Codec, ScaleRule, Scaling, Sharing};
use super::Multiplier;

/// The INT8 multiplier: `a * b` of two's complement bytes, as a 16-bit
/// two's complement code (always exact: |a * b| <= 16384).
#[derive(Clone, Copy, Debug)]
pub struct Int8Mul;

/// The INT8 multiplier.
pub const INT8_MUL: Int8Mul = Int8Mul;

/// The signed value of the low `bits` bits of `code`.
pub fn signed(code: u32, bits: u32) -> i32 {
    let shift = 32 - bits;
    ((code << shift) as i32) >> shift
}

impl Multiplier for Int8Mul {
    fn name(&self) -> &'static str {
        "int8_mul"
    }
    fn summary(&self) -> &'static str {
        "INT8: two's complement operands, exact 16-bit product"
    }
    fn width(&self) -> u32 {
        8
    }
    fn out_width(&self) -> u32 {
        16
    }
    fn mul(&self, a: u32, b: u32) -> u32 {
        (signed(a, 8) * signed(b, 8)) as u32 & 0xFFFF
    }
    fn decode(&self, code: u32) -> f64 {
        signed(code, 8) as f64
    }
    fn decode_output(&self, code: u32) -> f64 {
        signed(code, 16) as f64
    }
    fn nan_code(&self) -> Option<u32> {
        None
    }
    fn specials(&self) -> Vec<u32> {
        // 0, +-1, +-2, the extremes and their neighbours, +-64.
        vec![
            0x00, 0x01, 0xFF, 0x02, 0xFE, 0x7F, 0x80, 0x81, 0x7E, 0x40, 0xC0,
        ]
    }
    fn spec_section(&self) -> &'static str {
        "7"
    }
}

/// Symmetric INT8 with one f32 scale per row: `s = f32(max|x| / 127)`,
/// `q = clamp(rne(x / s), -127, 127)`.
#[derive(Clone, Copy, Debug)]
pub struct Int8Codec;

/// The `int8` storage format.
pub const INT8: Int8Codec = Int8Codec;

impl Codec for Int8Codec {
    fn name(&self) -> &'static str {
        "int8"
    }
    fn summary(&self) -> &'static str {
        "INT8, symmetric, one f32 scale per row"
    }
    fn code_bits(&self) -> u32 {
        8
    }
    fn scaling(&self) -> Scaling {
        Scaling {
            sharing: Sharing::Row,
            rule: ScaleRule::AbsmaxNearest { max: 127.0 },
            bits: 32,
        }
    }
    fn max(&self) -> f64 {
        127.0
    }
    /// Only what rounds beyond 127 is clipped (the f32 scale can put the
    /// row's largest value a hair above 127).
    fn clips(&self, y: f64) -> bool {
        y.abs().round_ties_even() > 127.0
    }
    fn encode(&self, x: f64) -> u32 {
        (self.round(x.clamp(-127.0, 127.0)) as i32) as u32 & 0xFF
    }
    fn decode(&self, code: u32) -> f64 {
        signed(code, 8) as f64
    }
    #[inline]
    fn round(&self, x: f64) -> f64 {
        x.round_ties_even()
    }
}
