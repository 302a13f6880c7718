//! Exception flags of a product (IEEE 754 section 7), as SoftFloat and
//! RISC-V raise them: invalid for a signalling NaN operand or Inf x 0;
//! overflow when the result rounded with an unbounded exponent exceeds
//! the largest finite value; underflow when the result is tiny *after*
//! rounding (below 2^emin even when rounded to full precision) and
//! inexact; inexact when the delivered result differs from the exact
//! product. A product never divides by zero.

use super::{Class, MiniFloat, Specials};
use crate::exact::Exact;

/// The five IEEE exception flags, as RISC-V's `fflags` holds them: bit 0
/// inexact, 1 underflow, 2 overflow, 3 divide by zero, 4 invalid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u8);

impl Flags {
    pub const NONE: Flags = Flags(0);
    pub const NX: Flags = Flags(1);
    pub const UF: Flags = Flags(2);
    pub const OF: Flags = Flags(4);
    pub const DZ: Flags = Flags(8);
    pub const NV: Flags = Flags(16);
    /// Each flag's name, by bit.
    pub const NAMES: [&'static str; 5] = ["nx", "uf", "of", "dz", "nv"];

    /// The flag of a name (`nv`, `dz`, `of`, `uf`, `nx`; any case).
    pub fn from_name(name: &str) -> Option<Flags> {
        let bit = Flags::NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name.trim()))?;
        Some(Flags(1 << bit))
    }

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, o: Flags) -> Flags {
        Flags(self.0 | o.0)
    }
}

impl std::fmt::Display for Flags {
    /// `nv,nx`, most significant first; `-` for none.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = (0..5)
            .rev()
            .filter(|&b| self.0 >> b & 1 == 1)
            .map(|b| Flags::NAMES[b])
            .collect();
        if names.is_empty() {
            write!(f, "-")
        } else {
            write!(f, "{}", names.join(","))
        }
    }
}

impl MiniFloat {
    /// The flags `a * b` raises (only meaningful for the IEEE-style
    /// formats that keep subnormals; see [`MiniFloat::has_flags`]).
    pub fn mul_flags(&self, a: u32, b: u32) -> Flags {
        match (self.classify(a), self.classify(b)) {
            (Class::Nan, _) | (_, Class::Nan) => {
                if self.is_signalling(a) || self.is_signalling(b) {
                    Flags::NV
                } else {
                    Flags::NONE
                }
            }
            (Class::Inf { .. }, Class::Finite(x)) | (Class::Finite(x), Class::Inf { .. })
                if x.is_zero() =>
            {
                Flags::NV
            }
            (Class::Inf { .. }, _) | (_, Class::Inf { .. }) => Flags::NONE,
            (Class::Finite(x), Class::Finite(y)) => self.round_flags(x * y),
        }
    }

    /// True for the formats whose multiplier has IEEE flags: every
    /// rounding that keeps subnormals (not the flushing lite formats).
    pub fn has_flags(&self) -> bool {
        self.rounding.keeps_subnormals()
    }

    /// A signalling NaN: an IEEE NaN with the fraction's top bit clear.
    /// E4M3's one NaN is quiet.
    pub fn is_signalling(&self, code: u32) -> bool {
        self.specials == Specials::Ieee
            && self.classify(code) == Class::Nan
            && code >> (self.frac_bits - 1) & 1 == 0
    }

    /// The flags of rounding the exact value `x` into the format.
    pub fn round_flags(&self, x: Exact) -> Flags {
        let Some(e) = x.ilog2() else {
            return Flags::NONE;
        };
        let emin = self.emin();
        let f = self.frac_bits as i32;
        // Bits of x below the quantum at its magnitude are lost.
        let shift = e.max(emin) - f - x.exp;
        let inexact = shift > 0 && (shift > 127 || x.sig & ((1u128 << shift) - 1) != 0);
        if e >= emin {
            let kept = self.round_significand(x.sig, shift, x.neg);
            let mag = (((e + self.bias - 1) as u64) << f) + kept;
            if mag > self.max_finite_mag() as u64 {
                return Flags::OF | Flags::NX;
            }
        }
        // Tiny after rounding: below 2^emin even when rounded at full
        // precision, which only a value just below 2^emin escapes by
        // rounding up to it.
        let carries_to_normal =
            e == emin - 1 && self.round_significand(x.sig, e - f - x.exp, x.neg) >> (f + 1) != 0;
        let tiny = e < emin && !carries_to_normal;
        match (tiny, inexact) {
            (true, true) => Flags::UF | Flags::NX,
            (false, true) => Flags::NX,
            _ => Flags::NONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::by_name;

    fn fp16() -> MiniFloat {
        *by_name("fp16_mul").unwrap().reference.minifloat().unwrap()
    }

    #[test]
    fn directed_cases() {
        let f = fp16();
        assert_eq!(f.mul_flags(0x3c00, 0x3c00), Flags::NONE); // 1 x 1
        assert_eq!(f.mul_flags(0x7c00, 0x0000), Flags::NV); // Inf x 0
        assert_eq!(f.mul_flags(0x7c01, 0x3c00), Flags::NV); // sNaN
        assert_eq!(f.mul_flags(0x7e00, 0x3c00), Flags::NONE); // qNaN
        assert_eq!(f.mul_flags(0x7bff, 0x4000), Flags::OF | Flags::NX);
        assert_eq!(f.mul_flags(0x3c01, 0x3c01), Flags::NX);
        // 2^-14 x 2^-1 = 2^-15: exact subnormal, no underflow.
        assert_eq!(f.mul_flags(0x0400, 0x3800), Flags::NONE);
        // The smallest subnormal halved: tiny and inexact.
        assert_eq!(f.mul_flags(0x0001, 0x3800), Flags::UF | Flags::NX);
        assert_eq!(Flags(0b10101).to_string(), "nv,of,nx");
        assert_eq!(Flags::from_name("NV"), Some(Flags::NV));
    }

    #[test]
    fn tininess_is_after_rounding() {
        let f = fp16();
        // (2^-14 - 2^-25)-ish: the largest subnormal 0x03ff times
        // (1 + 2^-10) = 0x3c01 is 2^-14 (1 - 2^-10)(1 + 2^-10)
        // = 2^-14 (1 - 2^-20): below 2^-14, but rounded to 11 bits it is
        // 2^-14, so not tiny after rounding: inexact only.
        assert_eq!(f.mul_flags(0x03ff, 0x3c01), Flags::NX);
        // Toward zero it stays below 2^-14: tiny.
        let rtz = f.with_rounding(super::super::Rounding::TowardZero);
        assert_eq!(rtz.mul_flags(0x03ff, 0x3c01), Flags::UF | Flags::NX);
    }
}
