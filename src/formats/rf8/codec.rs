//! RF8 as a storage codec (spec section 2), in both roundings. RF8 needs no
//! scale: its range (2^-15 to 49152) covers every weight distribution.

use super::{Rf8, Rounding};
use crate::formats::codec::Codec;

/// RF8 with one of its two roundings.
#[derive(Clone, Copy, Debug)]
pub struct Rf8Codec {
    pub rounding: Rounding,
}

/// RF8, the paper's truncation.
pub const RF8_TRUNCATE: Rf8Codec = Rf8Codec {
    rounding: Rounding::Truncate,
};

/// RF8, round to nearest (ties to the larger magnitude).
pub const RF8_NEAREST: Rf8Codec = Rf8Codec {
    rounding: Rounding::Nearest,
};

impl Codec for Rf8Codec {
    fn name(&self) -> &'static str {
        match self.rounding {
            Rounding::Truncate => "rf8-truncate",
            Rounding::Nearest => "rf8-nearest",
        }
    }
    fn summary(&self) -> &'static str {
        match self.rounding {
            Rounding::Truncate => "RF8, the paper's truncation",
            Rounding::Nearest => "RF8, round to nearest",
        }
    }
    fn code_bits(&self) -> u32 {
        8
    }
    fn max(&self) -> f64 {
        Rf8::MAX.to_f64()
    }
    fn encode(&self, x: f64) -> u32 {
        Rf8::from_f64_with(x, self.rounding).to_bits() as u32
    }
    fn decode(&self, code: u32) -> f64 {
        Rf8::from_bits(code as u8).to_f64()
    }
}
