//! Kinds of mismatch within a cause ([`Judge::kind`]): a signalling NaN
//! passed through and an overflow encoded as NaN are both `nan`
//! mismatches, but different bugs, and the report shows one example of
//! each kind.

use super::cause::{Cause, Judge};
use crate::formats::minifloat::Flags;
use crate::verify::vectors::exact_product;

impl Judge<'_> {
    /// The kind of a mismatch within its cause (`got` is not accepted),
    /// so that a report shows one example of each: a signalling NaN
    /// passed through and a NaN for an overflow are both `nan`
    /// mismatches, but different bugs. `cause` is [`Judge::cause`]'s,
    /// which the caller has already worked out.
    pub fn kind(&self, cause: Cause, a: u32, b: u32, got: u32, expected: u32) -> String {
        let (g_code, g_flags) = self.split(got);
        let (e_code, e_flags) = self.split(expected);
        let m = self.multiplier();
        let (g, e) = (m.decode_output(g_code), m.decode_output(e_code));
        let kind = match cause {
            Cause::Undefined => "x_or_z",
            Cause::Nan if e.is_nan() && g.is_nan() => {
                let mf = m.minifloat();
                let snan = |c: u32| mf.is_some_and(|f| f.is_signalling(c));
                if (g_code == a && snan(a)) || (g_code == b && snan(b)) {
                    "signalling_nan_passed_through"
                } else if g_code == a || g_code == b {
                    "nan_operand_passed_through"
                } else {
                    "other_nan_code"
                }
            }
            Cause::Nan if e.is_nan() => "number_for_nan",
            Cause::Nan if e.is_infinite() => "nan_for_infinity",
            Cause::Nan => "nan_for_number",
            Cause::Overflow if g.is_infinite() && !e.is_infinite() => "infinity_for_finite",
            Cause::Overflow if e.is_infinite() && !g.is_infinite() => "finite_for_infinity",
            Cause::Overflow => "wrong_value",
            Cause::Rounding => match exact_product(m, a, b) {
                Some(x) if g.abs() < x.abs() => "toward_zero",
                _ => "away_from_zero",
            },
            Cause::SubnormalInput if g == 0.0 => "read_as_zero",
            Cause::SubnormalInput => "wrong_value",
            Cause::SignOfZero => "sign_of_zero",
            Cause::Underflow if g == 0.0 => "flushed_to_zero",
            Cause::Underflow if e == 0.0 => "nonzero_for_zero",
            Cause::Underflow => "subnormal_value",
            Cause::Flags => {
                let diff = Flags(g_flags.unwrap_or_default().0 ^ e_flags.unwrap_or_default().0);
                return format!(
                    "{diff}_differ{}",
                    if diff.0.count_ones() == 1 { "s" } else { "" }
                );
            }
            Cause::Other => "other",
        };
        kind.to_string()
    }

    /// A sentence for a kind of [`Judge::kind`].
    pub fn describe_kind(kind: &str) -> String {
        match kind {
            "x_or_z" => "X or Z bits".into(),
            "signalling_nan_passed_through" => {
                "a signalling NaN operand passed through (IEEE gives a quiet NaN)".into()
            }
            "nan_operand_passed_through" => "a NaN operand passed through unchanged".into(),
            "other_nan_code" => "another NaN code".into(),
            "number_for_nan" => "a number or infinity where NaN is right".into(),
            "nan_for_infinity" => "NaN where infinity is right".into(),
            "nan_for_number" => "NaN where a number is right".into(),
            "infinity_for_finite" => "infinity where a finite value is right".into(),
            "finite_for_infinity" => "a finite value where infinity is right".into(),
            "toward_zero" => "rounded toward zero".into(),
            "away_from_zero" => "rounded away from zero".into(),
            "read_as_zero" => "a subnormal operand read as zero".into(),
            "sign_of_zero" => "a zero of the wrong sign".into(),
            "flushed_to_zero" => "flushed to zero".into(),
            "nonzero_for_zero" => "a non-zero value where zero is right".into(),
            "subnormal_value" => "a wrong subnormal or tiny value".into(),
            "wrong_value" => "a wrong value".into(),
            k if k.ends_with("_differ") || k.ends_with("_differs") => {
                format!(
                    "flag{} {} wrong",
                    if k.ends_with("_differs") { "" } else { "s" },
                    k.split('_').next().unwrap_or(k)
                )
            }
            k => k.replace('_', " "),
        }
    }
}
