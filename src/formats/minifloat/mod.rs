//! A parametrised binary floating-point format: sign, exponent field,
//! fraction field. One description covers all five baselines of spec
//! section 4 (IEEE FP16, the minimal FP16, BF16, OCP FP8 E4M3 and E5M2).
//!
//! The multiplier is split as in Berkeley HardFloat: [`decode`] turns a code
//! into an exact value or a special class, [`mul`] forms the exact product,
//! [`round`] rounds it once into the format.

pub mod codec;
pub mod decode;
pub mod flags;
pub mod mul;
pub mod round;

pub use decode::Class;
pub use flags::Flags;

/// What the all-ones exponent field means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Specials {
    /// IEEE 754: all-ones exponent is Inf (fraction 0) or NaN.
    Ieee,
    /// OCP FP8 E4M3 ("FN"): no infinities; only S.1111.111 is NaN.
    FiniteNan,
    /// No specials at all: exponent all-ones is an ordinary exponent.
    None,
}

/// How the exact product is rounded into the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Round to nearest, ties to even, with subnormal inputs and outputs
    /// (IEEE 754 roundTiesToEven, RISC-V `RNE`).
    NearestEven,
    /// Truncate toward zero; exponent field 0 reads as zero and results
    /// below the smallest normal flush to signed zero (`fp16_mul_lite`).
    TowardZeroFlush,
    /// IEEE roundTowardZero (`RTZ`), subnormals kept; an overflow gives the
    /// largest finite magnitude.
    TowardZero,
    /// IEEE roundTowardNegative (`RDN`): a positive overflow gives the
    /// largest finite value, a negative one -Inf.
    Down,
    /// IEEE roundTowardPositive (`RUP`): the mirror of [`Rounding::Down`].
    Up,
    /// IEEE roundTiesToAway (`RMM`): nearest, ties away from zero.
    NearestAway,
}

impl Rounding {
    /// The five IEEE 754 modes, in RISC-V `frm` order (RNE, RTZ, RDN, RUP,
    /// RMM).
    pub const IEEE: [Rounding; 5] = [
        Rounding::NearestEven,
        Rounding::TowardZero,
        Rounding::Down,
        Rounding::Up,
        Rounding::NearestAway,
    ];

    /// The short name (`rne`, `rtz`, `rdn`, `rup`, `rmm`; `rtz-flush` for
    /// the lite formats' truncation).
    pub fn name(self) -> &'static str {
        match self {
            Rounding::NearestEven => "rne",
            Rounding::TowardZeroFlush => "rtz-flush",
            Rounding::TowardZero => "rtz",
            Rounding::Down => "rdn",
            Rounding::Up => "rup",
            Rounding::NearestAway => "rmm",
        }
    }

    /// What it does, for people.
    pub fn describe(self) -> &'static str {
        match self {
            Rounding::NearestEven => "round to nearest, ties to even",
            Rounding::TowardZeroFlush => "toward zero, subnormals flushed",
            Rounding::TowardZero => "round toward zero",
            Rounding::Down => "round down (toward -Inf)",
            Rounding::Up => "round up (toward +Inf)",
            Rounding::NearestAway => "round to nearest, ties away from zero",
        }
    }

    /// The mode named `name` (as [`Rounding::name`] gives it).
    pub fn from_name(name: &str) -> Option<Rounding> {
        [Rounding::TowardZeroFlush]
            .into_iter()
            .chain(Rounding::IEEE)
            .find(|r| r.name() == name)
    }

    /// True for the IEEE modes (subnormal inputs and outputs kept).
    pub fn keeps_subnormals(self) -> bool {
        self != Rounding::TowardZeroFlush
    }
}

/// A binary floating-point format and its multiplier's conventions.
#[derive(Clone, Copy, Debug)]
pub struct MiniFloat {
    /// Design name, as used by the CLI and the RTL module.
    pub name: &'static str,
    /// One-line description for listings.
    pub summary: &'static str,
    /// Exponent field width.
    pub exp_bits: u32,
    /// Fraction field width (without the hidden bit).
    pub frac_bits: u32,
    /// Exponent bias.
    pub bias: i32,
    /// Meaning of the all-ones exponent.
    pub specials: Specials,
    /// Rounding and subnormal handling.
    pub rounding: Rounding,
    /// The code returned whenever the result is NaN.
    pub nan_code: Option<u32>,
    /// The spec section that defines it.
    pub spec_section: &'static str,
}

impl MiniFloat {
    /// The same format and multiplier with another rounding.
    pub const fn with_rounding(self, rounding: Rounding) -> MiniFloat {
        MiniFloat { rounding, ..self }
    }

    /// Total width in bits.
    pub const fn width(&self) -> u32 {
        1 + self.exp_bits + self.frac_bits
    }

    /// Mask of the sign bit.
    pub const fn sign_mask(&self) -> u32 {
        1 << (self.exp_bits + self.frac_bits)
    }

    /// Largest exponent field value.
    const fn exp_field_max(&self) -> u32 {
        (1 << self.exp_bits) - 1
    }

    /// Magnitude bits (code without sign) of the largest finite value.
    pub const fn max_finite_mag(&self) -> u32 {
        match self.specials {
            Specials::Ieee => (self.exp_field_max() << self.frac_bits) - 1,
            Specials::FiniteNan => self.sign_mask() - 2,
            Specials::None => self.sign_mask() - 1,
        }
    }

    /// Smallest normal exponent (`1 - bias`).
    pub const fn emin(&self) -> i32 {
        1 - self.bias
    }

    /// The special classes, both signs: zeros, the three smallest and the
    /// largest subnormal, the smallest normal and its successor, 1.0 and
    /// its neighbours, 1.5, 2.0, the two largest finite values, infinity, a
    /// signalling NaN, a quiet NaN and the all-ones NaN (for a format
    /// without specials the last four are its largest codes). Duplicates
    /// of tiny formats are removed; 36 codes for the 8- and 16-bit ones.
    pub fn specials(&self) -> Vec<u32> {
        let (e, f) = (self.exp_bits, self.frac_bits);
        let exp_all = ((1u32 << e) - 1) << f;
        let one = ((1u32 << (e - 1)) - 1) << f;
        let half_frac = if f > 0 { 1 << (f - 1) } else { 0 };
        let mags: [u32; 18] = [
            0,
            1,
            2,
            3,
            (1 << f) - 1,
            1 << f,
            (1 << f) + 1,
            one.saturating_sub(1),
            one,
            one + 1,
            one + half_frac,
            one + (1 << f),
            exp_all - 1,
            exp_all - 2,
            exp_all,
            exp_all | 1,
            exp_all | half_frac,
            exp_all | ((1 << f) - 1),
        ];
        let mut out = Vec::new();
        for m in mags {
            for c in [m, m | self.sign_mask()] {
                if c < 1 << self.width() && !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }
}
