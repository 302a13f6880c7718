//! OCP MX FP6 (spec sections 7 and 8): the element formats E2M3 and E3M2,
//! their exact-product multipliers, their MXFP6 storage codecs (blocks of
//! 32 with one E8M0 scale) and their fixed-point dot-product units. The
//! whole format is this file; the catalogue adds one line per part.
//!
//! ```
//! use rf8::formats::fp6::{FP6_E2M3_MUL, FP6_E3M2_MUL, MXFP6_E2M3};
//! use rf8::formats::{codec::Codec, Multiplier};
//! // 7.5 * 7.5 = 56.25 = 3600 LSB of 2^-6.
//! assert_eq!(FP6_E2M3_MUL.mul(0x1F, 0x1F), 3600);
//! // 28 * -28 = -784 = -200704 LSB of 2^-8, as 19-bit two's complement.
//! assert_eq!(FP6_E3M2_MUL.decode_output(FP6_E3M2_MUL.mul(0x1F, 0x3F)), -784.0);
//! assert_eq!(MXFP6_E2M3.bits_per_value(32, 1), 6.25);
//! ```

use super::codec::Scaling;
use super::dot::{exact_product, Accumulator, DotUnit, Product};
use super::minifloat::codec::{mx, FloatCodec};
use super::minifloat::{MiniFloat, Rounding, Specials};
use super::mx_mul::MxMul;

/// OCP MX FP6 E2M3: bias 1, subnormals `M/8`, largest 7.5, no Inf/NaN.
pub const FP6_E2M3: MiniFloat = MiniFloat {
    name: "fp6_e2m3",
    summary: "OCP MX FP6 E2M3, bias 1, subnormals, no Inf/NaN (max 7.5)",
    exp_bits: 2,
    frac_bits: 3,
    bias: 1,
    specials: Specials::None,
    rounding: Rounding::NearestEven,
    nan_code: None,
    spec_section: "7",
};

/// OCP MX FP6 E3M2: bias 3, subnormals `2^-2 M/4`, largest 28, no Inf/NaN.
pub const FP6_E3M2: MiniFloat = MiniFloat {
    name: "fp6_e3m2",
    summary: "OCP MX FP6 E3M2, bias 3, subnormals, no Inf/NaN (max 28)",
    exp_bits: 3,
    frac_bits: 2,
    bias: 3,
    specials: Specials::None,
    rounding: Rounding::NearestEven,
    nan_code: None,
    spec_section: "7",
};

/// `fp6_e2m3_mul`: the exact product in 13 bits, LSB 2^-6 (the smallest
/// subnormal 1/8 squared; +-56.25 is +-3600 LSB).
pub const FP6_E2M3_MUL: MxMul = MxMul {
    name: "fp6_e2m3_mul",
    summary: "OCP MX FP6 E2M3 operands, exact product as 13-bit fixed point (LSB 2^-6)",
    element: &FP6_E2M3,
    out_width: 13,
    lsb_log2: E2M3_LSB,
};

/// `fp6_e3m2_mul`: the exact product in 19 bits, LSB 2^-8 (the smallest
/// subnormal 1/16 squared; +-784 is +-200704 LSB).
pub const FP6_E3M2_MUL: MxMul = MxMul {
    name: "fp6_e3m2_mul",
    summary: "OCP MX FP6 E3M2 operands, exact product as 19-bit fixed point (LSB 2^-8)",
    element: &FP6_E3M2,
    out_width: 19,
    lsb_log2: E3M2_LSB,
};

const E2M3_LSB: i32 = -6;
const E3M2_LSB: i32 = -8;

/// OCP MXFP6 with E2M3 elements (emax 2): 6.25 bits per value.
pub const MXFP6_E2M3: FloatCodec = FloatCodec {
    name: "mxfp6-e2m3",
    summary: "OCP MXFP6: E2M3 elements, one E8M0 scale per 32 values",
    format: &FP6_E2M3,
    scaling: MX6_E2M3,
};

/// OCP MXFP6 with E3M2 elements (emax 4): 6.25 bits per value.
pub const MXFP6_E3M2: FloatCodec = FloatCodec {
    name: "mxfp6-e3m2",
    summary: "OCP MXFP6: E3M2 elements, one E8M0 scale per 32 values",
    format: &FP6_E3M2,
    scaling: MX6_E3M2,
};

const MX6_E2M3: Scaling = mx(2);
const MX6_E3M2: Scaling = mx(4);

fn e2m3_product(a: u32, b: u32) -> Product {
    exact_product(&FP6_E2M3_MUL, E2M3_LSB, a, b)
}

fn e3m2_product(a: u32, b: u32) -> Product {
    exact_product(&FP6_E3M2_MUL, E3M2_LSB, a, b)
}

/// `dot_fp6_e2m3`: exact products, P = 12 (3600 < 2^12).
pub static DOT_FP6_E2M3: DotUnit = DotUnit {
    format: "fp6_e2m3",
    operands: &FP6_E2M3_MUL,
    accumulator: Accumulator::Fixed {
        lsb_log2: E2M3_LSB,
        product_bits: 12,
    },
    has_invalid: false,
    product: e2m3_product,
};

/// `dot_fp6_e3m2`: exact products, P = 18 (200704 < 2^18).
pub static DOT_FP6_E3M2: DotUnit = DotUnit {
    format: "fp6_e3m2",
    operands: &FP6_E3M2_MUL,
    accumulator: Accumulator::Fixed {
        lsb_log2: E3M2_LSB,
        product_bits: 18,
    },
    has_invalid: false,
    product: e3m2_product,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::codec::Codec;
    use crate::formats::Multiplier;

    #[test]
    fn elements_decode_as_the_spec_says() {
        // E2M3: subnormal 0x01 = 1/8, 0x08 = 1.0, 0x1F = 7.5.
        assert_eq!(FP6_E2M3.to_f64(0x01), 0.125);
        assert_eq!(FP6_E2M3.to_f64(0x08), 1.0);
        assert_eq!(FP6_E2M3.to_f64(0x1F), 7.5);
        // E3M2: subnormal 0x01 = 1/16, 0x0C = 1.0, 0x1F = 28.
        assert_eq!(FP6_E3M2.to_f64(0x01), 0.0625);
        assert_eq!(FP6_E3M2.to_f64(0x0C), 1.0);
        assert_eq!(FP6_E3M2.to_f64(0x1F), 28.0);
        assert_eq!(MXFP6_E2M3.max(), 7.5);
        assert_eq!(MXFP6_E3M2.max(), 28.0);
    }

    #[test]
    fn every_product_is_exact_and_fits() {
        for m in [&FP6_E2M3_MUL, &FP6_E3M2_MUL] {
            let mut largest = 0.0f64;
            for a in 0..64 {
                for b in 0..64 {
                    let y = m.mul(a, b);
                    assert!(y >> m.out_width() == 0);
                    let want = m.decode(a) * m.decode(b);
                    assert_eq!(m.decode_output(y), want, "{} {a:#x} {b:#x}", m.name());
                    largest = largest.max(want.abs());
                }
            }
            let lsbs = largest * 2f64.powi(-m.lsb_log2);
            // P bits hold the largest magnitude, as the dot units assume.
            assert!(lsbs < 2f64.powi(m.out_width() as i32 - 1), "{}", m.name());
        }
    }
}
