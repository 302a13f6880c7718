//! Encoding real numbers into RF8 (spec section 2).
//!
//! Both modes work on the exact value of the input (taken from its bits,
//! subnormals included) and keep the sign of zero. `f32`, `f16` and `bf16`
//! inputs are widened to `f64` first, which is exact.

use super::Rf8;
use crate::exact::Exact;

/// How a real number is rounded to RF8.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Rounding {
    /// The paper's rule: keep the leading bit, truncate the second to the
    /// residual grid (m in [1, 1.0625) clips up to 1.0625). Values above
    /// the range saturate; below 2^-15 they become signed zero.
    #[default]
    Truncate,
    /// The representable value nearest to the input, ties to the larger
    /// magnitude; saturates above the range.
    Nearest,
}

impl Rounding {
    /// The name used on the command line (`truncate`, `nearest`).
    pub fn name(self) -> &'static str {
        match self {
            Rounding::Truncate => "truncate",
            Rounding::Nearest => "nearest",
        }
    }
}

/// Why a value has no RF8 encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// RF8 has no NaN.
    #[error("NaN has no RF8 encoding")]
    Nan,
}

/// The input's exponent and its fraction bits left-aligned in a `u64`
/// (the leading one removed): `|x| = (1 + frac / 2^64) * 2^e`.
fn split(x: Exact) -> Option<(i32, u64)> {
    let e = x.ilog2()?;
    let aligned = x.sig << (63 - x.sig.ilog2());
    Some((e, aligned << 1))
}

/// Fractions (of 2^64) of the decision points within one octave.
const HALF: u64 = 1 << 63; // m = 1.5
const QUARTER: u64 = 1 << 62; // m = 1.25
const EIGHTH: u64 = 1 << 61; // m = 1.125
const NEAREST_TO_1_25: u64 = 3 << 61; // m = 1.375, midpoint of 1.25 and 1.5
const NEAREST_TO_1_125: u64 = 3 << 60; // m = 1.1875
const NEAREST_TO_1_0625: u64 = 3 << 59; // m = 1.09375
const NEAREST_TO_NEXT: u64 = 13 << 60; // m = 1.8125, midpoint of 1.5 and 2.125
const NEAREST_TO_MIN: u64 = 1 << 60; // m = 1.0625 one octave below the range

/// Truncation: `R` from the first fraction bits, clip, saturate, flush.
fn truncate(x: Exact) -> Rf8 {
    let Some((e, frac)) = split(x) else {
        return Rf8::zero(x.neg);
    };
    if e > Rf8::MAX_EXP as i32 {
        return Rf8::max_magnitude(x.neg);
    }
    if e < Rf8::MIN_EXP as i32 {
        return Rf8::zero(x.neg);
    }
    let residual = match frac {
        f if f >= HALF => 0,
        f if f >= QUARTER => 1,
        f if f >= EIGHTH => 2,
        _ => 3, // includes m < 1.0625: clipped up to 1.0625
    };
    Rf8::from_parts(x.neg, e as i8, residual).unwrap_or(Rf8::zero(x.neg))
}

/// Round to nearest, ties to the larger magnitude.
fn nearest(x: Exact) -> Rf8 {
    let Some((e, frac)) = split(x) else {
        return Rf8::zero(x.neg);
    };
    let (min, max) = (Rf8::MIN_EXP as i32, Rf8::MAX_EXP as i32);
    if e > max {
        return Rf8::max_magnitude(x.neg);
    }
    if e < min - 1 || (e == min - 1 && frac < NEAREST_TO_MIN) {
        return Rf8::zero(x.neg);
    }
    if e == min - 1 {
        return Rf8::min_magnitude(x.neg);
    }
    let (exp, residual) = match frac {
        f if f >= NEAREST_TO_NEXT => (e + 1, 3),
        f if f >= NEAREST_TO_1_25 => (e, 0),
        f if f >= NEAREST_TO_1_125 => (e, 1),
        f if f >= NEAREST_TO_1_0625 => (e, 2),
        _ => (e, 3),
    };
    if exp > max {
        return Rf8::max_magnitude(x.neg);
    }
    Rf8::from_parts(x.neg, exp as i8, residual).unwrap_or(Rf8::zero(x.neg))
}

impl Rf8 {
    /// Encodes an `f64`; NaN is an error, +-Inf saturates.
    pub fn try_from_f64(x: f64, rounding: Rounding) -> Result<Rf8, EncodeError> {
        if x.is_nan() {
            return Err(EncodeError::Nan);
        }
        let Some(exact) = Exact::from_f64(x) else {
            return Ok(Rf8::max_magnitude(x.is_sign_negative()));
        };
        Ok(match rounding {
            Rounding::Truncate => truncate(exact),
            Rounding::Nearest => nearest(exact),
        })
    }

    /// Encodes an `f64` with the given rounding. NaN becomes a zero with
    /// NaN's sign bit, as `as` casts turn NaN into 0; use
    /// [`Rf8::try_from_f64`] to reject it.
    pub fn from_f64_with(x: f64, rounding: Rounding) -> Rf8 {
        Self::try_from_f64(x, rounding).unwrap_or(Rf8::zero(x.is_sign_negative()))
    }

    /// Encodes an `f64` by truncation (the paper's rule).
    pub fn from_f64(x: f64) -> Rf8 {
        Self::from_f64_with(x, Rounding::Truncate)
    }

    /// Encodes an `f32`; NaN is an error.
    pub fn try_from_f32(x: f32, rounding: Rounding) -> Result<Rf8, EncodeError> {
        Self::try_from_f64(x as f64, rounding)
    }

    /// Encodes an `f32` with the given rounding (NaN: see [`Rf8::from_f64_with`]).
    pub fn from_f32_with(x: f32, rounding: Rounding) -> Rf8 {
        Self::from_f64_with(x as f64, rounding)
    }

    /// Encodes an `f32` by truncation.
    pub fn from_f32(x: f32) -> Rf8 {
        Self::from_f64(x as f64)
    }

    /// Encodes a `half::f16`; NaN is an error.
    pub fn try_from_f16(x: half::f16, rounding: Rounding) -> Result<Rf8, EncodeError> {
        Self::try_from_f64(x.to_f64(), rounding)
    }

    /// Encodes a `half::f16` with the given rounding.
    pub fn from_f16_with(x: half::f16, rounding: Rounding) -> Rf8 {
        Self::from_f64_with(x.to_f64(), rounding)
    }

    /// Encodes a `half::f16` by truncation.
    pub fn from_f16(x: half::f16) -> Rf8 {
        Self::from_f64(x.to_f64())
    }

    /// Encodes a `half::bf16`; NaN is an error.
    pub fn try_from_bf16(x: half::bf16, rounding: Rounding) -> Result<Rf8, EncodeError> {
        Self::try_from_f64(x.to_f64(), rounding)
    }

    /// Encodes a `half::bf16` with the given rounding.
    pub fn from_bf16_with(x: half::bf16, rounding: Rounding) -> Rf8 {
        Self::from_f64_with(x.to_f64(), rounding)
    }

    /// Encodes a `half::bf16` by truncation.
    pub fn from_bf16(x: half::bf16) -> Rf8 {
        Self::from_f64(x.to_f64())
    }
}
