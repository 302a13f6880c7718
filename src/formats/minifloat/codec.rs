//! Binary floats as storage codecs: FP16, BF16, FP8 E4M3 (unscaled, with a
//! per-tensor scale, and as MXFP8) and E5M2, and MXFP4's E2M1 elements.

use super::MiniFloat;
use crate::exact::Exact;
use crate::formats::baselines::{BF16_MUL, FP16_MUL, FP4_E2M1, FP8_E4M3_MUL, FP8_E5M2_MUL};
use crate::formats::codec::{Codec, ScaleRule, Scaling, Sharing};

/// A binary float stored with round to nearest even, clipped to its largest
/// finite value, optionally scaled.
#[derive(Clone, Copy, Debug)]
pub struct FloatCodec {
    pub name: &'static str,
    pub summary: &'static str,
    /// The element format.
    pub format: &'static MiniFloat,
    pub scaling: Scaling,
}

impl Codec for FloatCodec {
    fn name(&self) -> &'static str {
        self.name
    }
    fn summary(&self) -> &'static str {
        self.summary
    }
    fn code_bits(&self) -> u32 {
        self.format.width()
    }
    fn scaling(&self) -> Scaling {
        self.scaling
    }
    fn max(&self) -> f64 {
        self.format.max_finite_f64()
    }
    fn encode(&self, x: f64) -> u32 {
        let f = self.format;
        let sign = if x.is_sign_negative() {
            f.sign_mask()
        } else {
            0
        };
        match Exact::from_f64(x) {
            Some(e) if x.abs() <= self.max() => f.round(e),
            _ => sign | f.max_finite_mag(),
        }
    }
    fn decode(&self, code: u32) -> f64 {
        self.format.to_f64(code)
    }
    #[inline]
    fn round(&self, x: f64) -> f64 {
        match self.format.round_f64(x) {
            Some(v) => v,
            None => self.decode(self.encode(x)),
        }
    }
}

/// OCP MX scale: one E8M0 (8-bit power of two) per block of 32, for
/// elements whose largest power of two is `2^emax`.
pub const fn mx(emax: i32) -> Scaling {
    Scaling {
        sharing: Sharing::Block(32),
        rule: ScaleRule::PowerOfTwo { emax },
        bits: 8,
    }
}

/// OCP FP8 E4M3 without a scale.
pub const E4M3: FloatCodec = FloatCodec {
    name: "e4m3",
    summary: "OCP FP8 E4M3, no scale",
    format: &FP8_E4M3_MUL,
    scaling: Scaling::NONE,
};

/// E4M3 with a per-tensor absmax scale (f32, rounded up so that the
/// absmax maps to at most 448).
pub const E4M3_SCALED: FloatCodec = FloatCodec {
    name: "e4m3-scaled",
    summary: "OCP FP8 E4M3, one f32 absmax scale per tensor",
    format: &FP8_E4M3_MUL,
    scaling: Scaling {
        sharing: Sharing::Tensor,
        rule: ScaleRule::AbsmaxUp { max: 448.0 },
        bits: 32,
    },
};

/// OCP FP8 E5M2 without a scale.
pub const E5M2: FloatCodec = FloatCodec {
    name: "e5m2",
    summary: "OCP FP8 E5M2, no scale",
    format: &FP8_E5M2_MUL,
    scaling: Scaling::NONE,
};

/// IEEE binary16.
pub const FP16: FloatCodec = FloatCodec {
    name: "fp16",
    summary: "IEEE binary16",
    format: &FP16_MUL,
    scaling: Scaling::NONE,
};

/// bfloat16.
pub const BF16: FloatCodec = FloatCodec {
    name: "bf16",
    summary: "bfloat16",
    format: &BF16_MUL,
    scaling: Scaling::NONE,
};

/// OCP Microscaling MXFP8 (E4M3 elements, emax 8).
pub const MXFP8: FloatCodec = FloatCodec {
    name: "mxfp8",
    summary: "OCP MXFP8: E4M3 elements, one E8M0 scale per 32 values",
    format: &FP8_E4M3_MUL,
    scaling: mx(8),
};

/// OCP Microscaling MXFP4 (E2M1 elements, emax 2).
pub const MXFP4: FloatCodec = FloatCodec {
    name: "mxfp4",
    summary: "OCP MXFP4: E2M1 elements, one E8M0 scale per 32 values",
    format: &FP4_E2M1,
    scaling: mx(2),
};
