//! The FP4 multiplier `fp4_e2m1_mul` (spec section 7): two OCP MX E2M1
//! codes in, their exact product out as 9-bit two's complement fixed point
//! with LSB 2^-2. Products of MX elements are exact, so an MX dot-product
//! unit accumulates them in fixed point; this is that multiplier.
//!
//! ```
//! use rf8::formats::{fp4::FP4_E2M1_MUL, Multiplier};
//! assert_eq!(FP4_E2M1_MUL.mul(0x7, 0x7), 144); // 6 * 6 = 36 = 144 quarters
//! assert_eq!(FP4_E2M1_MUL.decode_output(FP4_E2M1_MUL.mul(0x1, 0x9)), -0.25);
//! ```

use super::baselines::FP4_E2M1;
use super::int8::signed;
use super::Multiplier;

/// The FP4 E2M1 multiplier with a fixed-point product.
#[derive(Clone, Copy, Debug)]
pub struct Fp4E2m1Mul;

/// The FP4 E2M1 multiplier.
pub const FP4_E2M1_MUL: Fp4E2m1Mul = Fp4E2m1Mul;

impl Multiplier for Fp4E2m1Mul {
    fn name(&self) -> &'static str {
        "fp4_e2m1_mul"
    }
    fn summary(&self) -> &'static str {
        "OCP MX FP4 E2M1 operands, exact product as 9-bit fixed point (LSB 2^-2)"
    }
    fn width(&self) -> u32 {
        4
    }
    fn out_width(&self) -> u32 {
        9
    }
    fn mul(&self, a: u32, b: u32) -> u32 {
        // Both values are multiples of 0.5, so the product is a whole
        // number of quarters (at most 36 * 4 = 144); a zero product is +0.
        let quarters = (FP4_E2M1.to_f64(a & 0xF) * FP4_E2M1.to_f64(b & 0xF) * 4.0) as i32;
        quarters as u32 & 0x1FF
    }
    fn decode(&self, code: u32) -> f64 {
        FP4_E2M1.to_f64(code & 0xF)
    }
    fn decode_output(&self, code: u32) -> f64 {
        signed(code, 9) as f64 / 4.0
    }
    fn nan_code(&self) -> Option<u32> {
        None
    }
    fn specials(&self) -> Vec<u32> {
        (0..16).collect()
    }
    fn spec_section(&self) -> &'static str {
        "7"
    }
}
