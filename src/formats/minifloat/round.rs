//! Round step: an exact value becomes the nearest (or truncated) code.
//!
//! The magnitude code is assembled as `((E + bias - 1) << frac_bits) + kept`
//! where `kept` includes the hidden bit. Adding the hidden bit into the
//! exponent field is the classic trick that makes a rounding carry
//! (1.111.. -> 10.000..) and the subnormal-to-normal step come out right
//! without a special case.

use super::{MiniFloat, Rounding, Specials};
use crate::exact::Exact;

impl MiniFloat {
    /// Rounds an exact value into the format.
    #[inline]
    pub fn round(&self, x: Exact) -> u32 {
        let sign = if x.neg { self.sign_mask() } else { 0 };
        let Some(e) = x.ilog2() else {
            return sign; // exact zero keeps its sign
        };
        let emin = self.emin();
        if e < emin && self.rounding == Rounding::TowardZeroFlush {
            return sign; // below 2^emin: flush to signed zero
        }
        // The quantum (weight of the last fraction bit) at this magnitude.
        let scale = e.max(emin);
        let quantum = scale - self.frac_bits as i32;
        let kept = self.round_significand(x.sig, quantum - x.exp);
        let mag = (((scale + self.bias - 1) as u64) << self.frac_bits) + kept;
        if mag > self.max_finite_mag() as u64 {
            return self.overflow(sign);
        }
        sign | mag as u32
    }

    /// True when `x` lies exactly halfway between two neighbouring codes of
    /// the format's grid (a rounding tie); used to build test vectors.
    pub fn is_tie(&self, x: Exact) -> bool {
        let Some(e) = x.ilog2() else { return false };
        let quantum = e.max(self.emin()) - self.frac_bits as i32;
        let shift = quantum - x.exp;
        (1..=63).contains(&shift) && x.sig & ((1u64 << shift) - 1) == 1u64 << (shift - 1)
    }

    /// `sig / 2^shift` rounded per the format's rule.
    #[inline]
    fn round_significand(&self, sig: u64, shift: i32) -> u64 {
        if shift <= 0 {
            return sig << -shift;
        }
        if shift > 63 {
            // sig < 2^63 <= half an ulp: rounds to zero in every mode.
            return 0;
        }
        let kept = sig >> shift;
        let rem = sig & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        // Written without short-circuits: the sweep's operands are random,
        // and unpredictable branches cost more than the arithmetic.
        let nearest = self.rounding == Rounding::NearestEven;
        let up = nearest & ((rem > half) | ((rem == half) & (kept & 1 == 1)));
        kept + up as u64
    }

    /// The code for a result beyond the largest finite value: signed Inf
    /// (IEEE), the canonical NaN (E4M3 non-saturating mode, whatever the
    /// sign), or the signed largest value (saturating lite format).
    fn overflow(&self, sign: u32) -> u32 {
        match self.specials {
            Specials::Ieee => sign | (self.max_finite_mag() + 1),
            Specials::FiniteNan => self.nan_code.unwrap_or(self.sign_mask() - 1),
            Specials::None => sign | self.max_finite_mag(),
        }
    }
}
