//! The last step: zero, saturation and underflow, then packing the fields.

use super::super::{exponent, Rf8};

/// Result of the packing step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packed {
    /// The product code.
    pub y: Rf8,
    /// The exponent sum exceeded 15: result is `{S, 01111, 00}`.
    pub saturate: bool,
    /// The exponent sum fell below -15: result is `{S, 10000, 00}`.
    pub underflow: bool,
}

/// Packs sign, exponent sum and residual into a code.
pub fn pack(sign: bool, zero: bool, exp_sum: i8, residual: u8) -> Packed {
    let saturate = !zero && exp_sum > Rf8::MAX_EXP;
    let underflow = !zero && exp_sum < Rf8::MIN_EXP;
    let y = if zero || underflow {
        Rf8::zero(sign)
    } else if saturate {
        Rf8::max_magnitude(sign)
    } else {
        let s = if sign { 0x80 } else { 0 };
        Rf8::from_bits(s | exponent::to_field(exp_sum) << 2 | residual)
    };
    Packed {
        y,
        saturate,
        underflow,
    }
}
