//! Exact dyadic numbers: `(-1)^neg * sig * 2^exp`.
//!
//! Every code of every format in this project, and every product of two such
//! codes, is a dyadic rational with a small significand. Representing them
//! exactly lets each reference multiplier "compute the exact product and
//! round once" (spec section 4) without trusting any intermediate float
//! rounding.

/// An exact finite dyadic rational `(-1)^neg * sig * 2^exp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exact {
    /// Sign (true = negative). Zero keeps its sign.
    pub neg: bool,
    /// Integer significand (0 for a zero). 128 bits: the product of two
    /// `f64` significands (53 bits each) fits.
    pub sig: u128,
    /// Power-of-two scale.
    pub exp: i32,
}

impl Exact {
    /// A signed zero.
    pub const fn zero(neg: bool) -> Self {
        Exact {
            neg,
            sig: 0,
            exp: 0,
        }
    }

    /// True for either zero.
    pub const fn is_zero(&self) -> bool {
        self.sig == 0
    }

    /// `floor(log2 |x|)`, or `None` for zero.
    pub fn ilog2(&self) -> Option<i32> {
        (self.sig != 0).then(|| self.exp + self.sig.ilog2() as i32)
    }

    /// The value as an `f64`; exact whenever the significand has at most 53
    /// bits and the scale is within `f64`'s range, which holds for every
    /// format in this project (otherwise rounded to nearest).
    pub fn to_f64(&self) -> f64 {
        let mag = self.sig as f64 * pow2(self.exp);
        if self.neg {
            -mag
        } else {
            mag
        }
    }

    /// The exact value of a finite `f64`; `None` for NaN and infinities.
    /// The significand is the shortest one (trailing zero bits moved into
    /// the exponent): `1.0` is `1 * 2^0`, not `2^52 * 2^-52`.
    pub fn from_f64(x: f64) -> Option<Exact> {
        if !x.is_finite() {
            return None;
        }
        let bits = x.to_bits();
        let neg = bits >> 63 == 1;
        let field = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1 << 52) - 1);
        let (sig, exp) = if field == 0 {
            (frac, -1074)
        } else {
            (frac | (1 << 52), field - 1075)
        };
        if sig == 0 {
            return Some(Exact::zero(neg));
        }
        let tz = sig.trailing_zeros();
        Some(Exact {
            neg,
            sig: (sig >> tz) as u128,
            exp: exp + tz as i32,
        })
    }
}

/// `2^e`, built from its bits in the normal range (`powi` is a loop).
#[inline]
fn pow2(e: i32) -> f64 {
    if (-1022..=1023).contains(&e) {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        2f64.powi(e)
    }
}

impl std::ops::Mul for Exact {
    type Output = Exact;
    /// The exact product, sign of zero included. Exact for significands of
    /// up to 64 bits each (two `f64` significands: 106 bits); wider ones
    /// never occur here (the formats' significands have at most 11 bits),
    /// and a product that would not fit panics rather than wrap.
    fn mul(self, other: Exact) -> Exact {
        Exact {
            neg: self.neg ^ other.neg,
            sig: self
                .sig
                .checked_mul(other.sig)
                .expect("exact product wider than 128 bits"),
            exp: self.exp + other.exp,
        }
    }
}

/// The exact decimal expansion of a finite `f64` (every binary fraction has
/// one), without trailing zeros: `-0.375`, `49152`, `0.0000324249267578125`.
/// Parsing the text as `f64` gives back exactly `x`. NaN and infinities print
/// as `NaN`, `inf`, `-inf`.
pub fn exact_decimal(x: f64) -> String {
    let Some(e) = Exact::from_f64(x) else {
        return format!("{x}");
    };
    if e.sig == 0 {
        return if e.neg { "-0".into() } else { "0".into() };
    }
    // Binary fraction digits below the point: each needs one decimal digit.
    let places = (-(e.exp + e.sig.trailing_zeros() as i32)).max(0) as usize;
    let text = format!("{x:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_decimal_is_exact() {
        assert_eq!(exact_decimal(-0.375), "-0.375");
        assert_eq!(exact_decimal(49152.0), "49152");
        assert_eq!(exact_decimal(-0.0), "-0");
        assert_eq!(
            exact_decimal(1.0625 * 2f64.powi(-15)),
            "0.0000324249267578125"
        );
        assert_eq!(
            exact_decimal(0.1),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        for x in [1.0625 * 2f64.powi(-30), 0.1, 1e300, 5e-324] {
            assert_eq!(exact_decimal(x).parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn round_trips_through_f64() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -0.375,
            49152.0,
            1.0625 * 2f64.powi(-15),
            f64::MIN_POSITIVE / 8.0,
        ] {
            let e = Exact::from_f64(x).unwrap();
            assert_eq!(e.to_f64().to_bits(), x.to_bits(), "{x}");
        }
        assert_eq!(Exact::from_f64(f64::NAN), None);
    }

    #[test]
    fn ilog2_is_floor_log2() {
        assert_eq!(Exact::from_f64(1.0).unwrap().ilog2(), Some(0));
        assert_eq!(Exact::from_f64(0.375).unwrap().ilog2(), Some(-2));
        assert_eq!(Exact::from_f64(3.0).unwrap().ilog2(), Some(1));
        assert_eq!(Exact::zero(true).ilog2(), None);
    }

    #[test]
    fn products_of_f64_significands_are_exact() {
        // Issue 14: 1.0 x 1.0 printed "exact product 0" (a 53-bit
        // significand squared wrapped a u64).
        let one = Exact::from_f64(1.0).unwrap();
        assert_eq!((one * one).to_f64(), 1.0);
        assert_eq!(one.sig, 1);
        // Two full 53-bit significands: (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104.
        let x = Exact::from_f64(1.0 + f64::EPSILON).unwrap();
        let p = x * x;
        assert_eq!(p.sig, (1u128 << 52 | 1) * (1u128 << 52 | 1));
        assert_eq!(p.exp, -104);
        assert_eq!(p.to_f64(), 1.0 + 2.0 * f64::EPSILON);
        let third = Exact::from_f64(-1.0 / 3.0).unwrap() * Exact::from_f64(3.0).unwrap();
        assert!(third.neg && third.ilog2() == Some(-1));
    }
}
