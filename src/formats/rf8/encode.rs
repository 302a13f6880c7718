//! Encoding real numbers into RF8 (spec section 2).
//!
//! Both modes work on the exact value of the input (taken from its bits,
//! subnormals included) and keep the sign of zero. `f32`, `f16` and `bf16`
//! inputs are widened to `f64` first, which is exact.

use super::Rf8;

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
/// (the leading one removed), straight from the `f64`'s bits:
/// `|x| = (1 + frac / 2^64) * 2^e`. `f64` subnormals lie far below RF8's
/// range, so they split as zero; the caller handles infinities and NaN.
#[inline]
fn split(x: f64) -> Option<(i32, u64)> {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    (biased != 0).then(|| (biased - 1023, bits << 12))
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
fn truncate(neg: bool, parts: Option<(i32, u64)>) -> Rf8 {
    let Some((e, frac)) = parts else {
        return Rf8::zero(neg);
    };
    if e > Rf8::MAX_EXP as i32 {
        return Rf8::max_magnitude(neg);
    }
    if e < Rf8::MIN_EXP as i32 {
        return Rf8::zero(neg);
    }
    // R = 0 from m = 1.5, 1 from 1.25, 2 from 1.125, else 3 (which
    // includes m < 1.0625: clipped up to 1.0625). Counted rather than
    // matched: random weights make the branches of a match unpredictable.
    let residual = 3 - (frac >= HALF) as u8 - (frac >= QUARTER) as u8 - (frac >= EIGHTH) as u8;
    Rf8::from_parts(neg, e as i8, residual).unwrap_or(Rf8::zero(neg))
}

/// Round to nearest, ties to the larger magnitude.
fn nearest(neg: bool, parts: Option<(i32, u64)>) -> Rf8 {
    let Some((e, frac)) = parts else {
        return Rf8::zero(neg);
    };
    let (min, max) = (Rf8::MIN_EXP as i32, Rf8::MAX_EXP as i32);
    if e > max {
        return Rf8::max_magnitude(neg);
    }
    if e < min - 1 || (e == min - 1 && frac < NEAREST_TO_MIN) {
        return Rf8::zero(neg);
    }
    if e == min - 1 {
        return Rf8::min_magnitude(neg);
    }
    // Count the midpoints at or below m: R counts down from 3 at each,
    // and from m = 1.8125 up the nearest value is 2.125 = 2^(e+1) * 1.0625
    // (R = 3). Counted rather than matched, as in `truncate`.
    let passed = (frac >= NEAREST_TO_1_0625) as usize
        + (frac >= NEAREST_TO_1_125) as usize
        + (frac >= NEAREST_TO_1_25) as usize
        + (frac >= NEAREST_TO_NEXT) as usize;
    const RESIDUAL: [u8; 5] = [3, 2, 1, 0, 3];
    let (exp, residual) = (e + (passed >> 2) as i32, RESIDUAL[passed]);
    if exp > max {
        return Rf8::max_magnitude(neg);
    }
    Rf8::from_parts(neg, exp as i8, residual).unwrap_or(Rf8::zero(neg))
}

impl Rf8 {
    /// Encodes an `f64`; NaN is an error, +-Inf saturates.
    pub fn try_from_f64(x: f64, rounding: Rounding) -> Result<Rf8, EncodeError> {
        if x.is_nan() {
            return Err(EncodeError::Nan);
        }
        let neg = x.is_sign_negative();
        if x.is_infinite() {
            return Ok(Rf8::max_magnitude(neg));
        }
        Ok(match rounding {
            Rounding::Truncate => truncate(neg, split(x)),
            Rounding::Nearest => nearest(neg, split(x)),
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
