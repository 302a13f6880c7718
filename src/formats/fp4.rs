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
use super::mx_mul::MxMul;

/// The FP4 E2M1 multiplier: values are multiples of 0.5, so the product is
/// a whole number of quarters (at most 36 * 4 = 144).
pub const FP4_E2M1_MUL: MxMul = MxMul {
    name: "fp4_e2m1_mul",
    summary: "OCP MX FP4 E2M1 operands, exact product as 9-bit fixed point (LSB 2^-2)",
    element: &FP4_E2M1,
    out_width: 9,
    lsb_log2: -2,
};
