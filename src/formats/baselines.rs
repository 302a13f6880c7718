//! The binary-float formats of spec sections 4 and 7 as [`MiniFloat`]
//! descriptions: the baseline multipliers and the FP4 element format.
//! Each table row of the spec is one constant here.

use super::minifloat::{MiniFloat, Rounding, Specials};

/// IEEE 754 binary16, round to nearest even, subnormals, Inf on overflow.
pub const FP16_MUL: MiniFloat = MiniFloat {
    name: "fp16_mul",
    summary: "IEEE binary16, ties-to-even, subnormals in and out, overflow to Inf",
    exp_bits: 5,
    frac_bits: 10,
    bias: 15,
    specials: Specials::Ieee,
    rounding: Rounding::NearestEven,
    nan_code: Some(0x7E00),
    spec_section: "4",
};

/// The cheapest multiplier that still deserves the name FP16: binary16
/// fields, exponent 31 ordinary, truncation, flush to zero, saturation.
pub const FP16_MUL_LITE: MiniFloat = MiniFloat {
    name: "fp16_mul_lite",
    summary: "binary16 fields, no Inf/NaN, truncate, flush subnormals, saturate",
    exp_bits: 5,
    frac_bits: 10,
    bias: 15,
    specials: Specials::None,
    rounding: Rounding::TowardZeroFlush,
    nan_code: None,
    spec_section: "4",
};

/// bfloat16, round to nearest even, subnormals, Inf on overflow.
pub const BF16_MUL: MiniFloat = MiniFloat {
    name: "bf16_mul",
    summary: "bfloat16, ties-to-even, subnormals in and out, overflow to Inf",
    exp_bits: 8,
    frac_bits: 7,
    bias: 127,
    specials: Specials::Ieee,
    rounding: Rounding::NearestEven,
    nan_code: Some(0x7FC0),
    spec_section: "4",
};

/// OCP FP8 E4M3: bias 7, no Inf, NaN = S.1111.111, non-saturating.
pub const FP8_E4M3_MUL: MiniFloat = MiniFloat {
    name: "fp8_e4m3_mul",
    summary: "OCP FP8 E4M3, ties-to-even, subnormals, overflow to NaN (max 448)",
    exp_bits: 4,
    frac_bits: 3,
    bias: 7,
    specials: Specials::FiniteNan,
    rounding: Rounding::NearestEven,
    nan_code: Some(0x7F),
    spec_section: "4",
};

/// OCP FP8 E5M2: bias 15, IEEE-like with Inf and NaN.
pub const FP8_E5M2_MUL: MiniFloat = MiniFloat {
    name: "fp8_e5m2_mul",
    summary: "OCP FP8 E5M2, ties-to-even, subnormals, overflow to Inf",
    exp_bits: 5,
    frac_bits: 2,
    bias: 15,
    specials: Specials::Ieee,
    rounding: Rounding::NearestEven,
    nan_code: Some(0x7E),
    spec_section: "4",
};

/// The cheapest multiplier that still deserves the name FP8 (spec section
/// 7): E4M3 fields, exponent 15 ordinary (0x7F = 480), exponent field 0
/// reads as zero, truncation, flush below 2^-6, saturation.
pub const FP8_E4M3_MUL_LITE: MiniFloat = MiniFloat {
    name: "fp8_e4m3_mul_lite",
    summary: "E4M3 fields, no NaN, truncate, flush subnormals, saturate at 480",
    exp_bits: 4,
    frac_bits: 3,
    bias: 7,
    specials: Specials::None,
    rounding: Rounding::TowardZeroFlush,
    nan_code: None,
    spec_section: "7",
};

/// OCP MX FP4 E2M1 (spec section 7): bias 1, subnormal 0.5, values
/// +-{0, 0.5, 1, 1.5, 2, 3, 4, 6}, no Inf, no NaN. The element format of
/// MXFP4 and the operand format of `fp4_e2m1_mul` (whose product is fixed
/// point, see [`crate::formats::fp4`]).
pub const FP4_E2M1: MiniFloat = MiniFloat {
    name: "fp4_e2m1",
    summary: "OCP MX FP4 E2M1, bias 1, subnormals, no Inf/NaN (max 6)",
    exp_bits: 2,
    frac_bits: 1,
    bias: 1,
    specials: Specials::None,
    rounding: Rounding::NearestEven,
    nan_code: None,
    spec_section: "7",
};
