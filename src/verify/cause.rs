//! Why a result differs from the reference: each mismatch is put in one
//! class, so that a design's many NaN-encoding differences do not hide
//! its one rounding bug. The checks run in this order, and the first that
//! applies wins:
//!
//! 1. `undefined`: the output has X or Z bits (Icarus only: Verilator is
//!    two-state);
//! 2. `nan`: the reference gives NaN and the design another code (a NaN
//!    the `--nan` policy refuses, or a number);
//! 3. a NaN from the design where the reference has a number: `subnormal_input`
//!    when an operand is subnormal (read as zero, Inf x subnormal became
//!    Inf x 0), else `nan`;
//! 4. `overflow`: the exact product exceeds the largest finite result, or
//!    either result is infinite;
//! 5. `rounding`: the results are neighbouring non-zero values of the
//!    exact product's sign with the exact product strictly between them
//!    (the other rounding candidate: a truncating design lands here);
//! 6. `subnormal_input`: an operand is subnormal;
//! 7. `sign_of_zero`: both results are zeros of opposite signs;
//! 8. `underflow`: the exact product is below the smallest normal result,
//!    or either result is zero (a flushed or subnormal result);
//! 9. `flags`: the result is right and the exception flags (`--flags`)
//!    are not;
//! 10. `other`.

use crate::formats::minifloat::{Flags, MiniFloat, Rounding, Specials};
use crate::sim::icarus::X_CODE;
use crate::verify::vectors::exact_product;
use crate::Multiplier;

/// The class of a mismatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    Undefined,
    Nan,
    Overflow,
    Rounding,
    SubnormalInput,
    SignOfZero,
    Underflow,
    Flags,
    Other,
}

impl Cause {
    /// Every class, in the order they are reported.
    pub const ALL: [Cause; 9] = [
        Cause::Undefined,
        Cause::Nan,
        Cause::Overflow,
        Cause::Rounding,
        Cause::SubnormalInput,
        Cause::SignOfZero,
        Cause::Underflow,
        Cause::Flags,
        Cause::Other,
    ];

    /// The name used in reports and CSV files.
    pub fn name(self) -> &'static str {
        match self {
            Cause::Undefined => "undefined",
            Cause::Nan => "nan",
            Cause::SubnormalInput => "subnormal_input",
            Cause::Overflow => "overflow",
            Cause::SignOfZero => "sign_of_zero",
            Cause::Underflow => "underflow",
            Cause::Rounding => "rounding",
            Cause::Flags => "flags",
            Cause::Other => "other",
        }
    }

    /// A short description for the text report.
    pub fn describe(self) -> &'static str {
        match self {
            Cause::Undefined => "X or Z output",
            Cause::Nan => "NaN (encoding, missing or unexpected)",
            Cause::SubnormalInput => "subnormal input",
            Cause::Overflow => "overflow or infinity",
            Cause::SignOfZero => "sign of zero",
            Cause::Underflow => "subnormal or flushed result",
            Cause::Rounding => "rounding (the other neighbour of the exact product)",
            Cause::Flags => "exception flags (the result is right)",
            Cause::Other => "other",
        }
    }

    pub fn index(self) -> usize {
        Cause::ALL
            .iter()
            .position(|&c| c == self)
            .unwrap_or(Cause::ALL.len() - 1)
    }
}

/// Which NaN codes count as right where the reference gives NaN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NanPolicy {
    /// Only the format's canonical code (spec section 4; the default).
    #[default]
    Canonical,
    /// Any quiet NaN, with any sign and payload (IEEE 754's rule).
    Quiet,
    /// Any NaN code at all.
    Any,
}

impl NanPolicy {
    pub fn name(self) -> &'static str {
        match self {
            NanPolicy::Canonical => "canonical",
            NanPolicy::Quiet => "quiet",
            NanPolicy::Any => "any",
        }
    }
}

/// How a design's flag output holds the five IEEE flags: the flags named
/// from its most significant bit down (RISC-V's and FPnew's
/// `nv,dz,of,uf,nx` by default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagPort {
    order: Vec<Flags>,
}

impl FlagPort {
    /// RISC-V `fflags` and FPnew's `status_t`.
    pub const DEFAULT_ORDER: &'static str = "nv,dz,of,uf,nx";

    /// Reads an order such as `nv,dz,of,uf,nx` or `of,uf,nx`.
    pub fn parse(order: &str) -> Result<FlagPort, String> {
        let mut flags: Vec<Flags> = Vec::new();
        for name in order.split(',') {
            let f = Flags::from_name(name).ok_or_else(|| {
                format!(
                    "--flag-order {order}: '{}' is not a flag (nv, dz, of, uf, nx)",
                    name.trim()
                )
            })?;
            if flags.contains(&f) {
                return Err(format!(
                    "--flag-order {order}: {} is named twice",
                    name.trim()
                ));
            }
            flags.push(f);
        }
        Ok(FlagPort { order: flags })
    }

    /// Bits of the flag output.
    pub fn bits(&self) -> u32 {
        self.order.len() as u32
    }

    /// The order, as `--flag-order` takes it.
    pub fn order(&self) -> String {
        let names: Vec<String> = self.order.iter().map(|f| f.to_string()).collect();
        names.join(",")
    }

    /// The port's value for `f` (flags the order leaves out are dropped).
    pub fn pack(&self, f: Flags) -> u32 {
        self.order
            .iter()
            .fold(0, |v, &g| v << 1 | f.contains(g) as u32)
    }

    /// The flags a port value holds.
    pub fn unpack(&self, v: u32) -> Flags {
        let n = self.order.len();
        self.order
            .iter()
            .enumerate()
            .filter(|(i, _)| v >> (n - 1 - i) & 1 == 1)
            .fold(Flags::NONE, |acc, (_, &g)| acc | g)
    }
}

/// Decides whether a result is right, and why not.
pub struct Judge<'a> {
    m: &'a dyn Multiplier,
    nan: NanPolicy,
    /// For an IEEE binary format: the same multiplier in each of the five
    /// IEEE rounding modes, to say which one a design's wrong outputs
    /// follow instead.
    modes: Vec<MiniFloat>,
    /// The distinct finite result values, ascending.
    values: Vec<f64>,
    min_normal: f64,
    /// With `--flags`: how the flags sit above the result bits, and the
    /// format whose flags are the reference's.
    flags: Option<(FlagPort, MiniFloat)>,
}

impl<'a> Judge<'a> {
    pub fn new(m: &'a dyn Multiplier, nan: NanPolicy) -> Judge<'a> {
        let mut values: Vec<f64> = (0..1u32 << m.out_width())
            .map(|c| m.decode_output(c))
            .filter(|v| v.is_finite())
            .map(|v| v + 0.0) // -0 and +0 are one value
            .collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        let min_normal = match m.minifloat() {
            Some(f) => f.to_f64(1 << f.frac_bits),
            None => values
                .iter()
                .copied()
                .find(|&v| v > 0.0)
                .unwrap_or(f64::MIN_POSITIVE),
        };
        let modes = match m.minifloat() {
            Some(f) if f.rounding.keeps_subnormals() => {
                Rounding::IEEE.iter().map(|&r| f.with_rounding(r)).collect()
            }
            _ => Vec::new(),
        };
        Judge {
            m,
            nan,
            modes,
            values,
            min_normal,
            flags: None,
        }
    }

    /// The same judge, also checking the exception flags a design gives
    /// above its result bits.
    pub fn with_flags(mut self, port: FlagPort) -> Result<Judge<'a>, String> {
        match self.m.minifloat() {
            Some(f) if f.has_flags() => {
                self.flags = Some((port, *f));
                Ok(self)
            }
            _ => Err(format!(
                "--flags: {} has no IEEE exception flags (they are checked for fp16_mul, bf16_mul, fp8_e4m3_mul and fp8_e5m2_mul)",
                self.m.name()
            )),
        }
    }

    /// The flag layout, when flags are checked.
    pub fn flag_port(&self) -> Option<&FlagPort> {
        self.flags.as_ref().map(|f| &f.0)
    }

    /// Bits of a design's output: the result, and the flags above it.
    pub fn out_bits(&self) -> u32 {
        self.m.out_width() + self.flag_port().map_or(0, FlagPort::bits)
    }

    /// The right output for `a * b`: the reference's result, and its
    /// flags above it when they are checked.
    #[inline]
    pub fn expected(&self, a: u32, b: u32) -> u32 {
        let y = self.m.mul(a, b);
        match &self.flags {
            None => y,
            Some((port, f)) => y | port.pack(f.mul_flags(a, b)) << self.m.out_width(),
        }
    }

    /// An output split into its result and, when checked, its flags.
    pub fn split(&self, v: u32) -> (u32, Option<Flags>) {
        match &self.flags {
            Some((port, _)) if v != X_CODE => {
                let w = self.m.out_width();
                (v & ((1 << w) - 1), Some(port.unpack(v >> w)))
            }
            _ => (v, None),
        }
    }

    /// The multiplier judged against.
    pub fn multiplier(&self) -> &dyn Multiplier {
        self.m
    }

    /// Which of the IEEE rounding modes (bit `i` for [`Rounding::IEEE`]`[i]`)
    /// would make `got` right for `a * b` (0 for a format without them).
    pub fn modes_accepting(&self, a: u32, b: u32, got: u32) -> u8 {
        self.modes
            .iter()
            .enumerate()
            .filter(|(_, f)| self.accepts_result(f.mul(a, b), self.split(got).0))
            .fold(0, |bits, (i, _)| bits | 1 << i)
    }

    /// The rounding the reference checks, if it is an IEEE one.
    pub fn rounding(&self) -> Option<Rounding> {
        self.m
            .minifloat()
            .map(|f| f.rounding)
            .filter(|_| !self.modes.is_empty())
    }

    /// True when `got` is a right answer where the reference says
    /// `expected`.
    #[inline]
    pub fn accepts(&self, expected: u32, got: u32) -> bool {
        if got == expected {
            return true;
        }
        if self.flags.is_some() {
            let w = self.m.out_width();
            let mask = (1 << w) - 1;
            return got >> w == expected >> w && self.accepts_result(expected & mask, got & mask);
        }
        self.accepts_result(expected, got)
    }

    /// [`Judge::accepts`] for the result bits alone.
    #[inline]
    fn accepts_result(&self, expected: u32, got: u32) -> bool {
        got == expected
            || (self.nan != NanPolicy::Canonical
                && Some(expected) == self.m.nan_code()
                && self.acceptable_nan(got))
    }

    fn acceptable_nan(&self, got: u32) -> bool {
        if got >> self.m.out_width() != 0 || !self.m.decode_output(got).is_nan() {
            return false;
        }
        match (self.nan, self.m.minifloat()) {
            (NanPolicy::Quiet, Some(f)) if f.specials == Specials::Ieee => {
                got >> (f.frac_bits - 1) & 1 == 1
            }
            _ => true,
        }
    }

    /// The class of a mismatch (`got` is not accepted).
    pub fn cause(&self, a: u32, b: u32, got: u32, expected: u32) -> Cause {
        if got >> self.out_bits() != 0 || got == X_CODE {
            return Cause::Undefined;
        }
        let (got, expected) = (self.split(got).0, self.split(expected).0);
        if self.flags.is_some() && self.accepts_result(expected, got) {
            return Cause::Flags;
        }
        let (g, e) = (self.m.decode_output(got), self.m.decode_output(expected));
        if e.is_nan() {
            return Cause::Nan;
        }
        let subnormal_input = self
            .m
            .minifloat()
            .is_some_and(|f| is_subnormal(f, a) || is_subnormal(f, b));
        if g.is_nan() {
            return if subnormal_input {
                Cause::SubnormalInput
            } else {
                Cause::Nan
            };
        }
        let max = self.values.last().copied().unwrap_or(f64::INFINITY);
        let exact = exact_product(self.m, a, b);
        if g.is_infinite() || e.is_infinite() || exact.is_some_and(|x| x.abs() > max) {
            return Cause::Overflow;
        }
        if let Some(x) = exact {
            let (ig, ie) = (self.rank(g), self.rank(e));
            let same_sign = g.is_sign_negative() == x.is_sign_negative()
                && e.is_sign_negative() == x.is_sign_negative();
            let (lo, hi) = if g.abs() < e.abs() {
                (g.abs(), e.abs())
            } else {
                (e.abs(), g.abs())
            };
            if same_sign
                && g != 0.0
                && e != 0.0
                && ig.abs_diff(ie) == 1
                && lo < x.abs()
                && x.abs() < hi
            {
                return Cause::Rounding;
            }
        }
        if subnormal_input {
            return Cause::SubnormalInput;
        }
        if g == 0.0 && e == 0.0 {
            return Cause::SignOfZero;
        }
        if g == 0.0 || e == 0.0 || exact.is_some_and(|x| x.abs() < self.min_normal) {
            return Cause::Underflow;
        }
        Cause::Other
    }

    fn rank(&self, v: f64) -> usize {
        self.values.partition_point(|&x| x < v)
    }
}

fn is_subnormal(f: &MiniFloat, code: u32) -> bool {
    let field = (code >> f.frac_bits) & ((1 << f.exp_bits) - 1);
    field == 0 && code & ((1 << f.frac_bits) - 1) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::by_name;

    fn judge(name: &str, nan: NanPolicy) -> Judge<'static> {
        Judge::new(by_name(name).unwrap().reference, nan)
    }

    #[test]
    fn fp16_causes() {
        let j = judge("fp16_mul", NanPolicy::Canonical);
        // 1.0 x 1.0 = 1.0; 0x3c01 is the next code up: not a rounding case
        // (the exact product is representable).
        assert_eq!(j.cause(0x3c00, 0x3c00, 0x3c01, 0x3c00), Cause::Other);
        assert_eq!(j.cause(0x3c00, 0x3c00, 0x3bff, 0x3c00), Cause::Other);
        // (1 + 2^-10)^2 = 1 + 2^-9 + 2^-20 lies between 0x3c02 (nearest) and
        // 0x3c03: the other candidate is a rounding mistake.
        assert_eq!(j.cause(0x3c01, 0x3c01, 0x3c03, 0x3c02), Cause::Rounding);
        assert_eq!(j.cause(0xbc01, 0x3c01, 0xbc03, 0xbc02), Cause::Rounding);
        assert_eq!(j.cause(0x3c01, 0x3c01, 0x3c04, 0x3c02), Cause::Other);
        assert_eq!(j.cause(0x7c00, 0x0000, 0x7c01, 0x7e00), Cause::Nan);
        assert_eq!(
            j.cause(0x0001, 0x3c00, 0x0000, 0x0001),
            Cause::SubnormalInput
        );
        assert_eq!(j.cause(0x7bff, 0x4000, 0x7bff, 0x7c00), Cause::Overflow);
        assert_eq!(j.cause(0x8000, 0x3c00, 0x0000, 0x8000), Cause::SignOfZero);
        assert_eq!(j.cause(0x0400, 0x3800, 0x0000, 0x0200), Cause::Underflow);
        // 2^-14 x 2^-12 = 2^-26 rounds to zero; the smallest subnormal is
        // its other neighbour, but a zero result is an underflow matter.
        assert_eq!(j.cause(0x0400, 0x0c00, 0x0001, 0x0000), Cause::Underflow);
        // A saturating format: the exact product above the largest code.
        let rf8 = judge("rf8_mul", NanPolicy::Canonical);
        assert_eq!(rf8.cause(0x3c, 0x3c, 0x00, 0x3c), Cause::Overflow);
        assert_eq!(j.cause(0x3c00, 0x3c00, X_CODE, 0x3c00), Cause::Undefined);
        assert_eq!(j.cause(0x3c00, 0x3c00, 0xbc00, 0x3c00), Cause::Other);
    }

    #[test]
    fn nan_policies() {
        let canonical = judge("fp16_mul", NanPolicy::Canonical);
        let quiet = judge("fp16_mul", NanPolicy::Quiet);
        let any = judge("fp16_mul", NanPolicy::Any);
        for (got, c, q, a) in [
            (0x7e00, true, true, true),
            (0xfe01, false, true, true),
            (0x7d00, false, false, true),
            (0x7c00, false, false, false),
        ] {
            assert_eq!(canonical.accepts(0x7e00, got), c, "{got:#x}");
            assert_eq!(quiet.accepts(0x7e00, got), q, "{got:#x}");
            assert_eq!(any.accepts(0x7e00, got), a, "{got:#x}");
        }
        // A NaN is never right where the reference is a number.
        assert!(!any.accepts(0x3c00, 0x7e00));
    }
}
