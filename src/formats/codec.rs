//! Storage codecs: how a real value is stored in a format for the error
//! statistics (spec sections 2, 6 and 7). Encoding rounds once and clips
//! to the largest finite magnitude, as a deployed quantiser does (no one
//! stores a weight as NaN or Inf); scaled formats divide each group of
//! values by a shared scale first.
//!
//! ```
//! use rf8::formats::codec::Codec;
//! use rf8::formats::minifloat::codec::MXFP4;
//! // MXFP4 stores 4-bit E2M1 elements and one E8M0 scale per 32 values.
//! assert_eq!(MXFP4.bits_per_value(32, 1), 4.25);
//! assert_eq!(MXFP4.round(2.4), 2.0);
//! assert_eq!(MXFP4.scaling().scale(5.0), 1.0); // 2^(floor(log2 5) - 2)
//! ```

/// Which values share one scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// No scale.
    None,
    /// One scale per tensor.
    Tensor,
    /// One scale per row (the last dimension of a tensor; rows of 4096 for
    /// samples drawn from a distribution).
    Row,
    /// One scale per block of this many consecutive values of a row (the
    /// last block of a row may be shorter).
    Block(usize),
}

/// How a group's scale follows from the group's largest magnitude.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScaleRule {
    /// Always 1.
    One,
    /// `absmax / max` as an `f32`, rounded up where needed so that the
    /// absmax itself never saturates (1 for an all-zero group).
    AbsmaxUp { max: f64 },
    /// `f32(absmax / max)`, rounded to nearest (1 for an all-zero group):
    /// the INT8 rule of spec section 7.
    AbsmaxNearest { max: f64 },
    /// OCP MX's E8M0 scale: `2^(floor(log2 absmax) - emax)`, clamped to
    /// `[2^-127, 2^127]` (an all-zero group takes 2^-127).
    PowerOfTwo { emax: i32 },
}

/// A codec's scale: which values share it, its rule and its storage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scaling {
    pub sharing: Sharing,
    pub rule: ScaleRule,
    /// Bits stored per scale.
    pub bits: u32,
}

impl Scaling {
    /// Unscaled.
    pub const NONE: Scaling = Scaling {
        sharing: Sharing::None,
        rule: ScaleRule::One,
        bits: 0,
    };

    /// The scale of a group whose largest magnitude is `absmax`.
    pub fn scale(&self, absmax: f64) -> f64 {
        match self.rule {
            ScaleRule::One => 1.0,
            _ if absmax == 0.0 && !matches!(self.rule, ScaleRule::PowerOfTwo { .. }) => 1.0,
            ScaleRule::AbsmaxUp { max } => {
                let mut s = f32_scale(absmax / max);
                while absmax / s as f64 > max && s < f32::MAX {
                    s = s.next_up();
                }
                s as f64
            }
            ScaleRule::AbsmaxNearest { max } => f32_scale(absmax / max) as f64,
            ScaleRule::PowerOfTwo { emax } => {
                let e = if absmax == 0.0 {
                    -127
                } else {
                    (floor_log2(absmax) - emax).clamp(-127, 127)
                };
                2f64.powi(e)
            }
        }
    }
}

/// `s` as a stored f32 scale: rounded to nearest, and kept positive and
/// finite (a group whose scale would underflow or overflow f32 takes the
/// nearest representable one; its values then flush or clip, and are
/// counted so).
fn f32_scale(s: f64) -> f32 {
    (s as f32).clamp(f32::from_bits(1), f32::MAX)
}

/// `floor(log2 x)` for a positive finite `x`, exact (from the bits).
pub fn floor_log2(x: f64) -> i32 {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7FF) as i32;
    if biased == 0 {
        // Subnormal: the leading set bit of the fraction.
        let frac = bits & ((1u64 << 52) - 1);
        -1074 + 63 - frac.leading_zeros() as i32
    } else {
        biased - 1023
    }
}

/// A storage format of the error statistics.
pub trait Codec: Send + Sync {
    /// The name on the command line and in reports (`rf8-truncate`, ...).
    fn name(&self) -> &'static str;
    /// One line for listings.
    fn summary(&self) -> &'static str;
    /// Bits of one element code.
    fn code_bits(&self) -> u32;
    /// The shared scale, if any.
    fn scaling(&self) -> Scaling {
        Scaling::NONE
    }
    /// The largest finite magnitude of an element (before scaling).
    fn max(&self) -> f64;
    /// True when storing `y` (already divided by its scale) clips it: it
    /// lies beyond the largest finite magnitude.
    fn clips(&self, y: f64) -> bool {
        y.abs() > self.max()
    }
    /// The element code of `x` (already divided by its scale): rounded once,
    /// clipped to the largest finite magnitude. `x` is finite.
    fn encode(&self, x: f64) -> u32;
    /// The exact value of an element code.
    fn decode(&self, code: u32) -> f64;
    /// `decode(encode(x))` for `|x| <= max()`: the quantisers' hot path,
    /// which codecs may compute without going through the code.
    fn round(&self, x: f64) -> f64 {
        self.decode(self.encode(x))
    }
    /// [`Codec::round`] on every value of a slice, in place (one virtual
    /// call per slice, not per value).
    fn round_slice(&self, values: &mut [f64]) {
        for v in values {
            *v = self.round(*v);
        }
    }
    /// Storage per value when `values` values carry `groups` scales.
    fn bits_per_value(&self, values: usize, groups: usize) -> f64 {
        let scales = if self.scaling().bits == 0 {
            0.0
        } else {
            self.scaling().bits as f64 * groups as f64 / values.max(1) as f64
        };
        self.code_bits() as f64 + scales
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scales stay positive and finite at both ends of f32's range, so a
    /// quantiser never divides by zero or by infinity.
    #[test]
    fn f32_scales_stay_positive_and_finite() {
        for rule in [
            ScaleRule::AbsmaxUp { max: 448.0 },
            ScaleRule::AbsmaxNearest { max: 127.0 },
        ] {
            let s = Scaling {
                sharing: Sharing::Row,
                rule,
                bits: 32,
            };
            for absmax in [1e-300, 1e-46, 1.0, 1e40, 1e300] {
                let v = s.scale(absmax);
                assert!(v > 0.0 && v.is_finite(), "{rule:?} {absmax}: {v}");
            }
        }
        assert_eq!(floor_log2(5.0), 2);
        assert_eq!(floor_log2(f64::from_bits(1)), -1074);
    }
}
