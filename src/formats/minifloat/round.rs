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
        let kept = self.round_significand(x.sig, quantum - x.exp, x.neg);
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
        (1..=127).contains(&shift) && x.sig & ((1u128 << shift) - 1) == 1u128 << (shift - 1)
    }

    /// `sig / 2^shift` (of sign `neg`) rounded per the format's rule.
    #[inline]
    pub(super) fn round_significand(&self, sig: u128, shift: i32, neg: bool) -> u64 {
        if shift <= 0 {
            return (sig << -shift) as u64;
        }
        // Away from zero by one quantum where the mode says so for a
        // non-zero remainder: RUP for positive values, RDN for negative.
        let directed = match self.rounding {
            Rounding::Up => !neg,
            Rounding::Down => neg,
            _ => false,
        };
        if shift > 127 {
            // sig < 2^127 <= half an ulp: zero, or one quantum when directed.
            return (directed & (sig != 0)) as u64;
        }
        let kept = (sig >> shift) as u64;
        let rem = sig & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        // Written without short-circuits: the sweep's operands are random,
        // and unpredictable branches cost more than the arithmetic.
        let up = match self.rounding {
            Rounding::NearestEven => (rem > half) | ((rem == half) & (kept & 1 == 1)),
            Rounding::NearestAway => rem >= half,
            Rounding::TowardZero | Rounding::TowardZeroFlush => false,
            Rounding::Up | Rounding::Down => directed & (rem != 0),
        };
        kept + up as u64
    }

    /// The value [`MiniFloat::round`] gives for an in-range `f64`,
    /// computed in `f64` arithmetic (the quantisers' hot path, about 10x
    /// faster than the exact route; tests pin it to `round`).
    ///
    /// Only for round-to-nearest-even formats and `|x|` at most the largest
    /// finite value; `None` otherwise. The input is scaled so that its
    /// quantum (the weight of the format's last fraction bit at that
    /// magnitude, subnormals included) becomes 1; adding and subtracting
    /// 2^52 then rounds to an integer, ties to even, because the sum lies
    /// where the `f64` ulp is 1. Every step is exact apart from that one.
    #[inline]
    pub fn round_f64(&self, x: f64) -> Option<f64> {
        let mag = x.abs();
        let in_range = mag <= self.max_finite_f64();
        if self.rounding != Rounding::NearestEven || !in_range {
            return None;
        }
        let biased = ((mag.to_bits() >> 52) & 0x7ff) as i32;
        let quantum = (biased - 1023).max(self.emin()) - self.frac_bits as i32;
        let scaled = mag * pow2(-quantum);
        const ROUNDER: f64 = (1u64 << 52) as f64;
        let rounded = (scaled + ROUNDER) - ROUNDER;
        Some((rounded * pow2(quantum)).copysign(x))
    }

    /// The largest finite value, as an `f64`.
    #[inline]
    pub fn max_finite_f64(&self) -> f64 {
        let mag = self.max_finite_mag();
        let frac = mag & ((1 << self.frac_bits) - 1);
        let exp = (mag >> self.frac_bits) as i32 - self.bias - self.frac_bits as i32;
        ((1u64 << self.frac_bits) + frac as u64) as f64 * pow2(exp)
    }

    /// The code for a result beyond the largest finite value: signed Inf
    /// (IEEE), the canonical NaN (E4M3 non-saturating mode, whatever the
    /// sign), or the signed largest value (saturating lite format).
    /// The code of a result beyond the largest finite magnitude: infinity
    /// (NaN for E4M3, which has none) where the mode rounds away from zero
    /// there, else the largest finite magnitude (IEEE 754 section 7.4).
    fn overflow(&self, sign: u32) -> u32 {
        let neg = sign != 0;
        let to_max = match self.rounding {
            Rounding::NearestEven | Rounding::NearestAway => false,
            Rounding::TowardZero | Rounding::TowardZeroFlush => true,
            Rounding::Down => !neg,
            Rounding::Up => neg,
        };
        match self.specials {
            _ if to_max && self.rounding != Rounding::TowardZeroFlush => {
                sign | self.max_finite_mag()
            }
            Specials::Ieee => sign | (self.max_finite_mag() + 1),
            Specials::FiniteNan => self.nan_code.unwrap_or(self.sign_mask() - 1),
            Specials::None => sign | self.max_finite_mag(),
        }
    }
}

/// 2^k for `k` in the normal `f64` exponent range.
#[inline]
fn pow2(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::baselines::{BF16_MUL, FP16_MUL, FP8_E4M3_MUL, FP8_E5M2_MUL};
    use rand::Rng;

    /// The exact route: round the value's exact form, decode the code.
    fn exact_route(f: &MiniFloat, x: f64) -> f64 {
        f.to_f64(f.round(Exact::from_f64(x).unwrap()))
    }

    /// Inputs where rounding can go wrong: every f16 and bf16 pattern, every
    /// midpoint between neighbouring codes of `f` (ties) with its f64
    /// neighbours, and seeded random values over the format's range.
    fn inputs(f: &MiniFloat) -> Vec<f64> {
        let mut v: Vec<f64> = (0..=u16::MAX)
            .flat_map(|b| {
                [
                    half::f16::from_bits(b).to_f64(),
                    half::bf16::from_bits(b).to_f64(),
                ]
            })
            .collect();
        let codes: Vec<f64> = (0..=f.max_finite_mag()).map(|c| f.to_f64(c)).collect();
        for w in codes.windows(2) {
            let mid = (w[0] + w[1]) / 2.0;
            v.extend([mid, mid.next_up(), mid.next_down(), w[1].next_down()]);
        }
        let mut rng = crate::verify::vectors::rng(7);
        let top = f.max_finite_f64().log2();
        let bottom = f.emin() as f64 - f.frac_bits as f64 - 3.0;
        v.extend((0..300_000).map(|_| {
            let e = rng.gen_range(bottom..top);
            let s = if rng.gen() { -1.0 } else { 1.0 };
            s * e.exp2()
        }));
        v.retain(|x| x.is_finite());
        v.extend(v.iter().map(|x| -x).collect::<Vec<_>>());
        v
    }

    #[test]
    fn f64_route_equals_the_exact_route() {
        for f in [&FP16_MUL, &BF16_MUL, &FP8_E4M3_MUL, &FP8_E5M2_MUL] {
            let mut checked = 0;
            for x in inputs(f) {
                let Some(fast) = f.round_f64(x) else {
                    assert!(x.abs() > f.max_finite_f64(), "{} {x}", f.name);
                    continue;
                };
                let want = exact_route(f, x);
                assert_eq!(fast.to_bits(), want.to_bits(), "{} {x:e}", f.name);
                checked += 1;
            }
            assert!(checked > 400_000, "{} {checked}", f.name);
        }
    }

    #[test]
    fn max_finite_f64_matches_the_code() {
        for f in [&FP16_MUL, &BF16_MUL, &FP8_E4M3_MUL, &FP8_E5M2_MUL] {
            assert_eq!(
                f.max_finite_f64(),
                f.to_f64(f.max_finite_mag()),
                "{}",
                f.name
            );
        }
        assert_eq!(FP8_E4M3_MUL.max_finite_f64(), 448.0);
    }
}
