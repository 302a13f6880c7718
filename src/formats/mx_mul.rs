//! Multipliers of OCP MX element formats (spec section 7): two element
//! codes in, their exact product out as two's complement fixed point. MX
//! elements have few significand bits, so every product is exact in a
//! few more bits than the operands, and an MX dot-product unit sums them
//! in fixed point (spec section 8). One [`MxMul`] per element format:
//! `fp4_e2m1_mul` in [`super::fp4`], the FP6 ones in [`super::fp6`].
//!
//! ```
//! use rf8::formats::{fp4::FP4_E2M1_MUL, Multiplier};
//! // 1.5 * -3 = -4.5 = -18 quarters, as 9-bit two's complement.
//! assert_eq!(FP4_E2M1_MUL.mul(0x3, 0xD), 0x1EE);
//! assert_eq!(FP4_E2M1_MUL.decode_output(0x1EE), -4.5);
//! ```

use super::int8::signed;
use super::minifloat::MiniFloat;
use super::Multiplier;

/// An MX element multiplier with an exact fixed-point product.
#[derive(Clone, Copy, Debug)]
pub struct MxMul {
    /// Design name, also the RTL module name.
    pub name: &'static str,
    pub summary: &'static str,
    /// The element format (no Inf, no NaN).
    pub element: &'static MiniFloat,
    /// Bits of the product (two's complement).
    pub out_width: u32,
    /// The product's LSB is `2^lsb_log2`.
    pub lsb_log2: i32,
}

impl Multiplier for MxMul {
    fn name(&self) -> &'static str {
        self.name
    }
    fn summary(&self) -> &'static str {
        self.summary
    }
    fn width(&self) -> u32 {
        self.element.width()
    }
    fn out_width(&self) -> u32 {
        self.out_width
    }
    fn mul(&self, a: u32, b: u32) -> u32 {
        // Both operands are multiples of their smallest subnormal, so the
        // product is a whole number of LSBs; a zero product is +0.
        let mask = (1u32 << self.width()) - 1;
        let exact = self.element.to_f64(a & mask) * self.element.to_f64(b & mask);
        let lsbs = (exact * 2f64.powi(-self.lsb_log2)) as i64;
        (lsbs as u32) & ((1u32 << self.out_width) - 1)
    }
    fn decode(&self, code: u32) -> f64 {
        self.element.to_f64(code & ((1u32 << self.width()) - 1))
    }
    fn decode_output(&self, code: u32) -> f64 {
        signed(code, self.out_width) as f64 * 2f64.powi(self.lsb_log2)
    }
    fn nan_code(&self) -> Option<u32> {
        None
    }
    fn specials(&self) -> Vec<u32> {
        // Every code: an element format has at most 64.
        (0..1u32 << self.width()).collect()
    }
    fn spec_section(&self) -> &'static str {
        "7"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::fp4::FP4_E2M1_MUL;

    #[test]
    fn every_fp4_product_is_exact() {
        for a in 0..16 {
            for b in 0..16 {
                let y = FP4_E2M1_MUL.mul(a, b);
                assert_eq!(
                    FP4_E2M1_MUL.decode_output(y),
                    FP4_E2M1_MUL.decode(a) * FP4_E2M1_MUL.decode(b)
                );
            }
        }
    }
}
