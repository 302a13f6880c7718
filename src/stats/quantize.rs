//! Quantising real values into each format, as a deployed quantiser does:
//! round once, and clip what lies beyond the largest finite value to it
//! (counted as saturated; the FP8 *multipliers* of spec section 4 do not
//! saturate, but no one stores a weight as NaN).

use crate::formats::baselines::{BF16_MUL, FP16_MUL, FP8_E4M3_MUL, FP8_E5M2_MUL};
use crate::formats::minifloat::MiniFloat;
use crate::{Rf8, Rounding};

/// A storage format for the error study.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Format {
    /// RF8, the paper's truncation.
    Rf8Truncate,
    /// RF8, round to nearest.
    Rf8Nearest,
    /// OCP FP8 E4M3, no scale.
    E4m3,
    /// OCP FP8 E4M3 with a per-tensor absmax scale (in f32).
    E4m3Scaled,
    /// OCP FP8 E5M2, no scale.
    E5m2,
    /// IEEE binary16.
    Fp16,
    /// bfloat16.
    Bf16,
}

impl Format {
    /// Every format, in report order.
    pub const ALL: [Format; 7] = [
        Format::Rf8Truncate,
        Format::Rf8Nearest,
        Format::E4m3,
        Format::E4m3Scaled,
        Format::E5m2,
        Format::Fp16,
        Format::Bf16,
    ];

    /// The name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Rf8Truncate => "rf8-truncate",
            Format::Rf8Nearest => "rf8-nearest",
            Format::E4m3 => "e4m3",
            Format::E4m3Scaled => "e4m3-scaled",
            Format::E5m2 => "e5m2",
            Format::Fp16 => "fp16",
            Format::Bf16 => "bf16",
        }
    }

    /// The format with this name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Storage per value for a tensor of `n` values (the scaled format
    /// carries one f32 scale per tensor).
    pub fn bits_per_value(self, n: usize) -> f64 {
        match self {
            Format::Fp16 | Format::Bf16 => 16.0,
            Format::E4m3Scaled => 8.0 + 32.0 / n.max(1) as f64,
            _ => 8.0,
        }
    }

    fn minifloat(self) -> Option<&'static MiniFloat> {
        match self {
            Format::E4m3 | Format::E4m3Scaled => Some(&FP8_E4M3_MUL),
            Format::E5m2 => Some(&FP8_E5M2_MUL),
            Format::Fp16 => Some(&FP16_MUL),
            Format::Bf16 => Some(&BF16_MUL),
            _ => None,
        }
    }
}

/// One quantised value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantized {
    /// The stored value, decoded (scale applied).
    pub value: f64,
    /// A non-zero input became zero.
    pub flushed: bool,
    /// The input lay beyond the largest finite value and was clipped.
    pub saturated: bool,
}

/// A quantiser for one tensor (the scaled format needs the tensor's
/// absolute maximum).
#[derive(Clone, Copy, Debug)]
pub struct Quantizer {
    format: Format,
    scale: f64,
    max: f64,
    round: Round,
}

/// How one in-range value is rounded, chosen once per tensor.
#[derive(Clone, Copy, Debug)]
enum Round {
    Rf8(Rounding),
    /// A binary-float format, through [`MiniFloat::round_f64`] (every
    /// baseline storage format rounds to nearest even).
    Binary(&'static MiniFloat),
}

impl Quantizer {
    /// Prepares `format` for the values `data`.
    pub fn new(format: Format, data: &[f64]) -> Quantizer {
        let (max, round) = match (format, format.minifloat()) {
            (_, Some(f)) => (f.max_finite_f64(), Round::Binary(f)),
            (Format::Rf8Nearest, None) => (Rf8::MAX.to_f64(), Round::Rf8(Rounding::Nearest)),
            (_, None) => (Rf8::MAX.to_f64(), Round::Rf8(Rounding::Truncate)),
        };
        let scale = if format == Format::E4m3Scaled {
            absmax_scale(data, max)
        } else {
            1.0
        };
        Quantizer {
            format,
            scale,
            max,
            round,
        }
    }

    /// The format this quantiser rounds to.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Quantises one finite value.
    #[inline]
    pub fn quantize(&self, x: f64) -> Quantized {
        // Unscaled formats skip the division (x / 1.0 == x anyway).
        let y = if self.scale == 1.0 { x } else { x / self.scale };
        let saturated = y.abs() > self.max;
        let q = if saturated {
            self.max.copysign(y)
        } else {
            match self.round {
                Round::Rf8(r) => Rf8::from_f64_with(y, r).to_f64(),
                // In range by the test above, so the fast route applies.
                Round::Binary(f) => f.round_f64(y).unwrap_or(y),
            }
        };
        let value = if self.scale == 1.0 { q } else { q * self.scale };
        Quantized {
            value,
            flushed: x != 0.0 && value == 0.0,
            saturated,
        }
    }
}

/// The per-tensor scale that maps the absolute maximum to `max`. It is
/// stored as f32, like a real checkpoint's, and rounded up where needed so
/// that the absmax itself never saturates.
fn absmax_scale(data: &[f64], max: f64) -> f64 {
    use rayon::prelude::*;
    let absmax = data
        .par_chunks(1 << 16)
        .map(|c| c.iter().fold(0.0f64, |m, x| m.max(x.abs())))
        .reduce(|| 0.0, f64::max);
    if absmax == 0.0 {
        return 1.0;
    }
    let mut s = (absmax / max) as f32;
    while absmax / s as f64 > max {
        s = s.next_up();
    }
    s as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantizers_agree_with_half_and_the_rf8_type() {
        for x in [0.1, -0.39, 1e-6, 3.0e-8, 60000.0, -1e9] {
            let fp16 = Quantizer::new(Format::Fp16, &[]).quantize(x).value;
            let h = half::f16::from_f64(x);
            let want = if h.is_infinite() {
                65504f64.copysign(x)
            } else {
                h.to_f64()
            };
            assert_eq!(fp16, want, "{x}");
            let bf16 = Quantizer::new(Format::Bf16, &[]).quantize(x).value;
            assert_eq!(bf16, half::bf16::from_f64(x).to_f64(), "{x}");
        }
        let q = Quantizer::new(Format::Rf8Truncate, &[]).quantize(-0.39);
        assert_eq!(q.value, -0.375);
        assert!(Quantizer::new(Format::E4m3, &[]).quantize(1000.0).saturated);
    }

    #[test]
    fn scaled_e4m3_maps_the_absmax_to_448() {
        let data = [0.01, -0.02, 0.005];
        let q = Quantizer::new(Format::E4m3Scaled, &data);
        let r = q.quantize(-0.02);
        assert!(!r.saturated);
        // 448 is exact in E4M3; only the f32 scale rounds.
        assert!((r.value + 0.02).abs() < 0.02 * 1e-6, "{}", r.value);
    }
}
