//! The RF8 multiplier (spec section 3), written as the hardware datapath:
//!
//! 1. `sign`: `Sa xor Sb`;
//! 2. `zero`: either operand has exponent field `10000`;
//! 3. [`residual`]: the 2-bit residual comparator gives `R` and a carry `c`;
//! 4. [`exponent`](super::exponent) sum: `e = e1 + e2 + c`, in -30..=31;
//! 5. [`round`]: saturate above 15, underflow to signed zero below -15.
//!
//! The result is the exact product of the decoded operands truncated to its
//! two leading set bits, i.e. `encode_truncate(decode(a) * decode(b))`.
//!
//! ```
//! use rf8::Rf8;
//! // 1.5 * 1.5 = 2.25 = 2 * 1.125: residuals 0,0 give R = 2 and a carry.
//! let t = rf8::formats::rf8::mul::trace(Rf8::from_bits(0x00), Rf8::from_bits(0x00));
//! assert_eq!((t.residual, t.carry, t.exp_sum), (2, true, 1));
//! assert_eq!(t.y.to_f64(), 2.25);
//! ```

pub mod residual;
pub mod round;

use super::{exponent, Rf8};

/// Every intermediate signal of one multiplication, named after the spec's
/// steps (and after the RTL signals that mirror them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trace {
    /// First operand.
    pub a: Rf8,
    /// Second operand.
    pub b: Rf8,
    /// Step 1: sign of the result (`Sa xor Sb`).
    pub sign: bool,
    /// Step 2: an operand is zero.
    pub zero: bool,
    /// Step 3: residual of the product.
    pub residual: u8,
    /// Step 3: carry into the exponent (both residuals 0).
    pub carry: bool,
    /// Step 4: `e1 + e2 + c` (meaningless when `zero`).
    pub exp_sum: i8,
    /// Step 5: `exp_sum > 15`, result saturated.
    pub saturate: bool,
    /// Step 5: `exp_sum < -15`, result is signed zero.
    pub underflow: bool,
    /// The product.
    pub y: Rf8,
}

/// Runs the datapath and records every step.
pub fn trace(a: Rf8, b: Rf8) -> Trace {
    let sign = a.is_sign_negative() ^ b.is_sign_negative();
    let zero = a.is_zero() || b.is_zero();
    let (res, carry) = residual::compare(a.residual(), b.residual());
    let exp_sum = exponent::from_field(a.exponent_field())
        + exponent::from_field(b.exponent_field())
        + carry as i8;
    let out = round::pack(sign, zero, exp_sum, res);
    Trace {
        a,
        b,
        sign,
        zero,
        residual: res,
        carry,
        exp_sum,
        saturate: out.saturate,
        underflow: out.underflow,
        y: out.y,
    }
}

/// The RF8 product of two codes.
pub fn mul(a: Rf8, b: Rf8) -> Rf8 {
    trace(a, b).y
}
