//! The five baseline multipliers of spec section 4, as [`MiniFloat`]
//! descriptions. Each table row of the spec is one constant here.

use super::minifloat::{MiniFloat, Rounding, Specials};
use crate::designs::fp16_mul_lite::Fp16MulLiteHdl;
use crate::designs::minifloat_mul::{Bf16MulHdl, Fp16MulHdl, Fp8E4m3MulHdl, Fp8E5m2MulHdl};
use crate::designs::Hardware;

/// Step ends of the IEEE-style designs: decode, raw product, normalise,
/// round (see `src/designs/minifloat_mul.rs`).
const MINIFLOAT_STEPS: &[&str] = &["b_exp_eff", "exp_top", "exp_n", "overflow"];

/// Step ends of the minimal FP16 design: decode, product, normalise,
/// flush/saturate.
const LITE_STEPS: &[&str] = &["b_sig", "exp_top", "exp_n", "mag"];

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
    hardware: Hardware::of::<Fp16MulHdl>("src/designs/minifloat_mul.rs", MINIFLOAT_STEPS),
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
    hardware: Hardware::of::<Fp16MulLiteHdl>("src/designs/fp16_mul_lite.rs", LITE_STEPS),
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
    hardware: Hardware::of::<Bf16MulHdl>("src/designs/minifloat_mul.rs", MINIFLOAT_STEPS),
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
    hardware: Hardware::of::<Fp8E4m3MulHdl>("src/designs/minifloat_mul.rs", MINIFLOAT_STEPS),
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
    hardware: Hardware::of::<Fp8E5m2MulHdl>("src/designs/minifloat_mul.rs", MINIFLOAT_STEPS),
};
