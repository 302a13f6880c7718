//! Sequential MAC units (spec section 9): the bit-exact reference of
//! `mac_<format>[_<variant>]_n<N>`. A MAC unit takes one group of N operand
//! pairs per accepted cycle and, after the group marked `last`, returns the
//! dot product of every group since the previous result: exactly what
//! chaining `dot_<format>_n<N>` from `acc_in = 0` gives, in the same W bits
//! and LSB, wrapping (and, for E4M3, `invalid` when any operand of the dot
//! product was NaN). Every variant of a format (a register accumulator,
//! exponent-indexed bins) has this one reference; only the fixed-point
//! units of section 8 have MAC units.
//!
//! ```
//! use rf8::formats::dot::DOT_INT8;
//! use rf8::formats::mac::{Group, MacRef};
//! let mac = MacRef::new(&DOT_INT8, 2, 20).unwrap();
//! // (3*4 + 2*5) + (1*1 + 1*1) = 24, then a dot product of one group: 6.
//! let out = mac.run(&[
//!     Group { a: vec![3, 2], b: vec![4, 5], last: false },
//!     Group { a: vec![1, 1], b: vec![1, 1], last: true },
//!     Group { a: vec![2, 0], b: vec![3, 0], last: true },
//! ]);
//! assert_eq!(out.iter().map(|o| o.acc).collect::<Vec<_>>(), [24, 6]);
//! ```

use super::dot::{Accumulator, DotOut, DotUnit};

/// One accepted group: N codes of `a` and of `b`, and whether it ends the
/// dot product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
    pub last: bool,
}

/// The reference of a MAC unit: the format's dot-product unit at `lanes`
/// lanes and headroom `headroom`.
#[derive(Clone, Copy, Debug)]
pub struct MacRef {
    pub unit: &'static DotUnit,
    pub lanes: usize,
    pub headroom: u32,
}

impl MacRef {
    /// The MAC reference of `unit`, or `None` for a binary32 unit (section
    /// 9 defines MAC units for the fixed-point formats only).
    pub fn new(unit: &'static DotUnit, lanes: usize, headroom: u32) -> Option<MacRef> {
        matches!(unit.accumulator, Accumulator::Fixed { .. }).then_some(MacRef {
            unit,
            lanes,
            headroom,
        })
    }

    /// The module name: `mac_rf8_n8`, or `mac_rf8_eia_n8` for `variant`
    /// `eia`.
    pub fn name(&self, variant: Option<&str>) -> String {
        match variant {
            Some(v) => format!("mac_{}_{v}_n{}", self.unit.format, self.lanes),
            None => format!("mac_{}_n{}", self.unit.format, self.lanes),
        }
    }

    /// Width of `acc` (W = P + 1 + H).
    pub fn acc_width(&self) -> u32 {
        self.unit.acc_width(self.headroom)
    }

    /// The most groups in one dot product: K / N <= 2^H / N, so that 2^H
    /// products never overflow W bits.
    pub fn max_groups(&self) -> u64 {
        ((1u64 << self.headroom) / self.lanes as u64).max(1)
    }

    /// The results of a stream of accepted groups, one per group marked
    /// `last`, in order (groups after the last `last` are a dot product
    /// still open, with no result yet).
    ///
    /// # Panics
    ///
    /// When a group does not have `lanes` codes in `a` and in `b` (a
    /// caller's bug).
    pub fn run(&self, groups: &[Group]) -> Vec<DotOut> {
        let mut out = Vec::new();
        let mut acc = DotOut {
            acc: 0,
            invalid: false,
        };
        for g in groups {
            assert!(
                g.a.len() == self.lanes && g.b.len() == self.lanes,
                "a group of {} lanes",
                self.lanes
            );
            let next = self.unit.dot(&g.a, &g.b, acc.acc, self.headroom);
            acc = DotOut {
                acc: next.acc,
                invalid: acc.invalid || next.invalid,
            };
            if g.last {
                out.push(acc);
                acc = DotOut {
                    acc: 0,
                    invalid: false,
                };
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::dot::{DOT_FP16, DOT_FP8_E4M3, DOT_INT8, DOT_RF8};

    fn group(a: &[u32], b: &[u32], last: bool) -> Group {
        Group {
            a: a.to_vec(),
            b: b.to_vec(),
            last,
        }
    }

    #[test]
    fn binary32_units_have_no_mac() {
        assert!(MacRef::new(&DOT_FP16, 8, 20).is_none());
        assert_eq!(
            MacRef::new(&DOT_RF8, 8, 20).unwrap().name(Some("eia")),
            "mac_rf8_eia_n8"
        );
    }

    #[test]
    fn results_wrap_at_w_bits_and_restart_after_last() {
        let mac = MacRef::new(&DOT_INT8, 1, 12).unwrap();
        assert_eq!(mac.acc_width(), 28);
        // (-128)^2 = 2^14, 2^14 times: 2^28 wraps to 0 in 28 bits.
        let mut groups = vec![group(&[0x80], &[0x80], false); 1 << 14];
        groups.last_mut().unwrap().last = true;
        groups.push(group(&[0xff], &[0x01], true));
        let out = mac.run(&groups);
        assert_eq!(out[0].acc, 0);
        assert_eq!(out[1].acc, (1 << 28) - 1, "-1 in 28 bits, from zero");
        assert_eq!(mac.max_groups(), 4096);
    }

    #[test]
    fn invalid_lasts_for_its_dot_product_only() {
        let mac = MacRef::new(&DOT_FP8_E4M3, 2, 20).unwrap();
        let out = mac.run(&[
            group(&[0x7f, 0x38], &[0x38, 0x38], false),
            group(&[0x38, 0x38], &[0x38, 0x38], true),
            group(&[0x38, 0x38], &[0x38, 0x38], true),
        ]);
        assert!(out[0].invalid && !out[1].invalid);
        // 1 * 1 per finite pair, LSB 2^-18: three products, then two.
        assert_eq!((out[0].acc, out[1].acc), (3 << 18, 2 << 18));
        // An open dot product has no result.
        assert!(mac
            .run(&[group(&[0x38, 0x38], &[0x38, 0x38], false)])
            .is_empty());
    }
}
